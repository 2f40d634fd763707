"""A dropdown that the page can move itself without that counting as the person's choice.

Setting a dropdown's options or value from the kernel fires the same observers a person's choice does;
:class:`Picker` tells them apart, so a page refreshing its list never reopens what the person is working on.
Options are replaced only when they really change: replacing them together with the value makes the browser
echo the old choice back, and a page would flip between two items.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import ipywidgets as widgets  # type: ignore[import-untyped, unused-ignore]

__all__ = ["Picker"]


class Picker:
    """A Dropdown (``.widget``) calling ``on_pick(value)`` only when the person picks."""

    def __init__(self, *, on_pick: Callable[[str], Any], **dropdown: Any) -> None:
        self.widget = widgets.Dropdown(**dropdown)
        self._on_pick = on_pick
        self._quiet = False
        self.widget.observe(self._changed, names="value")

    def _changed(self, _change: object) -> None:
        if not self._quiet:
            self._on_pick(str(self.widget.value or ""))

    def set(self, options: Sequence[tuple[str, Any]], value: Any) -> None:
        """Show ``options`` with ``value`` chosen, without calling ``on_pick``."""
        self._quiet = True
        try:
            if list(self.widget.options) != list(options):
                self.widget.options = list(options)
            if self.widget.value != value:
                self.widget.value = value
        finally:
            self._quiet = False
