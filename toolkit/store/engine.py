"""Engines for SQLite (default) and PostgreSQL, and the two kinds of transaction the store uses.

SQLite is opened so that several processes (Voila kernels, the CLI, a grader) can write at once
without ever failing with "database is locked":

* each new DB-API connection gets ``busy_timeout`` (wait up to 30 s for a lock), write-ahead logging
  (readers never block the writer), ``foreign_keys`` and ``synchronous=NORMAL``;
* pysqlite's own transaction handling is switched off (``isolation_level = None``) and SQLAlchemy's
  ``begin`` event emits ``BEGIN IMMEDIATE`` for a write transaction and a plain (deferred) ``BEGIN`` for
  a read. A write transaction thus takes the write lock at its start, where the busy timeout applies;
  a deferred transaction that later writes could instead fail at once with ``SQLITE_BUSY``.

PostgreSQL (``postgresql+psycopg://...``) runs the same code; its own locking needs no help.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, exc
from sqlalchemy.engine import URL, Connection, Engine, make_url

from toolkit.errors import StoreConfigError

#: connection execution option that marks a write transaction (BEGIN IMMEDIATE on SQLite)
WRITE_OPTION = "xfkit_write"
#: seconds to wait for a PostgreSQL server unless the URL says ``?connect_timeout=N``
PG_CONNECT_TIMEOUT = 10
#: seconds a SQLite connection waits for a lock held by another connection
SQLITE_BUSY_SECONDS = 30

# busy_timeout first: switching a new file to WAL needs a lock too
SQLITE_PRAGMAS: tuple[str, ...] = (
    f"PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000}",
    "PRAGMA journal_mode=WAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA synchronous=NORMAL",
)


def make_engine(url: str) -> Engine:
    """Create an engine for ``url`` and check that it can be used.

    Parameters
    ----------
    url
        ``sqlite:///PATH`` (the parent folder is created) or ``postgresql+psycopg://USER@HOST:PORT/DB``
        (plain ``postgresql://`` means psycopg 3).

    Returns
    -------
    Engine
        Connected once already, so a wrong URL fails here rather than at the first submission.

    Raises
    ------
    StoreConfigError
        The URL cannot be parsed, names a database other than SQLite or PostgreSQL, needs a driver that
        is not installed, or the database cannot be reached or written. The message is one line naming
        the URL with its password masked.
    """
    shown = mask_url(url)
    try:
        parsed = make_url(url)
    except (exc.ArgumentError, ValueError) as e:
        raise StoreConfigError(
            f"cannot use database URL {shown}: not a URL of the form dialect+driver://..."
        ) from e
    shown = parsed.render_as_string(hide_password=True)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        engine = _sqlite_engine(parsed, shown)
    elif backend == "postgresql":
        engine = _postgresql_engine(parsed, shown)
    else:
        raise StoreConfigError(
            f"cannot use database URL {shown}: unsupported database {backend!r} "
            "(use sqlite:///PATH or postgresql+psycopg://USER@HOST/DB)"
        )
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except exc.DBAPIError as e:
        engine.dispose()
        raise StoreConfigError(f"cannot use database URL {shown}: {one_line(e)}") from e
    return engine


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction committed on success that, on SQLite, holds the write lock from its BEGIN on."""
    with engine.connect() as conn:
        conn.execution_options(**{WRITE_OPTION: True})
        with conn.begin():
            yield conn


@contextmanager
def read_transaction(engine: Engine) -> Iterator[Connection]:
    """A deferred transaction for queries: it takes no write lock."""
    with engine.connect() as conn, conn.begin():
        yield conn


def one_line(error: BaseException) -> str:
    """The driver's message of a database error, on one line."""
    orig = error.orig if isinstance(error, exc.DBAPIError) else None
    text = str(orig) if orig is not None else str(error)
    return " ".join(text.split()) or type(error).__name__


def _json_dumps(value: Any) -> str:
    # keep Chinese text readable in the database instead of \\uXXXX escapes
    return json.dumps(value, ensure_ascii=False)


def _sqlite_engine(url: URL, shown: str) -> Engine:
    database = url.database
    if database and database != ":memory:" and not database.startswith("file:"):
        parent = Path(database).parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            reason = e.strerror or type(e).__name__
            raise StoreConfigError(
                f"cannot use database URL {shown}: cannot create folder {parent}: {reason}"
            ) from e
        if not os.access(parent, os.W_OK | os.X_OK):
            raise StoreConfigError(f"cannot use database URL {shown}: folder {parent} is not writable")
    engine = _create(url, shown, connect_args={"timeout": SQLITE_BUSY_SECONDS})
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def _postgresql_engine(url: URL, shown: str) -> Engine:
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    connect_args: dict[str, Any] = {}
    if "connect_timeout" not in url.query:
        connect_args["connect_timeout"] = PG_CONNECT_TIMEOUT
    return _create(url, shown, connect_args=connect_args, pool_pre_ping=True)


def _create(url: URL, shown: str, **kwargs: Any) -> Engine:
    try:
        return sa.create_engine(url, json_serializer=_json_dumps, **kwargs)
    except exc.NoSuchModuleError as e:
        raise StoreConfigError(f"cannot use database URL {shown}: unknown driver {url.drivername!r}") from e
    except ImportError as e:
        raise StoreConfigError(
            f"cannot use database URL {shown}: driver not installed ({e.name or e}); "
            "for PostgreSQL: pip install 'xinfang-toolkit[postgres]'"
        ) from e
    except exc.ArgumentError as e:
        raise StoreConfigError(f"cannot use database URL {shown}: {one_line(e)}") from e


def _sqlite_on_connect(dbapi_connection: Any, connection_record: Any) -> None:
    # pysqlite would otherwise emit its own BEGIN (deferred, and only before DML)
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        for pragma in SQLITE_PRAGMAS:
            _execute_when_unlocked(cursor, pragma)
    finally:
        cursor.close()


def _execute_when_unlocked(cursor: sqlite3.Cursor, statement: str) -> None:
    """Execute, retrying while another connection holds the lock, for up to the busy timeout.

    Needed for ``journal_mode=WAL`` on a new file: switching reads the header and then upgrades to a
    write lock, and SQLite skips the busy handler for such an upgrade (it could deadlock), so when
    several processes open a new database at once all but one get "database is locked" at once.
    Once the file is in WAL mode the pragma takes no lock and this never retries.
    """
    deadline = time.monotonic() + SQLITE_BUSY_SECONDS
    pause = 0.001
    while True:
        try:
            cursor.execute(statement)
            cursor.fetchall()
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.05)


def _sqlite_on_begin(conn: Connection) -> None:
    writing = bool(conn.get_execution_options().get(WRITE_OPTION))
    conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


def mask_url(url: str) -> str:
    """The URL with its password replaced by ``***``, fit to show or log; works on unparsable text too."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (exc.ArgumentError, ValueError):
        return re.sub(r"(://[^:/@\s]*:)[^@\s]*@", r"\1***@", url)
