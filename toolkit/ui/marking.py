"""The marking panel of the fault-finding exercise: choose a document and a defect type, add a note.

Marks can be added, removed, or taken back into the editor until the dossier is submitted. Every action
is checked on the server: the document must be one of this dossier's, the defect type one of the pack's
catalogue, and nothing changes once the panel is locked (a crafted message to a disabled button is
refused and reported through ``on_refused``).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import ipywidgets as widgets  # type: ignore[import-untyped, unused-ignore]

from toolkit.domain.codes import DefectDimension
from toolkit.domain.dossier import Finding
from toolkit.i18n import t

__all__ = ["MAX_MARKS", "NOTE_MAX", "MarkingPanel"]

NOTE_MAX = 200
MAX_MARKS = 40
Refused = Callable[[str, dict[str, Any]], None]


class MarkingPanel:
    """Marks on one dossier.

    Parameters
    ----------
    documents
        ``(id, label)`` of every document, in file order (labels as the tabs show them).
    defects
        ``(code, dimension, name)`` of every defect type in the catalogue.
    lang
        Page language.
    guard
        The page's ``MessageArea.guard``.
    on_refused
        Called with a short code and details when an action is refused.
    """

    def __init__(
        self,
        *,
        documents: Sequence[tuple[str, str]],
        defects: Sequence[tuple[str, DefectDimension, str]],
        lang: str,
        guard: Callable[..., Any],
        on_refused: Refused,
    ) -> None:
        self.lang = lang
        self.locked = False
        self.marks: list[Finding] = []
        self._doc_labels: Mapping[str, str] = dict(documents)
        self._defect_labels: Mapping[str, str] = {
            code: f"{dim.label(lang)} · {name}" for code, dim, name in defects
        }
        self._on_refused = on_refused
        wide = {"description_width": "6em"}
        self.document = widgets.Dropdown(
            options=[(t("faults.mark.choose", lang), ""), *((label, doc) for doc, label in documents)],
            value="",
            description=t("faults.mark.document", lang),
            style=wide,
            layout=widgets.Layout(width="100%", max_width="40em"),
        )
        self.defect = widgets.Dropdown(
            options=[
                (t("faults.mark.choose", lang), ""),
                *((label, code) for code, label in self._defect_labels.items()),
            ],
            value="",
            description=t("faults.mark.defect", lang),
            style=wide,
            layout=widgets.Layout(width="100%", max_width="40em"),
        )
        self.note = widgets.Textarea(
            description=t("faults.mark.note", lang),
            placeholder=t("faults.mark.note_hint", lang),
            style=wide,
            layout=widgets.Layout(width="100%", max_width="40em", height="5em"),
        )
        self.add_button = widgets.Button(description=t("faults.mark.add", lang), button_style="primary")
        self.add_button.on_click(guard(lambda _b: self.add()))
        self.listing = widgets.HTML(value="")
        self.chosen = widgets.Select(
            options=[], rows=5, layout=widgets.Layout(width="100%", max_width="40em")
        )
        self.remove_button = widgets.Button(description=t("faults.mark.remove", lang))
        self.remove_button.on_click(guard(lambda _b: self.remove()))
        self.edit_button = widgets.Button(description=t("faults.mark.edit", lang))
        self.edit_button.on_click(guard(lambda _b: self.edit()))
        self.problem = widgets.HTML(value="")
        heading = widgets.HTML(value=f"<h3>{html.escape(t('faults.mark.title', lang))}</h3>")
        self.widget = widgets.VBox(
            children=(
                heading,
                self.document,
                self.defect,
                self.note,
                self.add_button,
                self.problem,
                self.listing,
                self.chosen,
                widgets.HBox(children=(self.edit_button, self.remove_button)),
            )
        )
        self.widget.add_class("xf-marking")
        self._render()

    # -- actions -----------------------------------------------------------------------------------
    def add(self) -> bool:
        """Add the mark in the editor; ``False`` (with a message) when it is incomplete or not allowed."""
        lang = self.lang
        doc, defect = str(self.document.value or ""), str(self.defect.value or "")
        if self.locked:
            self._on_refused("mark-after-submit", {"document": doc[:20], "defect": defect[:40]})
            return False
        if doc not in self._doc_labels or defect not in self._defect_labels:
            if doc or defect:
                self._on_refused("mark-unknown", {"document": doc[:20], "defect": defect[:40]})
            self.problem.value = _problem(t("faults.mark.incomplete", lang))
            return False
        if len(self.marks) >= MAX_MARKS:
            self.problem.value = _problem(t("faults.mark.too_many", lang, max=MAX_MARKS))
            return False
        note = "".join(ch for ch in str(self.note.value or "") if ch.isprintable() or ch == "\n").strip()
        self.marks.append(Finding(doc, defect, note[:NOTE_MAX]))
        self.document.value, self.defect.value, self.note.value = "", "", ""
        self.problem.value = ""
        self._render()
        return True

    def remove(self) -> bool:
        """Remove the selected mark."""
        index = self._selected("mark-remove-after-submit")
        if index is None:
            return False
        del self.marks[index]
        self._render()
        return True

    def edit(self) -> bool:
        """Take the selected mark back into the editor (it leaves the list until added again)."""
        index = self._selected("mark-edit-after-submit")
        if index is None:
            return False
        mark = self.marks.pop(index)
        self.document.value, self.defect.value, self.note.value = mark.document, mark.defect, mark.note
        self._render()
        return True

    def lock(self) -> None:
        """Accept no more changes (after submission)."""
        self.locked = True
        for control in (
            self.document,
            self.defect,
            self.note,
            self.add_button,
            self.chosen,
            self.remove_button,
            self.edit_button,
        ):
            control.disabled = True

    # -- helpers -----------------------------------------------------------------------------------
    def _selected(self, refusal: str) -> int | None:
        if self.locked:
            self._on_refused(refusal, {"selected": str(self.chosen.value)[:10]})
            return None
        value = self.chosen.value
        if not isinstance(value, int) or not 0 <= value < len(self.marks):
            self.problem.value = _problem(t("faults.mark.select_first", self.lang))
            return None
        return value

    def _render(self) -> None:
        lang = self.lang
        if not self.marks:
            self.listing.value = f'<p class="xf-hint">{html.escape(t("faults.mark.none", lang))}</p>'
        else:
            rows = "".join(
                f"<tr><td>{n}</td><td>{html.escape(self._doc_labels[m.document])}</td>"
                f"<td>{html.escape(self._defect_labels[m.defect])}</td><td>{html.escape(m.note)}</td></tr>"
                for n, m in enumerate(self.marks, start=1)
            )
            head = "".join(
                f"<th>{html.escape(t(f'faults.mark.col.{c}', lang))}</th>"
                for c in ("n", "document", "defect", "note")
            )
            self.listing.value = (
                f'<table class="xf-table"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
            )
        self.chosen.options = [
            (f"{n}. {self._defect_labels[m.defect]}", n - 1) for n, m in enumerate(self.marks, start=1)
        ]
        self.chosen.value = None


def _problem(text: str) -> str:
    return f'<p class="xf-field-problems">{html.escape(text)}</p>'
