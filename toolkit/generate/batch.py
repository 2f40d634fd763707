"""Large batches of cases as JSON lines, optionally over several processes.

Each case depends only on (pack, seed, index), so chunks can be made anywhere and joined in index
order: the output is byte-identical whatever the number of workers.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from toolkit.domain.codes import Level
from toolkit.domain.models import Case
from toolkit.generate.cases import CaseGenerator
from toolkit.packs import load_pack, resolve_pack

CHUNK = 2000
_worker_gen: CaseGenerator | None = None


def case_json(case: Case) -> str:
    """One JSONL line: UTF-8 text, keys in a fixed order, no trailing newline."""
    return json.dumps(case.to_dict(), ensure_ascii=False, separators=(",", ":"))


def case_lines(
    pack: str | Path, seed: int, count: int, level: Level | None, *, workers: int = 1
) -> Iterator[str]:
    """JSON lines for cases ``0..count-1`` made with ``seed``."""
    folder = resolve_pack(pack)
    if workers <= 1 or count <= CHUNK:
        gen = CaseGenerator(load_pack(folder))
        for case in gen.cases(seed, count, level):
            yield case_json(case)
        return
    load_pack(folder)  # fail here, with the pack's own message, before starting processes
    starts = range(0, count, CHUNK)
    jobs = [(str(folder), seed, start, min(CHUNK, count - start), level) for start in starts]
    with ProcessPoolExecutor(max_workers=workers, initializer=_init, initargs=(str(folder),)) as pool:
        for chunk in pool.map(_chunk, jobs):
            yield from chunk


def _init(folder: str) -> None:
    global _worker_gen
    _worker_gen = CaseGenerator(load_pack(folder))


def _chunk(job: tuple[str, int, int, int, Level | None]) -> list[str]:
    _, seed, start, n, level = job
    assert _worker_gen is not None
    return [case_json(c) for c in _worker_gen.cases(seed, n, level, start=start)]
