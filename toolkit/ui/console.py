"""The trainer's competition console (trainer-only): create a competition, run its rounds, watch it live.

Create: name, seed, the rounds (intake, fault finding, quiz: how many items, how many minutes), and the
same items for everyone or a variant of equal difficulty per contestant; the console shows the join code
and the links for contestants and the projector. Run: start, pause, resume and end each round, then release
its answers; freeze the projector's board for the last minutes (the console keeps the live order). Watch:
who joined, each contestant's progress and score, the live leaderboard, and after a round the item
analysis. Export: the results as an Excel workbook. Every action is checked again on the server, against
the round's state and the database's clock.
"""

from __future__ import annotations

import html
import logging
from urllib.parse import urlencode

import ipywidgets as widgets  # type: ignore[import-untyped, unused-ignore]

from toolkit.competition.events import ROUND_KINDS
from toolkit.competition.leaderboard import Standing
from toolkit.competition.model import CompetitionSpec, RoundSpec, spec_problems
from toolkit.competitions import (
    analysis,
    board,
    contest_results,
    create_competition,
    export_bytes,
    record_action,
    snapshot,
    spec_of,
)
from toolkit.errors import ContestRefused, XfkitError
from toolkit.generate.cases import CaseGenerator
from toolkit.generate.pick import new_seed
from toolkit.i18n import t
from toolkit.packs import Pack
from toolkit.store import CompetitionRecord, Store
from toolkit.ui.busy import Busy
from toolkit.ui.contest import clock_text, round_line
from toolkit.ui.context import PageContext, require_trainer
from toolkit.ui.download import XLSX_MIME, data_link
from toolkit.ui.frame import Page
from toolkit.ui.picker import Picker
from toolkit.ui.practice import practice_page
from toolkit.ui.ticker import Ticker

__all__ = ["ConsoleApp", "board_table_html", "console_app"]

APP = "console"
log = logging.getLogger("xfkit.ui")
TICK_S = 2.0
DEFAULTS = {"intake": (3, 20), "findings": (2, 15), "quiz": (20, 10)}
ACTIONS = ("start", "pause", "resume", "end", "release")


def _link(label: str, url: str) -> str:
    href = html.escape(url, quote=True)
    return f'{html.escape(label)} <a href="{href}" target="_blank"><code>{html.escape(url)}</code></a>'


def board_table_html(rows: list[Standing], lang: str, *, big: bool = False) -> str:
    """The leaderboard as a table: rank, name, total, time used."""
    if not rows:
        return f'<p class="xf-hint">{html.escape(t("console.no_contestants", lang))}</p>'
    cols = "".join(
        f"<th>{html.escape(t(f'board.col.{c}', lang))}</th>" for c in ("rank", "name", "total", "time")
    )
    body = "".join(
        f'<tr><td class="xf-num">{s.rank}</td><td>{html.escape(s.name)}</td>'
        f'<td class="xf-num">{s.total:g}</td><td class="xf-num">{clock_text(s.time_used_s)}</td></tr>'
        for s in rows
    )
    cls = "xf-table xf-board" if big else "xf-table"
    return f'<table class="{cls}"><thead><tr>{cols}</tr></thead><tbody>{body}</tbody></table>'


class ConsoleApp:
    """The console's behaviour; built by :func:`console_app` inside a :class:`Page`."""

    def __init__(self, page: Page, pack: Pack, gen: CaseGenerator, url: str) -> None:
        require_trainer(page.ctx)
        self.page = page
        self.pack = pack
        self.lang = lang = page.lang
        self.store = Store.open(url)
        self.record: CompetitionRecord | None = None
        self.spec: CompetitionSpec | None = None
        guard = page.messages.guard
        style = {"description_width": "8em"}
        self.name = widgets.Text(
            value=t("console.default_name", lang), description=t("console.name", lang), style=style
        )
        self.seed = widgets.BoundedIntText(
            value=new_seed() % 1_000_000, min=0, max=2**40, description=t("console.seed", lang), style=style
        )
        self.rows: dict[str, tuple[widgets.Checkbox, widgets.BoundedIntText, widgets.BoundedIntText]] = {}
        round_rows = []
        for kind in ROUND_KINDS:
            count, minutes = DEFAULTS[kind]
            use = widgets.Checkbox(
                value=True,
                description=t(f"contest.kind.{kind}", lang),
                indent=False,
                layout=widgets.Layout(width="10em"),
            )
            n = widgets.BoundedIntText(
                value=count,
                min=1,
                max=100,
                description=t("console.count", lang),
                style={"description_width": "4em"},
                layout=widgets.Layout(width="11em"),
            )
            m = widgets.BoundedIntText(
                value=minutes,
                min=1,
                max=240,
                description=t("console.minutes", lang),
                style={"description_width": "5em"},
                layout=widgets.Layout(width="12em"),
            )
            self.rows[kind] = (use, n, m)
            round_rows.append(widgets.HBox(children=(use, n, m)))
        self.variants = widgets.Checkbox(value=False, description=t("console.variants", lang), indent=False)
        self.create_button = widgets.Button(description=t("console.create", lang), button_style="primary")
        self.create_button.on_click(guard(lambda _b: self.create()))
        create = widgets.VBox(children=(self.name, self.seed, *round_rows, self.variants, self.create_button))
        create.add_class("xf-start")

        self._pick = Picker(
            on_pick=guard(self.show),
            description=t("console.pick", lang),
            style=style,
            layout=widgets.Layout(width="100%", max_width="40em"),
        )
        self.pick = self._pick.widget
        self.links = widgets.HTML()
        self.rounds_box = widgets.VBox()
        self.freeze_button = widgets.Button(description=t("console.freeze", lang))
        self.unfreeze_button = widgets.Button(description=t("console.unfreeze", lang))
        self.freeze_button.on_click(guard(lambda _b: self.act(0, "freeze")))
        self.unfreeze_button.on_click(guard(lambda _b: self.act(0, "unfreeze")))
        self.live = widgets.HTML()
        self.analysis_pick = widgets.Dropdown(
            description=t("console.analysis_round", lang), style=style, layout=widgets.Layout(width="24em")
        )
        self.analysis_pick.observe(guard(lambda _c: self.show_analysis()), names="value")
        self.analysis_out = widgets.HTML()
        self.export_button = widgets.Button(description=t("console.export", lang))
        self.export_button.on_click(guard(lambda _b: self.export()))
        self.export_link = widgets.HTML()
        self.busy = Busy(lang=lang)
        run = widgets.VBox(
            children=(
                self.pick,
                self.links,
                self.rounds_box,
                widgets.HBox(children=(self.freeze_button, self.unfreeze_button)),
                self.live,
                widgets.HTML(value=f"<h3>{html.escape(t('console.analysis', lang))}</h3>"),
                self.analysis_pick,
                self.analysis_out,
                widgets.HBox(children=(self.export_button, self.busy.widget)),
                self.export_link,
            )
        )
        self.tabs = widgets.Tab(children=(run, create))
        self.tabs.titles = (t("console.tab.run", lang), t("console.tab.new", lang))
        self.tabs.add_class("xf-tabs")
        page.body.children = (self.tabs,)
        self._list()
        self.ticker = Ticker(self.tick, TICK_S)

    # -- creating ----------------------------------------------------------------------------------

    def create(self) -> None:
        require_trainer(self.page.ctx)
        rounds = tuple(
            RoundSpec(kind, int(n.value), int(m.value))
            for kind, (use, n, m) in self.rows.items()
            if use.value
        )
        spec = CompetitionSpec(
            name=str(self.name.value).strip(),
            pack=self.pack.name,
            seed=int(self.seed.value),
            rounds=rounds,
            variants=bool(self.variants.value),
        )
        problems = spec_problems(spec)
        if problems:
            raise XfkitError("; ".join(problems))
        record = create_competition(self.store, spec, self.pack)
        self._list(record.id)
        self.tabs.selected_index = 0
        self.page.messages.info(t("console.created", self.lang, code=record.code))

    # -- choosing and showing ----------------------------------------------------------------------

    def _list(self, select: str | None = None) -> None:
        records = self.store.competitions()
        options = [(f"{r.name} ({r.code})", r.id) for r in records]
        self._pick.set(options, select if select is not None else (options[0][1] if options else None))
        self.show(str(self.pick.value or ""))

    def show(self, competition_id: str) -> None:
        require_trainer(self.page.ctx)
        lang = self.lang
        if not competition_id:
            self.record = self.spec = None
            self.links.value = f'<p class="xf-hint">{html.escape(t("console.none", lang))}</p>'
            self.rounds_box.children = ()
            return
        self.record = next((r for r in self.store.competitions() if r.id == competition_id), None)
        if self.record is None:
            return
        self.spec = spec_of(self.record)
        base = self.page.ctx.base_url
        contest = f"{base}voila/render/contest.ipynb?{urlencode({'code': self.record.code})}"
        board_url = f"{base}voila/render/board.ipynb?{urlencode({'code': self.record.code})}"
        code = html.escape(self.record.code)
        self.links.value = (
            f'<p class="xf-code">{html.escape(t("console.code", lang))} <b>{code}</b></p>'
            f"<p>{_link(t('console.contest_link', lang), contest)}<br>"
            f"{_link(t('console.board_link', lang), board_url)}</p>"
        )
        rows = []
        self.round_lines: list[widgets.HTML] = []
        for n, _spec in enumerate(self.spec.rounds, start=1):
            line = widgets.HTML()
            buttons = []
            for kind in ACTIONS:
                button = widgets.Button(
                    description=t(f"console.action.{kind}", lang), layout=widgets.Layout(width="auto")
                )
                button.on_click(self.page.messages.guard(lambda _b, n=n, kind=kind: self.act(n, kind)))
                buttons.append(button)
            self.round_lines.append(line)
            row = widgets.VBox(children=(line, widgets.HBox(children=tuple(buttons))))
            row.add_class("xf-round")
            rows.append(row)
        self.rounds_box.children = tuple(rows)
        self.analysis_pick.options = [
            (t("contest.round_no", lang, n=n, total=len(self.spec.rounds)), n)
            for n in range(1, len(self.spec.rounds) + 1)
        ]
        self.export_link.value = ""
        self.tick()

    def tick(self) -> None:
        """Bring the round states, the contestants' progress and the live board up to date."""
        if self.record is None or self.spec is None:
            return
        lang = self.lang
        snap = snapshot(self.store, self.record, self.spec)
        for n, line in enumerate(getattr(self, "round_lines", []), start=1):
            released = t("console.released", lang) if snap.states[n - 1].released else ""
            line.value = f"<b>{html.escape(round_line(self.spec, snap, n, lang))}</b> {html.escape(released)}"
        rows, _ = board(self.store, self.record, live=True)
        results = contest_results(self.store, self.record)
        answered: dict[tuple[str, int], int] = {}
        for r in results:
            answered[(r.contestant, r.round)] = answered.get((r.contestant, r.round), 0) + 1
        frozen = ""
        if snap.frozen_at:
            text = t("console.frozen", lang, time=f"{snap.frozen_at:%H:%M:%S}")
            frozen = f'<p class="xf-hint">{html.escape(text)}</p>'

        heads = "".join(
            f"<th>{html.escape(t('contest.round_no', lang, n=n, total=len(self.spec.rounds)))}</th>"
            for n in range(1, len(self.spec.rounds) + 1)
        )
        progress = "".join(
            f"<tr><td>{html.escape(s.name)}</td>"
            + "".join(
                f'<td class="xf-num">{answered.get((s.contestant, n), 0)} / {r.count}'
                f" · {s.per_round.get(n, 0):g}</td>"
                for n, r in enumerate(self.spec.rounds, start=1)
            )
            + f'<td class="xf-num">{s.total:g}</td></tr>'
            for s in rows
        )
        self.live.value = (
            f"<h3>{html.escape(t('console.live', lang, n=len(rows)))}</h3>{frozen}"
            + board_table_html(rows, lang)
            + f"<h3>{html.escape(t('console.progress', lang))}</h3>"
            + f'<table class="xf-table"><thead><tr><th>{html.escape(t("board.col.name", lang))}</th>{heads}'
            + f"<th>{html.escape(t('board.col.total', lang))}</th></tr></thead>"
            + f"<tbody>{progress}</tbody></table>"
        )

    # -- actions -----------------------------------------------------------------------------------

    def act(self, round_no: int, kind: str) -> None:
        """A round action, checked on the server against the round's state."""
        require_trainer(self.page.ctx)
        if self.record is None or self.spec is None:
            return
        try:
            record_action(self.store, self.record, self.spec, round_no, kind)
        except ContestRefused as exc:
            detail = {"competition": self.record.id, "round": round_no, "action": kind}
            log.warning("refused %s.%s: %s %s", APP, exc.reason, detail, exc)
            self.store.log_event(f"{APP}.{exc.reason}", "trainer", detail)
            self.page.messages.error(t("console.refused", self.lang, reason=str(exc)))
            return
        self.tick()
        if kind in ("end", "release") and round_no:
            self.analysis_pick.value = round_no
            self.show_analysis()

    def show_analysis(self) -> None:
        require_trainer(self.page.ctx)
        if self.record is None or self.spec is None or not self.analysis_pick.value:
            return
        lang = self.lang
        round_no = int(self.analysis_pick.value)
        stats = analysis(self.store, self.record, self.spec, round_no)
        if not stats:
            self.analysis_out.value = f'<p class="xf-hint">{html.escape(t("console.no_answers", lang))}</p>'
            return
        kind = self.spec.round(round_no).kind
        self._stems = {
            str(sub.submission.payload.get("question")): str(sub.submission.payload.get("stem", ""))
            for sub in self.store.contest_submissions(self.record.id)
            if sub.submission.payload.get("kind") == "quiz"
        }
        rows = "".join(
            f'<tr><td>{html.escape(self._unit_label(kind, s.unit))}</td><td class="xf-num">{s.n}</td>'
            f'<td class="xf-num">{s.p:.0%}</td>'
            f'<td class="xf-num">{"–" if s.discrimination is None else f"{s.discrimination:+.2f}"}</td></tr>'
            for s in stats
        )
        cols = "".join(
            f"<th>{html.escape(t(f'console.col.{c}', lang))}</th>" for c in ("unit", "n", "p", "d")
        )
        self.analysis_out.value = (
            f'<table class="xf-table"><thead><tr>{cols}</tr></thead><tbody>{rows}</tbody></table>'
            f'<p class="xf-hint">{html.escape(t("console.analysis_hint", lang))}</p>'
        )

    def _unit_label(self, kind: str, unit: str) -> str:
        if kind == "findings" and unit in self.pack.defects.types:
            return self.pack.defects.types[unit].name
        if kind == "quiz":
            stem = getattr(self, "_stems", {}).get(unit, "")
            return stem[:80] or unit
        key = f"intake.report.field.{unit}"
        from toolkit.i18n import has_message

        return t(key, self.lang) if has_message(key) else unit

    def export(self) -> None:
        require_trainer(self.page.ctx)
        if self.record is None or self.spec is None:
            return
        with self.busy.working(self.export_button):
            data = export_bytes(self.store, self.record, lang=self.lang)
        self.export_link.value = data_link(
            data, XLSX_MIME, f"{self.record.code}.xlsx", t("console.download", self.lang)
        )


def console_app(ctx: PageContext | None = None, *, store: str | None = None) -> Page:
    """Build the competition console; anyone who is not a trainer sees only the access-denied message."""
    return practice_page(
        lambda page, pack, gen, url: ConsoleApp(page, pack, gen, url), code=APP, ctx=ctx, store=store
    )
