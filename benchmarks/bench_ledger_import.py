"""Importing a large GBK ledger with ``read_ledger``, against baselines measured in the same run.

Run from anywhere::

    python benchmarks/bench_ledger_import.py            # 1,000,000 rows (the file is about 400 MB)
    python benchmarks/bench_ledger_import.py --quick    # 100,000 rows, a smoke run
    python benchmarks/bench_ledger_import.py --json OUT.json --seed 7 --rows 500000

Set-up (not timed): ``--base`` ledger items (20,000) are generated with the seed from the default pack,
turned into the rows ``xfkit generate ledger`` writes (every column of ``toolkit.ledger.export.COLUMNS``,
summaries in full) and repeated with distinct ids (``<id>-R<k>``) up to ``--rows``. The rows are written
to a temporary folder twice: as GBK CSV (what Excel or WPS on a Chinese Windows saves as "CSV") and as
UTF-8 CSV with a byte-order mark (what ``write_ledger`` writes).

Measured, each the best of 3 with ``time.perf_counter`` (the naive baseline once per pass):

1. baseline: ``pandas.read_csv(path, encoding="gbk", dtype=str)`` alone: every column as text, no
   mapping, no checks;
2. baseline: a naive importer: ``csv.reader`` over the GBK file, one dict per row, labels to codes with
   dict lookups, every date with ``datetime.strptime``, on the first 100,000 rows (``--quick``: 10,000),
   scaled linearly to the full row count;
3. ``read_ledger`` on the GBK file (detects the encoding, maps every column, checks every row, builds
   the canonical frame);
4. ``read_ledger`` on the UTF-8 file.

The target is row 3 ≤ 5 s for 1,000,000 rows on the project's 2-core machine (printed as ``met`` /
``not met``; indicative with ``--quick``). Timings are printed and written to
``benchmarks/results/ledger_import.json``, never asserted. The machine is shared: the load average at
the start and end is recorded, and a run made while it was busy should be repeated.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from timing import best_of  # benchmarks/timing.py, beside this script

from toolkit import __version__ as toolkit_version
from toolkit.domain.codes import Category, Channel, ItemStatus, RouteAction
from toolkit.generate.cases import CaseGenerator
from toolkit.generate.ledger import ledger_items
from toolkit.ledger.export import ledger_table
from toolkit.ledger.frame import ledger_frame
from toolkit.ledger.importer import read_ledger
from toolkit.packs import Pack, load_pack

ROOT = Path(__file__).resolve().parents[1]
PACK_DIR = ROOT / "scenarios" / "default"
DEFAULT_JSON = ROOT / "benchmarks" / "results" / "ledger_import.json"

FULL_ROWS = 1_000_000
NAIVE_ROWS = 100_000
REPEATS = 3
TARGET_SECONDS = 5.0


def build_table(pack: Pack, seed: int, base: int, rows: int) -> tuple[pd.DataFrame, dict[str, int]]:
    """The rows ``write_ledger`` writes for ``base`` generated items, repeated up to ``rows``."""
    items = list(ledger_items(CaseGenerator(pack), seed, base))
    one = ledger_table(ledger_frame(items, pack=pack), pack)
    one["训练包"] = pack.ref
    one["种子"] = str(seed)
    reps = -(-rows // len(one))
    table = pd.concat([one] * reps, ignore_index=True).head(rows)
    copy = np.repeat(np.arange(reps), len(one))[:rows]
    table["编号"] = table["编号"] + pd.Series([f"-R{k:03d}" for k in copy], dtype="str")
    statuses = table["状态代码"].value_counts()
    return table, {s.value: int(statuses.get(s.value, 0)) for s in ItemStatus}


def naive_import(path: Path, limit: int) -> int:
    """What a first attempt would do: one row at a time, ``strptime`` for every date."""
    labels = {m.zh: m.value for enum in (Channel, Category, RouteAction, ItemStatus) for m in enum}

    def day(text: str) -> date | None:
        return datetime.strptime(text, "%Y-%m-%d").date() if text else None

    out = []
    with path.open(encoding="gbk", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        for n, row in enumerate(reader):
            if n == limit:
                break
            cells = dict(zip(header, row, strict=False))
            out.append(
                {
                    "id": cells["编号"],
                    "received": day(cells["收件日期"]),
                    "channel": labels.get(cells["来源渠道"], ""),
                    "reporter_name": "" if cells["反映人"] == "匿名" else cells["反映人"],
                    "accused_name": cells["被反映人"],
                    "accused_unit": cells["被反映人单位"],
                    "category": labels[cells["问题类别"]],
                    "route_action": labels.get(cells["分办方式"], ""),
                    "handler_unit": cells["承办单位代码"],
                    "due": day(cells["办理期限"]),
                    "status": labels[cells["办理状态"]],
                    "closed": day(cells["办结日期"]),
                    "summary": cells["内容摘要"],
                }
            )
    return len(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="100,000 rows (a smoke run)")
    parser.add_argument("--rows", type=int, default=None, help=f"rows in the file (default {FULL_ROWS:,})")
    parser.add_argument("--base", type=int, default=20_000, help="generated items repeated (default 20,000)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the generated items (default 7)")
    parser.add_argument(
        "--json", type=Path, default=DEFAULT_JSON, help=f"results file (default {DEFAULT_JSON})"
    )
    args = parser.parse_args(argv)
    rows = args.rows or (FULL_ROWS // 10 if args.quick else FULL_ROWS)
    naive_rows = min(rows, NAIVE_ROWS // 10 if args.quick else NAIVE_ROWS)
    machine = {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
        "loadavg_at_start": os.getloadavg(),
        "pandas": pd.__version__,
        "numpy": np.__version__,
        "toolkit": toolkit_version,
    }
    wall = time.perf_counter()
    pack = load_pack(PACK_DIR)
    start = time.perf_counter()
    table, statuses = build_table(pack, args.seed, min(args.base, rows), rows)
    setup = {"generate_and_repeat_seconds": time.perf_counter() - start}
    print(f"xfkit ledger import benchmark: {rows:,} rows, pack {pack.ref}, seed {args.seed}", flush=True)
    print(
        f"machine: {machine['platform']}, Python {machine['python']}, {machine['cpu_count']} CPUs, "
        f"load {machine['loadavg_at_start'][0]:.2f}, pandas {machine['pandas']}"
    )

    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="xfkit-bench-") as folder:
        gbk = Path(folder) / "ledger-gbk.csv"
        utf8 = Path(folder) / "ledger-utf8.csv"
        start = time.perf_counter()
        gbk.write_bytes(table.to_csv(index=False, lineterminator="\n").encode("gbk"))
        table.to_csv(utf8, index=False, encoding="utf-8-sig", lineterminator="\n")
        setup["write_files_seconds"] = time.perf_counter() - start
        sizes = {"gbk_bytes": gbk.stat().st_size, "utf8_bytes": utf8.stat().st_size}
        print(
            f"files: GBK {sizes['gbk_bytes'] / 1e6:.0f} MB, UTF-8 {sizes['utf8_bytes'] / 1e6:.0f} MB "
            f"(set-up {sum(setup.values()):.1f} s)",
            flush=True,
        )
        del table

        def frame_rows(path: Path) -> int:
            frame = read_ledger(path, pack)
            assert len(frame) == rows and frame["id"].is_unique
            counts = frame["status"].value_counts()
            assert {s: int(counts.get(s, 0)) for s in statuses} == statuses
            return len(frame)

        read_ledger(gbk, pack)  # warm-up: imports, caches, the file in the page cache
        measured: list[tuple[str, str, Callable[[], int]]] = [
            (
                "1",
                "pandas.read_csv(gbk, dtype=str) alone",
                lambda: len(pd.read_csv(gbk, encoding="gbk", dtype=str)),
            ),
            (
                "2",
                f"naive csv + strptime ({naive_rows:,} rows, scaled)",
                lambda: naive_import(gbk, naive_rows),
            ),
            ("3", "read_ledger, GBK CSV", lambda: frame_rows(gbk)),
            ("4", "read_ledger, UTF-8 (BOM) CSV", lambda: frame_rows(utf8)),
        ]
        for key, label, run in measured:
            result = best_of(run, REPEATS, "row")
            if key == "2":
                result["measured_rows"] = result["rows"]
                result["measured_seconds"] = result["seconds"]
                result["seconds"] = result["seconds"] * rows / result["rows"]
                result["rows"] = rows
            result["label"] = label
            results[key] = result
            print(
                f"  {key}. {label:<50} {result['seconds']:8.2f} s  {rows / result['seconds']:>12,.0f} rows/s",
                flush=True,
            )

    ours = results["3"]["seconds"]
    ratios = {
        "read_ledger_gbk_vs_pandas_read_csv": ours / results["1"]["seconds"],
        "naive_vs_read_ledger_gbk": results["2"]["seconds"] / ours,
        "read_ledger_gbk_vs_utf8": ours / results["4"]["seconds"],
    }
    full = rows == FULL_ROWS
    verdict = ("met" if ours <= TARGET_SECONDS else "not met") if full else "not judged (not 1,000,000 rows)"
    machine["loadavg_at_end"] = os.getloadavg()
    print()
    print(
        f"read_ledger (GBK) takes {ratios['read_ledger_gbk_vs_pandas_read_csv']:.2f}× the time of "
        "pandas.read_csv alone, which maps and checks nothing"
    )
    print(f"the naive importer takes {ratios['naive_vs_read_ledger_gbk']:.1f}× the time of read_ledger (GBK)")
    print(f"GBK against UTF-8: {ratios['read_ledger_gbk_vs_utf8']:.2f}×")
    print(f"target: 1,000,000-row GBK CSV in ≤ {TARGET_SECONDS:g} s: {verdict} ({ours:.2f} s)")
    print(
        f"load average at the end {machine['loadavg_at_end'][0]:.2f}; "
        f"wall time {time.perf_counter() - wall:.0f} s"
    )

    report = {
        "rows": rows,
        "quick": args.quick,
        "seed": args.seed,
        "base_items": min(args.base, rows),
        "pack": pack.ref,
        "machine": machine,
        "setup": setup,
        "files": sizes,
        "statuses": statuses,
        "results": results,
        "ratios": ratios,
        "target": {"seconds": TARGET_SECONDS, "value": ours, "verdict": verdict},
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"results written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
