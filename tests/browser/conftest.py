"""Real-browser harness: ``xfkit serve`` in a subprocess, Debian's Chromium driven by Playwright.

Every test gets a fresh page whose requests are recorded; a screenshot of it is saved to
``tests/browser/artifacts/<test name>.png`` when the test ends, pass or fail.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from toolkit.serve_process import CHROMIUM, CHROMIUM_ARGS, ServerProcess, start

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
SECRET = "trainer-secret-for-tests"


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = "Debian's chromium is not installed (apt-get install chromium fonts-noto-cjk)"
    if os.environ.get("CI"):
        pytest.fail(reason + "; CI must run the browser tests")
    pytest.skip(reason)


Server = ServerProcess


def start_server(tmp: Path, *args: str, env: dict[str, str] | None = None) -> Server:
    """Start ``xfkit serve`` with the tests' trainer secret; return once the home page answers."""
    return start(tmp, "--trainer-secret", SECRET, *args, cwd=ROOT, env=env)


def stop_server(server: Server) -> None:
    server.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    _require_chromium()
    tmp = tmp_path_factory.mktemp("serve")
    srv = start_server(tmp)
    yield srv
    stop_server(srv)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    # per module, not per session: Playwright's sync API runs an event loop in this thread while it is
    # open, and later tests (load clients, the hub's own browser) need the thread without one
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


def record_frames(rec: Recorded) -> list[str]:
    """Every websocket frame the page receives or sends from now on, as text (filled as they come)."""
    frames: list[str] = []

    def on_socket(ws: Any) -> None:
        def keep(payload: Any) -> None:
            frames.append(payload.decode("utf-8", "replace") if isinstance(payload, bytes) else str(payload))

        ws.on("framereceived", keep)
        ws.on("framesent", keep)

    rec.page.on("websocket", on_socket)  # type: ignore[attr-defined]
    return frames


def open_app(rec: Recorded, url: str, text: str, timeout_ms: int = 90_000) -> None:
    """Open ``url`` and wait until the widgets have rendered ``text``."""
    pg = rec.page
    pg.goto(url, wait_until="domcontentloaded", timeout=timeout_ms)  # type: ignore[attr-defined]
    pg.get_by_text(text, exact=False).first.wait_for(state="visible", timeout=timeout_ms)  # type: ignore[attr-defined]
