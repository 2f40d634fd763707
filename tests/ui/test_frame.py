"""The page frame: stylesheet once, title from the catalogue, pack line, language switch, body."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from toolkit.i18n import t
from toolkit.packs import Pack
from toolkit.ui.context import LEARNER, TRAINER, PageContext
from toolkit.ui.frame import Page, switch_href

Text = Callable[[Any], str]
Links = Callable[[Any], list[str]]


def _styles(widget: Any) -> int:
    count = 1 if str(getattr(widget, "value", "")).startswith("<style") else 0
    return count + sum(_styles(child) for child in getattr(widget, "children", ()))


def test_page_parts(text_of: Text) -> None:
    page = Page(
        ctx=PageContext(lang="zh", role=LEARNER, query={}), title_key="app.ledger.title", subtitle="一行"
    )
    assert isinstance(page.widget, widgets.VBox) and isinstance(page.body, widgets.VBox)
    assert page.body in page.widget.children and page.messages.widget in page.widget.children
    assert "xf-page" in page.widget._dom_classes
    assert _styles(page.widget) == 1
    text = text_of(page.widget)
    assert t("app.ledger.title", "zh") in text and "一行" in text
    assert t("page.pack_unavailable", "zh") in text
    assert t("page.trainer_badge", "zh") not in text


def test_content_goes_in_the_body(text_of: Text) -> None:
    page = Page(ctx=PageContext(lang="en", role=LEARNER, query={}), title_key="home.title")
    page.body.children = (widgets.Label(value="hello body"),)
    assert "hello body" in text_of(page.widget)
    assert _styles(page.widget) == 1


def test_pack_line(pack: Pack, text_of: Text) -> None:
    page = Page(ctx=PageContext(lang="en", role=TRAINER, query={}), title_key="home.title", pack=pack)
    text = text_of(page.widget)
    assert t("page.pack", "en", title=pack.title("en"), ref=pack.ref) in text
    assert t("page.trainer_badge", "en") in text
    page.set_pack(None)
    assert t("page.pack_unavailable", "en") in text_of(page.widget)


def test_language_switch(links_of: Links, text_of: Text) -> None:
    ctx = PageContext(lang="en", role=LEARNER, query={"lang": "en", "key": "k", "round": "a b"})
    page = Page(ctx=ctx, title_key="home.title")
    assert links_of(page.widget) == ["?lang=zh&key=k&round=a+b"]
    text = text_of(page.widget)
    assert t("lang.zh", "en") in text and t("lang.en", "en") in text


def test_switch_href_without_other_parameters() -> None:
    assert switch_href(PageContext(lang="zh", role=LEARNER, query={}), "en") == "?lang=en"
