"""Timing helpers the throughput benchmarks share: best of n runs, and counting what an iterator yields."""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any


def best_of(run: Callable[[], int], repeats: int, unit: str) -> dict[str, Any]:
    """Run ``run`` (which returns how many ``unit``s it handled) ``repeats`` times; keep every time.

    The result names its figures after the unit, e.g. for ``"case"``: ``cases``, ``cases_per_s`` and
    ``us_per_case``, besides ``seconds`` (the best), ``all_seconds`` and ``repeats``.
    """
    times = []
    count = 0
    for _ in range(repeats):
        start = time.perf_counter()
        count = run()
        times.append(time.perf_counter() - start)
    best = min(times)
    return {
        f"{unit}s": count,
        "seconds": best,
        "all_seconds": times,
        "repeats": repeats,
        f"{unit}s_per_s": count / best,
        f"us_per_{unit}": best / count * 1e6,
    }


def drain(items: Iterable[object]) -> int:
    """Consume ``items``; how many there were."""
    n = 0
    for _ in items:
        n += 1
    return n


def save_results(path: Path, benchmark: str, version: str, **figures: Any) -> None:
    """Write a benchmark's figures as JSON with the date, versions and machine, and say where."""
    out = {
        "benchmark": benchmark,
        "date": date.today().isoformat(),
        "xfkit": version,
        "python": sys.version.split()[0],
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count()},
        **figures,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"wrote {path}")
