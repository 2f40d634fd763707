"""The fault-finding exercise (cross-review of case dossiers) for reviewers.

The reviewer gives a name and a level and gets a generated dossier with a fresh seed: one tab per
document. How many defects were planted is not shown (a hard dossier may be clean). The reviewer marks
faults (document, defect type from the pack's catalogue, a note), can change the marks until submitting,
then submits: the marks are stored first, then scored, and only then does the page show hits, misses and
false alarms with each defect's explanation and rule, and the answer key. The marking panel locks on the
server; later crafted messages are refused and logged.

Before submission the browser holds the public view of the dossier (neutral document ids, no seed, no
answer key), the catalogue's defect names and the reviewer's own marks.
"""

from __future__ import annotations

import html
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import ipywidgets as widgets  # type: ignore[import-untyped, unused-ignore]

from toolkit.domain.codes import Level
from toolkit.domain.dossier import Dossier
from toolkit.generate.cases import CaseGenerator
from toolkit.generate.pick import new_seed, pick_dossier
from toolkit.i18n import t
from toolkit.packs import Pack
from toolkit.scoring.findings import FindingsReport
from toolkit.ui.context import PageContext
from toolkit.ui.findings_view import findings_report_html
from toolkit.ui.frame import Page
from toolkit.ui.marking import MarkingPanel
from toolkit.ui.practice import (
    BEIJING,
    StartPanel,
    StoreOnUse,
    history_html,
    log_refusal,
    practice_page,
    store_then_score,
)
from toolkit.ui.work import FindingsWork

__all__ = ["APP", "FaultsApp", "faults_app"]

APP = "faults"


@dataclass(slots=True)
class Review:
    """One dossier being reviewed; ``locked`` once the marks are stored."""

    id: str
    reviewer: str
    started: datetime
    work: FindingsWork
    locked: bool = False
    report: FindingsReport | None = None

    @property
    def dossier(self) -> Dossier:
        return self.work.dossier

    @property
    def panel(self) -> MarkingPanel:
        return self.work.panel


class FaultsApp(StoreOnUse):
    """The fault-finding page's behaviour; :func:`faults_app` builds it inside a :class:`Page`."""

    def __init__(self, page: Page, pack: Pack, gen: CaseGenerator, *, store_url: str) -> None:
        self.page = page
        self.pack = pack
        self.gen = gen
        self.lang = page.lang
        self._store_url = store_url
        self.review: Review | None = None
        self.start_panel = StartPanel(
            page=page, intro_key="faults.start.intro", next_key="faults.start.next", on_start=self.start
        )
        self.work = widgets.VBox(children=())
        self.work.add_class("xf-work")
        self.submit_button = widgets.Button(description=t("faults.submit", self.lang), button_style="danger")
        self.submit_button.add_class("xf-primary")
        self.submit_button.on_click(page.messages.guard(lambda _b: self.submit()))
        self.report = widgets.HTML(value="")
        self.history = widgets.HTML(value="")
        self.history.add_class("xf-history")
        page.body.children = (self.start_panel.widget, self.work, self.report, self.history)

    def start(self, name: str, level: Level) -> None:
        """Begin reviewing a new dossier with a fresh seed at ``level``."""
        lang = self.lang
        dossier = pick_dossier(self.gen, new_seed(), level)
        work = FindingsWork(
            dossier=dossier,
            pack=self.pack,
            lang=lang,
            guard=self.page.messages.guard,
            on_refused=self._refused,
            header=self._header_html(dossier),
            submit=self.submit_button,
        )
        self.review = Review(id=uuid.uuid4().hex, reviewer=name, started=datetime.now(BEIJING), work=work)
        columns = work.widget
        self.work.children = (columns,)
        self.submit_button.disabled = False
        self.report.value = ""
        self.page.messages.info(t("faults.started", lang, name=name, count=work.documents))
        self._show_history()

    def submit(self) -> FindingsReport | None:
        """Store the marks, then score them and show the report; refused once the review is locked."""
        lang = self.lang
        review = self.review
        if review is None:
            self.page.messages.error(t("faults.no_dossier", lang))
            return None
        if review.locked:
            self._refused("resubmit-after-lock", {"dossier": review.dossier.id, "review": review.id})
            return None
        dossier = review.dossier
        findings = review.work.findings
        payload: dict[str, Any] = {
            "review": review.id,
            "dossier": dossier.id,
            "index": dossier.index,
            "level": dossier.level.value,
            "defects": len(dossier.answer_key),
            "started_at": review.started.isoformat(),
            "lang": lang,
            "findings": [f.to_dict() for f in findings],
        }
        review.report = store_then_score(
            self.store,
            app=APP,
            actor=review.reviewer,
            item_id=dossier.id,
            pack=dossier.pack,
            seed=dossier.seed,
            payload=payload,
            score=lambda: review.work.score(findings),
        )
        review.locked = True
        review.work.lock()
        self.submit_button.disabled = True
        self.report.value = f"<h2>{html.escape(t('faults.report.title', lang))}</h2>" + findings_report_html(
            review.report, dossier=dossier, pack=self.pack, lang=lang
        )
        self.page.messages.info(t("faults.stored", lang))
        self._show_history()
        return review.report

    def _header_html(self, dossier: Dossier) -> str:
        lang = self.lang
        facts = [
            (t("faults.dossier.id", lang), dossier.id),
            (t("faults.dossier.level", lang), dossier.level.label(lang)),
            (t("faults.dossier.documents", lang), str(len(dossier.documents))),
        ]
        items = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>" for k, v in facts)
        hint = html.escape(t("faults.dossier.hint", lang))
        return f'<dl class="xf-facts xf-case-facts">{items}</dl><p class="xf-hint">{hint}</p>'

    def _refused(self, kind: str, detail: dict[str, Any]) -> None:
        actor = self.review.reviewer if self.review is not None else "?"
        log_refusal(self.store, self.page, APP, kind, actor, detail)

    def _show_history(self) -> None:
        if self.review is None:
            return
        name = self.review.reviewer
        self.history.value = history_html(self.store.scored(app=APP, actor=name), name=name, lang=self.lang)


def faults_app(ctx: PageContext | None = None, *, store_url: str | None = None) -> Page:
    """Build the fault-finding page."""
    return practice_page(
        lambda page, pack, gen, url: FaultsApp(page, pack, gen, store_url=url),
        code="faults",
        ctx=ctx,
        store=store_url,
    )
