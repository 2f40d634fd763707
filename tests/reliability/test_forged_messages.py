"""Forged widget messages against every app: refused on the server, nothing stored, the refusal logged.

Every message here goes through the kernel's comm manager to the widget's ``_handle_msg``, as a crafted
websocket message would (:mod:`tests.reliability.forge`): clicks on disabled or spent buttons, values no
control offers, actions after a round closed, actions from a page without the trainer role, and messages
naming another contestant or another reviewer's item. For each the store must not change in the forbidden
way, the page must show a readable message where it shows messages (never a traceback), and the refusal
must be logged: in the store's event log and on the ``xfkit.ui`` logger for refused actions, on
ipywidgets' logger for values a widget cannot take.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pytest

from tests.reliability.forge import forge_click, forge_update, forge_upload, interactive, rejections, walk_all
from tests.ui.conftest import fill, page_text, talk
from tests.ui.pages import (
    CONSOLE_SECRET,
    DESK_SECRET,
    act,
    add_audit,
    busiest,
    console,
    contestant,
    create,
    deduct,
    make_desk,
    make_faults,
    make_intake,
    open_as,
    start_intake,
    start_with_defects,
)
from toolkit.apps import APPS
from toolkit.audit.population import dossier_population
from toolkit.domain.codes import Channel
from toolkit.generate.cases import CaseGenerator
from toolkit.generate.ledger import ledger_items
from toolkit.i18n import t
from toolkit.ledger.export import write_ledger
from toolkit.packs import Pack
from toolkit.store import Store
from toolkit.ui import (
    audit_desk_app,
    board_app,
    console_app,
    home_app,
    ledger_app,
    trainer_app,
)
from toolkit.ui.context import context_from_query
from toolkit.ui.frame import Page
from toolkit.ui.quiz_panel import QuizPanel
from toolkit.ui.work import FindingsWork, IntakeWork

UI_LOGGER = "xfkit.ui"


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'forged.sqlite3'}"


@pytest.fixture(autouse=True)
def logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    caplog.set_level(logging.WARNING)
    yield caplog


def kinds(db: str) -> list[str]:
    with Store.open(db) as store:
        return [e.kind for e in store.events()]


def refused_logged(caplog: pytest.LogCaptureFixture, app: str, kind: str) -> bool:
    """The ``xfkit.ui`` logger has the line :func:`~toolkit.ui.practice.log_refusal` writes."""
    wanted = f"refused {app}.{kind} "
    return any(r.name == UI_LOGGER and r.getMessage().startswith(wanted) for r in caplog.records)


def no_traceback(page: Page) -> None:
    text = page_text(page.widget)
    assert "Traceback" not in text and 'File "' not in text
    assert page.messages.text != t("error.unexpected", page.lang), "a forged message is not a bug"


def rows(db: str) -> tuple[int, int, int]:
    """Submissions, scores and log entries in the store."""
    with Store.open(db) as store:
        return len(store.submissions()), len(store.scores()), len(store.events())


# -- intake -----------------------------------------------------------------------------------------


def test_intake_forged_resubmit_edits_and_replies_after_submission(
    pack: Pack, generator: CaseGenerator, db: str, logs: pytest.LogCaptureFixture
) -> None:
    app = make_intake(pack, generator, db)
    case = start_intake(app, channel=Channel.VISIT)
    assert app.attempt is not None and app.attempt.panel is not None and app.attempt.conversation
    first_turn = list(app.attempt.panel._options.children)  # the browser keeps their model ids
    talk(app.attempt.panel, app.attempt.conversation)
    form = app.attempt.form
    fill(form, case.truth)
    forge_click(app.submit_button)
    assert app.attempt.locked and app.submit_button.disabled
    report = app.attempt.report
    assert rows(db)[:2] == (1, 1)

    forge_click(app.submit_button)  # the disabled submit button, clicked by a crafted message
    assert app.attempt.report is report
    assert rows(db)[:2] == (1, 1), "no second submission, no second score"
    assert t("intake.already_submitted", "zh") in page_text(app.page.widget)
    assert refused_logged(logs, "intake", "resubmit-after-lock")

    right = form.category.value
    wrong = next(n for n, (_l, v) in enumerate(form.category.options) if v and v != right)
    forge_update(form.category, index=wrong)
    assert form.category.value == right, "the forged change is undone"
    forge_click(first_turn[1])  # a reply to the first turn, long after it
    assert app.attempt.panel.choices == [turn.model.id for turn in app.attempt.conversation.turns]

    with Store.open(db) as store:
        stored = store.submissions()
        assert len(stored) == 1 and stored[0].payload["answer"]["category"] == right
    assert {
        "intake.resubmit-after-lock",
        "intake.change-after-submit",
        "intake.conversation-after-submit",
    } <= set(kinds(db))
    assert refused_logged(logs, "intake", "change-after-submit")
    assert t("practice.refused", "zh") in page_text(app.page.widget)
    no_traceback(app.page)


def test_intake_values_outside_the_choices_are_rejected_by_the_widgets(
    pack: Pack, generator: CaseGenerator, db: str, logs: pytest.LogCaptureFixture
) -> None:
    app = make_intake(pack, generator, db)
    forge_update(app.channel, index=len(app.channel.options) + 5)
    forge_update(app.level, index=-1)
    assert app.channel.value == "" and app.level.value == "easy"
    case = start_intake(app, channel=Channel.LETTER)
    for _ in range(50):  # a signed letter, so that the name field is used
        if case.truth.reporter.name:
            break
        case = start_intake(app, channel=Channel.LETTER)
    assert case.truth.reporter.name
    assert app.attempt is not None
    form = app.attempt.form
    fill(form, case.truth)
    due_picker = next(iter(form.due_dates.values()))
    before = form.values()
    forge_update(form.category, index=len(form.category.options))
    forge_update(form.signature, index=99)
    forge_update(form.route_unit, index=-3)
    forge_update(due_picker, value="2026-02-30")
    forge_update(due_picker, value={"year": 2026, "month": 13, "date": 40})
    forge_update(form.category, value="no-such-category")  # ``value`` is not synced: ignored
    assert form.values() == before, "every forged value was rejected"
    assert len(rejections(logs)) == 7
    assert rows(db) == (0, 0, 0)

    # a forged text field: huge, with control characters; what is stored is bounded and printable
    forge_update(form.reporter_name, value="\x00\x1b[2J" + case.truth.reporter.name + "名" * 200_000)
    forge_click(app.submit_button)
    with Store.open(db) as store:
        (stored,) = store.submissions()
    raw = stored.payload["form"]["reporter_name"]
    assert "\x00" not in raw and "\x1b" not in raw and len(raw) <= 200
    assert len(stored.payload["answer"]["reporter"]["name"] or "") <= 40
    no_traceback(app.page)


# -- faults -----------------------------------------------------------------------------------------


def test_faults_forged_resubmit_and_marks_after_submission(
    pack: Pack, generator: CaseGenerator, db: str, logs: pytest.LogCaptureFixture
) -> None:
    app = make_faults(pack, generator, db)
    dossier = start_with_defects(app)
    assert app.review is not None
    panel = app.review.panel
    planted = dossier.answer_key[0]
    panel.document.value, panel.defect.value = planted.document, planted.defect
    forge_click(panel.add_button)
    assert len(panel.marks) == 1
    forge_click(app.submit_button)
    assert app.review.locked and app.submit_button.disabled and panel.add_button.disabled
    assert rows(db)[:2] == (1, 1)

    forge_click(app.submit_button)
    forge_click(panel.add_button)
    forge_click(panel.remove_button)
    forge_click(panel.edit_button)
    assert len(panel.marks) == 1
    assert rows(db)[:2] == (1, 1), "no second submission, no second score"
    assert {
        "faults.resubmit-after-lock",
        "faults.mark-after-submit",
        "faults.mark-remove-after-submit",
        "faults.mark-edit-after-submit",
    } <= set(kinds(db))
    assert refused_logged(logs, "faults", "resubmit-after-lock")
    assert t("practice.refused", "zh") in page_text(app.page.widget)
    no_traceback(app.page)


def test_faults_marks_outside_the_catalogue_are_rejected(
    pack: Pack, generator: CaseGenerator, db: str, logs: pytest.LogCaptureFixture
) -> None:
    app = make_faults(pack, generator, db)
    start_with_defects(app)
    assert app.review is not None
    panel = app.review.panel
    forge_update(panel.document, index=len(panel.document.options))
    forge_update(panel.defect, index=10_000)
    forge_update(panel.chosen, index=3)  # no mark to choose yet
    assert (panel.document.value, panel.defect.value, panel.chosen.value) == ("", "", None)
    assert len(rejections(logs)) == 3
    forge_click(panel.add_button)
    forge_click(panel.remove_button)
    assert panel.marks == []
    forge_update(panel.note, value="\x07" * 50_000)
    panel.document.value = next(v for _l, v in panel.document.options if v)
    panel.defect.value = next(v for _l, v in panel.defect.options if v)
    forge_click(panel.add_button)
    assert len(panel.marks) == 1 and panel.marks[0].note == ""
    assert rows(db) == (0, 0, 0)
    no_traceback(app.page)


# -- ledger dashboard (writes nothing) --------------------------------------------------------------


def test_ledger_forged_filters_and_upload_change_nothing(
    pack: Pack, tmp_path: Path, logs: pytest.LogCaptureFixture
) -> None:
    page = ledger_app(context_from_query("", secret=None, default="zh"), data_dir=str(tmp_path))
    as_of = next(w for w in walk_all(page.widget) if isinstance(w, widgets.DatePicker))
    assert not page.messages.kind == "error", page.messages.text
    dropdowns = [w for w in walk_all(page.widget) if isinstance(w, widgets.Dropdown | widgets.ToggleButtons)]
    before = [(w.value, w.index) for w in dropdowns]
    day = as_of.value
    for control in dropdowns:
        forge_update(control, index=len(control.options) + 1)
    forge_update(as_of, value="not a date")
    assert [(w.value, w.index) for w in dropdowns] == before and as_of.value == day
    assert len(rejections(logs)) == len(dropdowns) + 1

    summary = next(
        w for w in walk_all(page.widget) if isinstance(w, widgets.HTML) and "xf-card-chip" in w.value
    )
    shown = summary.value
    upload = next(w for w in walk_all(page.widget) if isinstance(w, widgets.FileUpload))
    forge_upload(upload, "ledger.exe", b"MZ\x90\x00")
    assert page.messages.kind == "error"
    assert t("ledger.bad_type", "zh", name="ledger.exe") in page_text(page.widget)
    assert summary.value == shown, "the ledger on show is kept"
    assert any(r.name == UI_LOGGER and "ledger.exe" in r.getMessage() for r in logs.records)
    no_traceback(page)


# -- audit: reviewer page ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def population(pack: Pack) -> Any:
    return dossier_population(pack, 11, 24)[0]


def test_audit_reviewer_cannot_reach_another_reviewers_item(
    pack: Pack, generator: CaseGenerator, db: str, population: Any, logs: pytest.LogCaptureFixture
) -> None:
    audit = add_audit(pack, population, db)
    me = busiest(audit)
    app = open_as(audit, me, pack, generator, db)
    theirs = next(i.id for i in audit.items if me not in audit.assignment.pairs.get(i.id, ()))
    shown = app.item_id
    options = list(app.picker.options)
    forge_update(app.picker, index=len(options))  # a position past the reviewer's own items
    forge_update(app.picker, value=theirs)  # ``value`` is not synced: ignored
    forge_update(app.picker, label=theirs)
    assert app.item_id == shown and list(app.picker.options) == options
    assert len(rejections(logs)) == 1
    forge_update(app.picker, index=None)  # nothing chosen: reaches the page, which re-checks
    assert app.item_id == shown and app.picker.value == shown
    assert "audit.not-assigned" in kinds(db)
    assert refused_logged(logs, "audit", "not-assigned")
    assert t("practice.refused", "zh") in page_text(app.page.widget)

    # whatever was forged, a deduction is saved for the reviewer's own item only
    deduct(app, "facts_items_verified", 1, "一")
    with Store.open(db) as store:
        saved = store.reviews(audit.id)
    assert [(r.item_id, r.reviewer) for r in saved] == [(shown, me)]
    assert theirs not in app.assigned
    no_traceback(app.page)


def test_audit_edits_after_done_are_refused(
    pack: Pack, generator: CaseGenerator, db: str, population: Any, logs: pytest.LogCaptureFixture
) -> None:
    audit = add_audit(pack, population, db)
    me = busiest(audit)
    app = open_as(audit, me, pack, generator, db)
    deduct(app, "facts_items_verified", 2, "一")
    forge_click(app.done)
    assert app.current_review().done and app.panel.add.disabled
    remove = next(w for w in walk_all(app.panel.listing) if isinstance(w, widgets.Button))
    assert remove.disabled
    app.panel.note.value = "forged"  # the browser's form is disabled; the message still arrives
    forge_click(app.panel.add)
    forge_click(remove)
    forge_update(app.panel.subitem, index=len(app.panel.subitem.options))
    forge_update(app.panel.points, value=1e9)  # clamped by the widget, and refused anyway
    forge_click(app.panel.add)
    with Store.open(db) as store:
        (review,) = store.reviews(audit.id, me)
    assert review.done and [d.note for d in review.deductions] == ["一"]
    assert kinds(db).count("audit.edit-after-done") == 3
    assert refused_logged(logs, "audit", "edit-after-done")
    assert len(rejections(logs)) == 1
    assert t("practice.refused", "zh") in page_text(app.page.widget)
    no_traceback(app.page)


def test_audit_page_with_a_forged_token_builds_nothing(
    pack: Pack, db: str, population: Any, logs: pytest.LogCaptureFixture
) -> None:
    from toolkit.ui import audit_app

    audit = add_audit(pack, population, db)
    other = next(iter(audit.tokens))
    ctx = context_from_query(f"audit={audit.id}&r={audit.tokens[other]}x", secret=None, default="zh")
    page = audit_app(ctx, store=db)
    assert page.messages.kind == "error" and interactive(page.body) == []
    assert kinds(db) == ["audit.bad-link"]
    no_traceback(page)


# -- trainer-only pages from a page without the trainer role ------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "",
        "key=guess",
        f"key={CONSOLE_SECRET}x",
        "role=trainer",
        f"key={DESK_SECRET}",  # another page's secret
        f"lang=en&key={CONSOLE_SECRET.upper()}",
    ],
)
def test_trainer_pages_refuse_to_build_for_a_learner(
    query: str, pack: Pack, db: str, tmp_path: Path, logs: pytest.LogCaptureFixture
) -> None:
    ctx = context_from_query(query, secret=CONSOLE_SECRET, default="zh")
    assert not ctx.is_trainer
    pages = {
        "console": console_app(ctx, store=db),
        "audit_desk": audit_desk_app(ctx, store=db, data_dir=str(tmp_path)),
        "trainer": trainer_app(ctx),
    }
    assert set(pages) == {a.code for a in APPS if a.trainer_only}
    for code, page in pages.items():
        assert page.messages.kind == "error", code
        assert page.messages.text == t("error.access_denied", ctx.lang, detail="this needs the trainer role")
        assert not page.body.children and interactive(page.body) == [], code
        for widget in walk_all(page.widget):  # whatever a forged message names on the page
            forge_click(widget)
        no_traceback(page)
    denied = [r for r in logs.records if r.name == UI_LOGGER and r.getMessage().startswith("AccessDenied")]
    assert len(denied) == 3
    with Store.open(db) as store:
        assert store.competitions() == [] and store.audits() == [] and store.events() == []


def test_audit_desk_takes_only_the_offered_settings(
    pack: Pack, generator: CaseGenerator, db: str, tmp_path: Path, logs: pytest.LogCaptureFixture
) -> None:
    data_dir = tmp_path / "data"
    (data_dir / "demo").mkdir(parents=True)
    write_ledger(ledger_items(generator, 3, 60), pack, data_dir / "demo" / "ledger.xlsx")
    desk = make_desk(pack, generator, db, data_dir)
    choices = (desk.source, desk.method, desk.confidence)
    before = [c.value for c in choices], desk.by.value
    for control in choices:
        forge_update(control, index=len(control.options) + 3)
    forge_update(desk.by, index=[0, len(desk.by.options) + 1])
    assert ([c.value for c in choices], desk.by.value) == before
    assert len(rejections(logs)) == 4
    # numbers out of range are clamped to what the form offers
    forge_update(desk.k, value=10**9)
    forge_update(desk.dossiers, value=-5)
    forge_update(desk.rate, value=50.0)
    assert (desk.k.value, desk.dossiers.value, desk.rate.value) == (desk.k.max, 1, 1.0)
    forge_click(desk.preview_button)  # a preview stores nothing
    with Store.open(db) as store:
        assert store.audits() == []
    no_traceback(desk.page)


def test_console_forged_round_actions_are_refused_on_the_server(
    pack: Pack, generator: CaseGenerator, db: str, logs: pytest.LogCaptureFixture
) -> None:
    desk = console(pack, generator, db)
    create(desk, intake=1, quiz=0)
    assert desk.record is not None
    buttons = {b.description: b for b in walk_all(desk.rounds_box) if isinstance(b, widgets.Button)}
    release = buttons[t("console.action.release", "zh")]
    forge_click(release)  # before the round even started
    assert desk.page.messages.kind == "error"
    forge_click(buttons[t("console.action.start", "zh")])
    forge_click(buttons[t("console.action.start", "zh")])  # a second start
    assert desk.page.messages.kind == "error"
    with Store.open(db) as store:
        events = [e.kind for e in store.round_events(desk.record.id)]
        logged = [e.kind for e in store.events()]
    assert events == ["start"]
    assert logged.count("console.bad-action") == 2
    forge_update(desk.analysis_pick, index=7)
    forge_update(desk.pick, index=3)
    assert desk.analysis_pick.value is None and desk.pick.value == desk.record.id
    assert len(rejections(logs)) == 2
    no_traceback(desk.page)


# -- contest -----------------------------------------------------------------------------------------


def test_contest_forged_second_submission_and_late_answer(
    pack: Pack, generator: CaseGenerator, db: str, logs: pytest.LogCaptureFixture
) -> None:
    desk = console(pack, generator, db)
    code = create(desk, intake=1, quiz=2)
    a, late = contestant(pack, generator, db, code, "甲"), contestant(pack, generator, db, code, "乙")
    assert a.contestant is not None and late.contestant is not None
    forge_click(a.submit_button)  # before the round starts: no item, so no button that stores
    act(desk, 1, "start")
    a.tick()
    late.tick()
    key = str(a.picker.value)
    work = a.works[key]
    assert isinstance(work, IntakeWork | FindingsWork)
    button = a.buttons[key]
    if isinstance(work, IntakeWork):
        fill(work.form, work.case.truth)
        if work.panel is not None and work.conversation is not None:
            talk(work.panel, work.conversation)
    forge_click(button)
    assert a.page.messages.kind == "info", a.page.messages.text
    assert button.disabled
    forge_click(button)  # the same item again, from a crafted message
    a.picker.value = key  # the contestant goes back to it
    forge_click(a.submit_button)
    assert a.page.messages.kind == "error"
    assert t("contest.refused.duplicate", "zh") in page_text(a.page.widget)
    with Store.open(db) as store:
        assert len(store.contest_submissions(desk.record.id)) == 1  # type: ignore[union-attr]
    assert kinds(db).count("contest.duplicate") == 2
    assert refused_logged(logs, "contest", "duplicate")

    # the trainer ends the round: the other contestant's answer is late
    act(desk, 1, "end")
    late_work = late.works[str(late.picker.value)]
    if isinstance(late_work, IntakeWork):
        fill(late_work.form, late_work.case.truth)
        if late_work.panel is not None and late_work.conversation is not None:
            talk(late_work.panel, late_work.conversation)
    forge_click(late.submit_button)
    assert t("contest.refused.late", "zh") in page_text(late.page.widget)
    with Store.open(db) as store:
        stored = store.contest_submissions(desk.record.id)  # type: ignore[union-attr]
    assert [s.submission.actor.split("/")[1] for s in stored] == ["1"]
    assert "contest.late" in kinds(db)
    assert refused_logged(logs, "contest", "late")
    no_traceback(a.page)
    no_traceback(late.page)


def test_contest_quiz_answer_twice_and_answers_not_offered(
    pack: Pack, generator: CaseGenerator, db: str, logs: pytest.LogCaptureFixture
) -> None:
    desk = console(pack, generator, db)
    code = create(desk, intake=0, quiz=3)
    a = contestant(pack, generator, db, code, "甲")
    act(desk, 1, "start")
    a.tick()
    key = str(a.picker.value)
    panel = a.works[key]
    assert isinstance(panel, QuizPanel)
    control: widgets.Widget = panel.choice if panel.choice is not None else (panel.day or panel.boxes[0])
    if isinstance(control, widgets.RadioButtons):
        forge_update(control, index=len(control.options))
        assert control.value is None
    elif isinstance(control, widgets.DatePicker):
        forge_update(control, value="yesterday")
        assert control.value is None
    else:
        forge_update(control, value="yes please")  # a Checkbox takes only a bool
        assert control.value is False
    assert len(rejections(logs)) == 1
    forge_update(a.picker, index=len(a.picker.options) + 2)
    assert str(a.picker.value) == key
    forge_click(a.submit_button)  # nothing chosen: refused with a reason, nothing stored
    assert a.page.messages.kind == "error"
    assert rows(db)[:2] == (0, 0)

    if panel.choice is not None:
        panel.choice.value = panel.choice.options[0][1]
    elif panel.day is not None:
        panel.day.value = date(2026, 1, 1)
    else:
        panel.boxes[0].value = True
    button = a.buttons[key]
    forge_click(button)
    assert a.page.messages.kind == "info" and button.disabled
    forge_click(button)
    with Store.open(db) as store:
        assert len(store.contest_submissions(desk.record.id)) == 1  # type: ignore[union-attr]
    assert "contest.duplicate" in kinds(db)
    no_traceback(a.page)


def test_contest_join_or_resume_as_another_contestant_is_refused_and_logged(
    pack: Pack, generator: CaseGenerator, db: str, logs: pytest.LogCaptureFixture
) -> None:
    desk = console(pack, generator, db)
    code = create(desk)
    first = contestant(pack, generator, db, code, "选手甲")
    assert first.contestant is not None
    pin = first.contestant.pin
    wrong = "0000" if pin != "0000" else "1111"

    taken = contestant(pack, generator, db, code, "选手甲")  # join with their name
    no_pin = contestant(pack, generator, db, code, "选手甲", pin=" ")
    bad_pin = contestant(pack, generator, db, code, "选手甲", pin=wrong)
    for app in (taken, no_pin, bad_pin):
        assert app.contestant is None and app.page.messages.kind == "error"
        assert app.play.layout.display == "none"
        no_traceback(app.page)
    assert t("contest.refused.name_taken", "zh") in page_text(taken.page.widget)
    assert t("contest.refused.bad_pin", "zh") in page_text(bad_pin.page.widget)
    with Store.open(db) as store:
        names = [c.name for c in store.contestants(desk.record.id)]  # type: ignore[union-attr]
    assert names == ["选手甲"]
    logged = kinds(db)
    assert "contest.name-taken" in logged and logged.count("contest.bad-pin") == 2

    # a forged name far longer than any field allows is refused, not stored
    huge = contestant(pack, generator, db, code, "名" * 5000)
    assert huge.contestant is None and huge.page.messages.kind == "error"
    with Store.open(db) as store:
        assert [c.name for c in store.contestants(desk.record.id)] == ["选手甲"]  # type: ignore[union-attr]
    no_traceback(huge.page)


# -- pages without inputs: board, home, trainer desk -------------------------------------------------


def test_board_home_and_trainer_desk_have_nothing_that_writes(
    pack: Pack, generator: CaseGenerator, db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk = console(pack, generator, db)
    code = create(desk)
    contestant(pack, generator, db, code, "甲")
    monkeypatch.setenv("XFKIT_DB", db)
    learner = context_from_query(f"code={code}", secret=CONSOLE_SECRET, default="zh")
    trainer = context_from_query(f"code={code}&key={CONSOLE_SECRET}", secret=CONSOLE_SECRET, default="zh")
    pages = {
        "board": board_app(learner, store=db),
        "home": home_app(learner, pack),
        "home (trainer)": home_app(trainer, pack),
        "trainer": trainer_app(trainer),
    }
    before = rows(db)
    with Store.open(db) as store:
        contestants_before = store.contestants(desk.record.id)  # type: ignore[union-attr]
    for name, page in pages.items():
        assert page.messages.kind != "error", (name, page.messages.text)
        listed = [type(w).__name__ for w in interactive(page.widget)]
        assert listed == [], f"{name} has inputs: {listed}"
        walked = list(walk_all(page.widget))
        assert len(walked) > 3
        for widget in walked:
            forge_click(widget)
    assert rows(db) == before
    with Store.open(db) as store:
        assert store.contestants(desk.record.id) == contestants_before  # type: ignore[union-attr]
