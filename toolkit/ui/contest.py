"""The contestant's page of a practice competition.

A contestant joins with the competition's code and a display name and gets a 4-digit resume code; with the
code, the name and the resume code they come back as themselves (another browser, a reload, a restart).
The page shows the current round: its state and the time left by the server's clock, and the contestant's
items: intake cases, dossiers or quiz questions, each built on the server from its public view. Each item
is submitted once; the store refuses a late, early or second answer whatever the browser sends, and the
refusal is logged. Scores and keys appear only after the trainer releases the round.

Under a JupyterHub (``xfkit serve --hub``) the hub login is the identity: the page has no name or resume
code fields; opening it with the competition's code joins the contestant named by the login, or takes them
back to their own entry when they have joined before (:func:`toolkit.identity.hub_user`).
"""

from __future__ import annotations

import html
import time
from typing import Any

import ipywidgets as widgets  # type: ignore[import-untyped, unused-ignore]

from toolkit.competition.items import ItemRef
from toolkit.competition.model import CompetitionSpec
from toolkit.competitions import Snapshot, item_of, items_for, new_pin, snapshot, spec_of, submit_item
from toolkit.domain.dossier import Dossier
from toolkit.domain.models import Case
from toolkit.domain.quiz import Question
from toolkit.errors import AnswerInvalid, ContestRefused
from toolkit.generate.cases import CaseGenerator
from toolkit.i18n import t
from toolkit.identity import hub_user
from toolkit.packs import Pack
from toolkit.store import CompetitionRecord, Contestant, Store
from toolkit.ui.cite import cited
from toolkit.ui.context import PageContext
from toolkit.ui.frame import Page
from toolkit.ui.picker import Picker
from toolkit.ui.practice import NAME_MAX, learner_name, loaded_pack, log_refusal, practice_page
from toolkit.ui.quiz_panel import QuizPanel
from toolkit.ui.ticker import Ticker
from toolkit.ui.work import FindingsWork, IntakeWork

__all__ = ["ContestApp", "clock_text", "contest_app", "refused_text", "round_line"]

APP = "contest"
TICK_S = 1.0
#: how often the page reads the rounds' state from the store; between reads the countdown runs locally
READ_EVERY_S = 3.0


def clock_text(seconds: float) -> str:
    """``mm:ss`` (``h:mm:ss`` from an hour), never negative."""
    whole = max(0, int(seconds + 0.999))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def refused_text(exc: ContestRefused, lang: str) -> str:
    """What a contestant is told when the server refuses something."""
    return t(f"contest.refused.{exc.reason.replace('-', '_')}", lang)


def _answer_label(answer: str, lang: str) -> str:
    return t(f"quiz.{answer}", lang) if answer in ("true", "false") else answer


def round_line(spec: CompetitionSpec, snap: Snapshot, round_no: int, lang: str, since_s: float = 0.0) -> str:
    """The round's number, kind, status and time left, as one line in the page's language.

    ``since_s``: seconds since ``snap`` was read; a running round's time left counts down by that much.
    """
    state = snap.states[round_no - 1]
    kind = t(f"contest.kind.{spec.round(round_no).kind}", lang)
    status = t(f"contest.status.{state.status}", lang)
    parts = [t("contest.round_no", lang, n=round_no, total=len(spec.rounds)), kind, status]
    if state.status in ("running", "paused"):
        left = state.remaining_s - (since_s if state.status == "running" else 0.0)
        parts.append(t("contest.left", lang, time=clock_text(max(0.0, left))))
    return " · ".join(parts)


class ContestApp:
    """One contestant's page; built by :func:`contest_app` inside a :class:`Page`."""

    def __init__(self, page: Page, pack: Pack, gen: CaseGenerator, url: str) -> None:
        self.page = page
        self.lang = lang = page.lang
        self.store = Store.open(url)
        self.pack, self.gen = pack, gen
        self.record: CompetitionRecord | None = None
        self.spec: CompetitionSpec | None = None
        self.contestant: Contestant | None = None
        self.snap: Snapshot | None = None
        self.read_at = 0.0  # time.monotonic() of the last snapshot
        self.round_no = 0
        self.works: dict[str, Any] = {}
        self.submitted: set[str] = set()
        guard = page.messages.guard
        style = {"description_width": "7em"}
        self.code = widgets.Text(
            value=page.ctx.query.get("code", "").upper(), description=t("contest.code", lang), style=style
        )
        self.name = widgets.Text(
            placeholder=t("contest.name_hint", lang), description=t("contest.name", lang), style=style
        )
        self.pin = widgets.Text(
            placeholder=t("contest.pin_hint", lang), description=t("contest.pin", lang), style=style
        )
        self.join_button = widgets.Button(description=t("contest.join", lang), button_style="primary")
        self.resume_button = widgets.Button(description=t("contest.resume", lang))
        self.join_button.on_click(guard(lambda _b: self.join()))
        self.resume_button.on_click(guard(lambda _b: self.resume()))
        self.join_box = widgets.VBox(
            children=(
                widgets.HTML(value=f'<p class="xf-lead">{html.escape(t("contest.intro", lang))}</p>'),
                self.code,
                self.name,
                self.pin,
                widgets.HBox(children=(self.join_button, self.resume_button)),
            )
        )
        self.join_box.add_class("xf-start")
        self.hub_name = hub_user()
        if self.hub_name is not None:  # the hub login is the identity: no name, no resume code
            for hidden in (self.name, self.pin, self.resume_button):
                hidden.layout.display = "none"
            intro = t("contest.hub.intro", lang, name=self.hub_name)
            self.join_box.children = (
                widgets.HTML(value=f'<p class="xf-lead">{html.escape(intro)}</p>'),
                *self.join_box.children[1:],
            )
        self.heading = widgets.HTML()
        self.clock = widgets.HTML()
        self.clock.add_class("xf-clock")
        self._picker = Picker(
            on_pick=guard(self.open),
            description=t("contest.item", lang),
            style={"description_width": "5em"},
            layout=widgets.Layout(width="100%", max_width="36em"),
        )
        self.picker = self._picker.widget
        self.work = widgets.VBox()
        self.report = widgets.HTML()
        self.progress = widgets.HTML()
        self.results = widgets.HTML()
        self.buttons: dict[str, widgets.Button] = {}
        self._idle_button = widgets.Button(description=t("contest.submit", lang), disabled=True)
        self.play = widgets.VBox(
            children=(
                self.heading,
                self.clock,
                self.picker,
                self.progress,
                self.work,
                self.report,
                self.results,
            )
        )
        self.play.layout.display = "none"
        page.body.children = (self.join_box, self.play)
        self.ticker: Ticker | None = None
        if self.hub_name is not None and str(self.code.value).strip():
            guard(self.join)()

    # -- joining -----------------------------------------------------------------------------------

    def _competition(self) -> CompetitionRecord:
        record = self.store.competition_by_code(str(self.code.value).strip())
        if record is None:
            raise ContestRefused(
                "unknown", t("contest.no_such_code", self.lang, code=str(self.code.value).strip())
            )
        return record

    def _enter(self, record: CompetitionRecord, contestant: Contestant) -> None:
        self.record, self.spec, self.contestant = record, spec_of(record), contestant
        if record.pack != self.pack.name:
            self.pack, self.gen = loaded_pack(record.pack)
        self.join_box.layout.display = "none"
        self.play.layout.display = ""
        who = {"name": contestant.name, "number": contestant.number}
        if self.hub_name is not None:
            me = t("contest.hub.me", self.lang, **who)
        else:
            me = t("contest.me", self.lang, pin=contestant.pin, **who)
        self.heading.value = f"<h2>{html.escape(record.name)}</h2><p>{html.escape(me)}</p>"
        self.tick()
        self.ticker = Ticker(self.beat, TICK_S)

    def beat(self) -> None:
        """Every second: the countdown from the last reading, and a new reading every few seconds or when
        the time shown runs out. The store's clock decides what is late, not this one."""
        if self.snap is None or self.spec is None or not self.round_no:
            self.tick()
            return
        since = time.monotonic() - self.read_at
        state = self.snap.states[self.round_no - 1]
        if since >= READ_EVERY_S or (state.status == "running" and state.remaining_s - since <= 0):
            self.tick()
            return
        line = round_line(self.spec, self.snap, self.round_no, self.lang, since)
        self.clock.value = f'<p class="xf-clock-line">{html.escape(line)}</p>'

    def join(self) -> None:
        if self.hub_name is not None:
            self.join_as_hub_user(self.hub_name)
            return
        name = learner_name(self.name.value)
        if not name:
            self.page.messages.error(t("contest.name_needed", self.lang))
            return
        if len(name) > NAME_MAX:
            self.page.messages.error(t("practice.name_too_long", self.lang, max=NAME_MAX))
            return
        record = self._competition()
        try:
            contestant = self.store.join(record.id, name, new_pin())
        except ContestRefused as exc:
            log_refusal(self.store, self.page, APP, exc.reason, name, {"competition": record.id})
            self.page.messages.error(refused_text(exc, self.lang))
            return
        self._enter(record, contestant)
        self.page.messages.info(t("contest.joined", self.lang, pin=contestant.pin))

    def join_as_hub_user(self, login: str) -> None:
        """Join as the contestant named ``login``, or come back to that entry when it exists already."""
        name = learner_name(login)
        record = self._competition()
        contestant = self._named(record, name)
        resumed = contestant is not None
        if contestant is None:
            try:
                contestant = self.store.join(record.id, name, new_pin())
            except ContestRefused as exc:
                # another page of the same login joined a moment ago: that entry is this person's
                contestant = self._named(record, name) if exc.reason == "name-taken" else None
                if contestant is None:
                    self.page.messages.error(refused_text(exc, self.lang))
                    return
                resumed = True
        self._enter(record, contestant)
        self.page.messages.info(t("contest.hub.resumed" if resumed else "contest.hub.joined", self.lang))

    def _named(self, record: CompetitionRecord, name: str) -> Contestant | None:
        return next((c for c in self.store.contestants(record.id) if c.name == name), None)

    def resume(self) -> None:
        if self.hub_name is not None:
            self.join_as_hub_user(self.hub_name)
            return
        record = self._competition()
        try:
            contestant = self.store.resume(
                record.id, learner_name(self.name.value), str(self.pin.value).strip()
            )
        except ContestRefused as exc:
            self.store.log_event(
                f"{APP}.{exc.reason}", learner_name(self.name.value) or "?", {"competition": record.id}
            )
            self.page.messages.error(refused_text(exc, self.lang))
            return
        self._enter(record, contestant)
        self.page.messages.info(t("contest.resumed", self.lang))

    # -- the round ---------------------------------------------------------------------------------

    def tick(self) -> None:
        """Read the rounds' state from the store and bring the page up to date."""
        if self.record is None or self.spec is None or self.contestant is None:
            return
        snap = snapshot(self.store, self.record, self.spec)
        self.read_at = time.monotonic()
        previous = self.snap
        self.snap = snap
        round_no = snap.current()
        state = snap.states[round_no - 1]
        self.clock.value = (
            f'<p class="xf-clock-line">{html.escape(round_line(self.spec, snap, round_no, self.lang))}</p>'
        )
        changed = (
            previous is None
            or round_no != self.round_no
            or previous.states[round_no - 1].status != state.status
            or previous.states[round_no - 1].released != state.released
        )
        if not changed:
            return
        self.round_no = round_no
        if state.status == "pending":
            self._show_items(())
            self.results.value = f'<p class="xf-hint">{html.escape(t("contest.wait", self.lang))}</p>'
            return
        refs = items_for(self.spec, self.pack, round_no, self.contestant)
        self._load_submitted()
        self._show_items(refs)
        self.results.value = self._results_html(round_no) if state.released else ""

    def _load_submitted(self) -> None:
        assert self.record is not None and self.contestant is not None
        self.submitted = {
            str(s.submission.payload["key"])
            for s in self.store.contest_submissions(self.record.id, self.contestant.id)
        }

    def _refs(self) -> tuple[ItemRef, ...]:
        assert self.spec is not None and self.contestant is not None
        if not self.round_no:
            return ()
        return items_for(self.spec, self.pack, self.round_no, self.contestant)

    def _show_items(self, refs: tuple[ItemRef, ...]) -> None:
        """List the round's items in the picker and show one.

        The picker's options change only when the round does: changing a dropdown's options and its value
        in one go makes the browser echo the old choice back, and the page would flip between two items.
        Which items are submitted shows in the progress line instead.
        """
        options = [(f"{ref.position}. " + t(f"contest.kind.{ref.kind}", self.lang), ref.key) for ref in refs]
        keys = [v for _, v in options]
        current = self.picker.value if self.picker.value in keys else (keys[0] if keys else None)
        self._picker.set(options, current)
        self.picker.layout.display = "" if options else "none"
        self._show_progress(refs)
        if current is None:
            self.work.children = ()
        else:
            self.open(str(current))

    def _show_progress(self, refs: tuple[ItemRef, ...]) -> None:
        done = [ref.position for ref in refs if ref.key in self.submitted]
        text = t("contest.progress", self.lang, done=len(done), total=len(refs))
        if done:
            text += " · " + t("contest.done_items", self.lang, items=", ".join(str(n) for n in done))
        self.progress.value = f'<p class="xf-hint">{html.escape(text)}</p>' if refs else ""

    def _ref(self, key: str) -> ItemRef | None:
        return next((ref for ref in self._refs() if ref.key == key), None)

    def open(self, key: str) -> None:
        """Show item ``key`` of the current round (only the contestant's own items exist here)."""
        ref = self._ref(key)
        if ref is None:
            return
        work = self.works.get(key)
        if work is None:
            work = self.works[key] = self._build(ref)
        done = key in self.submitted
        self.report.value = self._report_html(ref) if done and self._released(ref.round) else ""
        self.buttons[key].disabled = done
        if done:
            work.lock(lambda _name: None) if isinstance(work, IntakeWork) else work.lock()
        self.work.children = (work.widget,)

    @property
    def submit_button(self) -> widgets.Button:
        """The submit button of the item shown (each item has its own)."""
        return self.buttons.get(str(self.picker.value or ""), self._idle_button)

    def _build(self, ref: ItemRef) -> Any:
        item = item_of(ref, self.gen)
        guard = self.page.messages.guard
        button = self.buttons[ref.key] = widgets.Button(
            description=t("contest.submit", self.lang), button_style="danger"
        )
        button.add_class("xf-primary")
        button.on_click(guard(lambda _b, key=ref.key: self.submit(key)))  # each button names its item
        if isinstance(item, Case):
            return IntakeWork(
                case=item,
                pack=self.pack,
                gen=self.gen,
                lang=self.lang,
                guard=guard,
                on_refused=self._refused,
                on_finished=lambda: None,
                submit=button,
            )
        if isinstance(item, Dossier):
            header = f'<p class="xf-hint">{html.escape(t("contest.dossier_hint", self.lang))}</p>'
            return FindingsWork(
                dossier=item,
                pack=self.pack,
                lang=self.lang,
                guard=guard,
                on_refused=self._refused,
                header=header,
                submit=button,
            )
        assert isinstance(item, Question)
        return QuizPanel(question=item.public_dict(), lang=self.lang, submit=button)

    def _refused(self, kind: str, detail: dict[str, Any]) -> None:
        actor = self.contestant.id if self.contestant is not None else "?"
        log_refusal(self.store, self.page, APP, kind, actor, detail)

    # -- submitting --------------------------------------------------------------------------------

    def submit(self, key: str | None = None) -> None:
        """Store the answer to ``key`` (default: the item shown), then its score; refused late or twice."""
        from toolkit.scoring.quiz import parse_response, score_question

        if self.record is None or self.spec is None or self.contestant is None:
            return
        key = str(self.picker.value or "") if key is None else key
        ref = self._ref(key)
        work = self.works.get(key)
        if ref is None or work is None:
            return
        if isinstance(work, IntakeWork):
            if work.unfinished:
                self.page.messages.error(t("intake.talk.unfinished", self.lang))
                return
            answer, problems = work.form.read()
            if answer is None:
                self.page.messages.error(
                    t("intake.check.summary", self.lang, count=len(problems))
                    + "\n"
                    + "\n".join(f"· {p.message}" for p in problems)
                )
                return
            payload: dict[str, Any] = work.payload(answer)
            score = lambda: work.score(answer).to_dict()  # noqa: E731
        elif isinstance(work, FindingsWork):
            findings = work.findings
            payload = {"dossier": work.dossier.id, "findings": [f.to_dict() for f in findings]}
            score = lambda: work.score(findings).to_dict()  # noqa: E731
        else:
            question = item_of(ref, self.gen)
            try:
                response = parse_response(question, work.response())
            except AnswerInvalid as exc:
                self.page.messages.error(str(exc))
                return
            payload = {"question": question.id, "stem": question.stem, "response": list(response)}
            points = self.pack.quiz.points
            score = lambda: score_question(question, response, points).to_dict()  # noqa: E731
        try:
            submit_item(self.store, self.record, self.spec, self.contestant, ref, payload, score)
        except ContestRefused as exc:
            self._refused(exc.reason, {"competition": self.record.id, "item": key})
            self.page.messages.error(refused_text(exc, self.lang))
            return
        self.submitted.add(key)
        self.buttons[key].disabled = True
        if isinstance(work, IntakeWork):
            work.lock(lambda name: self._refused("change-after-submit", {"item": key, "field": name}))
        else:
            work.lock()
        refs = self._refs()
        self._show_progress(refs)
        following = [r.key for r in refs if r.key not in self.submitted]
        if following:  # on to the next item not yet answered
            self.picker.value = following[0]
        self.page.messages.info(t("contest.stored", self.lang))

    # -- after the trainer releases a round ---------------------------------------------------------

    def _released(self, round_no: int) -> bool:
        return self.snap is not None and self.snap.states[round_no - 1].released

    def _report_html(self, ref: ItemRef) -> str:
        """The full report of a submitted item, rebuilt from the stored answer (only after release)."""
        from toolkit.generate.conversation import build_conversation
        from toolkit.scoring.findings import parse_findings, score_findings
        from toolkit.scoring.intake import parse_answer, score_intake
        from toolkit.ui.findings_view import findings_report_html
        from toolkit.ui.score_view import report_html

        assert self.record is not None and self.contestant is not None
        stored = next(
            (
                s.submission.payload
                for s in self.store.contest_submissions(self.record.id, self.contestant.id)
                if s.submission.payload.get("key") == ref.key
            ),
            None,
        )
        item = item_of(ref, self.gen)
        if stored is None or isinstance(item, Question):
            return ""
        if isinstance(item, Case):
            answer = parse_answer(stored["answer"], self.pack)
            conversation = build_conversation(self.gen, item) if stored.get("choices") is not None else None
            choices = tuple(stored.get("choices") or ())
            report = score_intake(item, answer, self.pack, conversation=conversation, choices=choices or None)
            body = report_html(
                report, pack=self.pack, lang=self.lang, conversation=conversation, choices=choices
            )
        else:
            findings = parse_findings(stored["findings"], item, self.pack)
            body = findings_report_html(
                score_findings(item, findings, self.pack), dossier=item, pack=self.pack, lang=self.lang
            )
        return f"<h3>{html.escape(t('contest.item_report', self.lang))}</h3>{body}"

    def _results_html(self, round_no: int) -> str:
        assert self.record is not None and self.contestant is not None
        lang = self.lang
        rows = []
        for scored in self.store.contest_submissions(self.record.id, self.contestant.id):
            sub, score = scored.submission.payload, scored.score.payload
            if int(sub["round"]) != round_no:
                continue
            got = score.get("total", score.get("points", 0))
            extra = ""
            if sub.get("kind") == "quiz":
                answer = ", ".join(_answer_label(a, lang) for a in score.get("answer", []))
                why, source = str(score.get("explanation", "")), str(score.get("source", ""))
                source = cited(source, lang, self.pack)
                extra = f"{html.escape(answer)} · {html.escape(why)} ({html.escape(source)})"
            rows.append(
                f"<tr><td>{html.escape(str(sub['key']))}</td>"
                f'<td class="xf-num">{got:g} / {score.get("max", 0):g}</td><td>{extra}</td></tr>'
            )
        cols = "".join(
            f"<th>{html.escape(t(f'contest.col.{c}', lang))}</th>" for c in ("item", "score", "key")
        )
        return (
            f"<h3>{html.escape(t('contest.released', lang))}</h3>"
            f'<table class="xf-table"><thead><tr>{cols}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
        )


def contest_app(ctx: PageContext | None = None, *, store: str | None = None) -> Page:
    """Build the contestant's page."""
    return practice_page(
        lambda page, pack, gen, url: ContestApp(page, pack, gen, url), code=APP, ctx=ctx, store=store
    )
