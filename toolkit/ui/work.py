"""One item being worked on, as the practice apps and the competition show it.

:class:`IntakeWork` is a case to register (material or conversation, lookup, registration form);
:class:`FindingsWork` is a dossier to review (documents, marking panel). Each builds its widgets from the
item's public view only, reads what the person entered, and locks on the server once the answer is stored;
the app around it decides where the answer goes and when a score is shown.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets  # type: ignore[import-untyped, unused-ignore]

from toolkit.domain.codes import Channel
from toolkit.domain.conversation import Conversation
from toolkit.domain.dossier import Dossier, Finding
from toolkit.domain.models import Case, Truth
from toolkit.generate.cases import CaseGenerator
from toolkit.generate.conversation import build_conversation
from toolkit.i18n import t
from toolkit.packs import Pack
from toolkit.scoring.findings import FindingsReport, score_findings
from toolkit.scoring.intake import ScoreReport, score_intake
from toolkit.ui.conversation import ConversationPanel
from toolkit.ui.dossier_view import dossier_tabs
from toolkit.ui.lookup import LookupPanel
from toolkit.ui.marking import MarkingPanel
from toolkit.ui.material import case_header_html, material_view
from toolkit.ui.registration import RegistrationForm

__all__ = ["TALK", "FindingsWork", "IntakeWork", "answer_dict"]

TALK = (Channel.VISIT, Channel.PHONE)
Guard = Callable[..., Any]
Refused = Callable[[str, dict[str, Any]], None]


def answer_dict(answer: Truth) -> dict[str, Any]:
    """An intake answer as stored: the truth's shape without ``specificity``, which the form does not ask."""
    data = answer.to_dict()
    del data["specificity"]
    return data


def _columns(
    left: tuple[widgets.Widget, ...], right: tuple[widgets.Widget, ...], *, wide: bool
) -> widgets.Box:
    left_box = widgets.VBox(children=left)
    left_box.add_class("xf-col")
    if wide:
        left_box.add_class("xf-col-wide")
    right_box = widgets.VBox(children=right)
    right_box.add_class("xf-col")
    columns = widgets.Box(children=(left_box, right_box))
    columns.add_class("xf-columns")
    return columns


class IntakeWork:
    """A case to register: its material (or conversation), the lookup panel and the registration form.

    Parameters
    ----------
    case
        The case; only its public view reaches a widget.
    history
        The history ledger the duplicate check searches (``gen.history(case.seed)``).
    submit
        The app's submit button, placed under the form.
    """

    def __init__(
        self,
        *,
        case: Case,
        pack: Pack,
        gen: CaseGenerator,
        lang: str,
        guard: Guard,
        on_refused: Refused,
        on_finished: Callable[[], None],
        submit: widgets.Button,
    ) -> None:
        self.case = case
        self.pack = pack
        self.form = RegistrationForm(pack=pack, lang=lang, received=case.received_at.date())
        self.lookup = LookupPanel(
            pack=pack,
            history=gen.history(case.seed),
            lang=lang,
            guard=guard,
            on_use_repeat=self.form.set_repeat_of,
            on_use_accused=self.form.set_accused,
        )
        self.conversation: Conversation | None = None
        self.panel: ConversationPanel | None = None
        public = case.public_dict()
        if case.channel in TALK:
            self.conversation = build_conversation(gen, case)
            self.panel = ConversationPanel(
                conversation=self.conversation,
                lang=lang,
                guard=guard,
                on_refused=on_refused,
                on_finished=on_finished,
            )
            material: widgets.Widget = self.panel.widget
        else:
            material = material_view(public, lang)
        self.widget = _columns(
            (widgets.HTML(value=case_header_html(public, lang)), material, self.lookup.widget),
            (
                widgets.HTML(value=f"<h2>{html.escape(t('intake.form.title', lang))}</h2>"),
                self.form.widget,
                submit,
            ),
            wide=False,
        )

    @property
    def unfinished(self) -> bool:
        """A conversation is still going on."""
        return self.panel is not None and not self.panel.finished

    @property
    def choices(self) -> tuple[str, ...] | None:
        return tuple(self.panel.choices) if self.panel is not None else None

    def payload(self, answer: Truth) -> dict[str, Any]:
        """What is stored with the answer: the answer, the raw form, the replies chosen and the transcript."""
        choices = self.choices
        return {
            "case_id": self.case.id,
            "index": self.case.index,
            "level": self.case.level.value,
            "channel": self.case.channel.value,
            "answer": answer_dict(answer),
            "form": self.form.values(),
            "choices": list(choices) if choices is not None else None,
            "transcript": self.panel.transcript() if self.panel is not None else None,
        }

    def score(self, answer: Truth) -> ScoreReport:
        return score_intake(
            self.case, answer, self.pack, conversation=self.conversation, choices=self.choices
        )

    def lock(self, on_change: Callable[[str], None]) -> None:
        """Lock the form, the lookup and the conversation (server-side: later changes are refused)."""
        self.form.lock(on_change)
        self.lookup.set_disabled(True)
        if self.panel is not None:
            self.panel.lock()


class FindingsWork:
    """A dossier to review: its documents as tabs and the marking panel."""

    def __init__(
        self,
        *,
        dossier: Dossier,
        pack: Pack,
        lang: str,
        guard: Guard,
        on_refused: Refused,
        header: str,
        submit: widgets.Button,
    ) -> None:
        self.dossier = dossier
        self.pack = pack
        public = dossier.public_dict()
        tabs = dossier_tabs(public, lang)
        self.documents = len(public["documents"])
        documents = [(doc["id"], title) for doc, title in zip(public["documents"], tabs.titles, strict=True)]
        defects = [(d.code, d.dimension, d.name) for d in pack.defects.types.values()]
        self.panel = MarkingPanel(
            documents=documents, defects=defects, lang=lang, guard=guard, on_refused=on_refused
        )
        self.widget = _columns((widgets.HTML(value=header), tabs), (self.panel.widget, submit), wide=True)

    @property
    def findings(self) -> list[Finding]:
        return list(self.panel.marks)

    def score(self, findings: list[Finding]) -> FindingsReport:
        return score_findings(self.dossier, findings, self.pack)

    def lock(self) -> None:
        self.panel.lock()
