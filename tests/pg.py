"""A throw-away PostgreSQL server for tests, and a fresh database per test on any server.

Used by ``tests/store/conftest.py``; browser tests can reuse it. The server is Debian's
(``apt-get install postgresql``): a new cluster in a temporary folder, on a free port of 127.0.0.1,
trust authentication, no fsync, stopped and removed at the end. PostgreSQL refuses to run as root, so
under root the folder is given to the ``postgres`` user and every server command runs through
``runuser -u postgres --``.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

ENV_URL = "XFKIT_TEST_POSTGRES_URL"
MISSING = (
    "PostgreSQL server binaries not found (apt-get install postgresql); "
    "set XFKIT_TEST_POSTGRES_URL to use a running server"
)
DATABASE = "xfkit_test"
OS_USER = "postgres"


def find_bindir() -> Path | None:
    """The newest ``/usr/lib/postgresql/<major>/bin`` that has initdb and pg_ctl, if any."""
    found = []
    for bindir in Path("/usr/lib/postgresql").glob("*/bin"):
        major = bindir.parent.name
        if major.isdigit() and (bindir / "initdb").is_file() and (bindir / "pg_ctl").is_file():
            found.append((int(major), bindir))
    return max(found)[1] if found else None


def in_ci() -> bool:
    """True when the environment says this is CI (``CI`` set to anything but false/0/empty)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _as_server_user(argv: list[str]) -> list[str]:
    return ["runuser", "-u", OS_USER, "--", *argv] if os.geteuid() == 0 else argv


def _run(argv: list[str], cwd: Path, log: Path | None = None) -> None:
    result = subprocess.run(_as_server_user(argv), cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        tail = log.read_text(errors="replace")[-2000:] if log is not None and log.exists() else ""
        raise RuntimeError(
            f"{' '.join(argv[:2])} failed ({result.returncode}):\n{result.stdout}{result.stderr}{tail}"
        )


@contextmanager
def temporary_server(bindir: Path) -> Iterator[str]:
    """Run a new cluster until the block ends; yields the SQLAlchemy URL of its ``xfkit_test`` database."""
    root = Path(tempfile.mkdtemp(prefix="xfkit-pg-"))
    data, log = root / "data", root / "server.log"
    if os.geteuid() == 0:
        shutil.chown(root, user=OS_USER, group=OS_USER)
    pg_ctl = str(bindir / "pg_ctl")
    try:
        _run(
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "--auth=trust",
                "--username=postgres",
                "--encoding=UTF8",
                "--no-locale",
                "--no-sync",
            ],
            cwd=root,
        )
        port = _free_port()
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={root} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        _run([pg_ctl, "-D", str(data), "-l", str(log), "-o", options, "-w", "-t", "120", "start"], root, log)
        server = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
        with _admin(server) as conn:
            conn.execute(sql.SQL("CREATE DATABASE ") + sql.Identifier(DATABASE))
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/{DATABASE}"
    finally:
        if (data / "postmaster.pid").exists():
            _run([pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"], root, log)
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def fresh_database(server_url: str) -> Iterator[str]:
    """Create a uniquely named database on the server of ``server_url``; drop it (and its sessions) after."""
    name = f"xfkit_t_{uuid.uuid4().hex[:16]}"
    assert re.fullmatch(r"[a-z0-9_]+", name)
    with _admin(server_url) as conn:
        conn.execute(sql.SQL("CREATE DATABASE ") + sql.Identifier(name))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with _admin(server_url) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS ") + sql.Identifier(name) + sql.SQL(" WITH (FORCE)")
            )


@contextmanager
def _admin(server_url: str) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    """An autocommit psycopg connection (CREATE/DROP DATABASE cannot run in a transaction)."""
    url = make_url(server_url).set(drivername="postgresql")
    conninfo = url.render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True, connect_timeout=10) as conn:
        yield conn
