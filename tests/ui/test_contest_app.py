"""A competition through its pages without a browser: the console creates and runs it, contestants join and
answer, the server refuses what comes too early, too late or twice, the board ranks and freezes."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.ui.conftest import widget_texts
from tests.ui.pages import CONSOLE_SECRET as SECRET
from tests.ui.pages import act, answer_intake, answer_quiz, console, contestant, create, set_answer
from toolkit.competitions import item_of
from toolkit.domain.models import Case
from toolkit.generate.cases import CaseGenerator
from toolkit.i18n import t
from toolkit.packs import Pack
from toolkit.store import Store
from toolkit.ui.board import BoardApp
from toolkit.ui.console import ConsoleApp, console_app
from toolkit.ui.contest import ContestApp
from toolkit.ui.context import context_from_query
from toolkit.ui.frame import Page


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'contest.sqlite3'}"


def test_contestants_join_with_unique_names_and_resume_with_their_code(
    pack: Pack, generator: CaseGenerator, db: str
) -> None:
    desk = console(pack, generator, db)
    code = create(desk)
    first = contestant(pack, generator, db, code, "选手甲")
    assert first.contestant is not None and first.contestant.number == 1
    again = contestant(pack, generator, db, code, "选手甲")
    assert again.contestant is None and again.page.messages.kind == "error"
    wrong = contestant(
        pack, generator, db, code, "选手甲", pin="0000" if first.contestant.pin != "0000" else "1111"
    )
    assert wrong.contestant is None
    back = contestant(pack, generator, db, code, "选手甲", pin=first.contestant.pin)
    assert back.contestant is not None and back.contestant.id == first.contestant.id
    nobody = contestant(pack, generator, db, "ZZZZZZ", "选手乙")
    assert nobody.contestant is None and "ZZZZZZ" in nobody.page.messages.text


def test_a_round_from_start_to_release_with_refusals_on_the_server(
    pack: Pack, generator: CaseGenerator, db: str, text_of: Callable[[Any], str]
) -> None:
    desk = console(pack, generator, db)
    code = create(desk, intake=1, quiz=0)
    a, b, c = (contestant(pack, generator, db, code, name) for name in ("甲", "乙", "丙"))
    # before the start: nothing to answer, and a forged submit is refused
    assert not a.picker.options
    a.submit_button.click()
    act(desk, 1, "start")
    for app in (a, b, c):
        app.tick()
    assert len(a.picker.options) == 1
    case = item_of(a._ref(str(a.picker.value)), generator)  # type: ignore[arg-type]
    assert isinstance(case, Case)
    answer_intake(a, generator, right=True)
    assert a.page.messages.kind == "info", a.page.messages.text
    answer_intake(b, generator, right=False)
    # a second, forged submission of the same item is refused and logged
    a.submit_button.disabled = False
    a.submit_button.click()
    assert a.page.messages.kind == "error"
    # the trainer ends the round: a late answer is refused
    act(desk, 1, "end")
    answer_intake(c, generator)
    assert c.page.messages.kind == "error"
    with Store.open(db) as store:
        kinds = [e.kind for e in store.events()]
        stored = store.contest_submissions(desk.record.id)  # type: ignore[union-attr]
    assert "contest.duplicate" in kinds and "contest.late" in kinds
    assert sorted(s.submission.actor.split("/")[1] for s in stored) == ["1", "2"]
    # no score is shown before the release
    a.tick()
    assert a.results.value == "" and a.report.value == ""
    act(desk, 1, "release")
    a.tick()
    assert "/" in text_of(a.results)
    # the full report with the model answer, rebuilt from the stored answer
    assert t("contest.item_report", "zh") in text_of(a.report)
    assert case.truth.category.label("zh") in text_of(a.report)
    desk.tick()
    live = text_of(desk.live)
    assert live.index("甲") < live.index("乙") < live.index("丙")


def test_quiz_keys_stay_on_the_server_until_release_and_the_board_freezes(
    pack: Pack, generator: CaseGenerator, db: str, text_of: Callable[[Any], str]
) -> None:
    desk = console(pack, generator, db)
    code = create(desk, intake=0, quiz=4)
    a, b = contestant(pack, generator, db, code, "甲"), contestant(pack, generator, db, code, "乙")
    act(desk, 1, "start")
    a.tick()
    b.tick()
    secrets = []
    for key in [v for _l, v in a.picker.options]:
        a.picker.value = key
        question = item_of(a._ref(key), generator)  # type: ignore[arg-type]
        secrets += [question.explanation, question.source]
    shown = "\n".join(widget_texts(a.page.widget))
    assert [s for s in secrets if s and s in shown] == []
    answer_quiz(a, right=False)
    board_page = Page(
        ctx=context_from_query(f"code={code}", secret=None, default="zh"),
        title_key="app.board.title",
        pack=pack,
    )
    board = BoardApp(board_page, pack, generator, db)
    act(desk, 0, "freeze")
    answer_quiz(b, right=True)
    board.tick()
    desk.tick()
    frozen, live = text_of(board.view), text_of(desk.live)
    assert frozen.index("甲") < frozen.index("乙"), "the board stopped before 乙 answered"
    assert live.index("乙") < live.index("甲"), "the console keeps the live order"
    act(desk, 0, "unfreeze")
    board.tick()
    assert text_of(board.view).index("乙") < text_of(board.view).index("甲")
    act(desk, 1, "end")
    desk.analysis_pick.value = 1
    desk.show_analysis()
    assert "%" in text_of(desk.analysis_out)
    desk.export()
    import base64
    import re

    data = re.search(r'base64,([^"]+)"', desk.export_link.value)
    assert data is not None
    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(data.group(1))))
    assert len(book.sheetnames) == 4
    ranking = [row for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert [r[1] for r in ranking] == ["乙", "甲"]


def test_a_restart_mid_round_keeps_answers_and_time(pack: Pack, generator: CaseGenerator, db: str) -> None:
    desk = console(pack, generator, db)
    code = create(desk, intake=0, quiz=4)
    a = contestant(pack, generator, db, code, "甲")
    assert a.contestant is not None
    pin = a.contestant.pin
    act(desk, 1, "start")
    a.tick()
    key = str(a.picker.value)
    question = item_of(a._ref(key), generator)  # type: ignore[arg-type]
    set_answer(a.works[key], question, right=True)
    a.submit_button.click()
    left_before = a.snap.states[0].remaining_s  # type: ignore[union-attr]
    # a new server: new kernels, the same database
    back = contestant(pack, generator, db, code, "甲", pin=pin)
    assert key in back.submitted
    assert back.snap is not None and 0 < back.snap.states[0].remaining_s <= left_before
    back.picker.value = key
    assert back.submit_button.disabled


def test_only_a_trainer_gets_the_console(pack: Pack, db: str) -> None:
    page = console_app(context_from_query("", secret=SECRET, default="zh"), store=db)
    assert page.messages.kind == "error"
    assert not page.body.children


def test_variants_give_each_contestant_their_own_items(pack: Pack, generator: CaseGenerator, db: str) -> None:
    desk = console(pack, generator, db)
    code = create(desk, intake=1, quiz=2, variants=True)
    a, b = contestant(pack, generator, db, code, "甲"), contestant(pack, generator, db, code, "乙")
    act(desk, 1, "start")
    a.tick()
    b.tick()
    case_a = item_of(a._ref(str(a.picker.value)), generator)  # type: ignore[arg-type]
    case_b = item_of(b._ref(str(b.picker.value)), generator)  # type: ignore[arg-type]
    assert case_a.id != case_b.id
    assert (case_a.level, case_a.truth.problem_type) == (case_b.level, case_b.truth.problem_type)


def test_a_findings_round_scores_the_marks_and_shows_the_key_after_release(
    pack: Pack, generator: CaseGenerator, db: str, text_of: Callable[[Any], str]
) -> None:
    from toolkit.domain.dossier import Dossier
    from toolkit.ui.work import FindingsWork

    desk = console(pack, generator, db)
    code = create(desk, intake=0, findings=1, quiz=0)
    a = contestant(pack, generator, db, code, "甲")
    act(desk, 1, "start")
    a.tick()
    work = a.works[str(a.picker.value)]
    assert isinstance(work, FindingsWork)
    dossier = work.dossier
    assert isinstance(dossier, Dossier) and dossier.answer_key
    notes = [p.note for p in dossier.answer_key if p.note]
    assert not [n for n in notes if n in "\n".join(widget_texts(a.page.widget))]
    a.submit_button.click()  # no marks: a miss of every planted defect
    assert a.page.messages.kind == "info", a.page.messages.text
    act(desk, 1, "end")
    act(desk, 1, "release")
    a.tick()
    assert t("contest.item_report", "zh") in text_of(a.report)
    with Store.open(db) as store:
        (scored,) = store.contest_submissions(desk.record.id)  # type: ignore[union-attr]
    assert scored.score.payload["total"] == 0


def test_the_console_and_the_contestants_page_read_in_english(
    pack: Pack, generator: CaseGenerator, db: str, text_of: Callable[[Any], str]
) -> None:
    ctx = context_from_query(f"key={SECRET}&lang=en", secret=SECRET, default="zh")
    desk = ConsoleApp(Page(ctx=ctx, title_key="app.console.title", pack=pack), pack, generator, db)
    code = create(desk)
    page = Page(
        ctx=context_from_query(f"code={code}&lang=en", secret=None, default="zh"),
        title_key="app.contest.title",
        pack=pack,
    )
    app = ContestApp(page, pack, generator, db)
    app.name.value = "Zhang"
    app.join_button.click()
    text = text_of(desk.page.widget) + text_of(app.page.widget)
    for key in ("console.action.start", "console.action.release", "contest.status.pending", "contest.wait"):
        assert t(key, "en") in text
        assert t(key, "zh") not in text


def test_the_countdown_runs_between_readings_of_the_store(
    pack: Pack, generator: CaseGenerator, db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import toolkit.ui.contest as contest

    desk = console(pack, generator, db)
    code = create(desk, intake=0, quiz=2)
    a = contestant(pack, generator, db, code, "甲")
    act(desk, 1, "start")
    a.tick()
    reads: list[float] = []
    real_snapshot = contest.snapshot
    monkeypatch.setattr(contest, "snapshot", lambda *args: reads.append(1) or real_snapshot(*args))
    clock = [a.read_at]
    monkeypatch.setattr(contest.time, "monotonic", lambda: clock[0])
    left = a.snap.states[0].remaining_s  # type: ignore[union-attr]

    def shown() -> str:
        return str(a.clock.value)

    clock[0] += 1.0
    a.beat()
    assert reads == [] and contest.clock_text(left - 1.0) in shown()
    clock[0] += 1.0
    a.beat()
    assert reads == [] and contest.clock_text(left - 2.0) in shown()
    clock[0] += 1.0
    a.beat()  # three seconds since the last reading: the store again
    assert reads == [1]
    act(desk, 1, "pause")
    clock[0] += contest.READ_EVERY_S
    a.beat()
    assert t("contest.status.paused", "zh") in shown() and len(reads) == 2
    frozen = shown()
    clock[0] += 1.0
    a.beat()
    assert shown() == frozen, "a paused round's time left does not count down"
