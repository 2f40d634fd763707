"""The intake simulator without a browser: set values, click, and check the store and the page."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.ui.conftest import fill, talk, widget_states
from tests.ui.pages import make_intake as make_app
from tests.ui.pages import start_intake as start
from toolkit.domain.codes import Channel, Level
from toolkit.generate.cases import CaseGenerator
from toolkit.i18n import t
from toolkit.packs import Pack
from toolkit.store import Store
from toolkit.ui.context import context_from_query
from toolkit.ui.intake import IntakeApp, intake_app
from toolkit.ui.practice import learner_name


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'intake.sqlite3'}"


def talk_through(app: IntakeApp, *, model: bool = True) -> list[str]:
    """Click a reply at every turn (the model reply, or the first faulty one); the labels clicked."""
    assert app.attempt is not None and app.attempt.panel is not None and app.attempt.conversation is not None
    return talk(app.attempt.panel, app.attempt.conversation, model=model)


def all_widget_states(root: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every widget state the page references; the walk must reach the whole page."""
    seen = 0
    for model_id, state in widget_states(root):
        seen += 1
        yield model_id, state
    assert seen > 50, "the walk reaches the page's widgets"


def secrets_of(app: IntakeApp) -> list[str]:
    """Texts that exist only in the answer key of the current attempt."""
    assert app.attempt is not None
    case = app.attempt.case
    out: list[str] = []
    for _code, day in case.truth.due:
        out += [day.isoformat(), f"{day.year}年{day.month}月{day.day}日"]
    if case.truth.repeat_of:
        out.append(case.truth.repeat_of)
    for rule in app.pack.rules.deadlines:
        out.append(rule.note)
    conv = app.attempt.conversation
    if conv is not None:
        for turn in conv.turns:
            for option in turn.options:
                if option.fault is not None:
                    out += [option.fault.rule, option.fault.name]
    return [s for s in out if s]


def leaks(app: IntakeApp) -> list[str]:
    found = []
    needles = secrets_of(app)
    for model_id, state in all_widget_states(app.page.widget):
        text = json.dumps(state, ensure_ascii=False, default=str)
        found += [f"{model_id}: {n}" for n in needles if n in text]
    return found


def test_a_name_is_needed_and_stored_as_given(
    pack: Pack, generator: CaseGenerator, db: str, text_of: Callable[[Any], str]
) -> None:
    app = make_app(pack, generator, db)
    app.next_button.click()
    assert app.attempt is None
    assert t("practice.need_name", "zh") in text_of(app.page.widget)
    assert learner_name("  李四\u200b\n ") == "李四"


@pytest.mark.parametrize("channel", list(Channel))
def test_the_chosen_channel_and_level_are_served_with_their_seed(
    pack: Pack, generator: CaseGenerator, db: str, channel: Channel, text_of: Callable[[Any], str]
) -> None:
    app = make_app(pack, generator, db)
    case = start(app, channel=channel, level=Level.HARD)
    assert case.channel is channel and case.level is Level.HARD
    again = generator.case(case.seed, case.index, case.level)
    assert again.to_dict() == case.to_dict(), "the recorded seed makes the same case"
    text = text_of(app.page.widget)
    assert case.id in text
    if channel in (Channel.VISIT, Channel.PHONE):
        assert app.attempt is not None and app.attempt.panel is not None
        assert app.attempt.conversation is not None
        assert all(line in text for line in app.attempt.conversation.opening_lines())
    else:
        assert case.material.title in text


@pytest.mark.parametrize("channel", [Channel.LETTER, Channel.ONLINE, Channel.FORWARDED, Channel.VISIT])
def test_the_truth_entered_scores_full_marks_and_is_stored_first(
    pack: Pack, generator: CaseGenerator, db: str, channel: Channel, text_of: Callable[[Any], str]
) -> None:
    app = make_app(pack, generator, db)
    case = start(app, channel=channel, level=Level.MEDIUM)
    if channel is Channel.VISIT:
        talk_through(app)
    assert app.attempt is not None
    fill(app.attempt.form, case.truth)
    app.submit_button.click()
    report = app.attempt.report
    assert report is not None, text_of(app.page.widget)
    assert report.total == report.max and report.grade == "excellent"
    with Store.open(db) as store:
        [stored] = store.scored(app="intake", actor="张三")
    assert stored.submission.item_id == case.id and stored.submission.seed == case.seed
    expected = json.loads(json.dumps(case.truth.to_dict()))
    del expected["specificity"]  # not asked on the form
    expected.update(related_to=None, novelty=None, route_rule=None)  # the key's reasons, not asked either
    assert stored.submission.payload["answer"] == expected
    assert stored.score.payload["total"] == report.total
    # the stored submission is older than (or as old as) its score: stored before the score existed
    assert stored.submission.created_at <= stored.score.created_at
    text = text_of(app.page.widget)
    assert t("intake.report.title", "zh") in text and case.id in text
    if channel is Channel.VISIT:
        assert app.attempt.conversation is not None
        assert len([i for i in report.items if i.kind == "conduct"]) == len(app.attempt.conversation.turns)


def test_faulty_replies_cost_conduct_points_and_show_the_rule(
    pack: Pack, generator: CaseGenerator, db: str, text_of: Callable[[Any], str]
) -> None:
    app = make_app(pack, generator, db)
    case = start(app, channel=Channel.PHONE)
    talk_through(app, model=False)
    assert app.attempt is not None and app.attempt.conversation is not None
    fill(app.attempt.form, case.truth)
    app.submit_button.click()
    report = app.attempt.report
    assert report is not None
    conduct = [i for i in report.items if i.kind == "conduct"]
    assert conduct and all(i.points == 0 for i in conduct)
    text = text_of(app.report)
    first = app.attempt.conversation.turns[0]
    chosen = next(o for o in first.options if o.fault is not None)
    assert chosen.fault is not None and chosen.fault.rule in text and first.model.text in text


def test_the_form_names_every_missing_or_impossible_value(
    pack: Pack, generator: CaseGenerator, db: str, text_of: Callable[[Any], str]
) -> None:
    app = make_app(pack, generator, db)
    case = start(app, channel=Channel.LETTER)
    assert app.attempt is not None
    form = app.attempt.form
    code = next(iter(form.due_applies))
    form.due_applies[code].value = True
    form.due_dates[code].value = date(case.received_at.year - 1, 1, 1)
    form.reporter_phone.value = "12ab"
    app.submit_button.click()
    assert app.attempt.report is None
    text = text_of(app.page.widget)
    for key in ("signature", "category", "problem_type", "route_action", "route_unit", "accused_name"):
        assert t(f"intake.check.{key}", "zh") in text, key
    assert "12ab" in text
    rule = pack.rules.deadline(code)
    assert (
        t("intake.check.due_before", "zh", rule=rule.name_zh, received=case.received_at.date().isoformat())
        in text
    )
    with Store.open(db) as store:
        assert store.submissions() == [], "nothing is stored for an invalid form"


def test_nothing_of_the_answer_key_is_in_any_widget_before_submission(
    pack: Pack, generator: CaseGenerator, db: str
) -> None:
    app = make_app(pack, generator, db)
    checked = 0
    for channel in Channel:
        for level in Level:
            start(app, channel=channel, level=level)
            assert leaks(app) == []
            if channel in (Channel.VISIT, Channel.PHONE):
                talk_through(app)
                assert leaks(app) == [], "after the conversation, still before submission"
            checked += 1
    assert checked == len(Channel) * len(Level)
    # the scan does find the key once it is meant to be shown: after submission
    assert app.attempt is not None
    fill(app.attempt.form, app.attempt.case.truth)
    app.submit_button.click()
    assert app.attempt.report is not None
    assert leaks(app), "the score report shows the model answer and the rules"


def test_after_submission_everything_is_locked_on_the_server(
    pack: Pack, generator: CaseGenerator, db: str, text_of: Callable[[Any], str]
) -> None:
    app = make_app(pack, generator, db)
    case = start(app, channel=Channel.VISIT)
    talk_through(app)
    assert app.attempt is not None and app.attempt.panel is not None
    form = app.attempt.form
    fill(form, case.truth)
    app.submit_button.click()
    assert app.attempt.locked and form.signature.disabled and app.submit_button.disabled
    before = app.attempt.report
    # a crafted click on the disabled submit button, a changed value, a late reply
    app.submit_button.click()
    form.category.value = next(v for _, v in form.category.options if v and v != case.truth.category.value)
    assert form.category.value == case.truth.category.value, "the forged change is undone"
    assert not app.attempt.panel.choose(app.attempt.panel.turn, "a")
    assert app.attempt.report is before
    with Store.open(db) as store:
        assert len(store.submissions()) == 1 and len(store.scores()) == 1
        kinds = {e.kind for e in store.events()}
    assert {
        "intake.resubmit-after-lock",
        "intake.change-after-submit",
        "intake.conversation-after-submit",
    } <= kinds
    assert t("practice.refused", "zh") in text_of(app.page.widget)


def test_forged_replies_are_refused_and_logged(pack: Pack, generator: CaseGenerator, db: str) -> None:
    app = make_app(pack, generator, db)
    start(app, channel=Channel.VISIT)
    assert app.attempt is not None and app.attempt.panel is not None
    panel = app.attempt.panel
    assert not panel.choose(0, "z"), "an option the turn does not offer"
    assert not panel.choose(3, "a"), "a turn that is not the current one"
    assert panel.choices == []
    assert panel.choose(0, "a")
    assert not panel.choose(0, "b"), "a turn already answered"
    assert panel.choices == ["a"]
    with Store.open(db) as store:
        kinds = [e.kind for e in store.events()]
    assert kinds.count("intake.conversation-unknown-option") == 1
    assert kinds.count("intake.conversation-wrong-turn") == 2


def test_submitting_an_unfinished_conversation_is_refused(
    pack: Pack, generator: CaseGenerator, db: str, text_of: Callable[[Any], str]
) -> None:
    app = make_app(pack, generator, db)
    case = start(app, channel=Channel.PHONE)
    assert app.attempt is not None
    fill(app.attempt.form, case.truth)
    app.submit_button.click()
    assert app.attempt.report is None
    assert t("intake.talk.unfinished", "zh") in text_of(app.page.widget)


def test_history_lists_each_attempt_with_a_chart(pack: Pack, generator: CaseGenerator, db: str) -> None:
    app = make_app(pack, generator, db)
    for _ in range(3):
        case = start(app, channel=Channel.ONLINE)
        assert app.attempt is not None
        fill(app.attempt.form, case.truth)
        app.submit_button.click()
    html_value = app.history.value
    assert html_value.count("<tr>") == 1 + 3 and "<svg" in html_value
    other = make_app(pack, generator, db)
    start(other, name="王五", channel=Channel.LETTER)
    assert t("practice.history.none", "zh") in other.history.value, "history is per learner"


def test_an_attempt_stored_under_an_older_pack_keeps_its_version_and_score(
    pack: Pack, generator: CaseGenerator, db: str
) -> None:
    """An attempt scored under pack 1.0.0 is listed as it was scored: version 1.0.0 and its stored points,
    beside a new attempt scored under the pack the server runs now."""
    assert pack.version == "2.0.0"
    with Store.open(db) as store:
        old = store.add_submission(
            app="intake",
            actor="张三",
            item_id="default-3-000007",
            pack="default@1.0.0",
            seed=3,
            payload={"level": "easy", "channel": "letter", "answer": {}},
        )
        store.add_score(old.id, {"total": 37.5, "max": 100.0, "grade": "fail", "pack": "default@1.0.0"})
    app = make_app(pack, generator, db)
    case = start(app, channel=Channel.ONLINE)
    assert app.attempt is not None
    fill(app.attempt.form, case.truth)
    app.submit_button.click()
    with Store.open(db) as store:
        kept, new = store.scored(app="intake", actor="张三")
    assert kept.submission.pack == "default@1.0.0" and kept.score.payload["total"] == 37.5
    assert new.submission.pack == "default@2.0.0" and new.score.payload["pack"] == "default@2.0.0"
    rows = app.history.value.split("<tr>")[2:]  # newest first, after the header row
    assert "2.0.0" in rows[0] and "1.0.0" in rows[1] and "37.5 / 100" in rows[1]
    assert t("practice.history.pack_note", "zh") in app.history.value


def test_the_lookup_fills_the_form(pack: Pack, generator: CaseGenerator, db: str) -> None:
    app = make_app(pack, generator, db)
    start(app, channel=Channel.LETTER)
    assert app.attempt is not None
    cadre = pack.cadres[0]
    app.attempt.form.set_accused(cadre)
    app.attempt.form.set_repeat_of("default-1-H00001")
    form = app.attempt.form
    assert (form.accused_name.value, form.accused_unit.value) == (cadre.name, cadre.unit)
    assert form.repeat.value and form.repeat_of.value == "default-1-H00001"


def test_the_page_builds_in_english_and_reports_a_broken_pack(
    pack: Pack, db: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, text_of: Callable[[Any], str]
) -> None:
    ctx = context_from_query("lang=en", secret=None, default="zh")
    page = intake_app(ctx, store_url=db)
    assert t("intake.start.next", "en") in text_of(page.widget)
    monkeypatch.setenv("XFKIT_PACK", str(tmp_path / "nowhere"))
    broken = intake_app(ctx, store_url=db)
    text = text_of(broken.widget)
    assert "nowhere" in text and "Traceback" not in text


def test_the_store_is_opened_at_its_first_use_not_while_the_page_is_built(
    pack: Pack, generator: CaseGenerator, tmp_path: Path
) -> None:
    file = tmp_path / "later.sqlite3"
    app = make_app(pack, generator, f"sqlite:///{file}")
    assert not file.exists(), "building the form touched the store"
    case = start(app, channel=Channel.LETTER, level=Level.EASY)
    assert app.attempt is not None
    fill(app.attempt.form, case.truth)
    app.submit_button.click()
    assert app.attempt.report is not None
    with Store.open(f"sqlite:///{file}") as store:
        assert [s.submission.item_id for s in store.scored(app="intake", actor="张三")] == [case.id]


def test_the_form_offers_the_limits_an_intake_officer_sets_and_no_training_limit(
    pack: Pack, generator: CaseGenerator, db: str
) -> None:
    """受理告知, 报送上级, 转送件受理或转办, 处置意见, 接收告知 and the two appeal decisions run from receipt
    under national rules; the 3-month 办结 is this pack's own setting, tracked in ledgers, never asked at
    intake."""
    app = make_app(pack, generator, db)
    start(app, channel=Channel.LETTER)
    assert app.attempt is not None
    offered = set(app.attempt.form.due_applies)
    assert offered == {
        "acceptance_notice",
        "report_up",
        "forwarded_disposition",
        "disposal_plan",
        "petition_acceptance_notice",
        "accountability_appeal_decision",
        "supervision_review_decision",
    }
    keyed = {code for case in generator.cases(11, 600) for code, _ in case.truth.due}
    assert keyed <= offered and "lead_close" not in keyed
