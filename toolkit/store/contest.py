"""Competitions (擂台赛) in the store: competitions, contestants, round events and contest submissions.

The records returned by :class:`toolkit.store.Store`'s competition methods, and the SQL behind them: each
function here runs inside a transaction the :class:`~toolkit.store.Store` opened and hands it back rows'
worth of records. Three rules hold throughout:

* **the database clock only.** Every time (an event's, a submission's, the ``now`` a timing check sees) is
  read from the database server (:class:`toolkit.store.schema.clock_now`) inside the writing transaction,
  after its locks were taken, and that same value is stored; Python's clock is never used.
* **check and write in one transaction.** A round event or a contest submission is written in the
  transaction that read the competition's events and the time its check was made with. On SQLite the
  write transaction holds the database's write lock from its ``BEGIN IMMEDIATE``; on PostgreSQL it locks
  the competition's row (``FOR UPDATE`` for an event or a join, ``FOR SHARE`` for a submission), so a
  submission never slips past an "end" being recorded at the same moment.
* **the database enforces uniqueness.** Contestant names and numbers are unique per competition, and a
  partial unique index on ``submissions`` allows one contest submission per contestant and item, whatever
  the number of processes racing.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc
from sqlalchemy.engine import Connection, RowMapping

from toolkit.competition.events import EVENT_KINDS, RoundEvent
from toolkit.errors import ContestRefused, StoreError
from toolkit.store.schema import CONTEST_APP, clock_now, competitions, contestants, round_events, submissions

__all__ = [
    "CONTEST_APP",
    "JOIN_ATTEMPTS",
    "CompetitionRecord",
    "Contestant",
    "EventCheck",
    "SubmissionCheck",
]

#: a round-event check: given the competition's events (oldest first) and the server's now, raise
#: :class:`ContestRefused` to refuse
EventCheck = Callable[[list[RoundEvent], datetime], None]
#: a submission check: like :data:`EventCheck`, returning the seconds of the round the contestant used
SubmissionCheck = Callable[[list[RoundEvent], datetime], float]

#: transactions a join tries before giving up when concurrent joins keep taking its number
JOIN_ATTEMPTS = 5


@dataclass(frozen=True, slots=True)
class CompetitionRecord:
    """One stored competition.

    Attributes
    ----------
    id
        Chosen by the trainer's tool; unique, without ``/``.
    code
        The join code contestants type, stored upper-case; unique.
    name
        Shown to contestants.
    pack
        ``name@version`` of the scenario pack the items come from.
    payload
        The competition's spec as JSON-compatible data.
    created_at
        When the database server stored it (aware, UTC).
    """

    id: str
    code: str
    name: str
    pack: str
    payload: dict[str, Any]
    created_at: datetime

    def to_dict(self) -> dict[str, Any]:
        """JSON interchange form; ``created_at`` in ISO 8601."""
        return {
            "id": self.id,
            "code": self.code,
            "name": self.name,
            "pack": self.pack,
            "payload": self.payload,
            "created_at": self.created_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class Contestant:
    """One contestant of one competition.

    Attributes
    ----------
    competition
        The competition's id.
    number
        1, 2, 3 ... in the order contestants joined.
    name
        The display name, stripped of surrounding spaces; unique within the competition.
    pin
        What the contestant chose to resume with; left out of ``repr`` and :meth:`to_dict`.
    created_at
        When the database server stored the join (aware, UTC).
    """

    competition: str
    number: int
    name: str
    pin: str = field(repr=False)
    created_at: datetime

    @property
    def id(self) -> str:
        """``<competition>/<number>``: the actor of the contestant's submissions."""
        return f"{self.competition}/{self.number}"

    def to_dict(self) -> dict[str, Any]:
        """JSON interchange form, without the pin; ``created_at`` in ISO 8601."""
        return {
            "competition": self.competition,
            "number": self.number,
            "id": self.id,
            "name": self.name,
            "created_at": self.created_at.isoformat(),
        }


def add_competition(
    conn: Connection, *, id: str, code: str, name: str, pack: str, payload: dict[str, Any]
) -> CompetitionRecord:
    """Insert a competition; :class:`StoreError` when its id or code is taken."""
    code = normal_code(code)
    if not id or "/" in id:
        raise ValueError(f"a competition id must be non-empty and without '/': {id!r}")
    if not code:
        raise ValueError("a competition needs a join code")
    clash = conn.execute(
        sa.select(competitions.c.id, competitions.c.code).where(
            sa.or_(competitions.c.id == id, competitions.c.code == code)
        )
    ).first()
    if clash is not None:
        what = f"id {id!r}" if clash.id == id else f"join code {code!r}"
        raise StoreError(f"a competition with {what} already exists")
    row = (
        conn.execute(
            sa.insert(competitions)
            .values(id=id, code=code, name=name, pack=pack, payload=payload)
            .returning(*competitions.c)
        )
        .mappings()
        .one()
    )
    return _competition(row)


def find_competition(
    conn: Connection, *, id: str | None = None, code: str | None = None
) -> CompetitionRecord | None:
    """The competition with that id, or that join code (any case), or None."""
    query = sa.select(competitions)
    if id is not None:
        query = query.where(competitions.c.id == id)
    if code is not None:
        query = query.where(competitions.c.code == normal_code(code))
    row = conn.execute(query).mappings().first()
    return None if row is None else _competition(row)


def list_competitions(conn: Connection) -> list[CompetitionRecord]:
    """Every competition, the most recently stored first."""
    query = sa.select(competitions).order_by(competitions.c.seq.desc())
    return [_competition(row) for row in conn.execute(query).mappings()]


def join(conn: Connection, competition_id: str, name: str, pin: str) -> Contestant:
    """Add a contestant with the next number; ``name-taken`` when the (stripped) name is in use."""
    name = normal_name(name)
    _lock_competition(conn, competition_id, shared=False)
    taken = conn.scalar(
        sa.select(contestants.c.number).where(
            contestants.c.competition_id == competition_id, contestants.c.name == name
        )
    )
    if taken is not None:
        raise ContestRefused("name-taken", f"the name {name!r} is already taken in this competition")
    last = conn.scalar(
        sa.select(sa.func.max(contestants.c.number)).where(contestants.c.competition_id == competition_id)
    )
    row = (
        conn.execute(
            sa.insert(contestants)
            .values(competition_id=competition_id, number=(last or 0) + 1, name=name, pin=pin)
            .returning(*contestants.c)
        )
        .mappings()
        .one()
    )
    return _contestant(row)


def resume(conn: Connection, competition_id: str, name: str, pin: str) -> Contestant:
    """The contestant of that name if ``pin`` is theirs; ``unknown`` or ``bad-pin`` otherwise."""
    name = normal_name(name)
    row = (
        conn.execute(
            sa.select(contestants).where(
                contestants.c.competition_id == competition_id, contestants.c.name == name
            )
        )
        .mappings()
        .first()
    )
    if row is None:
        raise ContestRefused("unknown", f"no contestant named {name!r} in this competition")
    if not hmac.compare_digest(row["pin"].encode(), pin.encode()):
        raise ContestRefused("bad-pin", "the PIN does not match")
    return _contestant(row)


def list_contestants(conn: Connection, competition_id: str) -> list[Contestant]:
    """A competition's contestants in number order."""
    query = (
        sa.select(contestants)
        .where(contestants.c.competition_id == competition_id)
        .order_by(contestants.c.number)
    )
    return [_contestant(row) for row in conn.execute(query).mappings()]


def now(conn: Connection) -> datetime:
    """The database server's clock, read now (aware, UTC)."""
    value = conn.scalar(sa.select(clock_now()))
    if not isinstance(value, datetime):
        raise StoreError(f"the database returned no time: {value!r}")
    return value


def list_round_events(conn: Connection, competition_id: str) -> list[RoundEvent]:
    """A competition's round events, oldest first."""
    query = (
        sa.select(round_events.c.round, round_events.c.kind, round_events.c.created_at)
        .where(round_events.c.competition_id == competition_id)
        .order_by(round_events.c.seq)
    )
    return [
        RoundEvent(competition_id, row["round"], row["kind"], row["created_at"])
        for row in conn.execute(query).mappings()
    ]


def add_round_event(
    conn: Connection, competition_id: str, round: int, kind: str, check: EventCheck
) -> RoundEvent:
    """Check ``kind`` on ``round`` against the stored events and the server's now, then record it."""
    if kind not in EVENT_KINDS:
        raise ContestRefused("bad-action", f"unknown round action {kind!r}")
    if round < 0:
        raise ContestRefused("bad-action", f"no round {round}")
    _lock_competition(conn, competition_id, shared=False)
    at = now(conn)
    check(list_round_events(conn, competition_id), at)
    stored = conn.execute(
        sa.insert(round_events)
        .values(competition_id=competition_id, round=round, kind=kind, created_at=at)
        .returning(round_events.c.created_at)
    ).scalar_one()
    return RoundEvent(competition_id, round, kind, stored)


def insert_submission(
    conn: Connection,
    *,
    competition_id: str,
    contestant: str,
    item_key: str,
    pack: str,
    seed: int | None,
    payload: dict[str, Any],
    check: SubmissionCheck,
) -> tuple[RowMapping, float]:
    """Check and insert one contest submission; its row and the seconds used (the check's answer)."""
    _lock_competition(conn, competition_id, shared=True)
    _require_contestant(conn, competition_id, contestant)
    at = now(conn)
    used = check(list_round_events(conn, competition_id), at)
    item_id = f"{competition_id}/{item_key}"
    stored = sa.and_(
        submissions.c.app == CONTEST_APP, submissions.c.actor == contestant, submissions.c.item_id == item_id
    )
    if conn.scalar(sa.select(submissions.c.id).where(stored)) is not None:
        raise _duplicate(item_key)
    insert = (
        sa.insert(submissions)
        .values(
            app=CONTEST_APP,
            actor=contestant,
            item_id=item_id,
            pack=pack,
            seed=seed,
            payload={**payload, "time_used_s": used},
            created_at=at,
        )
        .returning(*submissions.c)
    )
    try:
        row = conn.execute(insert).mappings().one()
    except exc.IntegrityError as e:
        # a concurrent transaction stored the same item after our look (PostgreSQL: they run side by side)
        raise _duplicate(item_key) from e
    return row, used


def submissions_of(competition_id: str, contestant: str | None) -> list[sa.ColumnElement[bool]]:
    """Conditions on ``submissions`` selecting a competition's contest submissions (of one contestant)."""
    # ids hold no '/', so the prefix "<id>/" never matches another competition's items
    prefix = f"{competition_id}/"
    conditions = [
        submissions.c.app == CONTEST_APP,
        sa.func.substr(submissions.c.item_id, 1, len(prefix)) == prefix,
    ]
    if contestant is not None:
        conditions.append(submissions.c.actor == contestant)
    return conditions


def normal_code(code: str) -> str:
    """A join code as stored: stripped, upper-case."""
    return code.strip().upper()


def normal_name(name: str) -> str:
    """A display name as stored and compared: stripped; ValueError when nothing is left."""
    stripped = name.strip()
    if not stripped:
        raise ValueError("a contestant needs a name")
    return stripped


def _lock_competition(conn: Connection, competition_id: str, *, shared: bool) -> None:
    """Lock the competition's row to the end of the transaction; ``unknown`` when there is none.

    On PostgreSQL an event or a join takes it exclusively and a submission shared; SQLite renders no
    ``FOR UPDATE``, its ``BEGIN IMMEDIATE`` having locked the whole database already.
    """
    query = sa.select(competitions.c.seq).where(competitions.c.id == competition_id)
    if conn.scalar(query.with_for_update(read=shared)) is None:
        raise ContestRefused("unknown", f"no competition {competition_id!r}")


def _require_contestant(conn: Connection, competition_id: str, contestant: str) -> None:
    """Refuse (``unknown``) a contestant id that is not one of this competition's."""
    prefix, _, number = contestant.rpartition("/")
    found = None
    if prefix == competition_id and number.isascii() and number.isdigit():
        found = conn.scalar(
            sa.select(contestants.c.seq).where(
                contestants.c.competition_id == competition_id, contestants.c.number == int(number)
            )
        )
    if found is None:
        raise ContestRefused(
            "unknown", f"{contestant!r} is not a contestant of competition {competition_id!r}"
        )


def _duplicate(item_key: str) -> ContestRefused:
    return ContestRefused("duplicate", f"item {item_key!r} was already submitted")


def _competition(row: RowMapping) -> CompetitionRecord:
    return CompetitionRecord(
        id=row["id"],
        code=row["code"],
        name=row["name"],
        pack=row["pack"],
        payload=row["payload"],
        created_at=row["created_at"],
    )


def _contestant(row: RowMapping) -> Contestant:
    return Contestant(
        competition=row["competition_id"],
        number=row["number"],
        name=row["name"],
        pin=row["pin"],
        created_at=row["created_at"],
    )
