"""Round timing from trainer events and the server's clock: pauses stop the clock, time up ends a round,
late and early answers are refused, and actions that do not fit the round's state are refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from toolkit.competition.events import RoundEvent
from toolkit.competition.timing import (
    RoundState,
    check_action,
    check_submission,
    frozen_at,
    round_state,
)
from toolkit.errors import ContestRefused

T0 = datetime(2025, 6, 3, 9, 0, tzinfo=UTC)
MINUTES = 10


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def ev(kind: str, minutes: float, round_no: int = 1) -> RoundEvent:
    return RoundEvent("c1", round_no, kind, at(minutes))


def state(events: list[RoundEvent], now: float, round_no: int = 1) -> RoundState:
    return round_state(events, round_no, MINUTES, at(now))


def test_a_round_without_events_is_pending() -> None:
    s = state([], 5)
    assert s == RoundState("pending", None, None, 600.0, 0.0, False)


def test_a_running_round_counts_down() -> None:
    s = state([ev("start", 0)], 4)
    assert s.status == "running"
    assert s.started_at == T0
    assert s.ends_at == at(10)
    assert s.elapsed_s == 240.0
    assert s.remaining_s == 360.0


def test_a_pause_stops_the_clock_and_a_resume_moves_the_end() -> None:
    events = [ev("start", 0), ev("pause", 3)]
    for now in (3, 4, 30):
        s = state(events, now)
        assert (s.status, s.elapsed_s, s.remaining_s, s.ends_at) == ("paused", 180.0, 420.0, None)
    events.append(ev("resume", 8))
    s = state(events, 9)
    assert (s.status, s.elapsed_s, s.remaining_s) == ("running", 240.0, 360.0)
    assert s.ends_at == at(15)  # 3 minutes before, 5 paused, 7 left from minute 8
    assert s.started_at == T0


def test_time_up_ends_the_round_at_the_moment_the_clock_reaches_the_limit() -> None:
    events = [ev("start", 0), ev("pause", 3), ev("resume", 8)]
    s = state(events, 15)
    assert (s.status, s.elapsed_s, s.remaining_s, s.ends_at) == ("ended", 600.0, 0.0, at(15))
    s = state(events, 60)
    assert (s.status, s.ends_at) == ("ended", at(15))
    # a pause recorded after the time was up changes nothing
    assert state([*events, ev("pause", 20)], 25).ends_at == at(15)


def test_ending_early_keeps_the_time_left() -> None:
    s = state([ev("start", 0), ev("end", 4)], 30)
    assert (s.status, s.elapsed_s, s.remaining_s, s.ends_at) == ("ended", 240.0, 360.0, at(4))
    s = state([ev("start", 0), ev("pause", 2), ev("end", 7)], 30)
    assert (s.status, s.elapsed_s, s.ends_at) == ("ended", 120.0, at(7))


def test_release_after_the_end_and_events_of_other_rounds_and_the_future_are_ignored() -> None:
    events = [ev("start", 0), ev("start", 1, round_no=2), ev("end", 5), ev("release", 6), ev("pause", 2, 2)]
    assert state(events, 5.5).released is False
    assert state(events, 7).released is True
    assert state(events, 7, round_no=2).status == "paused"
    assert state(events, 3).status == "running"  # the end at minute 5 has not happened yet at minute 3


def test_submissions_are_taken_only_while_running() -> None:
    events = [ev("start", 0)]
    with pytest.raises(ContestRefused, match="has not started") as err:
        check_submission([], 1, MINUTES, at(1))
    assert err.value.reason == "not-running"
    assert check_submission(events, 1, MINUTES, at(2.5)) == 150.0
    events.append(ev("pause", 3))
    with pytest.raises(ContestRefused, match="paused") as err:
        check_submission(events, 1, MINUTES, at(4))
    assert err.value.reason == "not-running"
    events.append(ev("resume", 5))
    assert check_submission(events, 1, MINUTES, at(6)) == 240.0


@pytest.mark.parametrize("now", [10, 10.5, 90])
def test_an_answer_at_or_after_time_up_is_late(now: float) -> None:
    with pytest.raises(ContestRefused, match="over") as err:
        check_submission([ev("start", 0)], 1, MINUTES, at(now))
    assert err.value.reason == "late"


def test_an_answer_after_the_trainer_ended_the_round_is_late() -> None:
    with pytest.raises(ContestRefused) as err:
        check_submission([ev("start", 0), ev("end", 2)], 1, MINUTES, at(3))
    assert err.value.reason == "late"


def test_actions_that_fit_are_accepted() -> None:
    events: list[RoundEvent] = []
    for kind, minute in [("start", 0), ("pause", 1), ("resume", 2), ("pause", 3), ("end", 4), ("release", 5)]:
        check_action(events, 1, MINUTES, at(minute), kind)
        events.append(ev(kind, minute))
    check_action([ev("start", 0)], 1, MINUTES, at(20), "release")  # time up counts as ended


@pytest.mark.parametrize(
    ("events", "kind", "message"),
    [
        ([ev("start", 0)], "start", "round 1 has already been started"),
        ([ev("start", 0), ev("end", 1)], "start", "already been started"),
        ([], "pause", "round 1 is not running (it is pending)"),
        ([ev("start", 0), ev("pause", 1)], "pause", "not running (it is paused)"),
        ([ev("start", 0)], "resume", "round 1 is not paused (it is running)"),
        ([], "end", "cannot be ended: it is pending"),
        ([ev("start", 0), ev("end", 1)], "end", "cannot be ended: it is ended"),
        ([ev("start", 0)], "release", "cannot be released before it has ended (it is running)"),
        ([ev("start", 0), ev("end", 1), ev("release", 1)], "release", "already been released"),
        ([], "restart", "unknown action 'restart'"),
        ([], "freeze", "acts on the whole competition (round 0), not round 1"),
    ],
)
def test_actions_that_do_not_fit_are_refused(events: list[RoundEvent], kind: str, message: str) -> None:
    with pytest.raises(ContestRefused, match=message.replace("(", r"\(").replace(")", r"\)")) as err:
        check_action(events, 1, MINUTES, at(5), kind)
    assert err.value.reason == "bad-action"


def test_a_round_that_ran_out_cannot_be_paused_or_ended() -> None:
    for kind in ("pause", "end"):
        with pytest.raises(ContestRefused):
            check_action([ev("start", 0)], 1, MINUTES, at(11), kind)


def test_freeze_and_unfreeze_act_on_round_0_and_alternate() -> None:
    events: list[RoundEvent] = []
    assert frozen_at(events, at(1)) is None
    with pytest.raises(ContestRefused, match="not frozen"):
        check_action(events, 0, 0, at(1), "unfreeze")
    check_action(events, 0, 0, at(1), "freeze")
    events.append(ev("freeze", 1, round_no=0))
    assert frozen_at(events, at(0.5)) is None
    assert frozen_at(events, at(2)) == at(1)
    with pytest.raises(ContestRefused, match="already frozen"):
        check_action(events, 0, 0, at(2), "freeze")
    with pytest.raises(ContestRefused, match="needs a round"):
        check_action(events, 0, 0, at(2), "start")
    check_action(events, 0, 0, at(3), "unfreeze")
    events += [ev("unfreeze", 3, round_no=0), ev("freeze", 7, round_no=0)]
    assert frozen_at(events, at(4)) is None
    assert frozen_at(events, at(8)) == at(7)
