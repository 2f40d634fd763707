"""Load: simulated contestants join a competition and submit through a real ``xfkit serve``.

Run from anywhere::

    python benchmarks/bench_load.py                      # 100 contestants × 10 quiz items
    python benchmarks/bench_load.py --contestants 20 --items 5 --ramp 20
    python benchmarks/bench_load.py --json OUT.json

One server (SQLite store, preheated pages) on loopback. Every contestant is a widget-protocol client
(:mod:`toolkit.widget_client`): it requests the contest page with the join code, opens the kernel's
websocket, types a name, joins, and answers each item after a seeded pause of ``think`` seconds on average,
exactly the messages a browser sends (no browser is drawn). Arrivals are spread evenly over ``ramp``
seconds; the trainer starts the round once all have joined.

Figures (printed, never asserted):

* join p50/p95/max: page request → the page shows the contestant's name and number;
* submit → stored p50/p95/max: the click → the page's progress line counts the item (it moves only after
  the answer and its score are committed);
* submissions lost: acknowledged by a page but missing from the store (must be 0), duplicates;
* memory: peak resident memory of the server, of all kernels, and per kernel (``psutil``);
* targets, for 100 contestants on a 2-core machine: p95 submit → stored ≤ 250 ms, p95 join ≤ 3 s, 0 lost;
* the baseline, in the same run and on the same server: ONE contestant alone, before the crowd; the
  ratios are the crowd's p95 over the lone contestant's figure.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil
from timing import save_results  # benchmarks/timing.py, beside this script

from toolkit import __version__ as toolkit_version
from toolkit.competition.model import CompetitionSpec, RoundSpec
from toolkit.competitions import create_competition, record_action, spec_of
from toolkit.loadtest import ContestantRun, check_store, run_contestants, summarise
from toolkit.packs import load_pack
from toolkit.serve_process import ServerProcess, kernel_processes, start, wait_warm
from toolkit.store import Store, default_url

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_JSON = ROOT / "benchmarks" / "results" / "load.json"
MB = 1024 * 1024


class MemoryWatch:
    """Samples the server's and its kernels' resident memory every ``every_s`` seconds, keeping peaks."""

    def __init__(self, pid: int, every_s: float = 0.5) -> None:
        self.root = psutil.Process(pid)
        self.every_s = every_s
        self.peak_server = self.peak_kernels = self.peak_total = 0.0
        self.peak_count = 0
        self.per_kernel: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> tuple[float, list[float]]:
        server = self.root.memory_info().rss / MB
        kernels = []
        for kernel in kernel_processes(self.root.pid):
            try:
                kernels.append(kernel.memory_info().rss / MB)
            except psutil.Error:
                continue
        return server, kernels

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                server, kernels = self.sample()
            except psutil.Error:
                return
            self.peak_server = max(self.peak_server, server)
            self.peak_kernels = max(self.peak_kernels, sum(kernels))
            self.peak_total = max(self.peak_total, server + sum(kernels))
            if len(kernels) >= self.peak_count:
                self.peak_count = len(kernels)
                self.per_kernel = kernels
            self._stop.wait(self.every_s)

    def __enter__(self) -> MemoryWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def figures(self) -> dict[str, Any]:
        per = sorted(self.per_kernel)
        return {
            "peak_server_mb": round(self.peak_server, 1),
            "peak_kernels_mb": round(self.peak_kernels, 1),
            "peak_total_mb": round(self.peak_total, 1),
            "peak_kernel_count": self.peak_count,
            "kernel_mb_median": round(per[len(per) // 2], 1) if per else None,
            "kernel_mb_max": round(per[-1], 1) if per else None,
        }


def new_competition(data: Path, items: int, name: str) -> tuple[str, Any]:
    """A competition with one quiz round of ``items`` questions (30 minutes) in the server's store."""
    pack = load_pack("default")
    with Store.open(default_url(data)) as store:
        record = create_competition(
            store, CompetitionSpec(name, pack.name, 11, (RoundSpec("quiz", items, 30),)), pack
        )
    return record.code, record


def starter(data: Path, record: Any) -> Any:
    def start_round() -> None:
        with Store.open(default_url(data)) as store:
            record_action(store, record, spec_of(record), 1, "start")

    return start_round


def crowd(
    server: ServerProcess, contestants: int, items: int, ramp_s: float, think_s: float, label: str
) -> tuple[list[ContestantRun], dict[str, Any], float]:
    code, record = new_competition(server.data, items, label)
    began = time.perf_counter()
    with MemoryWatch(server.process.pid) as watch:
        runs = asyncio.run(
            run_contestants(
                server.url,
                code,
                contestants,
                items,
                start_round=starter(server.data, record),
                ramp_s=ramp_s,
                think_s=think_s,
                seed=7,
                prefix=label,
            )
        )
    elapsed = time.perf_counter() - began
    check = check_store(default_url(server.data), code, runs)
    return runs, {**summarise(runs).to_dict(), **vars(check), **watch.figures()}, elapsed


def run(contestants: int, items: int, ramp_s: float, think_s: float, pool: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="xfkit-load-") as tmp:
        server = start(
            Path(tmp),
            "--trainer-secret",
            "load",
            "--contest-pool",
            str(pool),
            "--max-kernels",
            str(max(contestants, pool) + 12),
            cwd=ROOT,
        )
        try:
            warm_s = wait_warm(server, {"contest.ipynb": pool})
            _, alone, _ = crowd(server, 1, items, 0, think_s, "solo")
            runs, figures, elapsed = crowd(server, contestants, items, ramp_s, think_s, "p")
        finally:
            server.stop()
            # kept for a post-mortem of any failed page (the temporary folder goes away)
            shutil.copyfile(server.log, DEFAULT_JSON.parent / "load-server.log")
    errors = sorted({r.error for r in runs if r.error})
    ratio = {
        "join_p95_over_alone": _ratio(figures["join_p95_s"], alone["join_p50_s"]),
        "submit_p95_over_alone": _ratio(figures["submit_p95_ms"], alone["submit_p50_ms"]),
    }
    return {
        "settings": {
            "contestants": contestants,
            "items": items,
            "ramp_s": ramp_s,
            "think_s": think_s,
            "contest_pool": pool,
        },
        "warm_up_s": round(warm_s, 1),
        "alone": alone,
        "crowd": figures,
        "ratios": ratio,
        "seconds": round(elapsed, 1),
        "errors": errors[:10],
    }


def _ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or not b else round(a / b, 2)


def table(result: dict[str, Any]) -> str:
    a, c = result["alone"], result["crowd"]
    rows = [
        ("contestants (joined / errors)", "1", f"{c['contestants']} ({c['joined']} / {c['errors']})"),
        (
            "join p50 / p95 / max, s",
            f"{a['join_p50_s']}",
            f"{c['join_p50_s']} / {c['join_p95_s']} / {c['join_max_s']}",
        ),
        (
            "of which the page request p50 / p95, s",
            f"{a['page_p50_s']}",
            f"{c['page_p50_s']} / {c['page_p95_s']}",
        ),
        (
            "submit → stored p50 / p95 / max, ms",
            f"{a['submit_p50_ms']}",
            f"{c['submit_p50_ms']} / {c['submit_p95_ms']} / {c['submit_max_ms']}",
        ),
        (
            "submissions sent / acknowledged / stored",
            f"{a['submits']} / {a['acked']} / {a['stored']}",
            f"{c['submits']} / {c['acked']} / {c['stored']}",
        ),
        ("pages reloaded (came without a kernel)", f"{a['reloads']}", f"{c['reloads']}"),
        ("lost / duplicates", f"{a['lost']} / {a['duplicates']}", f"{c['lost']} / {c['duplicates']}"),
        (
            "peak memory: server / kernels / total, MB",
            f"{a['peak_server_mb']} / {a['peak_kernels_mb']} / {a['peak_total_mb']}",
            f"{c['peak_server_mb']} / {c['peak_kernels_mb']} / {c['peak_total_mb']}",
        ),
        (
            "kernels at peak; per kernel median / max, MB",
            f"{a['peak_kernel_count']}; {a['kernel_mb_median']} / {a['kernel_mb_max']}",
            f"{c['peak_kernel_count']}; {c['kernel_mb_median']} / {c['kernel_mb_max']}",
        ),
    ]
    width = max(len(r[0]) for r in rows)
    settings = result["settings"]
    lines = [
        f"{settings['contestants']} contestants × {settings['items']} quiz items, arriving over "
        f"{settings['ramp_s']} s, {settings['think_s']} s per item; {settings['contest_pool']} warm contest "
        f"kernels (ready after {result['warm_up_s']} s)",
        f"{'':{width}}  {'alone':>24}  {'crowd':>32}",
    ]
    lines += [f"{label:{width}}  {alone:>24}  {many:>32}" for label, alone, many in rows]
    r = result["ratios"]
    lines.append(
        f"ratios: join p95 / alone {r['join_p95_over_alone']}×, "
        f"submit p95 / alone {r['submit_p95_over_alone']}×"
    )
    if result["errors"]:
        lines.append("errors: " + "; ".join(result["errors"]))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--contestants", type=int, default=100)
    parser.add_argument("--items", type=int, default=10)
    parser.add_argument("--ramp", type=float, default=100.0, help="seconds over which contestants arrive")
    parser.add_argument("--think", type=float, default=3.0, help="mean seconds between items")
    parser.add_argument(
        "--pool",
        type=int,
        default=None,
        help="warm contest kernels (xfkit serve --contest-pool; default: one each)",
    )
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    args = parser.parse_args()
    pool = args.pool if args.pool is not None else args.contestants + 1  # the lone contestant's too
    result = run(args.contestants, args.items, args.ramp, args.think, pool)
    print(table(result))
    save_results(args.json, "load", toolkit_version, **result)


if __name__ == "__main__":
    main()
