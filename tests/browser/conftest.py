"""Real-browser harness: ``xfkit serve`` in a subprocess, Debian's Chromium driven by Playwright.

Every test gets a fresh page whose requests are recorded; a screenshot of it is saved to
``tests/browser/artifacts/<test name>.png`` when the test ends, pass or fail.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
SECRET = "trainer-secret-for-tests"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
]


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = "Debian's chromium is not installed (apt-get install chromium fonts-noto-cjk)"
    if os.environ.get("CI"):
        pytest.fail(reason + "; CI must run the browser tests")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Server:
    """A running ``xfkit serve``."""

    url: str
    data: Path
    process: subprocess.Popen[str]
    log: Path
    handle: IO[str] | None = None
    secret: str = SECRET

    def get(self, path: str) -> tuple[int, str]:
        """Status and body of a plain HTTP GET (no redirects followed)."""

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args: object, **kwargs: object) -> None:
                return None

        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(self.url + path, timeout=60) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace")

    def log_text(self) -> str:
        return self.log.read_text("utf-8", "replace")


def start_server(tmp: Path, *args: str, env: dict[str, str] | None = None) -> Server:
    """Start ``xfkit serve`` on a free port; return once the home page answers."""
    port = free_port()
    data = tmp / "data"
    log = tmp / "server.log"
    command = [
        sys.executable,
        "-m",
        "toolkit.cli",
        "serve",
        "--port",
        str(port),
        "--data",
        str(data),
        "--trainer-secret",
        SECRET,
        *args,
    ]
    handle = log.open("w", encoding="utf-8")
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=handle,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **(env or {})},
        start_new_session=True,
    )
    server = Server(f"http://127.0.0.1:{port}", data, process, log, handle)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            text = server.log_text()
            stop_server(server)
            raise RuntimeError(f"xfkit serve exited with {process.returncode}:\n{text}")
        try:
            status, _ = server.get("/")
            if status in (200, 302):
                return server
        except OSError:
            pass
        time.sleep(0.2)
    text = server.log_text()
    stop_server(server)
    raise RuntimeError(f"xfkit serve did not answer within 120 s:\n{text}")


def stop_server(server: Server) -> None:
    try:
        if server.process.poll() is None:
            os.killpg(server.process.pid, signal.SIGINT)
            try:
                server.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.process.pid, signal.SIGKILL)
                server.process.wait(timeout=30)
    finally:
        if server.handle is not None:
            server.handle.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    _require_chromium()
    tmp = tmp_path_factory.mktemp("serve")
    srv = start_server(tmp)
    yield srv
    stop_server(srv)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Recorded:
    """A page and every URL it requested."""

    page: object
    requests: list[str]


@pytest.fixture
def page(browser: object, request: pytest.FixtureRequest) -> Iterator[Recorded]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")  # type: ignore[attr-defined]
    pg = context.new_page()
    seen: list[str] = []
    pg.on("request", lambda r: seen.append(r.url))
    yield Recorded(pg, seen)
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.name)
    from playwright.sync_api import Error as PlaywrightError

    try:
        if not pg.is_closed():
            pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    except PlaywrightError:
        pass  # the test closed the page itself: nothing left to photograph
    finally:
        context.close()


def open_app(rec: Recorded, url: str, text: str, timeout_ms: int = 90_000) -> None:
    """Open ``url`` and wait until the widgets have rendered ``text``."""
    pg = rec.page
    pg.goto(url, wait_until="domcontentloaded", timeout=timeout_ms)  # type: ignore[attr-defined]
    pg.get_by_text(text, exact=False).first.wait_for(state="visible", timeout=timeout_ms)  # type: ignore[attr-defined]


def clean_dir(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
