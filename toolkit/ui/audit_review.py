"""The reviewer's page of a quality audit: only their assigned items, masked, scored by the rubric.

A reviewer opens the page with the personal link the organiser hands out
(``audit.ipynb?audit=<id>&r=<token>``). The kernel reads the link on the server and finds the reviewer by
the token; every action re-checks that the item is one of theirs. Each change (a deduction added or
removed, the item marked done or reopened) is checked, then stored as a new version of the review before
the page shows it, so a reload or a server restart loses nothing. An item marked done is read-only until
the reviewer reopens it; the server refuses edits to it whatever the browser sends.

Under a JupyterHub (``xfkit serve --hub``) the hub login is the identity: the link needs only the audit
(``audit.ipynb?audit=<id>``), the reviewer is the one whose name in the audit equals the login name (case
ignored, :func:`toolkit.identity.hub_reviewer`), and a token in the link is ignored.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta, timezone

import ipywidgets as widgets  # type: ignore[import-untyped, unused-ignore]

from toolkit.audit.model import Audit, Deduction, Review
from toolkit.audit.review import review_problems, score_review
from toolkit.generate.cases import CaseGenerator
from toolkit.i18n import t
from toolkit.identity import hub_reviewer, hub_user
from toolkit.packs import Pack
from toolkit.store import Store
from toolkit.ui.audit_item import item_widget
from toolkit.ui.context import PageContext
from toolkit.ui.deductions import DeductionPanel
from toolkit.ui.frame import Page
from toolkit.ui.picker import Picker
from toolkit.ui.practice import loaded_pack, log_refusal, practice_page

__all__ = ["AuditReviewApp", "audit_app"]

APP = "audit"
BEIJING = timezone(timedelta(hours=8))


class AuditReviewApp:
    """One reviewer's work on one audit; built by :func:`audit_app` inside a :class:`Page`."""

    def __init__(self, page: Page, pack: Pack, gen: CaseGenerator, url: str) -> None:
        self.page = page
        self.lang = lang = page.lang
        self.store = Store.open(url)
        query = page.ctx.query
        audit_id, token = query.get("audit", ""), query.get("r", "")
        login = hub_user()
        if login is not None:  # the hub login is the reviewer; the link's token plays no part
            token = login
        if not audit_id or not token:
            page.messages.info(t("audit.hub.need_link" if login else "audit.need_link", lang))
            return
        audit = self.store.audit(audit_id)
        if login is not None:
            names = [r.name for r in audit.reviewers] if audit is not None else []
            reviewer = hub_reviewer(login, names)
        else:
            reviewer = audit.reviewer_for(token) if audit is not None else None
        if audit is None or reviewer is None:
            self.store.log_event("audit.bad-link", login or "?", {"audit": audit_id})
            page.messages.error(t("audit.hub.not_reviewer" if login else "audit.bad_link", lang, login=login))
            return
        if audit.pack != pack.ref:
            pack, gen = loaded_pack(audit.pack.partition("@")[0])
        self.audit: Audit = audit
        self.reviewer: str = reviewer
        self.pack, self.gen = pack, gen
        self.rubric = pack.audit_rubric
        self.defect_codes = frozenset(pack.defects.types)
        self.assigned: tuple[str, ...] = audit.assignment.items_of(reviewer)
        self.reviews: dict[str, Review] = {r.item_id: r for r in self.store.reviews(audit.id, reviewer)}
        guard = page.messages.guard
        self.heading = widgets.HTML()
        self._picker = Picker(
            on_pick=guard(self.open),
            description=t("audit.pick", lang),
            style={"description_width": "5em"},
            layout=widgets.Layout(width="100%", max_width="46em"),
        )
        self.picker = self._picker.widget
        self.previous = widgets.Button(
            description=t("audit.previous", lang), layout=widgets.Layout(width="7em")
        )
        self.next = widgets.Button(description=t("audit.next", lang), layout=widgets.Layout(width="7em"))
        self.item_box = widgets.VBox()
        self.item_box.add_class("xf-section")
        self.status = widgets.HTML()
        self.done = widgets.Button(
            description=t("audit.done", lang), button_style="success", layout=widgets.Layout(width="auto")
        )
        self.panel = DeductionPanel(
            rubric=self.rubric,
            defects=pack.defects,
            lang=lang,
            on_add=guard(self.add),
            on_remove=guard(self.remove),
        )
        self.previous.on_click(guard(lambda _b: self.step(-1)))
        self.next.on_click(guard(lambda _b: self.step(1)))
        self.done.on_click(guard(lambda _b: self.toggle_done()))
        review_box = widgets.VBox(children=(self.status, self.panel.widget, self.done))
        review_box.add_class("xf-section")
        nav = widgets.HBox(children=(self.picker, self.previous, self.next))
        nav.add_class("xf-start")
        page.body.children = (self.heading, nav, self.item_box, review_box)
        if not self.assigned:
            page.messages.info(t("audit.nothing_assigned", lang))
            nav.layout.display = review_box.layout.display = "none"
            self._refresh_heading()
            return
        self._refresh_picker(self.assigned[0])
        self.open(self.assigned[0])

    # -- what the reviewer sees --------------------------------------------------------------------

    def _state(self, item_id: str) -> str:
        review = self.reviews.get(item_id)
        if review is None:
            return "todo"
        return "done" if review.done else "started"

    def _refresh_heading(self) -> None:
        done = [n for n, i in enumerate(self.assigned, start=1) if self._state(i) == "done"]
        heading = t("audit.heading", self.lang, name=self.audit.name, reviewer=self.reviewer)
        progress = t("audit.progress", self.lang, done=len(done), total=len(self.assigned))
        if done:
            progress += " · " + t("audit.done_items", self.lang, items=", ".join(str(n) for n in done))
        self.heading.value = f'<p class="xf-lead">{html.escape(heading)}<br>{html.escape(progress)}</p>'

    def _refresh_picker(self, value: str) -> None:
        """Select ``value``; the options are set once (changing a dropdown's options and value together
        makes the browser echo the old choice back), and each case's state shows in the heading."""
        options = [
            (f"{n}. {item_id} · {self.audit.item(item_id).unit_name}", item_id)
            for n, item_id in enumerate(self.assigned, start=1)
        ]
        self._picker.set(options, value)
        self._refresh_heading()

    def _show_review(self) -> None:
        review = self.current_review()
        self.panel.show(review.deductions)
        self.panel.lock(review.done)
        self.done.description = t("audit.reopen" if review.done else "audit.done", self.lang)
        self.done.button_style = "" if review.done else "success"
        score = score_review(review, self.rubric)
        grade = next(g for g in self.rubric.grades if g.code == score.grade).label(self.lang)
        if score.vetoed_by:
            subitems = t("audit.sep", self.lang).join(
                self.rubric.subitem(code).label(self.lang) for code in score.vetoed_by
            )
            grade = t("audit.grade_vetoed", self.lang, grade=grade, subitems=subitems)
        state = t(f"audit.state.{self._state(review.item_id)}", self.lang)
        line = t("audit.score", self.lang, total=f"{score.total:g}", grade=grade)
        self.status.value = f'<p class="xf-lead">{html.escape(line)} · {html.escape(state)}</p>'

    # -- actions (every one re-checked here) -------------------------------------------------------

    @property
    def item_id(self) -> str:
        return getattr(self, "_item_id", "")

    def current_review(self) -> Review:
        return self.reviews.get(self.item_id, Review(self.item_id, self.reviewer))

    def _refuse(self, kind: str, detail: dict[str, object]) -> None:
        log_refusal(
            self.store,
            self.page,
            APP,
            kind,
            self.reviewer,
            {"audit": self.audit.id, "item": self.item_id, **detail},
        )

    def open(self, item_id: str) -> None:
        """Show ``item_id`` if it is assigned to this reviewer."""
        if item_id not in self.assigned:
            self._refuse("not-assigned", {"asked": item_id})
            self._refresh_picker(self.item_id or self.assigned[0])
            return
        if item_id == self.item_id:
            return
        self._item_id = item_id
        self.item_box.children = (item_widget(self.audit.item(item_id), self.pack, self.gen, self.lang),)
        self.panel.clear_form()
        self._show_review()

    def step(self, delta: int) -> None:
        position = self.assigned.index(self.item_id) + delta
        if 0 <= position < len(self.assigned):
            self._refresh_picker(self.assigned[position])
            self.open(self.assigned[position])

    def save(self, review: Review) -> bool:
        """Check ``review`` and store it as the item's new version; False (with a message) when refused."""
        problems = review_problems(review, self.rubric, self.defect_codes)
        if problems:
            self.page.messages.error(t("audit.invalid", self.lang, problems="; ".join(problems)))
            return False
        rubric = self.rubric
        self.store.save_review(self.audit, review, lambda _s: score_review(review, rubric).to_dict())
        self.reviews[review.item_id] = review
        saved = datetime.now(UTC).astimezone(BEIJING).strftime("%H:%M:%S")
        self._refresh_picker(review.item_id)
        self._show_review()
        self.page.messages.info(t("audit.saved", self.lang, time=saved))
        return True

    def add(self, deduction: Deduction) -> None:
        review = self.current_review()
        if review.done:
            self._refuse("edit-after-done", {"action": "add"})
            return
        if not deduction.note:
            self.page.messages.error(t("audit.note_needed", self.lang))
            return
        if self.save(Review(review.item_id, self.reviewer, (*review.deductions, deduction), False)):
            self.panel.clear_form()

    def remove(self, position: int) -> None:
        review = self.current_review()
        if review.done:
            self._refuse("edit-after-done", {"action": "remove"})
            return
        if not 0 <= position < len(review.deductions):
            self._refuse("bad-position", {"position": position})
            return
        kept = review.deductions[:position] + review.deductions[position + 1 :]
        self.save(Review(review.item_id, self.reviewer, kept, False))

    def toggle_done(self) -> None:
        review = self.current_review()
        self.save(Review(review.item_id, self.reviewer, review.deductions, not review.done))


def audit_app(ctx: PageContext | None = None, *, store: str | None = None) -> Page:
    """Build the reviewer's page of a quality audit."""
    return practice_page(
        lambda page, pack, gen, url: AuditReviewApp(page, pack, gen, url), code=APP, ctx=ctx, store=store
    )
