"""Build each app's page headless, as a browser's request would, and drive it like a person.

Shared by the widget tests in ``tests/ui`` and the forged-message tests in ``tests/reliability``.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from tests.ui.conftest import fill, talk
from toolkit.audit.model import Audit
from toolkit.audit.setup import demo_reviewers, new_audit
from toolkit.competitions import item_of
from toolkit.domain.codes import Channel, Level
from toolkit.domain.dossier import Dossier
from toolkit.domain.models import Case
from toolkit.domain.quiz import Question
from toolkit.generate.cases import CaseGenerator
from toolkit.packs import Pack
from toolkit.store import Store
from toolkit.ui.audit_desk import AuditDesk
from toolkit.ui.audit_review import AuditReviewApp
from toolkit.ui.console import ConsoleApp
from toolkit.ui.contest import ContestApp
from toolkit.ui.context import context_from_query
from toolkit.ui.faults import FaultsApp
from toolkit.ui.frame import Page
from toolkit.ui.intake import IntakeApp
from toolkit.ui.quiz_panel import QuizPanel
from toolkit.ui.work import IntakeWork

CONSOLE_SECRET = "console-secret"
DESK_SECRET = "desk-secret"

# -- intake -----------------------------------------------------------------------------------------


def make_intake(pack: Pack, generator: CaseGenerator, db: str, lang: str = "zh") -> IntakeApp:
    ctx = context_from_query(f"lang={lang}", secret=None, default="zh")
    page = Page(ctx=ctx, title_key="app.intake.title", pack=pack)
    return IntakeApp(page, pack, generator, store_url=db)


def start_intake(
    app: IntakeApp, *, name: str = "张三", level: Level = Level.EASY, channel: Channel | None
) -> Case:
    app.name.value = name
    app.level.value = level.value
    app.channel.value = channel.value if channel else ""
    app.next_button.click()
    assert app.attempt is not None, app.page.messages.widget.value
    return app.attempt.case


# -- faults -----------------------------------------------------------------------------------------


def make_faults(pack: Pack, generator: CaseGenerator, db: str, lang: str = "zh") -> FaultsApp:
    ctx = context_from_query(f"lang={lang}", secret=None, default="zh")
    page = Page(ctx=ctx, title_key="app.faults.title", pack=pack)
    return FaultsApp(page, pack, generator, store_url=db)


def start_faults(app: FaultsApp, *, level: Level = Level.MEDIUM, name: str = "评查员甲") -> Dossier:
    app.start_panel.name.value = name
    app.start_panel.level.value = level.value
    app.start_panel.next_button.click()
    assert app.review is not None, app.page.messages.widget.value
    return app.review.dossier


def start_with_defects(app: FaultsApp, level: Level = Level.MEDIUM) -> Dossier:
    """A dossier with at least one planted defect (hard dossiers may be clean)."""
    for _ in range(20):
        dossier = start_faults(app, level=level)
        if dossier.answer_key:
            return dossier
    raise AssertionError("twenty dossiers in a row were clean")


def mark(app: FaultsApp, document: str, defect: str, note: str = "") -> bool:
    assert app.review is not None
    panel = app.review.panel
    panel.document.value, panel.defect.value, panel.note.value = document, defect, note
    before = len(panel.marks)
    panel.add_button.click()
    return len(panel.marks) == before + 1


# -- audit (reviewer page and organiser's desk) -----------------------------------------------------


def add_audit(pack: Pack, population: Any, db: str) -> Audit:
    """A small dossier audit with the pack's demo reviewers, stored in ``db``."""
    made = new_audit(
        name="test audit",
        pack=pack.ref,
        source="dossiers:24",
        population=population,
        reviewers=demo_reviewers(pack),
        seed=5,
        rate=0.5,
        k=2,
    )
    with Store.open(db) as store:
        store.add_audit(made)
    return made


def open_as(
    audit: Audit, reviewer: str, pack: Pack, generator: CaseGenerator, db: str, lang: str = "zh"
) -> AuditReviewApp:
    query = f"audit={audit.id}&r={audit.tokens[reviewer]}&lang={lang}"
    page = Page(
        ctx=context_from_query(query, secret=None, default="zh"), title_key="app.audit.title", pack=pack
    )
    return AuditReviewApp(page, pack, generator, db)


def busiest(audit: Audit) -> str:
    loads = audit.assignment.loads()
    return max(loads, key=lambda name: loads[name])


def deduct(app: AuditReviewApp, subitem: str, points: float, note: str = "说明") -> None:
    app.panel.subitem.value = subitem
    app.panel.points.value = points
    app.panel.note.value = note
    app.panel.add.click()


def make_desk(pack: Pack, generator: CaseGenerator, db: str, data_dir: Path, lang: str = "zh") -> AuditDesk:
    ctx = context_from_query(f"key={DESK_SECRET}&lang={lang}", secret=DESK_SECRET, default="zh")
    page = Page(ctx=ctx, title_key="app.audit_desk.title", pack=pack)
    return AuditDesk(page, pack, generator, db, data_dir=data_dir)


# -- competition (console and contestants) ----------------------------------------------------------


def console(pack: Pack, generator: CaseGenerator, db: str) -> ConsoleApp:
    ctx = context_from_query(f"key={CONSOLE_SECRET}", secret=CONSOLE_SECRET, default="zh")
    return ConsoleApp(Page(ctx=ctx, title_key="app.console.title", pack=pack), pack, generator, db)


def create(
    desk: ConsoleApp, *, intake: int = 1, quiz: int = 4, findings: int = 0, variants: bool = False
) -> str:
    for kind, count in (("intake", intake), ("findings", findings), ("quiz", quiz)):
        use, n, _m = desk.rows[kind]
        use.value = count > 0
        n.value = max(count, 1)
    desk.variants.value = variants
    desk.create_button.click()
    assert desk.record is not None, desk.page.messages.text
    return desk.record.code


def contestant(
    pack: Pack, generator: CaseGenerator, db: str, code: str, name: str, pin: str = ""
) -> ContestApp:
    page = Page(
        ctx=context_from_query(f"code={code}", secret=None, default="zh"),
        title_key="app.contest.title",
        pack=pack,
    )
    app = ContestApp(page, pack, generator, db)
    app.name.value = name
    if pin:
        app.pin.value = pin
        app.resume_button.click()
    else:
        app.join_button.click()
    return app


def act(desk: ConsoleApp, round_no: int, kind: str) -> None:
    desk.act(round_no, kind)
    assert desk.page.messages.kind != "error", desk.page.messages.text


def answer_intake(app: ContestApp, generator: CaseGenerator, *, right: bool = True) -> None:
    work = app.works[str(app.picker.value)]
    assert isinstance(work, IntakeWork)
    truth = work.case.truth
    fill(work.form, truth)
    if not right:
        work.form.category.value = next(
            v for _l, v in work.form.category.options if v and v != truth.category.value
        )
    if work.panel is not None and work.conversation is not None:
        talk(work.panel, work.conversation)
    app.submit_button.click()


def answer_quiz(app: ContestApp, *, right: bool) -> None:
    """Answer every quiz item of the current round, right or wrong."""
    assert app.record is not None
    for key in [v for _l, v in app.picker.options]:
        app.picker.value = key
        ref = app._ref(key)
        assert ref is not None
        question = item_of(ref, app.gen)
        assert isinstance(question, Question)
        panel = app.works[key]
        assert isinstance(panel, QuizPanel)
        set_answer(panel, question, right=right)
        app.submit_button.click()
        assert app.page.messages.kind == "info", app.page.messages.text


def set_answer(panel: QuizPanel, question: Question, *, right: bool) -> None:
    answer = question.answer
    if panel.choice is not None:
        values = [v for _l, v in panel.choice.options]
        panel.choice.value = answer[0] if right else next(v for v in values if v != answer[0])
    elif panel.boxes:
        wanted = set(answer) if right else set(panel._letters) - set(answer)
        for box, letter in zip(panel.boxes, panel._letters, strict=True):
            box.value = letter in wanted
    else:
        assert panel.day is not None
        day = date.fromisoformat(answer[0])
        panel.day.value = day if right else day + timedelta(days=1)
