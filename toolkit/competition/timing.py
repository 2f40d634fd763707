"""Server-side round timing: a round's state computed from its trainer events and the server's clock.

A round is *pending* until started, then *running*; a pause stops its clock and a resume restarts it; it
is *ended* when the trainer ends it or when its minutes of running time are used up (the moment the clock
reaches the limit, whether or not anybody looked). After it has ended the trainer may *release* it
(answers and item analysis shown). Round 0 stands for the whole competition and only takes ``freeze`` and
``unfreeze``, which stop and restart the projector's leaderboard and must alternate.

Every function takes the events as the store recorded them (any rounds, in the order recorded) and
``now``, the database server's time; events after ``now`` are not counted. Datetimes should all be aware
(or all naive) so they compare.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from toolkit.competition.events import EVENT_KINDS, RoundEvent
from toolkit.errors import ContestRefused

__all__ = ["STATUSES", "RoundState", "check_action", "check_submission", "frozen_at", "round_state"]

#: the states a round can be in, in the order it goes through them (``paused`` only between runs)
STATUSES: tuple[str, ...] = ("pending", "running", "paused", "ended")
#: what the trainer can do to the whole competition (round 0)
BOARD_KINDS = ("freeze", "unfreeze")


@dataclass(frozen=True, slots=True)
class RoundState:
    """Where a round stands at one moment.

    Attributes
    ----------
    status
        ``"pending"``, ``"running"``, ``"paused"`` or ``"ended"``.
    started_at
        When the round was first started (None while pending).
    ends_at
        While running: when its time will be up if nobody pauses it; once ended: when it ended; None while
        pending or paused.
    remaining_s, elapsed_s
        Running seconds left and used (time spent paused is not counted); they add up to the round's
        minutes. A round the trainer ended early keeps the time that was left when it ended.
    released
        Whether the trainer released it (only after it ended).
    """

    status: str
    started_at: datetime | None
    ends_at: datetime | None
    remaining_s: float
    elapsed_s: float
    released: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "ends_at": self.ends_at.isoformat() if self.ends_at else None,
            "remaining_s": self.remaining_s,
            "elapsed_s": self.elapsed_s,
            "released": self.released,
        }


def _events_of(events: Sequence[RoundEvent], round_no: int, now: datetime) -> list[RoundEvent]:
    """Round ``round_no``'s events up to ``now``, by time (the recorded order kept for equal times)."""
    mine = [e for e in events if e.round == round_no and e.at <= now]
    return sorted(mine, key=lambda e: e.at)


def round_state(events: Sequence[RoundEvent], round_no: int, minutes: float, now: datetime) -> RoundState:
    """The state of round ``round_no`` at ``now``.

    Parameters
    ----------
    events
        The competition's events (other rounds' are ignored), as recorded.
    round_no
        The round (1-based).
    minutes
        The round's running time.
    now
        The server's time.

    Returns
    -------
    RoundState
        Events that do not fit the state they arrive in (a second start, a pause after the time was up)
        are ignored; :func:`check_action` keeps them from being recorded.
    """
    limit = float(minutes) * 60.0
    status = "pending"
    started: datetime | None = None
    run_from: datetime | None = None  # start of the current running stretch
    ended_at: datetime | None = None
    used = 0.0  # running seconds before the current stretch
    released = False

    def time_up_before(moment: datetime) -> bool:
        nonlocal status, ended_at, used, run_from
        if status != "running" or run_from is None:
            return False
        if used + (moment - run_from).total_seconds() < limit:
            return False
        ended_at = run_from + timedelta(seconds=limit - used)
        used, run_from, status = limit, None, "ended"
        return True

    for event in _events_of(events, round_no, now):
        time_up_before(event.at)
        kind = event.kind
        if kind == "start" and status == "pending":
            status, started, run_from = "running", event.at, event.at
        elif kind == "pause" and status == "running" and run_from is not None:
            used += (event.at - run_from).total_seconds()
            status, run_from = "paused", None
        elif kind == "resume" and status == "paused":
            status, run_from = "running", event.at
        elif kind == "end" and status in ("running", "paused"):
            if run_from is not None:
                used += (event.at - run_from).total_seconds()
            status, run_from, ended_at = "ended", None, event.at
        elif kind == "release" and status == "ended":
            released = True
    time_up_before(now)

    elapsed = used
    ends_at: datetime | None = None
    if status == "running" and run_from is not None:
        elapsed = used + (now - run_from).total_seconds()
        ends_at = run_from + timedelta(seconds=limit - used)
    elif status == "ended":
        ends_at = ended_at
    elapsed = min(max(elapsed, 0.0), limit)
    return RoundState(
        status=status,
        started_at=started,
        ends_at=ends_at,
        remaining_s=limit - elapsed,
        elapsed_s=elapsed,
        released=released,
    )


#: the statuses in which each round action fits, and what is said when it does not
_FITS: dict[str, tuple[tuple[str, ...], str]] = {
    "start": (("pending",), "round {n} has already been started"),
    "pause": (("running",), "round {n} is not running (it is {status})"),
    "resume": (("paused",), "round {n} is not paused (it is {status})"),
    "end": (("running", "paused"), "round {n} cannot be ended: it is {status}"),
    "release": (("ended",), "round {n} cannot be released before it has ended (it is {status})"),
}


def check_action(
    events: Sequence[RoundEvent], round_no: int, minutes: float, now: datetime, kind: str
) -> None:
    """Refuse a trainer action that does not fit the round's state at ``now``.

    Parameters
    ----------
    events
        The competition's events so far.
    round_no
        The round acted on (0 for ``freeze``/``unfreeze``, which act on the whole competition).
    minutes
        The round's running time (unused for round 0).
    now
        The server's time.
    kind
        One of :data:`~toolkit.competition.events.EVENT_KINDS`.

    Raises
    ------
    ContestRefused
        Reason ``"bad-action"``: an unknown kind; starting a round already started; pausing one not
        running; resuming one not paused; ending one pending or already ended; releasing one not ended or
        already released; freeze/unfreeze on another round than 0, a round action on round 0, a freeze
        while frozen or an unfreeze while not frozen.
    """
    if kind not in EVENT_KINDS:
        raise ContestRefused("bad-action", f"unknown action {kind!r}; allowed: {', '.join(EVENT_KINDS)}")
    if kind in BOARD_KINDS:
        if round_no != 0:
            raise ContestRefused(
                "bad-action", f"{kind} acts on the whole competition (round 0), not round {round_no}"
            )
        frozen = frozen_at(events, now) is not None
        if kind == "freeze" and frozen:
            raise ContestRefused("bad-action", "the leaderboard is already frozen")
        if kind == "unfreeze" and not frozen:
            raise ContestRefused("bad-action", "the leaderboard is not frozen")
        return
    if round_no < 1:
        raise ContestRefused("bad-action", f"{kind} needs a round (1, 2 …), not round {round_no}")
    state = round_state(events, round_no, minutes, now)
    fits, message = _FITS[kind]
    if state.status not in fits:
        raise ContestRefused("bad-action", message.format(n=round_no, status=state.status))
    if kind == "release" and state.released:
        raise ContestRefused("bad-action", f"round {round_no} has already been released")


def check_submission(events: Sequence[RoundEvent], round_no: int, minutes: float, now: datetime) -> float:
    """The running seconds used so far in round ``round_no``, if an answer may be submitted at ``now``.

    Parameters
    ----------
    events, round_no, minutes, now
        As for :func:`round_state`.

    Returns
    -------
    float
        Seconds of running time used since the round started (what the leaderboard adds up).

    Raises
    ------
    ContestRefused
        ``"not-running"`` while the round is pending or paused; ``"late"`` once it has ended or its time is
        up (an answer arriving exactly at the limit is late).
    """
    state = round_state(events, round_no, minutes, now)
    if state.status == "pending":
        raise ContestRefused("not-running", f"round {round_no} has not started yet")
    if state.status == "paused":
        raise ContestRefused("not-running", f"round {round_no} is paused; answers are taken when it resumes")
    if state.status == "ended":
        raise ContestRefused("late", f"round {round_no} is over; the answer came too late")
    return state.elapsed_s


def frozen_at(events: Sequence[RoundEvent], now: datetime) -> datetime | None:
    """When the leaderboard freeze in force at ``now`` began; None when the board is live.

    Round 0's ``freeze`` and ``unfreeze`` events up to ``now`` are read in order; one that repeats the
    state (a second freeze) is ignored.
    """
    since: datetime | None = None
    for event in _events_of(events, 0, now):
        if event.kind == "freeze" and since is None:
            since = event.at
        elif event.kind == "unfreeze":
            since = None
    return since
