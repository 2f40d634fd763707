"""Messages on a page, and :meth:`MessageArea.guard`: the handler every widget callback runs in.

A callback wrapped by ``guard`` never lets an exception reach the page:

* :class:`~toolkit.errors.AccessDenied` shows the access-denied text;
* any other :class:`~toolkit.errors.XfkitError` (an error a person can cause: a bad pack file, an
  impossible request) shows a readable message with the error's own description;
* anything else is a bug: the page shows a generic message and the full traceback goes to the
  ``xfkit.ui`` logger. Kernel stderr reaches the server's log; Voila strips stderr from the page when
  tracebacks are hidden, so the traceback is never shown to the learner.
"""

from __future__ import annotations

import functools
import html
import logging
from collections.abc import Callable, Mapping
from typing import ParamSpec, TypeVar

import ipywidgets as widgets  # type: ignore[import-untyped, unused-ignore]

from toolkit.errors import (
    AccessDenied,
    CalendarError,
    GenerationError,
    PackError,
    RuleError,
    StoreError,
    XfkitError,
)
from toolkit.i18n import t

__all__ = ["ERROR_KEYS", "MessageArea", "error_text"]

log = logging.getLogger("xfkit.ui")

P = ParamSpec("P")
R = TypeVar("R")

# The message for each kind of error; the most specific class in an error's MRO wins.
ERROR_KEYS: Mapping[type, str] = {
    AccessDenied: "error.access_denied",
    PackError: "error.pack",
    CalendarError: "error.calendar",
    RuleError: "error.rule",
    GenerationError: "error.generation",
    StoreError: "error.store",
    XfkitError: "error.xfkit",
}
GENERIC_ERROR_KEY = "error.unexpected"


def error_text(exc: BaseException, lang: str) -> str:
    """What a person reads for ``exc``: its catalogue message, or the generic one for a bug."""
    if isinstance(exc, XfkitError):
        for cls in type(exc).__mro__:
            key = ERROR_KEYS.get(cls)
            if key is not None:
                return t(key, lang, detail=str(exc))
    return t(GENERIC_ERROR_KEY, lang)


class MessageArea:
    """A strip under the page header for one message at a time (info or error).

    Parameters
    ----------
    lang
        The page's language, for the messages ``guard`` writes.

    Attributes
    ----------
    widget
        The Box to place on the page.
    text
        The message shown now (plain text; ``""`` when cleared).
    kind
        ``"info"``, ``"error"`` or ``""``.
    """

    def __init__(self, *, lang: str) -> None:
        self.lang = lang
        self.text = ""
        self.kind = ""
        self._html = widgets.HTML(value="")
        self.widget = widgets.VBox(children=(self._html,))
        self.widget.add_class("xf-messages")
        self.widget.layout.display = "none"

    def info(self, text: str) -> None:
        """Show ``text`` as information (replaces any message shown)."""
        self._show("info", text)

    def error(self, text: str) -> None:
        """Show ``text`` as an error (replaces any message shown)."""
        self._show("error", text)

    def clear(self) -> None:
        """Remove the message."""
        self.text = ""
        self.kind = ""
        self._html.value = ""
        self.widget.layout.display = "none"

    def _show(self, kind: str, text: str) -> None:
        self.text = text
        self.kind = kind
        role = "alert" if kind == "error" else "status"
        self._html.value = f'<div class="xf-msg xf-msg-{kind}" role="{role}">{html.escape(text)}</div>'
        self.widget.layout.display = None

    def show_exception(self, exc: BaseException) -> None:
        """Show the message for ``exc`` and log it (with the traceback when it is a bug)."""
        if isinstance(exc, XfkitError):
            log.warning("%s: %s", type(exc).__name__, exc)
        else:
            log.exception("unexpected error in a page callback", exc_info=exc)
        self.error(error_text(exc, self.lang))

    def guard(self, fn: Callable[P, R], *, clear: bool = True) -> Callable[P, R | None]:
        """Wrap a widget callback so that errors become messages here (``None`` is returned then).

        With ``clear`` (the default) the area is cleared before each call, so a message left over from an
        earlier attempt goes away. Use it as a decorator or around a callable:
        ``button.on_click(page.messages.guard(on_save))``.
        """

        @functools.wraps(fn)
        def guarded(*args: P.args, **kwargs: P.kwargs) -> R | None:
            if clear:
                self.clear()
            try:
                return fn(*args, **kwargs)
            except Exception as exc:
                self.show_exception(exc)
                return None

        return guarded
