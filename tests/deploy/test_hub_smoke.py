"""JupyterHub end to end: three users log in, each gets their own ``xfkit serve --hub``, all answer into
one PostgreSQL.

The hub runs ``deploy/jupyterhub_config.py`` with a test authenticator (DummyAuthenticator with a
password), on free loopback ports, its state in a temporary folder, configurable-http-proxy from PATH or
``.venv/chp``. Debian's chromium logs three users in (three browser contexts); each opens the contest page
through ``/hub/user-redirect/``, is joined under their hub login without typing a name, answers one quiz
item; the database then holds three submissions from three contestants named after the logins. A user
cannot open another user's server. Screenshots: ``tests/browser/artifacts/hub_<user>.png``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.pg import ENV_URL, MISSING, find_bindir, in_ci, temporary_server
from toolkit.competition.model import CompetitionSpec, RoundSpec
from toolkit.competitions import create_competition, record_action
from toolkit.i18n import t
from toolkit.packs import load_pack
from toolkit.serve_process import CHROMIUM, CHROMIUM_ARGS, free_port
from toolkit.store import Store

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "browser" / "artifacts"
DEPLOY_CONFIG = ROOT / "deploy" / "jupyterhub_config.py"
USERS = ("alice", "bob", "carol")
ADMIN = "carol"  # a hub admin may reach any server through the hub, yet xfkit lets only the owner in
PASSWORD = "hub-smoke-test-password"
SECRET = "hub-trainer-secret"
ZH = "zh"
TIMEOUT_MS = 120_000
ACTIVITY_S = 2


def _unavailable(reason: str) -> None:
    if in_ci():
        pytest.fail(reason + "; CI must run the JupyterHub smoke test")
    pytest.skip(reason)


def _proxy_path() -> str:
    """PATH with the project's configurable-http-proxy (``./run.sh setup`` installs it into .venv/chp)."""
    venv = Path(os.environ.get("XFKIT_VENV", ROOT / ".venv"))
    if not venv.is_absolute():
        venv = ROOT / venv
    local = venv / "chp" / "node_modules" / ".bin"
    return os.pathsep.join([str(local), str(Path(sys.executable).parent), os.environ.get("PATH", "")])


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    if os.environ.get(ENV_URL):
        pytest.skip("the smoke test starts its own PostgreSQL server; unset " + ENV_URL)
    bindir = find_bindir()
    if bindir is None:
        _unavailable(MISSING)
    assert bindir is not None
    with temporary_server(bindir) as url:
        yield url


def _competition(url: str) -> str:
    """A competition with one running quiz round of one item; its join code."""
    pack = load_pack("default")
    spec = CompetitionSpec(
        name="全省联赛（联调）", pack="default", seed=11, rounds=(RoundSpec("quiz", 1, 30),)
    )
    store = Store.open(url)
    try:
        record = create_competition(store, spec, pack)
        record_action(store, record, spec, 1, "start")
    finally:
        store.close()
    return record.code


def _wait_for_login_page(
    url: str, process: subprocess.Popen[bytes], log: Path, timeout_s: float = 120
) -> None:
    """Until the hub's own login form answers 200.

    The proxy starts first and answers 404 for every path until the hub has added its route; a browser
    sent there then shows the proxy's error page and never gets a form.
    """
    deadline = time.monotonic() + timeout_s
    last = "no answer"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"jupyterhub exited ({process.returncode}):\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if b'name="username"' in response.read():
                    return
                last = f"{response.status} without a login form"
        except urllib.error.HTTPError as exc:
            last = f"HTTP {exc.code}"
        except OSError as exc:
            last = str(exc)
        time.sleep(0.5)
    raise AssertionError(f"jupyterhub's login page not ready at {url} ({last}):\n{log.read_text()[-4000:]}")


@dataclass(frozen=True)
class Hub:
    url: str
    log: Path


@pytest.fixture(scope="module")
def hub_server(database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    if not CHROMIUM.exists():
        _unavailable("Debian's chromium is not installed (apt-get install chromium fonts-noto-cjk)")
    path = _proxy_path()
    if shutil.which("configurable-http-proxy", path=path) is None:
        _unavailable("configurable-http-proxy not found (./run.sh setup installs it with npm into .venv/chp)")
    tmp = tmp_path_factory.mktemp("hub")
    port, hub_port, api_port = free_port(), free_port(), free_port()
    config = tmp / "jupyterhub_config.py"
    config.write_text(
        f"load_subconfig({str(DEPLOY_CONFIG)!r})\n"
        f"c.JupyterHub.bind_url = 'http://127.0.0.1:{port}'\n"
        f"c.JupyterHub.hub_bind_url = 'http://127.0.0.1:{hub_port}'\n"
        f"c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:{api_port}'\n"
        "c.JupyterHub.authenticator_class = 'dummy'\n"
        f"c.DummyAuthenticator.password = {PASSWORD!r}\n"
        f"c.Authenticator.allowed_users = {set(USERS)!r}\n"
        f"c.Authenticator.admin_users = {{{ADMIN!r}}}\n"
        # activity reports every 2 s instead of 300, so that this test sees them
        "c.Spawner.environment = {**c.Spawner.environment, "
        f"'JUPYTERHUB_ACTIVITY_INTERVAL': '{ACTIVITY_S}'}}\n",
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "PATH": path,
        "XFKIT_DB": database,
        "XFKIT_TRAINER_SECRET": SECRET,
        "XFKIT_HUB_STATE": str(tmp / "state"),
        "XFKIT_HUB_HOMES": str(tmp / "users"),
    }
    for name in [n for n in env if n.startswith("JUPYTERHUB_") or n in ("XFKIT_HUB", "QUERY_STRING")]:
        del env[name]
    log = tmp / "jupyterhub.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(config)],
            cwd=tmp,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait_for_login_page(f"http://127.0.0.1:{port}/hub/login", process, log)
            yield Hub(f"http://127.0.0.1:{port}", log)
        finally:
            if process.poll() is None:
                process.terminate()  # the hub stops the users' servers and its proxy
                try:
                    process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, 9)
                    process.wait()
    print(log.read_text(errors="replace")[-3000:])


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _anonymous(url: str) -> tuple[int, str]:
    """Status and Location of a request without any login cookie (redirects not followed)."""
    try:
        with urllib.request.build_opener(_NoRedirect).open(url, timeout=30) as response:
            return response.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Location") or ""


def _log_in(browser: Any, base: str, user: str) -> tuple[Any, Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{base}/hub/login", wait_until="domcontentloaded", timeout=TIMEOUT_MS)
    page.fill("input[name=username]", user, timeout=TIMEOUT_MS)
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit], button[type=submit]")
    # the hub starts the user's server and sends the browser to it (the contest page, no code yet)
    page.wait_for_url(f"{base}/user/{user}/voila/render/contest.ipynb*", timeout=TIMEOUT_MS)
    return context, page


def _answer_the_item(page: Any) -> None:
    quiz = page.locator(".xf-quiz", has=page.locator("button:not([disabled])"))
    quiz.locator("input").first.wait_for(timeout=TIMEOUT_MS)
    radios, boxes, dates = (quiz.locator(f"input[type={k}]") for k in ("radio", "checkbox", "date"))
    if radios.count():
        radios.first.click()
    elif boxes.count():
        boxes.first.click()
    else:
        dates.first.fill("2025-10-10")
        dates.first.press("Tab")
    quiz.get_by_role("button", name=t("contest.submit", ZH)).click()
    page.get_by_text(t("contest.progress", ZH, done=1, total=1)).wait_for(timeout=TIMEOUT_MS)


def test_three_hub_users_answer_into_one_postgresql(hub_server: Hub, database: str) -> None:
    from playwright.sync_api import sync_playwright

    hub = hub_server.url

    code = _competition(database)
    started = time.monotonic()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            sessions = [_log_in(browser, hub, user) for user in USERS]
            for user, (_context, page) in zip(USERS, sessions, strict=True):
                # one link for everybody: the hub sends each login to their own server
                page.goto(
                    f"{hub}/hub/user-redirect/voila/render/contest.ipynb?code={code}",
                    wait_until="domcontentloaded",
                    timeout=TIMEOUT_MS,
                )
                assert page.url.startswith(f"{hub}/user/{user}/voila/render/contest.ipynb")
                me = t("contest.hub.me", ZH, name=user, number="")
                page.get_by_text(me.split("（")[0], exact=False).wait_for(timeout=TIMEOUT_MS)
                # no name field, no resume code: the login is the identity
                assert page.get_by_placeholder(t("contest.name_hint", ZH)).is_hidden()
                assert page.get_by_placeholder(t("contest.pin_hint", ZH)).is_hidden()
            for user, (_context, page) in zip(USERS, sessions, strict=True):
                _answer_the_item(page)
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(ARTIFACTS / f"hub_{user}.png"), full_page=True)

            # alice cannot open bob's server: the hub refuses her, and no xfkit page is rendered
            _context, alice = sessions[0]
            response = alice.goto(
                f"{hub}/user/bob/voila/render/contest.ipynb?code={code}",
                wait_until="domcontentloaded",
                timeout=TIMEOUT_MS,
            )
            assert response is not None and response.status == 403, (response and response.status, alice.url)
            assert "/user/bob/voila/" not in alice.url or alice.locator(".xf-quiz").count() == 0
            assert alice.locator(".jp-OutputArea, .widget-button").count() == 0

            # carol, a hub admin, gets through the hub's check (after its consent page) but xfkit refuses her
            _context, carol = sessions[USERS.index(ADMIN)]
            carol.goto(f"{hub}/user/bob/voila/render/contest.ipynb?code={code}", timeout=TIMEOUT_MS)
            if "/hub/api/oauth2/authorize" in carol.url:
                carol.get_by_role("button", name="Authorize").click()
            carol.get_by_text(t("server.hub.not_owner.body", ZH)).wait_for(timeout=TIMEOUT_MS)
            assert carol.url.startswith(f"{hub}/user/bob/")
            assert carol.locator(".xf-quiz, .widget-button").count() == 0
            for context, _page in sessions:
                context.close()
        finally:
            browser.close()
    elapsed = time.monotonic() - started

    # without a login nothing of a running server answers: pages go to the hub's OAuth, the rest is 403/404
    user = f"{hub}/user/{USERS[0]}"
    status, location = _anonymous(f"{user}/voila/render/contest.ipynb?code={code}")
    assert status == 302 and "/hub/api/oauth2/authorize" in location, (status, location)
    kernel = "00000000-0000-4000-8000-000000000000"
    for path in (f"api/kernels/{kernel}", f"api/kernels/{kernel}/channels"):
        assert _anonymous(f"{user}/{path}")[0] == 403, path
    others = ("lab", "tree", "terminals/1", "api/contents", "voila/api/contents/", "voila/files/x")
    for path in (*others, f"voila/query/{kernel}"):  # voila/query exists only with preheated kernels
        assert _anonymous(f"{user}/{path}")[0] in (302, 403, 404), path

    store = Store.open(database)
    try:
        record = store.competition_by_code(code)
        assert record is not None
        contestants = store.contestants(record.id)
        assert sorted(c.name for c in contestants) == sorted(USERS)
        submitted = {c.name: store.contest_submissions(record.id, c.id) for c in contestants}
    finally:
        store.close()
    assert {name: len(subs) for name, subs in submitted.items()} == dict.fromkeys(USERS, 1)

    # each server told the hub its kernels were in use (the hub's idle culler reads this)
    deadline = time.monotonic() + 10 * ACTIVITY_S
    while time.monotonic() < deadline:
        text = hub_server.log.read_text(errors="replace")
        reported = {u for u in USERS if re.search(rf"20[04] POST /hub/api/users/{u}/activity", text)}
        if reported == set(USERS):
            break
        time.sleep(0.5)
    assert reported == set(USERS), text[-3000:]
    print(f"three users logged in, joined and answered in {elapsed:.1f} s")
