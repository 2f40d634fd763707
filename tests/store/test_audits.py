"""Audits in the store: set-ups read back whole, reviews as append-only versions with the latest counting."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from toolkit.audit.model import Audit, AuditItem, Deduction, DossierRef, Review, Reviewer
from toolkit.audit.review import score_review
from toolkit.audit.setup import new_audit
from toolkit.errors import StoreError
from toolkit.packs import Pack
from toolkit.store import Store
from toolkit.store.schema import audits

PACK_REF = "default@1.0.0"
REVIEWERS = (Reviewer("甲", "u1"), Reviewer("乙", "u2"), Reviewer("丙", "第三单位"))


def population() -> tuple[AuditItem, ...]:
    """Six items of three units: ledger-like ones with fields and personal data, and two dossiers."""
    items = [
        AuditItem(
            id=f"I{n}",
            unit=f"u{n % 3 + 1}",
            unit_name=("第一单位", "第二单位", "第三单位")[n % 3],
            category="accusation",
            status="closed",
            problem_type="public_dining",
            channel="letter",
            received=date(2025, 9, n + 1),
            summary=f"反映事项{n}",
            personal=(f"王{n}",),
            fields=(("received", f"2025-09-0{n + 1}"), ("reporter_name", f"王{n}")),
        )
        for n in range(4)
    ]
    items += [
        AuditItem(id=f"D{n}", unit="u3", unit_name="第三单位", dossier=DossierRef(2**40 - n, "hard"))
        for n in range(2)
    ]
    return tuple(items)


def make_audit(audit_id: str, name: str = "交叉评查") -> Audit:
    made = new_audit(
        name=name,
        pack=PACK_REF,
        source="test",
        population=population(),
        reviewers=REVIEWERS,
        seed=7,
        rate=1.0,
        k=2,
    )
    return Audit(
        id=audit_id,
        name=made.name,
        pack=made.pack,
        source=made.source,
        items=made.items,
        reviewers=made.reviewers,
        sample=made.sample,
        assignment=made.assignment,
        tokens=made.tokens,
    )


def save(store: Store, audit: Audit, review: Review, pack: Pack) -> None:
    store.save_review(audit, review, lambda _s: score_review(review, pack.audit_rubric).to_dict())


def first_subitem(pack: Pack) -> str:
    return pack.audit_rubric.subitems[0].code


def test_an_audit_reads_back_equal(store: Store) -> None:
    audit = make_audit("AU-00000001")
    record = store.add_audit(audit)
    assert (record.id, record.name, record.pack) == (audit.id, audit.name, audit.pack)
    assert record.created_at.tzinfo is not None and record.created_at.utcoffset() == timedelta(0)

    back = store.audit(audit.id)
    assert back is not None
    assert back.to_dict() == audit.to_dict()
    assert back.items == audit.items and back.sample == audit.sample
    assert dict(back.assignment.pairs) == dict(audit.assignment.pairs)
    assert back.reviewer_for(audit.tokens["乙"]) == "乙"
    assert store.audit("AU-FFFFFFFF") is None


def test_an_audit_id_is_taken_only_once(store: Store) -> None:
    store.add_audit(make_audit("AU-1", name="第一次"))
    with pytest.raises(StoreError):
        store.add_audit(make_audit("AU-1", name="第二次"))
    kept = store.audit("AU-1")
    assert kept is not None and kept.name == "第一次"
    assert [r.id for r in store.audits()] == ["AU-1"]


def _set_created_at(store: Store, times: dict[str, datetime]) -> None:
    with store.engine.begin() as conn:
        for audit_id, when in times.items():
            conn.execute(sa.update(audits).where(audits.c.id == audit_id).values(created_at=when))


def test_audits_are_listed_newest_first(store: Store) -> None:
    for audit_id in ("AU-A", "AU-B", "AU-C"):
        store.add_audit(make_audit(audit_id, name=f"评查{audit_id}"))
    listed = store.audits()
    assert {r.id for r in listed} == {"AU-A", "AU-B", "AU-C"}
    assert [r.created_at for r in listed] == sorted((r.created_at for r in listed), reverse=True)
    assert {r.id: r.name for r in listed} == {i: f"评查{i}" for i in ("AU-A", "AU-B", "AU-C")}

    assert [r.id for r in listed] == ["AU-C", "AU-B", "AU-A"]  # the order they were stored in, newest first


def test_audits_created_in_the_same_millisecond_are_still_newest_first(store: Store) -> None:
    for audit_id in ("AU-A", "AU-B", "AU-C"):
        store.add_audit(make_audit(audit_id))
    same = datetime(2025, 10, 1, 8, 0, tzinfo=UTC)
    _set_created_at(store, dict.fromkeys(("AU-A", "AU-B", "AU-C"), same))
    assert [r.id for r in store.audits()] == ["AU-C", "AU-B", "AU-A"]


def test_every_save_is_kept_and_the_latest_counts(store: Store, pack: Pack) -> None:
    audit = make_audit("AU-00000002")
    store.add_audit(audit)
    item = audit.items[0].id
    name = audit.assignment.pairs[item][0]
    subitem = first_subitem(pack)
    versions = [
        Review(item, name),
        Review(item, name, (Deduction(subitem, 2.0, "缺少核查记录"),)),
        Review(item, name, (Deduction(subitem, 3.0, "缺少核查记录", "item_unanswered"),), done=True),
    ]
    for review in versions:
        save(store, audit, review, pack)

    assert store.reviews(audit.id) == [versions[-1]]
    history = store.submissions(app="audit")
    assert [s.payload for s in history] == [v.to_dict() for v in versions]
    assert {(s.actor, s.item_id, s.pack) for s in history} == {(name, f"{audit.id}/{item}", PACK_REF)}
    scored = store.scored(app="audit")
    assert [s.submission for s in scored] == history
    assert [s.score.payload["total"] for s in scored] == [100.0, 98.0, 97.0]
    assert [s.score.payload["done"] for s in scored] == [False, False, True]


def test_reviews_keep_to_their_audit_and_reviewer(store: Store, pack: Pack) -> None:
    short, long = make_audit("AU-1"), make_audit("AU-10")
    store.add_audit(short)
    store.add_audit(long)
    subitem = first_subitem(pack)
    item = short.items[0].id
    first, second = short.assignment.pairs[item]
    mine = Review(item, first, (Deduction(subitem, 1.0, "AU-1"),), done=True)
    theirs = [
        Review(item, first, (Deduction(subitem, 2.0, "AU-10"),), done=True),
        Review(item, second, (Deduction(subitem, 4.0, "AU-10"),)),
    ]
    save(store, short, mine, pack)
    for review in theirs:
        save(store, long, review, pack)
    other = short.items[1].id
    later = Review(other, short.assignment.pairs[other][0], done=True)
    save(store, short, later, pack)

    assert store.reviews("AU-1") == [mine, later]
    assert store.reviews("AU-10") == theirs
    assert store.reviews("AU-") == [] and store.reviews("AU-100") == []
    assert store.reviews("AU-10", reviewer=second) == [theirs[1]]
    only = store.reviews("AU-1", reviewer=later.reviewer)
    assert later in only and all(r.reviewer == later.reviewer for r in only)
    assert store.reviews("AU-1", reviewer="无此人") == []
    assert len(store.scored(app="audit")) == 4


def test_audits_and_reviews_survive_a_restart(store_url: str, pack: Pack) -> None:
    audit = make_audit("AU-0000000F")
    item = audit.items[-1].id
    reviews = [
        Review(item, who, (Deduction(first_subitem(pack), 1.5, "时限"),), done=True)
        for who in audit.assignment.pairs[item]
    ]
    with Store.open(store_url) as store:
        store.add_audit(audit)
        for review in reviews:
            save(store, audit, review, pack)
        before = (store.audits(), store.scored(app="audit"))

    with Store.open(store_url) as reopened:
        back = reopened.audit(audit.id)
        assert back is not None and back.to_dict() == audit.to_dict()
        assert reopened.reviews(audit.id) == reviews
        assert (reopened.audits(), reopened.scored(app="audit")) == before
