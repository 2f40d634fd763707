"""Competition specs: the command line's round syntax, its limits, and the same checks on a built spec."""

from __future__ import annotations

import pytest

from toolkit.competition.model import CompetitionSpec, RoundSpec, parse_rounds, spec_problems
from toolkit.errors import ContestRefused


def test_rounds_are_read_in_order() -> None:
    assert parse_rounds("intake:5,findings:3,quiz:20", "15,20,10") == (
        RoundSpec("intake", 5, 15),
        RoundSpec("findings", 3, 20),
        RoundSpec("quiz", 20, 10),
    )


def test_spaces_are_allowed_and_the_limits_are_inclusive() -> None:
    assert parse_rounds(" quiz : 100 , intake:1 ", " 240, 1") == (
        RoundSpec("quiz", 100, 240),
        RoundSpec("intake", 1, 1),
    )


@pytest.mark.parametrize(
    ("rounds", "minutes", "message"),
    [
        ("essay:5", "10", "round 1 ('essay:5'): unknown kind 'essay'"),
        ("intake:0", "10", "intake rounds have 1..50 items, not 0"),
        ("findings:51", "10", "findings rounds have 1..50 items, not 51"),
        ("quiz:101", "10", "quiz rounds have 1..100 items, not 101"),
        ("quiz:10", "0", "a round lasts 1..240 minutes, not 0"),
        ("quiz:10", "241", "a round lasts 1..240 minutes, not 241"),
        ("quiz:10,intake:2", "10", "2 round(s) ('quiz:10,intake:2') but 1 minute value(s) ('10')"),
        ("quiz:10", "10,20", "1 round(s) ('quiz:10') but 2 minute value(s)"),
        ("quiz", "10", "round 1 ('quiz'): write kind:count"),
        ("quiz:ten", "10", "the count 'ten' is not a whole number"),
        ("quiz:1_0", "10", "the count '1_0' is not a whole number"),
        ("quiz:10", "half", "the minutes 'half' are not a whole number"),
        ("intake:5,,quiz:3", "1,2,3", "round 2 (''): write kind:count"),
    ],
)
def test_bad_rounds_are_refused_naming_the_part(rounds: str, minutes: str, message: str) -> None:
    with pytest.raises(ContestRefused, match="the rounds cannot be used") as err:
        parse_rounds(rounds, minutes)
    assert err.value.reason == "bad-spec"
    assert message in str(err.value)


def test_every_problem_is_named_at_once() -> None:
    with pytest.raises(ContestRefused) as err:
        parse_rounds("intake:0,essay:2,quiz:5", "10,10,500")
    text = str(err.value)
    assert "round 1 ('intake:0')" in text
    assert "round 2 ('essay:2')" in text
    assert "round 3 ('quiz:5'): a round lasts 1..240 minutes, not 500" in text


def test_a_built_spec_is_checked_the_same_way() -> None:
    good = CompetitionSpec("周赛", "default", 7, parse_rounds("intake:5,quiz:20", "15,10"), variants=True)
    assert spec_problems(good) == []
    bad = CompetitionSpec(" ", "default", -1, (RoundSpec("quiz", 0, 10), RoundSpec("essay", 1, 1)))
    assert spec_problems(bad) == [
        "name: a competition needs a name",
        "seed: must be a whole number ≥ 0, not -1",
        "round 1 (quiz): quiz rounds have 1..100 items, not 0",
        "round 2 (essay): unknown kind 'essay'; allowed: intake, findings, quiz",
    ]
    assert spec_problems(CompetitionSpec("x", "default", 1, ())) == [
        "rounds: a competition needs at least one round"
    ]


def test_a_spec_survives_its_dict() -> None:
    spec = CompetitionSpec("周赛", "default", 7, parse_rounds("intake:5,quiz:20", "15,10"), variants=True)
    assert CompetitionSpec.from_dict(spec.to_dict()) == spec
    assert spec.round(2) == RoundSpec("quiz", 20, 10)
    with pytest.raises(IndexError):
        spec.round(3)
