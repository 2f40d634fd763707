"""The projector's leaderboard of a competition: large type, updated live, stopped while frozen.

Open with the competition's code (``board.ipynb?code=...``). It shows names and totals only, ranked by
total score with ties broken by the total time used, and the current round with its time left by the
server's clock. While the trainer has the board frozen it shows the standings at the moment of the freeze
(the console keeps the live order).
"""

from __future__ import annotations

import html

import ipywidgets as widgets  # type: ignore[import-untyped, unused-ignore]

from toolkit.competitions import board, snapshot, spec_of
from toolkit.generate.cases import CaseGenerator
from toolkit.i18n import t
from toolkit.packs import Pack
from toolkit.store import CompetitionRecord, Store
from toolkit.ui.console import board_table_html
from toolkit.ui.contest import round_line
from toolkit.ui.context import PageContext
from toolkit.ui.frame import Page
from toolkit.ui.practice import practice_page
from toolkit.ui.ticker import Ticker

__all__ = ["BoardApp", "board_app"]

APP = "board"
TICK_S = 2.0


class BoardApp:
    """The leaderboard's behaviour; built by :func:`board_app` inside a :class:`Page`."""

    def __init__(self, page: Page, pack: Pack, gen: CaseGenerator, url: str) -> None:
        self.page = page
        self.lang = page.lang
        self.store = Store.open(url)
        code = page.ctx.query.get("code", "").strip()
        self.record: CompetitionRecord | None = self.store.competition_by_code(code) if code else None
        self.view = widgets.HTML()
        self.view.add_class("xf-board-page")
        page.body.children = (self.view,)
        if self.record is None:
            page.messages.error(t("board.no_code", self.lang))
            return
        self.spec = spec_of(self.record)
        self.tick()
        self.ticker = Ticker(self.tick, TICK_S)

    def tick(self) -> None:
        if self.record is None:
            return
        lang = self.lang
        snap = snapshot(self.store, self.record, self.spec)
        rows, frozen = board(self.store, self.record, live=False)
        line = round_line(self.spec, snap, snap.current(), lang)
        note = ""
        if frozen:
            text = t("board.frozen", lang, time=f"{frozen:%H:%M:%S}")
            note = f'<p class="xf-board-frozen">{html.escape(text)}</p>'

        self.view.value = (
            f'<h2 class="xf-board-title">{html.escape(self.record.name)}</h2>'
            f'<p class="xf-board-round">{html.escape(line)}</p>{note}'
            + board_table_html(rows, lang, big=True)
        )


def board_app(ctx: PageContext | None = None, *, store: str | None = None) -> Page:
    """Build the projector's leaderboard."""
    return practice_page(
        lambda page, pack, gen, url: BoardApp(page, pack, gen, url), code=APP, ctx=ctx, store=store
    )
