"""The registration form of the intake simulator: what the learner records, triages and routes.

The form reads into a :class:`~toolkit.domain.models.Truth`, the same shape as a case's answer key, so the
scorer compares like with like. Codes are chosen from dropdowns labelled in the page's language; the values
behind them are the pack's codes. :meth:`RegistrationForm.read` checks for missing and impossible values
and returns every problem with the field it belongs to; the problems also show under their section.

After submission :meth:`RegistrationForm.lock` disables every control and keeps the submitted values:
a value change arriving later (a crafted message can change a disabled widget) is reported through
``on_forged`` and undone, so the page keeps showing what was stored.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import ipywidgets as widgets  # type: ignore[import-untyped, unused-ignore]

from toolkit.domain.codes import Category, Disposal, Flag, ManagementLevel, RouteAction
from toolkit.domain.models import Cadre, RegisteredAccused, RegisteredReporter, Route, Truth
from toolkit.generate.cases import UNSPECIFIED
from toolkit.i18n import t
from toolkit.packs import Pack

__all__ = ["FieldProblem", "RegistrationForm"]

NAME_MAX = 40
TEXT_MAX = 60
PHONE = re.compile(r"^[0-9][0-9\- ]{5,18}[0-9]$")
REPEAT_ID = re.compile(r"^[A-Za-z0-9_\-]{1,60}$")
#: due dates later than this after receipt are impossible for any intake time limit
LATEST_DUE = timedelta(days=400)
WIDE = {"description_width": "9em"}


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """A missing or impossible value: the field's code and the message to show."""

    field: str
    message: str


def _options(
    pairs: Sequence[tuple[str, str]], lang: str, *, none_key: str = "intake.form.choose"
) -> list[Any]:
    return [(t(none_key, lang), ""), *pairs]


class RegistrationForm:
    """The form, bound to one case's receipt date.

    Parameters
    ----------
    pack
        The pack whose codes, units and time limits the form offers.
    lang
        Page language.
    received
        The day the item was received: due dates before it are impossible.
    """

    def __init__(self, *, pack: Pack, lang: str, received: date) -> None:
        self.pack = pack
        self.lang = lang
        self.received = received
        self.locked = False
        self._snapshot: dict[str, Any] = {}
        self._restoring = False
        self._on_forged: Callable[[str], None] | None = None
        j = pack.jurisdiction
        lg = lang

        def text(key: str, placeholder_key: str | None = None) -> widgets.Text:
            placeholder = t(placeholder_key, lg) if placeholder_key else ""
            return widgets.Text(description=t(key, lg), placeholder=placeholder, style=WIDE, layout=_wide())

        # reporter
        self.signature = widgets.RadioButtons(
            options=[
                (Flag.REAL_NAME.label(lg), Flag.REAL_NAME.value),
                (Flag.ANONYMOUS.label(lg), Flag.ANONYMOUS.value),
                (Flag.IMPERSONATION.label(lg), Flag.IMPERSONATION.value),
            ],
            value=None,
            description=t("intake.form.signature", lg),
            style=WIDE,
        )
        self.reporter_name = text("intake.form.reporter_name")
        self.reporter_phone = text("intake.form.reporter_phone", "intake.form.phone_hint")
        # accused
        self.no_accused = widgets.Checkbox(description=t("intake.form.no_accused", lg), indent=False)
        self.accused_name = text("intake.form.accused_name")
        self.accused_post = text("intake.form.accused_post")
        workplaces = sorted(j.workplace_kinds(), key=lambda code: (j.workplace_kinds()[code], code))
        self.accused_unit = widgets.Dropdown(
            options=_options([(j.name(c), c) for c in workplaces], lg),
            value="",
            description=t("intake.form.accused_unit", lg),
            style=WIDE,
            layout=_wide(),
        )
        self.accused_level = widgets.Dropdown(
            options=_options([(m.label(lg), m.value) for m in ManagementLevel], lg),
            value="",
            description=t("intake.form.accused_level", lg),
            style=WIDE,
            layout=_wide(),
        )
        # triage
        self.category = widgets.Dropdown(
            options=_options([(c.label(lg), c.value) for c in Category], lg),
            value="",
            description=t("intake.form.category", lg),
            style=WIDE,
            layout=_wide(),
        )
        problems = [(f"{Category(p.category).label(lg)} · {p.name}", p.code) for p in pack.problems]
        problems.append((t("intake.form.problem_unspecified", lg), UNSPECIFIED))
        self.problem_type = widgets.Dropdown(
            options=_options(problems, lg),
            value="",
            description=t("intake.form.problem_type", lg),
            style=WIDE,
            layout=_wide(),
        )
        self.repeat = widgets.Checkbox(description=Flag.REPEAT.label(lg), indent=False)
        self.repeat_of = text("intake.form.repeat_of", "intake.form.repeat_hint")
        self.no_substance = widgets.Checkbox(description=Flag.NO_SUBSTANCE.label(lg), indent=False)
        # routing
        route_units = [(f"{o.name}", o.code) for o in j.offices]
        route_units += [(town.commission.name, town.commission.code) for town in j.towns]
        route_units += [(j.superior.name, j.superior.code)]
        route_units += [(u.name, u.code) for u in j.units]
        self.route_action = widgets.Dropdown(
            options=_options([(a.label(lg), a.value) for a in RouteAction], lg),
            value="",
            description=t("intake.form.route_action", lg),
            style=WIDE,
            layout=_wide(),
        )
        self.route_unit = widgets.Dropdown(
            options=_options(route_units, lg),
            value="",
            description=t("intake.form.route_unit", lg),
            style=WIDE,
            layout=_wide(),
        )
        self.copy_to = widgets.Dropdown(
            options=_options(route_units, lg, none_key="intake.form.no_copy"),
            value="",
            description=t("intake.form.copy_to", lg),
            style=WIDE,
            layout=_wide(),
        )
        self.disposal = widgets.Dropdown(
            options=_options(
                [(d.label(lg), d.value) for d in pack.rules.disposals],
                lg,
                none_key="intake.form.not_applicable",
            ),
            value="",
            description=t("intake.form.disposal", lg),
            style=WIDE,
            layout=_wide(),
        )
        # time limits
        self.rules = pack.rules.intake_deadlines()  # exactly the limits the answer key can hold
        self.due_applies: dict[str, widgets.Checkbox] = {}
        self.due_dates: dict[str, widgets.DatePicker] = {}
        due_rows = []
        for rule in self.rules:
            name = rule.name_en if lg == "en" else rule.name_zh
            box = widgets.Checkbox(description=name, indent=False, layout=widgets.Layout(width="24em"))
            picker = widgets.DatePicker(description=t("intake.form.due_on", lg), value=None)
            self.due_applies[rule.code] = box
            self.due_dates[rule.code] = picker
            due_rows.append(widgets.HBox(children=(box, picker)))

        self._problems: dict[str, widgets.HTML] = {
            key: widgets.HTML(value="") for key in ("reporter", "accused", "triage", "route", "due")
        }
        self._sections = {
            "reporter": (self.signature, self.reporter_name, self.reporter_phone),
            "accused": (
                self.no_accused,
                self.accused_name,
                self.accused_post,
                self.accused_unit,
                self.accused_level,
            ),
            "triage": (self.category, self.problem_type, self.repeat, self.repeat_of, self.no_substance),
            "route": (self.route_action, self.route_unit, self.copy_to, self.disposal),
            "due": tuple(due_rows),
        }
        boxes = []
        for key, children in self._sections.items():
            heading = widgets.HTML(value=f"<h3>{html.escape(t(f'intake.form.section.{key}', lg))}</h3>")
            section = widgets.VBox(children=(heading, *children, self._problems[key]))
            section.add_class("xf-form-section")
            boxes.append(section)
        hint = widgets.HTML(value=f'<p class="xf-hint">{html.escape(t("intake.form.due_hint", lg))}</p>')
        boxes[-1].children = (boxes[-1].children[0], hint, *boxes[-1].children[1:])
        self.widget = widgets.VBox(children=tuple(boxes))
        self.widget.add_class("xf-form")

    # -- filling from the lookup panel ---------------------------------------------------------------
    def set_accused(self, cadre: Cadre) -> None:
        """Fill the accused's particulars from a roster entry."""
        if self.locked:
            return
        self.no_accused.value = False
        self.accused_name.value = cadre.name
        self.accused_post.value = cadre.post
        self.accused_unit.value = cadre.unit
        self.accused_level.value = cadre.level.value

    def set_repeat_of(self, item_id: str) -> None:
        """Mark the item as a repeat of ``item_id``."""
        if self.locked:
            return
        self.repeat.value = True
        self.repeat_of.value = item_id

    # -- reading -----------------------------------------------------------------------------------
    def controls(self) -> list[widgets.Widget]:
        """Every input control of the form."""
        return list(self._names().values())

    def values(self) -> dict[str, Any]:
        """The raw values of every control, keyed by a stable name (stored with the submission).

        Text is stored as :meth:`read` sees it (printable, cut to ``TEXT_MAX``): a crafted message can put
        any length and any character in a text field, and the store must not keep that.
        """
        names = self._names()
        out: dict[str, Any] = {}
        for name, control in names.items():
            value = control.value
            if isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, str):
                value = _clean(value, TEXT_MAX)
            out[name] = value
        return out

    def read(self) -> tuple[Truth | None, list[FieldProblem]]:
        """The answer, or ``None`` and every missing or impossible value found."""
        problems: list[FieldProblem] = []
        lg = self.lang

        def need(ok: bool, section: str, key: str, **fields: Any) -> bool:
            if not ok:
                problems.append(FieldProblem(section, t(key, lg, **fields)))
            return ok

        signature = self.signature.value
        need(bool(signature), "reporter", "intake.check.signature")
        name = _clean(self.reporter_name.value, NAME_MAX)
        phone = _clean(self.reporter_phone.value, TEXT_MAX)
        if signature in (Flag.REAL_NAME.value, Flag.IMPERSONATION.value):
            need(bool(name), "reporter", "intake.check.reporter_name")
        if phone:
            need(bool(PHONE.match(phone)), "reporter", "intake.check.phone", value=phone)
        if signature == Flag.ANONYMOUS.value and (name or phone):
            problems.append(FieldProblem("reporter", t("intake.check.anonymous_with_name", lg)))

        accused: tuple[RegisteredAccused, ...] = ()
        if not self.no_accused.value:
            a_name = _clean(self.accused_name.value, NAME_MAX)
            a_post = _clean(self.accused_post.value, TEXT_MAX)
            ok = need(bool(a_name), "accused", "intake.check.accused_name")
            ok &= need(bool(self.accused_unit.value), "accused", "intake.check.accused_unit")
            ok &= need(bool(self.accused_level.value), "accused", "intake.check.accused_level")
            if ok:
                accused = (
                    RegisteredAccused(
                        a_name, a_post, self.accused_unit.value, ManagementLevel(self.accused_level.value)
                    ),
                )

        need(bool(self.category.value), "triage", "intake.check.category")
        need(bool(self.problem_type.value), "triage", "intake.check.problem_type")
        repeat_of = _clean(self.repeat_of.value, TEXT_MAX) or None
        if self.repeat.value:
            if need(bool(repeat_of), "triage", "intake.check.repeat_of") and repeat_of:
                need(bool(REPEAT_ID.match(repeat_of)), "triage", "intake.check.repeat_id", value=repeat_of)
        elif repeat_of:
            problems.append(FieldProblem("triage", t("intake.check.repeat_unticked", lg)))

        need(bool(self.route_action.value), "route", "intake.check.route_action")
        need(bool(self.route_unit.value), "route", "intake.check.route_unit")
        if self.copy_to.value and self.copy_to.value == self.route_unit.value:
            problems.append(FieldProblem("route", t("intake.check.copy_same", lg)))

        due: list[tuple[str, date]] = []
        for rule in self.rules:
            if not self.due_applies[rule.code].value:
                continue
            name_ = rule.name_en if lg == "en" else rule.name_zh
            day = self.due_dates[rule.code].value
            if not need(isinstance(day, date), "due", "intake.check.due_missing", rule=name_):
                continue
            assert isinstance(day, date)
            if day < self.received:
                problems.append(
                    FieldProblem(
                        "due",
                        t("intake.check.due_before", lg, rule=name_, received=self.received.isoformat()),
                    )
                )
            elif day > self.received + LATEST_DUE:
                problems.append(FieldProblem("due", t("intake.check.due_far", lg, rule=name_)))
            else:
                due.append((rule.code, day))

        self._show(problems)
        if problems:
            return None, problems
        flags = [Flag(signature)]
        if self.repeat.value:
            flags.append(Flag.REPEAT)
        if self.no_substance.value:
            flags.append(Flag.NO_SUBSTANCE)
        answer = Truth(
            category=Category(self.category.value),
            flags=tuple(flags),
            problem_type=self.problem_type.value,
            route=Route(
                RouteAction(self.route_action.value), self.route_unit.value, self.copy_to.value or None
            ),
            disposal=Disposal(self.disposal.value) if self.disposal.value else None,
            due=tuple(due),
            repeat_of=repeat_of if self.repeat.value else None,
            reporter=RegisteredReporter(name or None, phone or None),
            accused=accused,
        )
        return answer, []

    def _show(self, problems: Sequence[FieldProblem]) -> None:
        for section, box in self._problems.items():
            mine = [p.message for p in problems if p.field == section]
            box.value = (
                '<ul class="xf-field-problems">'
                + "".join(f"<li>{html.escape(m)}</li>" for m in mine)
                + "</ul>"
                if mine
                else ""
            )

    # -- locking -----------------------------------------------------------------------------------
    def lock(self, on_forged: Callable[[str], None]) -> None:
        """Disable every control and keep today's values; later changes are reported and undone."""
        if self.locked:
            return
        self.locked = True
        self._on_forged = on_forged
        for name, control in self._names().items():
            control.disabled = True
            self._snapshot[name] = control.value
            control.observe(self._undo, names="value")

    def _undo(self, change: dict[str, Any]) -> None:
        if self._restoring:
            return
        owner = change["owner"]
        name = next((n for n, c in self._names().items() if c is owner), "?")
        self._restoring = True
        try:
            owner.value = self._snapshot.get(name, change["old"])
        finally:
            self._restoring = False
        if self._on_forged is not None:
            self._on_forged(name)

    def _names(self) -> dict[str, widgets.Widget]:
        names = {
            "signature": self.signature,
            "reporter_name": self.reporter_name,
            "reporter_phone": self.reporter_phone,
            "no_accused": self.no_accused,
            "accused_name": self.accused_name,
            "accused_post": self.accused_post,
            "accused_unit": self.accused_unit,
            "accused_level": self.accused_level,
            "category": self.category,
            "problem_type": self.problem_type,
            "repeat": self.repeat,
            "repeat_of": self.repeat_of,
            "no_substance": self.no_substance,
            "route_action": self.route_action,
            "route_unit": self.route_unit,
            "copy_to": self.copy_to,
            "disposal": self.disposal,
        }
        for code in self.due_applies:
            names[f"due.{code}.applies"] = self.due_applies[code]
            names[f"due.{code}.date"] = self.due_dates[code]
        return names


def _wide() -> widgets.Layout:
    """A control as wide as its column allows, up to a comfortable reading width."""
    return widgets.Layout(width="100%", max_width="36em")


def _clean(value: object, limit: int) -> str:
    """A text field's value: stripped, control characters removed, cut to ``limit`` characters."""
    text = "".join(ch for ch in str(value or "") if ch.isprintable())
    return text.strip()[:limit]
