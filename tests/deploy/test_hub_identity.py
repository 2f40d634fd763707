"""The hub login as identity, without a hub: the environment JupyterHub's spawner sets, faked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.ui.pages import add_audit, busiest, console, create
from toolkit.audit.population import dossier_population
from toolkit.generate.cases import CaseGenerator
from toolkit.hub import hub_argv, hub_options, hub_settings, withdraw_secrets
from toolkit.i18n import t
from toolkit.identity import hub_reviewer, hub_user
from toolkit.packs import Pack
from toolkit.serve import ServeError, ServeOptions
from toolkit.ui.audit_review import AuditReviewApp
from toolkit.ui.contest import ContestApp
from toolkit.ui.context import context_from_query
from toolkit.ui.frame import Page

SPAWNER_ENV = {
    "JUPYTERHUB_USER": "zhangsan",
    "JUPYTERHUB_API_TOKEN": "api-token",
    "JUPYTERHUB_API_URL": "http://127.0.0.1:8081/hub/api",
    "JUPYTERHUB_CLIENT_ID": "jupyterhub-user-zhangsan",
    "JUPYTERHUB_SERVICE_PREFIX": "/user/zhangsan/",
    "JUPYTERHUB_OAUTH_CALLBACK_URL": "/user/zhangsan/oauth_callback",
    "JUPYTERHUB_SERVICE_URL": "http://0.0.0.0:8888/user/zhangsan/",
    "JUPYTERHUB_DEFAULT_URL": "/voila/render/contest.ipynb",
}


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'hub.sqlite3'}"


def as_hub_user(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setenv("XFKIT_HUB", "1")
    monkeypatch.setenv("JUPYTERHUB_USER", name)


def test_the_login_counts_only_under_xfkit_serve_hub() -> None:
    assert hub_user({"JUPYTERHUB_USER": "zhangsan"}) is None  # a hub terminal, plain xfkit serve
    assert hub_user({"JUPYTERHUB_USER": "zhangsan", "XFKIT_HUB": "1"}) == "zhangsan"
    assert hub_user({"JUPYTERHUB_USER": " ", "XFKIT_HUB": "1"}) is None
    assert hub_user({}) is None


def test_a_reviewer_is_the_one_named_like_the_login() -> None:
    assert hub_reviewer("zhangsan", ["ZhangSan", "lisi"]) == "ZhangSan"
    assert hub_reviewer("张三", ["张三", "李四"]) == "张三"
    assert hub_reviewer("wangwu", ["zhangsan"]) is None
    assert hub_reviewer("zhangsan", ["zhangsan", "ZHANGSAN"]) is None  # ambiguous: nobody
    assert hub_reviewer("", ["zhangsan"]) is None


def test_the_spawner_environment_sets_prefix_port_and_landing_page() -> None:
    settings = hub_settings(SPAWNER_ENV)
    assert (settings.user, settings.prefix, settings.host, settings.port) == (
        "zhangsan",
        "/user/zhangsan/",
        "0.0.0.0",
        8888,
    )
    assert settings.default_url == "voila/render/contest.ipynb"
    assert hub_argv(settings) == ["--Voila.base_url=/user/zhangsan/"]
    options = hub_options(ServeOptions(), settings)
    assert (options.host, options.port) == ("0.0.0.0", 8888)
    without_url = hub_settings({k: v for k, v in SPAWNER_ENV.items() if k != "JUPYTERHUB_SERVICE_URL"})
    assert hub_options(ServeOptions(port=9000), without_url).port == 9000


def test_without_the_spawner_environment_the_server_does_not_start() -> None:
    with pytest.raises(ServeError, match="JUPYTERHUB_API_TOKEN.*JUPYTERHUB_CLIENT_ID"):
        hub_settings({"JUPYTERHUB_USER": "zhangsan", "JUPYTERHUB_SERVICE_PREFIX": "/user/zhangsan/"})


def test_kernels_never_see_the_hub_api_token() -> None:
    env = {"JUPYTERHUB_API_TOKEN": "a", "JPY_API_TOKEN": "a", "JUPYTERHUB_USER": "zhangsan"}
    withdraw_secrets(env)
    assert env == {"JUPYTERHUB_USER": "zhangsan"}


def _contest_page(pack: Pack, generator: CaseGenerator, db: str, code: str) -> ContestApp:
    ctx = context_from_query(f"code={code}", secret=None, default="zh")
    return ContestApp(Page(ctx=ctx, title_key="app.contest.title", pack=pack), pack, generator, db)


def test_under_a_hub_the_contest_page_joins_and_resumes_by_login(
    pack: Pack, generator: CaseGenerator, db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = create(console(pack, generator, db), intake=0, quiz=2)
    as_hub_user(monkeypatch, "zhangsan")
    first = _contest_page(pack, generator, db, code)
    assert first.contestant is not None and first.contestant.name == "zhangsan"
    assert first.name.layout.display == first.pin.layout.display == "none"
    assert t("contest.hub.joined", "zh") in first.page.messages.text
    again = _contest_page(pack, generator, db, code)  # a reload, another browser
    assert again.contestant is not None and again.contestant.id == first.contestant.id
    assert t("contest.hub.resumed", "zh") in again.page.messages.text
    as_hub_user(monkeypatch, "lisi")
    other = _contest_page(pack, generator, db, code)
    assert other.contestant is not None and other.contestant.name == "lisi"
    assert other.contestant.number == 2
    for app in (first, again, other):
        if app.ticker is not None:
            app.ticker.stop()


def test_without_a_code_the_hub_page_waits_for_one(
    pack: Pack, generator: CaseGenerator, db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = create(console(pack, generator, db), intake=0, quiz=1)
    as_hub_user(monkeypatch, "zhangsan")
    app = _contest_page(pack, generator, db, "")
    assert app.contestant is None
    app.code.value = code
    app.join_button.click()
    assert app.contestant is not None and app.contestant.name == "zhangsan"
    if app.ticker is not None:
        app.ticker.stop()


def _review_page(pack: Pack, generator: CaseGenerator, db: str, query: str) -> AuditReviewApp:
    ctx = context_from_query(query, secret=None, default="zh")
    return AuditReviewApp(Page(ctx=ctx, title_key="app.audit.title", pack=pack), pack, generator, db)


def test_under_a_hub_the_reviewer_is_the_login_and_sees_only_their_items(
    pack: Pack, generator: CaseGenerator, db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    audit = add_audit(pack, dossier_population(pack, 11, 24)[0], db)
    reviewer = busiest(audit)
    other = next(name for name in audit.tokens if name != reviewer)
    as_hub_user(monkeypatch, reviewer)
    # the link of another reviewer changes nothing: the login decides
    app = _review_page(pack, generator, db, f"audit={audit.id}&r={audit.tokens[other]}")
    assert app.reviewer == reviewer
    mine = audit.assignment.items_of(reviewer)
    assert [value for _label, value in app.picker.options] == list(mine)
    foreign = next(i.id for i in audit.items if i.id not in mine)
    app.open(foreign)  # forged: refused, the item stays hidden
    assert app.item_id != foreign

    as_hub_user(monkeypatch, "nobody")
    refused: Any = _review_page(pack, generator, db, f"audit={audit.id}")
    assert not hasattr(refused, "reviewer")
    assert t("audit.hub.not_reviewer", "zh", login="nobody") in refused.page.messages.text


def test_under_a_hub_the_contest_page_does_not_ask_for_a_name(
    monkeypatch: pytest.MonkeyPatch, db: str
) -> None:
    from toolkit.ui import contest_app

    plain = contest_app(context_from_query("", secret=None, default="zh"), store=db)
    assert plain.subtitle == t("app.contest.summary", "zh") and "姓名" in str(plain.subtitle)
    as_hub_user(monkeypatch, "zhangsan")
    for lang in ("zh", "en"):
        page = contest_app(context_from_query(f"lang={lang}", secret=None, default="zh"), store=db)
        assert page.subtitle == t("app.contest.hub_summary", lang)
    assert "姓名" not in t("app.contest.hub_summary", "zh") and "name" not in t(
        "app.contest.hub_summary", "en"
    )
