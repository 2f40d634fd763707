"""Case dossiers (案卷) for the fault-finding exercise (互找茬): a correct file first, then planted defects.

A dossier is built from intake case ``index`` of ``seed`` in three stages:

1. **Plan** (:data:`PLAN_STEPS`): what happened to the item — its shape (category, flags, route, disposal),
   the reported items (2–4 numbered 反映事项, each with the sum it names and the sum proved), the people who
   handled and approved it, and every date, each inside the pack's time limits counted with the pack's
   calendar (工作日 skip holidays and count 调休 weekends). Time limits are found by the step of handling
   they govern (``rules.yaml`` → ``step``), so a pack with other codes works the same.
2. **Documents** (:data:`DOC_STEPS`): one small step per document kind, in file order, each rendering a
   readable Chinese document from the plan — or nothing when the route does not call for it.
3. **Defects**: :func:`toolkit.generate.defects.plant_defects` mutates the correct documents to plant the
   asked-for number of defects and records each in the answer key.

While it is built a dossier is a :class:`DossierDraft`: documents keyed by their *role* in the file
(``"registration"``, ``"notice"``, ``"reply"`` …; each role at most once), dates held once in the plan and
referred to by key, so moving a date moves it everywhere it is shown. :meth:`DossierDraft.freeze` gives the
frozen :class:`~toolkit.domain.dossier.Dossier` with neutral document ids ``d1`` … ``dn`` in file order.

Documents per route (in file order; [..] only where it applies):

- self-handled accusation: 登记表, 分办单, 领导批示, [受理告知记录 (real name)], [延期审批], then by the
  disposal: 初核报告 (every item answered, sums proved, a proposal that fits what was proved), or 谈话笔录
  (signed by the person talked to) and 谈话情况报告, or 函询情况报告 (the reply endorsed by the head of
  the person's Party committee, or sent directly when that is the person); none for 暂存待查/予以了结;
  then 办结报告, [了结告知函 to the person asked, when a talk or inquiry ends in 了结],
  [结果反馈记录, 回访记录 (real name)]
- assign: 登记表, 分办单, 领导批示, 交办函 (with its own 报结期限), 下级纪委核查情况报告 (办结报告),
  [结果反馈记录 by the town commission, 回访记录 (real name)] — the town commission accepts the item and tells
  the reporter (《纪检监察机关处理检举控告工作规则》第十六条)
- report_up: 登记表, 分办单, 领导批示 (the commission's head: 径送本机关主要负责人), 报送函; a report about
  the commission's own head goes straight up, without his instruction
- transfer: 登记表, 分办单 (with 抄送), 领导批示, 转送函 (抄送 the office that liaises with the department),
  主管部门办理反馈 (双向移交、单向反馈)
- advise: 登记表, 分办单 (the visitor or caller was told where to go)
- appeal: 登记表, 分办单 (受理), 领导批示, 复议复查 / 申诉处理 / 复审决定 (办结报告), [决定送达记录]
- suggestion: 登记表, 分办单, 领导批示, 办结报告, [书面回复 (real name)]
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
from typing import Any
from weakref import WeakKeyDictionary

from toolkit.domain.codes import (
    CadreRole,
    Category,
    Channel,
    Disposal,
    DocumentType,
    Flag,
    Level,
    Proposal,
    RouteAction,
    Sex,
    Step,
)
from toolkit.domain.dossier import DocField, Document, Dossier, PlantedDefect
from toolkit.domain.models import Cadre, Person, Route
from toolkit.errors import GenerationError
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
        "extension": DocumentType.EXTENSION_APPROVAL,
        "verification": DocumentType.VERIFICATION_REPORT,
        "transcript": DocumentType.TALK_TRANSCRIPT,
        "inquiry": DocumentType.INQUIRY_RECORD,
        "closing": DocumentType.CLOSING_REPORT,
        "closure": DocumentType.CLOSURE_NOTICE,
        "dept_feedback": DocumentType.DEPARTMENT_FEEDBACK,
        "reply": DocumentType.REPLY_RECORD,
        "follow_up": DocumentType.FOLLOW_UP_RECORD,
    }
)
#: ``kind`` values of a reply record that tell of acceptance (role ``notice``)
NOTICE_KINDS = frozenset({"acceptance"})
#: ``kind`` values of a reply record that tell the result, answer or decision (role ``reply``)
REPLY_KINDS = frozenset({"result", "answer", "decision"})
#: the documents a document's date may not precede: the first of them present in the file counts
PREDECESSORS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "routing": ("registration",),
        "instruction": ("routing",),
        "referral": ("instruction", "routing"),
        "notice": ("routing",),
        "extension": ("instruction", "routing"),
        "verification": ("instruction", "routing"),
        "transcript": ("instruction", "routing"),
        "inquiry": ("transcript", "instruction", "routing"),
        "closing": ("verification", "inquiry", "referral", "instruction", "routing"),
        "closure": ("closing",),
        "dept_feedback": ("referral",),
        "reply": ("closing",),
        "follow_up": ("reply", "closing"),
    }
)
#: where a missing document should have been: after the first of these present in the file
ANCHORS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "instruction": ("routing",),
        "notice": ("instruction", "routing"),
        "reply": ("closing",),
        "closure": ("closing",),
    }
)
#: field keys that name a person who signed or handled (never searched for a reporter's identity)
PERSON_KEYS = frozenset(
    {"registrar", "proposer", "approver", "signer", "handler", "to", "talker", "endorser"}
)
#: field keys of approvals: empty means nobody approved
APPROVAL_KEYS = ("approver", "signer")
#: a required box counts as empty when it holds only one of these
BLANKS = frozenset({"", "/", "／", "—", "-", "－", "无"})
#: the secrecy marks an outgoing lead document may carry
SECRET_MARKS = frozenset({"secret", "confidential"})
#: ``endorser`` data of an inquiry reply sent directly by a head of a Party committee (no endorsement)
DIRECT_REPLY = "direct"
#: ``outcome`` data of a talk or inquiry that ended in 了结 (the person must be told in writing)
OUTCOME_CLOSED = "close"
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
    problem: str = ""

    @property
    def real_name(self) -> bool:
        return Flag.REAL_NAME in self.flags

    def matches(self, rule: DeadlineRule) -> bool:
        return rule.applies.matches(
            category=self.category,
            flags=self.flags,
            action=self.action,
            channel=self.channel,
            problem=self.problem,
        )


def rule_for(pack: Pack, step: Step, shape: Shape) -> DeadlineRule | None:
    """The pack's time limit governing ``step`` of an item of ``shape``, if one applies."""
    return next((r for r in pack.rules.deadlines if r.step is step and shape.matches(r)), None)


def notice_rule(pack: Pack, shape: Shape) -> DeadlineRule | None:
    """The limit for telling a real-name reporter of acceptance; None when nobody here is to tell."""
    if not shape.real_name or shape.action is RouteAction.FILE:
        return None
    return rule_for(pack, Step.NOTICE, shape)


def reply_rule(pack: Pack, shape: Shape) -> tuple[str, DeadlineRule | None] | None:
    """Whom the file owes a reply after closing, and by which limit: ``("result", rule)`` for a
    real-name accusation handled here or below, ``("decision", None)`` for an appeal (the decision is
    served on the appellant), ``("answer", None)`` for a real-name suggestion; None when nobody is owed one.
    """
    if shape.action not in (RouteAction.SELF, RouteAction.ASSIGN):
        return None
    if shape.category is Category.APPEAL:
        return "decision", None
    if not shape.real_name:
        return None
    if shape.category is Category.SUGGESTION:
        return "answer", None
    result = rule_for(pack, Step.FEEDBACK, shape)
    return ("result", result) if result is not None else None


def disposal_rule(pack: Pack, shape: Shape) -> DeadlineRule | None:
    """The limit for proposing and approving how a lead is disposed of, when it applies."""
    return rule_for(pack, Step.DISPOSAL, shape)


def close_rule(pack: Pack, shape: Shape) -> DeadlineRule | None:
    """The limit for closing an item handled here (a lead, an appeal), when one applies."""
    if shape.action is not RouteAction.SELF:
        return None
    return rule_for(pack, Step.CLOSE, shape)


def referral_rule(pack: Pack, shape: Shape) -> DeadlineRule | None:
    """The limit for sending an item up, when it applies."""
    return rule_for(pack, Step.REFERRAL, shape)


def report_back_rule(pack: Pack, shape: Shape) -> DeadlineRule | None:
    """The 报结 limit an assignment letter sets, when it applies."""
    return rule_for(pack, Step.REPORT_BACK, shape)


def roster_cadre(pack: Pack, name: str | None, unit: str | None) -> Cadre | None:
    """The roster's cadre of this name at this unit (what a reviewer would look up)."""
    return next((c for c in pack.cadres if c.name == name and c.unit == unit), None)


def principal_of(pack: Pack, unit: str) -> Cadre | None:
    """The head of the Party committee (group) of ``unit`` in the roster, if the roster names one (for this
    commission's own staff: its head)."""
    heads = (CadreRole.PRINCIPAL, CadreRole.COMMISSION_HEAD)
    return next((c for c in pack.cadres if c.unit == unit and c.role in heads), None)


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
    """The commission's leaders and every office's people.

    The roster (``people.yaml``) names the commission's own head, deputies and some office heads, and each
    town commission's 纪委书记 / 纪工委书记; everyone else is drawn once per pack from its word lists.
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
        own = [c for c in pack.cadres if c.unit == j.commission.code]
        head = next((c for c in own if c.role is CadreRole.COMMISSION_HEAD), None)
        self.secretary = Staffer(head.name, head.post) if head else Staffer(name(), "区纪委书记、区监委主任")
        deputies = [Staffer(c.name, c.post) for c in own if "副书记" in c.post]
        while len(deputies) < 2:
            deputies.append(Staffer(name(), "区纪委副书记、区监委副主任"))
        self.deputies = tuple(deputies)
        self.teams: dict[str, Team] = {}
        for office in j.offices:
            title = "组长" if office.role == "stationed" else "主任"
            staff = tuple(Staffer(name(), "干部") for _ in range(3))
            cadre = next((c for c in own if c.post == office.name + title), None)
            chief = Staffer(cadre.name, cadre.post) if cadre else Staffer(name(), office.name + title)
            self.teams[office.code] = Team(office.code, office.name, chief, staff)
        heads = {c.unit: c for c in pack.cadres if c.post in ("纪委书记", "纪工委书记")}
        for town in j.towns:
            cadre = heads.get(town.code)
            chief = Staffer(cadre.name, f"{town.name}{cadre.post}") if cadre else Staffer(name(), "纪委书记")
            staff = tuple(Staffer(name(), "干部") for _ in range(2))
            self.teams[town.commission.code] = Team(town.commission.code, town.commission.name, chief, staff)

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
    """One numbered reported item and what the verification found.

    ``amount`` is the sum the item names (None when it names none); ``proved`` the part of it proved.
    """

    no: int
    text: str
    verdict: str = "unsubstantiated"  # substantiated | partly | unsubstantiated
    amount: int | None = None
    proved: int = 0


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
    route_rule: str
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
    #: what a verification (or the town commission's report) proposes for what it proved
    proposal: Proposal | None = None
    #: a talk or inquiry: "talk" (谈话) or "letter" (函询); and how it ended: "close" or "reminder"
    way: str = ""
    inquiry_outcome: str = ""

    @property
    def shape(self) -> Shape:
        flags = {_MODE_FLAGS[self.mode]}
        if self.repeat is not None:
            flags.add(Flag.REPEAT)
        if self.no_substance:
            flags.add(Flag.NO_SUBSTANCE)
        return Shape(self.category, frozenset(flags), self.route.action, self.channel, self.problem.code)

    @property
    def accusation(self) -> bool:
        return self.category is Category.ACCUSATION

    @property
    def has_closing(self) -> bool:
        return self.route.action in (RouteAction.SELF, RouteAction.ASSIGN)

    @property
    def proved_amount(self) -> int:
        return sum(i.proved for i in self.items)

    @property
    def amounts_named(self) -> bool:
        return any(i.amount is not None for i in self.items)


_MODE_FLAGS = {"real_name": Flag.REAL_NAME, "anonymous": Flag.ANONYMOUS, "impersonation": Flag.IMPERSONATION}
_MODE_LABELS = {"real_name": "实名", "anonymous": "匿名", "impersonation": "冒名(经核实署名人未反映)"}
_SPECIFICITY = {
    "specific": "反映问题具体，有可查性",
    "vague": "反映较为笼统，有一定可查性",
    "unverifiable": "反映系道听途说或主观猜测，没有可查性",
}


@dataclass(frozen=True, slots=True)
class Overrides:
    """What a defect that changes the course of handling (not just a document) sets before planning."""

    route: Route | None = None
    disposal: Disposal | None = None
    mode: str | None = None


PlanStep = Callable[["DossierDraft", Plan], None]


def _verdict(rng: random.Random) -> str:
    roll = rng.random()
    return "substantiated" if roll < 0.35 else "partly" if roll < 0.65 else "unsubstantiated"


def _proved(rng: random.Random, verdict: str, amount: int | None) -> int:
    """The part of an item's sum proved: all of it, a part (rounded to 100 yuan), or nothing."""
    if amount is None or verdict == "unsubstantiated":
        return 0
    if verdict == "substantiated":
        return amount
    return max(100, round(amount * between(rng, 30, 81) / 100 / 100) * 100)


def plan_items(ctx: DossierDraft, p: Plan) -> None:
    """The numbered reported items and what verifying them would find.

    An accusation lists its main fact and 1–3 further facts of the same problem type (other templates,
    their details drawn again): separate acts a verification must answer one by one. Other items list
    the sentences of the one matter they raise (up to two). The proposal follows the pack's
    proportionality table from what was proved (``rules.yaml`` → ``proposals``).
    """
    d, rng = p.draft, p.rng
    skip = (p.person.name,) if p.person is not None else ()
    items: list[tuple[str, int | None]] = []
    if p.accusation and not p.no_substance:
        first = gist(d.facts, skip)
        items.append((first, _named(first, d.amount)))
        others = [f for f in p.problem.facts if f.specificity == d.specificity]
        others += [
            f for f in p.problem.facts if f.specificity != d.specificity and f.specificity != "unverifiable"
        ]
        others = [f for f in others if f.text.format_map(d.slots) != d.facts]
        slots = dict(d.slots)
        for key, values in p.problem.vars.items():
            slots[key] = pick(rng, values)
        if p.problem.amount is not None:
            lo, hi, step = p.problem.amount
            cap = _below_escalation(ctx.pack, p, d.amount)
            if cap is not None:  # every further matter that names a sum names this one: split the room
                hi = min(hi, cap // max(1, sum("{amount}" in f.text for f in others)))
            if hi >= lo:
                slots["amount"] = lo + step * between(rng, 0, (hi - lo) // step + 1)
            else:  # no further sum fits under the threshold: only matters that name none
                others = [f for f in others if "{amount}" not in f.text]
        wanted = between(rng, 2, 5)
        for template in others:
            if len(items) >= wanted:
                break
            text = gist(template.text.format_map(slots), skip)
            if text not in (t for t, _ in items):
                items.append((text, _named(text, slots.get("amount"))))
    else:
        texts = sentences(d.facts, skip)[:1] if p.no_substance else sentences(d.facts, skip)[:2]
        items = [(t, None) for t in (texts or [d.facts.strip()])]
    p.items = []
    for n, (text, amount) in enumerate(items, start=1):
        verdict = _verdict(rng)
        p.items.append(Item(n, text, verdict, amount, _proved(rng, verdict, amount)))
    p.conclusion = conclusion_of(p.items)
    p.proposal = proposal_for(ctx.pack, p.items)
    if not p.accusation:
        p.outcome = pick(rng, _PETITION_OUTCOMES.get(p.problem.code) or _PETITION_OUTCOMES[p.category.value])


def _below_escalation(pack: Pack, p: Plan, main: int | None) -> int | None:
    """The largest further sum a file that was not escalated may list, so that what it reports stays under
    the 提级办理 threshold of its problem type (``rules.yaml`` → ``escalation``); None when none applies."""
    truth = p.draft.truth
    if truth is None or truth.route_rule not in ("town", "village"):  # only these can be escalated
        return None
    rules = [e for e in pack.rules.escalation if p.problem.code in e.problems]
    if not rules:
        return None
    return min(e.min_amount for e in rules) - 1 - (main or 0)


def _named(text: str, amount: Any) -> int | None:
    """The sum an item's text names (``…元``), if it names the one drawn for it."""
    return amount if isinstance(amount, int) and f"{amount}元" in text else None


def proposal_for(pack: Pack, items: Sequence[Item]) -> Proposal | None:
    """What the pack's proportionality table proposes for what ``items`` proved."""
    proved = sum(1 for i in items if i.verdict != "unsubstantiated")
    rule = pack.rules.proposal_for(proved, len(items), sum(i.proved for i in items))
    return rule.proposal if rule is not None else None


def plan_people(ctx: DossierDraft, p: Plan) -> None:
    """Who registers, proposes, approves, handles and tells: from the commission's staff. A report for the
    level above is instructed by the commission's head (径送本机关主要负责人); an inquiry reply is endorsed
    by the head of the person's Party committee, unless the person is that head."""
    staff, rng, j = ctx.staff, p.rng, ctx.pack.jurisdiction
    petitions = staff.teams[j.office_by_role("petitions").code]
    clerks = list(petitions.staff)
    p.people["registrar"] = clerks.pop(int(rng.random() * len(clerks)))
    p.people["proposer"] = pick(rng, (p.people["registrar"], *clerks))
    p.people["teller"] = pick(rng, clerks)
    p.people["petitions_head"] = petitions.head
    deputy = pick(rng, staff.deputies)
    p.people["leader"] = staff.secretary if p.route.action is RouteAction.REPORT_UP else deputy
    team = staff.team(p.route.unit)
    if team is not None:
        pair = list(team.staff)
        first = pair.pop(int(rng.random() * len(pair)))
        p.people["handler"] = first
        p.people["handler2"] = pick(rng, pair)
        p.people["handler_head"] = team.head
    p.people["visitor"] = pick(rng, petitions.staff)
    a = p.accused
    if a is not None and a.role not in (CadreRole.PRINCIPAL, CadreRole.COMMISSION_HEAD):
        chief = principal_of(ctx.pack, a.unit)
        if chief is not None:
            p.people["endorser"] = Staffer(chief.name, chief.post)


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
    related = p.draft.related
    if related is not None:
        p.numbers["related"] = original_number(ctx.pack, related)


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
    forwarded = rule_for(pack, Step.ROUTING, shape)
    if forwarded is not None:
        routed = min(routed, on_or_before(cal, forwarded.due(r, cal)))
    dates["routed"] = max(routed, reg)
    if action in (RouteAction.FILE, RouteAction.ADVISE):
        return
    limit = referral_rule(pack, shape)
    if limit is not None:
        last = on_or_before(cal, limit.due(r, cal))
        referred = min(referred, last)
        instructed = min(instructed, referred)
    plan_rule = disposal_rule(pack, shape)
    if plan_rule is not None:
        instructed = min(instructed, on_or_before(cal, plan_rule.due(r, cal)))
    dates["routed"] = routed = max(min(dates["routed"], instructed), reg)
    dates["instructed"] = instructed = max(instructed, routed)
    if action in (RouteAction.ASSIGN, RouteAction.REPORT_UP, RouteAction.TRANSFER):
        dates["referred"] = referred = max(referred, instructed)
    if action is RouteAction.ASSIGN and p.repeat is not None:
        return  # a repeat passed down again: the town commission logs it against the original
    if action is RouteAction.ASSIGN:
        back = report_back_rule(pack, shape)
        due = back.due(referred, cal) if back is not None else cal.add_calendar_days(referred, 90)
        dates["ref_due"] = due
        closed = min(cal.add_working_days(referred, between(rng, 15, 45)), on_or_before(cal, due))
        dates["closed"] = max(closed, referred)
    elif action is RouteAction.TRANSFER:
        dates["dept_replied"] = cal.next_workday(
            WorkCalendar.add_calendar_days(referred, between(rng, 20, 56))
        )
    elif action is RouteAction.SELF and p.accusation:
        _plan_lead_dates(ctx, p, instructed)
    elif action is RouteAction.SELF:
        _plan_petition_dates(ctx, p, instructed)
    notice = notice_rule(pack, shape)
    if notice is not None:
        day = cal.add_working_days(instructed, between(rng, 0, 4))
        dates["noticed"] = max(min(day, on_or_before(cal, notice.due(r, cal))), routed)
    told = reply_rule(pack, shape)
    if told is not None and "closed" in dates:
        kind, rule = told
        closed = dates["closed"]
        start = dates.get("closure_sent", closed)
        reply = cal.add_working_days(start, between(rng, 0, 7 if kind == "result" else 4))
        if rule is not None:
            reply = min(reply, on_or_before(cal, rule.due(closed, cal)))
        dates["replied"] = max(reply, start)
        if kind == "result":
            dates["followed"] = cal.add_working_days(dates["replied"], between(rng, 5, 21))


def _plan_lead_dates(ctx: DossierDraft, p: Plan, instructed: date) -> None:
    """A lead handled here: verification, a talk or an inquiry, or a decision to hold or close; closed
    within the pack's limit for leads, or within an extension approved before it ran out."""
    cal, rng, dates, pack = ctx.pack.calendar, p.rng, p.dates, ctx.pack
    if p.disposal is Disposal.PRELIMINARY_VERIFICATION:
        long = rng.random() < 0.2
        dates["verified"] = cal.add_working_days(
            instructed, between(rng, 50, 75) if long else between(rng, 12, 31)
        )
        closed = cal.add_working_days(dates["verified"], between(rng, 1, 5))
    elif p.disposal is Disposal.TALK_INQUIRY:
        p.way = "talk" if rng.random() < 0.4 else "letter"
        p.inquiry_outcome = OUTCOME_CLOSED if rng.random() < 0.7 else "reminder"
        if p.way == "talk":
            answered = dates["talked"] = cal.add_working_days(instructed, between(rng, 2, 9))
        else:
            sent = dates["sent"] = cal.add_working_days(instructed, between(rng, 1, 5))
            got = dates["inquiry_received"] = cal.add_working_days(sent, between(rng, 1, 3))
            answered = cal.add_working_days(got, between(rng, 3, 13))
            reply = rule_for(pack, Step.INQUIRY_REPLY, p.shape)
            if reply is not None:
                answered = min(answered, reply.due(got, cal))
            dates["explained"] = answered
        report = cal.add_working_days(answered, between(rng, 2, 12))
        limit = rule_for(pack, Step.INQUIRY_REPORT, p.shape)
        if limit is not None:
            report = min(report, on_or_before(cal, limit.due(answered, cal)))
        dates["inquired"] = max(report, answered)
        closed = cal.add_working_days(dates["inquired"], between(rng, 1, 5))
        if p.inquiry_outcome == OUTCOME_CLOSED:
            dates["closure_sent"] = cal.add_working_days(closed, between(rng, 0, 3))
    else:
        closed = cal.add_working_days(instructed, between(rng, 2, 9))
    rule = close_rule(pack, p.shape)
    if rule is not None:
        due = rule.due(p.received, cal)
        if closed > due and rule.extension is not None:
            _plan_extension(ctx, p, rule, p.received, instructed)
            closed = min(closed, on_or_before(cal, dates["ext_due"]))
            if "verified" in dates:
                # the verification that needed the extension is reported after it was approved
                dates["verified"] = max(dates["verified"], dates["extended"])
                closed = max(closed, dates["verified"])
        elif closed > due:
            closed = on_or_before(cal, due)
    dates["closed"] = closed
    if "verified" in dates:
        dates["verified"] = min(dates["verified"], closed)


def _plan_extension(ctx: DossierDraft, p: Plan, rule: DeadlineRule, start: date, earliest: date) -> None:
    """An extension approved a few working days before the limit runs out (the reason told where the rule
    asks for it)."""
    cal, rng, dates = ctx.pack.calendar, p.rng, p.dates
    due = rule.due(start, cal)
    dates["orig_due"] = due
    dates["ext_due"] = rule.due(start, cal, extended=True)
    extended = max(cal.add_working_days(on_or_before(cal, due), -between(rng, 1, 7)), earliest)
    dates["extended"] = extended
    if rule.extension is not None and rule.extension.tell:
        told = min(cal.add_working_days(extended, between(rng, 0, 3)), on_or_before(cal, due))
        dates["ext_notified"] = max(told, extended)
    p.extension = True
    p.extension_reason = pick(rng, _EXTENSION_REASONS)


def _plan_petition_dates(ctx: DossierDraft, p: Plan, instructed: date) -> None:
    """An appeal or a suggestion: an appeal is decided within its own limit (from acceptance or receipt,
    as the pack's rule says); a suggestion has none, and is answered in a few weeks."""
    cal, rng, dates, pack = ctx.pack.calendar, p.rng, p.dates, ctx.pack
    closed = cal.add_working_days(instructed, between(rng, 10, 30))
    rule = close_rule(pack, p.shape)
    if rule is not None:
        start = dates["routed"] if rule.start.value == "accepted" else p.received
        closed = min(closed, on_or_before(cal, rule.due(start, cal)))
    dates["closed"] = max(closed, instructed)


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
            disposal = d.problem.disposal.get(d.specificity) or d.problem.disposal["vague"]
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
            route_rule=truth.route_rule or "" if over.route is None else "",
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
    """登记表: source, reporter, accused, category, the numbered items, the sum reported, the 查重 result."""
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
    reported = p.draft.amount
    if p.accusation and reported is not None:
        fields.append(FieldDraft("amount", "反映涉及金额", f"{reported}元", str(reported)))
    if p.accusation:
        fields.append(
            FieldDraft("assessment", "内容研判", "只有结论性指责，无具体事实，属无实质内容", "no_substance")
            if p.no_substance
            else FieldDraft("assessment", "内容研判", _SPECIFICITY[p.draft.specificity], p.draft.specificity)
        )
    related = p.draft.related
    if p.repeat is not None:
        original = p.numbers["original"]
        text = (
            f"经检索，与{original}({cn_date(p.repeat.received)}收件)反映的问题相同，无新的事实和证据，"
            "系重复件"
        )
        fields += [
            FieldDraft("dedupe", "查重情况", text, original),
            FieldDraft("repeat_of", "关联原件编号", original, original),
        ]
    elif related is not None:
        earlier = p.numbers["related"]
        added = "新的事实" if p.draft.novelty == "facts" else "新的证据"
        text = (
            f"经检索，{earlier}({cn_date(related.received)}收件)系同一人反映同一干部；"
            f"本件提出{added}，按新线索登记"
        )
        fields += [
            FieldDraft("dedupe", "查重情况", text, None),
            FieldDraft("related", "相关件编号", earlier, earlier),
            FieldDraft("repeat_of", "关联原件编号", "—", None),
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


def _opinion(ctx: DossierDraft, p: Plan) -> str:
    """The 拟办意见 of a routing slip: where the item goes and why."""
    j = ctx.pack.jurisdiction
    route = p.route
    action = route.action
    unit = _unit_name(ctx, route.unit)
    n = len(p.items)
    repeat_note = (
        f"经查重，该件与{p.numbers['original']}反映的问题相同，系重复件。" if p.repeat is not None else ""
    )
    if action is RouteAction.FILE:
        if p.repeat is not None:
            return (
                f"{repeat_note}原件已按规定办理，本件没有新的事实和证据。根据有关规定，建议登记后留存备查，"
                "不再重复办理。"
            )
        if p.no_substance:
            return (
                "该件只有结论性的指责，没有反映具体问题，也没有可查的线索，属无实质内容件，不予受理，"
                "建议登记后留存备查。"
            )
        return "经审查，该件反映的事项不属于纪检监察机关受理范围，建议登记后留存备查。"
    if action is RouteAction.ADVISE:
        how = {Channel.VISIT: "来访人", Channel.PHONE: "来电人"}.get(p.channel, "反映人")
        return (
            f"该件反映的事项属于{unit}的职责范围，不属于纪检监察机关受理范围。接谈时已向{how}讲清原因，"
            f"告知其依法向{unit}反映，并说明了办理途径。建议登记备查。"
        )
    if action is RouteAction.TRANSFER:
        copy = f"同时抄送{_unit_name(ctx, route.copy_to)}跟踪督办，" if route.copy_to else ""
        return (
            f"该件反映的事项属于{unit}的职责范围，不属于纪检监察机关受理范围。建议转{unit}依法处理，"
            f"{copy}请{unit}将办理情况反馈我委。"
        )
    if not p.accusation:
        if p.category is Category.APPEAL:
            return (
                f"该件系对本机关所作决定不服提出的{p.problem.name}，属于本机关受理。建议予以受理，交{unit}办理，"
                "原案审查调查、审理人员不参与办理，按规定期限作出决定并送达申诉人。"
            )
        return f"该件系意见建议，建议交{unit}研究办理，" + (
            "采纳情况予以回复。" if p.mode == "real_name" else "研究采纳。"
        )
    assert p.accused is not None
    if action is RouteAction.REPORT_UP:
        if p.accused.role is CadreRole.COMMISSION_HEAD:
            return (
                f"{repeat_note}该件反映本机关主要负责人{p.accused.name}的问题。按照规定，"
                f"建议将原件径送{j.superior.name}信访举报部门。"
            )
        return (
            f"{repeat_note}被反映人{p.accused.name}系{p.accused.level.zh}，属于上级纪检监察机关受理。"
            f"按照干部管理权限，建议径送本机关主要负责人后，将原件报送{j.superior.name}信访举报部门。"
        )
    if action is RouteAction.ASSIGN:
        return (
            f"{repeat_note}该件反映{_accused_phrase(p)}的问题，共{n}项。被反映人系{p.accused.level.zh}，"
            f"按照干部管理权限属于下级纪检监察机关受理，建议转{unit}办理，并要求其按期报结。"
        )
    assert p.disposal is not None
    if p.route_rule == "escalate":
        why = (
            f"被反映人系{p.accused.level.zh}，反映的问题涉嫌职务犯罪，镇街纪(工)委没有职务犯罪调查权，"
            f"建议由本委直接办理(提级办理)，交{unit}承办"
        )
    elif p.route_rule == "discipline":
        why = f"被反映人系纪检监察干部，建议交{unit}承办"
    else:
        why = f"按照干部管理权限，建议由{unit}承办"
    return f"该件反映{_accused_phrase(p)}的问题，共{n}项。{why}，拟采取{p.disposal.zh}方式处置。"


def routing_slip(ctx: DossierDraft, p: Plan) -> DocDraft:
    """分办单 with the 拟办意见: where the item goes and, for a lead handled here, how it is disposed of."""
    rng = p.rng
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
    quiet = action in (RouteAction.FILE, RouteAction.ADVISE) or _straight_up(p)
    closing = "" if quiet else pick(rng, ("妥否，请领导批示。", "当否，请批示。"))
    return DocDraft(
        "routing", "信访举报件分办单", "routed", fields, ["拟办意见：" + _opinion(ctx, p) + closing]
    )


def _straight_up(p: Plan) -> bool:
    """A report about this commission's own head goes straight up, without his instruction."""
    return (
        p.route.action is RouteAction.REPORT_UP
        and p.accused is not None
        and p.accused.role is CadreRole.COMMISSION_HEAD
    )


def leader_instruction(ctx: DossierDraft, p: Plan) -> DocDraft | None:
    """领导批示: the leader in charge agrees and says who does what (for a report to the level above, the
    commission's head, to whom it goes first)."""
    action = p.route.action
    if action in (RouteAction.FILE, RouteAction.ADVISE) or _straight_up(p):
        return None
    j = ctx.pack.jurisdiction
    unit = _unit_name(ctx, p.route.unit)
    if action is RouteAction.REPORT_UP:
        text = f"同意。按规定报送{j.superior.name}，不得复制、摘抄，不录入检举举报平台。"
    elif action is RouteAction.TRANSFER:
        text = f"同意转{unit}处理，请联系该部门的纪检监察室(组)跟踪督办。"
    elif action is RouteAction.ASSIGN:
        text = f"同意转{unit}办理。请信访室跟踪督办，按期收回办理结果。"
    elif p.disposal is Disposal.PRELIMINARY_VERIFICATION:
        text = f"同意拟办意见。请{unit}按初步核实方式抓紧办理，对反映的问题逐项查清，按时报结。"
    elif p.disposal is Disposal.TALK_INQUIRY:
        way = "谈话" if p.way == "talk" else "函询"
        text = f"同意。请{unit}对反映的问题进行{way}，情况及时报告。"
    elif p.disposal is Disposal.HOLD:
        text = f"同意暂存待查。请{unit}留意相关情况，条件成熟时再行处置。"
    elif p.disposal is not None:
        text = f"同意{p.disposal.zh}。请{unit}做好相关工作。"
    elif p.category is Category.APPEAL:
        text = f"同意受理。请{unit}成立复查组，调阅原案卷宗，集体研究后按规定期限提出办理意见。"
    else:
        text = f"同意。请{unit}认真研究，采纳情况及时回复。"
    fields = [
        FieldDraft("number", "登记编号", p.numbers["registration"], p.numbers["registration"]),
        _person("signer", "批示领导", p.people["leader"], with_post=True),
        _date_field("date", "批示日期", "instructed"),
    ]
    return DocDraft("instruction", "领导批示单", "instructed", fields, ["批示：" + text])


def referral_letter(ctx: DossierDraft, p: Plan) -> DocDraft | None:
    """交办函 (assign, with its own 报结期限), 报送函 (report_up) or 转送函 with 抄送 (transfer)."""
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
        copied = f"，同时抄送{_unit_name(ctx, copy)}" if copy else ""
        body = [
            f"{to_name}：",
            f"我委于{{d:received}}收到{who}来信反映的信访事项，主要内容是：{items}。",
            "经审查，该事项属于你单位职责范围，不属于纪检监察机关受理范围。现转你单位依法处理"
            f"{copied}。请在办理后将处理情况反馈我委，并按规定答复信访人。",
            "附件：信访材料1份",
            commission,
        ]
        return DocDraft("referral", "信访事项转送函", "referred", fields, body)
    assert p.accused is not None
    fields.append(FieldDraft("secrecy", "密级", "秘密", "secret"))
    fields += _accused_fields(p)
    if action is RouteAction.REPORT_UP:
        fields.append(_date_field("date", "发文日期", "referred"))
        if _straight_up(p):
            why = "反映本机关主要负责人的问题，按照规定径送你委"
        else:
            why = f"被反映人系{p.accused.level.zh}，按照干部管理权限应由你委受理，现将原件报送你委"
        body = [
            f"{j.superior.name}信访举报部门：",
            f"我委于{{d:received}}收到反映{_accused_phrase(p)}有关问题的信访举报件。经审查，{why}。",
            "附件：信访举报件原件1份",
            commission,
        ]
        return DocDraft("referral", "关于报送信访举报件的报告", "referred", fields, body)
    petitions = j.office_by_role("petitions").name
    if p.repeat is not None:
        fields.append(_date_field("date", "发文日期", "referred"))
        body = [
            f"{to_name}：",
            f"我委收到反映{_accused_phrase(p)}有关问题的信访举报件，经查重，与{p.numbers['original']}反映的问题"
            "相同，系重复件。按照干部管理权限，属于你委受理，现转你委登记，与原件一并研究处理。",
            "办理中请严格遵守保密纪律，不得向被反映人及其他无关人员透露举报人情况和举报内容。",
            "附件：信访举报件摘要1份",
            commission,
        ]
        return DocDraft("referral", "关于转交信访举报件的函", "referred", fields, body)
    fields.append(_date_field("due", "报结期限", "ref_due", "{}前报送结果"))
    fields.append(_date_field("date", "发文日期", "referred"))
    body = [
        f"{to_name}：",
        f"我委收到反映{_accused_phrase(p)}有关问题的信访举报件(共{len(p.items)}项)。按照干部管理权限，"
        "属于你委受理，现转你委办理。",
        "请你委登记受理，对实名举报的按规定告知受理情况并反馈处理结果；认真核查，逐项查清反映的问题，"
        f"于{{d:ref_due}}前将核查情况和处理意见书面报送区纪委监委{petitions}。",
        "办理中请严格遵守保密纪律，不得向被反映人及其他无关人员透露举报人情况和举报内容。",
        "附件：信访举报件摘要1份",
        commission,
    ]
    return DocDraft("referral", "关于转交信访举报件的函", "referred", fields, body)


def notice_record(ctx: DossierDraft, p: Plan) -> DocDraft | None:
    """受理告知记录: a real-name reporter told that this commission accepted the item."""
    if "noticed" not in p.dates or p.person is None:
        return None
    rng = p.rng
    teller = p.people["teller"]
    method = pick(rng, tuple(_HOW))
    text = (
        "告知举报人：其反映的问题已于{d:registered}登记受理，正在按规定办理；同时提醒其对举报内容注意保密。"
    )
    fields = [
        FieldDraft("kind", "告知事项", "受理告知", "acceptance"),
        FieldDraft("to", "告知对象", p.person.name, p.person.name),
        FieldDraft("method", "告知方式", method, method),
        _person("handler", "告知人", teller),
        _date_field("date", "告知日期", "noticed"),
    ]
    return DocDraft(
        "notice", "实名举报受理情况告知记录", "noticed", fields, [f"{{d:noticed}}，{_HOW[method]}" + text]
    )


_HOW = {"电话": "通过电话", "手机短信": "以手机短信", "当面": "当面"}


_EVIDENCE = ("相关会计凭证和银行流水", "会议记录和审批单据", "公示资料和入户调查记录", "相关合同和现场照片")
_WITNESSES = ("经办人员", "知情群众", "财务人员", "相关村(居)民")


def _finding(p: Plan, item: Item) -> str:
    who = p.accused.name if p.accused is not None else "被反映人"
    if item.verdict == "substantiated":
        evidence, witness = pick(p.rng, _EVIDENCE), pick(p.rng, _WITNESSES)
        sum_ = f"，查实金额{item.proved}元" if item.amount is not None else ""
        return f"经调取{evidence}，并与{witness}谈话核实，反映的情况属实{sum_}，{who}对此予以承认。"
    if item.verdict == "partly":
        if item.amount is not None:
            return (
                f"经核查，反映的情况部分属实：有关事实确实存在，但查实的金额为{item.proved}元，"
                f"与反映的{item.amount}元不一致。"
            )
        return "经核查，反映的情况部分属实：有关事实确实存在，但涉及的次数、人数与反映的不完全一致。"
    return "经调取有关资料、走访知情人员，未发现反映的情况，该项问题不属实。"


CONCLUSIONS: Mapping[str, str] = MappingProxyType(
    {"substantiated": "反映问题属实", "partly": "反映问题部分属实", "unsubstantiated": "反映问题不属实"}
)

#: what a proposal asks for, as a verification report words it (``{who}``: the person reported)
_PROPOSALS: Mapping[Proposal, str] = MappingProxyType(
    {
        Proposal.CLOSE: "建议予以了结，并向被反映人所在单位党组织说明情况。",
        Proposal.TALK_REMINDER: "建议对{who}进行谈话提醒，督促其立即纠正。",
        Proposal.CRITICISM: "建议对{who}进行批评教育，责令其作出书面检查并限期整改。",
        Proposal.ADMONITION: "建议对{who}予以诫勉谈话，责令退还违规款项。",
        Proposal.FILE_CASE: "查实的问题需要追究纪律责任，建议按程序对{who}提出拟立案审查调查的意见。",
    }
)


def suggestion(p: Plan, proposal: Proposal | None) -> str:
    """The handling a verification proposes."""
    who = p.accused.name if p.accused is not None else "被反映人"
    text = _PROPOSALS.get(proposal or Proposal.CLOSE, _PROPOSALS[Proposal.CLOSE]).format(who=who)
    if proposal is Proposal.CLOSE and p.mode == "real_name":
        text += "同时做好对举报人的反馈说明工作。"
    return text


def _verdicts_data(items: Sequence[Item]) -> str:
    return ",".join(f"{i.no}:{i.verdict}" for i in items)


def verification_report(ctx: DossierDraft, p: Plan) -> DocDraft | None:
    """初核报告 answering every reported item in turn, with the sums proved, then the conclusion and a
    proposal that fits what was proved (the pack's proportionality table)."""
    if p.route.action is not RouteAction.SELF or p.disposal is not Disposal.PRELIMINARY_VERIFICATION:
        return None
    assert p.accused is not None
    office = _unit_name(ctx, p.route.unit)
    shown, data = _items_value(p.items)
    fields = [
        FieldDraft("unit", "承办部门", office, p.route.unit),
        *_accused_fields(p, "被核查人"),
        FieldDraft("items", "核查事项", shown, data),
        FieldDraft(
            "verdicts",
            "逐项结论",
            "；".join(f"第{i.no}项{_VERDICTS[i.verdict]}" for i in p.items),
            _verdicts_data(p.items),
        ),
    ]
    if p.amounts_named:
        fields.append(FieldDraft("proved", "查实金额", f"{p.proved_amount}元", str(p.proved_amount)))
    proposal = p.proposal or Proposal.CLOSE
    fields += [
        FieldDraft("conclusion", "核查结论", CONCLUSIONS[p.conclusion], p.conclusion),
        FieldDraft("proposal", "处置建议", proposal.zh, proposal.value),
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
    paragraphs.append(verification_summary(p, p.conclusion, proposal))
    return DocDraft(
        "verification", f"关于{p.accused.name}同志有关问题的初步核实情况报告", "verified", fields, paragraphs
    )


def verification_summary(p: Plan, conclusion: str, proposal: Proposal | None) -> str:
    """The last paragraph of a verification report: the overall finding and the proposal."""
    proved = f"，查实金额共计{p.proved_amount}元" if p.amounts_named and p.proved_amount else ""
    return f"综上，{CONCLUSIONS[conclusion]}{proved}。{suggestion(p, proposal)}妥否，请审示。"


def talk_transcript(ctx: DossierDraft, p: Plan) -> DocDraft | None:
    """谈话笔录: made by the commission (the office's head talks), read over and signed by the person."""
    if p.way != "talk" or p.accused is None or p.route.action is not RouteAction.SELF:
        return None
    head, clerk = p.people["handler_head"], p.people["handler"]
    place = pick(p.rng, ("区纪委监委谈话室", "区纪委监委机关会议室"))
    fields = [
        *_accused_fields(p, "被谈话人"),
        _person("talker", "谈话人", head, with_post=True),
        _person("handler", "记录人", clerk),
        FieldDraft("place", "谈话地点", place, place),
        FieldDraft(
            "signature", "被谈话人签名", f"以上笔录我看过，与我说的一致。{p.accused.name}", p.accused.name
        ),
        _date_field("date", "谈话时间", "talked"),
    ]
    paragraphs = ["问：今天找你谈话，是就反映你的有关问题了解情况，请你如实说明。答：好的，我如实说明。"]
    for item in p.items:
        paragraphs.append(f"问：有反映称“{item.text.rstrip('。')}”，情况是否属实？答：我把情况说明一下……")
    paragraphs.append("问：你还有什么要补充的？答：没有了，我会深刻反思，按组织要求做好整改。")
    return DocDraft("transcript", "谈话笔录", "talked", fields, paragraphs)


def inquiry_record(ctx: DossierDraft, p: Plan) -> DocDraft | None:
    """谈话函询情况报告: for a letter, when it was sent and received, the reply (endorsed by the head of the
    person's Party committee, or sent directly when the person is that head); for a talk, when it was held;
    then the assessment and how it ended, within a month of the reply or the talk."""
    if p.route.action is not RouteAction.SELF or p.disposal is not Disposal.TALK_INQUIRY:
        return None
    assert p.accused is not None
    office = _unit_name(ctx, p.route.unit)
    shown, data = _items_value(p.items)
    closed = p.inquiry_outcome == OUTCOME_CLOSED
    outcome = (
        ("采信说明，予以了结，并向其发函反馈", OUTCOME_CLOSED)
        if closed
        else ("存在轻微问题，予以谈话提醒", "reminder")
    )
    fields = [FieldDraft("way", "方式", "谈话" if p.way == "talk" else "函询", p.way)]
    fields += _accused_fields(p, "被谈话人" if p.way == "talk" else "被函询人")
    fields.append(FieldDraft("items", "谈话函询事项", shown, data))
    if p.way == "letter":
        endorser = p.people.get("endorser")
        fields += [
            _date_field("sent", "函询日期", "sent"),
            _date_field("inquiry_received", "函件送达日期", "inquiry_received"),
            _date_field("explained", "收到说明日期", "explained"),
            FieldDraft(
                "endorser",
                "签署意见人",
                f"{endorser.name}({endorser.post})"
                if endorser
                else "直接回复(被函询人系党委(党组)主要负责人)",
                endorser.name if endorser else DIRECT_REPLY,
            ),
            FieldDraft("secrecy", "密级", "秘密", "secret"),
        ]
    else:
        fields.append(_date_field("talked", "谈话日期", "talked"))
    fields += [
        FieldDraft("outcome", "处理意见", outcome[0], outcome[1]),
        _person("handler", "承办人", p.people["handler"]),
        _person("approver", "审核人", p.people["handler_head"]),
        _date_field("date", "报告日期", "inquired"),
    ]
    if p.way == "letter":
        principal = p.people.get("endorser")
        how = (
            f"经所在党委(党组)主要负责人签署意见后报送{office}"
            if principal is not None
            else f"直接报送{office}(你系党委(党组)主要负责人，无需他人签署意见)"
        )
        paragraphs = [
            f"函询函要点：{p.accused.name}同志，有反映你存在下列问题，现予函询。请你于收到本函后15个工作日内"
            f"如实作出书面说明，{how}。"
        ]
        paragraphs += [f"{i.no}. {i.text}" for i in p.items]
        signed = f"，{principal.name}已签署意见" if principal is not None else "，系本人直接回复"
        paragraphs.append(
            f"{p.accused.name}于{{d:inquiry_received}}收到函件，于{{d:explained}}报送书面说明{signed}，"
            "对函询事项逐项作了说明。"
        )
    else:
        paragraphs = [
            f"{{d:talked}}，{office}负责人与{p.accused.name}谈话，就反映的下列问题听取说明，制作了谈话笔录。"
        ]
        paragraphs += [f"{i.no}. {i.text}" for i in p.items]
    if closed:
        paragraphs.append(
            "经分析研判，其说明基本清楚，反映的问题没有证据证明存在，建议采信说明、予以了结，并向其发函反馈。"
        )
    else:
        paragraphs.append(
            "经分析研判，反映的问题部分存在但情节轻微，不需要追究纪律责任，建议对其进行谈话提醒。"
        )
    title = "谈话情况报告" if p.way == "talk" else "函询情况报告"
    owns = () if p.way == "talk" else ("sent", "inquiry_received", "explained")
    return DocDraft("inquiry", title, "inquired", fields, paragraphs, owns=owns)


_EXTENSION_REASONS = (
    "涉及多个部门的资料调取，需要组织会商",
    "需要调阅历年档案材料逐件核对",
    "需要赴实地核实有关情况",
    "需要等待有关单位出具书面意见",
)


def extension_approval(ctx: DossierDraft, p: Plan) -> DocDraft | None:
    """延期审批: approved before the limit ran out, at most the pack's extension (and the reason told where
    the rule asks for that)."""
    if not p.extension:
        return None
    fields = [
        FieldDraft("number", "登记编号", p.numbers["registration"], p.numbers["registration"]),
        _date_field("received", "收件日期", "received"),
        _date_field("orig_due", "原办理期限", "orig_due"),
        _date_field("new_due", "申请延长至", "ext_due"),
        FieldDraft("reason", "延期理由", p.extension_reason, None),
    ]
    owns: tuple[str, ...] = ()
    if "ext_notified" in p.dates:
        fields.append(_date_field("notified", "告知延期理由", "ext_notified", "已于{}告知延期理由"))
        owns = ("ext_notified",)
    fields += [
        _person("approver", "批准人", p.people["leader"]),
        _date_field("date", "审批日期", "extended"),
    ]
    text = f"该件{p.extension_reason}，难以在规定期限内办结，申请延期办理。"
    return DocDraft("extension", "办理期限延期审批表", "extended", fields, [text], owns=owns)


def closing_report(ctx: DossierDraft, p: Plan) -> DocDraft | None:
    """办结报告 (for an assigned item: the town commission's report back; for an appeal: the decision)."""
    if "closed" not in p.dates:
        return None
    rng = p.rng
    unit = _unit_name(ctx, p.route.unit)
    action = p.route.action
    if action is RouteAction.ASSIGN:
        assert p.accused is not None
        town = ctx.staff.teams[p.route.unit]
        verdicts = "；".join(f"第{i.no}项{_VERDICTS[i.verdict]}" for i in p.items)
        proposal = p.proposal or Proposal.CLOSE
        fields = [
            FieldDraft("unit", "报告单位", unit, p.route.unit),
            *_accused_fields(p),
            FieldDraft("verdicts", "逐项结论", verdicts, _verdicts_data(p.items)),
        ]
        if p.amounts_named:
            fields.append(FieldDraft("proved", "查实金额", f"{p.proved_amount}元", str(p.proved_amount)))
        fields += [
            FieldDraft("result", "办理结果", f"{CONCLUSIONS[p.conclusion]}，{proposal.zh}", proposal.value),
            _person("handler", "承办人", pick(rng, town.staff)),
            _person("approver", "审批人", town.head),
            _date_field("date", "报告日期", "closed"),
        ]
        petitions = ctx.pack.jurisdiction.office_by_role("petitions").name
        body = [
            f"区纪委监委{petitions}：",
            f"我委于{{d:referred}}收到转来的反映{p.accused.name}同志有关问题的信访举报件后，即登记受理，组织人员"
            f"开展核查，调取了有关资料，与相关人员谈话了解情况。核查情况：{verdicts}。",
            verification_summary(p, p.conclusion, proposal).replace("妥否，请审示。", ""),
            "特此报告。",
        ]
        return DocDraft("closing", f"关于{p.accused.name}同志有关问题核查情况的报告", "closed", fields, body)
    fields = [FieldDraft("unit", "承办部门", unit, p.route.unit), *_accused_fields(p)]
    if p.accusation:
        assert p.accused is not None and p.disposal is not None
        fields.append(FieldDraft("disposal", "处置方式", p.disposal.zh, p.disposal.value))
        if p.disposal is Disposal.PRELIMINARY_VERIFICATION:
            proposal = p.proposal or Proposal.CLOSE
            result = (result_text(p, p.conclusion, proposal), proposal.value)
            body = [
                f"{unit}于{{d:verified}}完成初步核实，形成初核报告，对反映的{len(p.items)}项问题逐项作出了结论。",
                "经领导审批，该问题线索按办理结果栏所列意见办结。",
            ]
            title = f"关于{p.accused.name}问题线索的办结报告"
        elif p.disposal is Disposal.TALK_INQUIRY:
            way = "谈话" if p.way == "talk" else "函询"
            if p.inquiry_outcome == OUTCOME_CLOSED:
                result = (f"{way}后采信说明，予以了结", OUTCOME_CLOSED)
                end = "经领导审批，该问题线索予以了结，并向被谈话函询人发函反馈。"
            else:
                result = (f"{way}后予以谈话提醒", Proposal.TALK_REMINDER.value)
                end = "经领导审批，对其进行谈话提醒。"
            start = (
                "{d:talked}与其谈话"
                if p.way == "talk"
                else "{d:sent}向其发出函询函，于{d:explained}收到书面说明"
            )
            body = [f"{unit}于{start}。经分析，{end}"]
            title = f"关于{p.accused.name}问题线索的办结报告"
        else:
            result = (p.disposal.zh, p.disposal.value)
            if p.disposal is Disposal.CLOSE:
                text = "经研判，反映的内容系道听途说、主观猜测，没有可查性，经领导审批，予以了结，存档备查。"
            else:
                text = (
                    "经研判，该问题线索有一定可查性，但暂不具备核查条件，经领导审批，暂存待查，"
                    "并在台账中登记。"
                )
            body = [text]
            title = f"关于{p.accused.name}问题线索处置情况的报告"
        fields.append(FieldDraft("result", "办理结果", *result))
    elif p.category is Category.APPEAL:
        fields.append(FieldDraft("result", "决定", p.outcome, "closed"))
        body = [
            f"{unit}受理后成立复查组，调阅了原案卷宗，听取了申诉人的陈述和理由，经集体研究，提出办理意见，"
            f"报经批准：{p.outcome}。"
        ]
        title = _APPEAL_DECISIONS.get(p.problem.code, "申诉处理决定")
    else:
        fields.append(FieldDraft("result", "办理结果", p.outcome, "closed"))
        body = [f"{unit}对所提意见建议进行了研究。{p.outcome}。"]
        title = "意见建议办理情况报告"
    fields += [
        _person("handler", "承办人", p.people["handler"]),
        _person("approver", "审批人", p.people["leader"]),
        _date_field("date", "办结日期", "closed"),
    ]
    return DocDraft("closing", title, "closed", fields, body)


_APPEAL_DECISIONS: Mapping[str, str] = MappingProxyType(
    {
        "discipline_appeal": "申诉复查决定",
        "accountability_appeal": "问责申诉处理决定",
        "supervision_review": "复审决定",
    }
)


def closure_notice(ctx: DossierDraft, p: Plan) -> DocDraft | None:
    """了结告知函: a talk or inquiry that ended in 了结 is told to the person in writing (发函反馈)."""
    if "closure_sent" not in p.dates or p.accused is None:
        return None
    office = _unit_name(ctx, p.route.unit)
    fields = [
        *_accused_fields(p, "告知对象"),
        _person("approver", "签发人", p.people["handler_head"]),
        _date_field("date", "发函日期", "closure_sent"),
    ]
    body = [
        f"{p.accused.name}同志：",
        "对反映你的有关问题，组织上已经了解清楚。你所作的说明经研究予以采信，该问题予以了结。",
        "希望你正确对待，严格要求自己。谈话函询情况将在民主生活会(组织生活会)上作出说明。",
        f"{ctx.pack.jurisdiction.commission.name}{office}",
    ]
    return DocDraft("closure", "谈话函询了结告知函", "closure_sent", fields, body)


def dept_feedback(ctx: DossierDraft, p: Plan) -> DocDraft | None:
    """主管部门办理反馈: the department the item went to reports how it was handled (单向反馈)."""
    if "dept_replied" not in p.dates:
        return None
    unit = _unit_name(ctx, p.route.unit)
    copy = p.route.copy_to
    result = pick(p.rng, _DEPARTMENT_RESULTS)
    fields = [
        FieldDraft("unit", "反馈单位", unit, p.route.unit),
        FieldDraft(
            "to", "接收", _unit_name(ctx, copy) if copy else ctx.pack.jurisdiction.commission.name, copy
        ),
        FieldDraft("result", "办理情况", result, "handled"),
        _date_field("date", "反馈日期", "dept_replied"),
    ]
    body = [
        f"关于贵委{{d:referred}}转来信访事项的办理情况：我单位收到后已登记受理，{result}，并已书面答复信访人。",
        unit,
    ]
    return DocDraft("dept_feedback", f"{unit}关于信访事项办理情况的反馈", "dept_replied", fields, body)


_DEPARTMENT_RESULTS = (
    "经调查核实，已督促相关单位整改到位",
    "经调查，信访人反映的情况部分属实，已依法作出处理",
    "已向信访人解释相关政策，信访人表示理解",
)

_VERDICTS = {"substantiated": "属实", "partly": "部分属实", "unsubstantiated": "不属实"}
#: how an appeal or a suggestion ended, by problem type (else by category)
_PETITION_OUTCOMES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "discipline_appeal": (
            "经复查，原处分决定认定事实清楚、证据确凿、定性准确、处理恰当、手续完备，申诉理由不能成立，维持原处分决定",
            "经复查，原处分决定部分事实认定有误，予以变更",
        ),
        "accountability_appeal": (
            "经复查，原问责决定认定事实清楚、责任明确，申诉理由不能成立，维持原问责决定",
            "经复查，申诉人提出的分工情况属实，对原问责决定予以变更",
        ),
        "supervision_review": (
            "经复审，原政务处分决定认定事实清楚、适用法律正确，予以维持",
            "经复审，原政务处分决定对违法行为的情节认定有误，予以变更",
        ),
        Category.APPEAL.value: ("经复查，维持原决定",),
        Category.SUGGESTION.value: (
            "所提建议具有参考价值，已转有关部门研究并在工作中改进",
            "所提建议已纳入下一阶段工作安排，相关做法正在推行",
        ),
        Category.ACCUSATION.value: ("已按规定办结",),
        Category.OUT_OF_SCOPE.value: ("已按规定转送",),
    }
)


def result_text(p: Plan, conclusion: str, proposal: Proposal | None) -> str:
    """The result box of a closing report after verification."""
    return f"{CONCLUSIONS[conclusion]}。{suggestion(p, proposal)}".rstrip("。")


def reply_record(ctx: DossierDraft, p: Plan) -> DocDraft | None:
    """结果反馈记录 (real-name accusation; by the town commission for an assigned item), 决定送达记录
    (appeal) or 书面回复 (real-name suggestion)."""
    if "replied" not in p.dates or p.person is None:
        return None
    j, rng = ctx.pack.jurisdiction, p.rng
    told = reply_rule(ctx.pack, p.shape)
    assert told is not None
    kind = told[0]
    if p.route.action is RouteAction.ASSIGN:
        town = ctx.staff.teams[p.route.unit]
        teller = pick(rng, town.staff)
    else:
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
        who = f"{_unit_name(ctx, p.route.unit)}" if p.route.action is RouteAction.ASSIGN else ""
        text = (
            f"{{d:replied}}，{who}以{method}方式向举报人反馈了对其反映问题的核查处理情况，并说明了有关依据。"
            f"举报人{opinion}。"
        )
        return DocDraft("reply", "实名举报办理结果反馈记录", "replied", fields, [text])
    unit = _unit_name(ctx, p.route.unit)
    if kind == "decision":
        fields = [
            FieldDraft("kind", "送达事项", "决定送达", "decision"),
            FieldDraft("to", "送达对象", p.person.name, p.person.name),
            FieldDraft("method", "送达方式", "直接送达", "direct"),
            _person("handler", "送达人", teller),
            _date_field("date", "送达日期", "replied"),
        ]
        body = [
            f"{{d:replied}}，将{_APPEAL_DECISIONS.get(p.problem.code, '申诉处理决定')}"
            f"送达申诉人{p.person.name}，"
            f"向其说明了决定的理由和依据，申诉人签收。"
        ]
        if p.problem.code == "supervision_review":
            body.append(
                f"同时告知：对复审决定仍不服的，可以自收到复审决定之日起一个月内向{j.city}监察委员会申请复核；"
                "复审期间不停止原处理决定的执行。"
            )
        return DocDraft("reply", "决定送达记录", "replied", fields, body)
    fields = [
        FieldDraft("kind", "答复事项", "书面回复", "answer"),
        FieldDraft("to", "答复对象", p.person.name, p.person.name),
        FieldDraft("method", "送达方式", "邮寄送达", "post"),
        _person("handler", "经办人", teller),
        _date_field("date", "答复日期", "replied"),
    ]
    body = [
        f"{p.person.name}：",
        f"你于{{d:received}}提出的意见建议收悉，{unit}已认真研究。{p.outcome}。感谢你对纪检监察工作的关心和支持。",
        j.commission.name,
    ]
    return DocDraft("reply", "意见建议回复函", "replied", fields, body)


def follow_up_record(ctx: DossierDraft, p: Plan) -> DocDraft | None:
    """回访记录: some weeks after the feedback, the reporter is asked whether the matter is settled."""
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
    extension_approval,
    verification_report,
    talk_transcript,
    inquiry_record,
    closing_report,
    closure_notice,
    dept_feedback,
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
