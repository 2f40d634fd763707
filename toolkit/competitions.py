"""Running practice competitions (擂台赛) against the store: the glue the console, the contestant page, the
leaderboard and ``xfkit competition`` share.

The rules live in :mod:`toolkit.competition` (pure: items, timing, ranking, item analysis); what is stored
lives in :mod:`toolkit.store`. Every check that decides whether something is accepted runs inside the
store's write transaction with the database server's clock.
"""

from __future__ import annotations

import json
import secrets
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from toolkit.competition.analysis import ItemStat, item_analysis, units_of
from toolkit.competition.events import RoundEvent
from toolkit.competition.items import ItemRef, build_item, round_items
from toolkit.competition.leaderboard import Result, Standing, standings
from toolkit.competition.model import CompetitionSpec
from toolkit.competition.timing import RoundState, check_action, check_submission, frozen_at, round_state
from toolkit.errors import StoreError
from toolkit.generate.cases import CaseGenerator
from toolkit.packs import Pack
from toolkit.store import CompetitionRecord, Contestant, Scored, Store

__all__ = [
    "CODE_ALPHABET",
    "Snapshot",
    "analysis",
    "board",
    "contest_results",
    "create_competition",
    "export_bytes",
    "item_of",
    "items_for",
    "new_pin",
    "record_action",
    "snapshot",
    "spec_of",
    "submit_item",
]

#: join codes: upper-case letters and digits without the easily confused 0/O, 1/I/L
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


def _code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_pin() -> str:
    """A 4-digit resume code a contestant notes down to come back as themselves."""
    return f"{secrets.randbelow(10_000):04d}"


def create_competition(store: Store, spec: CompetitionSpec, pack: Pack) -> CompetitionRecord:
    """Store a new competition with a fresh id and join code (retried on the rare clash)."""
    payload = {**spec.to_dict(), "pack_ref": pack.ref}
    last: StoreError | None = None
    for _ in range(10):
        try:
            return store.add_competition(
                id="CP-" + secrets.token_hex(4).upper(),
                code=_code(),
                name=spec.name,
                pack=spec.pack,
                payload=payload,
            )
        except StoreError as exc:  # an id or code already taken
            last = exc
    raise StoreError(f"could not find a free competition code: {last}")


def spec_of(record: CompetitionRecord) -> CompetitionSpec:
    return CompetitionSpec.from_dict(record.payload)


class _Cache:
    """A small least-recently-used cache keyed by text (items and specs hold mappings, so are unhashable)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.data: OrderedDict[str, Any] = OrderedDict()

    def get(self, key: str, make: Callable[[], Any]) -> Any:
        if key in self.data:
            self.data.move_to_end(key)
            return self.data[key]
        value = self.data[key] = make()
        if len(self.data) > self.size:
            self.data.popitem(last=False)
        return value


_ITEMS = _Cache(256)
_BUILT = _Cache(1024)


def items_for(
    spec: CompetitionSpec, pack: Pack, round_no: int, contestant: Contestant
) -> tuple[ItemRef, ...]:
    """The items of round ``round_no`` for ``contestant``: the common set, or their own variant."""
    slot = contestant.number if spec.variants else 0
    key = json.dumps([spec.to_dict(), pack.ref, round_no, slot], sort_keys=True)
    items: tuple[ItemRef, ...] = _ITEMS.get(key, lambda: round_items(spec, pack, round_no, slot))
    return items


def item_of(ref: ItemRef, gen: CaseGenerator) -> Any:
    """The item behind ``ref``, built on the server (cached: contestants share the common set)."""
    key = json.dumps([gen.pack.ref, ref.to_dict()], sort_keys=True, default=str)
    return _BUILT.get(key, lambda: build_item(ref, gen))


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What a page shows at one moment: the server's time, the events and every round's state."""

    now: datetime
    events: tuple[RoundEvent, ...]
    states: tuple[RoundState, ...]
    frozen_at: datetime | None

    def current(self) -> int:
        """The round to show: the running or paused one, else the last started, else round 1."""
        for n, state in enumerate(self.states, start=1):
            if state.status in ("running", "paused"):
                return n
        started = [n for n, s in enumerate(self.states, start=1) if s.status != "pending"]
        return started[-1] if started else 1


def snapshot(store: Store, record: CompetitionRecord, spec: CompetitionSpec) -> Snapshot:
    """Every round's state now, by the database's clock."""
    now = store.server_now()
    events = tuple(store.round_events(record.id))
    states = tuple(round_state(events, n, r.minutes, now) for n, r in enumerate(spec.rounds, start=1))
    return Snapshot(now, events, states, frozen_at(events, now))


def record_action(
    store: Store, record: CompetitionRecord, spec: CompetitionSpec, round_no: int, kind: str
) -> RoundEvent:
    """A trainer's action on a round (start, pause, resume, end, release; freeze/unfreeze on round 0)."""
    minutes = spec.round(round_no).minutes if round_no else 0

    def check(events: list[RoundEvent], now: datetime) -> None:
        check_action(events, round_no, minutes, now, kind)

    return store.add_round_event(record.id, round_no, kind, check)


def submit_item(
    store: Store,
    record: CompetitionRecord,
    spec: CompetitionSpec,
    contestant: Contestant,
    ref: ItemRef,
    payload: Mapping[str, Any],
    score: Callable[[], Mapping[str, Any]],
) -> Scored:
    """Store one answer (refused if late, not running or already answered), then its score.

    Raises
    ------
    ContestRefused
        ``late``, ``not-running`` or ``duplicate``: nothing was stored.
    """
    minutes = spec.round(ref.round).minutes

    def check(events: list[RoundEvent], now: datetime) -> float:
        return check_submission(events, ref.round, minutes, now)

    return store.submit_contest(
        competition_id=record.id,
        contestant=contestant.id,
        item_key=ref.key,
        pack=str(record.payload.get("pack_ref", record.pack)),
        seed=spec.seed,
        payload={"round": ref.round, "kind": ref.kind, "key": ref.key, **payload},
        check=check,
        score_fn=lambda _submission, _used: dict(score()),
    )


def _points(score: Mapping[str, Any]) -> tuple[float, float]:
    got = score.get("total", score.get("points", 0.0))
    return float(got), float(score.get("max", 0.0))


def contest_results(store: Store, record: CompetitionRecord, contestant: str | None = None) -> list[Result]:
    """Every scored submission of the competition as a leaderboard :class:`Result`."""
    out = []
    for scored in store.contest_submissions(record.id, contestant):
        sub = scored.submission.payload
        points, top = _points(scored.score.payload)
        out.append(
            Result(
                contestant=scored.submission.actor,
                round=int(sub["round"]),
                key=str(sub["key"]),
                points=points,
                max=top,
                time_used_s=float(sub.get("time_used_s", 0.0)),
                submitted_at=scored.submission.created_at,
            )
        )
    return out


def board(store: Store, record: CompetitionRecord, *, live: bool) -> tuple[list[Standing], datetime | None]:
    """The leaderboard: live (the trainer) or as the projector shows it (stopped at a freeze)."""
    events = store.round_events(record.id)
    frozen = None if live else frozen_at(events, store.server_now())
    names = {c.id: c.name for c in store.contestants(record.id)}
    return standings(names, contest_results(store, record), frozen_at=frozen), frozen


def analysis(store: Store, record: CompetitionRecord, spec: CompetitionSpec, round_no: int) -> list[ItemStat]:
    """Item analysis of one round: per quiz question, intake field or defect type, the share right and
    the discrimination index."""
    kind = spec.round(round_no).kind
    sums: dict[str, dict[str, list[float]]] = {}
    totals: dict[str, float] = {}
    for scored in store.contest_submissions(record.id):
        sub = scored.submission.payload
        if int(sub.get("round", 0)) != round_no:
            continue
        who = scored.submission.actor
        mine = sums.setdefault(who, {})
        for unit, share in units_of(kind, scored.score.payload).items():
            acc = mine.setdefault(unit, [0.0, 0.0])
            acc[0] += share
            acc[1] += 1
        totals[who] = totals.get(who, 0.0) + _points(scored.score.payload)[0]
    shares = {who: {unit: s / n for unit, (s, n) in units.items()} for who, units in sums.items()}
    return item_analysis(shares, totals, kind)


def export_bytes(store: Store, record: CompetitionRecord, lang: str = "zh") -> bytes:
    """The competition's results as an Excel workbook (live standings, not frozen)."""
    from toolkit.reports.contest_workbook import contest_workbook_bytes

    spec = spec_of(record)
    names = {c.id: c.name for c in store.contestants(record.id)}
    rows, _ = board(store, record, live=True)
    answers = []
    for scored in store.contest_submissions(record.id):
        sub = scored.submission.payload
        points, top = _points(scored.score.payload)
        answer = {k: v for k, v in sub.items() if k not in ("round", "kind", "key", "time_used_s")}
        answers.append(
            {
                "contestant": names.get(scored.submission.actor, scored.submission.actor),
                "round": sub["round"],
                "key": sub["key"],
                "kind": sub["kind"],
                "points": points,
                "max": top,
                "time_used_s": sub.get("time_used_s", 0.0),
                "submitted_at": scored.submission.created_at.isoformat(timespec="seconds"),
                "answer": answer,
            }
        )
    return contest_workbook_bytes(
        name=record.name, code=record.code, spec=spec, standings=rows, answers=answers, lang=lang
    )
