"""Competitions in the store: records, joining, round events and submissions checked in one transaction."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from functools import partial
from multiprocessing.synchronize import Barrier
from typing import Any

import pytest
import sqlalchemy as sa
from spawned import run_in_processes

from toolkit.competition.events import RoundEvent
from toolkit.errors import ContestRefused, StoreError
from toolkit.store import (
    CONTEST_APP,
    LATEST,
    CompetitionRecord,
    Contestant,
    Scored,
    Store,
    Submission,
    current_version,
    make_engine,
)
from toolkit.store.migrations import MIGRATIONS
from toolkit.store.schema import schema_migrations

PACK = "default@1.0.0"
PROCESSES = 8


def allow(events: list[RoundEvent], now: datetime) -> None:
    """An event check that allows everything."""


def refuse(reason: str) -> Callable[[list[RoundEvent], datetime], Any]:
    """A check that refuses with ``reason``."""

    def check(events: list[RoundEvent], now: datetime) -> Any:
        raise ContestRefused(reason, f"refused: {reason}")

    return check


def running(events: list[RoundEvent], now: datetime) -> float:
    """A submission check: refused before a start or after an end; else the seconds since the start."""
    if any(e.kind == "end" for e in events):
        raise ContestRefused("late", "the round has ended")
    starts = [e.at for e in events if e.kind == "start"]
    if not starts:
        raise ContestRefused("not-running", "the round has not started")
    return (now - starts[0]).total_seconds()


def score(submission: Submission, used: float) -> Mapping[str, Any]:
    return {"points": len(submission.payload), "used": used}


def new_competition(store: Store, competition_id: str = "c1", code: str = "abc1") -> CompetitionRecord:
    return store.add_competition(
        id=competition_id, code=code, name="第一届擂台赛", pack=PACK, payload={"rounds": ["intake"]}
    )


def started(store: Store, competition_id: str = "c1") -> CompetitionRecord:
    """A competition whose round 1 is running."""
    record = new_competition(store, competition_id, code=f"code-{competition_id}")
    store.add_round_event(competition_id, 1, "start", allow)
    return record


def submit(
    store: Store,
    contestant: Contestant,
    item_key: str = "item-1",
    check: Callable[[list[RoundEvent], datetime], float] = running,
) -> Scored:
    return store.submit_contest(
        competition_id=contestant.competition,
        contestant=contestant.id,
        item_key=item_key,
        pack=PACK,
        seed=7,
        payload={"category": "A"},
        check=check,
        score_fn=score,
    )


def test_competitions_round_trip(store: Store) -> None:
    before = store.server_now()
    first = new_competition(store, "c1", "abc1")
    second = store.add_competition(id="c2", code=" xyz9 ", name="复赛", pack=PACK, payload={"说明": "测试"})
    after = store.server_now()

    assert first.code == "ABC1" and second.code == "XYZ9"
    assert before <= first.created_at <= second.created_at <= after
    assert store.competition("c1") == first
    assert store.competition("nope") is None
    assert store.competition_by_code("abc1") == store.competition_by_code(" ABC1 ") == first
    assert store.competition_by_code("xyz9") == second
    assert store.competition_by_code("zzz") is None
    assert store.competitions() == [second, first]
    assert second.to_dict()["payload"] == {"说明": "测试"}
    assert first.to_dict()["created_at"] == first.created_at.isoformat()


def test_competition_ids_and_codes_are_unique(store: Store) -> None:
    new_competition(store, "c1", "abc1")
    with pytest.raises(StoreError, match="id 'c1'"):
        new_competition(store, "c1", "other")
    with pytest.raises(StoreError, match="join code 'ABC1'"):
        new_competition(store, "c2", "Abc1")
    with pytest.raises(ValueError, match="without '/'"):
        new_competition(store, "c/3", "c3")
    with pytest.raises(ValueError, match="join code"):
        new_competition(store, "c4", "  ")
    assert [c.id for c in store.competitions()] == ["c1"]


def test_joining_numbers_contestants_in_order(store: Store) -> None:
    new_competition(store, "c1", "abc1")
    new_competition(store, "c2", "abc2")
    joined = [store.join("c1", name, "1234") for name in ("张三", "  李四 ", "王五")]
    other = store.join("c2", "张三", "9999")

    assert [c.number for c in joined] == [1, 2, 3]
    assert [c.name for c in joined] == ["张三", "李四", "王五"]
    assert [c.id for c in joined] == ["c1/1", "c1/2", "c1/3"]
    assert (other.number, other.id) == (1, "c2/1")
    assert store.contestants("c1") == joined
    assert store.contestants("c2") == [other]
    assert store.contestants("c3") == []


def test_a_taken_name_is_refused(store: Store) -> None:
    new_competition(store)
    store.join("c1", "Ann", "1111")
    for name in ("Ann", " Ann  "):
        with pytest.raises(ContestRefused) as refused:
            store.join("c1", name, "2222")
        assert refused.value.reason == "name-taken"
    assert store.join("c1", "ann", "2222").number == 2  # case counts
    with pytest.raises(ValueError, match="name"):
        store.join("c1", "   ", "2222")
    with pytest.raises(ContestRefused) as refused:
        store.join("nope", "Ann", "1111")
    assert refused.value.reason == "unknown"
    assert [c.name for c in store.contestants("c1")] == ["Ann", "ann"]


def test_resume_needs_the_right_pin(store: Store) -> None:
    new_competition(store)
    joined = store.join("c1", "张三", "0427")

    assert store.resume("c1", " 张三 ", "0427") == joined
    for pin in ("0428", "", "０４２７"):
        with pytest.raises(ContestRefused) as refused:
            store.resume("c1", "张三", pin)
        assert refused.value.reason == "bad-pin"
    with pytest.raises(ContestRefused) as refused:
        store.resume("c1", "李四", "0427")
    assert refused.value.reason == "unknown"
    assert "0427" not in repr(joined) and "pin" not in joined.to_dict()


def test_round_events_are_checked_and_written_in_one_transaction(store: Store) -> None:
    new_competition(store)
    seen: list[tuple[list[RoundEvent], datetime]] = []

    def record(events: list[RoundEvent], now: datetime) -> None:
        seen.append((list(events), now))

    before = store.server_now()
    start = store.add_round_event("c1", 1, "start", record)
    with pytest.raises(ContestRefused) as refused:
        store.add_round_event("c1", 1, "start", refuse("bad-action"))
    assert refused.value.reason == "bad-action"
    pause = store.add_round_event("c1", 1, "pause", record)
    after = store.server_now()

    assert store.round_events("c1") == [start, pause]
    assert (start.competition, start.round, start.kind) == ("c1", 1, "start")
    assert seen[0] == ([], start.at)
    assert seen[1] == ([start], pause.at)
    assert before <= start.at <= pause.at <= after
    assert start.at.utcoffset() == timedelta(0)

    for competition, round_no, kind, reason in (
        ("c1", 1, "explode", "bad-action"),
        ("nope", 1, "start", "unknown"),
    ):
        with pytest.raises(ContestRefused) as refused:
            store.add_round_event(competition, round_no, kind, allow)
        assert refused.value.reason == reason
    assert store.round_events("c1") == [start, pause]
    assert store.round_events("nope") == []


def test_a_refused_submission_writes_nothing(store: Store) -> None:
    new_competition(store)
    ann = store.join("c1", "Ann", "1111")
    with pytest.raises(ContestRefused) as refused:
        submit(store, ann)  # not started yet
    assert refused.value.reason == "not-running"
    store.add_round_event("c1", 1, "start", allow)
    with pytest.raises(ContestRefused) as refused:
        submit(store, ann, check=refuse("late"))
    assert refused.value.reason == "late"
    assert store.submissions() == [] and store.scores() == []
    assert store.contest_submissions("c1") == []
    # the refusals stored nothing, so the first submission in time is not taken for a duplicate
    assert submit(store, ann).submission.item_id == "c1/item-1"


def test_submissions_are_stored_once_per_contestant_and_item(store: Store) -> None:
    started(store)
    ann, bob = store.join("c1", "Ann", "1111"), store.join("c1", "Bob", "2222")
    before = store.server_now()
    first = submit(store, ann)
    after = store.server_now()

    sub = first.submission
    assert (sub.app, sub.actor, sub.item_id, sub.pack, sub.seed) == (
        CONTEST_APP,
        "c1/1",
        "c1/item-1",
        PACK,
        7,
    )
    used = sub.payload["time_used_s"]
    start = store.round_events("c1")[0].at
    assert sub.payload == {"category": "A", "time_used_s": used}
    assert used == (sub.created_at - start).total_seconds() >= 0
    assert before <= sub.created_at <= after
    assert first.score.payload == {"points": 2, "used": used}
    assert first.score.submission_id == sub.id

    with pytest.raises(ContestRefused) as refused:
        submit(store, ann)
    assert refused.value.reason == "duplicate"
    second = submit(store, bob)  # another contestant, the same item
    third = submit(store, ann, "item-2")
    assert store.contest_submissions("c1") == [first, second, third]
    assert store.contest_submissions("c1", ann.id) == [first, third]
    assert len(store.submissions(app=CONTEST_APP)) == 3


def test_the_database_itself_refuses_a_second_contest_row(store: Store) -> None:
    def add(app: str) -> Submission:
        return store.add_submission(
            app=app, actor="c1/1", item_id="c1/item-1", pack=PACK, seed=None, payload={}
        )

    add(CONTEST_APP)
    with pytest.raises(StoreError, match="refused by the database"):
        add(CONTEST_APP)
    add("intake")
    add("intake")  # only contest submissions are unique per actor and item
    assert [s.app for s in store.submissions()] == [CONTEST_APP, "intake", "intake"]


def test_submissions_of_unknown_contestants_are_refused(store: Store) -> None:
    started(store, "c1")
    started(store, "c2")
    stranger = store.join("c2", "Ann", "1111")
    for contestant in ("c1/1", "c2/1", "c1/x", "c1/１", "Ann"):
        with pytest.raises(ContestRefused) as refused:
            store.submit_contest(
                competition_id="c1",
                contestant=contestant,
                item_key="item-1",
                pack=PACK,
                seed=None,
                payload={},
                check=running,
                score_fn=score,
            )
        assert refused.value.reason == "unknown"
    with pytest.raises(ContestRefused) as refused:
        submit(store, Contestant("nope", 1, "Ann", "1111", stranger.created_at))
    assert refused.value.reason == "unknown"
    assert store.submissions() == []


def test_competitions_whose_ids_prefix_each_other_stay_apart(store: Store) -> None:
    started(store, "c1")
    started(store, "c10")
    one, ten = store.join("c1", "Ann", "1"), store.join("c10", "Ann", "1")
    in_one = submit(store, one, "0/x")
    in_ten = submit(store, ten, "x")
    assert store.contest_submissions("c1") == [in_one]
    assert store.contest_submissions("c10") == [in_ten]
    assert store.contest_submissions("c") == []


def test_a_failing_score_leaves_the_submission_stored_and_unscored(store: Store) -> None:
    started(store)
    ann = store.join("c1", "Ann", "1111")

    def broken(submission: Submission, used: float) -> Mapping[str, Any]:
        raise RuntimeError("scoring failed")

    with pytest.raises(RuntimeError, match="scoring failed"):
        store.submit_contest(
            competition_id="c1",
            contestant=ann.id,
            item_key="item-1",
            pack=PACK,
            seed=None,
            payload={},
            check=running,
            score_fn=broken,
        )
    assert len(store.submissions(app=CONTEST_APP)) == 1
    assert store.contest_submissions("c1") == []


def test_everything_is_there_after_a_restart(store_url: str) -> None:
    with Store.open(store_url) as store:
        record = started(store)
        ann = store.join("c1", "Ann", "1111")
        scored = submit(store, ann)
        events = store.round_events("c1")
    with Store.open(store_url) as store:
        assert store.competitions() == [record]
        assert store.contestants("c1") == [ann]
        assert store.resume("c1", "Ann", "1111") == ann
        assert store.round_events("c1") == events
        assert store.contest_submissions("c1") == [scored]
        with pytest.raises(ContestRefused) as refused:
            submit(store, ann)
        assert refused.value.reason == "duplicate"


def test_a_database_of_schema_2_is_upgraded(store_url: str) -> None:
    engine = make_engine(store_url)
    try:
        with engine.begin() as conn:
            schema_migrations.create(conn)
            for version, description, apply in MIGRATIONS[:2]:
                apply(conn)
                conn.execute(sa.insert(schema_migrations).values(version=version, description=description))
        assert current_version(engine) == 2
        assert "competitions" not in sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()
    with Store.open(store_url) as store:
        assert current_version(store.engine) == LATEST
        started(store)
        ann = store.join("c1", "Ann", "1111")
        submit(store, ann)
        with pytest.raises(ContestRefused, match="already submitted"):
            submit(store, ann)


# -- several processes at once ------------------------------------------------------------------------

JOINS_PER_PROCESS = 10
ITEMS = 5
SUBMISSIONS_PER_PROCESS = 20


def _join_many(url: str, worker: int, barrier: Barrier) -> None:
    with Store.open(url) as store:
        barrier.wait(timeout=300)
        for i in range(JOINS_PER_PROCESS):
            store.join("c1", f"选手{worker}-{i}", f"{worker}{i}")


def test_concurrent_joins_get_distinct_numbers(store_url: str) -> None:
    with Store.open(store_url) as store:
        new_competition(store)
    errors = run_in_processes(partial(_join_many, store_url), PROCESSES)
    assert errors == [], "\n".join(errors)

    with Store.open(store_url) as store:
        joined = store.contestants("c1")
    assert [c.number for c in joined] == list(range(1, PROCESSES * JOINS_PER_PROCESS + 1))
    assert {c.name for c in joined} == {
        f"选手{w}-{i}" for w in range(PROCESSES) for i in range(JOINS_PER_PROCESS)
    }


def _submit_same_items(url: str, worker: int, barrier: Barrier) -> None:
    """Every process submits the same contestant's items; the duplicates must be refused."""
    with Store.open(url) as store:
        ann = store.resume("c1", "Ann", "1111")
        barrier.wait(timeout=300)
        for i in range(ITEMS):
            try:
                submit(store, ann, f"item-{i}")
            except ContestRefused as refused:
                if refused.reason != "duplicate":
                    raise


def test_concurrent_duplicates_store_one_submission(store_url: str) -> None:
    with Store.open(store_url) as store:
        started(store)
        store.join("c1", "Ann", "1111")
    errors = run_in_processes(partial(_submit_same_items, store_url), PROCESSES)
    assert errors == [], "\n".join(errors)

    with Store.open(store_url) as store:
        stored = store.submissions(app=CONTEST_APP)
        scored = store.contest_submissions("c1")
    assert Counter(s.item_id for s in stored) == {f"c1/item-{i}": 1 for i in range(ITEMS)}
    assert [s.submission for s in scored] == stored


def _submit_or_end(url: str, worker: int, barrier: Barrier) -> None:
    """Worker 0 ends the round while the others submit; once refused as late, a worker stays refused."""
    with Store.open(url) as store:
        if worker == 0:
            barrier.wait(timeout=300)
            store.add_round_event("c1", 1, "end", allow)
            return
        me = store.resume("c1", f"p{worker}", "0000")
        barrier.wait(timeout=300)
        late = False
        for i in range(SUBMISSIONS_PER_PROCESS):
            try:
                submit(store, me, f"item-{i}")
            except ContestRefused as refused:
                if refused.reason != "late":
                    raise
                late = True
            else:
                assert not late, "a submission was accepted after one was refused as late"


def test_no_submission_is_stored_after_the_round_ends(store_url: str) -> None:
    with Store.open(store_url) as store:
        started(store)
        for worker in range(1, PROCESSES):
            store.join("c1", f"p{worker}", "0000")
    errors = run_in_processes(partial(_submit_or_end, store_url), PROCESSES)
    assert errors == [], "\n".join(errors)

    with Store.open(store_url) as store:
        end = store.round_events("c1")[-1]
        stored = store.submissions(app=CONTEST_APP)
    assert end.kind == "end"
    assert all(s.created_at <= end.at for s in stored)
    assert len({(s.actor, s.item_id) for s in stored}) == len(stored)
