"""Run one function in several fresh ("spawn") processes that start their work at the same moment."""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Callable
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier

#: generous guard against a hung worker, never a timing assertion
GUARD_SECONDS = 900


def _child(
    queue: Queue[tuple[int, str | None]], barrier: Barrier, fn: Callable[[int, Barrier], None], index: int
) -> None:
    try:
        fn(index, barrier)
    except BaseException:
        barrier.abort()  # the others stop waiting for this one at once
        queue.put((index, traceback.format_exc()))
    else:
        queue.put((index, None))


def run_in_processes(fn: Callable[[int, Barrier], None], count: int) -> list[str]:
    """Call ``fn(index, barrier)`` in ``count`` spawned processes; return the tracebacks of those that failed.

    ``fn`` must be a module-level function; it calls ``barrier.wait()`` when it is ready, so that all
    processes do the part under test together.
    """
    ctx = multiprocessing.get_context("spawn")
    queue: Queue[tuple[int, str | None]] = ctx.Queue()
    barrier = ctx.Barrier(count)
    procs = [ctx.Process(target=_child, args=(queue, barrier, fn, i)) for i in range(count)]
    for p in procs:
        p.start()
    try:
        results = dict(queue.get(timeout=GUARD_SECONDS) for _ in procs)
    finally:
        for p in procs:
            p.join(timeout=GUARD_SECONDS)
    errors = [f"process {i}:\n{err}" for i, err in sorted(results.items()) if err is not None]
    errors += [f"process {i} exited with {p.exitcode}" for i, p in enumerate(procs) if p.exitcode != 0]
    return errors
