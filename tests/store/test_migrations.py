"""Migrations: empty database to the current schema, idempotent, too-new refused, concurrent starts."""

from __future__ import annotations

from functools import partial
from multiprocessing.synchronize import Barrier

import pytest
import sqlalchemy as sa
from spawned import run_in_processes

from toolkit.errors import StoreVersionError
from toolkit.store import LATEST, Store, current_version, make_engine, migrate
from toolkit.store.migrations import MIGRATIONS
from toolkit.store.schema import schema_migrations


def test_versions_are_numbered_one_by_one() -> None:
    assert [version for version, _, _ in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))
    assert LATEST == len(MIGRATIONS)


def test_empty_database_is_migrated_to_the_current_schema(store_url: str) -> None:
    engine = make_engine(store_url)
    try:
        assert current_version(engine) == 0
        assert migrate(engine) == [version for version, _, _ in MIGRATIONS]
        assert current_version(engine) == LATEST
        tables = set(sa.inspect(engine).get_table_names())
        assert {"schema_migrations", "submissions", "scores", "events"} <= tables
        columns = {c["name"] for c in sa.inspect(engine).get_columns("submissions")}
        assert columns == {"id", "app", "actor", "item_id", "pack", "seed", "payload", "created_at"}
        with engine.connect() as conn:
            recorded = conn.execute(sa.select(schema_migrations)).mappings().all()
        assert [r["version"] for r in recorded] == [version for version, _, _ in MIGRATIONS]
        assert all(r["description"] and r["applied_at"].tzinfo is not None for r in recorded)
        # running again is a no-op
        assert migrate(engine) == []
        assert current_version(engine) == LATEST
        with engine.connect() as conn:
            assert conn.scalar(sa.select(sa.func.count()).select_from(schema_migrations)) == len(MIGRATIONS)
    finally:
        engine.dispose()


def test_database_from_a_newer_toolkit_is_refused(store_url: str) -> None:
    Store.open(store_url).close()
    engine = make_engine(store_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                sa.insert(schema_migrations).values(version=LATEST + 7, description="from the future")
            )
        with pytest.raises(StoreVersionError, match=f"schema version {LATEST + 7}, newer than this xfkit"):
            migrate(engine)
    finally:
        engine.dispose()
    with pytest.raises(StoreVersionError):
        Store.open(store_url)


def _open(url: str, index: int, barrier: Barrier) -> None:
    barrier.wait(timeout=300)
    Store.open(url).close()


def test_several_processes_migrating_at_once_apply_each_version_once(store_url: str) -> None:
    errors = run_in_processes(partial(_open, store_url), 8)
    assert errors == [], "\n".join(errors)
    engine = make_engine(store_url)
    try:
        assert current_version(engine) == LATEST
        with engine.connect() as conn:
            versions = conn.scalars(sa.select(schema_migrations.c.version)).all()
        assert sorted(versions) == [version for version, _, _ in MIGRATIONS]
    finally:
        engine.dispose()
