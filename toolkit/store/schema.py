"""The tables, as SQLAlchemy Core ``Table`` objects (the current schema; migrations build it).

Every ``created_at`` is set by the database server when the row is inserted, never by the client, and is
read back as a timezone-aware UTC ``datetime``. On SQLite the server clock is read with millisecond
resolution (``strftime('%Y-%m-%d %H:%M:%f', 'now')``, UTC); on PostgreSQL it is ``now()``, the start of
the inserting transaction, with microsecond resolution. Competition rows (round events, contest
submissions) instead store the :class:`clock_now` read inside their transaction after its locks were
taken, so the time a timing check saw is the time stored.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """A timestamp with time zone, always returned as an aware UTC ``datetime``."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a timestamp with time zone")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime from the database, got {type(value).__name__}")
        # SQLite hands back the UTC text it stored, without an offset
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class server_now(FunctionElement[datetime]):
    """The database server's current time, for ``server_default``."""

    type = UTCDateTime()
    inherit_cache = True


@compiles(server_now)
def _server_now_default(element: server_now, compiler: SQLCompiler, **kw: Any) -> str:
    return "CURRENT_TIMESTAMP"


@compiles(server_now, "postgresql")
def _server_now_postgresql(element: server_now, compiler: SQLCompiler, **kw: Any) -> str:
    return "now()"


@compiles(server_now, "sqlite")
def _server_now_sqlite(element: server_now, compiler: SQLCompiler, **kw: Any) -> str:
    # CURRENT_TIMESTAMP has whole seconds only; %f gives seconds with milliseconds
    return "strftime('%Y-%m-%d %H:%M:%f', 'now')"


class clock_now(FunctionElement[datetime]):
    """The database server's clock as a statement runs (PostgreSQL's ``now()`` is fixed per transaction)."""

    type = UTCDateTime()
    inherit_cache = True


@compiles(clock_now)
def _clock_now_default(element: clock_now, compiler: SQLCompiler, **kw: Any) -> str:
    return "CURRENT_TIMESTAMP"


@compiles(clock_now, "postgresql")
def _clock_now_postgresql(element: clock_now, compiler: SQLCompiler, **kw: Any) -> str:
    return "clock_timestamp()"


@compiles(clock_now, "sqlite")
def _clock_now_sqlite(element: clock_now, compiler: SQLCompiler, **kw: Any) -> str:
    # 'now' is fixed for one statement, not for the transaction
    return "strftime('%Y-%m-%d %H:%M:%f', 'now')"


def _created_at() -> sa.Column[datetime]:
    return sa.Column("created_at", UTCDateTime(), server_default=server_now(), nullable=False)


schema_migrations = sa.Table(
    "schema_migrations",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("applied_at", UTCDateTime(), server_default=server_now(), nullable=False),
)

#: what a learner, contestant or reviewer handed in; append-only
submissions = sa.Table(
    "submissions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("app", sa.Text, nullable=False),
    sa.Column("actor", sa.Text, nullable=False),
    sa.Column("item_id", sa.Text, nullable=False),
    sa.Column("pack", sa.Text, nullable=False),
    sa.Column("seed", sa.BigInteger, nullable=True),
    sa.Column("payload", sa.JSON, nullable=False),
    _created_at(),
    sa.Index(None, "app", "actor"),
    sa.Index(None, "item_id"),
    sqlite_autoincrement=True,
)

#: the score computed for one submission; append-only
scores = sa.Table(
    "scores",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("submission_id", sa.Integer, sa.ForeignKey("submissions.id"), nullable=False, index=True),
    sa.Column("payload", sa.JSON, nullable=False),
    _created_at(),
    sqlite_autoincrement=True,
)

#: audit log of refused or forged actions
events = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.Text, nullable=False, index=True),
    sa.Column("actor", sa.Text, nullable=False),
    sa.Column("detail", sa.JSON, nullable=False),
    _created_at(),
    sqlite_autoincrement=True,
)

#: quality audits (质量评查): each audit's set-up (sample, reviewers, assignment) as written when it was
#: created; reviews are submissions (app "audit", item ``<audit id>/<item id>``), the latest one counting
audits = sa.Table(
    "audits",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("id", sa.Text, nullable=False, unique=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("pack", sa.Text, nullable=False),
    sa.Column("payload", sa.JSON, nullable=False),
    _created_at(),
    sqlite_autoincrement=True,
)

#: the app name of competition (擂台赛) submissions; the partial unique index below is defined by it, so it
#: can never change
CONTEST_APP = "contest"

#: a contestant has at most one stored submission per item, whatever the number of processes racing
contest_item_unique = sa.Index(
    "uq_submissions_contest_item",
    submissions.c.app,
    submissions.c.actor,
    submissions.c.item_id,
    unique=True,
    sqlite_where=submissions.c.app == CONTEST_APP,
    postgresql_where=submissions.c.app == CONTEST_APP,
)

#: practice competitions (擂台赛); ``code`` is the join code, upper-case; ``payload`` the competition's spec
competitions = sa.Table(
    "competitions",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("id", sa.Text, nullable=False, unique=True),
    sa.Column("code", sa.Text, nullable=False, unique=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("pack", sa.Text, nullable=False),
    sa.Column("payload", sa.JSON, nullable=False),
    _created_at(),
    sqlite_autoincrement=True,
)

#: who joined a competition: numbered 1, 2, 3 ... in join order; names unique within a competition
contestants = sa.Table(
    "contestants",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("competition_id", sa.Text, sa.ForeignKey("competitions.id"), nullable=False),
    sa.Column("number", sa.Integer, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("pin", sa.Text, nullable=False),
    _created_at(),
    sa.UniqueConstraint("competition_id", "name", name="uq_contestants_competition_id_name"),
    sa.UniqueConstraint("competition_id", "number", name="uq_contestants_competition_id_number"),
    sqlite_autoincrement=True,
)

#: trainer actions on a competition's rounds (start, pause ...), at the server's clock; append-only in use
round_events = sa.Table(
    "round_events",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("competition_id", sa.Text, sa.ForeignKey("competitions.id"), nullable=False, index=True),
    sa.Column("round", sa.Integer, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    _created_at(),
    sqlite_autoincrement=True,
)

#: tables whose rows must never change once written
APPEND_ONLY: tuple[sa.Table, ...] = (submissions, scores)
