"""A busy indicator: spinner and text while work runs, with the controls that start work disabled.

::

    busy = Busy(lang=ctx.lang)
    with busy.working(submit, reset):
        ...  # long work; submit and reset are disabled, the spinner shows

Afterwards (also when the work raised) every control gets back the ``disabled`` state it had before.
Disabling is a courtesy to the person, not a protection: a crafted message can still "click" a disabled
button, so callbacks check :attr:`Busy.active` (or their own state) on the server before starting work.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

import ipywidgets as widgets  # type: ignore[import-untyped, unused-ignore]

from toolkit.i18n import t

__all__ = ["Busy", "Disableable"]


class Disableable(Protocol):
    """Any control with a ``disabled`` trait (Button, Text, Dropdown ...)."""

    disabled: bool


class Busy:
    """A spinner with a line of text, hidden when idle.

    Parameters
    ----------
    lang
        The page's language.
    text_key
        Catalogue key of the text shown while busy (default ``common.busy``).

    Attributes
    ----------
    widget
        The Box to place on the page.
    """

    def __init__(self, *, lang: str, text_key: str = "common.busy") -> None:
        self.lang = lang
        self.text_key = text_key
        self._depth = 0
        self._html = widgets.HTML(value="")
        self.widget = widgets.HBox(children=(self._html,))
        self.widget.add_class("xf-busy")
        self.widget.layout.display = "none"

    @property
    def active(self) -> bool:
        """Whether work is running now."""
        return self._depth > 0

    @property
    def text(self) -> str:
        """The busy text in the page's language."""
        return t(self.text_key, self.lang)

    @contextmanager
    def working(self, *controls: Disableable) -> Iterator[None]:
        """Show the indicator and disable ``controls`` for the duration of the ``with`` block.

        Nested use is fine: the indicator hides when the outermost block ends.
        """
        before = [control.disabled for control in controls]
        for control in controls:
            control.disabled = True
        self._depth += 1
        if self._depth == 1:
            self._html.value = (
                f'<span class="xf-spinner" aria-hidden="true"></span>'
                f'<span role="status">{html.escape(self.text)}</span>'
            )
            self.widget.layout.display = None
        try:
            yield
        finally:
            self._depth -= 1
            if self._depth == 0:
                self._html.value = ""
                self.widget.layout.display = "none"
            for control, was_disabled in zip(controls, before, strict=True):
                control.disabled = was_disabled
