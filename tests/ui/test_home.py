"""The home page, built headless: titles, pack, one card per app, links, trainer-only apps."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from toolkit.apps import APPS, AppInfo
from toolkit.i18n import t
from toolkit.packs import Pack
from toolkit.ui import home_app
from toolkit.ui.context import LEARNER, TRAINER, PageContext
from toolkit.ui.frame import Page
from toolkit.ui.home import app_href

Text = Callable[[Any], str]
Links = Callable[[Any], list[str]]
SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
LISTED = [app for app in APPS if app.code != "home"]


def ctx(lang: str = "zh", role: str = LEARNER, **query: str) -> PageContext:
    return PageContext(lang=lang, role=role, query={"lang": lang, **query})


def all_available() -> tuple[AppInfo, ...]:
    return tuple(dataclasses.replace(app, available=True) for app in APPS)


def test_chinese_home_page(pack: Pack, text_of: Text) -> None:
    page = home_app(ctx("zh"), pack)
    assert isinstance(page, Page)
    text = text_of(page.widget)
    assert "信访举报业务训练与质量评查工具箱" in text
    assert t("home.tagline", "zh") in text
    assert pack.title("zh") in text and pack.ref in text
    for app in LISTED:
        assert t(app.title_key, "zh") in text
        assert t(app.audience_key, "zh") in text
        assert t(app.summary_key, "zh") in text
    assert "Petition and Report" not in text
    assert page.messages.text == ""


def test_english_home_page(pack: Pack, text_of: Text) -> None:
    text = text_of(home_app(ctx("en"), pack).widget)
    assert "Petition and Report Handling: Training and Quality Review Toolkit" in text
    assert pack.title("en") in text and pack.ref in text
    assert all(t(app.title_key, "en") in text for app in LISTED)
    assert "信访举报业务训练与质量评查工具箱" not in text


def test_one_card_per_app_without_home(pack: Pack, html_of: Text) -> None:
    markup = html_of(home_app(ctx("zh"), pack).widget)
    assert [app.code for app in LISTED if f'data-app="{app.code}"' in markup] == [app.code for app in LISTED]
    assert 'data-app="home"' not in markup


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_available_apps_link_to_their_notebook(pack: Pack, links_of: Links, lang: str) -> None:
    links = links_of(home_app(ctx(lang), pack, apps=all_available()).widget)
    for app in LISTED:
        expected = f"/voila/render/{app.notebook}?lang={lang}"
        assert (expected in links) is (not app.trainer_only), app.code


def test_unavailable_apps_say_coming_later(pack: Pack, text_of: Text, links_of: Links) -> None:
    apps = tuple(dataclasses.replace(app, available=app.code == "intake") for app in APPS)
    page = home_app(ctx("zh"), pack, apps=apps)
    text = text_of(page.widget)
    assert text.count(t("common.coming_later", "zh")) == len(LISTED) - 1
    assert [link for link in links_of(page.widget) if "/voila/render/" in link] == [
        "/voila/render/intake.ipynb?lang=zh"
    ]


def test_registry_as_shipped(pack: Pack, text_of: Text, links_of: Links) -> None:
    page = home_app(ctx("en"), pack)
    unavailable = [app for app in LISTED if not app.available]
    assert text_of(page.widget).count(t("common.coming_later", "en")) == len(unavailable)
    rendered = {link.split("?")[0].rsplit("/", 1)[-1] for link in links_of(page.widget) if "render" in link}
    assert rendered == {app.notebook for app in LISTED if app.available and not app.trainer_only}


def test_trainer_only_app_link_is_hidden_from_learners(pack: Pack, text_of: Text, links_of: Links) -> None:
    console = next(app for app in APPS if app.trainer_only)
    page = home_app(ctx("zh", key="guess"), pack, apps=all_available())
    assert not [link for link in links_of(page.widget) if console.notebook in link]
    text = text_of(page.widget)
    assert t(console.title_key, "zh") in text  # the card is there, marked, without a link
    assert t("common.trainer_only", "zh") in text
    assert t("home.trainer_only_link", "zh") in text


def test_trainer_sees_the_link_with_the_key(pack: Pack, links_of: Links, text_of: Text) -> None:
    console = next(app for app in APPS if app.trainer_only)
    page = home_app(ctx("en", TRAINER, key="s3cret"), pack, apps=all_available())
    links = links_of(page.widget)
    assert f"/voila/render/{console.notebook}?lang=en&key=s3cret" in links
    assert "/voila/render/intake.ipynb?lang=en&key=s3cret" in links
    assert t("page.trainer_badge", "en") in text_of(page.widget)


def test_learner_links_never_carry_a_key(pack: Pack, links_of: Links) -> None:
    links = links_of(home_app(ctx("zh", key="wrong"), pack, apps=all_available()).widget)
    app_links = [link for link in links if "/voila/render/" in link]
    assert app_links and all("key" not in link for link in app_links)


def test_links_follow_the_base_url() -> None:
    context = PageContext(lang="en", role=LEARNER, query={}, base_url="/user/ann/")
    assert app_href(APPS[1], context) == f"/user/ann/voila/render/{APPS[1].notebook}?lang=en"


def test_language_switch_keeps_the_key(pack: Pack, links_of: Links, html_of: Text) -> None:
    page = home_app(ctx("zh", TRAINER, key="s3cret"), pack)
    links = links_of(page.widget)
    assert "?lang=en&key=s3cret" in links
    assert not [link for link in links if link.startswith("?lang=zh")]  # the current language is text
    assert 'class="xf-lang-current"' in html_of(page.widget)


def test_text_from_the_pack_is_escaped(pack: Pack, html_of: Text, text_of: Text) -> None:
    hostile = dataclasses.replace(pack, title_zh='<img src=x onerror="alert(1)">')
    page = home_app(ctx("zh"), hostile)
    assert "<img" not in html_of(page.widget)
    assert '<img src=x onerror="alert(1)">' in text_of(page.widget)


def test_a_bad_pack_is_a_message_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, text_of: Text, tmp_path: Path
) -> None:
    monkeypatch.setenv("XFKIT_PACK", str(tmp_path / "no-such-pack"))
    with caplog.at_level(logging.WARNING, logger="xfkit.ui"):
        page = home_app(ctx("zh"))
    assert page.messages.kind == "error"
    assert page.messages.text.startswith(t("error.pack", "zh", detail="").rstrip())
    text = text_of(page.widget)
    assert t("page.pack_unavailable", "zh") in text
    assert "Traceback" not in text
    assert all(t(app.title_key, "zh") in text for app in LISTED)  # the rest of the page still works
    assert any(record.name == "xfkit.ui" and "PackError" in record.getMessage() for record in caplog.records)


def test_pack_comes_from_the_server_setting(monkeypatch: pytest.MonkeyPatch, text_of: Text) -> None:
    monkeypatch.setenv("XFKIT_PACK", str(SCENARIOS / "default"))
    page = home_app(ctx("en"))
    assert page.messages.text == ""
    assert "default@" in text_of(page.widget)


def test_context_is_read_from_the_request_when_not_given(
    monkeypatch: pytest.MonkeyPatch, pack: Pack, text_of: Text
) -> None:
    for name in ("VOILA_BASE_URL", "VOILA_PREHEAT", "VOILA_KERNEL_ID", "VOILA_SERVER_URL", "XFKIT_LANG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("QUERY_STRING", "lang=en")
    page = home_app(pack=pack)
    assert page.ctx.lang == "en" and page.ctx.role == LEARNER
    assert "Training and Quality Review Toolkit" in text_of(page.widget)
