"""The ledger dashboard: red, orange and yellow deadline cards for every open item on a chosen date.

The page starts with the demo ledger (``$XFKIT_DATA/demo/ledger.xlsx``, or one generated in memory) and
takes an uploaded CSV or Excel ledger, imported all or nothing: a file with problems lists them and the
previous ledger stays. Controls: the as-of date (today by default), the card scheme, filters by handling
unit, category and key group. Shown: counts per colour (each item carded by its own closing or
report-back limit) and how many open items are past their milestone (a lead's disposal proposal: shown,
never carded), units ×
colours as a chart and a table, the red list by days overdue with each item's milestone and whether it
is past, a printable supervision notice per red item, monthly trends with the
change on a year before, and an Excel download of the current view. Downloads are ``data:`` links made in
the kernel, so nothing is served from the file system.
"""

from __future__ import annotations

import html
import logging
import os
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import ipywidgets as widgets  # type: ignore[import-untyped, unused-ignore]
import pandas as pd

from toolkit.charts import line_chart_svg, stacked_bar_svg
from toolkit.domain.codes import CardColor, Category
from toolkit.errors import PackError
from toolkit.generate.cases import CaseGenerator
from toolkit.i18n import t
from toolkit.ledger.views import KEY_GROUPS, ViewFilter, apply_filter, milestone_past, monthly_trends
from toolkit.packs import Pack
from toolkit.rules.ledger_cards import card_counts, ledger_cards, red_list
from toolkit.ui.busy import Busy
from toolkit.ui.context import PageContext
from toolkit.ui.download import XLSX_MIME, data_link
from toolkit.ui.frame import Page
from toolkit.ui.practice import practice_page

__all__ = ["CARD_FILL", "LedgerDashboard", "ledger_app"]

APP = "ledger"
log = logging.getLogger("xfkit.ui")
CARD_FILL = {
    "red": "#c62828",
    "orange": "#ef6c00",
    "yellow": "#f9a825",
    "blue": "#1565c0",
    "green": "#2e7d32",
}
#: rows above which the Excel download of the view is refused (the CLI writes any size)
EXPORT_MAX_ROWS = 200_000
RED_LIST_MAX = 200


class LedgerDashboard:
    """The dashboard's behaviour; :func:`ledger_app` builds it inside a :class:`Page`."""

    def __init__(self, page: Page, pack: Pack, gen: CaseGenerator, *, data_dir: Path) -> None:
        self.page = page
        self.pack = pack
        self.gen = gen
        self.lang = lang = page.lang
        self.frame: pd.DataFrame | None = None
        self.cards: pd.DataFrame | None = None
        self.source = ""
        self._red: pd.DataFrame | None = None
        self._quiet = False
        guard = page.messages.guard
        narrow = {"description_width": "6em"}
        self.as_of = widgets.DatePicker(description=t("ledger.as_of", lang), value=date.today(), style=narrow)
        self.scheme = widgets.ToggleButtons(
            options=[(s.label(lang), s.code) for s in pack.rules.card_schemes],
            value=pack.rules.card_schemes[0].code,
            description=t("ledger.scheme", lang),
            style=narrow,
        )
        self.unit = widgets.Dropdown(description=t("ledger.unit", lang), style=narrow)
        self.category = widgets.Dropdown(
            options=[(t("ledger.all", lang), ""), *((c.label(lang), c.value) for c in Category)],
            value="",
            description=t("ledger.category", lang),
            style=narrow,
        )
        self.group = widgets.Dropdown(
            options=[(t("ledger.all", lang), ""), *((t(f"ledger.group.{g}", lang), g) for g in KEY_GROUPS)],
            value="",
            description=t("ledger.group", lang),
            style=narrow,
        )
        self.upload = widgets.FileUpload(
            accept=".csv,.xlsx",
            multiple=False,
            description=t("ledger.upload", lang),
            layout=widgets.Layout(width="auto"),
        )
        self.busy = Busy(lang=lang, text_key="ledger.loading")
        self.progress = widgets.IntProgress(value=0, min=0, max=100, layout=widgets.Layout(width="24em"))
        self.progress.layout.display = "none"
        self.source_line = widgets.HTML(value="")
        self.summary = widgets.HTML(value="")
        self.units = widgets.HTML(value="")
        self.red = widgets.HTML(value="")
        self.notice_pick = widgets.Dropdown(
            description=t("ledger.notice.pick", lang),
            style=narrow,
            layout=widgets.Layout(width="100%", max_width="44em"),
        )
        self.notice = widgets.HTML(value="")
        self.trends = widgets.HTML(value="")
        self.snapshot_button = widgets.Button(
            description=t("ledger.snapshot", lang), layout=widgets.Layout(width="auto")
        )
        self.snapshot_button.on_click(guard(lambda _b: self.view_at_snapshot()))
        self.export_button = widgets.Button(description=t("ledger.export", lang))
        self.export_link = widgets.HTML(value="")

        for control in (self.as_of, self.scheme, self.unit, self.category, self.group):
            control.observe(guard(lambda _change: self.refresh()), names="value")
        self.notice_pick.observe(guard(lambda _change: self.show_notice()), names="value")
        self.upload.observe(guard(lambda _change: self.load_upload()), names="value")
        self.export_button.on_click(guard(lambda _b: self.export()))

        controls = widgets.VBox(
            children=(
                widgets.HBox(
                    children=(self.as_of, self.snapshot_button, self.upload),
                    layout=widgets.Layout(flex_flow="row wrap"),
                ),
                self.scheme,
                widgets.HBox(
                    children=(self.unit, self.category, self.group),
                    layout=widgets.Layout(flex_flow="row wrap"),
                ),
                widgets.HBox(children=(self.busy.widget, self.progress)),
                self.source_line,
            )
        )
        controls.add_class("xf-start")

        def section(key: str, *children: widgets.Widget) -> widgets.VBox:
            box = widgets.VBox(
                children=(widgets.HTML(value=f"<h2>{html.escape(t(key, lang))}</h2>"), *children)
            )
            box.add_class("xf-section")
            return box

        page.body.children = (
            controls,
            self.summary,
            section("ledger.units.title", self.units),
            section("ledger.red.title", self.red, self.notice_pick, self.notice),
            section("ledger.trends.title", self.trends),
            section("ledger.export.title", self.export_button, self.export_link),
        )
        self.load_default(data_dir)

    # -- loading -----------------------------------------------------------------------------------
    def load_default(self, data_dir: Path) -> None:
        """The demo ledger written by the server's first run, or one generated in memory."""
        from toolkit.demo import DEMO_LEDGER, DEMO_SEED

        path = data_dir / "demo" / "ledger.xlsx"
        if path.is_file():
            from toolkit.ledger.cache import cached_ledger

            with self.busy.working():
                frame = cached_ledger(path, self.pack, progress=self._progress)
            self.set_ledger(frame, t("ledger.source.demo", self.lang, name=path.name))
            return
        from toolkit.generate.ledger import ledger_items
        from toolkit.ledger.frame import ledger_frame

        frame = ledger_frame(ledger_items(self.gen, DEMO_SEED, DEMO_LEDGER))
        self.set_ledger(frame, t("ledger.source.generated", self.lang, count=len(frame)))

    def load_upload(self) -> None:
        """Import the uploaded file; on any problem the page lists them and keeps the current ledger."""
        from toolkit.ledger.importer import read_ledger

        files = self.upload.value
        if not files:
            return
        item = files[0]
        name = Path(str(item["name"])).name
        suffix = Path(name).suffix.lower()
        if suffix not in (".csv", ".xlsx"):
            # the browser offers only these; anything else came from a crafted message
            log.warning("refused ledger.bad-type upload: %r", name[:80])
            self.page.messages.error(t("ledger.bad_type", self.lang, name=name))
            return
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"upload{suffix}"
            path.write_bytes(bytes(item["content"]))
            with self.busy.working(self.upload):
                frame = read_ledger(path, self.pack, progress=self._progress)
        self.set_ledger(frame, t("ledger.source.upload", self.lang, name=name, count=len(frame)))
        self.page.messages.info(t("ledger.loaded", self.lang, name=name, count=len(frame)))

    def set_ledger(self, frame: pd.DataFrame, source: str) -> None:
        self.frame = frame
        self.source = source
        self.progress.layout.display = "none"
        units = sorted(set(frame["handler_unit"]) - {""})
        self._quiet = True
        try:
            self.unit.options = [(t("ledger.all", self.lang), ""), *((self._unit_name(u), u) for u in units)]
            self.unit.value = ""
        finally:
            self._quiet = False
        latest = frame["received"].max()
        day = latest.date().isoformat() if pd.notna(latest) else "-"
        line = f"{source} · {t('ledger.latest', self.lang, day=day)}"
        self.source_line.value = f'<p class="xf-hint">{html.escape(line)}</p>'
        self.refresh()

    def view_at_snapshot(self) -> None:
        """Look at the ledger on the day of its latest item (a ledger exported some time ago)."""
        if self.frame is None or self.frame.empty:
            return
        latest = self.frame["received"].max()
        if pd.notna(latest):
            self.as_of.value = latest.date()

    def _view(self) -> ViewFilter:
        return ViewFilter(
            unit=str(self.unit.value or ""),
            category=str(self.category.value or ""),
            group=str(self.group.value or ""),
        )

    def _progress(self, done: int, total: int) -> None:
        self.progress.layout.display = None
        self.progress.max = max(total, 1)
        self.progress.value = min(done, self.progress.max)

    def _unit_name(self, code: str) -> str:
        j = self.pack.jurisdiction
        return j.name(code) if j.has(code) else code

    # -- the view ----------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Recompute the cards for the as-of date and scheme, then every part of the view."""
        if self.frame is None or self._quiet:
            return
        lang = self.lang
        as_of = self.as_of.value
        if not isinstance(as_of, date):
            self.page.messages.error(t("ledger.need_date", lang))
            return
        scheme = self.pack.rules.card_scheme(str(self.scheme.value))
        cards = ledger_cards(self.frame, as_of=as_of, scheme=scheme, pack=self.pack)
        self.cards = cards
        mask = apply_filter(self.frame, cards, self._view())
        frame, shown = self.frame[mask], cards[mask]
        counts, per_unit = card_counts(shown, frame, scheme)
        colours = [b.color.value for b in scheme.bands]
        past = milestone_past(frame, as_of)
        self.summary.value = self._summary_html(
            counts, colours, len(frame), int(shown["is_open"].sum()), as_of, int(past.sum())
        )
        self.units.value = self._units_html(per_unit, colours)
        self._red = red_list(frame, shown).head(RED_LIST_MAX)
        self.red.value = self._red_html(self._red, past)
        self.notice_pick.options = [(t("ledger.notice.none", lang), "")] + [
            (
                f"{row['id']} · {self._unit_name(str(row['handler_unit']))} · "
                + t("ledger.overdue_days", lang, n=int(row["days_overdue"])),
                str(row["id"]),
            )
            for row in _records(self._red)
        ]
        self.notice_pick.value = ""
        self.notice.value = ""
        self.trends.value = self._trends_html(monthly_trends(frame))
        self.export_link.value = ""

    def _summary_html(
        self,
        counts: dict[str, int],
        colours: list[str],
        rows: int,
        open_: int,
        as_of: date,
        milestones_past: int = 0,
    ) -> str:
        lang = self.lang
        chips = "".join(
            f'<span class="xf-card-chip" style="background:{CARD_FILL.get(c, "#888")}">'
            f"{html.escape(CardColor(c).label(lang))} {counts.get(c, 0)}</span>"
            for c in colours
        )
        line = t("ledger.summary", lang, day=as_of.isoformat(), rows=rows, open=open_)
        past = (
            f'<p class="xf-hint xf-milestones-past">'
            f"{html.escape(t('ledger.milestone.summary', lang, n=milestones_past))}</p>"
            if milestones_past
            else ""
        )
        return (
            f'<div class="xf-card-summary"><p>{html.escape(line)}</p>'
            f'<div class="xf-chips">{chips}</div>{past}</div>'
        )

    def _milestone_cell(self, row: dict[str, Any], past: bool) -> str:
        """The milestone's rule and day, marked when it is past; "-" without one."""
        code = str(row.get("milestone") or "")
        day = row.get("milestone_due")
        if not code:
            return "-"
        try:
            label = self.pack.rules.deadline(code).label(self.lang)
        except PackError:
            label = code
        text = html.escape(label)
        if day is not None and pd.notna(day):
            text += f" {pd.Timestamp(day).date().isoformat()}"
        if past:
            text += f" <strong>{html.escape(t('ledger.milestone.past', self.lang))}</strong>"
        return text

    def _units_html(self, per_unit: pd.DataFrame, colours: list[str]) -> str:
        lang = self.lang
        if per_unit.empty:
            return f"<p>{html.escape(t('ledger.no_cards', lang))}</p>"
        ordered = per_unit.assign(_total=per_unit[colours].sum(axis=1)).sort_values("_total", ascending=False)
        bars = [
            (
                self._unit_name(str(unit)),
                [(CardColor(c).label(lang), float(row[c]), CARD_FILL.get(c, "#888")) for c in colours],
            )
            for unit, row in ordered.iterrows()
            if row["_total"] > 0
        ]
        top = float(ordered["_total"].max() or 1)
        chart = stacked_bar_svg(
            bars[:25],
            max_value=max(top, 1.0),
            title=t("ledger.units.chart", lang),
            empty_text=t("ledger.no_cards", lang),
        )
        head = "".join(f"<th>{html.escape(CardColor(c).label(lang))}</th>" for c in colours)
        rows = "".join(
            f"<tr><td>{html.escape(self._unit_name(str(unit)))}</td>"
            + "".join(f'<td class="xf-num">{int(row[c])}</td>' for c in colours)
            + f'<td class="xf-num">{int(row["_total"])}</td></tr>'
            for unit, row in ordered.iterrows()
            if row["_total"] > 0
        )
        table = (
            f'<table class="xf-table"><thead><tr><th>{html.escape(t("ledger.unit", lang))}</th>{head}'
            f"<th>{html.escape(t('ledger.total', lang))}</th></tr></thead><tbody>{rows}</tbody></table>"
        )
        return f'<div class="xf-chart">{chart}</div>{table}'

    def _red_html(self, red: pd.DataFrame, past: pd.Series[bool] | None = None) -> str:
        lang = self.lang
        if red.empty:
            return f"<p>{html.escape(t('ledger.red.none', lang))}</p>"
        cols = "".join(
            f"<th>{html.escape(t(f'ledger.red.col.{c}', lang))}</th>"
            for c in ("id", "unit", "received", "due", "overdue", "milestone", "accused", "category")
        )
        passed = (
            past.reindex(red.index, fill_value=False).tolist() if past is not None else [False] * len(red)
        )
        rows = "".join(
            f"<tr><td>{html.escape(str(r['id']))}</td>"
            f"<td>{html.escape(self._unit_name(str(r['handler_unit'])))}</td>"
            f"<td>{r['received'].date().isoformat()}</td><td>{r['due'].date().isoformat()}</td>"
            f'<td class="xf-num">{int(r["days_overdue"])}</td>'
            f"<td>{self._milestone_cell(r, bool(gone))}</td>"
            f"<td>{html.escape(str(r['accused_name'] or '-'))}</td>"
            f"<td>{html.escape(_label(Category, r['category'], lang))}</td></tr>"
            for r, gone in zip(_records(red), passed, strict=True)
        )
        return (
            f'<table class="xf-table xf-red-list"><thead><tr>{cols}</tr></thead><tbody>{rows}</tbody></table>'
        )

    def _trends_html(self, trends: pd.DataFrame) -> str:
        lang = self.lang
        if trends.empty:
            return f"<p>{html.escape(t('ledger.trends.none', lang))}</p>"
        last = trends.tail(12)
        points = [(str(m), float(v)) for m, v in last["total"].items()]
        chart = line_chart_svg(
            points,
            max_value=max(float(last["total"].max()), 1.0),
            title=t("ledger.trends.chart", lang),
            width=960,
        )

        def pct(value: Any) -> str:
            return "-" if pd.isna(value) else f"{100 * float(value):+.1f}%"

        cols = "".join(
            f"<th>{html.escape(t(f'ledger.trends.col.{c}', lang))}</th>"
            for c in (
                "month",
                "total",
                "total_yoy",
                "accusations",
                "accusations_yoy",
                "repeats",
                "repeats_yoy",
            )
        )
        rows = "".join(
            f"<tr><td>{html.escape(str(m))}</td><td class='xf-num'>{int(r.total)}</td>"
            f"<td class='xf-num'>{pct(r.total_yoy)}</td>"
            f"<td class='xf-num'>{int(r.accusations)}</td><td class='xf-num'>{pct(r.accusations_yoy)}</td>"
            f"<td class='xf-num'>{int(r.repeats)}</td><td class='xf-num'>{pct(r.repeats_yoy)}</td></tr>"
            for m, r in last.iterrows()
        )
        return (
            f'<div class="xf-chart">{chart}</div>'
            f'<table class="xf-table"><thead><tr>{cols}</tr></thead><tbody>{rows}</tbody></table>'
        )

    # -- notices and export ------------------------------------------------------------------------
    def show_notice(self) -> None:
        """The supervision notice of the chosen red item, with a download to print."""
        from toolkit.ui.notice import NOTICE_CSS, notice_document, notice_html

        item_id = str(self.notice_pick.value or "")
        red = self._red
        if not item_id or red is None:
            self.notice.value = ""
            return
        rows = red[red["id"] == item_id]
        if rows.empty:  # a value that is not on the red list (a crafted message): ignore it
            self.notice.value = ""
            return
        row = rows.iloc[0]
        as_of = self.as_of.value if isinstance(self.as_of.value, date) else date.today()
        notice = notice_html(row, pack=self.pack, lang=self.lang, as_of=as_of)
        doc = notice_document(
            notice, title=t("ledger.notice.title", self.lang) + " " + item_id, lang=self.lang
        )
        link = data_link(
            doc.encode("utf-8"),
            "text/html;charset=utf-8",
            f"{item_id}.html",
            t("ledger.notice.download", self.lang),
        )
        self.notice.value = f'<style>{NOTICE_CSS}</style><div class="xf-notice-preview">{notice}</div>{link}'

    def export(self) -> None:
        """An Excel file of the current view with each item's card and remaining time."""
        from toolkit.ledger.export import write_ledger_frame

        if self.frame is None or self.cards is None:
            return
        mask = apply_filter(self.frame, self.cards, self._view())
        frame, cards = self.frame[mask], self.cards[mask]
        if len(frame) > EXPORT_MAX_ROWS:
            self.page.messages.error(
                t("ledger.export.too_big", self.lang, rows=len(frame), max=EXPORT_MAX_ROWS)
            )
            return
        extra: dict[str, list[Any]] = {
            t("ledger.col.card", self.lang): [_card_label(c, self.lang) for c in cards["card"]]
        }
        for column in ("days_left", "workdays_left", "days_overdue"):
            values = cards[column].astype("object")
            extra[t(f"ledger.col.{column}", self.lang)] = values.where(values.notna(), "").tolist()
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "ledger.xlsx"
            write_ledger_frame(frame, path, self.pack, extra=extra)
            data = path.read_bytes()
        day = self.as_of.value.isoformat() if isinstance(self.as_of.value, date) else "view"
        self.export_link.value = data_link(
            data, XLSX_MIME, f"ledger-{day}.xlsx", t("ledger.export.download", self.lang, rows=len(frame))
        )


def _label(enum: Any, value: Any, lang: str) -> str:
    try:
        label: str = enum(value).label(lang)
    except ValueError:
        return str(value)
    return label


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of ``frame`` as plain dicts (column → value)."""
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def _card_label(code: str, lang: str) -> str:
    return CardColor(code).label(lang) if code else ""


def ledger_app(ctx: PageContext | None = None, *, data_dir: str | None = None) -> Page:
    """Build the ledger dashboard page."""
    folder = Path(data_dir if data_dir is not None else os.environ.get("XFKIT_DATA", "data"))
    return practice_page(
        lambda page, pack, gen, _url: LedgerDashboard(page, pack, gen, data_dir=folder),
        code=APP,
        ctx=ctx,
        store=None,
        uses_store=False,
    )
