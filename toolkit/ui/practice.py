"""What the practice apps share: the pack loaded once per kernel, the learner's name, the start panel,
the log of refused actions and the attempt history with its chart.

Used by the intake simulator and the fault-finding exercise; the learner's identity is the name typed on
the start panel, kept per attempt.
"""

from __future__ import annotations

import html
import logging
import os
import unicodedata
from collections.abc import Callable, Sequence
from datetime import timedelta, timezone
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import ipywidgets as widgets  # type: ignore[import-untyped, unused-ignore]

from toolkit.charts import line_chart_svg
from toolkit.domain.codes import Level
from toolkit.errors import XfkitError
from toolkit.generate.cases import CaseGenerator
from toolkit.i18n import has_message, t
from toolkit.identity import hub_user
from toolkit.packs import Pack
from toolkit.packs.cache import cached_pack
from toolkit.ui.context import VOILA_PREHEAT_ENV, PageContext
from toolkit.ui.frame import Page

if TYPE_CHECKING:
    from toolkit.store import Scored, Store

__all__ = [
    "BEIJING",
    "NAME_MAX",
    "StartPanel",
    "history_html",
    "learner_name",
    "loaded_pack",
    "log_refusal",
    "practice_page",
    "StoreOnUse",
    "store_then_score",
    "store_url",
]

log = logging.getLogger("xfkit.ui")

NAME_MAX = 20
BEIJING = timezone(timedelta(hours=8))


@cache
def loaded_pack(pack_ref: str) -> tuple[Pack, CaseGenerator]:
    """The pack and its generator, once per kernel: validated once by the server, then from its cache."""
    pack = cached_pack(pack_ref)
    return pack, CaseGenerator(pack)


def store_url() -> str:
    """The store the server set (``$XFKIT_DB``), else the SQLite file in ``$XFKIT_DATA`` (or ./data)."""
    from toolkit.store.url import default_url  # not toolkit.store's names: those load SQLAlchemy

    return default_url(Path(os.environ.get("XFKIT_DATA", "data")))


class StoreOnUse:
    """A page whose store is opened at its first use, not while the page is built.

    The intake and fault-finding pages show a form first; loading SQLAlchemy (about 150 ms of a cold
    kernel) can wait until something is read or kept. ``xfkit serve`` opened the store before serving any
    page, so a wrong URL is reported there, in one line, not on the first save.
    """

    _store_url: str
    _opened: Store | None = None

    @property
    def store(self) -> Store:
        if self._opened is None:
            from toolkit.store import Store

            self._opened = Store.open(self._store_url)
        return self._opened


def learner_name(raw: object) -> str:
    """A learner's name as stored: NFC, printable characters only, stripped; empty if nothing is left."""
    text = unicodedata.normalize("NFC", str(raw or ""))
    return "".join(ch for ch in text if ch.isprintable()).strip()


class StartPanel:
    """Name, level, optional extra controls, and the button that starts the next attempt.

    ``on_start`` is called with the checked name and level; a missing or too long name is a message.
    """

    def __init__(
        self,
        *,
        page: Page,
        intro_key: str,
        next_key: str,
        on_start: Callable[[str, Level], None],
        extra: Sequence[widgets.Widget] = (),
    ) -> None:
        lang = page.lang
        self.page = page
        self._on_start = on_start
        narrow = {"description_width": "6em"}
        self.name = widgets.Text(
            description=t("practice.name", lang), placeholder=t("practice.name_hint", lang), style=narrow
        )
        self.level = widgets.ToggleButtons(
            options=[(lv.label(lang), lv.value) for lv in Level],
            value=Level.EASY.value,
            description=t("practice.level", lang),
            style=narrow,
        )
        self.next_button = widgets.Button(description=t(next_key, lang), button_style="primary")
        self.next_button.add_class("xf-primary")
        self.next_button.on_click(page.messages.guard(lambda _b: self.start()))
        self.widget = widgets.VBox(
            children=(
                widgets.HTML(value=f"<p>{html.escape(t(intro_key, lang))}</p>"),
                self.name,
                self.level,
                *extra,
                self.next_button,
            )
        )
        self.widget.add_class("xf-start")

    def start(self) -> None:
        name = learner_name(self.name.value)
        if not name:
            self.page.messages.error(t("practice.need_name", self.page.lang))
            return
        if len(name) > NAME_MAX:
            self.page.messages.error(t("practice.name_too_long", self.page.lang, max=NAME_MAX))
            return
        self._on_start(name, Level.parse(self.level.value))


def log_refusal(store: Store, page: Page, app: str, kind: str, actor: str, detail: dict[str, Any]) -> None:
    """Record a refused action in the store's event log and tell the page it was not accepted."""
    log.warning("refused %s.%s from %s: %s", app, kind, actor, detail)
    try:
        store.log_event(f"{app}.{kind}", actor, detail)
    except XfkitError:
        log.exception("could not log a refused action")
    page.messages.error(t("practice.refused", page.lang))


def _label(enum: Any, value: Any, lang: str) -> str:
    try:
        label: str = enum(value).label(lang)
    except ValueError:
        return str(value)
    return label


def history_html(
    done: Sequence[Scored],
    *,
    name: str,
    lang: str,
    extra: tuple[str, Callable[[Scored], str]] | None = None,
) -> str:
    """A learner's scored attempts, newest first, under a chart of their score over attempts.

    Each row shows the score stored when it was handed in and the pack version it was scored with: a
    newer pack never rescores an old attempt.

    ``extra`` adds one column: its catalogue key and a function giving the cell's text.
    """
    heading = f"<h2>{html.escape(t('practice.history.title', lang, name=name))}</h2>"
    if not done:
        return heading + f"<p>{html.escape(t('practice.history.none', lang))}</p>"
    rows = []
    points = []
    for n, item in enumerate(done, start=1):
        sub, score = item.submission, item.score.payload
        total, top = float(score.get("total", 0)), float(score.get("max", 0)) or 1.0
        percent = 100 * total / top
        points.append((str(n), percent))
        when = sub.created_at.astimezone(BEIJING).strftime("%m-%d %H:%M")
        cells = [str(n), when, sub.item_id]
        if extra is not None:
            cells.append(extra[1](item))
        cells.append(_label(Level, sub.payload.get("level"), lang))
        cells.append(sub.pack.partition("@")[2] or sub.pack)
        tds = "".join(f"<td>{html.escape(c)}</td>" for c in cells)
        rows.append(
            f'<tr>{tds}<td class="xf-num">{total:g} / {top:g}</td><td class="xf-num">{percent:.0f}%</td></tr>'
        )
    keys = ["practice.history.col.n", "practice.history.col.time", "practice.history.col.item"]
    if extra is not None:
        keys.append(extra[0])
    keys += [
        "practice.history.col.level",
        "practice.history.col.pack",
        "practice.history.col.score",
        "practice.history.col.percent",
    ]
    cols = "".join(f"<th>{html.escape(t(key, lang))}</th>" for key in keys)
    chart = line_chart_svg(
        points[-30:],
        max_value=100.0,
        title=t("practice.history.chart", lang),
        empty_text=t("practice.history.none", lang),
    )
    return (
        heading
        + f'<div class="xf-chart">{chart}</div>'
        + f'<table class="xf-table"><thead><tr>{cols}</tr></thead>'
        + f"<tbody>{''.join(reversed(rows))}</tbody></table>"
        + f'<p class="xf-note">{html.escape(t("practice.history.pack_note", lang))}</p>'
    )


def channel_cell(item: Scored, lang: str) -> str:
    """The channel of an intake attempt, as a label."""
    from toolkit.domain.codes import Channel

    return _label(Channel, item.submission.payload.get("channel"), lang)


def practice_page(
    make_app: Callable[[Page, Pack, CaseGenerator, str], object],
    *,
    code: str,
    ctx: PageContext | None,
    store: str | None,
    uses_store: bool = True,
) -> Page:
    """A practice app's page: the pack loaded first, then the page context, the frame and the app.

    The pack is loaded before the request's context is read: in a preheated kernel that happens before
    any request arrives, so the learner does not wait for it. A broken pack or store becomes a message.
    A page that keeps nothing (``uses_store=False``) gets ``""`` for the store and never imports
    SQLAlchemy (about 20 MB per kernel); a preheated kernel imports it before its request arrives, a cold
    one when the app first needs it (:class:`StoreOnUse`).
    """
    if uses_store and os.environ.get(VOILA_PREHEAT_ENV) == "True":
        import toolkit.store.api  # noqa: F401 - a preheated kernel has the time before its request arrives
    from toolkit.ui.context import page_context
    from toolkit.ui.home import pack_setting

    loaded: tuple[Pack, CaseGenerator] | None = None
    failure: XfkitError | None = None
    try:
        loaded = loaded_pack(pack_setting())
    except XfkitError as exc:
        failure = exc
    ctx = page_context() if ctx is None else ctx
    summary = f"app.{code}.summary"
    if hub_user() is not None and has_message(f"app.{code}.hub_summary"):
        summary = f"app.{code}.hub_summary"  # under a hub the login is the identity: no name to type
    page = Page(ctx=ctx, title_key=f"app.{code}.title", subtitle=t(summary, ctx.lang))
    if loaded is None:
        assert failure is not None
        page.messages.guard(_raise, clear=False)(failure)
        return page
    page.set_pack(loaded[0])
    try:
        url = "" if not uses_store else store if store is not None else store_url()
        make_app(page, *loaded, url)
    except XfkitError as exc:
        page.messages.guard(_raise, clear=False)(exc)
    return page


def _raise(exc: BaseException) -> None:
    raise exc


class Scorable(Protocol):
    """A score report: stored as its ``to_dict()``."""

    def to_dict(self) -> dict[str, Any]: ...


R = TypeVar("R", bound=Scorable)


def store_then_score(
    store: Store,
    *,
    app: str,
    actor: str,
    item_id: str,
    pack: str,
    seed: int | None,
    payload: dict[str, Any],
    score: Callable[[], R],
) -> R:
    """Store a submission, then compute its score and store that; the report, once both are stored."""
    made: list[R] = []

    def score_fn(_submission: object) -> dict[str, Any]:
        made.append(score())
        return made[0].to_dict()

    store.submit_and_score(
        app=app, actor=actor, item_id=item_id, pack=pack, seed=seed, payload=payload, score_fn=score_fn
    )
    return made[0]
