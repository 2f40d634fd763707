"""The fault-finding exercise without a browser: mark, submit, and check the store and the page."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.ui.conftest import widget_texts
from tests.ui.pages import make_faults as make_app
from tests.ui.pages import mark, start_with_defects
from tests.ui.pages import start_faults as start
from toolkit.domain.codes import Level
from toolkit.generate.cases import CaseGenerator
from toolkit.i18n import t
from toolkit.packs import Pack
from toolkit.store import Store
from toolkit.ui.context import context_from_query
from toolkit.ui.faults import FaultsApp, faults_app
from toolkit.ui.frame import Page


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'faults.sqlite3'}"


def secrets_of(app: FaultsApp) -> list[str]:
    """Texts only the answer key holds: planted notes, the defects' rules and explanations, the seed."""
    assert app.review is not None
    dossier = app.review.dossier
    out = [dossier.case_id, f'"seed": {dossier.seed}']
    for planted in dossier.answer_key:
        entry = app.pack.defects.types[planted.defect]
        out += [planted.note, entry.rule, entry.explanation]
    for entry in app.pack.defects.types.values():
        out += [entry.rule, entry.explanation]
    return [s for s in out if s]


def leaks(app: FaultsApp) -> list[str]:
    needles = secrets_of(app)
    return [n for text in widget_texts(app.page.widget) for n in needles if n in text]


def test_perfect_findings_score_full_marks_and_are_stored_first(
    pack: Pack, generator: CaseGenerator, db: str, text_of: Callable[[Any], str]
) -> None:
    app = make_app(pack, generator, db)
    dossier = start_with_defects(app)
    for planted in dossier.answer_key:
        assert mark(app, planted.document, planted.defect, "见该文书")
    app.submit_button.click()
    assert app.review is not None
    report = app.review.report
    assert report is not None, text_of(app.page.widget)
    assert report.total == report.max and report.hits == len(dossier.answer_key)
    with Store.open(db) as store:
        [stored] = store.scored(app="faults", actor="评查员甲")
    assert stored.submission.item_id == dossier.id and stored.submission.seed == dossier.seed
    assert len(stored.submission.payload["findings"]) == len(dossier.answer_key)
    assert stored.submission.created_at <= stored.score.created_at
    text = text_of(app.report)
    for planted in dossier.answer_key:
        assert pack.defects.types[planted.defect].name in text


def test_a_false_alarm_and_a_miss_cost_what_the_rubric_says(
    pack: Pack, generator: CaseGenerator, db: str
) -> None:
    app = make_app(pack, generator, db)
    dossier = start_with_defects(app)
    planted = {p.defect for p in dossier.answer_key}
    wrong = next(code for code in pack.defects.types if code not in planted)
    assert mark(app, dossier.documents[0].id, wrong)
    app.submit_button.click()
    assert app.review is not None and app.review.report is not None
    report = app.review.report
    assert report.hits == 0 and report.misses == len(dossier.answer_key) and report.false_alarms == 1
    assert report.total == 0


def test_marks_can_be_edited_until_submission(pack: Pack, generator: CaseGenerator, db: str) -> None:
    app = make_app(pack, generator, db)
    dossier = start(app)
    codes = list(pack.defects.types)
    assert mark(app, dossier.documents[0].id, codes[0], "甲")
    assert mark(app, dossier.documents[-1].id, codes[1], "乙")
    assert app.review is not None
    panel = app.review.panel
    panel.chosen.value = 0
    panel.edit_button.click()
    assert [m.note for m in panel.marks] == ["乙"] and panel.note.value == "甲"
    panel.chosen.value = 0
    panel.remove_button.click()
    assert panel.marks == []
    assert not mark(app, "", codes[0]), "a mark needs a document"


def test_nothing_of_the_answer_key_is_in_any_widget_before_submission(
    pack: Pack, generator: CaseGenerator, db: str
) -> None:
    app = make_app(pack, generator, db)
    for level in Level:
        for _ in range(3):
            dossier = start(app, level=level)
            assert leaks(app) == []
            assert all(re.fullmatch(r"d\d+", d.id) for d in dossier.documents)
    dossier = start_with_defects(app)
    app.submit_button.click()
    assert leaks(app), "the report shows the answer key once submitted"


def test_after_submission_marks_are_locked_on_the_server(
    pack: Pack, generator: CaseGenerator, db: str
) -> None:
    app = make_app(pack, generator, db)
    dossier = start_with_defects(app)
    app.submit_button.click()
    assert app.review is not None and app.review.locked and app.submit_button.disabled
    planted = dossier.answer_key[0]
    assert not mark(app, planted.document, planted.defect), "a crafted add after submission"
    app.review.panel.chosen.value = None
    app.review.panel.remove_button.click()
    app.submit_button.click()
    with Store.open(db) as store:
        assert len(store.submissions()) == 1
        kinds = {e.kind for e in store.events()}
    assert {
        "faults.mark-after-submit",
        "faults.mark-remove-after-submit",
        "faults.resubmit-after-lock",
    } <= kinds


def test_the_page_builds_and_reports_a_broken_store(
    pack: Pack, db: str, tmp_path: Path, text_of: Callable[[Any], str]
) -> None:
    ctx = context_from_query("lang=en", secret=None, default="zh")
    page = faults_app(ctx, store_url=db)
    assert t("faults.start.next", "en") in text_of(page.widget)
    # the store is opened at its first use (xfkit serve has checked it before serving any page): a store
    # that broke since is a message on the first action, never a traceback
    broken = FaultsApp(
        Page(ctx=ctx, title_key="app.faults.title", pack=pack),
        pack,
        CaseGenerator(pack),
        store_url="nosuchdb://x",
    )
    assert t("faults.start.next", "en") in text_of(broken.page.widget)
    broken.start_panel.name.value = "reviewer"
    broken.start_panel.next_button.click()
    text = text_of(broken.page.widget)
    assert broken.page.messages.kind == "error" and "nosuchdb" in broken.page.messages.text, text
    assert "Traceback" not in text


def test_the_trainer_desk_shows_how_often_each_fault_is_found(
    pack: Pack, generator: CaseGenerator, db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from toolkit.ui.trainer import _overview_html

    ctx = context_from_query("lang=zh", secret=None, default="zh")
    monkeypatch.setenv("XFKIT_DB", db)
    assert t("trainer.no_reviews", "zh") in _overview_html(ctx)
    app = make_app(pack, generator, db)
    dossier = start_with_defects(app)
    found, *missed = dossier.answer_key
    assert mark(app, found.document, found.defect)
    app.submit_button.click()
    page = _overview_html(ctx)
    assert pack.defects.types[found.defect].name in page and "100%" in page
    for planted in missed:
        assert pack.defects.types[planted.defect].name in page
    if missed:
        assert "0%" in page
