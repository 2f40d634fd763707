"""Practice competitions (擂台赛): items per contestant, checked submissions and the leaderboard, against
baselines in the same run.

Run from anywhere::

    python benchmarks/bench_competition.py            # 100 contestants
    python benchmarks/bench_competition.py --quick    # 20 contestants
    python benchmarks/bench_competition.py --json OUT.json

Workloads (``time.perf_counter``; best of 3 where repeated; times printed, never asserted):

1. **variants**: the items of a round (intake 3, findings 2, quiz 20) for every contestant, each their own
   variant of equal difficulty, built on the server; baseline the common set built once per contestant
   from the cache (what a competition without variants costs);
2. **submissions**: every contestant submits one quiz answer per item through ``submit_contest`` (one write
   transaction: the round's events, the database clock, the duplicate check, then the score) on a SQLite
   file; baseline ``add_submission`` of the same payloads (no checks, no score);
3. **leaderboard**: ``standings`` over all the results; baseline sorting the same rows by (−total, time).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

from timing import best_of, save_results  # benchmarks/timing.py, beside this script

from toolkit import __version__ as toolkit_version
from toolkit.competition.items import build_item, round_items
from toolkit.competition.leaderboard import standings
from toolkit.competition.model import CompetitionSpec, RoundSpec
from toolkit.competitions import contest_results, create_competition, record_action, spec_of, submit_item
from toolkit.generate.cases import CaseGenerator
from toolkit.packs import load_pack
from toolkit.scoring.quiz import score_question
from toolkit.store import Store

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_JSON = ROOT / "benchmarks" / "results" / "competition.json"


def run(contestants: int) -> dict[str, Any]:
    pack = load_pack(ROOT / "scenarios" / "default")
    gen = CaseGenerator(pack)
    rounds = (RoundSpec("intake", 3, 20), RoundSpec("findings", 2, 15), RoundSpec("quiz", 20, 10))
    spec = CompetitionSpec("bench", pack.name, 7, rounds, variants=True)
    figures: dict[str, Any] = {}

    start = time.perf_counter()
    built = 0
    for slot in range(1, contestants + 1):
        for n in range(1, len(rounds) + 1):
            for ref in round_items(spec, pack, n, slot):
                build_item(ref, gen)
                built += 1
    variants_s = time.perf_counter() - start
    common = [
        build_item(ref, gen) for n in range(1, len(rounds) + 1) for ref in round_items(spec, pack, n, 0)
    ]
    start = time.perf_counter()
    for _ in range(contestants):
        _copy = list(common)
    baseline_s = max(time.perf_counter() - start, 1e-9)
    figures["variants"] = {
        "items": built,
        "seconds": variants_s,
        "ms_per_item": variants_s / built * 1e3,
        "baseline_seconds": baseline_s,
        "ratio": variants_s / baseline_s,
    }

    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(f"sqlite:///{folder}/bench.sqlite3")
        quiz_only = CompetitionSpec("bench", pack.name, 7, (RoundSpec("quiz", 20, 60),))
        record = create_competition(store, quiz_only, pack)
        spec2 = spec_of(record)
        people = [store.join(record.id, f"c{n:03d}", "0000") for n in range(contestants)]
        record_action(store, record, spec2, 1, "start")
        refs = round_items(spec2, pack, 1, 0)
        questions = [build_item(ref, gen) for ref in refs]
        start = time.perf_counter()
        for person in people:
            for ref, question in zip(refs, questions, strict=True):
                response = question.answer
                submit_item(
                    store,
                    record,
                    spec2,
                    person,
                    ref,
                    {"question": question.id, "response": list(response)},
                    lambda q=question, r=response: score_question(q, r, pack.quiz.points).to_dict(),
                )
        submit_s = time.perf_counter() - start
        count = len(people) * len(refs)
        start = time.perf_counter()
        for person in people:
            for ref, question in zip(refs, questions, strict=True):
                store.add_submission(
                    app="plain",
                    actor=person.id,
                    item_id=ref.key,
                    pack=pack.ref,
                    seed=7,
                    payload={"r": list(question.answer)},
                )
        plain_s = time.perf_counter() - start
        figures["submissions"] = {
            "submissions": count,
            "seconds": submit_s,
            "ms_per_submission": submit_s / count * 1e3,
            "baseline_seconds": plain_s,
            "baseline_ms": plain_s / count * 1e3,
            "ratio": submit_s / plain_s,
        }
        results = contest_results(store, record)
        names = {p.id: p.name for p in people}
        store.close()

    board = best_of(lambda: len(standings(names, results)), 3, "board")
    rows = [(r.contestant, r.points, r.time_used_s) for r in results]

    def plain_sort() -> int:
        totals: dict[str, list[float]] = {}
        for who, points, used in rows:
            acc = totals.setdefault(who, [0.0, 0.0])
            acc[0] += points
            acc[1] += used
        return len(sorted(totals.items(), key=lambda kv: (-kv[1][0], kv[1][1])))

    base = best_of(plain_sort, 3, "board")
    figures["leaderboard"] = {
        "results": len(results),
        "seconds": board["seconds"],
        "baseline_seconds": base["seconds"],
        "ratio": board["seconds"] / base["seconds"],
    }
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="20 contestants instead of 100")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    args = parser.parse_args(argv)
    contestants = 20 if args.quick else 100
    figures = run(contestants)
    v, s, b = figures["variants"], figures["submissions"], figures["leaderboard"]
    print(f"xfkit {toolkit_version} · competition benchmarks · {contestants} contestants")
    print(
        f"variants     {v['items']:>6} items   {v['seconds']:8.2f} s  {v['ms_per_item']:7.2f} ms/item "
        f"(common set from cache {v['baseline_seconds'] * 1e3:.2f} ms in all)"
    )
    print(
        f"submissions  {s['submissions']:>6} answers {s['seconds']:8.2f} s  "
        f"{s['ms_per_submission']:7.2f} ms each "
        f"(plain insert {s['baseline_ms']:.2f} ms; {s['ratio']:.1f}×)"
    )
    print(
        f"leaderboard  {b['results']:>6} results {b['seconds'] * 1e3:8.2f} ms  "
        f"(plain sort {b['baseline_seconds'] * 1e3:.2f} ms; {b['ratio']:.1f}×)"
    )
    save_results(args.json, "competition", toolkit_version, contestants=contestants, figures=figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
