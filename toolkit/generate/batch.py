"""Large batches of cases as JSON lines, optionally over several processes.

Each case depends only on (pack, seed, index), so chunks can be made anywhere and joined in index
order: the output is byte-identical whatever the number of workers. Workers write their chunks to part
files next to the output and the parent joins them, so no case text crosses a process boundary.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import BinaryIO

import orjson

from toolkit.domain.codes import Level
from toolkit.domain.models import Case
from toolkit.generate.cases import CaseGenerator
from toolkit.packs import load_pack, resolve_pack

CHUNK = 5000
_worker_gen: CaseGenerator | None = None


def case_bytes(case: Case) -> bytes:
    """One JSONL line as UTF-8 bytes: compact, keys in a fixed order, no trailing newline."""
    return orjson.dumps(case.to_dict())


def case_json(case: Case) -> str:
    """:func:`case_bytes` as text."""
    return case_bytes(case).decode("utf-8")


def case_lines(pack: str | Path, seed: int, count: int, level: Level | None) -> Iterator[bytes]:
    """JSON lines (bytes, newline-terminated) for cases ``0..count-1`` made with ``seed``, in this process."""
    gen = CaseGenerator(load_pack(resolve_pack(pack)))
    for case in gen.cases(seed, count, level):
        yield orjson.dumps(case.to_dict(), option=orjson.OPT_APPEND_NEWLINE)


def write_cases(
    pack: str | Path,
    seed: int,
    count: int,
    level: Level | None,
    out: BinaryIO,
    *,
    workers: int = 1,
    progress: Callable[[int], object] | None = None,
) -> int:
    """Write cases ``0..count-1`` as JSON lines to ``out``; returns how many were written.

    ``progress`` is called with the number of cases finished since its last call.
    """
    folder = resolve_pack(pack)
    if workers <= 1 or count <= CHUNK:
        for i, line in enumerate(case_lines(folder, seed, count, level), 1):
            out.write(line)
            if progress is not None and i % 1000 == 0:
                progress(1000)
        if progress is not None and count % 1000:
            progress(count % 1000)
        return count
    load_pack(folder)  # fail here, with the pack's own message, before starting processes
    with tempfile.TemporaryDirectory(prefix="xfkit-parts-") as parts:
        jobs = [(parts, seed, start, min(CHUNK, count - start), level) for start in range(0, count, CHUNK)]
        with ProcessPoolExecutor(max_workers=workers, initializer=_init, initargs=(str(folder),)) as pool:
            for job, part in zip(jobs, pool.map(_chunk, jobs), strict=True):
                with open(part, "rb") as fh:
                    shutil.copyfileobj(fh, out, 1 << 20)
                if progress is not None:
                    progress(job[3])
    return count


def _init(folder: str) -> None:
    global _worker_gen
    _worker_gen = CaseGenerator(load_pack(folder))


def _chunk(job: tuple[str, int, int, int, Level | None]) -> str:
    parts, seed, start, n, level = job
    assert _worker_gen is not None
    path = Path(parts) / f"{start:09d}.jsonl"
    with path.open("wb") as fh:
        for case in _worker_gen.cases(seed, n, level, start=start):
            fh.write(orjson.dumps(case.to_dict(), option=orjson.OPT_APPEND_NEWLINE))
    return str(path)
