"""Throughput of intake scoring against baselines measured in the same run.

Run from anywhere::

    python benchmarks/bench_scoring.py            # full run (about a minute)
    python benchmarks/bench_scoring.py --quick    # 10x smaller sizes, a smoke run
    python benchmarks/bench_scoring.py --json OUT.json --seed 7

Everything is measured in one process run, with ``time.perf_counter`` after one warm-up, best of 3.
Times are printed, never asserted.

Measurements (full sizes; ``--quick`` divides every count by 10), over N = 20,000 cases generated once
with the seed, levels rotating:

1. baselines, per answer:
   a. ``CaseGenerator.case``: making the case the answer is for;
   b. ``Truth.to_dict`` + ``parse_answer(data)``: reading an answer from its JSON form (schema check);
   c. as b, with ``parse_answer(data, pack)`` (the codes also checked against the pack);
2. ``score_intake(case, case.truth, pack)``: the key as the answer (every field right);
3. ``score_intake(case, perturbed, pack)``: a perturbed answer per case (seeded): one to four fields
   wrong, dates one working day off, a flag missing, a part of the route or the accused wrong — the
   partial-credit paths;
4. as 3, plus ``ScoreReport.to_dict`` and ``json.dumps`` (the report as the CLI prints and a store keeps it);
5. ``parse_answer(data, pack)`` + ``score_intake`` + ``to_dict``: a submitted JSON answer end to end.

Ratios are scoring throughput over each baseline's (so "12×" means scoring one answer costs a twelfth of
the baseline's work per answer).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import random
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from timing import best_of, drain  # benchmarks/timing.py, beside this script

from toolkit import __version__ as toolkit_version
from toolkit.domain.codes import Category, Flag, ManagementLevel, RouteAction
from toolkit.domain.models import Case, Route, Truth
from toolkit.generate.cases import CaseGenerator
from toolkit.packs import Pack, load_pack
from toolkit.scoring.intake import parse_answer, score_intake

ROOT = Path(__file__).resolve().parents[1]
PACK_DIR = ROOT / "scenarios" / "default"
DEFAULT_JSON = ROOT / "benchmarks" / "results" / "scoring.json"

FULL_CASES = 20_000
REPEATS = 3


# -- perturbed answers ------------------------------------------------------------------------------


def _wrong_unit(unit: str) -> str:
    return "sps" if unit != "sps" else "xfs"


def perturb(truth: Truth, pack: Pack, rng: random.Random) -> Truth:
    """The truth with one to four seeded mistakes, chosen to exercise partial credit as well as zeros."""
    edits: list[Callable[[Truth], Truth]] = [
        lambda t: dataclasses.replace(t, category=rng.choice([c for c in Category if c is not t.category])),
        lambda t: dataclasses.replace(t, flags=t.flags[:-1] if len(t.flags) > 1 else (*t.flags, Flag.REPEAT)),
        lambda t: dataclasses.replace(
            t, route=Route(t.route.action, _wrong_unit(t.route.unit), t.route.copy_to)
        ),
        lambda t: dataclasses.replace(
            t, route=Route(rng.choice([a for a in RouteAction if a is not t.route.action]), t.route.unit)
        ),
        lambda t: dataclasses.replace(
            t, due=tuple((c, pack.calendar.add_working_days(d, rng.choice((-1, 1)))) for c, d in t.due)
        ),
        lambda t: dataclasses.replace(t, due=tuple((c, d + timedelta(days=7)) for c, d in t.due)),
        lambda t: dataclasses.replace(
            t,
            accused=tuple(
                dataclasses.replace(a, level=rng.choice([x for x in ManagementLevel if x is not a.level]))
                for a in t.accused
            ),
        ),
        lambda t: dataclasses.replace(t, repeat_of=None if t.repeat_of else "default-0-H000001"),
        lambda t: dataclasses.replace(t, reporter=dataclasses.replace(t.reporter, phone="12345")),
    ]
    for edit in rng.sample(edits, rng.randint(1, 4)):
        truth = edit(truth)
    return truth


# -- timing -----------------------------------------------------------------------------------------


def row(label: str, r: dict[str, Any] | None, note: str = "") -> str:
    if r is None:
        return f"{label:<44} {'answers':>8} {'seconds':>9} {'answers/s':>11} {'µs/answer':>10}  {note}"
    return (
        f"{label:<44} {r['answers']:>8,} {r['seconds']:>9.3f} {r['answers_per_s']:>11,.0f} "
        f"{r['us_per_answer']:>10,.1f}  {note}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10x smaller sizes (smoke run)")
    parser.add_argument(
        "--json", type=Path, default=DEFAULT_JSON, help=f"results file (default {DEFAULT_JSON})"
    )
    parser.add_argument(
        "--seed", type=int, default=7, help="seed for the cases and perturbations (default 7)"
    )
    args = parser.parse_args(argv)
    seed = args.seed
    n = FULL_CASES // 10 if args.quick else FULL_CASES
    machine: dict[str, Any] = {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "cpu_count": os.cpu_count(),
        "loadavg_at_start": os.getloadavg(),
        "toolkit": toolkit_version,
    }
    run_start = time.perf_counter()

    pack = load_pack(PACK_DIR)
    gen = CaseGenerator(pack)
    gen.history(seed)
    start = time.perf_counter()
    cases: list[Case] = list(gen.cases(seed, n))
    made = time.perf_counter() - start
    rng = random.Random(f"bench-scoring|{seed}")
    perturbed = [perturb(c.truth, pack, rng) for c in cases]
    answer_json = [json.loads(json.dumps(t.to_dict(), ensure_ascii=False)) for t in perturbed]

    # warm-up: imports (jsonschema), caches, the first report
    parse_answer(cases[0].truth.to_dict(), pack)
    score_intake(cases[0], perturbed[0], pack).to_dict()

    generate = best_of(
        lambda: drain(gen.case(seed, i, c.level) for i, c in enumerate(cases)), REPEATS, "answer"
    )
    parse = best_of(lambda: drain(parse_answer(c.truth.to_dict()) for c in cases), REPEATS, "answer")
    parse_pack = best_of(
        lambda: drain(parse_answer(c.truth.to_dict(), pack) for c in cases), REPEATS, "answer"
    )
    truth = best_of(lambda: drain(score_intake(c, c.truth, pack) for c in cases), REPEATS, "answer")
    spoilt = best_of(
        lambda: drain(score_intake(c, a, pack) for c, a in zip(cases, perturbed, strict=True)),
        REPEATS,
        "answer",
    )
    as_json = best_of(
        lambda: drain(
            json.dumps(score_intake(c, a, pack).to_dict(), ensure_ascii=False)
            for c, a in zip(cases, perturbed, strict=True)
        ),
        REPEATS,
        "answer",
    )
    end_to_end = best_of(
        lambda: drain(
            score_intake(c, parse_answer(d, pack), pack).to_dict()
            for c, d in zip(cases, answer_json, strict=True)
        ),
        REPEATS,
        "answer",
    )

    totals = [score_intake(c, a, pack).total for c, a in zip(cases, perturbed, strict=True)]
    perfect = sum(score_intake(c, c.truth, pack).total == 100 for c in cases)
    mean_total = sum(totals) / len(totals)
    partial = sum(
        1
        for c, a in zip(cases, perturbed, strict=True)
        for item in score_intake(c, a, pack).items
        if 0 < item.points < item.max
    )
    run_seconds = time.perf_counter() - run_start
    machine["loadavg_at_end"] = os.getloadavg()

    def ratio(a: dict[str, Any], b: dict[str, Any]) -> float:
        return float(a["answers_per_s"] / b["answers_per_s"])

    ratios = {
        "truth_vs_generate": ratio(truth, generate),
        "perturbed_vs_generate": ratio(spoilt, generate),
        "truth_vs_parse": ratio(truth, parse),
        "perturbed_vs_parse": ratio(spoilt, parse),
        "perturbed_vs_parse_with_pack": ratio(spoilt, parse_pack),
    }
    width = 104
    load_end = " ".join(f"{x:.2f}" for x in machine["loadavg_at_end"])
    out = [
        "=" * width,
        f"Intake scoring benchmark{'  [--quick]' if args.quick else ''}",
        "=" * width,
        f"machine    : {machine['platform']}",
        f"python     : {machine['implementation']} {machine['python']}   cpu_count: {machine['cpu_count']}   "
        f"loadavg at start: {' '.join(f'{x:.2f}' for x in machine['loadavg_at_start'])}",
        f"pack       : {pack.ref} ({PACK_DIR.relative_to(ROOT)})   seed: {seed}   cases: {n:,} "
        f"(made in {made:.2f} s)   levels: rotating",
        f"timing     : time.perf_counter; one warm-up; best of {REPEATS}",
        "-" * width,
        row("measurement", None, "notes"),
        "-" * width,
        row("1a baseline: CaseGenerator.case", generate, "making the case answered"),
        row("1b baseline: Truth.to_dict + parse_answer", parse, "JSON Schema check"),
        row("1c baseline: as 1b, codes checked vs pack", parse_pack, "parse_answer(data, pack)"),
        row(
            "2  score_intake, truth as answer",
            truth,
            f"{ratios['truth_vs_generate']:.1f}× 1a, {ratios['truth_vs_parse']:.1f}× 1b",
        ),
        row(
            "3  score_intake, perturbed answer",
            spoilt,
            f"{ratios['perturbed_vs_generate']:.1f}× 1a, {ratios['perturbed_vs_parse']:.1f}× 1b",
        ),
        row("4  as 3 + to_dict + json.dumps", as_json, "the report as printed / stored"),
        row("5  parse_answer(pack) + score + to_dict", end_to_end, "a submitted JSON answer"),
        "-" * width,
        f"check      : truth as answer scored 100 on {perfect:,} of {n:,} cases; "
        f"perturbed answers: mean total {mean_total:.2f}, {partial:,} items with partial credit",
        f"run        : {run_seconds:.1f} s; loadavg at end: {load_end}",
        "=" * width,
    ]
    print("\n".join(out))

    result = {
        "quick": args.quick,
        "machine": machine,
        "pack": {"ref": pack.ref, "path": str(PACK_DIR.relative_to(ROOT))},
        "seed": seed,
        "cases": n,
        "generate_cases_seconds": made,
        "run_seconds": run_seconds,
        "baselines": {"generate_case": generate, "parse_answer": parse, "parse_answer_with_pack": parse_pack},
        "scoring": {
            "truth_as_answer": truth,
            "perturbed": spoilt,
            "perturbed_with_json": as_json,
            "parse_and_score": end_to_end,
        },
        "ratios": ratios,
        "checks": {"perfect": perfect, "mean_total_perturbed": mean_total, "partial_items": partial},
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"results written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
