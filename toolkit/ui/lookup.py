"""The intake simulator's look-up panel: the repeat check in the history ledger, and the cadre roster.

Two tabs, each a search box with a button, the results as a table, a list to choose one result from and a
button that hands the chosen result to the page:

* repeat check: the chosen earlier item's id goes to ``on_use_repeat`` (the form's "repeat of" field);
* cadre roster: the chosen :class:`~toolkit.domain.models.Cadre` goes to ``on_use_accused``.

The list's entries carry only a row number; the panel keeps the results on the server and looks the row
up there, so whatever the browser sends, only a row of the current results ever reaches a callback. After
the learner submits, :meth:`LookupPanel.set_disabled` locks the panel and the callbacks ignore clicks.

Search semantics (all terms must match, "<surname> + mou" finds everyone with that surname, a blank query
finds nothing) are those of :mod:`toolkit.generate.lookup`.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

import ipywidgets as widgets  # type: ignore[import-untyped, unused-ignore]

from toolkit.domain.codes import Flag
from toolkit.domain.models import Cadre
from toolkit.errors import XfkitError
from toolkit.generate.cases import HistoryRecord
from toolkit.generate.lookup import DEFAULT_LIMIT, HistoryIndex, RosterIndex
from toolkit.i18n import html_lang, t
from toolkit.packs import Pack

__all__ = ["LOOKUP_CSS", "SUMMARY_CHARS", "Guard", "LookupPane", "LookupPanel"]

#: wraps a widget callback so that its errors become page messages (``page.messages.guard``)
Guard = Callable[[Callable[..., Any]], Callable[..., Any]]

#: characters of an item's summary shown in the repeat-check table (the full text is the cell's tooltip)
SUMMARY_CHARS = 60
_NONE = "\u2014"
_ELLIPSIS = "\u2026"

LOOKUP_CSS = """
.xf-lookup { font-size: 16px; line-height: 1.6; }
.xf-lookup-hint { color: var(--xf-muted, #4e5969); font-size: 15px; margin: 4px 0 8px; }
.xf-lookup-bar { align-items: center; gap: 8px; }
.xf-lookup-status { font-size: 16px; margin: 6px 0; }
.xf-lookup-none { color: #5c0b07; font-weight: 600; }
.xf-lookup-used { color: #0d4d1f; font-weight: 600; }
.xf-lookup-locked { color: var(--xf-muted, #4e5969); font-style: italic; }
.xf-lookup-scroll { max-height: 460px; overflow: auto; margin: 4px 0 10px; }
.xf-lookup-table {
  border-collapse: collapse;
  width: 100%;
  font-size: 15px;
  line-height: 1.55;
}
.xf-lookup-table th, .xf-lookup-table td {
  border: 1px solid var(--xf-line, #c9cdd4);
  padding: 6px 8px;
  text-align: left;
  vertical-align: top;
  white-space: normal;
  overflow-wrap: anywhere;
}
.xf-lookup-table th { background: var(--xf-wash, #f4f5f7); font-weight: 700; white-space: nowrap; }
.xf-lookup-table tbody tr:nth-child(even) { background: #fafbfc; }
.xf-lookup-nowrap { white-space: nowrap !important; }
.xf-lookup-sub { display: block; color: var(--xf-muted, #4e5969); font-size: 14px; }
.xf-lookup-summary { min-width: 14em; }
.xf-lookup select, .xf-lookup input { font-size: 16px; }
"""

T = TypeVar("T")


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _cut(text: str, limit: int = SUMMARY_CHARS) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit].rstrip() + _ELLIPSIS


def _table(lang: str, heads: Sequence[str], rows: Sequence[str]) -> str:
    head = "".join(f'<th scope="col">{_esc(h)}</th>' for h in heads)
    return (
        f'<div class="xf-lookup-scroll" lang="{html_lang(lang)}"><table class="xf-lookup-table">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def history_table_html(records: Sequence[HistoryRecord], *, lang: str) -> str:
    """The repeat-check results as an HTML table (every value escaped)."""
    heads = [
        t(f"lookup.history.col.{name}", lang)
        for name in ("id", "received", "channel", "reporter", "accused", "problem", "summary")
    ]
    rows = []
    for r in records:
        reporter = r.person.name if r.person is not None else Flag.ANONYMOUS.label(lang)
        if r.accused is not None:
            accused = (
                f"{_esc(r.accused.name)}"
                f'<span class="xf-lookup-sub">{_esc(r.accused.unit_name)} {_esc(r.accused.post)}</span>'
            )
        else:
            accused = _NONE
        rows.append(
            "<tr>"
            f'<td class="xf-lookup-nowrap">{_esc(r.id)}</td>'
            f'<td class="xf-lookup-nowrap">{_esc(r.received.isoformat())}</td>'
            f"<td>{_esc(r.channel.label(lang))}</td>"
            f"<td>{_esc(reporter)}</td>"
            f"<td>{accused}</td>"
            f"<td>{_esc(r.problem.name)}</td>"
            f'<td class="xf-lookup-summary" title="{_esc(r.summary)}">{_esc(_cut(r.summary))}</td>'
            "</tr>"
        )
    return _table(lang, heads, rows)


def roster_table_html(cadres: Sequence[Cadre], *, lang: str) -> str:
    """The roster results as an HTML table (every value escaped)."""
    heads = [t(f"lookup.roster.col.{name}", lang) for name in ("name", "post", "unit", "level")]
    rows = [
        "<tr>"
        f'<td class="xf-lookup-nowrap">{_esc(c.name)}</td>'
        f"<td>{_esc(c.post)}</td>"
        f"<td>{_esc(c.unit_name)}</td>"
        f"<td>{_esc(c.level.label(lang))}</td>"
        "</tr>"
        for c in cadres
    ]
    return _table(lang, heads, rows)


def _history_label(r: HistoryRecord) -> str:
    who = r.accused.name if r.accused is not None else (r.person.name if r.person is not None else _NONE)
    return f"{r.id}  {r.received.isoformat()}  {who}  {r.problem.name}"


def _cadre_label(c: Cadre) -> str:
    return f"{c.name}  {c.post}  {c.unit_name}"


class LookupPane(Generic[T]):
    """One tab of the panel: search box, results table, a choice among the results and a "use" button.

    Parameters
    ----------
    lang
        The page's language.
    guard
        Wraps every callback (``page.messages.guard``).
    search
        ``search(query, limit)`` returning the matching rows in display order.
    table
        Renders rows as an HTML table.
    label
        One line of plain text per row, for the choice list.
    use
        Called with the chosen row; it returns the confirmation shown under the button.
    hint_key, placeholder_key, use_key
        Catalogue keys of the hint, the search box's placeholder and the "use" button.
    limit
        Rows shown at most; a search that finds more says so.

    Attributes
    ----------
    widget
        The pane's VBox.
    query, search_button, results, pick, use_button, status
        The controls, for the page and for tests.
    """

    def __init__(
        self,
        *,
        lang: str,
        guard: Guard,
        search: Callable[[str, int], list[T]],
        table: Callable[[Sequence[T]], str],
        label: Callable[[T], str],
        use: Callable[[T], str],
        hint_key: str,
        placeholder_key: str,
        use_key: str,
        limit: int = DEFAULT_LIMIT,
    ) -> None:
        self.lang = lang
        self.limit = limit
        self._search = search
        self._table = table
        self._label = label
        self._use = use
        self._rows: tuple[T, ...] = ()
        self._locked = False
        hint = widgets.HTML(value=f'<p class="xf-lookup-hint">{_esc(t(hint_key, lang))}</p>')
        self.query = widgets.Text(
            value="",
            placeholder=t(placeholder_key, lang),
            continuous_update=False,
            layout=widgets.Layout(flex="1 1 auto", width="auto", max_width="560px"),
        )
        self.search_button = widgets.Button(description=t("lookup.search", lang), icon="search")
        self.status = widgets.HTML(value="")
        self.results = widgets.HTML(value="")
        self.pick = widgets.Select(
            options=(),
            value=None,
            rows=4,
            description=t("lookup.pick", lang),
            style={"description_width": "initial"},
            layout=widgets.Layout(width="100%", max_width="880px"),
        )
        self.use_button = widgets.Button(
            description=t(use_key, lang),
            button_style="primary",
            disabled=True,
            layout=widgets.Layout(width="auto"),
        )
        self.used = widgets.HTML(value="")
        bar = widgets.HBox(children=(self.query, self.search_button))
        bar.add_class("xf-lookup-bar")
        self._choice = widgets.VBox(children=(self.pick, self.use_button, self.used))
        self._choice.layout.display = "none"
        self.widget = widgets.VBox(children=(hint, bar, self.status, self.results, self._choice))
        self.widget.add_class("xf-lookup-pane")
        self.query.observe(guard(self._on_query), names="value")
        self.search_button.on_click(guard(self._on_search))
        self.pick.observe(guard(self._on_pick), names="value")
        self.use_button.on_click(guard(self._on_use))

    @property
    def rows(self) -> tuple[T, ...]:
        """The rows of the last search, in the order shown."""
        return self._rows

    @property
    def locked(self) -> bool:
        return self._locked

    def run(self, query: str) -> None:
        """Search for ``query`` and show the results (nothing happens while locked)."""
        if self._locked:
            return
        found = self._search(query, self.limit + 1)
        more = len(found) > self.limit
        self._rows = tuple(found[: self.limit])
        self.used.value = ""
        # the value is reset after the options: Select keeps an old value that is still a valid row number
        self.pick.options = tuple((self._label(row), i) for i, row in enumerate(self._rows))
        self.pick.value = None
        self.pick.rows = max(2, min(len(self._rows), 8))
        self.use_button.disabled = True
        self._choice.layout.display = None if self._rows else "none"
        self.results.value = self._table(self._rows) if self._rows else ""
        if not query.split():
            self._status("xf-lookup-none", t("lookup.enter_query", self.lang))
        elif not self._rows:
            self._status("xf-lookup-none", t("lookup.no_results", self.lang, query=" ".join(query.split())))
        elif more:
            self._status("", t("lookup.truncated", self.lang, limit=self.limit))
        else:
            self._status("", t("lookup.found", self.lang, count=len(self._rows)))

    def chosen(self) -> T:
        """The row chosen in the list, checked against the server's results.

        Raises
        ------
        XfkitError
            Nothing is chosen, or the choice is not a row of the current results (a stale or forged
            value): the message tells the learner to search and choose again.
        """
        value = self.pick.value
        if value is None:
            raise XfkitError(t("lookup.nothing_chosen", self.lang))
        if type(value) is not int or not 0 <= value < len(self._rows):
            raise XfkitError(t("lookup.not_in_results", self.lang))
        return self._rows[value]

    def set_disabled(self, flag: bool) -> None:
        """Lock (``True``) or unlock the pane; a locked pane ignores every event."""
        self._locked = flag
        self.query.disabled = flag
        self.search_button.disabled = flag
        self.pick.disabled = flag
        self.use_button.disabled = flag or self.pick.value is None
        if flag:
            self._status("xf-lookup-locked", t("lookup.locked", self.lang))
        else:
            self.status.value = ""

    def _status(self, cls: str, text: str) -> None:
        classes = f"xf-lookup-status {cls}".strip()
        self.status.value = f'<p class="{classes}" role="status">{_esc(text)}</p>'

    def _on_query(self, change: dict[str, Any]) -> None:
        self.run(str(change["new"]))

    def _on_search(self, _button: object) -> None:
        self.run(self.query.value)

    def _on_pick(self, change: dict[str, Any]) -> None:
        self.use_button.disabled = self._locked or change["new"] is None

    def _on_use(self, _button: object) -> None:
        if self._locked:
            return
        row = self.chosen()
        note = self._use(row)
        self.used.value = f'<p class="xf-lookup-status xf-lookup-used" role="status">{_esc(note)}</p>'


class LookupPanel:
    """Repeat check and cadre roster look-up for the intake form.

    Parameters
    ----------
    pack
        The scenario pack (its roster, and the names of towns and villages).
    history
        The history ledger of the case's seed (:meth:`CaseGenerator.history`).
    lang
        The page's language.
    guard
        Wraps every callback so that its errors become page messages (``page.messages.guard``).
    on_use_repeat
        Called with the id of the earlier item the learner registers this one as a repeat of.
    on_use_accused
        Called with the cadre the learner fills in as the person reported.
    limit
        Rows shown at most per search.

    Attributes
    ----------
    widget
        The panel: its stylesheet and two tabs.
    repeat, roster
        The two panes (:class:`LookupPane`).
    """

    def __init__(
        self,
        *,
        pack: Pack,
        history: Sequence[HistoryRecord],
        lang: str,
        guard: Guard,
        on_use_repeat: Callable[[str], None],
        on_use_accused: Callable[[Cadre], None],
        limit: int = DEFAULT_LIMIT,
    ) -> None:
        self.lang = lang
        self._on_use_repeat = on_use_repeat
        self._on_use_accused = on_use_accused
        history_index = HistoryIndex(history, pack)
        roster_index = RosterIndex(pack.cadres)
        self.repeat: LookupPane[HistoryRecord] = LookupPane(
            lang=lang,
            guard=guard,
            search=history_index.search,
            table=lambda rows: history_table_html(rows, lang=lang),
            label=_history_label,
            use=self._use_repeat,
            hint_key="lookup.history.hint",
            placeholder_key="lookup.history.placeholder",
            use_key="lookup.history.use",
            limit=limit,
        )
        self.roster: LookupPane[Cadre] = LookupPane(
            lang=lang,
            guard=guard,
            search=roster_index.search,
            table=lambda rows: roster_table_html(rows, lang=lang),
            label=_cadre_label,
            use=self._use_accused,
            hint_key="lookup.roster.hint",
            placeholder_key="lookup.roster.placeholder",
            use_key="lookup.roster.use",
            limit=limit,
        )
        self.tabs = widgets.Tab(children=(self.repeat.widget, self.roster.widget))
        self.tabs.titles = (t("lookup.tab.history", lang), t("lookup.tab.roster", lang))
        style = widgets.HTML(value=f"<style>{LOOKUP_CSS}</style>")
        self.widget = widgets.VBox(children=(style, self.tabs))
        self.widget.add_class("xf-lookup")

    @property
    def disabled(self) -> bool:
        return self.repeat.locked and self.roster.locked

    def set_disabled(self, flag: bool) -> None:
        """Lock the panel after submission (``True``), or unlock it for a new case."""
        self.repeat.set_disabled(flag)
        self.roster.set_disabled(flag)

    def _use_repeat(self, record: HistoryRecord) -> str:
        self._on_use_repeat(record.id)
        return t("lookup.history.used", self.lang, id=record.id)

    def _use_accused(self, cadre: Cadre) -> str:
        self._on_use_accused(cadre)
        return t("lookup.roster.used", self.lang, name=cadre.name, unit=cadre.unit_name)
