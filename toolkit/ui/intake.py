"""The intake simulator for newcomers.

The learner gives a name, picks a level (and, if they like, a channel) and gets a generated case with a
fresh seed. A written item shows as a letter, an online form or a forwarded slip; a visit or call is a
conversation in which the learner picks the officer's reply turn by turn. The duplicate check and the
roster lookup help fill the registration form. On submit the answer is stored first, then scored, and only
then is the score report shown; the form, the conversation and the lookup lock, on the server as well as on
the page.

What the browser holds before submission is the public view of the case, the conversation's option texts
and the learner's own entries: the answer key, the model reply of each turn and the rule texts stay in the
kernel (``tests/ui/test_intake_app.py`` scans every widget's state for them).
"""

from __future__ import annotations

import html
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import ipywidgets as widgets  # type: ignore[import-untyped, unused-ignore]

from toolkit.domain.codes import Channel, Level
from toolkit.domain.conversation import Conversation
from toolkit.domain.models import Case
from toolkit.generate.cases import CaseGenerator
from toolkit.generate.pick import new_seed, pick_case
from toolkit.i18n import t
from toolkit.packs import Pack
from toolkit.scoring.intake import ScoreReport
from toolkit.ui.context import PageContext
from toolkit.ui.conversation import ConversationPanel
from toolkit.ui.frame import Page
from toolkit.ui.lookup import LookupPanel
from toolkit.ui.practice import (
    BEIJING,
    StartPanel,
    StoreOnUse,
    channel_cell,
    history_html,
    learner_name,
    log_refusal,
    practice_page,
    store_then_score,
)
from toolkit.ui.registration import RegistrationForm
from toolkit.ui.score_view import report_html
from toolkit.ui.work import IntakeWork

__all__ = ["APP", "IntakeApp", "intake_app", "learner_name"]

APP = "intake"


@dataclass(slots=True)
class Attempt:
    """One case being worked on; ``locked`` once its answer is stored."""

    id: str
    learner: str
    started: datetime
    work: IntakeWork
    locked: bool = False
    report: ScoreReport | None = None
    refusals: list[str] = field(default_factory=list)

    @property
    def case(self) -> Case:
        return self.work.case

    @property
    def form(self) -> RegistrationForm:
        return self.work.form

    @property
    def lookup(self) -> LookupPanel:
        return self.work.lookup

    @property
    def conversation(self) -> Conversation | None:
        return self.work.conversation

    @property
    def panel(self) -> ConversationPanel | None:
        return self.work.panel


class IntakeApp(StoreOnUse):
    """The intake page's behaviour; :func:`intake_app` builds it inside a :class:`Page`."""

    def __init__(self, page: Page, pack: Pack, gen: CaseGenerator, *, store_url: str) -> None:
        self.page = page
        self.pack = pack
        self.gen = gen
        self.lang = page.lang
        self._store_url = store_url
        self.attempt: Attempt | None = None
        lang = self.lang
        guard = page.messages.guard

        self.channel = widgets.Dropdown(
            options=[(t("intake.start.any_channel", lang), ""), *((c.label(lang), c.value) for c in Channel)],
            value="",
            description=t("intake.start.channel", lang),
            style={"description_width": "6em"},
        )
        self.start_panel = StartPanel(
            page=page,
            intro_key="intake.start.intro",
            next_key="intake.start.next",
            on_start=self.start,
            extra=(self.channel,),
        )
        # the start panel's controls, by the names the tests and the rest of this class use
        self.name, self.level, self.next_button = (
            self.start_panel.name,
            self.start_panel.level,
            self.start_panel.next_button,
        )

        self.work = widgets.VBox(children=())
        self.work.add_class("xf-work")
        self.submit_button = widgets.Button(description=t("intake.submit", lang), button_style="danger")
        self.submit_button.add_class("xf-primary")
        self.submit_button.on_click(guard(lambda _b: self.submit()))
        self.report = widgets.HTML(value="")
        self.history = widgets.HTML(value="")
        self.history.add_class("xf-history")
        page.body.children = (self.start_panel.widget, self.work, self.report, self.history)

    # -- actions -----------------------------------------------------------------------------------
    def start(self, name: str, level: Level) -> None:
        """Begin a new attempt for ``name`` with a fresh seed at ``level`` and the chosen channel."""
        lang = self.lang
        channel = Channel.parse(self.channel.value) if self.channel.value else None
        seed = new_seed()
        case = pick_case(self.gen, seed, level, channel)
        work = IntakeWork(
            case=case,
            pack=self.pack,
            gen=self.gen,
            lang=lang,
            guard=self.page.messages.guard,
            on_refused=self._refused,
            on_finished=lambda: self.page.messages.info(t("intake.talk.finished", lang)),
            submit=self.submit_button,
        )
        attempt = Attempt(id=uuid.uuid4().hex, learner=name, started=datetime.now(BEIJING), work=work)
        columns = work.widget
        self.attempt = attempt
        self.submit_button.disabled = False
        self.report.value = ""
        self.work.children = (columns,)
        self.name.disabled = True
        self.page.messages.info(t("intake.started", lang, name=name))
        self._show_history()

    def submit(self) -> ScoreReport | None:
        """Store the answer, then score it and show the report; refused once the attempt is locked."""
        lang = self.lang
        attempt = self.attempt
        if attempt is None:
            self.page.messages.error(t("intake.no_case", lang))
            return None
        if attempt.locked:
            self._refused("resubmit-after-lock", {"case_id": attempt.case.id, "attempt": attempt.id})
            self.page.messages.error(t("intake.already_submitted", lang))
            return None
        if attempt.work.unfinished:
            self.page.messages.error(t("intake.talk.unfinished", lang))
            return None
        answer, problems = attempt.form.read()
        if answer is None:
            self.page.messages.error(
                t("intake.check.summary", lang, count=len(problems))
                + "\n"
                + "\n".join(f"· {p.message}" for p in problems)
            )
            return None
        case = attempt.case
        choices = attempt.work.choices
        payload: dict[str, Any] = {
            "attempt": attempt.id,
            "started_at": attempt.started.isoformat(),
            "lang": lang,
            **attempt.work.payload(answer),
        }
        attempt.report = store_then_score(
            self.store,
            app=APP,
            actor=attempt.learner,
            item_id=case.id,
            pack=case.pack,
            seed=case.seed,
            payload=payload,
            score=lambda: attempt.work.score(answer),
        )
        attempt.locked = True
        attempt.work.lock(
            lambda name: self._refused("change-after-submit", {"field": name, "case_id": case.id})
        )
        self.submit_button.disabled = True
        self.name.disabled = False
        self.report.value = f"<h2>{html.escape(t('intake.report.title', lang))}</h2>" + report_html(
            attempt.report,
            pack=self.pack,
            lang=lang,
            conversation=attempt.conversation,
            choices=choices or (),
        )
        self.page.messages.info(t("intake.stored", lang))
        self._show_history()
        return attempt.report

    # -- helpers -----------------------------------------------------------------------------------
    def _refused(self, kind: str, detail: dict[str, Any]) -> None:
        actor = self.attempt.learner if self.attempt is not None else learner_name(self.name.value) or "?"
        if self.attempt is not None:
            self.attempt.refusals.append(kind)
        log_refusal(self.store, self.page, APP, kind, actor, detail)

    def _show_history(self) -> None:
        name = self.attempt.learner if self.attempt is not None else learner_name(self.name.value)
        if not name:
            self.history.value = ""
            return
        lang = self.lang
        self.history.value = history_html(
            self.store.scored(app=APP, actor=name),
            name=name,
            lang=lang,
            extra=("practice.history.col.channel", lambda item: channel_cell(item, lang)),
        )


def intake_app(ctx: PageContext | None = None, *, store_url: str | None = None) -> Page:
    """Build the intake simulator page."""
    return practice_page(
        lambda page, pack, gen, url: IntakeApp(page, pack, gen, store_url=url),
        code="intake",
        ctx=ctx,
        store=store_url,
    )
