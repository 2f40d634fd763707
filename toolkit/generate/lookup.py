"""Searching the history ledger (查重) and the cadre roster (干部名册) during intake.

A newcomer registering an item checks whether it repeats an earlier one and looks up who the accused is.
Both searches work the same way:

* the query is split on whitespace into terms; **every** term must match (the more terms, the fewer rows);
* a term matches a row when it is a substring of one of the row's fields, compared case-insensitively,
  with full-width digits and letters (typed with a Chinese input method) read as their ASCII forms;
* a term of the form ``<surname>某`` (``张某``, ``欧阳某``) matches every person whose name starts with
  that surname, the way material names someone it does not want to name in full;
* a blank query finds nothing (never "everything"), so a learner cannot page through the whole ledger.

Each row's searchable text is folded once when an index is built (:class:`HistoryIndex`,
:class:`RosterIndex`); a search is then a few substring tests per row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from toolkit.domain.models import Cadre
from toolkit.generate.cases import HistoryRecord
from toolkit.packs.model import Pack

__all__ = [
    "DEFAULT_LIMIT",
    "UNNAMED",
    "HistoryIndex",
    "RosterIndex",
    "fold",
    "search_history",
    "search_roster",
    "terms",
]

#: rows returned unless the caller asks for another number
DEFAULT_LIMIT = 20
#: the character material uses for "a person surnamed ..." (张某)
UNNAMED = "某"
# Fields are joined with a character no term can hold (terms are split on whitespace), so a term never
# matches across the end of one field and the start of the next.
_SEP = "\n"
# full-width digits and Latin letters (０-９, Ａ-Ｚ, ａ-ｚ), and how far they sit from ASCII
_WIDE = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_WIDE_OFFSET = 0xFEE0


def _narrow(match: re.Match[str]) -> str:
    return chr(ord(match.group()) - _WIDE_OFFSET)


def fold(text: str) -> str:
    """``text`` as compared in searches: full-width digits and letters made ASCII, then case-folded.

    Full NFKC would do the same and more, but costs ten times as much on long Chinese text; digits and
    letters are what a Chinese input method types full-width in a phone number or an id.
    """
    if _WIDE.search(text):
        text = _WIDE.sub(_narrow, text)
    return text.casefold()


def terms(query: str) -> tuple[str, ...]:
    """The folded, whitespace-separated terms of ``query`` (empty for a blank query)."""
    return tuple(fold(query).split())


@dataclass(frozen=True, slots=True)
class _Entry:
    """One searchable row: its folded text and the folded names a ``X某`` term is tested against."""

    text: str
    names: tuple[str, ...]


def _entry(fields: Iterable[str], names: Iterable[str]) -> _Entry:
    return _Entry(
        text=fold(_SEP.join(f for f in fields if f)),
        names=tuple(fold(n) for n in names if n),
    )


def _matches(entry: _Entry, term: str) -> bool:
    if term in entry.text:
        return True
    surname = term.rstrip(UNNAMED)
    if surname and surname != term:
        return any(name.startswith(surname) for name in entry.names)
    return False


def _find(entries: Sequence[_Entry], query: str, limit: int) -> list[int]:
    """Positions of the first ``limit`` entries matching every term of ``query``."""
    wanted = terms(query)
    if not wanted or limit <= 0:
        return []
    found: list[int] = []
    for position, entry in enumerate(entries):
        if all(_matches(entry, term) for term in wanted):
            found.append(position)
            if len(found) >= limit:
                break
    return found


def _history_fields(record: HistoryRecord, pack: Pack) -> list[str]:
    j = pack.jurisdiction

    def place(code: str | None) -> str:
        return j.name(code) if code and j.has(code) else ""

    fields = [record.id, record.summary, record.problem.name, *record.problem.keywords]
    person = record.person
    if person is not None:
        fields += [person.name, person.phone, place(person.town), place(person.village)]
    accused = record.accused
    if accused is not None:
        fields += [accused.name, accused.post, accused.unit_name, place(accused.town)]
    return fields


class HistoryIndex:
    """The history ledger, prepared for repeated 查重 searches.

    Parameters
    ----------
    records
        The earlier items (any order; :meth:`CaseGenerator.history` gives them oldest first).
    pack
        The pack they were made with: it names the towns and villages of reporters and accused.

    Notes
    -----
    Searchable per record: its id, the reporter's name and phone, the accused's name, post and unit, the
    reporter's town and village and the accused's town, the problem type's name and keywords, and the
    summary. Results come newest first (received date, then id, both descending).
    """

    __slots__ = ("_entries", "_records")

    def __init__(self, records: Sequence[HistoryRecord], pack: Pack) -> None:
        ordered = sorted(records, key=lambda r: (r.received, r.id), reverse=True)
        self._records: tuple[HistoryRecord, ...] = tuple(ordered)
        self._entries: tuple[_Entry, ...] = tuple(
            _entry(
                _history_fields(r, pack),
                (r.person.name if r.person else "", r.accused.name if r.accused else ""),
            )
            for r in ordered
        )

    def __len__(self) -> int:
        return len(self._records)

    def search(self, query: str, limit: int = DEFAULT_LIMIT) -> list[HistoryRecord]:
        """Records matching every term of ``query``, newest first, at most ``limit`` of them."""
        return [self._records[i] for i in _find(self._entries, query, limit)]


class RosterIndex:
    """The cadre roster, prepared for repeated look-ups.

    Searchable per cadre: name, ``<surname>某``, post and unit name. Results are sorted by unit name,
    then name (code-point order, the same on every machine).
    """

    __slots__ = ("_cadres", "_entries")

    def __init__(self, cadres: Sequence[Cadre]) -> None:
        ordered = sorted(cadres, key=lambda c: (c.unit_name, c.name, c.post, c.unit))
        self._cadres: tuple[Cadre, ...] = tuple(ordered)
        self._entries: tuple[_Entry, ...] = tuple(
            _entry([c.name, c.post, c.unit_name], [c.name]) for c in ordered
        )

    def __len__(self) -> int:
        return len(self._cadres)

    def search(self, query: str, limit: int = DEFAULT_LIMIT) -> list[Cadre]:
        """Cadres matching every term of ``query``, by unit then name, at most ``limit`` of them."""
        return [self._cadres[i] for i in _find(self._entries, query, limit)]


def search_history(
    records: Sequence[HistoryRecord], query: str, *, pack: Pack, limit: int = DEFAULT_LIMIT
) -> list[HistoryRecord]:
    """Search the history ledger once; build a :class:`HistoryIndex` to search it many times.

    Parameters
    ----------
    records
        The history ledger.
    query
        Whitespace-separated terms, all of which must match (see the module docstring).
    pack
        The pack the records were made with.
    limit
        At most this many records are returned.

    Returns
    -------
    list of HistoryRecord
        Newest first; empty for a blank query.
    """
    return HistoryIndex(records, pack).search(query, limit)


def search_roster(cadres: Sequence[Cadre], query: str, *, limit: int = DEFAULT_LIMIT) -> list[Cadre]:
    """Search the cadre roster once; build a :class:`RosterIndex` to search it many times.

    Parameters
    ----------
    cadres
        The roster (``pack.cadres``).
    query
        Whitespace-separated terms, all of which must match: name, ``<surname>某``, post, unit name.
    limit
        At most this many cadres are returned.

    Returns
    -------
    list of Cadre
        Sorted by unit name, then name; empty for a blank query.
    """
    return RosterIndex(cadres).search(query, limit)
