"""The store: what a learner submitted, its score, and an audit log, behind one small class.

Rows never leave this module: every method returns frozen dataclasses. Submissions and scores are
append-only (the API offers no update or delete, and database triggers refuse them anyway). The
competition methods keep their SQL in :mod:`toolkit.store.contest`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc
from sqlalchemy.engine import Connection, Engine, RowMapping

from toolkit.audit.model import Audit, Review
from toolkit.competition.events import RoundEvent
from toolkit.errors import AppendOnlyViolation, StoreError
from toolkit.store import contest
from toolkit.store.contest import CompetitionRecord, Contestant, EventCheck, SubmissionCheck
from toolkit.store.engine import make_engine, one_line, read_transaction, write_transaction
from toolkit.store.migrations import migrate
from toolkit.store.schema import audits, events, scores, submissions


@dataclass(frozen=True, slots=True)
class Submission:
    """One stored submission.

    Attributes
    ----------
    id
        Assigned by the database, increasing.
    app
        Which app took it (intake, contest, review ...).
    actor
        The learner, contestant or reviewer who handed it in.
    item_id
        The item answered.
    pack
        ``name@version`` of the scenario pack the item came from.
    seed
        Seed the item was generated with, if generated.
    payload
        The answer as JSON-compatible data.
    created_at
        When the database server stored it (aware, UTC).
    """

    id: int
    app: str
    actor: str
    item_id: str
    pack: str
    seed: int | None
    payload: dict[str, Any]
    created_at: datetime

    def to_dict(self) -> dict[str, Any]:
        """JSON interchange form; ``created_at`` in ISO 8601."""
        return {
            "id": self.id,
            "app": self.app,
            "actor": self.actor,
            "item_id": self.item_id,
            "pack": self.pack,
            "seed": self.seed,
            "payload": self.payload,
            "created_at": self.created_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class Score:
    """The score stored for one submission."""

    id: int
    submission_id: int
    payload: dict[str, Any]
    created_at: datetime

    def to_dict(self) -> dict[str, Any]:
        """JSON interchange form; ``created_at`` in ISO 8601."""
        return {
            "id": self.id,
            "submission_id": self.submission_id,
            "payload": self.payload,
            "created_at": self.created_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class Scored:
    """A submission together with the score stored for it."""

    submission: Submission
    score: Score

    def to_dict(self) -> dict[str, Any]:
        """JSON interchange form."""
        return {"submission": self.submission.to_dict(), "score": self.score.to_dict()}


@dataclass(frozen=True, slots=True)
class Event:
    """One audit-log entry: an action that was refused or looked forged."""

    id: int
    kind: str
    actor: str
    detail: dict[str, Any]
    created_at: datetime

    def to_dict(self) -> dict[str, Any]:
        """JSON interchange form; ``created_at`` in ISO 8601."""
        return {
            "id": self.id,
            "kind": self.kind,
            "actor": self.actor,
            "detail": self.detail,
            "created_at": self.created_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One stored audit as listed: its id, name, pack and when it was created."""

    id: str
    name: str
    pack: str
    created_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "pack": self.pack,
            "created_at": self.created_at.isoformat(),
        }


ScoreFn = Callable[[Submission], Mapping[str, Any]]
#: scores a contest submission given the seconds of the round it used
ContestScoreFn = Callable[[Submission, float], Mapping[str, Any]]

#: the app name under which audit reviews are stored as submissions
AUDIT_APP = "audit"


class Store:
    """Submissions, scores and the audit log in one SQL database.

    Open with :meth:`Store.open`; every write is its own committed transaction, so a method that returns
    has stored its row. Safe to use from several processes on the same URL at once.

    Examples
    --------
    >>> store = Store.open("sqlite:///data/xfkit.sqlite3")  # doctest: +SKIP
    >>> sub = store.add_submission(app="intake", actor="learner-01", item_id="XF-0001",
    ...                            pack="default@1.0.0", seed=7, payload={"category": "A"})  # doctest: +SKIP
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @classmethod
    def open(cls, url: str) -> Store:
        """Connect to ``url`` and bring its schema up to date.

        Parameters
        ----------
        url
            See :func:`toolkit.store.make_engine`; :func:`toolkit.store.default_url` gives the usual one.

        Raises
        ------
        StoreConfigError
            The URL cannot be used.
        StoreVersionError
            The database was made by a newer xfkit.
        """
        engine = make_engine(url)
        try:
            migrate(engine)
        except BaseException:
            engine.dispose()
            raise
        return cls(engine)

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (for the store package and tests; the rest of the toolkit uses methods)."""
        return self._engine

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction (``BEGIN IMMEDIATE`` on SQLite), committed on success.

        Raises
        ------
        AppendOnlyViolation
            A statement tried to update or delete a submission or score.
        StoreError
            Another constraint refused a statement (a score for a submission that does not exist ...).
        """
        try:
            with write_transaction(self._engine) as conn:
                yield conn
        except exc.DBAPIError as e:
            reason = one_line(e)
            if "append-only" in reason:
                raise AppendOnlyViolation(reason[reason.index("append-only") :]) from e
            if isinstance(e, exc.IntegrityError):
                raise StoreError(f"refused by the database: {reason}") from e
            raise

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction (deferred ``BEGIN`` on SQLite): takes no write lock."""
        with read_transaction(self._engine) as conn:
            yield conn

    def add_submission(
        self,
        *,
        app: str,
        actor: str,
        item_id: str,
        pack: str,
        seed: int | None,
        payload: Mapping[str, Any],
    ) -> Submission:
        """Store one submission in its own transaction.

        Parameters
        ----------
        app, actor, item_id, pack, seed, payload
            See :class:`Submission`.

        Returns
        -------
        Submission
            As stored, with its id and the server's ``created_at``; returned only after the commit.
        """
        with self.write() as conn:
            row = (
                conn.execute(
                    sa.insert(submissions)
                    .values(
                        app=app, actor=actor, item_id=item_id, pack=pack, seed=seed, payload=dict(payload)
                    )
                    .returning(*submissions.c)
                )
                .mappings()
                .one()
            )
        return _submission(row)

    def add_score(self, submission_id: int, payload: Mapping[str, Any]) -> int:
        """Store the score of a stored submission; returns the score's id."""
        return self._insert_score(submission_id, payload).id

    def submit_and_score(
        self,
        *,
        app: str,
        actor: str,
        item_id: str,
        pack: str,
        seed: int | None,
        payload: Mapping[str, Any],
        score_fn: ScoreFn,
    ) -> Scored:
        """Store a submission, then score it and store the score.

        The submission is committed first, in its own transaction, so a score is never shown for a
        submission that was not stored; if ``score_fn`` raises, the submission stays stored without a
        score and the exception propagates.

        Parameters
        ----------
        app, actor, item_id, pack, seed, payload
            See :class:`Submission`.
        score_fn
            Computes the score payload from the stored submission.
        """
        submission = self.add_submission(
            app=app, actor=actor, item_id=item_id, pack=pack, seed=seed, payload=payload
        )
        score = self._insert_score(submission.id, score_fn(submission))
        return Scored(submission=submission, score=score)

    def submissions(
        self, app: str | None = None, actor: str | None = None, item_id: str | None = None
    ) -> list[Submission]:
        """Stored submissions, oldest first, optionally only those matching every filter given."""
        query = sa.select(submissions).order_by(submissions.c.id)
        if app is not None:
            query = query.where(submissions.c.app == app)
        if actor is not None:
            query = query.where(submissions.c.actor == actor)
        if item_id is not None:
            query = query.where(submissions.c.item_id == item_id)
        with self.read() as conn:
            return [_submission(row) for row in conn.execute(query).mappings()]

    def scored(self, app: str | None = None, actor: str | None = None) -> list[Scored]:
        """Submissions that have a score, each with its (first) score, oldest first."""
        conditions: list[sa.ColumnElement[bool]] = []
        if app is not None:
            conditions.append(submissions.c.app == app)
        if actor is not None:
            conditions.append(submissions.c.actor == actor)
        return self._scored(conditions)

    def scores(self, submission_id: int | None = None) -> list[Score]:
        """Stored scores, oldest first, optionally only those of one submission."""
        query = sa.select(scores).order_by(scores.c.id)
        if submission_id is not None:
            query = query.where(scores.c.submission_id == submission_id)
        with self.read() as conn:
            return [_score(row) for row in conn.execute(query).mappings()]

    def log_event(self, kind: str, actor: str, detail: Mapping[str, Any]) -> Event:
        """Record a refused or forged action in the audit log.

        Parameters
        ----------
        kind
            Short code such as ``"forged-click"`` or ``"late-submission"``.
        actor
            Who tried it.
        detail
            JSON-compatible facts about it.
        """
        with self.write() as conn:
            row = (
                conn.execute(
                    sa.insert(events).values(kind=kind, actor=actor, detail=dict(detail)).returning(*events.c)
                )
                .mappings()
                .one()
            )
        return _event(row)

    def events(self, kind: str | None = None) -> list[Event]:
        """Audit-log entries, oldest first, optionally of one kind."""
        query = sa.select(events).order_by(events.c.id)
        if kind is not None:
            query = query.where(events.c.kind == kind)
        with self.read() as conn:
            return [_event(row) for row in conn.execute(query).mappings()]

    def add_audit(self, audit: Audit) -> AuditRecord:
        """Store a new audit's set-up; :class:`StoreError` when its id is taken."""
        with self.write() as conn:
            row = (
                conn.execute(
                    sa.insert(audits)
                    .values(id=audit.id, name=audit.name, pack=audit.pack, payload=audit.to_dict())
                    .returning(audits.c.id, audits.c.name, audits.c.pack, audits.c.created_at)
                )
                .mappings()
                .one()
            )
        return AuditRecord(row["id"], row["name"], row["pack"], row["created_at"])

    def audit(self, audit_id: str) -> Audit | None:
        """The audit ``audit_id``, or None when there is none."""
        with self.read() as conn:
            payload = conn.scalar(sa.select(audits.c.payload).where(audits.c.id == audit_id))
        return None if payload is None else Audit.from_dict(payload)

    def audits(self) -> list[AuditRecord]:
        """Every stored audit, the most recently stored first."""
        query = sa.select(audits.c.id, audits.c.name, audits.c.pack, audits.c.created_at).order_by(
            audits.c.seq.desc()
        )
        with self.read() as conn:
            return [
                AuditRecord(r["id"], r["name"], r["pack"], r["created_at"])
                for r in conn.execute(query).mappings()
            ]

    def save_review(self, audit: Audit, review: Review, score_fn: ScoreFn) -> Scored:
        """Store a reviewer's review of one item (a new version; the latest counts), then its score.

        Saved as a submission of app :data:`AUDIT_APP` with item ``<audit id>/<item id>``, so a review is
        never changed in place: every save is a new row, and a reload reads the latest.
        """
        return self.submit_and_score(
            app=AUDIT_APP,
            actor=review.reviewer,
            item_id=f"{audit.id}/{review.item_id}",
            pack=audit.pack,
            seed=None,
            payload=review.to_dict(),
            score_fn=score_fn,
        )

    def reviews(self, audit_id: str, reviewer: str | None = None) -> list[Review]:
        """The latest saved review of each (item, reviewer) of an audit, in the order first saved."""
        prefix = f"{audit_id}/"
        query = (
            sa.select(submissions.c.actor, submissions.c.item_id, submissions.c.payload)
            .where(submissions.c.app == AUDIT_APP)
            .where(sa.func.substr(submissions.c.item_id, 1, len(prefix)) == prefix)
            .order_by(submissions.c.id)
        )
        if reviewer is not None:
            query = query.where(submissions.c.actor == reviewer)
        latest: dict[tuple[str, str], Review] = {}
        with self.read() as conn:
            for row in conn.execute(query).mappings():
                latest[(row["actor"], row["item_id"])] = Review.from_dict(row["payload"])
        return list(latest.values())

    # -- competitions (擂台赛) -------------------------------------------------------------------------

    def add_competition(
        self, *, id: str, code: str, name: str, pack: str, payload: Mapping[str, Any]
    ) -> CompetitionRecord:
        """Store a new competition.

        Parameters
        ----------
        id
            Unique, non-empty, without ``/`` (it prefixes the competition's item ids).
        code
            The join code; stored stripped and upper-case, unique.
        name, pack, payload
            See :class:`CompetitionRecord`.

        Raises
        ------
        StoreError
            The id or the join code is taken.
        ValueError
            The id is empty or holds ``/``, or the code is empty.
        """
        with self.write() as conn:
            return contest.add_competition(
                conn, id=id, code=code, name=name, pack=pack, payload=dict(payload)
            )

    def competition(self, competition_id: str) -> CompetitionRecord | None:
        """The competition ``competition_id``, or None."""
        with self.read() as conn:
            return contest.find_competition(conn, id=competition_id)

    def competition_by_code(self, code: str) -> CompetitionRecord | None:
        """The competition whose join code is ``code`` in any case (surrounding spaces ignored), or None."""
        with self.read() as conn:
            return contest.find_competition(conn, code=code)

    def competitions(self) -> list[CompetitionRecord]:
        """Every competition, the most recently stored first."""
        with self.read() as conn:
            return contest.list_competitions(conn)

    def join(self, competition_id: str, name: str, pin: str) -> Contestant:
        """Add a contestant to a competition with the next number (1, 2, 3 ...).

        Parameters
        ----------
        competition_id
            The competition joined.
        name
            Display name; surrounding spaces are stripped, case is kept and compared.
        pin
            What the contestant will :meth:`resume` with.

        Raises
        ------
        ContestRefused
            ``"name-taken"``: another contestant of the competition has that name; ``"unknown"``: no
            such competition.
        ValueError
            The name is empty.
        """
        for attempt in range(1, contest.JOIN_ATTEMPTS + 1):
            try:
                with self.write() as conn:
                    return contest.join(conn, competition_id, name, pin)
            except StoreError:
                # a concurrent join took the number (or the name: the next attempt says so)
                if attempt == contest.JOIN_ATTEMPTS:
                    raise
        raise AssertionError("unreachable")

    def resume(self, competition_id: str, name: str, pin: str) -> Contestant:
        """The contestant ``name`` of a competition, when ``pin`` is theirs.

        Raises
        ------
        ContestRefused
            ``"unknown"``: nobody of that name; ``"bad-pin"``: the PIN does not match.
        """
        with self.read() as conn:
            return contest.resume(conn, competition_id, name, pin)

    def contestants(self, competition_id: str) -> list[Contestant]:
        """A competition's contestants in number (join) order."""
        with self.read() as conn:
            return contest.list_contestants(conn, competition_id)

    def server_now(self) -> datetime:
        """The database server's current time (aware, UTC): the one clock competitions are timed by."""
        with self.read() as conn:
            return contest.now(conn)

    def round_events(self, competition_id: str) -> list[RoundEvent]:
        """A competition's round events, oldest first."""
        with self.read() as conn:
            return contest.list_round_events(conn, competition_id)

    def add_round_event(self, competition_id: str, round: int, kind: str, check: EventCheck) -> RoundEvent:
        """Record a trainer action on a round, if ``check`` allows it, in one write transaction.

        Parameters
        ----------
        competition_id
            The competition.
        round
            1-based round number; 0 for the whole competition (``freeze``/``unfreeze``).
        kind
            One of :data:`toolkit.competition.events.EVENT_KINDS`.
        check
            Called with the competition's events (oldest first) and the server's now, inside the
            transaction; raises :class:`ContestRefused` to refuse, and then nothing is written.

        Returns
        -------
        RoundEvent
            As stored: ``at`` is the server time ``check`` was given.

        Raises
        ------
        ContestRefused
            From ``check``; ``"bad-action"`` for an unknown kind or a negative round; ``"unknown"`` for
            an unknown competition.
        """
        with self.write() as conn:
            return contest.add_round_event(conn, competition_id, round, kind, check)

    def submit_contest(
        self,
        *,
        competition_id: str,
        contestant: str,
        item_key: str,
        pack: str,
        seed: int | None,
        payload: Mapping[str, Any],
        check: SubmissionCheck,
        score_fn: ContestScoreFn,
    ) -> Scored:
        """Store a contestant's answer to one item, if in time and the first one, then its score.

        The submission is checked and stored in one write transaction: the competition's events and the
        server's now are read, ``check`` decides, and the row is inserted with that same now as its
        ``created_at``. After the commit the score is computed and stored in a transaction of its own,
        so a score is never shown for a submission that was not stored; if ``score_fn`` raises, the
        submission stays stored without a score and the exception propagates.

        Parameters
        ----------
        competition_id
            The competition.
        contestant
            :attr:`Contestant.id` (``<competition>/<number>``): the submission's actor.
        item_key
            The item within the competition; the submission's item id is ``<competition>/<item_key>``.
        pack, seed
            See :class:`Submission`.
        payload
            The answer; stored with ``"time_used_s"`` added.
        check
            Called with the events (oldest first) and the server's now; returns the seconds of the round
            used, or raises :class:`ContestRefused` (``"late"``, ``"not-running"`` ...) to refuse.
        score_fn
            Computes the score payload from the stored submission and the seconds used.

        Raises
        ------
        ContestRefused
            From ``check``; ``"duplicate"`` when this contestant already has a stored submission for the
            item (also when another process stored it a moment ago); ``"unknown"`` for a competition or
            contestant that does not exist. Nothing is stored then.
        """
        with self.write() as conn:
            row, used = contest.insert_submission(
                conn,
                competition_id=competition_id,
                contestant=contestant,
                item_key=item_key,
                pack=pack,
                seed=seed,
                payload=dict(payload),
                check=check,
            )
        submission = _submission(row)
        score = self._insert_score(submission.id, score_fn(submission, used))
        return Scored(submission=submission, score=score)

    def contest_submissions(self, competition_id: str, contestant: str | None = None) -> list[Scored]:
        """A competition's scored submissions, oldest first, optionally of one contestant (its id)."""
        return self._scored(contest.submissions_of(competition_id, contestant))

    def close(self) -> None:
        """Close every pooled connection."""
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _scored(self, conditions: list[sa.ColumnElement[bool]]) -> list[Scored]:
        """Scored submissions meeting every condition, each with its (first) score, oldest first."""
        query = (
            sa.select(
                submissions,
                scores.c.id.label("score_id"),
                scores.c.payload.label("score_payload"),
                scores.c.created_at.label("score_created_at"),
            )
            .join(scores, scores.c.submission_id == submissions.c.id)
            .where(*conditions)
            .order_by(submissions.c.id, scores.c.id)
        )
        out: dict[int, Scored] = {}
        with self.read() as conn:
            for row in conn.execute(query).mappings():
                if row["id"] in out:
                    continue
                score = Score(
                    id=row["score_id"],
                    submission_id=row["id"],
                    payload=row["score_payload"],
                    created_at=row["score_created_at"],
                )
                out[row["id"]] = Scored(submission=_submission(row), score=score)
        return list(out.values())

    def _insert_score(self, submission_id: int, payload: Mapping[str, Any]) -> Score:
        with self.write() as conn:
            row = (
                conn.execute(
                    sa.insert(scores)
                    .values(submission_id=submission_id, payload=dict(payload))
                    .returning(*scores.c)
                )
                .mappings()
                .one()
            )
        return _score(row)


def _submission(row: RowMapping) -> Submission:
    return Submission(
        id=row["id"],
        app=row["app"],
        actor=row["actor"],
        item_id=row["item_id"],
        pack=row["pack"],
        seed=row["seed"],
        payload=row["payload"],
        created_at=row["created_at"],
    )


def _score(row: RowMapping) -> Score:
    return Score(
        id=row["id"], submission_id=row["submission_id"], payload=row["payload"], created_at=row["created_at"]
    )


def _event(row: RowMapping) -> Event:
    return Event(
        id=row["id"], kind=row["kind"], actor=row["actor"], detail=row["detail"], created_at=row["created_at"]
    )
