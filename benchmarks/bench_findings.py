"""Throughput of fault-finding scoring and dossier generation against baselines measured in the same run.

Run from anywhere::

    python benchmarks/bench_findings.py            # full run
    python benchmarks/bench_findings.py --quick    # 10x smaller sizes, a smoke run
    python benchmarks/bench_findings.py --json OUT.json --seed 7

Everything is measured in one process run, with ``time.perf_counter`` after one warm-up, best of 3.
Times are printed, never asserted.

Measurements (full sizes; ``--quick`` divides every count by 10), at level medium, over the first N = 5,000
indexes whose case takes three defects (the defect types that apply depend on the case):

1. baselines, per item:
   a. ``CaseGenerator.case``: making the case a dossier is built on;
   b. ``parse_findings(data, dossier, pack)``: reading a reviewer's marks from their JSON form;
2. ``build_dossier(gen, seed, i, defects=0)``: a clean dossier;
3. ``build_dossier(gen, seed, i, defects=3)``: a dossier with three planted defects;
4. ``score_findings(dossier, key as marks, pack)``: every planted defect hit, nothing else;
5. ``score_findings(dossier, perturbed marks, pack)``: per dossier (seeded) a defect missed, a mark moved to
   another document, a duplicate, a defect type not planted — the miss and false-alarm paths;
6. as 5, plus ``FindingsReport.to_dict`` and ``json.dumps`` (the report as printed and stored);
7. ``parse_findings`` + ``score_findings`` + ``to_dict``: submitted JSON marks end to end.

Ratios are throughput over the case baseline's (so "0.5×" for a dossier means building one costs twice
making its case, and "20×" for scoring means scoring a dossier costs a twentieth of making its case).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import time
from pathlib import Path
from typing import Any

from timing import best_of, drain  # benchmarks/timing.py, beside this script

from toolkit import __version__ as toolkit_version
from toolkit.domain.codes import Level
from toolkit.domain.dossier import Dossier, Finding
from toolkit.errors import GenerationError
from toolkit.generate.cases import CaseGenerator
from toolkit.generate.dossiers import build_dossier
from toolkit.packs import Pack, load_pack
from toolkit.scoring.findings import parse_findings, score_findings

ROOT = Path(__file__).resolve().parents[1]
PACK_DIR = ROOT / "scenarios" / "default"
DEFAULT_JSON = ROOT / "benchmarks" / "results" / "findings.json"

FULL_DOSSIERS = 5_000
DEFECTS = 3
LEVEL = Level.MEDIUM
REPEATS = 3


# -- marks ------------------------------------------------------------------------------------------


def key_as_marks(dossier: Dossier) -> list[Finding]:
    """A perfect review: one mark per planted defect, in its own document."""
    return [Finding(p.document, p.defect, "") for p in dossier.answer_key]


def perturb(dossier: Dossier, pack: Pack, rng: random.Random) -> list[Finding]:
    """The perfect marks with seeded mistakes: one defect missed, one mark in another document, a
    duplicate of a hit, and a mark of a defect type not planted in the dossier."""
    marks = key_as_marks(dossier)
    if marks:
        marks.pop(rng.randrange(len(marks)))
    ids = [doc.id for doc in dossier.documents]
    if marks:
        moved = rng.randrange(len(marks))
        marks[moved] = Finding(rng.choice(ids), marks[moved].defect, "")
        marks.append(marks[rng.randrange(len(marks))])
    planted = {p.defect for p in dossier.answer_key}
    absent = [code for code in pack.defects.types if code not in planted]
    if absent:
        marks.append(Finding(rng.choice(ids), rng.choice(absent), "多标"))
    rng.shuffle(marks)
    return marks


def planted_dossiers(gen: CaseGenerator, seed: int, n: int) -> tuple[list[int], list[Dossier], int]:
    """The first ``n`` indexes whose case takes :data:`DEFECTS` defects, their dossiers, and how many
    indexes were passed over (a case offers only the defect types that apply to it)."""
    indexes: list[int] = []
    made: list[Dossier] = []
    skipped = 0
    index = 0
    while len(made) < n:
        if skipped > 10 * n:
            raise GenerationError(f"only {len(made)} of the first {index} indexes take {DEFECTS} defects")
        try:
            made.append(build_dossier(gen, seed, index, defects=DEFECTS, level=LEVEL))
            indexes.append(index)
        except GenerationError:
            skipped += 1
        index += 1
    return indexes, made, skipped


# -- timing -----------------------------------------------------------------------------------------


def row(label: str, r: dict[str, Any] | None, note: str = "") -> str:
    if r is None:
        return f"{label:<46} {'items':>8} {'seconds':>9} {'items/s':>11} {'µs/item':>10}  {note}"
    return (
        f"{label:<46} {r['items']:>8,} {r['seconds']:>9.3f} {r['items_per_s']:>11,.0f} "
        f"{r['us_per_item']:>10,.1f}  {note}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10x smaller sizes (smoke run)")
    parser.add_argument(
        "--json", type=Path, default=DEFAULT_JSON, help=f"results file (default {DEFAULT_JSON})"
    )
    parser.add_argument("--seed", type=int, default=7, help="seed for the dossiers and marks (default 7)")
    args = parser.parse_args(argv)
    seed = args.seed
    n = FULL_DOSSIERS // 10 if args.quick else FULL_DOSSIERS
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
    indexes, planted, skipped = planted_dossiers(gen, seed, n)
    made = time.perf_counter() - start
    rng = random.Random(f"bench-findings|{seed}")
    perfect = [key_as_marks(d) for d in planted]
    perturbed = [perturb(d, pack, rng) for d in planted]
    marks_json = [json.loads(json.dumps([m.to_dict() for m in ms], ensure_ascii=False)) for ms in perturbed]
    pairs = list(zip(planted, perturbed, strict=True))

    # warm-up: imports (jsonschema), caches, the first dossier and report
    build_dossier(gen, seed, 0, defects=0, level=LEVEL)
    parse_findings(marks_json[0], planted[0], pack)
    score_findings(planted[0], perturbed[0], pack).to_dict()

    case = best_of(lambda: drain(gen.case(seed, i, LEVEL) for i in indexes), REPEATS, "item")
    parse = best_of(
        lambda: drain(parse_findings(d, o, pack) for d, o in zip(marks_json, planted, strict=True)),
        REPEATS,
        "item",
    )
    clean = best_of(
        lambda: drain(build_dossier(gen, seed, i, defects=0, level=LEVEL) for i in indexes), REPEATS, "item"
    )
    with_defects = best_of(
        lambda: drain(build_dossier(gen, seed, i, defects=DEFECTS, level=LEVEL) for i in indexes),
        REPEATS,
        "item",
    )
    score_perfect = best_of(
        lambda: drain(score_findings(d, m, pack) for d, m in zip(planted, perfect, strict=True)),
        REPEATS,
        "item",
    )
    score_perturbed = best_of(lambda: drain(score_findings(d, m, pack) for d, m in pairs), REPEATS, "item")
    as_json = best_of(
        lambda: drain(json.dumps(score_findings(d, m, pack).to_dict(), ensure_ascii=False) for d, m in pairs),
        REPEATS,
        "item",
    )
    end_to_end = best_of(
        lambda: drain(
            score_findings(d, parse_findings(j, d, pack), pack).to_dict()
            for d, j in zip(planted, marks_json, strict=True)
        ),
        REPEATS,
        "item",
    )

    scored = [score_findings(d, m, pack) for d, m in zip(planted, perfect, strict=True)]
    full = sum(r.total == r.max for r in scored)
    reports = [score_findings(d, m, pack) for d, m in pairs]
    mean_percent = sum(r.percent for r in reports) / len(reports)
    misses = sum(r.misses for r in reports)
    alarms = sum(r.false_alarms for r in reports)
    run_seconds = time.perf_counter() - run_start
    machine["loadavg_at_end"] = os.getloadavg()

    def ratio(a: dict[str, Any], b: dict[str, Any]) -> float:
        return float(a["items_per_s"] / b["items_per_s"])

    ratios = {
        "clean_dossier_vs_case": ratio(clean, case),
        "dossier_with_defects_vs_case": ratio(with_defects, case),
        "score_perfect_vs_case": ratio(score_perfect, case),
        "score_perturbed_vs_case": ratio(score_perturbed, case),
        "score_perturbed_vs_parse": ratio(score_perturbed, parse),
    }
    width = 106
    load_end = " ".join(f"{x:.2f}" for x in machine["loadavg_at_end"])
    out = [
        "=" * width,
        f"Fault-finding benchmark{'  [--quick]' if args.quick else ''}",
        "=" * width,
        f"machine    : {machine['platform']}",
        f"python     : {machine['implementation']} {machine['python']}   cpu_count: {machine['cpu_count']}   "
        f"loadavg at start: {' '.join(f'{x:.2f}' for x in machine['loadavg_at_start'])}",
        f"pack       : {pack.ref} ({PACK_DIR.relative_to(ROOT)})   seed: {seed}   dossiers: {n:,} "
        f"with {DEFECTS} defects (made in {made:.2f} s; {skipped:,} indexes taking fewer passed over)   "
        f"level: {LEVEL.value}",
        f"timing     : time.perf_counter; one warm-up; best of {REPEATS}",
        "-" * width,
        row("measurement", None, "notes"),
        "-" * width,
        row("1a baseline: CaseGenerator.case", case, "the case a dossier is built on"),
        row("1b baseline: parse_findings(dossier, pack)", parse, "JSON Schema + ids and codes"),
        row("2  build_dossier, 0 defects", clean, f"{ratios['clean_dossier_vs_case']:.2f}× 1a"),
        row(
            f"3  build_dossier, {DEFECTS} defects",
            with_defects,
            f"{ratios['dossier_with_defects_vs_case']:.2f}× 1a",
        ),
        row("4  score_findings, key as marks", score_perfect, f"{ratios['score_perfect_vs_case']:.1f}× 1a"),
        row(
            "5  score_findings, perturbed marks",
            score_perturbed,
            f"{ratios['score_perturbed_vs_case']:.1f}× 1a, {ratios['score_perturbed_vs_parse']:.1f}× 1b",
        ),
        row("6  as 5 + to_dict + json.dumps", as_json, "the report as printed / stored"),
        row("7  parse_findings + score + to_dict", end_to_end, "submitted JSON marks"),
        "-" * width,
        f"check      : key as marks scored full marks on {full:,} of {n:,} dossiers; perturbed marks: mean "
        f"{mean_percent:.1f}%, {misses:,} misses, {alarms:,} false alarms",
        f"run        : {run_seconds:.1f} s; loadavg at end: {load_end}",
        "=" * width,
    ]
    print("\n".join(out))

    result = {
        "quick": args.quick,
        "machine": machine,
        "pack": {"ref": pack.ref, "path": str(PACK_DIR.relative_to(ROOT))},
        "seed": seed,
        "dossiers": n,
        "defects": DEFECTS,
        "level": LEVEL.value,
        "generate_dossiers_seconds": made,
        "indexes_passed_over": skipped,
        "run_seconds": run_seconds,
        "baselines": {"generate_case": case, "parse_findings": parse},
        "generation": {"clean_dossier": clean, "dossier_with_defects": with_defects},
        "scoring": {
            "key_as_marks": score_perfect,
            "perturbed": score_perturbed,
            "perturbed_with_json": as_json,
            "parse_and_score": end_to_end,
        },
        "ratios": ratios,
        "checks": {
            "full_marks": full,
            "mean_percent_perturbed": mean_percent,
            "misses": misses,
            "false_alarms": alarms,
        },
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"results written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
