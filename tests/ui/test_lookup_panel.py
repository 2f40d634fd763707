"""The look-up panel, headless: search, choose, hand over; forged choices and clicks go nowhere."""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Callable
from typing import Any

import pytest

from toolkit.domain.codes import Flag
from toolkit.domain.models import Cadre
from toolkit.generate.cases import CaseGenerator, HistoryRecord
from toolkit.i18n import t
from toolkit.packs import Pack
from toolkit.ui.lookup import LOOKUP_CSS, SUMMARY_CHARS, LookupPanel

Text = Callable[[Any], str]
SEED = 11


class Harness:
    """A panel with a message area and the values its callbacks received."""

    def __init__(
        self, pack: Pack, history: tuple[HistoryRecord, ...], lang: str = "zh", limit: int = 20
    ) -> None:
        from toolkit.ui.messages import MessageArea

        self.messages = MessageArea(lang=lang)
        self.repeats: list[str] = []
        self.accused: list[Cadre] = []
        self.panel = LookupPanel(
            pack=pack,
            history=history,
            lang=lang,
            guard=self.messages.guard,
            on_use_repeat=self.repeats.append,
            on_use_accused=self.accused.append,
            limit=limit,
        )


@pytest.fixture
def history(generator: CaseGenerator) -> tuple[HistoryRecord, ...]:
    return generator.history(SEED)


@pytest.fixture
def h(pack: Pack, history: tuple[HistoryRecord, ...]) -> Harness:
    return Harness(pack, history)


def _named(history: tuple[HistoryRecord, ...]) -> HistoryRecord:
    return next(r for r in reversed(history) if r.person is not None and r.accused is not None)


def test_tabs_and_stylesheet(h: Harness) -> None:
    assert h.panel.tabs.titles == (t("lookup.tab.history", "zh"), t("lookup.tab.roster", "zh"))
    style = h.panel.widget.children[0]
    assert style.value == f"<style>{LOOKUP_CSS}</style>"
    assert "http" not in LOOKUP_CSS and "url(" not in LOOKUP_CSS


def test_hints_say_what_can_be_searched(h: Harness, text_of: Text) -> None:
    text = text_of(h.panel.widget)
    assert t("lookup.history.hint", "zh") in text
    assert t("lookup.roster.hint", "zh") in text


def test_typing_a_query_searches_and_the_chosen_id_reaches_the_callback(
    h: Harness, history: tuple[HistoryRecord, ...], text_of: Text
) -> None:
    record = _named(history)
    assert record.person is not None
    pane = h.panel.repeat
    pane.query.value = record.person.name  # what Enter (or leaving the box) sends
    assert record in pane.rows
    text = text_of(pane.widget)
    assert record.id in text and record.problem.name in text and record.person.name in text
    assert pane.pick.value is None and pane.use_button.disabled
    pane.pick.value = pane.rows.index(record)
    assert not pane.use_button.disabled
    pane.use_button.click()
    assert h.repeats == [record.id]
    assert t("lookup.history.used", "zh", id=record.id) in text_of(pane.widget)
    assert h.messages.kind == ""


def test_the_search_button_runs_the_query_again(h: Harness, history: tuple[HistoryRecord, ...]) -> None:
    record = _named(history)
    pane = h.panel.repeat
    pane.query.value = record.id
    pane.pick.value = 0
    pane.search_button.click()
    assert pane.rows == (record,)
    assert pane.pick.value is None  # a new search asks for a new choice


def test_roster_surname_mou_and_unit_fills_the_accused(h: Harness, pack: Pack, text_of: Text) -> None:
    cadre = next(c for c in pack.cadres if c.name.startswith("张") and c.town is not None)
    pane = h.panel.roster
    pane.query.value = f"张某 {cadre.unit_name}"
    assert cadre in pane.rows and all(c.name.startswith("张") for c in pane.rows)
    text = text_of(pane.widget)
    assert cadre.post in text and cadre.level.label("zh") in text
    pane.pick.value = pane.rows.index(cadre)
    pane.use_button.click()
    assert h.accused == [cadre]
    assert h.repeats == []


def test_no_results_and_blank_queries_say_so(h: Harness, text_of: Text) -> None:
    pane = h.panel.repeat
    pane.query.value = "查无此词 <b>"
    assert pane.rows == ()
    assert t("lookup.no_results", "zh", query="查无此词 <b>") in text_of(pane.widget)
    pane.query.value = "   "
    assert pane.rows == ()
    assert t("lookup.enter_query", "zh") in text_of(pane.widget)
    assert not any("<table" in w.value for w in (pane.results,))


def test_more_results_than_the_limit_are_cut_and_the_learner_is_told(
    pack: Pack, history: tuple[HistoryRecord, ...], text_of: Text
) -> None:
    h = Harness(pack, history, limit=3)
    h.panel.repeat.query.value = pack.jurisdiction.towns[0].name
    assert len(h.panel.repeat.rows) == 3
    assert len(h.panel.repeat.pick.options) == 3
    assert t("lookup.truncated", "zh", limit=3) in text_of(h.panel.widget)


@pytest.mark.parametrize("forged", ["default-11-H99999", 999, -1, "0", True])
def test_a_forged_choice_never_reaches_the_callback(
    h: Harness, history: tuple[HistoryRecord, ...], forged: object, text_of: Text
) -> None:
    record = _named(history)
    pane = h.panel.repeat
    pane.query.value = record.id
    assert pane.rows == (record,)
    # what a crafted message could leave in the list: an entry the server did not put there
    pane.pick.options = (("forged", forged),)
    pane.pick.value = forged
    pane.use_button.click()
    assert h.repeats == []
    assert h.messages.kind == "error"
    expected = t("error.xfkit", "zh", detail=t("lookup.not_in_results", "zh"))
    assert h.messages.text == expected
    assert expected in text_of(h.messages.widget)


def test_a_click_with_nothing_chosen_only_shows_a_message(h: Harness, pack: Pack) -> None:
    pane = h.panel.roster
    pane.use_button.click()  # disabled on the page, but a crafted message can still click
    pane.query.value = pack.cadres[0].name
    pane.use_button.click()
    assert h.accused == []
    assert h.messages.text == t("error.xfkit", "zh", detail=t("lookup.nothing_chosen", "zh"))


def test_a_stale_choice_from_an_earlier_search_is_cleared(h: Harness, pack: Pack) -> None:
    pane = h.panel.roster
    pane.query.value = "张某"
    pane.pick.value = 0
    pane.query.value = "王某"
    assert pane.pick.value is None and pane.use_button.disabled
    pane.use_button.click()
    assert h.accused == []


def test_every_value_is_escaped(
    pack: Pack, history: tuple[HistoryRecord, ...], html_of: Text, text_of: Text
) -> None:
    evil = "<script>alert(1)</script>"
    record = _named(history)
    assert record.person is not None and record.accused is not None
    bad_person = dataclasses.replace(record.person, name="<b>x</b>")
    bad_cadre = dataclasses.replace(record.accused, name='"><img src=x>', unit_name="<i>unit</i>")
    bad = dataclasses.replace(record, summary=evil, person=bad_person, accused=bad_cadre)
    h = Harness(dataclasses.replace(pack, cadres=(*pack.cadres, bad_cadre)), (*history, bad))
    h.panel.repeat.query.value = "alert"
    h.panel.roster.query.value = "img"
    assert h.panel.repeat.rows == (bad,) and h.panel.roster.rows == (bad_cadre,)
    markup = html_of(h.panel.widget)
    for raw in (evil, "<b>x</b>", "<img", "<i>unit</i>"):
        assert raw not in markup
    text = text_of(h.panel.widget)
    assert evil in text and "<b>x</b>" in text and '"><img src=x>' in text and "<i>unit</i>" in text


def test_long_summaries_are_cut(h: Harness, history: tuple[HistoryRecord, ...], text_of: Text) -> None:
    record = max(history, key=lambda r: len(r.summary))
    h.panel.repeat.query.value = record.id
    assert len(record.summary) > SUMMARY_CHARS
    cell = text_of(h.panel.repeat.results)
    assert record.summary not in cell and record.summary[:20] in cell and "\u2026" in cell
    assert f'title="{html.escape(record.summary, quote=True)}"' in h.panel.repeat.results.value


def test_anonymous_reporters_are_shown_as_anonymous(
    h: Harness, history: tuple[HistoryRecord, ...], text_of: Text
) -> None:
    record = next(r for r in history if r.person is None and r.accused is not None)
    h.panel.repeat.query.value = record.id
    assert Flag.ANONYMOUS.label("zh") in text_of(h.panel.repeat.results)


def test_set_disabled_locks_everything_and_forged_events_do_nothing(
    h: Harness, history: tuple[HistoryRecord, ...], text_of: Text
) -> None:
    record = _named(history)
    pane = h.panel.repeat
    pane.query.value = record.id
    pane.pick.value = 0
    h.panel.set_disabled(True)
    assert h.panel.disabled
    for p in (h.panel.repeat, h.panel.roster):
        assert p.query.disabled and p.search_button.disabled and p.pick.disabled and p.use_button.disabled
    assert t("lookup.locked", "zh") in text_of(pane.widget)
    pane.use_button.click()
    h.panel.roster.query.value = "张某"
    h.panel.roster.search_button.click()
    assert h.repeats == [] and h.accused == []
    assert h.panel.roster.rows == ()
    h.panel.set_disabled(False)
    assert not pane.query.disabled and not pane.use_button.disabled
    pane.use_button.click()
    assert h.repeats == [record.id]


def test_english_panel(pack: Pack, history: tuple[HistoryRecord, ...], text_of: Text) -> None:
    h = Harness(pack, history, lang="en")
    assert h.panel.tabs.titles == ("Repeat check", "Cadre roster")
    cadre = pack.cadres[0]
    h.panel.roster.query.value = cadre.name
    text = text_of(h.panel.roster.widget)
    assert cadre.level.label("en") in text and "Management authority" in text
