"""The served apps in a real browser: what a person sees, and what the server refuses."""

from __future__ import annotations

import json
import re
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from tests.browser.conftest import SECRET, Recorded, Server, open_app, start_server, stop_server
from toolkit.i18n import t

HOME = "/voila/render/home.ipynb"
TRAINER = "/voila/render/trainer.ipynb"


def _kernel_id(html: str) -> str:
    match = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', html)
    assert match, "no kernel id in the page"
    return match.group(1)


def test_home_page_renders_in_chinese_with_working_links(server: Server, page: Recorded) -> None:
    open_app(page, server.url + "/", t("home.title", "zh"))
    pg = page.page
    body = pg.inner_text("body")  # type: ignore[attr-defined]
    assert t("app.intake.title", "zh") in body and t("app.contest.title", "zh") in body
    assert "default@2.0.0" in body, "the pack and version in use are shown"
    assert "Traceback" not in body
    hrefs = pg.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")  # type: ignore[attr-defined]
    assert any("lang=en" in h for h in hrefs), "a language switch"
    for href in hrefs:
        target = urljoin(pg.url, href)  # type: ignore[attr-defined]
        assert urlparse(target).netloc == urlparse(server.url).netloc
        status, _ = server.get(target.removeprefix(server.url))
        assert status in (200, 302), (href, status)
    # the CJK font the page asks for is installed, so Chinese renders as glyphs, not boxes
    family = pg.evaluate(  # type: ignore[attr-defined]
        "getComputedStyle(document.querySelector('.xf-page') || document.body).fontFamily"
    )
    assert "Noto Sans CJK SC" in family
    match = subprocess.run(["fc-match", "Noto Sans CJK SC"], capture_output=True, text=True, check=True)
    assert "NotoSansCJK" in match.stdout


def test_english_setting_switches_the_visible_strings(server: Server, page: Recorded) -> None:
    open_app(page, server.url + "/", t("home.title", "zh"))
    page.page.click("a[href*='lang=en']")  # type: ignore[attr-defined]
    page.page.get_by_text(t("home.title", "en")).first.wait_for(timeout=90_000)  # type: ignore[attr-defined]
    body = page.page.inner_text("body")  # type: ignore[attr-defined]
    assert t("app.intake.title", "en") in body and t("app.audit.title", "en") in body
    assert t("home.title", "zh") not in body


@pytest.mark.parametrize(
    "path",
    [
        "/voila/files/home.ipynb",
        "/voila/files/../data/xfkit.sqlite3",
        "/voila/tree",
        "/voila/tree/",
        "/voila/api/contents/",
        "/voila/api/contents/home.ipynb",
        "/api/contents/home.ipynb",
        "/home.ipynb",
        "/notebooks/home.ipynb",
        "/voila/render/../data/xfkit.sqlite3",
        "/voila/render/nothere.ipynb",
        "/voila/templates/xfkit/conf.json",
        "/voila/static/../../app.py",
        "/data/xfkit.sqlite3",
    ],
)
def test_notebooks_and_data_are_not_served(server: Server, path: str) -> None:
    status, body = server.get(path)
    assert status in (403, 404), (path, status)
    assert '"cells"' not in body and "nbformat" not in body and "SQLite format" not in body


def test_a_page_load_only_requests_this_machine(server: Server, page: Recorded) -> None:
    open_app(page, server.url + HOME, t("home.title", "zh"))
    page.page.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
    assert page.requests, "the page made requests"
    outside = [u for u in page.requests if not (u.startswith(server.url) or u.startswith(("data:", "blob:")))]
    assert outside == []


FORGE = """
async ([url, marker]) => {
  const ws = new WebSocket(url);
  const seen = [];
  const msg = (type, content) => JSON.stringify({
    header: {msg_id: crypto.randomUUID(), msg_type: type, username: 'x', session: 'forged', version: '5.3',
             date: new Date().toISOString()},
    parent_header: {}, metadata: {}, content: content, channel: 'shell', buffers: []});
  await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = reject; });
  ws.onmessage = (e) => { try { seen.push(JSON.parse(e.data).header.msg_type); } catch (err) {} };
  ws.send(msg('kernel_info_request', {}));
  const code = "open(" + JSON.stringify(marker) + ", 'w').write('ran')";
  ws.send(msg('execute_request', {code: code, silent: false, store_history: false, user_expressions: {},
                                  allow_stdin: false, stop_on_error: true}));
  const until = Date.now() + 8000;
  while (Date.now() < until && !seen.includes('kernel_info_reply')) {
    await new Promise(r => setTimeout(r, 100));
  }
  ws.send(msg('kernel_info_request', {}));
  const until2 = Date.now() + 8000;
  while (Date.now() < until2 && seen.filter(s => s === 'kernel_info_reply').length < 2) {
    await new Promise(r => setTimeout(r, 100));
  }
  ws.close();
  return seen;
}
"""


def test_a_forged_execute_request_runs_nothing(server: Server, page: Recorded, tmp_path: Path) -> None:
    open_app(page, server.url + HOME, t("home.title", "zh"))
    config = page.page.evaluate("document.getElementById('jupyter-config-data').textContent")  # type: ignore[attr-defined]
    kernel = json.loads(config)["kernelId"]
    marker = tmp_path / "forged-code-ran"
    url = server.url.replace("http://", "ws://") + f"/api/kernels/{kernel}/channels?session_id=forged"
    seen = page.page.evaluate(FORGE, [url, str(marker)])  # type: ignore[attr-defined]
    # the channel works (kernel_info is allowed, and answered after the forged request) ...
    assert seen.count("kernel_info_reply") == 2, seen
    # ... but the execute_request was dropped: no reply, nothing ran
    assert "execute_reply" not in seen and "execute_input" not in seen
    assert not marker.exists()
    assert "execute_request" in server.log_text() and "not allowed" in server.log_text()


def test_trainer_page_needs_the_secret(server: Server, page: Recorded) -> None:
    for query in ("", "?key=wrong", f"?key={SECRET}x", "?lang=en"):
        status, body = server.get(TRAINER + query)
        assert status == 403, query
        assert t("server.forbidden.title", "en" if "lang=en" in query else "zh") in body
        assert "Traceback" not in body
    status, _ = server.get(f"{TRAINER}?key={SECRET}")
    assert status == 200
    open_app(page, f"{server.url}{TRAINER}?key={SECRET}", t("trainer.overview", "zh"))
    body = page.page.inner_text("body")  # type: ignore[attr-defined]
    assert t("app.trainer.title", "zh") in body and t("trainer.store", "zh") in body
    assert "demo_data" in body, "the log shows the first-run demo data"


def test_home_links_carry_the_key_only_for_a_trainer(server: Server, page: Recorded) -> None:
    open_app(page, server.url + HOME, t("home.title", "zh"))
    hrefs = page.page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")  # type: ignore[attr-defined]
    assert not any("key=" in h for h in hrefs)
    assert not any("trainer.ipynb" in h for h in hrefs)


def test_closing_a_page_shuts_its_kernel_down(server: Server, page: Recorded) -> None:
    open_app(page, server.url + HOME, t("home.title", "zh"))
    config = page.page.evaluate("document.getElementById('jupyter-config-data').textContent")  # type: ignore[attr-defined]
    kernel = json.loads(config)["kernelId"]
    assert server.get(f"/api/kernels/{kernel}")[0] == 200
    page.page.close(run_before_unload=True)  # type: ignore[attr-defined]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and server.get(f"/api/kernels/{kernel}")[0] == 200:
        time.sleep(0.2)
    assert server.get(f"/api/kernels/{kernel}")[0] == 404


def test_a_kernel_shutdown_from_another_site_is_refused(server: Server) -> None:
    status, html = server.get(HOME)
    kernel = _kernel_id(html)
    request = urllib.request.Request(
        f"{server.url}/voila/api/shutdown/{kernel}", method="POST", headers={"Origin": "http://evil.example"}
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 403
    refused.value.close()
    assert server.get(f"/api/kernels/{kernel}")[0] == 200, "the kernel is still running"


@pytest.fixture(scope="module")
def culling_server(tmp_path_factory: pytest.TempPathFactory) -> Server:
    srv = start_server(tmp_path_factory.mktemp("cull"), "--cull-after", "10")
    yield srv  # type: ignore[misc]
    stop_server(srv)


def test_a_page_fetched_without_its_websocket_does_not_keep_a_kernel(culling_server: Server) -> None:
    status, html = culling_server.get(HOME)
    assert status == 200
    kernel = _kernel_id(html)
    assert culling_server.get(f"/api/kernels/{kernel}")[0] == 200, "the page's kernel is running"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and culling_server.get(f"/api/kernels/{kernel}")[0] == 200:
        time.sleep(1)
    assert culling_server.get(f"/api/kernels/{kernel}")[0] == 404, "the idle kernel was culled"


@pytest.fixture(scope="module")
def failing_server(tmp_path_factory: pytest.TempPathFactory) -> Server:
    tmp = tmp_path_factory.mktemp("fail")
    notebooks = tmp / "notebooks"
    notebooks.mkdir()
    cell = {
        "cell_type": "code",
        "execution_count": None,
        "id": "boom",
        "metadata": {},
        "outputs": [],
        "source": ["raise RuntimeError('internal-detail-7f3a')"],
    }
    nb = {
        "cells": [cell],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (notebooks / "home.ipynb").write_text(json.dumps(nb), "utf-8")
    srv = start_server(tmp, "--notebooks", str(notebooks), "--no-preheat")
    yield srv  # type: ignore[misc]
    stop_server(srv)


def test_tracebacks_stay_in_the_server_log(failing_server: Server, page: Recorded) -> None:
    page.page.goto(failing_server.url + HOME, wait_until="networkidle", timeout=90_000)  # type: ignore[attr-defined]
    shown = page.page.content()  # type: ignore[attr-defined]
    assert "internal-detail-7f3a" not in shown and "Traceback" not in shown
    assert "show_tracebacks" not in shown, "no server flags in what a user reads"
    page.page.get_by_text(t("server.cell_failed", "zh")).first.wait_for(timeout=30_000)  # type: ignore[attr-defined]
    assert "internal-detail-7f3a" in failing_server.log_text()
