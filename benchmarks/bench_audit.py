"""Quality audits (质量评查): sampling, cross-review assignment and results, against same-run baselines.

Run from anywhere::

    python benchmarks/bench_audit.py            # 100,000-item population (about half a minute)
    python benchmarks/bench_audit.py --quick    # 10,000 items, a smoke run
    python benchmarks/bench_audit.py --json OUT.json --seed 7

Workloads (``time.perf_counter``, one warm-up, best of 3; times printed, never asserted):

1. **sampling**: ``draw_sample`` stratified by unit, rate 0.05, at least 2 per stratum, over N audit items
   made from a generated ledger repeated to N with distinct ids; baseline ``random.Random(seed).sample`` of
   the same size over the ids (a simple random sample, no strata);
2. **assignment**: ``assign_reviewers`` of 2,000 sampled items to k = 3 of 60 reviewers from 30 units (no
   self-review, balanced loads); baseline a round-robin pass that skips same-unit reviewers and balances
   nothing;
3. **results**: ``audit_results`` of 1,000 items reviewed twice (0–3 deductions each; Fleiss' kappa per
   sub-item, Krippendorff's alpha, disagreements, rectification); baseline ``score_review`` of the same 2,000
   reviews, which ``audit_results`` does too;
4. **dossier population**: ``dossier_population`` of 200 generated dossiers (levels mixed, 0–3 defects
   planted); baseline generating 200 cases of the same seed alone (no documents, no defects).

Ratios are workload over baseline: what the audit's own logic costs on top of the simplest thing.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path
from typing import Any

from timing import best_of, save_results  # benchmarks/timing.py, beside this script

from toolkit import __version__ as toolkit_version
from toolkit.audit.assignment import assign_reviewers
from toolkit.audit.model import Assignment, Audit, AuditItem, Deduction, Review, Reviewer, Sample, SizeRule
from toolkit.audit.population import dossier_population
from toolkit.audit.results import audit_results
from toolkit.audit.review import score_review
from toolkit.audit.sampling import draw_sample
from toolkit.domain.codes import Level
from toolkit.generate.cases import CaseGenerator
from toolkit.generate.ledger import ledger_items
from toolkit.packs import Pack, load_pack

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_JSON = ROOT / "benchmarks" / "results" / "audit.json"
REPEATS = 3


def population(pack: Pack, seed: int, size: int) -> list[AuditItem]:
    """``size`` audit items: 2,000 generated ledger items repeated with distinct ids."""
    base = list(ledger_items(CaseGenerator(pack), seed, 2000))
    items = []
    for n in range(size):
        row = base[n % len(base)]
        items.append(
            AuditItem(
                id=f"{row.id}-{n}",
                unit=row.handler_unit,
                unit_name=pack.jurisdiction.name(row.handler_unit),
                category=str(row.category),
                status=str(row.status),
                problem_type=row.problem_type,
                channel=str(row.channel),
                received=row.received,
            )
        )
    return items


def reviewers(items: list[AuditItem], count: int = 60) -> list[Reviewer]:
    units = sorted({i.unit for i in items})[:30]
    return [Reviewer(f"reviewer-{n:02d}", units[n % len(units)]) for n in range(count)]


def round_robin(items: list[AuditItem], people: list[Reviewer], k: int) -> int:
    at = 0
    placed = 0
    for item in items:
        chosen: list[str] = []
        while len(chosen) < k:
            r = people[at % len(people)]
            at += 1
            if not r.same_unit(item) and r.name not in chosen:
                chosen.append(r.name)
        placed += len(chosen)
    return placed


def reviewed_audit(pack: Pack, items: list[AuditItem], seed: int) -> tuple[Audit, list[Review]]:
    rng = random.Random(seed)
    names = ("a", "b", "c", "d", "e", "f")
    pairs = {item.id: tuple(rng.sample(names, 2)) for item in items}
    codes = [s.code for s in pack.audit_rubric.subitems]
    reviews = []
    for item in items:
        for name in pairs[item.id]:
            cuts = tuple(
                Deduction(rng.choice(codes), rng.choice((1.0, 2.0)), "note") for _ in range(rng.randint(0, 3))
            )
            reviews.append(Review(item.id, name, cuts, True))
    rule = SizeRule("all", len(items), len(items))
    audit = Audit(
        id="AU-BENCH",
        name="bench",
        pack=pack.ref,
        source="bench",
        items=tuple(items),
        reviewers=tuple(Reviewer(n, "x") for n in names),
        sample=Sample(seed, (), rule, tuple(i.id for i in items), ()),
        assignment=Assignment(seed, 2, pairs),
    )
    return audit, reviews


def run(size: int, seed: int) -> dict[str, Any]:
    pack = load_pack(ROOT / "scenarios" / "default")
    items = population(pack, seed, size)
    n = draw_sample(items, seed=seed, by=("unit",), rate=0.05, min_per_stratum=2).rule.size
    ids = [i.id for i in items]
    figures: dict[str, Any] = {}

    def sample() -> int:
        return len(draw_sample(items, seed=seed, by=("unit",), rate=0.05, min_per_stratum=2).item_ids)

    figures["sampling"] = {
        "workload": best_of(sample, REPEATS, "item"),
        "baseline": best_of(lambda: len(random.Random(seed).sample(ids, n)), REPEATS, "item"),
        "population": size,
        "sample": n,
    }

    chosen = items[:2000]
    people = reviewers(items)
    assign_reviewers(chosen, people, k=3, seed=seed)  # warm-up

    def assign() -> int:
        a = assign_reviewers(chosen, people, k=3, seed=seed)
        return sum(len(v) for v in a.pairs.values())

    figures["assignment"] = {
        "workload": best_of(assign, REPEATS, "slot"),
        "baseline": best_of(lambda: round_robin(chosen, people, 3), REPEATS, "slot"),
        "loads": sorted(set(assign_reviewers(chosen, people, k=3, seed=seed).loads().values())),
    }

    audit, reviews = reviewed_audit(pack, items[:1000], seed)
    rubric = pack.audit_rubric
    audit_results(audit, reviews, rubric)  # warm-up: imports statsmodels and krippendorff

    def results() -> int:
        r = audit_results(audit, reviews, rubric)
        return len(r.items) * 2

    def scores() -> int:
        return len([score_review(r, rubric) for r in reviews])

    figures["results"] = {
        "workload": best_of(results, REPEATS, "review"),
        "baseline": best_of(scores, REPEATS, "review"),
        "agreement": {
            "kappa": audit_results(audit, reviews, rubric).agreement.kappa,
            "alpha": audit_results(audit, reviews, rubric).agreement.alpha,
        },
    }

    gen = CaseGenerator(pack)
    dossier_population(pack, seed, 5)

    def dossiers() -> int:
        return len(dossier_population(pack, seed, 200)[0])

    def cases() -> int:
        return len([gen.case(seed, index, Level.MEDIUM) for index in range(1, 201)])

    figures["dossier_population"] = {
        "workload": best_of(dossiers, REPEATS, "dossier"),
        "baseline": best_of(cases, REPEATS, "dossier"),
    }
    for entry in figures.values():
        entry["ratio"] = entry["workload"]["seconds"] / entry["baseline"]["seconds"]
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="10,000 items instead of 100,000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--json", type=Path, default=DEFAULT_JSON, help=f"where to write (default {DEFAULT_JSON})"
    )
    args = parser.parse_args(argv)
    size = 10_000 if args.quick else 100_000
    figures = run(size, args.seed)
    print(f"xfkit {toolkit_version} · audit benchmarks · population {size:,} · seed {args.seed}")
    print(f"{'workload':<20} {'workload s':>11} {'baseline s':>11} {'ratio':>7}  per unit")
    for name, entry in figures.items():
        w, b = entry["workload"], entry["baseline"]
        unit = next(k for k in w if k.startswith("us_per_"))
        print(
            f"{name:<20} {w['seconds']:>11.4f} {b['seconds']:>11.4f} {entry['ratio']:>6.1f}×  "
            f"{w[unit]:.1f} µs/{unit.removeprefix('us_per_')} (baseline {b[unit]:.1f})"
        )
    s = figures["sampling"]
    print(f"sample {s['sample']:,} of {s['population']:,}; assignment loads {figures['assignment']['loads']}")
    save_results(args.json, "audit", toolkit_version, population=size, seed=args.seed, figures=figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
