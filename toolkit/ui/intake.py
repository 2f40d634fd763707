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
import logging
import os
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any

import ipywidgets as widgets  # type: ignore[import-untyped, unused-ignore]

from toolkit.domain.codes import Channel, Level
from toolkit.domain.conversation import Conversation
from toolkit.domain.models import Case, Truth
from toolkit.errors import StoreConfigError, XfkitError
from toolkit.generate.cases import CaseGenerator
from toolkit.generate.conversation import build_conversation
from toolkit.generate.pick import new_seed, pick_case
from toolkit.i18n import t
from toolkit.packs import Pack, load_pack
from toolkit.scoring.intake import ScoreReport, score_intake
from toolkit.ui.charts import line_chart_svg
from toolkit.ui.context import PageContext, page_context
from toolkit.ui.conversation import ConversationPanel
from toolkit.ui.frame import Page
from toolkit.ui.home import pack_setting
from toolkit.ui.lookup import LookupPanel
from toolkit.ui.material import case_header_html, material_view
from toolkit.ui.registration import RegistrationForm
from toolkit.ui.score_view import report_html

__all__ = ["APP", "IntakeApp", "intake_app", "learner_name"]

log = logging.getLogger("xfkit.ui")

APP = "intake"
NAME_MAX = 20
BEIJING = timezone(timedelta(hours=8))
TALK = (Channel.VISIT, Channel.PHONE)


@cache
def _loaded(pack_ref: str) -> tuple[Pack, CaseGenerator]:
    """The pack and its generator, once per kernel (loading validates the whole pack)."""
    pack = load_pack(pack_ref)
    return pack, CaseGenerator(pack)


def learner_name(raw: object) -> str:
    """A learner's name as stored: NFC, printable characters only, stripped; empty if nothing is left."""
    text = unicodedata.normalize("NFC", str(raw or ""))
    return "".join(ch for ch in text if ch.isprintable()).strip()


def _store_url() -> str:
    from toolkit.store import default_url

    return default_url(Path(os.environ.get("XFKIT_DATA", "data")))


@dataclass(slots=True)
class Attempt:
    """One case being worked on; ``locked`` once its answer is stored."""

    id: str
    case: Case
    learner: str
    started: datetime
    form: RegistrationForm
    lookup: LookupPanel
    conversation: Conversation | None = None
    panel: ConversationPanel | None = None
    locked: bool = False
    report: ScoreReport | None = None
    refusals: list[str] = field(default_factory=list)


class IntakeApp:
    """The intake page's behaviour; :func:`intake_app` builds it inside a :class:`Page`."""

    def __init__(self, page: Page, pack: Pack, gen: CaseGenerator, *, store_url: str) -> None:
        from toolkit.store import Store

        self.page = page
        self.pack = pack
        self.gen = gen
        self.lang = page.lang
        self.store = Store.open(store_url)
        self.attempt: Attempt | None = None
        lang = self.lang
        guard = page.messages.guard

        self.name = widgets.Text(
            description=t("intake.start.name", lang),
            placeholder=t("intake.start.name_hint", lang),
            style={"description_width": "6em"},
        )
        self.level = widgets.ToggleButtons(
            options=[(lv.label(lang), lv.value) for lv in Level],
            value=Level.EASY.value,
            description=t("intake.start.level", lang),
            style={"description_width": "6em"},
        )
        self.channel = widgets.Dropdown(
            options=[(t("intake.start.any_channel", lang), ""), *((c.label(lang), c.value) for c in Channel)],
            value="",
            description=t("intake.start.channel", lang),
            style={"description_width": "6em"},
        )
        self.next_button = widgets.Button(description=t("intake.start.next", lang), button_style="primary")
        self.next_button.add_class("xf-primary")
        self.next_button.on_click(guard(lambda _b: self.start()))
        start = widgets.VBox(
            children=(
                widgets.HTML(value=f"<p>{html.escape(t('intake.start.intro', lang))}</p>"),
                self.name,
                self.level,
                self.channel,
                self.next_button,
            )
        )
        start.add_class("xf-start")

        self.work = widgets.VBox(children=())
        self.work.add_class("xf-work")
        self.submit_button = widgets.Button(description=t("intake.submit", lang), button_style="danger")
        self.submit_button.add_class("xf-primary")
        self.submit_button.on_click(guard(lambda _b: self.submit()))
        self.report = widgets.HTML(value="")
        self.history = widgets.HTML(value="")
        self.history.add_class("xf-history")
        page.body.children = (start, self.work, self.report, self.history)

    # -- actions -----------------------------------------------------------------------------------
    def start(self) -> None:
        """Begin a new attempt with a fresh seed at the chosen level and channel."""
        lang = self.lang
        name = learner_name(self.name.value)
        if not name:
            self.page.messages.error(t("intake.start.need_name", lang))
            return
        if len(name) > NAME_MAX:
            self.page.messages.error(t("intake.start.name_too_long", lang, max=NAME_MAX))
            return
        level = Level.parse(self.level.value)
        channel = Channel.parse(self.channel.value) if self.channel.value else None
        seed = new_seed()
        case = pick_case(self.gen, seed, level, channel)
        form = RegistrationForm(pack=self.pack, lang=lang, received=case.received_at.date())
        lookup = LookupPanel(
            pack=self.pack,
            history=self.gen.history(seed),
            lang=lang,
            guard=self.page.messages.guard,
            on_use_repeat=form.set_repeat_of,
            on_use_accused=form.set_accused,
        )
        attempt = Attempt(
            id=uuid.uuid4().hex,
            case=case,
            learner=name,
            started=datetime.now(BEIJING),
            form=form,
            lookup=lookup,
        )
        public = case.public_dict()
        header = widgets.HTML(value=case_header_html(public, lang))
        if case.channel in TALK:
            attempt.conversation = build_conversation(self.gen, case)
            attempt.panel = ConversationPanel(
                conversation=attempt.conversation,
                lang=lang,
                guard=self.page.messages.guard,
                on_refused=self._refused,
                on_finished=lambda: self.page.messages.info(t("intake.talk.finished", lang)),
            )
            material: widgets.Widget = attempt.panel.widget
        else:
            material = material_view(public, lang)
        left = widgets.VBox(children=(header, material, lookup.widget))
        left.add_class("xf-col")
        right = widgets.VBox(
            children=(
                widgets.HTML(value=f"<h2>{html.escape(t('intake.form.title', lang))}</h2>"),
                form.widget,
                self.submit_button,
            )
        )
        right.add_class("xf-col")
        columns = widgets.Box(children=(left, right))
        columns.add_class("xf-columns")
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
        if attempt.panel is not None and not attempt.panel.finished:
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
        choices = tuple(attempt.panel.choices) if attempt.panel is not None else None
        payload: dict[str, Any] = {
            "attempt": attempt.id,
            "case_id": case.id,
            "index": case.index,
            "level": case.level.value,
            "channel": case.channel.value,
            "started_at": attempt.started.isoformat(),
            "lang": lang,
            "answer": _answer_dict(answer),
            "form": attempt.form.values(),
            "choices": list(choices) if choices is not None else None,
            "transcript": attempt.panel.transcript() if attempt.panel is not None else None,
        }
        holder: list[ScoreReport] = []

        def score(_submission: Any) -> dict[str, Any]:
            report = score_intake(case, answer, self.pack, conversation=attempt.conversation, choices=choices)
            holder.append(report)
            stored: dict[str, Any] = report.to_dict()
            return stored

        self.store.submit_and_score(
            app=APP,
            actor=attempt.learner,
            item_id=case.id,
            pack=case.pack,
            seed=case.seed,
            payload=payload,
            score_fn=score,
        )
        attempt.locked = True
        attempt.report = holder[0]
        attempt.form.lock(
            lambda name: self._refused("change-after-submit", {"field": name, "case_id": case.id})
        )
        attempt.lookup.set_disabled(True)
        if attempt.panel is not None:
            attempt.panel.lock()
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
        log.warning("refused %s from %s: %s", kind, actor, detail)
        try:
            self.store.log_event(f"intake.{kind}", actor, detail)
        except XfkitError:
            log.exception("could not log a refused action")
        self.page.messages.error(t("intake.refused", self.lang))

    def _show_history(self) -> None:
        lang = self.lang
        name = self.attempt.learner if self.attempt is not None else learner_name(self.name.value)
        if not name:
            self.history.value = ""
            return
        done = self.store.scored(app=APP, actor=name)
        heading = f"<h2>{html.escape(t('intake.history.title', lang, name=name))}</h2>"
        if not done:
            self.history.value = heading + f"<p>{html.escape(t('intake.history.none', lang))}</p>"
            return
        rows = []
        points = []
        for n, item in enumerate(done, start=1):
            sub, score = item.submission, item.score.payload
            total, top = float(score.get("total", 0)), float(score.get("max", 0)) or 1.0
            percent = 100 * total / top
            points.append((str(n), percent))
            when = sub.created_at.astimezone(BEIJING).strftime("%m-%d %H:%M")
            rows.append(
                f"<tr><td>{n}</td><td>{html.escape(when)}</td><td>{html.escape(sub.item_id)}</td>"
                f"<td>{html.escape(_label(Channel, sub.payload.get('channel'), lang))}</td>"
                f"<td>{html.escape(_label(Level, sub.payload.get('level'), lang))}</td>"
                f'<td class="xf-num">{total:g} / {top:g}</td><td class="xf-num">{percent:.0f}%</td></tr>'
            )
        cols = "".join(
            f"<th>{html.escape(t(f'intake.history.col.{c}', lang))}</th>"
            for c in ("n", "time", "case", "channel", "level", "score", "percent")
        )
        chart = line_chart_svg(
            points[-30:],
            max_value=100.0,
            title=t("intake.history.chart", lang),
            empty_text=t("intake.history.none", lang),
        )
        self.history.value = (
            heading
            + f'<div class="xf-chart">{chart}</div>'
            + f'<table class="xf-table"><thead><tr>{cols}</tr></thead>'
            + f"<tbody>{''.join(reversed(rows))}</tbody></table>"
        )


def _answer_dict(answer: Truth) -> dict[str, Any]:
    """The answer as stored: the truth's shape without ``specificity``, which the form does not ask."""
    data = answer.to_dict()
    del data["specificity"]
    return data


def _label(enum: Any, value: Any, lang: str) -> str:
    try:
        label: str = enum(value).label(lang)
    except ValueError:
        return str(value)
    return label


def intake_app(ctx: PageContext | None = None, *, store_url: str | None = None) -> Page:
    """Build the intake simulator page.

    The pack is loaded before the page context is read: in a preheated kernel that happens before any
    request arrives, so the learner does not wait for it.
    """
    loaded: tuple[Pack, CaseGenerator] | None = None
    failure: XfkitError | None = None
    try:
        loaded = _loaded(pack_setting())
    except XfkitError as exc:
        failure = exc
    ctx = page_context() if ctx is None else ctx
    page = Page(ctx=ctx, title_key="app.intake.title", subtitle=t("app.intake.summary", ctx.lang))
    if loaded is None:
        assert failure is not None
        page.messages.guard(_raise, clear=False)(failure)
        return page
    page.set_pack(loaded[0])
    url = store_url if store_url is not None else _store_url()
    try:
        IntakeApp(page, *loaded, store_url=url)
    except (XfkitError, StoreConfigError) as exc:
        page.messages.guard(_raise, clear=False)(exc)
    return page


def _raise(exc: BaseException) -> None:
    raise exc
