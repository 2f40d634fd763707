"""Case dossiers (案卷) for the fault-finding exercise (互找茬): a correct file first, then planted defects.

A dossier is built from intake case ``index`` of ``seed`` in three stages:

1. **Plan** (:data:`PLAN_STEPS`): what happened to the item — its shape (category, flags, route, disposal),
   the reported items (2–4 numbered 反映事项), the people who handled and approved it, and every date, each
   inside the pack's time limits counted with the pack's calendar (工作日 skip holidays and count 调休
   weekends).
2. **Documents** (:data:`DOC_STEPS`): one small step per document kind, in file order, each rendering a
   readable Chinese document from the plan — or nothing when the route does not call for it.
3. **Defects**: :func:`toolkit.generate.defects.plant_defects` mutates the correct documents to plant the
   asked-for number of defects and records each in the answer key.

While it is built a dossier is a :class:`DossierDraft`: documents keyed by their *role* in the file
(``"registration"``, ``"notice"``, ``"reply"`` …; each role at most once), dates held once in the plan and
referred to by key, so moving a date moves it everywhere it is shown. :meth:`DossierDraft.freeze` gives the
frozen :class:`~toolkit.domain.dossier.Dossier` with neutral document ids ``d1`` … ``dn`` in file order.

Documents per route (in file order; [..] only where it applies):

- self-handled accusation: 登记表, 分办单, 领导批示, [受理告知记录 (real name)], 初核报告 or
  谈话函询记录 (by the disposal; none for 暂存待查/予以了结), 办结报告, [结果反馈记录, 回访记录 (real name)]
- assign: 登记表, 分办单, 领导批示, 交办函, [受理告知记录], 下级纪委核查情况报告 (办结报告),
  [结果反馈记录, 回访记录]
- report_up: 登记表, 分办单, 领导批示, 报送函, [受理告知记录]
- transfer: 登记表, 分办单 (with 抄送), 领导批示, 转送函 (抄送 the office named by rules.yaml), [转送告知记录]
- appeal / suggestion: 登记表, 分办单, 领导批示, [受理告知记录], [延期审批], 办结报告, [答复意见书, 回访记录]
- file (repeat / no substance): 登记表 (with the 查重 result), 分办单 (留存备查)

The texts are this module's own sentences; a pack supplies the places, people, problems and rules.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from types import MappingProxyType
from weakref import WeakKeyDictionary

from toolkit.domain.codes import (
    Category,
    Channel,
    Disposal,
    DocumentType,
    Flag,
    Level,
    ManagementLevel,
    RouteAction,
    Sex,
)
from toolkit.domain.dossier import DocField, Document, Dossier, PlantedDefect
from toolkit.domain.models import Cadre, Person, Route
from toolkit.errors import GenerationError, PackError
from toolkit.generate.cases import CaseGenerator, Draft, HistoryRecord, case_rng
from toolkit.generate.draw import between, pick
from toolkit.generate.people import PeopleMaker
from toolkit.packs.model import Pack, ProblemType
from toolkit.rules.calendar import WorkCalendar
from toolkit.rules.deadlines import DeadlineRule

# -- roles, shared with the injectors and the checker ------------------------------------------------

#: every role a document can have in a dossier, with its document type
ROLE_TYPES: Mapping[str, DocumentType] = MappingProxyType(
    {
        "registration": DocumentType.REGISTRATION,
        "routing": DocumentType.ROUTING_SLIP,
        "instruction": DocumentType.LEADER_INSTRUCTION,
        "referral": DocumentType.REFERRAL_LETTER,
        "notice": DocumentType.REPLY_RECORD,
        "verification": DocumentType.VERIFICATION_REPORT,
        "inquiry": DocumentType.INQUIRY_RECORD,
        "extension": DocumentType.EXTENSION_APPROVAL,
        "closing": DocumentType.CLOSING_REPORT,
        "reply": DocumentType.REPLY_RECORD,
        "follow_up": DocumentType.FOLLOW_UP_RECORD,
    }
)
#: ``kind`` values of a reply record that tell of acceptance or transfer (role ``notice``)
NOTICE_KINDS = frozenset({"acceptance", "transfer"})
#: ``kind`` values of a reply record that tell the result (role ``reply``)
REPLY_KINDS = frozenset({"result", "answer"})
#: the documents a document's date may not precede: the first of them present in the file counts
PREDECESSORS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "routing": ("registration",),
        "instruction": ("routing",),
        "referral": ("instruction", "routing"),
        "notice": ("routing",),
        "verification": ("instruction", "routing"),
        "inquiry": ("instruction", "routing"),
        "extension": ("instruction", "routing"),
        "closing": ("verification", "inquiry", "referral", "instruction", "routing"),
        "reply": ("closing",),
        "follow_up": ("reply", "closing"),
    }
)
#: where a missing document should have been: after the first of these present in the file
ANCHORS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "instruction": ("routing",),
        "notice": ("referral", "instruction", "routing"),
        "reply": ("closing",),
    }
)
#: field keys that name a person who signed or handled (never searched for a reporter's identity)
PERSON_KEYS = frozenset({"registrar", "proposer", "approver", "signer", "handler", "to"})
#: field keys of approvals: empty means nobody approved
APPROVAL_KEYS = ("approver", "signer")
#: a required box counts as empty when it holds only one of these
BLANKS = frozenset({"", "/", "／", "—", "-", "－", "无"})
#: the secrecy marks an outgoing lead document may carry
SECRET_MARKS = frozenset({"secret", "confidential"})

#: time limits by rules.yaml code: telling of acceptance / transfer, in this order of preference
NOTICE_RULES = ("acceptance_notice", "petition_acceptance_notice", "transfer")
RESULT_RULE = "result_feedback"
CLOSE_RULE = "petition_close"
DISPOSAL_RULE = "disposal_plan"
INQUIRY_RULE = "inquiry_reply"
REFERRAL_RULES = ("report_up", "transfer")
_CN_NUM = "一二三四五六七八九十"
_PLACEHOLDER = re.compile(r"\{d:([a-z_]+)\}")


def role_of(doc: Document) -> str:
    """The role of a frozen document (reply records by their ``kind`` field)."""
    if doc.type is DocumentType.REPLY_RECORD:
        kind = doc.field("kind")
        return "notice" if kind is not None and kind.data in NOTICE_KINDS else "reply"
    for role, kind_type in ROLE_TYPES.items():
        if kind_type is doc.type:
            return role
    raise GenerationError(f"document type {doc.type} has no role")  # pragma: no cover - every type has one


def cn_date(day: date) -> str:
    """``2025年3月2日``."""
    return f"{day.year}年{day.month}月{day.day}日"


def is_blank(value: str) -> bool:
    """Whether a box holds nothing but a dash, slash or 无."""
    return value.strip() in BLANKS


@dataclass(frozen=True, slots=True)
class Shape:
    """What decides which documents and time limits an item has: as planned, or as a file shows it."""

    category: Category
    flags: frozenset[Flag]
    action: RouteAction
    channel: Channel = Channel.LETTER

    @property
    def real_name(self) -> bool:
        return Flag.REAL_NAME in self.flags

    def matches(self, rule: DeadlineRule) -> bool:
        return rule.applies.matches(
            category=self.category, flags=self.flags, action=self.action, channel=self.channel
        )


def find_rule(pack: Pack, code: str) -> DeadlineRule | None:
    """The pack's deadline ``code``, or None when the pack has no such rule."""
    return next((r for r in pack.rules.deadlines if r.code == code), None)


def notice_rule(pack: Pack, shape: Shape) -> DeadlineRule | None:
    """The limit for telling a real-name reporter of acceptance or transfer; None when nobody is told."""
    if not shape.real_name or shape.action is RouteAction.FILE:
        return None
    for code in NOTICE_RULES:
        rule = find_rule(pack, code)
        if rule is not None and shape.matches(rule):
            return rule
    return None


def reply_rule(pack: Pack, shape: Shape) -> tuple[str, DeadlineRule] | None:
    """After closing: ``("result", rule)`` for a real-name accusation, ``("answer", rule)`` for an appeal
    or suggestion whose written answer falls within the closing limit; None when nobody is told."""
    if not shape.real_name or shape.action is RouteAction.FILE:
        return None
    result = find_rule(pack, RESULT_RULE)
    if result is not None and shape.matches(result):
        return "result", result
    if shape.category in (Category.APPEAL, Category.SUGGESTION) and shape.action is RouteAction.SELF:
        close = find_rule(pack, CLOSE_RULE)
        if close is not None and shape.matches(close):
            return "answer", close
    return None


def disposal_rule(pack: Pack, shape: Shape) -> DeadlineRule | None:
    """The limit for proposing and approving how a lead is disposed of, when it applies."""
    rule = find_rule(pack, DISPOSAL_RULE)
    return rule if rule is not None and shape.matches(rule) else None


def close_rule(pack: Pack, shape: Shape) -> DeadlineRule | None:
    """The limit for closing a petition handled here (appeals and suggestions), when it applies."""
    if shape.action is not RouteAction.SELF or shape.category not in (Category.APPEAL, Category.SUGGESTION):
        return None
    rule = find_rule(pack, CLOSE_RULE)
    return rule if rule is not None and shape.matches(rule) else None


def referral_rule(pack: Pack, shape: Shape) -> DeadlineRule | None:
    """The limit for sending an item up or transferring it, when it applies."""
    for code in REFERRAL_RULES:
        rule = find_rule(pack, code)
        if rule is not None and shape.matches(rule):
            return rule
    return None


def expected_route(pack: Pack, level: ManagementLevel, unit: str) -> tuple[RouteAction, str] | None:
    """Where an accusation against a cadre of ``level`` working at ``unit`` goes (rules.yaml routing)."""
    rule = pack.rules.routing.get(level.value)
    if rule is None:
        return None
    j = pack.jurisdiction
    if rule.unit:
        return rule.action, rule.unit
    if rule.action is RouteAction.REPORT_UP:
        return rule.action, j.superior.code
    if rule.action is RouteAction.ASSIGN:
        town = j.town_of(unit)
        return (rule.action, j.town(town).commission.code) if town else None
    try:
        return rule.action, j.supervising_office(unit)
    except PackError:  # a unit nobody supervises has no expected office
        return None


# -- the commission's staff ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Staffer:
    """Someone who handles or signs documents."""

    name: str
    post: str


@dataclass(frozen=True, slots=True)
class Team:
    """An office (or town commission): its head and its staff."""

    code: str
    name: str
    head: Staffer
    staff: tuple[Staffer, ...]


class Staff:
    """The commission's leaders and every office's people, drawn once per pack from its word lists.

    Town commissions are headed by the roster's 纪委书记 / 纪工委书记 of that town where the roster has one.
    """

    def __init__(self, pack: Pack) -> None:
        rng = random.Random(f"{pack.ref}|staff")
        maker = PeopleMaker(pack)
        used: set[str] = set()

        def name() -> str:
            while True:
                drawn = maker.name(rng, Sex.MALE if rng.random() < 0.55 else Sex.FEMALE)
                if drawn not in used:
                    used.add(drawn)
                    return drawn

        j = pack.jurisdiction
        self.secretary = Staffer(name(), "区纪委书记、区监委主任")
        self.deputies = (
            Staffer(name(), "区纪委副书记、区监委副主任"),
            Staffer(name(), "区纪委副书记、区监委副主任"),
        )
        self.teams: dict[str, Team] = {}
        for office in j.offices:
            title = "组长" if office.role == "stationed" else "主任"
            staff = tuple(Staffer(name(), "干部") for _ in range(3))
            self.teams[office.code] = Team(
                office.code, office.name, Staffer(name(), office.name + title), staff
            )
        heads = {c.unit: c for c in pack.cadres if c.post in ("纪委书记", "纪工委书记")}
        for town in j.towns:
            cadre = heads.get(town.code)
            head = Staffer(cadre.name, f"{town.name}{cadre.post}") if cadre else Staffer(name(), "纪委书记")
            staff = tuple(Staffer(name(), "干部") for _ in range(2))
            self.teams[town.commission.code] = Team(town.commission.code, town.commission.name, head, staff)

    def team(self, code: str) -> Team | None:
        return self.teams.get(code)


_STAFF: WeakKeyDictionary[CaseGenerator, Staff] = WeakKeyDictionary()


def staff_of(gen: CaseGenerator) -> Staff:
    """The staff of ``gen``'s pack (made once per generator)."""
    hit = _STAFF.get(gen)
    if hit is None:
        hit = _STAFF[gen] = Staff(gen.pack)
    return hit


# -- the plan ----------------------------------------------------------------------------------------


@dataclass(slots=True)
class Item:
    """One numbered reported item and what the verification found."""

    no: int
    text: str
    verdict: str = "unsubstantiated"  # substantiated | partly | unsubstantiated


@dataclass(slots=True)
class Plan:
    """What happened to the item, before any document is written."""

    draft: Draft
    category: Category
    channel: Channel
    problem: ProblemType
    accused: Cadre | None
    person: Person | None
    mode: str  # real_name | anonymous | impersonation
    repeat: HistoryRecord | None
    no_substance: bool
    route: Route
    disposal: Disposal | None
    received: date
    rng: random.Random
    items: list[Item] = field(default_factory=list)
    dates: dict[str, date] = field(default_factory=dict)
    people: dict[str, Staffer] = field(default_factory=dict)
    numbers: dict[str, str] = field(default_factory=dict)
    extension: bool = False
    extension_reason: str = ""
    conclusion: str = ""
    outcome: str = ""

    @property
    def shape(self) -> Shape:
        flags = {_MODE_FLAGS[self.mode]}
        if self.repeat is not None:
            flags.add(Flag.REPEAT)
        if self.no_substance:
            flags.add(Flag.NO_SUBSTANCE)
        return Shape(self.category, frozenset(flags), self.route.action, self.channel)

    @property
    def accusation(self) -> bool:
        return self.category is Category.ACCUSATION

    @property
    def has_closing(self) -> bool:
        return self.route.action in (RouteAction.SELF, RouteAction.ASSIGN)


_MODE_FLAGS = {"real_name": Flag.REAL_NAME, "anonymous": Flag.ANONYMOUS, "impersonation": Flag.IMPERSONATION}
_MODE_LABELS = {"real_name": "实名", "anonymous": "匿名", "impersonation": "冒名(经核实署名人未反映)"}


@dataclass(frozen=True, slots=True)
class Overrides:
    """What a defect that changes the course of handling (not just a document) sets before planning."""

    route: Route | None = None
    disposal: Disposal | None = None
    mode: str | None = None


PlanStep = Callable[["DossierDraft", Plan], None]


def plan_items(ctx: DossierDraft, p: Plan) -> None:
    """The numbered reported items.

    An accusation lists its main fact and 1–3 further facts of the same problem type (other templates,
    their details drawn again): separate acts a verification must answer one by one. Other items list
    the sentences of the one matter they raise (up to two).
    """
    d, rng = p.draft, p.rng
    skip = (p.person.name,) if p.person is not None else ()
    if p.accusation and not p.no_substance:
        texts = [gist(d.facts, skip)]
        others = [f for f in p.problem.facts if f.specificity == d.specificity]
        others += [f for f in p.problem.facts if f.specificity != d.specificity]
        others = [f for f in others if f.text.format_map(d.slots) != d.facts]
        slots = dict(d.slots)
        for key, values in p.problem.vars.items():
            slots[key] = pick(rng, values)
        if p.problem.amount is not None:
            lo, hi, step = p.problem.amount
            slots["amount"] = lo + step * between(rng, 0, (hi - lo) // step + 1)
        wanted = between(rng, 2, 5)
        for template in others:
            if len(texts) >= wanted:
                break
            text = gist(template.text.format_map(slots), skip)
            if text not in texts:
                texts.append(text)
    else:
        texts = sentences(d.facts, skip)[:1] if p.no_substance else sentences(d.facts, skip)[:2]
        texts = texts or [d.facts.strip()]
    p.items = [Item(n, text) for n, text in enumerate(texts, start=1)]
    for item in p.items:
        roll = rng.random()
        item.verdict = "substantiated" if roll < 0.35 else "partly" if roll < 0.65 else "unsubstantiated"
    p.conclusion = conclusion_of(p.items)
    if not p.accusation:
        p.outcome = pick(rng, _PETITION_OUTCOMES[p.category])


def plan_people(ctx: DossierDraft, p: Plan) -> None:
    """Who registers, proposes, approves, handles and tells: from the commission's staff."""
    staff, rng, j = ctx.staff, p.rng, ctx.pack.jurisdiction
    petitions = staff.teams[j.office_by_role("petitions").code]
    clerks = list(petitions.staff)
    p.people["registrar"] = clerks.pop(int(rng.random() * len(clerks)))
    p.people["proposer"] = pick(rng, (p.people["registrar"], *clerks))
    p.people["teller"] = pick(rng, clerks)
    p.people["petitions_head"] = petitions.head
    p.people["leader"] = pick(rng, staff.deputies)
    team = staff.team(p.route.unit)
    if team is not None:
        pair = list(team.staff)
        first = pair.pop(int(rng.random() * len(pair)))
        p.people["handler"] = first
        p.people["handler2"] = pick(rng, pair)
        p.people["handler_head"] = team.head
    p.people["visitor"] = pick(rng, petitions.staff)


def plan_numbers(ctx: DossierDraft, p: Plan) -> None:
    """Registration and letter numbers: by the day of the year, never the seed or case id."""
    abbr = ctx.pack.jurisdiction.district[0]
    r = p.received
    p.numbers["registration"] = (
        f"{abbr}纪信登〔{r.year}〕{r.timetuple().tm_yday * 2 + between(p.rng, 1, 3):04d}号"
    )
    kind = {RouteAction.ASSIGN: "交", RouteAction.TRANSFER: "转", RouteAction.REPORT_UP: "报"}
    if p.route.action in kind:
        p.numbers["referral"] = f"{abbr}纪信{kind[p.route.action]}〔{r.year}〕{between(p.rng, 10, 400)}号"
    if p.repeat is not None:
        p.numbers["original"] = original_number(ctx.pack, p.repeat)


def plan_dates(ctx: DossierDraft, p: Plan) -> None:
    """Every date of the file, each inside the pack's time limits (see the module docstring)."""
    cal, rng, pack = ctx.pack.calendar, p.rng, ctx.pack
    dates = p.dates
    r = p.received
    dates["received"] = r
    reg = dates["registered"] = cal.next_workday(r)
    action = p.route.action
    shape = p.shape
    if action is RouteAction.REPORT_UP:
        routed = cal.add_working_days(reg, between(rng, 0, 2))
        instructed = cal.add_working_days(routed, between(rng, 0, 2))
        referred = cal.add_working_days(instructed, between(rng, 0, 2))
    else:
        routed = cal.add_working_days(reg, between(rng, 0, 3))
        instructed = cal.add_working_days(routed, between(rng, 1, 4))
        referred = cal.add_working_days(instructed, between(rng, 0, 3))
    dates["routed"] = routed
    if action is RouteAction.FILE:
        return
    limit = referral_rule(pack, shape)
    if limit is not None:
        last = on_or_before(cal, limit.due(r, cal))
        referred = min(referred, last)
        instructed = min(instructed, referred)
        dates["routed"] = routed = min(routed, instructed)
    plan_rule = disposal_rule(pack, shape)
    if plan_rule is not None:
        instructed = min(instructed, on_or_before(cal, plan_rule.due(r, cal)))
    dates["instructed"] = instructed
    if action in (RouteAction.ASSIGN, RouteAction.REPORT_UP, RouteAction.TRANSFER):
        dates["referred"] = referred
    if action is RouteAction.ASSIGN:
        ledger = pack.rules.ledger_deadline(action, p.category)
        due = ledger.due(r, cal) if ledger is not None else cal.add_calendar_days(r, 30)
        dates["ref_due"] = due
        closed = min(cal.add_working_days(referred, between(rng, 8, 17)), on_or_before(cal, due))
        dates["closed"] = max(closed, referred)
    elif action is RouteAction.SELF and p.accusation:
        _plan_lead_dates(ctx, p, instructed)
    elif action is RouteAction.SELF:
        _plan_petition_dates(ctx, p, instructed)
    notice = notice_rule(pack, shape)
    if notice is not None:
        anchor = dates.get("referred", instructed)
        day = cal.add_working_days(anchor, between(rng, 0, 4))
        dates["noticed"] = max(min(day, on_or_before(cal, notice.due(r, cal))), routed)
    told = reply_rule(pack, shape)
    if told is not None and "closed" in dates:
        kind, rule = told
        closed = dates["closed"]
        if kind == "result":
            dates["replied"] = cal.add_working_days(closed, between(rng, 0, 9))
        else:
            last = dates.get("ext_due") or rule.due(dates["routed"], cal)
            dates["replied"] = max(closed, min(cal.add_working_days(closed, between(rng, 0, 3)), last))
        dates["followed"] = cal.add_working_days(dates["replied"], between(rng, 5, 21))


def _plan_lead_dates(ctx: DossierDraft, p: Plan, instructed: date) -> None:
    """A lead handled here: verification, inquiry, or a decision to hold or close."""
    cal, rng, dates = ctx.pack.calendar, p.rng, p.dates
    if p.disposal is Disposal.PRELIMINARY_VERIFICATION:
        dates["verified"] = cal.add_working_days(instructed, between(rng, 12, 31))
        dates["closed"] = cal.add_working_days(dates["verified"], between(rng, 1, 5))
    elif p.disposal is Disposal.TALK_INQUIRY:
        sent = dates["sent"] = cal.add_working_days(instructed, between(rng, 1, 5))
        explained = cal.add_working_days(sent, between(rng, 3, 13))
        rule = find_rule(ctx.pack, INQUIRY_RULE)
        if rule is not None:
            explained = min(explained, rule.due(sent, cal))
        dates["explained"] = explained
        dates["inquired"] = cal.add_working_days(explained, between(rng, 0, 4))
        dates["closed"] = cal.add_working_days(dates["inquired"], between(rng, 1, 5))
    else:
        dates["closed"] = cal.add_working_days(instructed, between(rng, 2, 9))


def _plan_petition_dates(ctx: DossierDraft, p: Plan, instructed: date) -> None:
    """An appeal or suggestion: closed within the limit from acceptance, or within an approved extension."""
    cal, rng, dates, pack = ctx.pack.calendar, p.rng, p.dates, ctx.pack
    rule = close_rule(pack, p.shape)
    accepted = dates["routed"]
    if rule is None:
        dates["closed"] = cal.add_working_days(instructed, between(rng, 15, 36))
        return
    due = rule.due(accepted, cal)
    dates["orig_due"] = due
    p.extension = rule.extension is not None and p.mode == "real_name" and rng.random() < 0.35
    if p.extension:
        ext_due = dates["ext_due"] = rule.due(accepted, cal, extended=True)
        extended = max(cal.add_working_days(on_or_before(cal, due), -between(rng, 1, 7)), instructed)
        dates["extended"] = extended
        dates["ext_notified"] = min(
            cal.add_working_days(extended, between(rng, 0, 3)), on_or_before(cal, due)
        )
        dates["ext_notified"] = max(dates["ext_notified"], extended)
        closed = cal.add_working_days(on_or_before(cal, due), between(rng, 1, 16))
        dates["closed"] = max(min(closed, on_or_before(cal, ext_due)), cal.add_working_days(due, 1))
        p.extension_reason = pick(rng, _EXTENSION_REASONS)
    else:
        closed = cal.add_working_days(instructed, between(rng, 15, 36))
        dates["closed"] = max(min(closed, on_or_before(cal, due)), instructed)


#: the order the plan is made in, declared once
PLAN_STEPS: tuple[PlanStep, ...] = (plan_items, plan_people, plan_numbers, plan_dates)


def on_or_before(cal: WorkCalendar, day: date) -> date:
    """``day`` when it is a working day, else the last working day before it."""
    return day if cal.is_workday(day) else cal.add_working_days(day, -1)


def sentences(text: str, skip: Sequence[str] = ()) -> list[str]:
    """The sentences of a fact worth listing: not the writer introducing themselves (``skip``: their
    name), a very short one joined to the next."""
    out: list[str] = []
    carry = ""
    for part in re.split(r"(?<=[。！？!?])", text.strip()):
        part = part.strip()
        if not part or any(name in part for name in skip):
            continue
        part = carry + part
        if len(part) < 24:
            carry = part
            continue
        carry = ""
        out.append(part)
    if carry:
        if out:
            out[-1] += carry
        else:
            out.append(carry)
    return out


def gist(text: str, skip: Sequence[str] = ()) -> str:
    """The first sentence worth listing of a fact, as a registration lists it."""
    found = sentences(text, skip)
    return found[0] if found else text.strip()


def conclusion_of(items: Sequence[Item]) -> str:
    """The overall finding of verified items: substantiated, partly or unsubstantiated."""
    verdicts = {i.verdict for i in items}
    if verdicts == {"substantiated"}:
        return "substantiated"
    if verdicts == {"unsubstantiated"}:
        return "unsubstantiated"
    return "partly"


def original_number(pack: Pack, record: HistoryRecord) -> str:
    """The registration number an earlier item carries (from its id, which is never shown)."""
    abbr = pack.jurisdiction.district[0]
    salt = int(hashlib.sha1(record.id.encode("utf-8")).hexdigest()[:6], 16) % 2
    return f"{abbr}纪信登〔{record.received.year}〕{record.received.timetuple().tm_yday * 2 + salt + 1:04d}号"


# -- documents while they are built --------------------------------------------------------------------


@dataclass(slots=True)
class FieldDraft:
    """A field being built; with ``date`` set, value and data come from that plan date when frozen."""

    key: str
    label: str
    value: str = ""
    data: str | None = None
    date: str | None = None
    fmt: str = "{}"

    def blank(self, value: str = "") -> None:
        """Empty the box (``value`` may be a dash or slash someone wrote in it)."""
        self.value, self.data, self.date = value, None, None


@dataclass(slots=True)
class DocDraft:
    """A document being built: ``date`` is a plan date key; paragraphs may hold ``{d:<key>}`` dates."""

    role: str
    title: str
    date: str
    fields: list[FieldDraft]
    paragraphs: list[str] = field(default_factory=list)
    #: further plan dates shown in this document that move with it when it is shifted
    owns: tuple[str, ...] = ()

    @property
    def type(self) -> DocumentType:
        return ROLE_TYPES[self.role]

    def field(self, key: str) -> FieldDraft | None:
        return next((f for f in self.fields if f.key == key), None)


class DossierDraft:
    """A dossier while it is built: the plan, its documents in file order, and the defects planted so far.

    Injectors (:mod:`toolkit.generate.defects`) read and change it through these methods; a *claim* marks
    a document location a planted defect depends on, so a later defect leaves it alone.
    """

    def __init__(self, gen: CaseGenerator, draft: Draft, seed: int, index: int, level: Level) -> None:
        self.gen = gen
        self.pack: Pack = gen.pack
        self.cal: WorkCalendar = gen.pack.calendar
        self.staff = staff_of(gen)
        self.draft = draft
        self.seed = seed
        self.index = index
        self.level = level
        self.planted: list[PlantedDefect] = []
        self.claims: set[tuple[str, str]] = set()
        self.overrides = Overrides()
        self.plan: Plan = self._plan(self.overrides)
        self.docs: list[DocDraft] = render(self)

    # -- planning ------------------------------------------------------------------------------------
    def _plan(self, over: Overrides) -> Plan:
        d = self.draft
        assert d.truth is not None and d.problem is not None
        truth = d.truth
        route = over.route or truth.route
        disposal = over.disposal or truth.disposal
        if route.action is not RouteAction.SELF or d.category is not Category.ACCUSATION:
            disposal = None
        elif disposal is None and d.problem.disposal is not None:
            disposal = d.problem.disposal[d.specificity]
        mode = "impersonation" if d.impersonation else "real_name" if d.person is not None else "anonymous"
        plan = Plan(
            draft=d,
            category=d.category,
            channel=d.channel,
            problem=d.problem,
            accused=d.accused,
            person=d.person,
            mode=over.mode or mode,
            repeat=d.repeat_of,
            no_substance=d.no_substance,
            route=route,
            disposal=disposal,
            received=d.received.date(),
            rng=case_rng(self.pack, self.seed, self.index, "dossier-plan"),
        )
        for step in PLAN_STEPS:
            step(self, plan)
        return plan

    @property
    def pristine(self) -> bool:
        """True while nothing is planted: the course of handling may still be changed."""
        return not self.planted

    def replan(self, over: Overrides) -> None:
        """Plan and write the file again with ``over`` (only before any defect is planted)."""
        if not self.pristine:
            raise GenerationError("the course of handling can only change before other defects are planted")
        self.overrides = over
        self.plan = self._plan(over)
        self.docs = render(self)

    # -- documents -----------------------------------------------------------------------------------
    def doc(self, role: str) -> DocDraft | None:
        return next((doc for doc in self.docs if doc.role == role), None)

    def roles(self) -> tuple[str, ...]:
        return tuple(doc.role for doc in self.docs)

    def has(self, role: str) -> bool:
        return any(doc.role == role for doc in self.docs)

    def field(self, role: str, key: str) -> FieldDraft | None:
        doc = self.doc(role)
        return doc.field(key) if doc is not None else None

    def remove(self, role: str) -> None:
        self.docs = [doc for doc in self.docs if doc.role != role]

    def anchor(self, role: str) -> str:
        """The document a missing ``role`` should have followed."""
        return next(r for r in ANCHORS[role] if self.has(r))

    def predecessor(self, role: str) -> str | None:
        """The document ``role``'s date may not precede, if the file has one."""
        return next((r for r in PREDECESSORS.get(role, ()) if self.has(r)), None)

    # -- dates ---------------------------------------------------------------------------------------
    def day_of(self, role: str) -> date:
        doc = self.doc(role)
        assert doc is not None
        return self.plan.dates[doc.date]

    def set_date(self, role: str, day: date) -> None:
        """Date document ``role`` ``day`` (nothing else moves)."""
        doc = self.doc(role)
        assert doc is not None
        self.plan.dates[doc.date] = day

    def successors(self, role: str) -> list[str]:
        """The documents in the file that come after ``role`` in the order of handling (transitively)."""
        out: list[str] = []
        frontier = [role]
        while frontier:
            current = frontier.pop()
            for other, before in PREDECESSORS.items():
                if current in before and other not in out and self.has(other):
                    out.append(other)
                    frontier.append(other)
        return out

    def shift(self, role: str, working_days: int) -> list[str]:
        """Move ``role`` and everything handled after it by ``working_days``; return the roles moved."""
        moved = [role, *self.successors(role)]
        keys: list[str] = []
        for r in moved:
            doc = self.doc(r)
            assert doc is not None
            keys.extend(k for k in (doc.date, *doc.owns) if k not in keys)
        for key in keys:
            self.plan.dates[key] = self.cal.add_working_days(self.plan.dates[key], working_days)
        return moved

    # -- the answer key ------------------------------------------------------------------------------
    def claim(self, role: str, location: str) -> None:
        self.claims.add((role, location))

    def claimed(self, role: str, location: str | None = None) -> bool:
        """Whether a planted defect depends on ``location`` of ``role`` (any location when None)."""
        if location is None:
            return any(r == role for r, _ in self.claims)
        return (role, location) in self.claims

    def plant(
        self, code: str, role: str, location: str, note: str, shows_in: Sequence[str] = ()
    ) -> PlantedDefect:
        """Record a planted defect (documents by role until frozen) and claim its location."""
        planted = PlantedDefect(code, role, location, tuple(r for r in shows_in if r != role), note)
        self.planted.append(planted)
        self.claim(role, location)
        return planted

    # -- the result ----------------------------------------------------------------------------------
    def freeze(self, defects: int) -> Dossier:
        """The frozen dossier: ids ``d1``… in file order, dates written out, the answer key by id."""
        ids = {doc.role: f"d{i}" for i, doc in enumerate(self.docs, start=1)}
        dates = self.plan.dates
        documents = tuple(_freeze_doc(doc, ids[doc.role], dates) for doc in self.docs)
        key = tuple(
            replace(
                p,
                document=ids[p.document],
                shows_in=tuple(ids[r] for r in p.shows_in if r in ids),
            )
            for p in self.planted
        )
        pack = self.pack
        return Dossier(
            id=dossier_id(pack, self.seed, self.index, defects, self.level),
            seed=self.seed,
            index=self.index,
            pack=pack.ref,
            case_id=f"{pack.name}-{self.seed}-{self.index:06d}",
            level=self.level,
            documents=documents,
            answer_key=key,
        )


def _freeze_doc(doc: DocDraft, doc_id: str, dates: Mapping[str, date]) -> Document:
    def fill(text: str) -> str:
        return _PLACEHOLDER.sub(lambda m: cn_date(dates[m.group(1)]), text)

    fields = []
    for f in doc.fields:
        if f.date is not None:
            day = dates[f.date]
            fields.append(DocField(f.key, f.label, f.fmt.format(cn_date(day)), day.isoformat()))
        else:
            fields.append(DocField(f.key, f.label, fill(f.value), f.data))
    return Document(
        id=doc_id,
        type=doc.type,
        title=fill(doc.title),
        date=dates[doc.date],
        fields=tuple(fields),
        paragraphs=tuple(fill(p) for p in doc.paragraphs),
    )


def dossier_id(
    pack: Pack, seed: int, index: int, defects: int, level: Level, types: Sequence[str] | None = None
) -> str:
    """An id that tells nothing: a short hash of pack, seed, index, defect count and level (and the
    defect types, when they were asked for by name)."""
    text = f"{pack.ref}|{seed}|{index}|{defects}|{level.value}"
    if types is not None:
        text += "|" + ",".join(sorted(types))
    digest = hashlib.sha256(text.encode()).hexdigest()
    return f"dossier-{digest[:12]}"


# -- document steps ------------------------------------------------------------------------------------

DocStep = Callable[[DossierDraft, Plan], "DocDraft | None"]


def _date_field(key: str, label: str, date_key: str, fmt: str = "{}") -> FieldDraft:
    return FieldDraft(key, label, date=date_key, fmt=fmt)


def _person(key: str, label: str, who: Staffer, *, with_post: bool = False) -> FieldDraft:
    return FieldDraft(key, label, f"{who.name}({who.post})" if with_post else who.name, who.name)


def _accused_fields(p: Plan, name_label: str = "被反映人") -> list[FieldDraft]:
    a = p.accused
    if a is None:
        return []
    return [
        FieldDraft("accused", name_label, a.name, a.name),
        FieldDraft("accused_unit", "所在单位", a.unit_name, a.unit),
    ]


def _accused_phrase(p: Plan) -> str:
    a = p.accused
    return f"{a.unit_name}{a.post}{a.name}" if a is not None else "有关人员"


def _unit_name(ctx: DossierDraft, code: str) -> str:
    return ctx.pack.jurisdiction.name(code)


def _items_value(items: Sequence[Item]) -> tuple[str, str]:
    return "、".join(f"第{i.no}项" for i in items), ",".join(str(i.no) for i in items)


def registration(ctx: DossierDraft, p: Plan) -> DocDraft:
    """登记表: source, reporter, accused, category, the numbered items, the 查重 result."""
    j = ctx.pack.jurisdiction
    person = p.person
    channel = p.channel.zh if p.channel is not Channel.FORWARDED else f"上级转送({j.superior.name})"
    fields = [
        FieldDraft("number", "登记编号", p.numbers["registration"], p.numbers["registration"]),
        _date_field("received", "收件日期", "received"),
        FieldDraft("channel", "来源渠道", channel, p.channel.value),
        FieldDraft("mode", "举报方式", _MODE_LABELS[p.mode], p.mode),
        FieldDraft(
            "reporter",
            "举报人(信访人)",
            person.name if person else "(未署名)",
            person.name if person else None,
        ),
        FieldDraft("phone", "联系电话", person.phone if person else "", person.phone if person else None),
    ]
    if p.accused is not None:
        a = p.accused
        fields += [
            FieldDraft("accused", "被反映人", a.name, a.name),
            FieldDraft("accused_post", "职务", a.post, a.post),
            FieldDraft("accused_unit", "所在单位", a.unit_name, a.unit),
            FieldDraft("accused_level", "干部管理权限", a.level.zh, a.level.value),
        ]
    problem = ("未明确", "unspecified") if p.no_substance else (p.problem.name, p.problem.code)
    fields += [
        FieldDraft("category", "信访类别", p.category.zh, p.category.value),
        FieldDraft("problem", "问题类别", *problem),
        FieldDraft(
            "items",
            "反映主要问题",
            "\n".join(f"{i.no}. {i.text}" for i in p.items),
            ",".join(str(i.no) for i in p.items),
        ),
    ]
    if p.accusation:
        fields.append(
            FieldDraft("assessment", "内容研判", "只有结论性指责，无具体事实，属无实质内容", "no_substance")
            if p.no_substance
            else FieldDraft("assessment", "内容研判", "反映有具体问题", "substantive")
        )
    if p.repeat is not None:
        original = p.numbers["original"]
        text = f"经检索，与{original}({cn_date(p.repeat.received)}收件)反映的问题基本相同，系重复件"
        fields += [
            FieldDraft("dedupe", "查重情况", text, original),
            FieldDraft("repeat_of", "关联原件编号", original, original),
        ]
    else:
        fields += [
            FieldDraft("dedupe", "查重情况", "经检索，未发现重复件", None),
            FieldDraft("repeat_of", "关联原件编号", "—", None),
        ]
    fields += [
        _person("registrar", "登记人", p.people["registrar"]),
        _date_field("date", "登记日期", "registered"),
    ]
    paragraphs = []
    if p.mode == "impersonation" and p.draft.material is not None and p.draft.material.notes:
        paragraphs.append("备注：" + p.draft.material.notes[0])
    return DocDraft("registration", "信访举报登记表", "registered", fields, paragraphs)


def routing_slip(ctx: DossierDraft, p: Plan) -> DocDraft:
    """分办单 with the 拟办意见: where the item goes and, for a lead handled here, how it is disposed of."""
    j, rng = ctx.pack.jurisdiction, p.rng
    route = p.route
    action = route.action
    fields = [FieldDraft("number", "登记编号", p.numbers["registration"], p.numbers["registration"])]
    fields += _accused_fields(p)
    fields += [
        FieldDraft("action", "分办方式", action.zh, action.value),
        FieldDraft("unit", "承办单位", _unit_name(ctx, route.unit), route.unit),
    ]
    if action is RouteAction.TRANSFER and route.copy_to:
        fields.append(FieldDraft("copy_to", "抄送", _unit_name(ctx, route.copy_to), route.copy_to))
    if p.disposal is not None:
        fields.append(FieldDraft("disposal", "拟处置方式", p.disposal.zh, p.disposal.value))
    if action is RouteAction.SELF and not p.accusation:
        fields.append(_date_field("accepted", "受理日期", "routed"))
    fields += [
        _person("proposer", "拟办人", p.people["proposer"]),
        _person("approver", "审核人", p.people["petitions_head"]),
        _date_field("date", "拟办日期", "routed"),
    ]
    unit = _unit_name(ctx, route.unit)
    n = len(p.items)
    if action is RouteAction.FILE:
        if p.repeat is not None:
            opinion = (
                f"经查重，该件与{p.numbers['original']}反映的问题基本相同，原件已按规定办理。"
                "根据有关规定，建议登记后留存备查，不再重复交办。"
            )
        elif p.no_substance:
            opinion = (
                "该件只有结论性的指责，没有反映具体问题，也没有可查的线索，属无实质内容件，"
                "建议登记后留存备查。"
            )
        else:
            opinion = "经审查，该件反映的事项不属于纪检监察机关受理范围，建议登记后留存备查。"
    elif action is RouteAction.TRANSFER:
        opinion = (
            f"该件反映的事项属于{unit}的职责范围，不属于纪检监察机关受理范围。"
            f"建议转{unit}依法处理，"
            + (f"同时抄告{_unit_name(ctx, route.copy_to)}，" if route.copy_to else "")
            + "并告知信访人。"
        )
    elif action is RouteAction.REPORT_UP:
        assert p.accused is not None
        opinion = (
            f"被反映人{p.accused.name}系{p.accused.level.zh}，不属于本级管辖。"
            f"按照干部管理权限，建议将原件报送{j.superior.name}处理。"
        )
    elif action is RouteAction.ASSIGN:
        assert p.accused is not None
        opinion = (
            f"该件反映{_accused_phrase(p)}的问题，共{n}项。被反映人系{p.accused.level.zh}，"
            f"按照干部管理权限，建议交{unit}办理，并要求其按期报送核查结果。"
        )
    elif p.accusation:
        assert p.disposal is not None
        opinion = (
            f"该件反映{_accused_phrase(p)}的问题，共{n}项。按照干部管理权限，建议由{unit}承办，"
            f"拟采取{p.disposal.zh}方式处置。"
        )
    else:
        opinion = f"该件系{p.category.zh}，属于本机关受理范围，建议予以受理，由{unit}承办，" + (
            "在规定期限内办结并书面答复信访人。" if p.mode == "real_name" else "在规定期限内办结。"
        )
    closing = "" if action is RouteAction.FILE else pick(rng, ("妥否，请领导批示。", "当否，请批示。"))
    return DocDraft("routing", "信访举报件分办单", "routed", fields, ["拟办意见：" + opinion + closing])


def leader_instruction(ctx: DossierDraft, p: Plan) -> DocDraft | None:
    """领导批示: the leader in charge agrees and says who does what."""
    action = p.route.action
    if action is RouteAction.FILE:
        return None
    j = ctx.pack.jurisdiction
    unit = _unit_name(ctx, p.route.unit)
    if action is RouteAction.REPORT_UP:
        text = f"同意。按规定报送{j.superior.name}。"
    elif action is RouteAction.TRANSFER:
        text = f"同意转{unit}处理，并告知信访人。"
    elif action is RouteAction.ASSIGN:
        text = f"同意交{unit}办理。请信访室跟踪督办，按期收回办理结果。"
    elif p.disposal is Disposal.PRELIMINARY_VERIFICATION:
        text = f"同意拟办意见。请{unit}按初步核实方式抓紧办理，对反映的问题逐项查清，按时报结。"
    elif p.disposal is Disposal.TALK_INQUIRY:
        text = f"同意。请{unit}对反映的问题进行函询，函询情况及时报告。"
    elif p.disposal is Disposal.HOLD:
        text = f"同意暂存待查。请{unit}留意相关情况，条件成熟时再行处置。"
    elif p.disposal is not None:
        text = f"同意{p.disposal.zh}。请{unit}做好相关工作。"
    else:
        text = f"同意受理。请{unit}认真研究，在规定期限内办结答复。"
    fields = [
        FieldDraft("number", "登记编号", p.numbers["registration"], p.numbers["registration"]),
        _person("signer", "批示领导", p.people["leader"], with_post=True),
        _date_field("date", "批示日期", "instructed"),
    ]
    return DocDraft("instruction", "领导批示单", "instructed", fields, ["批示：" + text])


def referral_letter(ctx: DossierDraft, p: Plan) -> DocDraft | None:
    """交办函 (assign), 报送函 (report_up) or 转送函 with 抄送 (transfer)."""
    action = p.route.action
    if action not in (RouteAction.ASSIGN, RouteAction.REPORT_UP, RouteAction.TRANSFER):
        return None
    j = ctx.pack.jurisdiction
    to = p.route.unit
    to_name = _unit_name(ctx, to)
    fields = [
        FieldDraft("number", "文号", p.numbers["referral"], p.numbers["referral"]),
        FieldDraft("to", "主送", to_name, to),
    ]
    commission = j.commission.name
    if action is RouteAction.TRANSFER:
        copy = p.route.copy_to
        fields.append(FieldDraft("copy_to", "抄送", _unit_name(ctx, copy) if copy else "", copy))
        fields.append(_date_field("date", "发文日期", "referred"))
        who = f"信访人{p.person.name}" if p.person is not None else "群众"
        items = "；".join(i.text.rstrip("。") for i in p.items)
        body = [
            f"{to_name}：",
            f"我委于{{d:received}}收到{who}反映的信访事项，主要内容是：{items}。",
            "经审查，该事项属于你单位职责范围，不属于纪检监察机关受理范围。根据《信访工作条例》有关规定，"
            "现转你单位依法处理，请将处理结果告知信访人。",
            "附件：信访材料1份",
            commission,
        ]
        return DocDraft("referral", "信访事项转送函", "referred", fields, body)
    assert p.accused is not None
    fields.append(FieldDraft("secrecy", "密级", "秘密", "secret"))
    fields += _accused_fields(p)
    if action is RouteAction.REPORT_UP:
        fields.append(_date_field("date", "发文日期", "referred"))
        body = [
            f"{to_name}：",
            f"我委于{{d:received}}收到反映{_accused_phrase(p)}有关问题的信访举报件。经审查，被反映人系"
            f"{p.accused.level.zh}，按照干部管理权限应由你委处理，现将原件报送你委。",
            "附件：信访举报件原件1份",
            commission,
        ]
        return DocDraft("referral", "关于报送信访举报件的报告", "referred", fields, body)
    fields.append(_date_field("due", "办理期限", "ref_due", "{}前报送结果"))
    fields.append(_date_field("date", "发文日期", "referred"))
    petitions = j.office_by_role("petitions").name
    body = [
        f"{to_name}：",
        f"我委收到反映{_accused_phrase(p)}有关问题的信访举报件(共{len(p.items)}项)。按照干部管理权限，"
        "现交由你委办理。",
        f"请你委认真核查，逐项查清反映的问题，于{{d:ref_due}}前将核查情况和处理意见书面报送区纪委监委{petitions}。",
        "办理中请严格遵守保密纪律，不得向被反映人及其他无关人员透露举报人情况和举报内容。",
        "附件：信访举报件摘要1份",
        commission,
    ]
    return DocDraft("referral", "关于交办信访举报件的函", "referred", fields, body)


def notice_record(ctx: DossierDraft, p: Plan) -> DocDraft | None:
    """受理 / 转送告知记录 for a real-name reporter or petitioner."""
    if "noticed" not in p.dates or p.person is None:
        return None
    j, rng = ctx.pack.jurisdiction, p.rng
    teller = p.people["teller"]
    method = pick(rng, tuple(_HOW))
    action = p.route.action
    unit = _unit_name(ctx, p.route.unit)
    if action is RouteAction.TRANSFER:
        title, kind, label = "信访事项转送告知记录", "transfer", "转送告知"
        text = (
            f"告知信访人：其反映的事项不属于纪检监察机关受理范围，我委已转{unit}依法处理，"
            "可向该单位了解办理情况。"
        )
    elif p.accusation:
        title, kind, label = "实名举报受理情况告知记录", "acceptance", "受理告知"
        if action is RouteAction.REPORT_UP:
            then = f"按照干部管理权限，将报送{j.superior.name}处理"
        elif action is RouteAction.ASSIGN:
            then = "已按规定交有关纪(工)委办理"
        else:
            then = "正在按规定办理"
        text = f"告知举报人：其反映的问题已于{{d:registered}}登记受理，{then}；同时提醒其对举报内容注意保密。"
    else:
        title, kind, label = "信访事项受理告知记录", "acceptance", "受理告知"
        text = (
            f"告知信访人：其反映的{p.category.zh}事项已于{{d:routed}}受理，由{unit}办理，将在规定期限内答复。"
        )
    fields = [
        FieldDraft("kind", "告知事项", label, kind),
        FieldDraft("to", "告知对象", p.person.name, p.person.name),
        FieldDraft("method", "告知方式", method, method),
        _person("handler", "告知人", teller),
        _date_field("date", "告知日期", "noticed"),
    ]
    return DocDraft("notice", title, "noticed", fields, [f"{{d:noticed}}，{_HOW[method]}" + text])


_HOW = {"电话": "通过电话", "手机短信": "以手机短信", "当面": "当面"}


_EVIDENCE = ("相关会计凭证和银行流水", "会议记录和审批单据", "公示资料和入户调查记录", "相关合同和现场照片")
_WITNESSES = ("经办人员", "知情群众", "财务人员", "相关村(居)民")


def _finding(p: Plan, item: Item) -> str:
    who = p.accused.name if p.accused is not None else "被反映人"
    if item.verdict == "substantiated":
        evidence, witness = pick(p.rng, _EVIDENCE), pick(p.rng, _WITNESSES)
        return f"经调取{evidence}，并与{witness}谈话核实，反映的情况属实，{who}对此予以承认。"
    if item.verdict == "partly":
        return "经核查，反映的情况部分属实：有关事实确实存在，但涉及的金额、人数与反映的不完全一致。"
    return "经调取有关资料、走访知情人员，未发现反映的情况，该项问题不属实。"


CONCLUSIONS: Mapping[str, str] = MappingProxyType(
    {"substantiated": "反映问题属实", "partly": "反映问题部分属实", "unsubstantiated": "反映问题不属实"}
)


def suggestion(p: Plan, conclusion: str) -> str:
    """The handling a verification proposes for ``conclusion``."""
    who = p.accused.name if p.accused is not None else "被反映人"
    if conclusion == "substantiated":
        return f"建议按程序对{who}提出立案审查调查意见。"
    if conclusion == "partly":
        return f"建议对{who}进行谈话提醒，责令其作出书面检查并限期整改。"
    return "建议予以了结，并做好反馈说明工作。" if p.mode == "real_name" else "建议予以了结。"


def verification_report(ctx: DossierDraft, p: Plan) -> DocDraft | None:
    """初核报告 answering every reported item in turn, then the conclusion."""
    if p.route.action is not RouteAction.SELF or p.disposal is not Disposal.PRELIMINARY_VERIFICATION:
        return None
    assert p.accused is not None
    office = _unit_name(ctx, p.route.unit)
    shown, data = _items_value(p.items)
    fields = [
        FieldDraft("unit", "承办部门", office, p.route.unit),
        *_accused_fields(p, "被核查人"),
        FieldDraft("items", "核查事项", shown, data),
        FieldDraft("conclusion", "核查结论", CONCLUSIONS[p.conclusion], p.conclusion),
        FieldDraft(
            "handler",
            "核查人员",
            f"{p.people['handler'].name}、{p.people['handler2'].name}",
            p.people["handler"].name,
        ),
        _person("approver", "部门负责人", p.people["handler_head"]),
        _date_field("date", "报告日期", "verified"),
    ]
    paragraphs = [
        f"根据{{d:instructed}}领导批示，{office}对反映{_accused_phrase(p)}的问题进行了初步核实，调取了有关"
        "资料，与相关人员谈话了解情况。现将核查情况报告如下。"
    ]
    for k, item in enumerate(p.items):
        paragraphs.append(
            f"{_CN_NUM[k]}、关于反映的第{item.no}项问题：“{item.text.rstrip('。')}”。{_finding(p, item)}"
        )
    paragraphs.append(verification_summary(p, p.conclusion))
    return DocDraft(
        "verification", f"关于{p.accused.name}同志有关问题的初步核实情况报告", "verified", fields, paragraphs
    )


def verification_summary(p: Plan, conclusion: str) -> str:
    """The last paragraph of a verification report: the overall finding and the proposal."""
    return f"综上，{CONCLUSIONS[conclusion]}。{suggestion(p, conclusion)}妥否，请审示。"


def inquiry_record(ctx: DossierDraft, p: Plan) -> DocDraft | None:
    """谈话函询记录: the letter sent to the person reported, the written explanation, the assessment."""
    if p.route.action is not RouteAction.SELF or p.disposal is not Disposal.TALK_INQUIRY:
        return None
    assert p.accused is not None
    office = _unit_name(ctx, p.route.unit)
    shown, data = _items_value(p.items)
    fields = [
        FieldDraft("way", "方式", "函询", "letter"),
        *_accused_fields(p, "被函询人"),
        FieldDraft("items", "函询事项", shown, data),
        _date_field("sent", "函询日期", "sent"),
        _date_field("explained", "收到说明日期", "explained"),
        FieldDraft("secrecy", "密级", "秘密", "secret"),
        _person("handler", "承办人", p.people["handler"]),
        _person("approver", "审核人", p.people["handler_head"]),
        _date_field("date", "记录日期", "inquired"),
    ]
    paragraphs = [
        f"函询函要点：{p.accused.name}同志，有反映你存在下列问题，现予函询。请你于收到本函后15个工作日内"
        f"如实作出书面说明，经所在单位党组织主要负责人签字后报送{office}。"
    ]
    paragraphs += [f"{i.no}. {i.text}" for i in p.items]
    paragraphs.append(
        f"{p.accused.name}于{{d:explained}}报送书面说明，对函询事项逐项作了说明，所在单位党组织主要负责人已签字背书。"
    )
    paragraphs.append(
        "经分析研判，其说明基本清楚，未发现需要进一步核查的问题，建议采信说明、予以了结，并对其进行提醒。"
    )
    return DocDraft("inquiry", "谈话函询情况记录", "inquired", fields, paragraphs, owns=("sent", "explained"))


_EXTENSION_REASONS = (
    "涉及多个部门的政策衔接，需要组织会商",
    "需要调阅历年档案材料逐件核对",
    "需要赴实地核实有关情况",
    "需要等待有关单位出具书面意见",
)


def extension_approval(ctx: DossierDraft, p: Plan) -> DocDraft | None:
    """延期审批: approved before the limit ran out, at most the pack's extension, the reason told."""
    if not p.extension:
        return None
    fields = [
        FieldDraft("number", "登记编号", p.numbers["registration"], p.numbers["registration"]),
        _date_field("accepted", "受理日期", "routed"),
        _date_field("orig_due", "原办理期限", "orig_due"),
        _date_field("new_due", "申请延长至", "ext_due"),
        FieldDraft("reason", "延期理由", p.extension_reason, None),
        _date_field("notified", "告知信访人", "ext_notified", "已于{}告知延期理由"),
        _person("approver", "批准人", p.people["leader"]),
        _date_field("date", "审批日期", "extended"),
    ]
    text = (
        f"该信访事项{p.extension_reason}，难以在规定期限内办结。根据《信访工作条例》有关规定，申请延期办理，"
        "并将延期理由告知信访人。"
    )
    return DocDraft("extension", "信访事项延期办理审批表", "extended", fields, [text], owns=("ext_notified",))


def closing_report(ctx: DossierDraft, p: Plan) -> DocDraft | None:
    """办结报告 (for an assigned item: the town commission's report back)."""
    if "closed" not in p.dates:
        return None
    rng = p.rng
    unit = _unit_name(ctx, p.route.unit)
    action = p.route.action
    if action is RouteAction.ASSIGN:
        assert p.accused is not None
        town = ctx.staff.teams[p.route.unit]
        verdicts = "；".join(f"第{i.no}项{_VERDICTS[i.verdict]}" for i in p.items)
        fields = [
            FieldDraft("unit", "报告单位", unit, p.route.unit),
            *_accused_fields(p),
            FieldDraft("result", "办理结果", CONCLUSIONS[p.conclusion], p.conclusion),
            _person("handler", "承办人", pick(rng, town.staff)),
            _person("approver", "审批人", town.head),
            _date_field("date", "报告日期", "closed"),
        ]
        petitions = ctx.pack.jurisdiction.office_by_role("petitions").name
        body = [
            f"区纪委监委{petitions}：",
            f"我委于{{d:referred}}收到交办的反映{p.accused.name}同志有关问题的信访举报件后，即组织人员开展核查，"
            f"调取了有关资料，与相关人员谈话了解情况。核查情况：{verdicts}。",
            f"综上，{CONCLUSIONS[p.conclusion]}。{suggestion(p, p.conclusion)}",
            "特此报告。",
        ]
        return DocDraft("closing", f"关于{p.accused.name}同志有关问题核查情况的报告", "closed", fields, body)
    fields = [FieldDraft("unit", "承办部门", unit, p.route.unit), *_accused_fields(p)]
    if p.accusation:
        assert p.accused is not None and p.disposal is not None
        fields.append(FieldDraft("disposal", "处置方式", p.disposal.zh, p.disposal.value))
        if p.disposal is Disposal.PRELIMINARY_VERIFICATION:
            result = (result_text(p, p.conclusion), p.conclusion)
            body = [
                f"{unit}于{{d:verified}}完成初步核实，形成初核报告，对反映的{len(p.items)}项问题逐项作出了结论。",
                "经领导审批，该问题线索按办理结果栏所列意见办结。",
            ]
            title = f"关于{p.accused.name}问题线索的办结报告"
        elif p.disposal is Disposal.TALK_INQUIRY:
            result = ("采信说明，予以了结，并对其进行提醒", "explained")
            body = [
                f"{unit}于{{d:sent}}向{p.accused.name}发出函询函，于{{d:explained}}收到其书面说明。"
                "经分析，说明基本清楚。经领导审批，该问题线索予以了结。"
            ]
            title = f"关于{p.accused.name}问题线索的办结报告"
        else:
            result = (p.disposal.zh, p.disposal.value)
            body = [
                f"经研判，该问题线索反映较为笼统，暂不具备核查条件，经领导审批，按{p.disposal.zh}处置，"
                "并在台账中登记备查。"
            ]
            title = f"关于{p.accused.name}问题线索处置情况的报告"
        fields.append(FieldDraft("result", "办理结果", *result))
    else:
        fields.append(FieldDraft("result", "办理结果", p.outcome, "closed"))
        body = [f"{unit}受理该{p.category.zh}事项后，调阅了有关材料，听取了信访人的陈述。{p.outcome}。"]
        title = "信访事项办结报告"
    fields += [
        _person("handler", "承办人", p.people["handler"]),
        _person("approver", "审批人", p.people["leader"]),
        _date_field("date", "办结日期", "closed"),
    ]
    return DocDraft("closing", title, "closed", fields, body)


_VERDICTS = {"substantiated": "属实", "partly": "部分属实", "unsubstantiated": "不属实"}
_PETITION_OUTCOMES: Mapping[Category, tuple[str, ...]] = MappingProxyType(
    {
        Category.APPEAL: (
            "经复核，原决定认定事实清楚、依据充分、程序合规，申诉理由不能成立，维持原决定",
            "经复核，原决定部分事实认定有误，已建议作出决定的党组织依规予以变更",
        ),
        Category.SUGGESTION: (
            "所提建议具有参考价值，已转有关部门研究并在工作中改进",
            "所提建议已纳入下一阶段工作安排，相关做法正在推行",
        ),
        Category.ACCUSATION: ("已按规定办结",),
        Category.OUT_OF_SCOPE: ("已按规定转送",),
    }
)


def result_text(p: Plan, conclusion: str) -> str:
    """The result box of a closing report after verification."""
    return f"{CONCLUSIONS[conclusion]}。{suggestion(p, conclusion)}".rstrip("。")


def reply_record(ctx: DossierDraft, p: Plan) -> DocDraft | None:
    """结果反馈记录 (real-name accusation) or 答复意见书 (appeal / suggestion)."""
    if "replied" not in p.dates or p.person is None:
        return None
    j, rng = ctx.pack.jurisdiction, p.rng
    told = reply_rule(ctx.pack, p.shape)
    assert told is not None
    kind = told[0]
    teller = p.people["teller"]
    if kind == "result":
        method = pick(rng, ("当面", "电话"))
        opinion = pick(rng, ("表示满意", "表示认可", "表示理解"))
        fields = [
            FieldDraft("kind", "反馈事项", "办理结果反馈", "result"),
            FieldDraft("to", "反馈对象", p.person.name, p.person.name),
            FieldDraft("method", "反馈方式", method, method),
            _person("handler", "反馈人", teller),
            FieldDraft("opinion", "举报人意见", opinion, None),
            _date_field("date", "反馈日期", "replied"),
        ]
        text = (
            f"{{d:replied}}，以{method}方式向举报人反馈了对其反映问题的核查处理情况，并说明了有关依据。"
            f"举报人{opinion}。"
        )
        return DocDraft("reply", "实名举报办理结果反馈记录", "replied", fields, [text])
    unit = _unit_name(ctx, p.route.unit)
    fields = [
        FieldDraft("kind", "答复事项", "书面答复", "answer"),
        FieldDraft("to", "答复对象", p.person.name, p.person.name),
        FieldDraft("method", "送达方式", "邮寄送达", "post"),
        _person("handler", "经办人", teller),
        _date_field("date", "答复日期", "replied"),
    ]
    body = [
        f"{p.person.name}：",
        f"你于{{d:received}}反映的{p.category.zh}事项，我委已于{{d:routed}}受理，由{unit}办理。现将办理结果答复如下：",
        f"{p.outcome}。",
        f"如对本答复意见不服，可以自收到本答复意见书之日起30日内向{j.superior.name}请求复查。",
        j.commission.name,
    ]
    return DocDraft("reply", "信访事项答复意见书", "replied", fields, body)


def follow_up_record(ctx: DossierDraft, p: Plan) -> DocDraft | None:
    """回访记录: some weeks after the reply, the reporter is asked whether the matter is settled."""
    if "followed" not in p.dates or p.person is None:
        return None
    rng = p.rng
    method = pick(rng, ("电话回访", "上门回访", "带件回访"))
    satisfaction = pick(rng, ("满意", "满意", "基本满意"))
    fields = [
        FieldDraft("to", "回访对象", p.person.name, p.person.name),
        FieldDraft("method", "回访方式", method, method),
        _person("handler", "回访人", p.people["visitor"]),
        FieldDraft("satisfaction", "满意度", satisfaction, satisfaction),
        _date_field("date", "回访日期", "followed"),
    ]
    text = (
        f"{{d:followed}}进行{method}，了解其对办理结果的意见和有关问题的整改情况。"
        f"回访对象表示{satisfaction}。"
    )
    return DocDraft("follow_up", "信访举报件回访记录", "followed", fields, [text])


#: the documents of a file, one step per kind, in file order (declared once)
DOC_STEPS: tuple[DocStep, ...] = (
    registration,
    routing_slip,
    leader_instruction,
    referral_letter,
    notice_record,
    verification_report,
    inquiry_record,
    extension_approval,
    closing_report,
    reply_record,
    follow_up_record,
)


def render(ctx: DossierDraft) -> list[DocDraft]:
    """Write the correct file for the current plan."""
    docs = []
    for step in DOC_STEPS:
        doc = step(ctx, ctx.plan)
        if doc is not None:
            docs.append(doc)
    return docs


# -- the public API ----------------------------------------------------------------------------------


def build_dossier(
    gen: CaseGenerator,
    seed: int,
    index: int,
    *,
    defects: int = 0,
    level: Level = Level.MEDIUM,
    types: Sequence[str] | None = None,
) -> Dossier:
    """The dossier of case ``index`` of ``seed``: a correct file with ``defects`` defects planted.

    Parameters
    ----------
    gen
        The case generator (its pack gives places, people, rules and the defect catalogue).
    seed, index
        Which case the file is about; the same arguments give the same dossier everywhere.
    defects
        How many defects to plant, each of a different type chosen (seeded) among those that apply to
        this file; 0 gives a clean dossier.
    level
        The case's level and how subtle the defects are: ``easy`` blatant (a reply three weeks late),
        ``hard`` subtle (one working day late across a holiday, a near-identical unit name).
    types
        Plant exactly these defect types (distinct catalogue codes) instead of ``defects`` chosen ones:
        how a competition gives every contestant a file with the same kinds of fault. ``defects`` must
        then be 0 or their number. The id of such a dossier also tells the types apart.

    Returns
    -------
    Dossier
        Documents ``d1`` … ``dn`` in file order and the answer key (one entry per planted defect).

    Raises
    ------
    GenerationError
        For a negative seed or count, or when fewer than ``defects`` defect types apply to this file;
        with ``types``: for a repeated or unknown type, or one that cannot be planted in this file.
    """
    from toolkit.generate.defects import plant_defects

    if seed < 0:
        raise GenerationError(f"the seed must be a whole number ≥ 0, got {seed}")
    if defects < 0:
        raise GenerationError(f"the number of defects must be ≥ 0, got {defects}")
    if types is not None:
        return _build_with_types(gen, seed, index, defects, level, tuple(types))
    d = gen.draft(seed, index, level, history=gen.history(seed))
    ctx = DossierDraft(gen, d, seed, index, level)
    if defects:
        plant_defects(ctx, defects, case_rng(gen.pack, seed, index, "dossier"))
    return ctx.freeze(defects)


def _build_with_types(
    gen: CaseGenerator, seed: int, index: int, defects: int, level: Level, types: tuple[str, ...]
) -> Dossier:
    """:func:`build_dossier` planting exactly ``types``.

    The random source is shuffled over the catalogue as :func:`~toolkit.generate.defects.plant_defects`
    does, and the types are planted in that shuffled order, those that replan first; so asking for the
    types a default build planted usually gives the same file.
    """
    from toolkit.generate.defects import INJECTORS, REPLANS

    if defects not in (0, len(types)):
        raise GenerationError(f"{defects} defect(s) asked for, but {len(types)} type(s) given: {list(types)}")
    if len(set(types)) != len(types):
        raise GenerationError(f"each defect type can be planted once: {list(types)}")
    codes = [c for c in gen.pack.defects.codes() if c in INJECTORS]
    unknown = [t for t in types if t not in codes]
    if unknown:
        raise GenerationError(f"defect type(s) {unknown} are not in the catalogue of {gen.pack.ref}")
    d = gen.draft(seed, index, level, history=gen.history(seed))
    ctx = DossierDraft(gen, d, seed, index, level)
    rng = case_rng(gen.pack, seed, index, "dossier")
    order = codes[:]
    for i in range(len(order) - 1, 0, -1):  # the same draws as plant_defects makes
        j = int(rng.random() * (i + 1))
        order[i], order[j] = order[j], order[i]
    chosen = [c for c in order if c in types]
    for code in [c for c in chosen if c in REPLANS] + [c for c in chosen if c not in REPLANS]:
        if INJECTORS[code](ctx, rng, level) is None:
            raise GenerationError(f"defect type {code!r} cannot be planted in case {index} of seed {seed}")
    dossier = ctx.freeze(len(types))
    return replace(dossier, id=dossier_id(gen.pack, seed, index, len(types), level, types))


def dossiers(
    gen: CaseGenerator, seed: int, count: int, *, defects: int, level: Level | None = None, start: int = 0
) -> Iterator[Dossier]:
    """``count`` dossiers of cases ``start`` … ``start + count - 1`` of ``seed``.

    Parameters
    ----------
    gen
        The case generator.
    seed
        The seed of the cases (and of the defects planted in their files).
    count
        How many dossiers, one per case index.
    defects
        Defects planted in each (0: clean dossiers).
    level
        The level of every dossier; None rotates easy → medium → hard by index, as
        :meth:`CaseGenerator.cases` does.
    start
        The first case index.

    Yields
    ------
    Dossier
        In index order.

    Raises
    ------
    GenerationError
        For a negative count, or (naming the count) when a file cannot take ``defects`` defects.
    """
    if count < 0:
        raise GenerationError(f"count must be ≥ 0, got {count}")
    levels = tuple(Level)
    for index in range(start, start + count):
        yield build_dossier(gen, seed, index, defects=defects, level=level or levels[index % 3])
