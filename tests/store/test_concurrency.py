"""Many processes writing at once: no "database is locked", no lost or doubled rows."""

from __future__ import annotations

from collections import Counter
from functools import partial
from multiprocessing.synchronize import Barrier

from spawned import run_in_processes

from toolkit.store import Store

PROCESSES = 8
PER_PROCESS = 200


def _write_many(url: str, worker: int, barrier: Barrier) -> None:
    """Open a Store of its own, wait for the others, add submissions one write transaction each."""
    with Store.open(url) as store:
        barrier.wait(timeout=300)
        for i in range(PER_PROCESS):
            store.add_submission(
                app="concurrency",
                actor=f"worker-{worker}",
                item_id=f"item-{i:03d}",
                pack="default@1.0.0",
                seed=i,
                payload={"worker": worker, "i": i},
            )


def test_concurrent_writers_from_many_processes(store_url: str) -> None:
    Store.open(store_url).close()  # the schema exists before the race; migrating at once is tested apart
    errors = run_in_processes(partial(_write_many, store_url), PROCESSES)
    assert errors == [], "\n".join(errors)

    with Store.open(store_url) as store:
        rows = store.submissions(app="concurrency")
    assert len(rows) == PROCESSES * PER_PROCESS == 1600
    counts = Counter((s.actor, s.item_id) for s in rows)
    expected = {(f"worker-{w}", f"item-{i:03d}") for w in range(PROCESSES) for i in range(PER_PROCESS)}
    assert set(counts) == expected
    assert set(counts.values()) == {1}
    assert len({s.id for s in rows}) == len(rows)
