"""Supervision cards (红橙黄牌督办) for a 1,000,000-row ledger, against a per-row loop, in the same run.

Run from anywhere::

    python benchmarks/bench_ledger_cards.py            # 1,000,000 rows (about a minute, mostly set-up)
    python benchmarks/bench_ledger_cards.py --quick    # 100,000 rows, a smoke run
    python benchmarks/bench_ledger_cards.py --json OUT.json --seed 7

Set-up: a ledger of generated items (``ledger_items``, the default pack) repeated to N rows with distinct
ids. Every item with a time limit gets a due date drawn uniformly from 2025-01-01..2026-12-31 and a status
redrawn as open (55 %), extended (5 %) or closed (40 %), seeded: a generated ledger seen at one day is
mostly closed, while the ledger an office supervises is mostly current work. Items without a limit stay
filed. The as-of day is 2025-11-15; all dates lie in years ``chinese_calendar`` knows, and working-day
counts cross National Day and Spring Festival. Two workloads:

A. the default pack's rule mix: limits in 日 and months, working-day limits rare (items sent up);
B. the same rows with every limit on the pack's 5-工作日 rule ``report_up``, as a ledger tracked in 工作日
   would be: every open row needs its working days counted.

Measured with ``time.perf_counter`` after one warm-up, best of 3, times printed and never asserted:

1. baseline, per workload: a per-row Python loop over a 10,000-row sample (a tenth with ``--quick``), as a
   first attempt would write it: ``frame.itertuples()``; for open items the calendar days left and the
   colour by the three-colour thresholds (overdue red, at most 15 days orange, at most one month yellow),
   and for working-day rules the working days left counted one day at a time with
   ``chinese_calendar.is_workday``. Its time is scaled linearly to N rows;
2. ``ledger_cards`` on all N rows, scheme three, per workload (the figures the targets are about);
3. ``ledger_cards`` on all N rows of workload A, scheme four;
4. ``card_counts`` (per colour and per handling unit) and ``red_list`` on the result of 2A.

Ratios are each workload's scaled baseline over its row 2. Targets: row 2 at most 1 s for 1,000,000 rows,
and at least 100× the baseline, judged per workload. The baseline's results on its sample are checked
against ``ledger_cards`` (they must agree).
"""

from __future__ import annotations

import argparse
import calendar
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import chinese_calendar
import numpy as np
import pandas as pd
from timing import best_of  # benchmarks/timing.py, beside this script

from toolkit import __version__ as toolkit_version
from toolkit.generate.cases import CaseGenerator
from toolkit.generate.ledger import ledger_items
from toolkit.ledger.frame import ledger_frame
from toolkit.packs import Pack, load_pack
from toolkit.rules.ledger_cards import card_counts, ledger_cards, red_list

ROOT = Path(__file__).resolve().parents[1]
PACK_DIR = ROOT / "scenarios" / "default"
DEFAULT_JSON = ROOT / "benchmarks" / "results" / "ledger_cards.json"

FULL_ROWS = 1_000_000
FULL_SAMPLE = 10_000
BASE_ITEMS = 5_000  # distinct generated items, repeated to the full size
AS_OF = date(2025, 11, 15)
DUE_FIRST = date(2025, 1, 1)
DUE_LAST = date(2026, 12, 31)
REPEATS = 3
TARGET_SECONDS = 1.0
TARGET_RATIO = 100.0


# -- the ledger -------------------------------------------------------------------------------------


def build_ledger(pack: Pack, seed: int, rows: int) -> pd.DataFrame:
    """``rows`` rows of the canonical ledger frame: generated items repeated, dues and statuses respread."""
    items = list(ledger_items(CaseGenerator(pack), seed, BASE_ITEMS, date(2025, 10, 31)))
    base = ledger_frame(items, pack=pack)
    reps = -(-rows // len(base))
    frame = pd.concat([base] * reps, ignore_index=True).iloc[:rows].copy()
    copy_no = np.repeat(np.arange(reps), len(base))[:rows]
    frame["id"] = frame["id"] + "-r" + pd.Series(copy_no, index=frame.index).astype(str)
    rng = np.random.default_rng(seed)
    span = (DUE_LAST - DUE_FIRST).days + 1
    due = np.datetime64(DUE_FIRST, "D") + rng.integers(0, span, rows).astype("timedelta64[D]")
    has_limit = (frame["deadline"] != "").to_numpy()
    frame["due"] = np.where(has_limit, due, np.datetime64("NaT", "D")).astype("datetime64[ns]")
    status = rng.choice(np.array(["open", "extended", "closed"], dtype=object), rows, p=[0.55, 0.05, 0.40])
    frame["status"] = np.where(has_limit, status, "filed")
    closed = np.where(status == "closed", frame["due"].to_numpy(), np.datetime64("NaT", "ns"))
    frame["closed"] = np.where(has_limit, closed, frame["closed"].to_numpy())  # closed on the due day
    return frame


def all_on_working_days(frame: pd.DataFrame) -> pd.DataFrame:
    """Workload B: every limited item on the 5-工作日 rule ``report_up``."""
    return frame.assign(deadline=np.where(frame["deadline"] != "", "report_up", ""))


# -- the baseline -----------------------------------------------------------------------------------


def _one_month_later(d: date) -> date:
    year, month = divmod(d.year * 12 + d.month, 12)
    month += 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _workdays_between(start: date, end: date) -> int:
    """Working days d with start < d <= end (negative when end < start), one day at a time."""
    step = 1 if end >= start else -1
    lo, hi = (start, end) if step == 1 else (end, start)
    n = 0
    day = lo + timedelta(days=1)
    while day <= hi:
        if chinese_calendar.is_workday(day):
            n += 1
        day += timedelta(days=1)
    return n * step


def baseline(sample: pd.DataFrame, pack: Pack, as_of: date) -> list[tuple[str, int | None, int | None]]:
    """Per row: card, days left, working days left, as a first per-row loop would compute them."""
    working_rules = {r.code for r in pack.rules.deadlines if r.clock.value == "working_days"}
    month_limit = _one_month_later(as_of)
    out: list[tuple[str, int | None, int | None]] = []
    for row in sample.itertuples(index=False):
        if row.status not in ("open", "extended") or pd.isna(row.due):
            out.append(("", None, None))
            continue
        due = pd.Timestamp(row.due).date()
        left = (due - as_of).days
        if left < 0:
            card = "red"
        elif left <= 15:
            card = "orange"
        elif due <= month_limit:
            card = "yellow"
        else:
            card = ""
        workdays = _workdays_between(as_of, due) if row.deadline in working_rules else None
        out.append((card, left, workdays))
    return out


# -- timing -----------------------------------------------------------------------------------------


def rows_best_of(run: Callable[[], object], repeats: int, rows: int) -> dict[str, Any]:
    """:func:`timing.best_of` for a ``run`` over ``rows`` rows that returns something else."""

    def counted() -> int:
        run()
        return rows

    return best_of(counted, repeats, "row")


def line(label: str, rows: str, seconds: str, per_s: str, note: str) -> str:
    return f"{label:<46} {rows:>10} {seconds:>10} {per_s:>13}  {note}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10x smaller sizes (smoke run)")
    parser.add_argument(
        "--json", type=Path, default=DEFAULT_JSON, help=f"results file (default {DEFAULT_JSON})"
    )
    parser.add_argument("--seed", type=int, default=7, help="seed for the items and due dates (default 7)")
    args = parser.parse_args(argv)
    rows = FULL_ROWS // 10 if args.quick else FULL_ROWS
    sample_size = FULL_SAMPLE // 10 if args.quick else FULL_SAMPLE
    machine: dict[str, Any] = {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "cpu_count": os.cpu_count(),
        "loadavg_at_start": os.getloadavg(),
        "toolkit": toolkit_version,
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "chinese_calendar": chinese_calendar.__version__,
    }
    run_start = time.perf_counter()
    pack = load_pack(PACK_DIR)
    three = pack.rules.card_scheme("three")
    four = pack.rules.card_scheme("four")

    start = time.perf_counter()
    workloads = {"A": build_ledger(pack, args.seed, rows)}
    workloads["B"] = all_on_working_days(workloads["A"])
    built = time.perf_counter() - start
    sample_index = workloads["A"].sample(n=sample_size, random_state=args.seed).index

    # warm-up: imports, first calls
    ledger_cards(workloads["A"].iloc[:1000], as_of=AS_OF, scheme=three, pack=pack)
    baseline(workloads["B"].loc[sample_index[:50]], pack, AS_OF)

    figures: dict[str, dict[str, Any]] = {}
    for name, frame in workloads.items():
        sample = frame.loc[sample_index]
        base = rows_best_of(partial(baseline, sample, pack, AS_OF), REPEATS, sample_size)
        base["scaled_seconds"] = base["seconds"] * rows / sample_size
        timed = rows_best_of(
            partial(ledger_cards, frame, as_of=AS_OF, scheme=three, pack=pack), REPEATS, rows
        )
        cards = ledger_cards(frame, as_of=AS_OF, scheme=three, pack=pack)
        # check: the baseline and ledger_cards agree on the sample
        mine = cards.loc[sample_index]
        got = [
            (c, None if pd.isna(d) else int(d), None if pd.isna(w) else int(w))
            for c, d, w in zip(mine["card"], mine["days_left"], mine["workdays_left"], strict=True)
        ]
        expected = baseline(sample, pack, AS_OF)
        ratio = base["scaled_seconds"] / timed["seconds"]
        figures[name] = {
            "baseline": base,
            "ledger_cards": timed,
            "ratio": ratio,
            "targets": {
                "seconds": {"value": timed["seconds"], "target": TARGET_SECONDS},
                "ratio": {"value": ratio, "target": TARGET_RATIO},
            },
            "checks": {
                "disagreements": sum(a != b for a, b in zip(got, expected, strict=True)),
                "open": int(cards["is_open"].sum()),
                "workdays_counted": int(cards["workdays_left"].notna().sum()),
                "sample_workdays_counted": int(mine["workdays_left"].notna().sum()),
                "cards": card_counts(cards, frame, three)[0],
            },
        }
        figures[name]["targets"]["seconds"]["met"] = timed["seconds"] <= TARGET_SECONDS
        figures[name]["targets"]["ratio"]["met"] = ratio >= TARGET_RATIO

    frame = workloads["A"]
    cards_four = rows_best_of(lambda: ledger_cards(frame, as_of=AS_OF, scheme=four, pack=pack), REPEATS, rows)
    cards = ledger_cards(frame, as_of=AS_OF, scheme=three, pack=pack)
    counts_t = rows_best_of(lambda: (card_counts(cards, frame, three), red_list(frame, cards)), REPEATS, rows)
    units = len(card_counts(cards, frame, three)[1])
    run_seconds = time.perf_counter() - run_start
    machine["loadavg_at_end"] = os.getloadavg()

    def verdict(met: bool) -> str:
        text = "met" if met else "not met"
        return f"{text} (indicative: --quick)" if args.quick else text

    width = 112
    fmt_load = " ".join(f"{x:.2f}" for x in machine["loadavg_at_start"])
    a, b = figures["A"], figures["B"]
    out = [
        "=" * width,
        f"Ledger cards benchmark{'  [--quick]' if args.quick else ''}",
        "=" * width,
        f"machine    : {machine['platform']}",
        f"python     : {machine['implementation']} {machine['python']}   cpu_count: {machine['cpu_count']}   "
        f"loadavg at start: {fmt_load}",
        f"versions   : numpy {np.__version__}, pandas {pd.__version__}, chinese_calendar "
        f"{chinese_calendar.__version__}",
        f"ledger     : {rows:,} rows ({BASE_ITEMS:,} generated items of {pack.ref}, seed {args.seed}, "
        f"repeated; built in {built:.1f} s); dues {DUE_FIRST}..{DUE_LAST}; as of {AS_OF}; {units} units",
    ]
    for name, label in (("A", "pack's rule mix"), ("B", "all on 工作日")):
        f = figures[name]["checks"]
        out.append(
            f"workload {name} : {label}: open {f['open']:,}, working days counted {f['workdays_counted']:,}; "
            "cards (three) " + ", ".join(f"{k} {v:,}" for k, v in f["cards"].items())
        )
    out += [
        f"timing     : time.perf_counter; one warm-up; best of {REPEATS}; baseline on a {sample_size:,}-row "
        f"sample, scaled to {rows:,} rows",
        "-" * width,
        line("measurement", "rows", "seconds", "rows/s", "notes"),
        "-" * width,
    ]
    for name in ("A", "B"):
        f = figures[name]
        base = f["baseline"]
        out.append(
            line(
                f"1{name} baseline: per-row loop, chinese_calendar",
                f"{sample_size:,}",
                f"{base['seconds']:.3f}",
                f"{base['rows_per_s']:,.0f}",
                f"scaled: {base['scaled_seconds']:.1f} s",
            )
        )
    for name in ("A", "B"):
        f = figures[name]
        t = f["ledger_cards"]
        out.append(
            line(
                f"2{name} ledger_cards, scheme three",
                f"{rows:,}",
                f"{t['seconds']:.3f}",
                f"{t['rows_per_s']:,.0f}",
                f"{f['ratio']:,.0f}× row 1{name} (scaled)",
            )
        )
    out += [
        line(
            "3  ledger_cards, scheme four (A)",
            f"{rows:,}",
            f"{cards_four['seconds']:.3f}",
            f"{cards_four['rows_per_s']:,.0f}",
            "",
        ),
        line(
            "4  card_counts + red_list (A)",
            f"{rows:,}",
            f"{counts_t['seconds']:.3f}",
            f"{counts_t['rows_per_s']:,.0f}",
            "on the result of 2A",
        ),
        "-" * width,
    ]
    for name, f in (("A", a), ("B", b)):
        t = f["targets"]
        out.append(
            f"targets {name}  : row 2{name} ≤ {TARGET_SECONDS:g} s: {t['seconds']['value']:.3f} s, "
            f"{verdict(t['seconds']['met'])}; ratio ≥ {TARGET_RATIO:g}×: {t['ratio']['value']:,.0f}×, "
            f"{verdict(t['ratio']['met'])}"
        )
    out += [
        f"check      : baseline and ledger_cards disagree on {a['checks']['disagreements']} (A) and "
        f"{b['checks']['disagreements']} (B) of {sample_size:,} sampled rows (card, days left, working days "
        f"left; B's sample counts working days on {b['checks']['sample_workdays_counted']:,} rows)",
        f"run        : {run_seconds:.1f} s; loadavg at end: "
        + " ".join(f"{x:.2f}" for x in machine["loadavg_at_end"]),
        "=" * width,
    ]
    print("\n".join(out))

    result = {
        "quick": args.quick,
        "machine": machine,
        "pack": {"ref": pack.ref, "path": str(PACK_DIR.relative_to(ROOT))},
        "seed": args.seed,
        "rows": rows,
        "sample_rows": sample_size,
        "as_of": AS_OF.isoformat(),
        "due_range": [DUE_FIRST.isoformat(), DUE_LAST.isoformat()],
        "build_seconds": built,
        "run_seconds": run_seconds,
        "workloads": {
            "A": {"description": "the default pack's rule mix", **a},
            "B": {"description": "every limited item on the 5-working-day rule report_up", **b},
        },
        "ledger_cards_four_A": cards_four,
        "card_counts_and_red_list_A": counts_t,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"results written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
