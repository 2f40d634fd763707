"""The leaderboard: total first, less time used breaks ties, exact ties share a rank, a freeze hides later
results, contestants without results come last."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.competition.leaderboard import Result, standings

T0 = datetime(2025, 6, 3, 9, 0, tzinfo=UTC)
BOUNDED = settings(max_examples=200, deadline=None, derandomize=True)


def res(who: str, key: str, points: float, used: float, minute: float = 0, round_no: int = 1) -> Result:
    return Result(who, round_no, key, points, 10.0, used, T0 + timedelta(minutes=minute))


NAMES = {"a": "张三", "b": "李四", "c": "王五", "d": "赵六", "e": "孙七"}


def test_order_by_total_then_time_then_name() -> None:
    results = [
        res("a", "r1-01", 8, 100),
        res("b", "r1-01", 9, 300),
        res("c", "r1-01", 8, 50),
        res("d", "r1-01", 5, 10),
        res("a", "r2-01", 2, 20, round_no=2),
    ]
    board = standings(NAMES, results)
    assert [(s.contestant, s.rank, s.total, s.time_used_s) for s in board] == [
        ("a", 1, 10.0, 120.0),
        ("b", 2, 9.0, 300.0),
        ("c", 3, 8.0, 50.0),
        ("d", 4, 5.0, 10.0),
        ("e", 5, 0.0, 0.0),
    ]
    assert dict(board[0].per_round) == {1: 8.0, 2: 2.0}
    assert board[0].answered == 2 and board[0].name == "张三"
    assert board[-1].answered == 0 and dict(board[-1].per_round) == {}


def test_exact_ties_share_a_rank_and_the_next_rank_is_skipped() -> None:
    results = [res("a", "k", 5, 60), res("b", "k", 5, 60), res("c", "k", 5, 61), res("d", "k", 7, 90)]
    board = standings(NAMES, results)
    assert [(s.contestant, s.rank) for s in board] == [("d", 1), ("a", 2), ("b", 2), ("c", 4), ("e", 5)]


def test_sums_of_two_decimal_points_tie_exactly() -> None:
    results = [res("a", "k1", 0.1, 1), res("a", "k2", 0.2, 1), res("b", "k1", 0.3, 2)]
    board = standings({"a": "A", "b": "B"}, results)
    assert [(s.contestant, s.rank, s.total) for s in board] == [("a", 1, 0.3), ("b", 1, 0.3)]


def test_a_freeze_hides_results_submitted_from_that_moment() -> None:
    results = [
        res("a", "k1", 5, 10, minute=1),
        res("b", "k1", 3, 10, minute=2),
        res("b", "k2", 9, 10, minute=6),
    ]
    live = standings(NAMES, results)
    assert [s.contestant for s in live[:2]] == ["b", "a"]
    frozen = standings(NAMES, results, frozen_at=T0 + timedelta(minutes=6))
    assert [(s.contestant, s.total) for s in frozen[:2]] == [("a", 5.0), ("b", 3.0)]
    assert frozen[1].answered == 1


def test_contestants_without_results_come_last_even_below_zero_points() -> None:
    results = [res("a", "k", 0, 500)]
    board = standings({"a": "A", "z": "Aaron"}, results)
    assert [(s.contestant, s.rank) for s in board] == [("a", 1), ("z", 2)]


def test_only_the_first_result_per_item_counts_and_unknown_contestants_show_their_id() -> None:
    results = [res("x", "k", 4, 10, minute=1), res("x", "k", 9, 20, minute=2)]
    (only,) = standings({}, results)
    assert (only.name, only.total, only.time_used_s, only.answered) == ("x", 4.0, 10.0, 1)


@st.composite
def boards(draw: st.DrawFn) -> tuple[dict[str, str], list[Result]]:
    ids = draw(st.lists(st.sampled_from("abcdefgh"), min_size=1, max_size=8, unique=True))
    names = {i: draw(st.sampled_from(["甲", "乙", "丙", "丁"])) for i in ids}
    results = [
        res(
            draw(st.sampled_from(ids)),
            f"r1-{k:02d}",
            draw(st.sampled_from([0.0, 0.5, 1.0, 2.25, 5.0])),
            float(draw(st.integers(0, 3))),
            minute=k,
        )
        for k in range(draw(st.integers(0, 20)))
    ]
    return names, results


@BOUNDED
@given(boards())
def test_the_order_is_always_sorted_by_total_then_time(board: tuple[dict[str, str], list[Result]]) -> None:
    names, results = board
    out = standings(names, results)
    assert sorted(s.contestant for s in out) == sorted(names)
    answered = [s for s in out if s.answered]
    assert out[: len(answered)] == answered  # those without results last
    keys = [(-s.total, s.time_used_s) for s in answered]
    assert keys == sorted(keys)
    for prev, cur in zip(out, out[1:], strict=False):
        same = (prev.total, prev.time_used_s, bool(prev.answered)) == (
            cur.total,
            cur.time_used_s,
            bool(cur.answered),
        )
        assert cur.rank == (prev.rank if same else out.index(cur) + 1)
    assert out[0].rank == 1
