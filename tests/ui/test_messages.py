"""MessageArea and guard: errors in callbacks become readable messages, bugs are logged, not shown."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets
import pytest

from toolkit.errors import AccessDenied, PackInvalid, RuleError, XfkitError
from toolkit.i18n import t
from toolkit.ui.messages import MessageArea, error_text

Text = Callable[[Any], str]
TRACEBACK_MARKERS = ("Traceback", 'File "', "RuntimeError", "line ", "internal detail 42")


def test_info_error_and_clear(text_of: Text) -> None:
    area = MessageArea(lang="zh")
    assert area.widget.layout.display == "none" and text_of(area.widget) == ""
    area.info("已保存")
    assert (area.kind, area.text) == ("info", "已保存")
    assert "已保存" in text_of(area.widget)
    area.error("出错了")
    assert area.kind == "error" and "已保存" not in text_of(area.widget)
    area.clear()
    assert (area.kind, area.text) == ("", "") and text_of(area.widget) == ""


def test_messages_are_escaped(html_of: Text, text_of: Text) -> None:
    area = MessageArea(lang="en")
    area.error("<script>alert(1)</script>")
    assert "<script>" not in html_of(area.widget)
    assert "<script>alert(1)</script>" in text_of(area.widget)


def test_xfkit_error_becomes_a_readable_message(caplog: pytest.LogCaptureFixture, text_of: Text) -> None:
    area = MessageArea(lang="zh")

    @area.guard
    def on_click(_: object) -> str:
        raise RuleError("no rule for this item")

    with caplog.at_level(logging.WARNING, logger="xfkit.ui"):
        assert on_click(None) is None
    assert area.kind == "error"
    assert area.text == t("error.rule", "zh", detail="no rule for this item")
    assert "no rule for this item" in text_of(area.widget)
    assert [r.levelno for r in caplog.records if r.name == "xfkit.ui"] == [logging.WARNING]
    assert all(r.exc_info is None for r in caplog.records)


def test_pack_errors_list_every_problem() -> None:
    exc = PackInvalid("default", [])
    assert error_text(exc, "en") == t("error.pack", "en", detail=str(exc))


def test_access_denied_gets_its_own_text() -> None:
    area = MessageArea(lang="en")
    area.guard(_raise)(AccessDenied("trainer only"))
    assert area.text == t("error.access_denied", "en")


def test_plain_xfkit_error_uses_the_general_text() -> None:
    assert error_text(XfkitError("cannot"), "zh") == t("error.xfkit", "zh", detail="cannot")


def test_a_bug_becomes_the_generic_message_and_is_logged(
    caplog: pytest.LogCaptureFixture, text_of: Text, html_of: Text
) -> None:
    area = MessageArea(lang="zh")
    button = widgets.Button(description="go")

    def on_click(_: object) -> None:
        raise RuntimeError("internal detail 42")

    button.on_click(area.guard(on_click))
    with caplog.at_level(logging.ERROR, logger="xfkit.ui"):
        button.click()
    assert area.text == t("error.unexpected", "zh")
    shown = text_of(area.widget) + html_of(area.widget)
    assert not [marker for marker in TRACEBACK_MARKERS if marker in shown]
    (record,) = [r for r in caplog.records if r.name == "xfkit.ui"]
    assert record.levelno == logging.ERROR and record.exc_info is not None
    assert isinstance(record.exc_info[1], RuntimeError)
    assert "internal detail 42" in caplog.text and "Traceback" in caplog.text


def test_guard_returns_the_result_and_clears_an_old_message() -> None:
    area = MessageArea(lang="en")
    area.error("old")
    assert area.guard(lambda x: x * 2)(21) == 42
    assert area.text == ""


def test_guard_can_keep_an_earlier_message() -> None:
    area = MessageArea(lang="en")
    area.error("earlier")
    area.guard(lambda: None, clear=False)()
    assert area.text == "earlier"


def test_guard_does_not_swallow_interrupts() -> None:
    area = MessageArea(lang="en")
    with pytest.raises(KeyboardInterrupt):
        area.guard(_raise)(KeyboardInterrupt())


def test_guard_keeps_the_callback_name() -> None:
    def on_submit() -> None:
        """Submit."""

    assert MessageArea(lang="zh").guard(on_submit).__name__ == "on_submit"


def _raise(exc: BaseException) -> None:
    raise exc
