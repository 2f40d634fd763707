"""查重 and roster search: real repeat cases are found by what the learner can read, all terms must match."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence

import pytest

from toolkit.domain.codes import Flag, Level
from toolkit.domain.models import Cadre, Case
from toolkit.generate.cases import CaseGenerator, HistoryRecord
from toolkit.generate.lookup import (
    HistoryIndex,
    RosterIndex,
    fold,
    search_history,
    search_roster,
    terms,
)
from toolkit.packs import Pack

SEED = 11
CASES = 240
ALL = 10_000  # a limit no search reaches


@pytest.fixture(scope="module")
def history(generator: CaseGenerator) -> tuple[HistoryRecord, ...]:
    return generator.history(SEED)


@pytest.fixture(scope="module")
def index(history: Sequence[HistoryRecord], pack: Pack) -> HistoryIndex:
    return HistoryIndex(history, pack)


@pytest.fixture(scope="module")
def repeats(generator: CaseGenerator) -> list[Case]:
    found = [c for c in generator.cases(SEED, CASES) if Flag.REPEAT in c.truth.flags]
    assert len(found) >= 5, "the default pack's mix should give some repeats"
    return found


@pytest.fixture(scope="module")
def by_id(history: Sequence[HistoryRecord]) -> dict[str, HistoryRecord]:
    return {r.id: r for r in history}


def _names_by_surname(case: Case) -> bool:
    """Whether the material calls the accused only "<surname>某", never by full name."""
    seen = str(case.public_dict()["material"])
    cadre = case.accused[0]
    return f"{cadre.name[0]}某" in seen and cadre.name not in seen


def _ids(records: Sequence[HistoryRecord]) -> list[str]:
    return [r.id for r in records]


def test_a_repeat_is_found_by_its_reporters_name(repeats: list[Case], index: HistoryIndex) -> None:
    named = [c for c in repeats if c.reporter.name]
    assert named
    for case in named:
        assert case.reporter.name is not None
        assert case.truth.repeat_of in _ids(index.search(case.reporter.name, ALL)), case.id


def test_a_repeat_is_found_by_the_accused_name(
    repeats: list[Case], index: HistoryIndex, by_id: dict[str, HistoryRecord]
) -> None:
    accused = [c for c in repeats if c.accused]
    assert accused
    for case in accused:
        original = by_id[case.truth.repeat_of or ""]
        assert original.accused == case.accused[0]
        assert case.truth.repeat_of in _ids(index.search(case.accused[0].name, ALL)), case.id


def test_a_repeat_is_found_by_a_keyword_and_the_accused_unit(
    repeats: list[Case], index: HistoryIndex, by_id: dict[str, HistoryRecord]
) -> None:
    for case in repeats:
        original = by_id[case.truth.repeat_of or ""]
        keyword = original.problem.keywords[0]
        query = f"{keyword} {original.accused.unit_name}" if original.accused else keyword
        assert original.id in _ids(index.search(query, ALL)), (case.id, query)


def test_a_hard_case_naming_the_accused_by_surname_is_found_with_surname_mou(
    generator: CaseGenerator, index: HistoryIndex, by_id: dict[str, HistoryRecord]
) -> None:
    hard = [
        c
        for c in generator.cases(SEED, CASES, level=Level.HARD)
        if Flag.REPEAT in c.truth.flags and c.accused and _names_by_surname(c)
    ]
    assert hard
    for case in hard:
        cadre = case.accused[0]
        query = f"{cadre.name[0]}某 {cadre.unit_name}"
        assert case.truth.repeat_of in _ids(index.search(query, ALL)), (case.id, query)


def test_every_term_must_match(index: HistoryIndex, history: Sequence[HistoryRecord]) -> None:
    record = next(r for r in history if r.person is not None and r.accused is not None)
    assert record.person is not None and record.accused is not None
    both = index.search(f"{record.person.name} {record.accused.name}", ALL)
    assert record.id in _ids(both)
    assert index.search(f"{record.person.name} 查无此词", ALL) == []
    # every hit holds both terms; the result is the intersection of the single-term searches
    one = set(_ids(index.search(record.person.name, ALL)))
    other = set(_ids(index.search(record.accused.name, ALL)))
    assert set(_ids(both)) == one & other


def test_a_term_does_not_match_across_two_fields(
    index: HistoryIndex, history: Sequence[HistoryRecord]
) -> None:
    record = next(r for r in history if r.person is not None)
    assert record.person is not None
    assert record.id in _ids(index.search(record.person.phone, ALL))
    assert record.id not in _ids(index.search(record.id[-4:] + record.person.phone[:4], ALL))


def test_matching_ignores_case_and_width(index: HistoryIndex, history: Sequence[HistoryRecord]) -> None:
    record = next(r for r in history if r.person is not None)
    assert record.person is not None
    wide = "".join(chr(ord(ch) + 0xFEE0) for ch in record.person.phone)
    assert _ids(index.search(wide, ALL)) == [record.id]
    assert _ids(index.search(record.id.upper(), ALL)) == [record.id]
    assert fold("ＡＢｃ１２") == "abc12"
    assert terms("  张某\u3000石桥镇\t") == ("张某", "石桥镇")


@pytest.mark.parametrize("query", ["", " ", "\t\n", "\u3000"])
def test_a_blank_query_finds_nothing(index: HistoryIndex, pack: Pack, query: str) -> None:
    assert index.search(query) == []
    assert search_roster(pack.cadres, query) == []


def test_results_come_newest_first_and_the_limit_holds(index: HistoryIndex, pack: Pack) -> None:
    town = pack.jurisdiction.towns[0].name
    everything = index.search(town, ALL)
    assert len(everything) > 5
    keys = [(r.received, r.id) for r in everything]
    assert keys == sorted(keys, reverse=True)
    assert index.search(town, 5) == everything[:5]
    assert index.search(town, 0) == []
    assert len(index.search(town)) == min(20, len(everything))


def test_problem_names_and_town_names_are_searchable(
    index: HistoryIndex, history: Sequence[HistoryRecord], pack: Pack
) -> None:
    record = next(r for r in history if r.person is not None)
    assert record.person is not None
    assert record.id in _ids(index.search(record.problem.name, ALL))
    village = pack.jurisdiction.name(record.person.village)
    assert record.id in _ids(index.search(f"{village} {record.person.name}", ALL))


def test_the_function_agrees_with_the_index(
    index: HistoryIndex, history: Sequence[HistoryRecord], pack: Pack
) -> None:
    for query in ("红包", "石桥镇", "张某 镇"):
        assert search_history(history, query, pack=pack, limit=7) == index.search(query, 7)


# -- the roster -----------------------------------------------------------------------------------


def test_surname_mou_finds_every_cadre_with_that_surname(pack: Pack) -> None:
    found = search_roster(pack.cadres, "张某", limit=ALL)
    assert found and {c.name for c in found} == {c.name for c in pack.cadres if c.name.startswith("张")}
    assert search_roster(pack.cadres, "张某某", limit=ALL) == found


def test_surname_mou_with_a_unit_narrows_to_the_accused(generator: CaseGenerator, pack: Pack) -> None:
    hard = [c for c in generator.cases(SEED, CASES, level=Level.HARD) if c.accused and _names_by_surname(c)]
    assert len(hard) >= 5
    for case in hard:
        cadre = case.accused[0]
        found = search_roster(pack.cadres, f"{cadre.name[0]}某 {cadre.unit_name}", limit=ALL)
        assert cadre in found
        assert all(c.name.startswith(cadre.name[0]) and cadre.unit_name in c.unit_name for c in found)


def test_roster_matches_name_post_and_unit_and_sorts_by_unit_then_name(pack: Pack) -> None:
    cadre = pack.cadres[-1]
    assert cadre in search_roster(pack.cadres, cadre.name, limit=ALL)
    by_post = search_roster(pack.cadres, cadre.post, limit=ALL)
    assert cadre in by_post
    assert [(c.unit_name, c.name) for c in by_post] == sorted((c.unit_name, c.name) for c in by_post)
    assert search_roster(pack.cadres, f"{cadre.name} {cadre.unit_name} {cadre.post}") == [cadre]
    assert search_roster(pack.cadres, f"{cadre.name} 查无此词") == []


def test_roster_limit_holds(pack: Pack) -> None:
    everyone = RosterIndex(pack.cadres).search("某", ALL)
    assert everyone == []  # "某" alone names no surname
    town = pack.jurisdiction.towns[0].name
    many = search_roster(pack.cadres, town, limit=ALL)
    assert len(many) > 3
    assert search_roster(pack.cadres, town, limit=3) == many[:3]


def test_roster_index_keeps_every_cadre(pack: Pack) -> None:
    index = RosterIndex(pack.cadres)
    assert len(index) == len(pack.cadres)
    found: set[Cadre] = set()
    for cadre in pack.cadres:
        found.update(index.search(cadre.name, ALL))
    assert found == set(pack.cadres)


def test_lookup_imports_no_widgets_or_database() -> None:
    code = (
        "import sys, toolkit.generate.lookup\n"
        "print(','.join(m for m in ('ipywidgets', 'sqlalchemy', 'IPython') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
