"""The rubric and a reviewer's deductions for one item: read the rubric, add and remove deductions.

The panel only collects what the reviewer asks for; the app checks every request on the server
(:func:`toolkit.audit.review.review_problems`) and saves it before the panel shows the new list, so what the
panel shows is always what is stored.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

import ipywidgets as widgets  # type: ignore[import-untyped, unused-ignore]

from toolkit.audit.model import Deduction
from toolkit.i18n import t
from toolkit.packs.defects import DefectCatalogue
from toolkit.packs.rubrics import AuditRubric
from toolkit.ui.cite import cited

__all__ = ["DeductionPanel", "rubric_html"]

#: the longest note a deduction may carry (the server checks it again)
NOTE_MAX = 500


def _points(value: float) -> str:
    return f"{value:g}"


def _points_label(value: float, lang: str) -> str:
    return t("audit.points", lang, n=_points(value))


def rubric_html(rubric: AuditRubric, lang: str) -> str:
    """The rubric as nested lists: each dimension with its points, each sub-item with what to check."""
    parts = []
    for dim in rubric.dimensions:
        subs = "".join(
            f"<li><b>{html.escape(s.label(lang))}</b> ({html.escape(_points_label(s.points, lang))})"
            f'<br><span class="xf-hint">{html.escape(s.rule.text)} '
            f"({html.escape(cited(s.rule.source, lang))})</span></li>"
            for s in dim.subitems
        )
        title = f"{html.escape(dim.label(lang))} ({html.escape(_points_label(dim.points, lang))})"
        parts.append(f"<details><summary>{title}</summary><ul>{subs}</ul></details>")
    return f'<div class="xf-rubric">{"".join(parts)}</div>'


class DeductionPanel:
    """Rubric, a form for one deduction, and the list of deductions recorded so far.

    Parameters
    ----------
    rubric, defects
        The pack's audit rubric and defect catalogue (defect types are offered per dimension).
    lang
        Page language.
    on_add
        Called with the deduction the reviewer asks to add.
    on_remove
        Called with the position of the deduction the reviewer asks to remove.
    """

    def __init__(
        self,
        *,
        rubric: AuditRubric,
        defects: DefectCatalogue,
        lang: str,
        on_add: Callable[[Deduction], None],
        on_remove: Callable[[int], None],
    ) -> None:
        self.rubric = rubric
        self.defects = defects
        self.lang = lang
        self._on_remove = on_remove
        wide = widgets.Layout(width="100%", max_width="46em")
        label_style = {"description_width": "6em"}
        self.subitem = widgets.Dropdown(
            options=[
                (f"{d.label(lang)} > {s.label(lang)} ({_points(s.points)})", s.code)
                for d in rubric.dimensions
                for s in d.subitems
            ],
            description=t("audit.deduct.subitem", lang),
            style=label_style,
            layout=wide,
        )
        self.points = widgets.BoundedFloatText(
            value=1.0,
            min=0.5,
            max=max(s.points for s in rubric.subitems),
            step=0.5,
            description=t("audit.deduct.points", lang),
            style=label_style,
            layout=widgets.Layout(width="14em"),
        )
        self.defect = widgets.Dropdown(
            description=t("audit.deduct.defect", lang), style=label_style, layout=wide
        )
        self.note = widgets.Textarea(
            placeholder=t("audit.deduct.note_hint", lang),
            description=t("audit.deduct.note", lang),
            style=label_style,
            layout=widgets.Layout(width="100%", max_width="46em", height="4.5em"),
        )
        self.add = widgets.Button(description=t("audit.deduct.add", lang), button_style="primary")
        self.add.on_click(lambda _b: on_add(self.requested()))
        self.subitem.observe(lambda _c: self._offer_defects(), names="value")
        self._offer_defects()
        self.listing = widgets.VBox()
        self.rubric = rubric
        form = widgets.VBox(children=(self.subitem, self.points, self.defect, self.note, self.add))
        form.add_class("xf-start")
        self.widget = widgets.VBox(
            children=(
                widgets.HTML(
                    value=f"<h3>{html.escape(t('audit.rubric', lang))}</h3>{rubric_html(rubric, lang)}"
                ),
                widgets.HTML(value=f"<h3>{html.escape(t('audit.deduct.title', lang))}</h3>"),
                form,
                widgets.HTML(value=f"<h3>{html.escape(t('audit.deduct.list', lang))}</h3>"),
                self.listing,
            )
        )
        self.widget.add_class("xf-deductions")
        self._locked = False

    def _offer_defects(self) -> None:
        code = self.subitem.value
        covers: tuple[str, ...] = self.rubric.dimension_of(code).defect_dimensions if code else ()
        self.defect.options = [
            (t("audit.deduct.no_defect", self.lang), ""),
            *((d.name, d.code) for d in self.defects.types.values() if str(d.dimension) in covers),
        ]
        self.defect.value = ""

    def requested(self) -> Deduction:
        """The deduction the form describes now (checked by the caller, not here)."""
        return Deduction(
            subitem=str(self.subitem.value or ""),
            points=float(self.points.value),
            note=str(self.note.value or "").strip(),
            defect=str(self.defect.value or ""),
        )

    def clear_form(self) -> None:
        self.note.value = ""
        self.points.value = 1.0

    def show(self, deductions: Sequence[Deduction]) -> None:
        """List ``deductions``, each with a remove button (hidden while locked)."""
        rows: list[widgets.Widget] = []
        if not deductions:
            rows.append(
                widgets.HTML(value=f'<p class="xf-hint">{html.escape(t("audit.deduct.none", self.lang))}</p>')
            )
        for n, d in enumerate(deductions):
            sub = self.rubric.subitem(d.subitem)
            defect = self.defects.types[d.defect].name if d.defect in self.defects.types else ""
            text = (
                f"<b>{html.escape(self.rubric.dimension_of(d.subitem).label(self.lang))} &gt; "
                f"{html.escape(sub.label(self.lang))}</b> "
                f"&minus;{html.escape(_points(d.points))} "
                + (f"<i>{html.escape(defect)}</i> " if defect else "")
                + html.escape(d.note)
            )
            remove = widgets.Button(
                description=t("audit.deduct.remove", self.lang), layout=widgets.Layout(width="6em")
            )
            remove.on_click(lambda _b, n=n: self._on_remove(n))
            remove.disabled = self._locked
            row = widgets.HBox(
                children=(widgets.HTML(value=text, layout=widgets.Layout(flex="1 1 auto")), remove)
            )
            row.add_class("xf-deduction")
            rows.append(row)
        self.listing.children = tuple(rows)

    def lock(self, locked: bool) -> None:
        """Disable editing (the server refuses edits anyway while it is locked)."""
        self._locked = locked
        for control in (self.subitem, self.points, self.defect, self.note, self.add):
            control.disabled = locked
        for row in self.listing.children:
            if isinstance(row, widgets.HBox):
                row.children[-1].disabled = locked
