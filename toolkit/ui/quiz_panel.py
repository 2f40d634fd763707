"""One knowledge-test question as a contestant answers it: choices, true/false or a date.

Built from :meth:`~toolkit.domain.quiz.Question.public_dict` only: the key, its source and explanation never
reach a widget. Option values are letters (A, B ...); the server parses and scores what comes back.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from datetime import date
from typing import Any

import ipywidgets as widgets  # type: ignore[import-untyped, unused-ignore]

from toolkit.domain.quiz import LETTERS, QuestionKind
from toolkit.i18n import t

__all__ = ["QuizPanel"]


class QuizPanel:
    """The question, its kind, and the controls to answer it; :meth:`response` reads the answer."""

    def __init__(self, *, question: Mapping[str, Any], lang: str, submit: widgets.Button) -> None:
        self.kind = QuestionKind(question["kind"])
        self.lang = lang
        letters = [(f"{LETTERS[n]}. {text}", LETTERS[n]) for n, text in enumerate(question["options"])]
        self.choice: widgets.RadioButtons | None = None
        self.boxes: list[widgets.Checkbox] = []
        self.day: widgets.DatePicker | None = None
        layout = widgets.Layout(width="100%")
        if self.kind is QuestionKind.SINGLE:
            self.choice = widgets.RadioButtons(options=letters, value=None, layout=layout)
            controls: list[widgets.Widget] = [self.choice]
        elif self.kind is QuestionKind.TRUE_FALSE:
            self.choice = widgets.RadioButtons(
                options=[(t("quiz.true", lang), "true"), (t("quiz.false", lang), "false")], value=None
            )
            controls = [self.choice]
        elif self.kind is QuestionKind.MULTIPLE:
            self.boxes = [
                widgets.Checkbox(value=False, description=label, indent=False, layout=layout)
                for label, _ in letters
            ]
            self._letters = [letter for _, letter in letters]
            controls = list(self.boxes)
        else:
            self.day = widgets.DatePicker(description=t("quiz.date", lang), value=None)
            controls = [self.day]
        head = (
            f'<p class="xf-hint">{html.escape(self.kind.label(lang))}</p>'
            f'<p class="xf-lead">{html.escape(question["stem"])}</p>'
        )
        self.widget = widgets.VBox(children=(widgets.HTML(value=head), *controls, submit))
        self.widget.add_class("xf-quiz")

    def response(self) -> tuple[str, ...]:
        """The answer as given: letters, ``true``/``false`` or an ISO date; empty when nothing is chosen."""
        if self.choice is not None:
            return () if self.choice.value is None else (str(self.choice.value),)
        if self.boxes:
            return tuple(letter for box, letter in zip(self.boxes, self._letters, strict=True) if box.value)
        value = self.day.value if self.day is not None else None
        return (value.isoformat(),) if isinstance(value, date) else ()

    def lock(self) -> None:
        for control in (self.choice, self.day, *self.boxes):
            if control is not None:
                control.disabled = True
