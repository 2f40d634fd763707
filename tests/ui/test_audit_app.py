"""The reviewer's audit page: assigned items only, masked; deductions checked, saved, locked when done."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.ui.conftest import widget_texts
from tests.ui.pages import add_audit, busiest, deduct, open_as
from toolkit.audit.masking import mask_name
from toolkit.audit.model import Audit
from toolkit.audit.population import dossier_population, rebuild
from toolkit.generate.cases import CaseGenerator
from toolkit.packs import Pack
from toolkit.store import Store
from toolkit.ui.audit_review import audit_app
from toolkit.ui.context import context_from_query


@pytest.fixture(scope="module")
def population(pack: Pack) -> Any:
    return dossier_population(pack, 11, 24)[0]


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'audit.sqlite3'}"


@pytest.fixture
def audit(pack: Pack, population: Any, db: str) -> Audit:
    return add_audit(pack, population, db)


def test_a_reviewer_sees_only_their_items(
    audit: Audit, pack: Pack, generator: CaseGenerator, db: str
) -> None:
    reviewer = busiest(audit)
    app = open_as(audit, reviewer, pack, generator, db)
    mine = audit.assignment.items_of(reviewer)
    assert [value for _label, value in app.picker.options] == list(mine)
    others = [i.id for i in audit.items if i.id not in mine]
    shown = "\n".join(widget_texts(app.page.widget))
    assert not [i for i in others if i in shown]
    for item_id in mine:
        assert all(reviewer != r or item_id in mine for r in audit.assignment.pairs[item_id])


def test_no_personal_data_or_answer_key_reaches_any_widget(
    audit: Audit, pack: Pack, generator: CaseGenerator, db: str
) -> None:
    masked_seen = 0
    for reviewer in sorted({r.name for r in audit.reviewers}):
        app = open_as(audit, reviewer, pack, generator, db)
        for item_id in app.assigned:
            app.picker.value = item_id
            assert app.item_id == item_id
            item = audit.item(item_id)
            dossier = rebuild(item, generator)
            assert dossier is not None
            secret = [
                *item.personal,
                *(p.note for p in dossier.answer_key if p.note),
                f'"seed": {dossier.seed}',
            ]
            text = "\n".join(widget_texts(app.page.widget))
            leaked = [s for s in secret if s in text]
            assert leaked == [], f"{item_id}: {leaked}"
            # the documents are there, masked: the reporter's name shows only as its masked form
            assert dossier.documents[0].title in text
            masked_seen += bool(item.personal) and mask_name(item.personal[0]) in text
    assert masked_seen > 0


def test_deductions_are_saved_at_once_and_survive_a_reload(
    audit: Audit, pack: Pack, generator: CaseGenerator, db: str, text_of: Callable[[Any], str]
) -> None:
    reviewer = busiest(audit)
    app = open_as(audit, reviewer, pack, generator, db)
    first = app.item_id
    deduct(app, "facts_items_verified", 3, "初核报告未逐项回应第二项问题")
    deduct(app, "time_feedback", 2, "结果反馈超过十五个工作日")
    assert app.page.messages.kind == "info"
    with Store.open(db) as store:
        saved = store.reviews(audit.id, reviewer)
    assert [(d.subitem, d.points) for d in saved[0].deductions] == [
        ("facts_items_verified", 3),
        ("time_feedback", 2),
    ]
    assert "95" in text_of(app.status)
    app.panel.listing.children[0].children[-1].click()  # remove the first deduction
    again = open_as(audit, reviewer, pack, generator, db)  # a reload: a new kernel reads the store
    assert again.item_id == first
    review = again.current_review()
    assert [d.subitem for d in review.deductions] == ["time_feedback"]
    assert "98" in text_of(again.status)


def test_a_one_point_leak_grades_the_review_fail_and_the_page_says_why(
    audit: Audit, pack: Pack, generator: CaseGenerator, db: str, text_of: Callable[[Any], str]
) -> None:
    reviewer = busiest(audit)
    app = open_as(audit, reviewer, pack, generator, db)
    deduct(app, "facts_particulars", 1, "金额前后不一")
    assert "99" in text_of(app.status) and "优秀" in text_of(app.status)
    deduct(app, "confidentiality_identity", 1, "交办函写明了举报人姓名")
    status = text_of(app.status)
    assert "98" in status and "不合格（否决项：举报人信息保密）" in status and "优秀" not in status
    english = open_as(audit, reviewer, pack, generator, db, lang="en")
    assert "Fail (veto: Reporter's identity protected)" in text_of(english.status)
    with Store.open(db) as store:
        saved = store.reviews(audit.id, reviewer)
    assert [d.subitem for d in saved[0].deductions] == ["facts_particulars", "confidentiality_identity"]


def test_bad_deductions_are_refused_with_a_reason_and_nothing_is_stored(
    audit: Audit, pack: Pack, generator: CaseGenerator, db: str
) -> None:
    reviewer = busiest(audit)
    app = open_as(audit, reviewer, pack, generator, db)
    deduct(app, "facts_items_verified", 3, "")
    assert app.page.messages.kind == "error"
    points = pack.audit_rubric.subitem("time_feedback").points
    deduct(app, "time_feedback", points, "一")
    deduct(app, "time_feedback", 1, "二")  # over the sub-item's points in total
    assert app.page.messages.kind == "error"
    assert "time_feedback" in app.page.messages.text
    with Store.open(db) as store:
        saved = store.reviews(audit.id, reviewer)
    assert [d.note for d in saved[0].deductions] == ["一"]


def test_a_done_item_is_locked_on_the_server_until_reopened(
    audit: Audit, pack: Pack, generator: CaseGenerator, db: str
) -> None:
    reviewer = busiest(audit)
    app = open_as(audit, reviewer, pack, generator, db)
    deduct(app, "facts_items_verified", 2, "一")
    app.done.click()
    assert app.current_review().done
    assert app.panel.add.disabled
    # a crafted click on the disabled button, and a crafted remove
    app.panel.add.disabled = False
    deduct(app, "facts_items_verified", 2, "forged")
    app.remove(0)
    with Store.open(db) as store:
        review = store.reviews(audit.id, reviewer)[0]
        events = [e.kind for e in store.events()]
    assert review.done and [d.note for d in review.deductions] == ["一"]
    assert events.count("audit.edit-after-done") == 2
    app.done.click()  # reopen
    deduct(app, "facts_items_verified", 1, "二")
    assert [d.note for d in app.current_review().deductions] == ["一", "二"]


def test_an_item_not_assigned_is_refused_and_logged(
    audit: Audit, pack: Pack, generator: CaseGenerator, db: str
) -> None:
    reviewer = busiest(audit)
    app = open_as(audit, reviewer, pack, generator, db)
    other = next(i.id for i in audit.items if i.id not in app.assigned)
    shown = app.item_id
    app.open(other)  # what a forged selection would call
    assert app.item_id == shown
    with Store.open(db) as store:
        assert [e.kind for e in store.events()] == ["audit.not-assigned"]


def test_a_wrong_or_missing_link_shows_a_message(
    audit: Audit, pack: Pack, generator: CaseGenerator, db: str, text_of: Callable[[Any], str]
) -> None:
    ctx = context_from_query(f"audit={audit.id}&r=not-a-token", secret=None, default="zh")
    page = audit_app(ctx, store=db)
    assert page.messages.kind == "error"
    assert audit.items[0].id not in "\n".join(widget_texts(page.widget))
    bare = audit_app(context_from_query("", secret=None, default="zh"), store=db)
    assert bare.messages.kind == "info" and "链接" in bare.messages.text


def test_the_page_reads_in_english(
    audit: Audit, pack: Pack, generator: CaseGenerator, db: str, text_of: Callable[[Any], str]
) -> None:
    app = open_as(audit, busiest(audit), pack, generator, db, lang="en")
    text = text_of(app.page.widget)
    assert "Rubric" in text and "Record a deduction" in text
    assert "评查标准" not in text
