"""Planting defects in a correct dossier: one injector per defect type of the pack's catalogue.

An injector takes the :class:`~toolkit.generate.dossiers.DossierDraft` being built, the random source and
the level, and either plants exactly one defect of its type — changing the documents and recording the
document and location in the answer key with a short note of what is wrong in this instance — or returns
None, changing nothing, when its defect cannot be planted in this file (no 初核报告 for an item that was
assigned down, no reply to make late for an anonymous letter …).

Injectors register themselves with ``@register("code")`` into :data:`INJECTORS`. Those marked
``replans=True`` change the course of handling (the route, the disposal, how the reporter was treated) and
write the file again, so they run before any other defect is planted. Each injector checks that the
locations it changes are not *claimed* by a defect planted before it, so every planted defect stays in the
file as recorded.

``level`` sets how subtle a defect is: ``easy`` blatant (weeks late, a box left empty, another name),
``medium`` in between, ``hard`` subtle (one working day late, a near-identical unit name, a slash in a box).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import date

from toolkit.domain.codes import CadreRole, Category, Disposal, Level, Proposal, RouteAction, StartEvent
from toolkit.domain.dossier import PlantedDefect
from toolkit.domain.models import Route
from toolkit.errors import GenerationError
from toolkit.generate.dossiers import (
    APPROVAL_KEYS,
    CONCLUSIONS,
    DIRECT_REPLY,
    DossierDraft,
    Overrides,
    close_rule,
    conclusion_of,
    disposal_rule,
    notice_rule,
    referral_rule,
    reply_rule,
    result_text,
    verification_summary,
)
from toolkit.generate.draw import between, pick
from toolkit.generate.routing import accusation_route, liaison_office
from toolkit.rules.calendar import WorkCalendar
from toolkit.rules.deadlines import DeadlineRule

Injector = Callable[[DossierDraft, random.Random, Level], PlantedDefect | None]

#: every injector by defect code, filled by :func:`register`
INJECTORS: dict[str, Injector] = {}
#: the codes whose injectors change the course of handling and write the file again
REPLANS: set[str] = set()


def register(code: str, *, replans: bool = False) -> Callable[[Injector], Injector]:
    """Register the decorated function as the injector of defect ``code``."""

    def wrap(fn: Injector) -> Injector:
        if code in INJECTORS:
            raise ValueError(f"an injector for {code!r} is already registered")
        INJECTORS[code] = fn
        if replans:
            REPLANS.add(code)
        return fn

    return wrap


def plant_defects(ctx: DossierDraft, count: int, rng: random.Random) -> list[PlantedDefect]:
    """Plant ``count`` defects of distinct types, chosen with ``rng`` among those that apply.

    The pack's defect types that have an injector are shuffled; the first ``count`` are tried first
    (those that replan before the others), the rest in order as fallbacks until ``count`` are planted.

    Raises
    ------
    GenerationError
        When fewer than ``count`` types can be planted in this file.
    """
    codes = [c for c in ctx.pack.defects.codes() if c in INJECTORS]
    order = codes[:]
    for i in range(len(order) - 1, 0, -1):
        j = int(rng.random() * (i + 1))
        order[i], order[j] = order[j], order[i]
    head, tail = order[:count], order[count:]
    order = [c for c in head if c in REPLANS] + [c for c in head if c not in REPLANS] + tail
    planted: list[PlantedDefect] = []
    for code in order:
        if len(planted) == count:
            break
        result = INJECTORS[code](ctx, rng, ctx.level)
        if result is not None:
            planted.append(result)
    if len(planted) < count:
        raise GenerationError(
            f"case {ctx.index} of seed {ctx.seed} takes only {len(planted)} of the {count} defect(s) asked "
            f"for (of {len(codes)} types in the catalogue); ask for fewer or try another case"
        )
    return planted


# -- helpers -----------------------------------------------------------------------------------------


def _late(rng: random.Random, level: Level) -> int:
    """How many working days past a limit: weeks when easy, a few days at medium, one when hard."""
    if level is Level.EASY:
        return between(rng, 10, 19)
    if level is Level.MEDIUM:
        return between(rng, 2, 6)
    return 1


def _early(rng: random.Random, level: Level) -> int:
    """How many working days before the document it depends on."""
    if level is Level.EASY:
        return between(rng, 3, 8)
    if level is Level.MEDIUM:
        return 2
    return 1


def _limit(rule: DeadlineRule) -> str:
    unit = "个工作日" if rule.clock.value == "working_days" else rule.clock.zh
    return f"{rule.start.zh}起{rule.amount}{unit}内"


def _span(cal: WorkCalendar, start: date, end: date) -> str:
    """A hint when the days between include a public holiday or a 调休 working weekend."""
    day, holiday, makeup = start, False, False
    while day < end:
        day = WorkCalendar.add_calendar_days(day, 1)
        weekend = day.weekday() >= 5
        working = cal.is_workday(day)
        holiday |= not weekend and not working
        makeup |= weekend and working
    if holiday and makeup:
        return "(其间有节假日和调休上班日)"
    if holiday:
        return "(其间有节假日)"
    if makeup:
        return "(其间有调休上班日)"
    return ""


def _days_late(cal: WorkCalendar, due: date, day: date) -> int:
    return cal.working_days_between(due, day)


def _free_dates(ctx: DossierDraft, roles: Sequence[str]) -> bool:
    return not any(ctx.claimed(r, "field:date") for r in roles)


def _late_date(ctx: DossierDraft, role: str, due: date, rng: random.Random, level: Level) -> tuple[date, int]:
    new = ctx.cal.add_working_days(due, _late(rng, level))
    return new, ctx.cal.working_days_between(ctx.day_of(role), new)


def _title(ctx: DossierDraft, role: str) -> str:
    doc = ctx.doc(role)
    return doc.title if doc is not None else role


# -- facts --------------------------------------------------------------------------------------------


@register("item_unanswered")
def item_unanswered(ctx: DossierDraft, rng: random.Random, level: Level) -> PlantedDefect | None:
    role = "verification" if ctx.has("verification") else "inquiry" if ctx.has("inquiry") else None
    if role is None or ctx.claimed(role):
        return None
    doc = ctx.doc(role)
    items = ctx.field(role, "items")
    assert doc is not None and items is not None and items.data is not None
    numbers = items.data.split(",")
    if len(numbers) < 2:
        return None
    dropped = numbers[-1] if level is Level.HARD else pick(rng, numbers)
    kept = [n for n in numbers if n != dropped]
    if role == "verification":
        marker = f"关于反映的第{dropped}项问题"
        doc.paragraphs = [p for p in doc.paragraphs if marker not in p]
        numerals = "一二三四五六七八九十"
        k = 0
        for i, p in enumerate(doc.paragraphs):
            if "、关于反映的第" in p[:12]:
                doc.paragraphs[i] = numerals[k] + p[p.index("、") :]
                k += 1
    else:
        doc.paragraphs = [p for p in doc.paragraphs if not p.startswith(f"{dropped}. ")]
    items.value = "、".join(f"第{n}项" for n in kept)
    items.data = ",".join(kept)
    note = f"登记表列有{len(numbers)}项反映问题，{doc.title}没有对第{dropped}项作出核查和结论"
    return ctx.plant("item_unanswered", role, "field:items", note, ("registration",))


@register("conclusion_contradicts_findings")
def conclusion_contradicts_findings(
    ctx: DossierDraft, rng: random.Random, level: Level
) -> PlantedDefect | None:
    doc = ctx.doc("verification")
    if doc is None or ctx.claimed("verification"):
        return None
    plan = ctx.plan
    truth = conclusion_of(plan.items)
    if truth == "unsubstantiated":
        return None
    wrong = "partly" if level is Level.HARD and truth == "substantiated" else "unsubstantiated"
    box = doc.field("conclusion")
    assert box is not None
    box.value, box.data = CONCLUSIONS[wrong], wrong
    doc.paragraphs[-1] = verification_summary(plan, wrong, plan.proposal)
    ctx.claim("verification", "field:proposal")
    shows: tuple[str, ...] = ()
    found = "、".join(str(i.no) for i in plan.items if i.verdict != "unsubstantiated")
    note = (
        f"正文查明第{found}项问题属实或部分属实，综合结论却写成“{CONCLUSIONS[wrong]}”，"
        f"应为“{CONCLUSIONS[truth]}”"
    )
    return ctx.plant("conclusion_contradicts_findings", "verification", "field:conclusion", note, shows)


#: proposals from the lightest to the heaviest
_LADDER = (
    Proposal.CLOSE,
    Proposal.TALK_REMINDER,
    Proposal.CRITICISM,
    Proposal.ADMONITION,
    Proposal.FILE_CASE,
)


@register("disproportionate_proposal")
def disproportionate_proposal(ctx: DossierDraft, rng: random.Random, level: Level) -> PlantedDefect | None:
    plan = ctx.plan
    doc = ctx.doc("verification") or (ctx.doc("closing") if plan.route.action is RouteAction.ASSIGN else None)
    role = doc.role if doc is not None else ""
    if doc is None or plan.proposal is None or plan.proposal not in _LADDER:
        return None
    if (
        ctx.claimed(role, "field:proposal")
        or ctx.claimed(role, "field:result")
        or ctx.claimed(role, "field:conclusion")
    ):
        return None
    right = _LADDER.index(plan.proposal)
    if plan.proposal is Proposal.CLOSE:
        return None  # nothing proved: there is nothing to weigh
    if level is Level.HARD:
        wrong = _LADDER[right - 1] if right > 1 else _LADDER[right + 1]
    else:
        wrong = Proposal.TALK_REMINDER if right >= 3 else Proposal.FILE_CASE
    if wrong is plan.proposal:
        return None
    shows: list[str] = []
    if role == "verification":
        box = doc.field("proposal")
        assert box is not None
        box.value, box.data = wrong.zh, wrong.value
        doc.paragraphs[-1] = verification_summary(plan, plan.conclusion, wrong)
        result = ctx.field("closing", "result")
        if result is not None and not ctx.claimed("closing", "field:result"):
            result.value, result.data = result_text(plan, plan.conclusion, wrong), wrong.value
            ctx.claim("closing", "field:result")
            shows.append("closing")
        where = "field:proposal"
    else:
        box = doc.field("result")
        assert box is not None
        box.value, box.data = f"{CONCLUSIONS[plan.conclusion]}，{wrong.zh}", wrong.value
        for i, p in enumerate(doc.paragraphs):
            if p.startswith("综上"):
                doc.paragraphs[i] = verification_summary(plan, plan.conclusion, wrong).replace(
                    "妥否，请审示。", ""
                )
        where = "field:result"
    proved = f"查实金额{plan.proved_amount}元" if plan.amounts_named else "查实问题"
    note = f"{proved}，按规定应{plan.proposal.zh}，处理意见却是{wrong.zh}，与查实的问题不相称"
    return ctx.plant("disproportionate_proposal", role, where, note, tuple(shows))


# -- qualification -------------------------------------------------------------------------------------


@register("wrong_disposal", replans=True)
def wrong_disposal(ctx: DossierDraft, rng: random.Random, level: Level) -> PlantedDefect | None:
    plan = ctx.plan
    if (
        not ctx.pristine
        or not plan.accusation
        or plan.route.action is not RouteAction.SELF
        or plan.disposal is not Disposal.PRELIMINARY_VERIFICATION
        or plan.no_substance
    ):
        return None
    allowed = ctx.pack.rules.disposals
    preference = {
        Level.EASY: (Disposal.CLOSE, Disposal.HOLD, Disposal.TALK_INQUIRY),
        Level.MEDIUM: (Disposal.HOLD, Disposal.CLOSE, Disposal.TALK_INQUIRY),
        Level.HARD: (Disposal.TALK_INQUIRY, Disposal.HOLD, Disposal.CLOSE),
    }[level]
    wrong = next((d for d in preference if d in allowed), None)
    if wrong is None:
        return None
    ctx.replan(Overrides(disposal=wrong))
    shows = [r for r in ("instruction", "inquiry", "closing") if ctx.has(r)]
    note = f"反映的问题有具体的时间、地点、金额或证据线索，可查性强，应当初步核实，拟办意见却定为{wrong.zh}"
    return ctx.plant("wrong_disposal", "routing", "field:disposal", note, shows)


@register("wrong_problem_type")
def wrong_problem_type(ctx: DossierDraft, rng: random.Random, level: Level) -> PlantedDefect | None:
    plan = ctx.plan
    box = ctx.field("registration", "problem")
    if box is None or plan.no_substance or ctx.claimed("registration", "field:problem"):
        return None
    true = plan.problem
    escalating = {code for e in ctx.pack.rules.escalation for code in e.problems}
    if true.category is Category.APPEAL or true.code in escalating:
        return None  # another appeal kind has other limits; another type would change the route
    # a wrong type that changes nothing else the file shows (its disposal, its route)
    others = [
        p
        for p in ctx.pack.problems
        if p.category is true.category
        and p.code != true.code
        and p.code not in escalating
        and p.disposal == true.disposal
    ]
    if not others:
        return None
    scored = sorted(others, key=lambda p: (len(set(p.name) & set(true.name)), p.code))
    if level is Level.HARD:
        top = len(set(scored[-1].name) & set(true.name))
        chosen = pick(rng, [p for p in scored if len(set(p.name) & set(true.name)) == top])
    elif level is Level.EASY:
        low = len(set(scored[0].name) & set(true.name))
        chosen = pick(rng, [p for p in scored if len(set(p.name) & set(true.name)) == low])
    else:
        chosen = pick(rng, others)
    box.value, box.data = chosen.name, chosen.code
    note = f"反映的主要问题属于“{true.name}”，登记表却归类为“{chosen.name}”"
    return ctx.plant("wrong_problem_type", "registration", "field:problem", note)


@register("real_name_misflagged", replans=True)
def real_name_misflagged(ctx: DossierDraft, rng: random.Random, level: Level) -> PlantedDefect | None:
    plan = ctx.plan
    if not ctx.pristine or plan.mode != "real_name" or plan.person is None:
        return None
    ctx.replan(Overrides(mode="anonymous"))
    note = (
        f"举报人{plan.person.name}署了真实姓名并留有联系电话，属实名举报，登记表却登记为匿名，"
        "此后既未告知受理情况，也未反馈结果"
    )
    return ctx.plant("real_name_misflagged", "registration", "field:mode", note)


# -- procedure -------------------------------------------------------------------------------------------


@register("leader_approval_missing")
def leader_approval_missing(ctx: DossierDraft, rng: random.Random, level: Level) -> PlantedDefect | None:
    if not ctx.has("instruction") or ctx.claimed("instruction"):
        return None
    ctx.remove("instruction")
    note = "分办单提出拟办意见后，没有分管领导批示就转入办理"
    return ctx.plant("leader_approval_missing", "routing", "document", note)


@register("approval_unsigned")
def approval_unsigned(ctx: DossierDraft, rng: random.Random, level: Level) -> PlantedDefect | None:
    boxes = [
        (doc.role, key)
        for doc in ctx.docs
        for key in APPROVAL_KEYS
        if doc.field(key) is not None and not ctx.claimed(doc.role, f"field:{key}")
    ]
    if not boxes:
        return None
    prominent = {"instruction", "routing"}
    if level is Level.EASY:
        first = [b for b in boxes if b[0] == "instruction"] or boxes
    elif level is Level.HARD:
        first = [b for b in boxes if b[0] not in prominent] or boxes
    else:
        first = boxes
    role, key = pick(rng, first)
    box = ctx.field(role, key)
    assert box is not None
    box.blank()
    note = f"{_title(ctx, role)}的“{box.label}”一栏空白，看不出由谁审批"
    return ctx.plant("approval_unsigned", role, f"field:{key}", note)


@register("wrong_route", replans=True)
def wrong_route(ctx: DossierDraft, rng: random.Random, level: Level) -> PlantedDefect | None:
    plan = ctx.plan
    a = plan.accused
    if (
        not ctx.pristine
        or not plan.accusation
        or a is None
        or plan.repeat is not None
        or plan.no_substance
        or plan.route.action not in (RouteAction.SELF, RouteAction.ASSIGN, RouteAction.REPORT_UP)
    ):
        return None
    j = ctx.pack.jurisdiction
    expected = accusation_route(
        ctx.pack, level=a.level, unit=a.unit, role=a.role, problem=plan.problem.code, amount=plan.draft.amount
    )
    if expected is None:
        return None
    want = expected.route
    offices = [o.code for o in j.offices if o.role in ("supervision", "stationed") and o.code != want.unit]
    blatant: list[Route] = []
    subtle: list[Route] = []
    action = plan.route.action
    if action is RouteAction.REPORT_UP and offices:
        blatant.append(Route(RouteAction.SELF, liaison_office(ctx.pack, a.unit) or pick(rng, offices)))
    elif action is RouteAction.SELF:
        if a.town is not None:
            # a serious case assigned down to a town commission that cannot investigate it, or an ordinary
            # county-level case pushed down
            blatant.append(Route(RouteAction.ASSIGN, j.town(a.town).commission.code))
        if offices:
            subtle.append(Route(RouteAction.SELF, pick(rng, offices)))
    elif action is RouteAction.ASSIGN:
        office = liaison_office(ctx.pack, a.unit)
        if office is not None:
            subtle.append(Route(RouteAction.SELF, office))
    options = (subtle or blatant) if level is Level.HARD else (blatant or subtle)
    if not options:
        return None
    route = options[0]
    ctx.replan(Overrides(route=route))
    where = "field:action" if route.action is not want.action else "field:unit"
    shows = [r for r in ("referral",) if ctx.has(r)]
    why = f"({expected.escalation.note.split('；')[0]})" if expected.escalation is not None else ""
    note = (
        f"被反映人系{a.level.zh}，按管理权限应{want.action.zh}({j.name(want.unit)}){why}，"
        f"分办单却是{route.action.zh}({j.name(route.unit)})"
    )
    return ctx.plant("wrong_route", "routing", where, note, shows)


@register("copy_to_missing")
def copy_to_missing(ctx: DossierDraft, rng: random.Random, level: Level) -> PlantedDefect | None:
    plan = ctx.plan
    box = ctx.field("referral", "copy_to")
    if (
        plan.route.action is not RouteAction.TRANSFER
        or box is None
        or ctx.claimed("referral", "field:copy_to")
    ):
        return None
    expected = plan.route.copy_to
    if not expected:
        return None
    j = ctx.pack.jurisdiction
    slip = ctx.field("routing", "copy_to")
    slip_free = slip is not None and not ctx.claimed("routing", "field:copy_to")
    target = j.name(expected)
    if level is Level.EASY:
        for b in (box, slip if slip_free else None):
            if b is not None:
                b.blank()
        note = f"业务范围外事项转送{j.name(plan.route.unit)}，却没有抄送联系该部门的{target}"
    else:
        if level is Level.MEDIUM:
            # the old habit: copying the 信访局 instead of the office that follows the department
            wrong_codes = [u.code for u in j.units if "信访" in u.name and u.code != plan.route.unit]
        else:
            wrong_codes = [
                o.code for o in j.offices if o.role in ("supervision", "stationed") and o.code != expected
            ]
        if not wrong_codes:
            return None
        wrong = pick(rng, wrong_codes)
        for b in (box, slip if slip_free else None):
            if b is not None:
                b.value, b.data = j.name(wrong), wrong
        note = (
            f"转送{j.name(plan.route.unit)}的事项应抄送联系该部门的{target}跟踪督办，"
            f"却抄送给了{j.name(wrong)}"
        )
    if slip_free:
        ctx.claim("routing", "field:copy_to")
    return ctx.plant("copy_to_missing", "referral", "field:copy_to", note, ("routing",) if slip_free else ())


@register("out_of_scope_not_transferred", replans=True)
def out_of_scope_not_transferred(ctx: DossierDraft, rng: random.Random, level: Level) -> PlantedDefect | None:
    plan = ctx.plan
    if (
        not ctx.pristine
        or plan.category is not Category.OUT_OF_SCOPE
        or plan.route.action not in (RouteAction.TRANSFER, RouteAction.ADVISE)
    ):
        return None
    competent = ctx.pack.jurisdiction.name(plan.route.unit)
    petitions = ctx.pack.jurisdiction.office_by_role("petitions").code
    should = (
        f"应当转{competent}处理"
        if plan.route.action is RouteAction.TRANSFER
        else f"应当告知其向{competent}反映"
    )
    ctx.replan(Overrides(route=Route(RouteAction.FILE, petitions)))
    note = f"该件不属于纪检监察机关受理范围，{should}，却只登记留存、一放了之"
    return ctx.plant("out_of_scope_not_transferred", "routing", "field:action", note)


@register("repeat_not_linked")
def repeat_not_linked(ctx: DossierDraft, rng: random.Random, level: Level) -> PlantedDefect | None:
    dedupe = ctx.field("registration", "dedupe")
    box = ctx.field("registration", "repeat_of")
    if dedupe is None or box is None or not dedupe.data or ctx.claimed("registration", "field:repeat_of"):
        return None
    original = dedupe.data
    if level is Level.HARD:
        digits = [i for i, ch in enumerate(original) if ch.isdigit()]
        at = digits[-1]
        wrong = original[:at] + str((int(original[at]) + 1 + between(rng, 0, 8)) % 10) + original[at + 1 :]
        box.value, box.data = wrong, wrong
        note = f"查重找到的原件是{original}，关联原件编号却写成{wrong}"
    else:
        box.blank("—")
        note = f"查重已找到原件{original}，“关联原件编号”一栏却没有填写"
    return ctx.plant("repeat_not_linked", "registration", "field:repeat_of", note)


# -- time limits ------------------------------------------------------------------------------------


@register("notice_late")
def notice_late(ctx: DossierDraft, rng: random.Random, level: Level) -> PlantedDefect | None:
    rule = notice_rule(ctx.pack, ctx.plan.shape)
    if rule is None or not ctx.has("notice") or ctx.claimed("notice", "field:date"):
        return None
    due = rule.due(ctx.plan.received, ctx.cal)
    new = ctx.cal.add_working_days(due, _late(rng, level))
    ctx.set_date("notice", new)
    note = (
        f"{rule.name_zh}应在{_limit(rule)}完成，告知日期超出{_days_late(ctx.cal, due, new)}个工作日"
        f"{_span(ctx.cal, ctx.plan.received, new)}"
    )
    return ctx.plant("notice_late", "notice", "field:date", note)


@register("feedback_late")
def feedback_late(ctx: DossierDraft, rng: random.Random, level: Level) -> PlantedDefect | None:
    told = reply_rule(ctx.pack, ctx.plan.shape)
    if told is None or told[1] is None or not ctx.has("reply") or not ctx.has("closing"):
        return None
    moved = ["reply", *ctx.successors("reply")]
    if not _free_dates(ctx, moved):
        return None
    rule = told[1]
    closed = ctx.day_of("closing")
    due = rule.due(closed, ctx.cal)
    new, delta = _late_date(ctx, "reply", due, rng, level)
    ctx.shift("reply", delta)
    note = (
        f"办理结果反馈应在{_limit(rule)}作出，本件超出{_days_late(ctx.cal, due, new)}个工作日"
        f"{_span(ctx.cal, closed, new)}"
    )
    return ctx.plant("feedback_late", "reply", "field:date", note)


def _late_from_receipt(
    ctx: DossierDraft,
    rng: random.Random,
    level: Level,
    *,
    code: str,
    rule: DeadlineRule | None,
    doc: str,
    lead: str,
) -> PlantedDefect | None:
    """Date document ``doc`` (and what follows it) past ``rule``'s limit counted from receipt."""
    if rule is None or not ctx.has(doc):
        return None
    if not _free_dates(ctx, [doc, *ctx.successors(doc)]):
        return None
    due = rule.due(ctx.plan.received, ctx.cal)
    new, delta = _late_date(ctx, doc, due, rng, level)
    if not _keeps_later_limits(ctx, doc, delta):
        return None
    ctx.shift(doc, delta)
    note = f"{lead}超出{_days_late(ctx.cal, due, new)}个工作日{_span(ctx.cal, ctx.plan.received, new)}"
    return ctx.plant(code, doc, "field:date", note)


@register("referral_late")
def referral_late(ctx: DossierDraft, rng: random.Random, level: Level) -> PlantedDefect | None:
    rule = referral_rule(ctx.pack, ctx.plan.shape)
    lead = f"{rule.name_zh}应在{_limit(rule)}完成，发函日期" if rule else ""
    return _late_from_receipt(ctx, rng, level, code="referral_late", rule=rule, doc="referral", lead=lead)


@register("disposal_plan_late")
def disposal_plan_late(ctx: DossierDraft, rng: random.Random, level: Level) -> PlantedDefect | None:
    rule = disposal_rule(ctx.pack, ctx.plan.shape)
    lead = f"问题线索应在{_limit(rule)}提出处置意见并经审批，领导批示日期" if rule else ""
    return _late_from_receipt(
        ctx, rng, level, code="disposal_plan_late", rule=rule, doc="instruction", lead=lead
    )


def _keeps_later_limits(ctx: DossierDraft, role: str, delta: int) -> bool:
    """Whether moving ``role`` and what follows it by ``delta`` working days keeps the closing (and an
    extension's approval) inside their own limits, so that one defect plants one fault."""
    rule = close_rule(ctx.pack, ctx.plan.shape)
    moved = {role, *ctx.successors(role)}
    if rule is None or not moved & {"closing", "extension"}:
        return True
    start = _close_start(ctx, rule)
    extended = ctx.has("extension") and rule.extension is not None
    if "closing" in moved and ctx.has("closing"):
        if ctx.cal.add_working_days(ctx.day_of("closing"), delta) > rule.due(
            start, ctx.cal, extended=extended
        ):
            return False
    if "extension" in moved and ctx.has("extension"):
        if ctx.cal.add_working_days(ctx.day_of("extension"), delta) > rule.due(start, ctx.cal):
            return False
    return True


def _close_start(ctx: DossierDraft, rule: DeadlineRule) -> date:
    """The day a closing limit counts from: acceptance (the routing slip) or receipt."""
    return ctx.plan.dates["routed"] if rule.start is StartEvent.ACCEPTED else ctx.plan.received


@register("overdue_no_extension")
def overdue_no_extension(ctx: DossierDraft, rng: random.Random, level: Level) -> PlantedDefect | None:
    rule = close_rule(ctx.pack, ctx.plan.shape)
    if rule is None or not ctx.has("closing") or ctx.claimed("extension"):
        return None
    moved = ["closing", *ctx.successors("closing")]
    if not _free_dates(ctx, moved):
        return None
    start = _close_start(ctx, rule)
    due = rule.due(start, ctx.cal)
    if ctx.has("extension"):
        ctx.remove("extension")
        new = ctx.day_of("closing")
    else:
        new, delta = _late_date(ctx, "closing", due, rng, level)
        ctx.shift("closing", delta)
    without = "卷中没有经批准的延期审批" if rule.extension is not None else "该期限不能延长"
    late = _days_late(ctx.cal, due, new)
    note = f"{rule.name_zh}应在{_limit(rule)}完成，办结日期超出{late}个工作日，{without}"
    return ctx.plant("overdue_no_extension", "closing", "field:date", note)


@register("extension_after_expiry")
def extension_after_expiry(ctx: DossierDraft, rng: random.Random, level: Level) -> PlantedDefect | None:
    rule = close_rule(ctx.pack, ctx.plan.shape)
    if rule is None or not ctx.has("extension") or not ctx.has("closing"):
        return None
    if ctx.claimed("extension", "field:date"):
        return None
    due = rule.due(_close_start(ctx, rule), ctx.cal)
    closed = ctx.day_of("closing")
    room = ctx.cal.working_days_between(due, closed)
    if room < 1:
        return None
    new = ctx.cal.add_working_days(due, min(_late(rng, level), room))
    ctx.set_date("extension", new)
    if "ext_notified" in ctx.plan.dates:
        ctx.plan.dates["ext_notified"] = max(ctx.plan.dates["ext_notified"], new)
    note = f"原办理期限已届满，延期审批拖到期满后{_days_late(ctx.cal, due, new)}个工作日才办理"
    return ctx.plant("extension_after_expiry", "extension", "field:date", note)


@register("extension_too_long")
def extension_too_long(ctx: DossierDraft, rng: random.Random, level: Level) -> PlantedDefect | None:
    rule = close_rule(ctx.pack, ctx.plan.shape)
    box = ctx.field("extension", "new_due")
    if rule is None or rule.extension is None or box is None or ctx.claimed("extension", "field:new_due"):
        return None
    allowed = rule.due(_close_start(ctx, rule), ctx.cal, extended=True)
    extra = {Level.EASY: between(rng, 25, 40), Level.MEDIUM: between(rng, 5, 12), Level.HARD: 1}[level]
    new = WorkCalendar.add_calendar_days(allowed, extra)
    ctx.plan.dates["ext_due"] = new
    ext = rule.extension
    note = f"延期最长{ext.amount}{ext.clock.zh}，审批表却批准延长到规定期限之后{extra}日"
    return ctx.plant("extension_too_long", "extension", "field:new_due", note)


# -- feedback -----------------------------------------------------------------------------------------


@register("notice_missing")
def notice_missing(ctx: DossierDraft, rng: random.Random, level: Level) -> PlantedDefect | None:
    if not ctx.has("notice") or ctx.claimed("notice") or ctx.plan.person is None:
        return None
    ctx.remove("notice")
    anchor = ctx.anchor("notice")
    note = f"本委受理的实名举报，举报人{ctx.plan.person.name}没有被告知受理情况"
    return ctx.plant("notice_missing", anchor, "document", note)


@register("feedback_missing")
def feedback_missing(ctx: DossierDraft, rng: random.Random, level: Level) -> PlantedDefect | None:
    if not ctx.has("reply") or ctx.claimed("reply") or ctx.claimed("follow_up") or ctx.plan.person is None:
        return None
    ctx.remove("reply")
    ctx.remove("follow_up")
    kind = {"result": "反馈办理结果", "decision": "送达决定", "answer": "书面回复"}
    told = reply_rule(ctx.pack, ctx.plan.shape)
    what = kind.get(told[0], "反馈结果") if told else "反馈结果"
    note = f"该件已办结，卷中却没有向{ctx.plan.person.name}{what}的记录"
    return ctx.plant("feedback_missing", "closing", "document", note)


@register("extension_reason_not_told")
def extension_reason_not_told(ctx: DossierDraft, rng: random.Random, level: Level) -> PlantedDefect | None:
    box = ctx.field("extension", "notified")
    if box is None or ctx.plan.mode != "real_name" or ctx.claimed("extension", "field:notified"):
        return None
    box.blank("" if level is Level.HARD else "未告知")
    note = "延期办理经过了审批，却没有把延期理由告知信访人"
    return ctx.plant("extension_reason_not_told", "extension", "field:notified", note)


@register("closure_not_told")
def closure_not_told(ctx: DossierDraft, rng: random.Random, level: Level) -> PlantedDefect | None:
    if not ctx.has("closure") or ctx.claimed("closure") or ctx.plan.accused is None:
        return None
    ctx.remove("closure")
    note = f"谈话函询后予以了结，卷中却没有向{ctx.plan.accused.name}发函反馈(书面告知)的记录"
    return ctx.plant("closure_not_told", "closing", "document", note, ("inquiry",))


# -- procedure of talks and inquiries ----------------------------------------------------------------------


@register("transcript_unsigned")
def transcript_unsigned(ctx: DossierDraft, rng: random.Random, level: Level) -> PlantedDefect | None:
    box = ctx.field("transcript", "signature")
    if box is None or ctx.claimed("transcript", "field:signature") or ctx.plan.accused is None:
        return None
    if level is Level.HARD:
        box.value, box.data = f"以上笔录我看过，与我说的一致。(代签：{ctx.plan.people['handler'].name})", None
        note = "谈话笔录由记录人代签，没有被谈话人本人核对签名"
    else:
        box.blank("" if level is Level.EASY else "/")
        note = f"谈话笔录没有经被谈话人{ctx.plan.accused.name}核对签名"
    return ctx.plant("transcript_unsigned", "transcript", "field:signature", note)


@register("endorsement_wrong")
def endorsement_wrong(ctx: DossierDraft, rng: random.Random, level: Level) -> PlantedDefect | None:
    box = ctx.field("inquiry", "endorser")
    a = ctx.plan.accused
    if box is None or a is None or ctx.claimed("inquiry", "field:endorser"):
        return None
    if box.data == DIRECT_REPLY:
        # a head of a Party committee endorsing his own reply (or having a deputy endorse it)
        deputy = next(
            (
                c
                for c in ctx.pack.cadres
                if c.unit == a.unit and c is not a and c.role is not CadreRole.PRINCIPAL
            ),
            None,
        )
        who = (
            (deputy.name, deputy.post) if deputy is not None and level is not Level.EASY else (a.name, a.post)
        )
        box.value, box.data = f"{who[0]}({who[1]})", who[0]
        note = f"{a.name}系党委(党组)主要负责人，应当直接回复，说明材料却由{who[0]}签署意见"
    else:
        others = [c for c in ctx.pack.cadres if c.unit == a.unit and c.name != box.data]
        if level is Level.EASY or not others:
            box.value, box.data = f"{a.name}({a.post})", a.name
            note = f"说明材料应由所在党委(党组)主要负责人签署意见，却由被函询人{a.name}自己签署"
        else:
            other = pick(rng, others)
            box.value, box.data = f"{other.name}({other.post})", other.name
            note = f"说明材料应由所在党委(党组)主要负责人签署意见，却由{other.post}{other.name}签署"
    return ctx.plant("endorsement_wrong", "inquiry", "field:endorser", note)


# -- confidentiality ------------------------------------------------------------------------------------


def _outgoing(ctx: DossierDraft) -> list[str]:
    """Documents that reach the person reported or the place they work: the assignment letter, the
    inquiry letter (its 要点 in the inquiry report) and the letter telling the person the matter is closed."""
    roles = []
    if ctx.plan.route.action is RouteAction.ASSIGN and ctx.has("referral"):
        roles.append("referral")
    if ctx.has("inquiry") and ctx.plan.way == "letter":
        roles.append("inquiry")
    if ctx.has("closure"):
        roles.append("closure")
    return roles


@register("identity_leaked")
def identity_leaked(ctx: DossierDraft, rng: random.Random, level: Level) -> PlantedDefect | None:
    person = ctx.plan.person
    if person is None or ctx.plan.mode != "real_name":
        return None
    roles = [
        r
        for r in _outgoing(ctx)
        if not any(role == r and loc.startswith("paragraph:") for role, loc in ctx.claims)
    ]
    if not roles:
        return None
    role = pick(rng, roles)
    doc = ctx.doc(role)
    assert doc is not None
    subtle = level is Level.HARD
    if role == "referral":
        if subtle:
            at = next(i for i, p in enumerate(doc.paragraphs) if p.startswith("附件"))
            doc.paragraphs[at] = f"附件：信访举报件摘要1份，举报人{person.name}来信复印件1份"
            note = f"交办函附件把举报人{person.name}署名的来信复印件一并交给了被反映人所在地方"
        else:
            at = next(i for i, p in enumerate(doc.paragraphs) if p.startswith("我委收到"))
            doc.paragraphs[at] = doc.paragraphs[at].replace(
                "我委收到", f"我委收到实名举报人{person.name}(联系电话{person.phone})", 1
            )
            note = f"交办函写明了举报人{person.name}的姓名和联系电话"
    elif role == "inquiry":
        at = 0
        if subtle:
            doc.paragraphs[at] += f"如对反映内容有疑问，可与反映人核对(联系电话{person.phone})。"
            note = "函询函把举报人的手机号码告诉了被函询人"
        else:
            doc.paragraphs[at] = doc.paragraphs[at].replace("有反映你", f"{person.name}实名反映你", 1)
            note = f"函询函向被函询人点明了举报人{person.name}的姓名"
    else:
        at = 1
        doc.paragraphs[at] = doc.paragraphs[at].replace(
            "对反映你的有关问题",
            f"对{person.name}反映你的有关问题" if not subtle else "对反映你的有关问题",
            1,
        )
        if subtle:
            doc.paragraphs[at] += f"反映人({person.phone})已得到答复。"
            note = "了结告知函把举报人的电话号码告诉了被反映人"
        else:
            note = f"了结告知函向被反映人点明了举报人{person.name}的姓名"
    return ctx.plant("identity_leaked", role, f"paragraph:{at}", note)


@register("secrecy_mark_missing")
def secrecy_mark_missing(ctx: DossierDraft, rng: random.Random, level: Level) -> PlantedDefect | None:
    roles = [
        doc.role
        for doc in ctx.docs
        if doc.field("secrecy") is not None and not ctx.claimed(doc.role, "field:secrecy")
    ]
    if not roles:
        return None
    role = pick(rng, roles)
    box = ctx.field(role, "secrecy")
    assert box is not None
    if level is Level.HARD:
        box.value, box.data = "公开", "public"
        note = f"{_title(ctx, role)}涉及问题线索，密级却标为“公开”"
    else:
        box.blank()
        note = f"{_title(ctx, role)}涉及问题线索，没有标注密级"
    return ctx.plant("secrecy_mark_missing", role, "field:secrecy", note)


# -- documents ---------------------------------------------------------------------------------------


@register("dates_out_of_order")
def dates_out_of_order(ctx: DossierDraft, rng: random.Random, level: Level) -> PlantedDefect | None:
    targets = ["instruction", "verification", "inquiry", "referral", "follow_up"]
    if ctx.plan.route.action is RouteAction.FILE:
        targets.append("routing")
    pairs = []
    for role in targets:
        before = ctx.predecessor(role) if ctx.has(role) else None
        if before is not None and not ctx.claimed(role, "field:date"):
            pairs.append((role, before))
    if not pairs:
        return None
    role, before = pick(rng, pairs)
    new = ctx.cal.add_working_days(ctx.day_of(before), -_early(rng, level))
    ctx.set_date(role, new)
    ctx.claim(before, "field:date")
    note = f"{_title(ctx, role)}的日期早于它所依据的{_title(ctx, before)}"
    return ctx.plant("dates_out_of_order", role, "field:date", note, (before,))


#: near-homophones and look-alikes for a near-identical unit name
_LOOKALIKE = {
    "柳": "刘",
    "刘": "柳",
    "王": "汪",
    "杨": "阳",
    "湖": "胡",
    "江": "姜",
    "林": "琳",
    "山": "杉",
    "石": "时",
    "桥": "乔",
    "家": "佳",
    "新": "欣",
    "东": "冬",
    "西": "溪",
    "南": "楠",
    "坊": "芳",
    "塘": "堂",
    "园": "源",
    "沙": "砂",
    "河": "和",
}


def near_name(name: str, keep: int = 0) -> str:
    """A unit name one character off (a look-alike, or 和 dropped), leaving the first ``keep`` alone."""
    if "和" in name[keep:]:
        at = name.index("和", keep)
        return name[:at] + name[at + 1 :]
    for at in range(len(name) - 1, keep - 1, -1):
        if name[at] in _LOOKALIKE:
            return name[:at] + _LOOKALIKE[name[at]] + name[at + 1 :]
    return name[:-2] + name[-1] if len(name) > 2 else name + name[-1]


@register("accused_mismatch")
def accused_mismatch(ctx: DossierDraft, rng: random.Random, level: Level) -> PlantedDefect | None:
    a = ctx.plan.accused
    if a is None:
        return None
    key = "accused_unit" if level is Level.HARD else "accused"
    options = [
        doc.role
        for doc in ctx.docs
        if doc.role != "registration"
        and doc.field(key) is not None
        and not ctx.claimed(doc.role, f"field:{key}")
    ]
    if not options:
        return None
    role = pick(rng, options)
    box = ctx.field(role, key)
    assert box is not None
    if key == "accused":
        words = ctx.pack.words
        pool = [c for c in (*words.given_male, *words.given_female, *words.given_any) if c != a.name[-1]]
        box.value = box.data = a.name[:-1] + pick(rng, pool)
        note = f"{_title(ctx, role)}把被反映人{a.name}写成了{box.value}"
    else:
        keep = (
            len(ctx.pack.jurisdiction.district)
            if a.unit_name.startswith(ctx.pack.jurisdiction.district)
            else 0
        )
        box.value = near_name(a.unit_name, keep)
        note = f"{_title(ctx, role)}把被反映人所在单位“{a.unit_name}”写成了“{box.value}”"
    return ctx.plant("accused_mismatch", role, f"field:{key}", note, ("registration",))


#: registration boxes that may be left empty by the defect (no other check reads them: the problem
#: type, for one, decides appeal limits, escalation and the disposal)
_OPTIONAL_LOOKING = ("channel", "registrar", "accused_post", "number")


@register("registration_incomplete")
def registration_incomplete(ctx: DossierDraft, rng: random.Random, level: Level) -> PlantedDefect | None:
    keys = [
        k
        for k in _OPTIONAL_LOOKING
        if ctx.field("registration", k) is not None and not ctx.claimed("registration", f"field:{k}")
    ]
    if not keys:
        return None
    key = pick(rng, keys)
    box = ctx.field("registration", key)
    assert box is not None
    box.blank("/" if level is Level.HARD else "")
    note = f"登记表“{box.label}”一栏没有填写"
    return ctx.plant("registration_incomplete", "registration", f"field:{key}", note)
