"""Every store test runs twice: on a fresh SQLite file and on a fresh PostgreSQL database."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pg
import pytest

from toolkit.store import Store


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL server for the session: ``$XFKIT_TEST_POSTGRES_URL`` or a temporary cluster."""
    given = os.environ.get(pg.ENV_URL, "").strip()
    if given:
        yield given
        return
    bindir = pg.find_bindir()
    if bindir is None:
        if pg.in_ci():
            pytest.fail(pg.MISSING)
        pytest.skip(pg.MISSING)
    with pg.temporary_server(bindir) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of an empty database of each backend, new for every test."""
    if request.param == "sqlite":
        yield f"sqlite:///{(tmp_path / 'data' / 'xfkit.sqlite3').as_posix()}"
        return
    server: str = request.getfixturevalue("postgres_url")
    with pg.fresh_database(server) as url:
        yield url


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """An opened (migrated) store on a fresh database."""
    with Store.open(store_url) as opened:
        yield opened
