"""Where an item goes (分办), from the pack's routing table.

One place decides it, for the generator's answer key, the dossier writer and the checker that reads a
dossier back: :func:`accusation_route` from what is known of the person reported (management level, unit,
role) and of the matter (problem type, the amount reported), and :func:`route_for` for any item.

The order is the pack's (``rules.yaml`` → ``routing``): this commission's own head goes straight to the level
above; city-managed cadres are sent up; discipline-inspection cadres go to the cadre-supervision office;
county-managed cadres to the office that liaises with their town or supervises their unit; town and village
cadres are assigned down, unless the case is escalated (提级办理: a suspected crime the town commission cannot
investigate), when the liaison office handles it here. A repeat of a matter this level accepted is logged and
kept; a repeat of one that belongs above or below is sent on again as the original was.
"""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.domain.codes import CadreRole, Category, Channel, ManagementLevel, RouteAction
from toolkit.domain.models import Cadre, Route
from toolkit.errors import GenerationError, PackError
from toolkit.packs.model import LIAISON, EscalationRule, Pack, ProblemType, RoutingRule


@dataclass(frozen=True, slots=True)
class Routed:
    """A routing decision with the line of the routing table it follows (and the escalation rule, if any)."""

    route: Route
    key: str
    rule: RoutingRule
    escalation: EscalationRule | None = None


def _rule(pack: Pack, key: str, fallback: str) -> tuple[str, RoutingRule]:
    routing = pack.rules.routing
    if key in routing:
        return key, routing[key]
    return fallback, routing[fallback]


def liaison_office(pack: Pack, unit: str) -> str | None:
    """The office that liaises with a town (or its villages) or supervises a county unit, if any."""
    try:
        return pack.jurisdiction.supervising_office(unit)
    except PackError:
        return None


def accusation_route(
    pack: Pack,
    *,
    level: ManagementLevel,
    unit: str,
    role: CadreRole | None = None,
    problem: str = "",
    amount: int | None = None,
) -> Routed | None:
    """Where an accusation against a cadre of ``level`` at ``unit`` goes; None when the pack's
    jurisdiction cannot place it (a unit nobody supervises, a town-level unit outside any town)."""
    j, routing = pack.jurisdiction, pack.rules.routing
    if role is CadreRole.COMMISSION_HEAD:
        key, rule = _rule(pack, "commission_head", ManagementLevel.CITY.value)
    elif level is ManagementLevel.CITY:
        key, rule = _rule(pack, "city", "city")
    elif role is CadreRole.DISCIPLINE and level is ManagementLevel.COUNTY and "discipline" in routing:
        key, rule = "discipline", routing["discipline"]
    else:
        key, rule = level.value, routing[level.value]
    if key in ("town", "village") and "escalate" in routing:
        escalation = pack.rules.escalation_for(problem, amount)
        if escalation is not None:
            office = liaison_office(pack, unit)
            if office is None:
                return None
            rule = routing["escalate"]
            return Routed(Route(rule.action, rule.unit or office), "escalate", rule, escalation)
    if rule.unit:
        return Routed(Route(rule.action, rule.unit), key, rule)
    if rule.action is RouteAction.REPORT_UP:
        return Routed(Route(rule.action, j.superior.code), key, rule)
    if rule.action is RouteAction.ASSIGN:
        town = j.town_of(unit)
        return Routed(Route(rule.action, j.town(town).commission.code), key, rule) if town else None
    office = liaison_office(pack, unit)
    return Routed(Route(rule.action, office), key, rule) if office else None


def route_for(
    pack: Pack,
    problem: ProblemType,
    accused: Cadre | None,
    *,
    repeat: bool = False,
    no_substance: bool = False,
    amount: int | None = None,
    channel: Channel = Channel.LETTER,
) -> Routed:
    """Where an item goes, following management authority and the pack's routing table.

    ``amount`` is the sum the item reports (None when it names none); ``channel`` decides how an
    out-of-scope item is answered (a letter is passed on, a visitor or caller is told where to go).
    """
    routing = pack.rules.routing
    if no_substance:
        rule = routing["file"]
        unit = rule.unit or pack.jurisdiction.office_by_role("petitions").code
        return Routed(Route(RouteAction.FILE, unit), "file", rule)
    if problem.category is Category.OUT_OF_SCOPE:
        rule = routing["out_of_scope"]
        told = routing.get("out_of_scope_told")
        handler = problem.handler or ""
        if told is not None and rule.channels and channel not in rule.channels:
            return Routed(Route(told.action, handler), "out_of_scope_told", told)
        copy = liaison_office(pack, handler) if rule.copy_to == LIAISON else rule.copy_to
        return Routed(Route(RouteAction.TRANSFER, handler, copy), "out_of_scope", rule)
    if problem.category is not Category.ACCUSATION:
        key = problem.category.value
        rule = routing.get(key) or RoutingRule(RouteAction.SELF)
        return Routed(Route(RouteAction.SELF, problem.handler or ""), key, rule)
    if accused is None:
        raise GenerationError(f"an accusation of type {problem.code} needs an accused person")
    routed = accusation_route(
        pack, level=accused.level, unit=accused.unit, role=accused.role, problem=problem.code, amount=amount
    )
    if routed is None:
        raise GenerationError(f"{accused.name} ({accused.level.value}, {accused.unit}) cannot be routed")
    if repeat and routed.route.action is RouteAction.SELF:
        rule = routing["file"]
        unit = rule.unit or pack.jurisdiction.office_by_role("petitions").code
        return Routed(Route(RouteAction.FILE, unit), "file", rule)
    return routed
