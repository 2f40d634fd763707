"""Numbered schema migrations, applied in order and recorded in ``schema_migrations``.

:data:`MIGRATIONS` is the one list: ``(version, description, function)``, versions 1, 2, 3 ... with no
gaps. A function takes the open connection of its own write transaction and uses SQLAlchemy Core DDL
that works on SQLite and PostgreSQL alike (dialect-specific statements only where the two differ, such
as triggers). A migration, once released, is never edited: a change to the schema is a new migration
(and if it changes a table created by an earlier one, that earlier one must keep its own copy of the
old definition instead of the ``Table`` objects in :mod:`toolkit.store.schema`).

Several processes may start at once (Voila spawns one kernel per user): each migration runs in a
transaction that first takes the database's write lock (``BEGIN IMMEDIATE`` on SQLite,
``pg_advisory_xact_lock`` on PostgreSQL) and only then looks at which versions are recorded, so every
migration is applied exactly once and the others wait and find nothing to do.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from toolkit.errors import StoreVersionError
from toolkit.store.engine import read_transaction, write_transaction
from toolkit.store.schema import (
    UTCDateTime,
    audits,
    competitions,
    contest_item_unique,
    contestants,
    events,
    round_events,
    schema_migrations,
    scores,
    server_now,
)

Migration = tuple[int, str, Callable[[Connection], None]]

#: key of the PostgreSQL advisory lock that serialises migrations ("xfkit_mg" as a 64-bit integer)
PG_LOCK_KEY = 0x7866_6B69_745F_6D67

# RAISE(ABORT) rolls back the statement and reports SQLITE_CONSTRAINT: "append-only: ..."
_SQLITE_APPEND_ONLY: tuple[str, ...] = (
    "CREATE TRIGGER submissions_no_update BEFORE UPDATE ON submissions "
    "BEGIN SELECT RAISE(ABORT, 'append-only: submissions cannot be updated'); END",
    "CREATE TRIGGER submissions_no_delete BEFORE DELETE ON submissions "
    "BEGIN SELECT RAISE(ABORT, 'append-only: submissions cannot be deleted'); END",
    "CREATE TRIGGER scores_no_update BEFORE UPDATE ON scores "
    "BEGIN SELECT RAISE(ABORT, 'append-only: scores cannot be updated'); END",
    "CREATE TRIGGER scores_no_delete BEFORE DELETE ON scores "
    "BEGIN SELECT RAISE(ABORT, 'append-only: scores cannot be deleted'); END",
)

# static text, no percent signs (the psycopg driver reads them as placeholders)
_PG_APPEND_ONLY: tuple[str, ...] = (
    "CREATE FUNCTION xfkit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $body$ "
    "BEGIN RAISE EXCEPTION USING MESSAGE = 'append-only: ' || TG_TABLE_NAME || ' cannot be changed ('"
    " || TG_OP || ')'; END $body$",
    "CREATE TRIGGER submissions_append_only BEFORE UPDATE OR DELETE ON submissions "
    "FOR EACH ROW EXECUTE FUNCTION xfkit_refuse_change()",
    "CREATE TRIGGER submissions_no_truncate BEFORE TRUNCATE ON submissions "
    "FOR EACH STATEMENT EXECUTE FUNCTION xfkit_refuse_change()",
    "CREATE TRIGGER scores_append_only BEFORE UPDATE OR DELETE ON scores "
    "FOR EACH ROW EXECUTE FUNCTION xfkit_refuse_change()",
    "CREATE TRIGGER scores_no_truncate BEFORE TRUNCATE ON scores "
    "FOR EACH STATEMENT EXECUTE FUNCTION xfkit_refuse_change()",
)


#: ``submissions`` as migration 1 made it (migration 3 added an index to the current definition)
_submissions_v1 = sa.Table(
    "submissions",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("app", sa.Text, nullable=False),
    sa.Column("actor", sa.Text, nullable=False),
    sa.Column("item_id", sa.Text, nullable=False),
    sa.Column("pack", sa.Text, nullable=False),
    sa.Column("seed", sa.BigInteger, nullable=True),
    sa.Column("payload", sa.JSON, nullable=False),
    sa.Column("created_at", UTCDateTime(), server_default=server_now(), nullable=False),
    sa.PrimaryKeyConstraint("id", name="pk_submissions"),
    sa.Index("ix_submissions_app_actor", "app", "actor"),
    sa.Index("ix_submissions_item_id", "item_id"),
    sqlite_autoincrement=True,
)


def _m001_initial(conn: Connection) -> None:
    """Submissions, scores and the event log; submissions and scores append-only."""
    for table in (_submissions_v1, scores, events):
        table.create(conn)
    statements = _PG_APPEND_ONLY if conn.dialect.name == "postgresql" else _SQLITE_APPEND_ONLY
    for statement in statements:
        conn.exec_driver_sql(statement)


def _m002_audits(conn: Connection) -> None:
    """Quality audits: one row per audit set-up."""
    audits.create(conn)


def _m003_competitions(conn: Connection) -> None:
    """Competitions, contestants and round events; one contest submission per contestant and item."""
    for table in (competitions, contestants, round_events):
        table.create(conn)
    contest_item_unique.create(conn)


#: every migration, in the order applied
MIGRATIONS: tuple[Migration, ...] = (
    (1, "submissions, scores, events; append-only triggers on submissions and scores", _m001_initial),
    (2, "audits: quality-audit set-ups", _m002_audits),
    (3, "competitions, contestants, round events; unique contest submission per item", _m003_competitions),
)

#: the schema version this code builds
LATEST: int = MIGRATIONS[-1][0]


def migrate(engine: Engine) -> list[int]:
    """Bring the database up to :data:`LATEST`.

    Parameters
    ----------
    engine
        From :func:`toolkit.store.make_engine`.

    Returns
    -------
    list of int
        The versions applied by this call, in order; empty when the database was already current
        (or another process got there first).

    Raises
    ------
    StoreVersionError
        The database records a version this code does not know (made by a newer xfkit).
    """
    with write_transaction(engine) as conn:
        _lock(conn)
        schema_migrations.create(conn, checkfirst=True)
        _refuse_unknown(_applied(conn))
    applied: list[int] = []
    for version, description, apply in MIGRATIONS:
        with write_transaction(engine) as conn:
            _lock(conn)
            done = _applied(conn)
            _refuse_unknown(done)
            if version in done:
                continue
            apply(conn)
            conn.execute(sa.insert(schema_migrations).values(version=version, description=description))
        applied.append(version)
    return applied


def current_version(engine: Engine) -> int:
    """The highest migration recorded in the database, 0 for an empty one."""
    with read_transaction(engine) as conn:
        if not sa.inspect(conn).has_table(schema_migrations.name):
            return 0
        version = conn.scalar(sa.select(sa.func.max(schema_migrations.c.version)))
        return int(version) if version is not None else 0


def _lock(conn: Connection) -> None:
    """Serialise migrations; on SQLite the write transaction's BEGIN IMMEDIATE already did."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(sa.literal(PG_LOCK_KEY, sa.BigInteger))))


def _applied(conn: Connection) -> set[int]:
    return set(conn.scalars(sa.select(schema_migrations.c.version)))


def _refuse_unknown(done: Collection[int]) -> None:
    known = {version for version, _, _ in MIGRATIONS}
    unknown = sorted(set(done) - known)
    if unknown:
        raise StoreVersionError(
            f"the database has schema version {max(unknown)}, newer than this xfkit knows "
            f"(up to {LATEST}); upgrade xfkit, or point XFKIT_DB at another database"
        )
