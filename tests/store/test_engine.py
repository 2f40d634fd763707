"""Engines: SQLite set-up per connection, BEGIN IMMEDIATE for writes, one-line errors for bad URLs."""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import event

from toolkit.errors import StoreConfigError
from toolkit.store import default_url, make_engine, mask_url
from toolkit.store.engine import read_transaction, write_transaction


def test_default_url_is_a_sqlite_file_in_the_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XFKIT_DB", raising=False)
    assert default_url(tmp_path / "data") == f"sqlite:///{(tmp_path / 'data' / 'xfkit.sqlite3').as_posix()}"


def test_default_url_honours_xfkit_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XFKIT_DB", "postgresql+psycopg://xf@db.example/xfkit")
    assert default_url(tmp_path) == "postgresql+psycopg://xf@db.example/xfkit"


def test_sqlite_creates_the_folder_and_sets_the_pragmas(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "x.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    try:
        assert path.parent.is_dir()
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    finally:
        engine.dispose()


def test_sqlite_write_transactions_begin_immediate(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    emitted: list[str] = []

    def record(conn: object, cursor: object, statement: str, *args: object) -> None:
        emitted.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        with write_transaction(engine):
            # the write lock is held from BEGIN on, before any statement: another writer is refused
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        with read_transaction(engine) as conn:
            conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
            # a read takes no write lock
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
    finally:
        other.close()
        engine.dispose()
    begins = [s for s in emitted if s.startswith("BEGIN")]
    assert begins == ["BEGIN IMMEDIATE", "BEGIN"]


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port  # nothing listens once the socket is closed


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("nosuchdb://x", "unsupported database 'nosuchdb'"),
        ("not a url", "not a URL"),
        ("sqlite:////proc/forbidden/x.sqlite3", "cannot create folder /proc/forbidden"),
        ("postgresql+nosuchdriver://u@127.0.0.1/x", "unknown driver"),
    ],
)
def test_bad_urls_give_one_line_config_errors(url: str, reason: str) -> None:
    with pytest.raises(StoreConfigError) as info:
        make_engine(url)
    message = str(info.value)
    assert "\n" not in message
    assert reason in message
    assert message.startswith("cannot use database URL ")


def test_unreachable_postgres_is_a_config_error_with_the_password_masked() -> None:
    url = f"postgresql+psycopg://xf:s3cret@127.0.0.1:{_closed_port()}/xfkit?connect_timeout=3"
    with pytest.raises(StoreConfigError) as info:
        make_engine(url)
    message = str(info.value)
    assert "\n" not in message
    assert "s3cret" not in message
    assert "xf:***@127.0.0.1" in message
    assert "refused" in message.lower() or "failed" in message.lower()


def test_unparsable_url_masks_the_password() -> None:
    with pytest.raises(StoreConfigError) as info:
        make_engine("postgresql+psycopg://xf:s3cret@127.0.0.1:notaport/x")
    assert "s3cret" not in str(info.value)
    assert "\n" not in str(info.value)


def test_unwritable_sqlite_file_is_a_config_error(tmp_path: Path) -> None:
    # a directory where the database file should be: cannot be opened as a database by anyone, even root
    target = tmp_path / "x.sqlite3"
    target.mkdir()
    with pytest.raises(StoreConfigError) as info:
        make_engine(f"sqlite:///{target}")
    assert "\n" not in str(info.value)
    assert str(target) in str(info.value)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql+psycopg://xf:s3cret@db:5432/xfkit", "postgresql+psycopg://xf:***@db:5432/xfkit"),
        ("postgresql+psycopg://xf:s3cret@db:port/xfkit", "postgresql+psycopg://xf:***@db:port/xfkit"),
        ("sqlite:////srv/xfkit/data/xfkit.sqlite3", "sqlite:////srv/xfkit/data/xfkit.sqlite3"),
    ],
)
def test_mask_url(url: str, shown: str) -> None:
    assert mask_url(url) == shown
