"""The pack's ``rules.yaml``: time limits, routing, escalation, the proportionality table, lead disposal
ways, supervision card schemes and extra calendar years. Read by :func:`build_rules`.

Every rule carries its source (down to the article where one was found, ``unverified`` where not) and its
basis: a national rule, a named office's local practice, or the pack's own training simplification. A rule
with ``enabled: false`` is kept in :attr:`Rules.disabled` and never applied.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from types import MappingProxyType
from typing import Any

from toolkit.domain.codes import (
    Basis,
    CardColor,
    Category,
    Channel,
    Clock,
    Disposal,
    Flag,
    Proposal,
    RouteAction,
    StartEvent,
    Step,
)
from toolkit.packs.model import LIAISON, EscalationRule, Jurisdiction, ProposalRule, RoutingRule, Rules
from toolkit.packs.yamlio import PathKey, YamlDoc
from toolkit.rules.calendar import YearSchedule
from toolkit.rules.cards import Band, CardScheme
from toolkit.rules.deadlines import Applies, DeadlineRule, Extension

Fail = Callable[[PathKey, str], None]

#: which deadline rule a ledger group may name: a code of an enabled rule
_LEDGER_GROUPS = ("by_action", "by_problem", "by_category", "milestones")


def _basis(raw: Mapping[str, Any]) -> Basis:
    return Basis(raw.get("basis", Basis.NATIONAL.value))


def _routing(data: Mapping[str, Any], juris: Jurisdiction, fail: Fail) -> dict[str, RoutingRule]:
    routing = {}
    for key, r in data["routing"].items():
        for field_name in ("unit", "copy_to"):
            value = r.get(field_name)
            if value is None or (field_name == "copy_to" and value == LIAISON):
                continue
            if not juris.has(value):
                fail(("routing", key, field_name), f"no unit {value!r} in jurisdiction.yaml")
        routing[key] = RoutingRule(
            RouteAction(r["action"]),
            r.get("unit"),
            r.get("copy_to"),
            frozenset(map(Channel, r.get("channels", ()))),
            r.get("source", ""),
            _basis(r),
            r.get("note", ""),
        )
    return routing


def _applies(a: Mapping[str, Any]) -> Applies:
    return Applies(
        category=frozenset(map(Category, a["category"])) if "category" in a else None,
        flags_all=frozenset(map(Flag, a.get("flags_all", ()))),
        flags_none=frozenset(map(Flag, a.get("flags_none", ()))),
        action=frozenset(map(RouteAction, a["action"])) if "action" in a else None,
        channel=frozenset(map(Channel, a["channel"])) if "channel" in a else None,
        problem=frozenset(a["problem"]) if "problem" in a else None,
    )


def _deadline(d: Mapping[str, Any]) -> DeadlineRule:
    ext = d.get("extension")
    return DeadlineRule(
        code=d["code"],
        name_zh=d["name"]["zh"],
        name_en=d["name"]["en"],
        clock=Clock(d["clock"]),
        amount=d["amount"],
        start=StartEvent(d["start"]),
        count_start_day=d["count_start_day"],
        roll_to_workday=d["roll_to_workday"],
        applies=_applies(d["applies"]),
        source=d["source"],
        extension=(
            Extension(Clock(ext["clock"]), ext["amount"], ext["needs"], bool(ext.get("tell", False)))
            if ext
            else None
        ),
        note=d.get("note", ""),
        basis=_basis(d),
        step=Step(d["step"]) if "step" in d else None,
    )


def _schemes(data: Mapping[str, Any], fail: Fail) -> list[CardScheme]:
    schemes = []
    for i, s in enumerate(data["card_schemes"]):
        bands = []
        colors: set[str] = set()
        for j, b in enumerate(s["bands"]):
            if b["color"] in colors:
                fail(("card_schemes", i, "bands", j, "color"), f"colour {b['color']!r} used twice")
            colors.add(b["color"])
            within = b.get("within", {})
            bands.append(
                Band(
                    CardColor(b["color"]),
                    bool(b.get("overdue")),
                    within.get("days"),
                    within.get("months"),
                    bool(b.get("otherwise")),
                )
            )
        schemes.append(
            CardScheme(
                s["code"], s["name"]["zh"], s["name"]["en"], s["source"], tuple(bands), s.get("note", "")
            )
        )
    return schemes


def _years(data: Mapping[str, Any], fail: Fail) -> list[YearSchedule]:
    years = []
    for i, y in enumerate(data.get("calendar_years", ())):
        try:
            years.append(
                YearSchedule(
                    y["year"],
                    frozenset(map(date.fromisoformat, y["holidays"])),
                    frozenset(map(date.fromisoformat, y["workdays"])),
                    y["source"],
                )
            )
        except ValueError as exc:
            fail(("calendar_years", i), f"not a real date: {exc}")
    return years


def _proposals(data: Mapping[str, Any]) -> tuple[ProposalRule, ...]:
    out = []
    for p in data.get("proposals", ()):
        when = p["when"]
        out.append(
            ProposalRule(
                Proposal(p["proposal"]),
                p["source"],
                _basis(p),
                p.get("note", ""),
                nothing_proved=when.get("proved") == "none",
                min_amount=when.get("min_amount"),
                all_proved=bool(when.get("all_proved")),
            )
        )
    return tuple(out)


def _escalation(data: Mapping[str, Any], problems: frozenset[str] | None, fail: Fail) -> list[EscalationRule]:
    out = []
    for i, e in enumerate(data.get("escalation", ())):
        if problems is not None:
            for j, code in enumerate(e["problems"]):
                if code not in problems:
                    fail(("escalation", i, "problems", j), f"no problem type {code!r} in problems.yaml")
        out.append(
            EscalationRule(
                e["code"],
                frozenset(e["problems"]),
                e["min_amount"],
                e["source"],
                _basis(e),
                e.get("note", ""),
            )
        )
    return out


def build_rules(doc: YamlDoc, juris: Jurisdiction, problems: frozenset[str] | None, fail: Fail) -> Rules:
    """The rules of ``doc`` (already schema-checked); cross-checks report through ``fail``.

    Checked beyond the schema: routing units exist (``copy_to: liaison`` means the office that liaises with
    the receiving department); deadline codes are unique; ledger groups name enabled rules; escalation names
    problem types of the pack (``problems``, when they could be read).
    """
    data = doc.data
    routing = _routing(data, juris, fail)
    deadlines: list[DeadlineRule] = []
    disabled: list[DeadlineRule] = []
    codes: set[str] = set()
    for i, d in enumerate(data["deadlines"]):
        if d["code"] in codes:
            fail(("deadlines", i, "code"), f"deadline {d['code']!r} is defined twice")
        codes.add(d["code"])
        if "problem" in d["applies"] and problems is not None:
            for j, code in enumerate(d["applies"]["problem"]):
                if code not in problems:
                    fail(
                        ("deadlines", i, "applies", "problem", j),
                        f"no problem type {code!r} in problems.yaml",
                    )
        (deadlines if d.get("enabled", True) else disabled).append(_deadline(d))
    enabled = {r.code for r in deadlines}
    ledger = data["ledger_deadlines"]
    for group in _LEDGER_GROUPS:
        for key, code in ledger.get(group, {}).items():
            if code not in enabled:
                what = "switched off" if code in codes else "not defined"
                fail(("ledger_deadlines", group, key), f"deadline {code!r} is {what}")
    return Rules(
        disposals=tuple(Disposal(d) for d in data["disposals"]),
        routing=MappingProxyType(routing),
        deadlines=tuple(deadlines),
        card_schemes=tuple(_schemes(data, fail)),
        calendar_years=tuple(_years(data, fail)),
        ledger_by_action=MappingProxyType(dict(ledger["by_action"])),
        ledger_by_category=MappingProxyType(dict(ledger["by_category"])),
        ledger_by_problem=MappingProxyType(dict(ledger.get("by_problem", {}))),
        milestones=MappingProxyType(dict(ledger.get("milestones", {}))),
        escalation=tuple(_escalation(data, problems, fail)),
        proposals=_proposals(data),
        disabled=tuple(disabled),
        disposals_source=data.get("disposals_source", ""),
    )
