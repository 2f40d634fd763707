"""The Store API: submissions with server timestamps, append-only rows, submit-then-score, events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from toolkit.errors import AppendOnlyViolation, StoreError
from toolkit.store import Store, Submission
from toolkit.store.schema import scores, submissions

# the SQLite server clock is stored with millisecond resolution (truncated)
RESOLUTION = timedelta(milliseconds=1)


def _add(store: Store, actor: str = "learner-01", item_id: str = "XF-0001", **payload: object) -> Submission:
    return store.add_submission(
        app="intake", actor=actor, item_id=item_id, pack="default@1.0.0", seed=42, payload=payload
    )


def test_submissions_get_server_timestamps_and_read_back(store: Store) -> None:
    before = datetime.now(UTC)
    first = _add(store, category="A", note="反映某局长违规收受礼金")
    second = store.add_submission(
        app="contest", actor="learner-02", item_id="XF-0002", pack="default@1.0.0", seed=None, payload={}
    )
    after = datetime.now(UTC)

    assert first.id < second.id
    for sub in (first, second):
        assert sub.created_at.tzinfo is not None
        assert sub.created_at.utcoffset() == timedelta(0)
        assert before - RESOLUTION < sub.created_at <= after
    assert first.created_at <= second.created_at
    assert first.payload == {"category": "A", "note": "反映某局长违规收受礼金"}
    assert second.seed is None

    assert store.submissions() == [first, second]
    assert store.submissions(app="intake") == [first]
    assert store.submissions(actor="learner-02") == [second]
    assert store.submissions(item_id="XF-0001", actor="learner-01") == [first]
    assert store.submissions(app="intake", actor="learner-02") == []
    assert first.to_dict()["created_at"] == first.created_at.isoformat()


def test_seed_takes_64_bit_values(store: Store) -> None:
    sub = store.add_submission(
        app="intake", actor="a", item_id="i", pack="default@1.0.0", seed=2**63 - 1, payload={}
    )
    assert store.submissions()[0].seed == sub.seed == 2**63 - 1


@pytest.mark.parametrize("table", [submissions, scores], ids=["submissions", "scores"])
def test_update_and_delete_are_refused(store: Store, table: sa.Table) -> None:
    sub = _add(store, category="A")
    store.add_score(sub.id, {"points": 5})
    before = (store.submissions(), store.scores())

    with pytest.raises(AppendOnlyViolation, match="append-only"), store.write() as conn:
        conn.execute(sa.update(table).values(payload={"forged": True}))
    with pytest.raises(AppendOnlyViolation, match="append-only"), store.write() as conn:
        conn.execute(sa.delete(table))
    # also when going around the Store's own transaction helpers
    with pytest.raises(sa.exc.DBAPIError, match="append-only"), store.engine.begin() as conn:
        conn.execute(sa.update(table).values(created_at=datetime(2000, 1, 1, tzinfo=UTC)))

    assert (store.submissions(), store.scores()) == before


def test_submit_and_score_stores_the_submission_first(store: Store) -> None:
    seen: list[list[Submission]] = []

    def score(sub: Submission) -> dict[str, object]:
        seen.append(store.submissions())  # visible to another connection: already committed
        return {"points": len(sub.payload)}

    scored = store.submit_and_score(
        app="intake", actor="a", item_id="i", pack="default@1.0.0", seed=1, payload={"x": 1}, score_fn=score
    )
    assert seen == [[scored.submission]]
    assert store.scores() == [scored.score]
    assert scored.score.submission_id == scored.submission.id
    assert scored.score.payload == {"points": 1}
    assert scored.score.created_at >= scored.submission.created_at


def test_submission_is_kept_when_scoring_fails(store: Store) -> None:
    def broken(sub: Submission) -> dict[str, object]:
        raise ValueError("rubric bug")

    with pytest.raises(ValueError, match="rubric bug"):
        store.submit_and_score(
            app="intake",
            actor="a",
            item_id="i",
            pack="default@1.0.0",
            seed=1,
            payload={"x": 1},
            score_fn=broken,
        )
    [kept] = store.submissions()
    assert (kept.actor, kept.item_id, kept.payload) == ("a", "i", {"x": 1})
    assert store.scores() == []


def test_score_for_a_missing_submission_is_refused(store: Store) -> None:
    with pytest.raises(StoreError, match="refused by the database"):
        store.add_score(12345, {"points": 1})
    assert store.scores() == []


def test_events_log(store: Store) -> None:
    first = store.log_event("forged-click", "learner-01", {"button": "submit", "disabled": True})
    second = store.log_event("late-submission", "learner-02", {"item_id": "XF-0003"})
    assert first.id < second.id
    assert first.created_at.tzinfo is not None
    assert store.events() == [first, second]
    assert store.events(kind="forged-click") == [first]
    assert store.events(kind="none") == []
    assert first.detail == {"button": "submit", "disabled": True}
    assert second.to_dict()["kind"] == "late-submission"


def test_scored_pairs_each_submission_with_its_score_per_app_and_actor(store: Store) -> None:
    def add(app: str, actor: str, item: str, total: int | None) -> None:
        sub = store.add_submission(app=app, actor=actor, item_id=item, pack="p@1", seed=1, payload={})
        if total is not None:
            store.add_score(sub.id, {"total": total})

    add("intake", "甲", "c1", 10)
    add("intake", "乙", "c2", 20)
    add("intake", "甲", "c3", None)  # stored, not (yet) scored
    add("other", "甲", "c4", 40)
    add("intake", "甲", "c5", 50)
    mine = store.scored(app="intake", actor="甲")
    assert [(s.submission.item_id, s.score.payload["total"]) for s in mine] == [("c1", 10), ("c5", 50)]
    assert all(s.score.submission_id == s.submission.id for s in mine)
    assert len(store.scored()) == 4 and len(store.scored(app="intake")) == 3
