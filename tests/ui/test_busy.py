"""Busy: spinner while working, controls disabled, and re-enabled afterwards even on error."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets
import pytest

from toolkit.i18n import t
from toolkit.ui.busy import Busy
from toolkit.ui.messages import MessageArea

Text = Callable[[Any], str]


def test_controls_are_disabled_while_working_and_enabled_after(text_of: Text) -> None:
    busy = Busy(lang="zh")
    save, reset = widgets.Button(), widgets.Button()
    assert not busy.active and text_of(busy.widget) == ""
    with busy.working(save, reset):
        assert save.disabled and reset.disabled and busy.active
        assert t("common.busy", "zh") in text_of(busy.widget)
    assert not save.disabled and not reset.disabled and not busy.active
    assert text_of(busy.widget) == ""


def test_controls_are_re_enabled_after_an_exception() -> None:
    busy = Busy(lang="en")
    save = widgets.Button()
    with pytest.raises(RuntimeError), busy.working(save):
        raise RuntimeError("boom")
    assert not save.disabled and not busy.active
    assert busy.widget.layout.display == "none"


def test_a_control_disabled_before_stays_disabled() -> None:
    busy = Busy(lang="zh")
    locked, free = widgets.Button(disabled=True), widgets.Text()
    with busy.working(locked, free):
        assert locked.disabled and free.disabled
    assert locked.disabled and not free.disabled


def test_nested_work_keeps_the_indicator_until_the_outer_block_ends() -> None:
    busy = Busy(lang="zh")
    with busy.working():
        with busy.working():
            pass
        assert busy.active and busy.widget.layout.display != "none"
    assert not busy.active


def test_custom_text_key(text_of: Text) -> None:
    busy = Busy(lang="en", text_key="page.pack_unavailable")
    with busy.working():
        assert t("page.pack_unavailable", "en") in text_of(busy.widget)


def test_guarded_click_that_fails_while_busy(caplog: pytest.LogCaptureFixture) -> None:
    messages, busy = MessageArea(lang="zh"), Busy(lang="zh")
    button = widgets.Button(description="submit")

    def on_click(_: object) -> None:
        with busy.working(button):
            raise ValueError("bad")

    button.on_click(messages.guard(on_click))
    with caplog.at_level(logging.ERROR, logger="xfkit.ui"):
        button.click()
    assert not button.disabled and not busy.active
    assert messages.text == t("error.unexpected", "zh")
