"""Find every mechanically detectable defect of a dossier from its documents alone.

:func:`check_dossier` reads what a reviewer reads — the registration's category, flags, reporter and
accused, the routing decision, every document's date and boxes — and runs :data:`CHECKS`, small named
checks in a fixed order, each yielding the defects it finds as :class:`~toolkit.domain.dossier.PlantedDefect`
(document id, location, a short note). Time limits come from the pack's rules and are counted with the
pack's calendar; where an item goes comes from the pack's routing table (escalation included); what a
verification should propose comes from the pack's proportionality table; who is the head of a Party
committee comes from the roster, as a reviewer would look it up.

Only the defect types marked ``judgement: true`` in the catalogue (a wrong problem type) need a person
and are never reported here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from toolkit.domain.codes import (
    CadreRole,
    Category,
    Channel,
    DocumentType,
    Flag,
    ManagementLevel,
    RouteAction,
)
from toolkit.domain.dossier import Document, Dossier, PlantedDefect
from toolkit.generate.dossiers import (
    ANCHORS,
    APPROVAL_KEYS,
    DIRECT_REPLY,
    OUTCOME_CLOSED,
    PERSON_KEYS,
    PREDECESSORS,
    SECRET_MARKS,
    Shape,
    close_rule,
    disposal_rule,
    is_blank,
    notice_rule,
    principal_of,
    referral_rule,
    reply_rule,
    role_of,
    roster_cadre,
)
from toolkit.generate.routing import accusation_route, liaison_office
from toolkit.packs.model import LIAISON, Pack

#: boxes every registration must fill
REQUIRED = ("number", "received", "channel", "mode", "category", "problem", "registrar", "date")
#: further boxes of a registration of an accusation
REQUIRED_ACCUSED = ("accused", "accused_post", "accused_unit", "accused_level")
_MODES = {"real_name": Flag.REAL_NAME, "anonymous": Flag.ANONYMOUS, "impersonation": Flag.IMPERSONATION}


@dataclass(frozen=True, slots=True)
class View:
    """What the checks read: the documents by role and what the registration and routing slip say."""

    pack: Pack
    documents: tuple[Document, ...]
    roles: dict[str, Document]
    registration: Document
    received: date | None
    shape: Shape | None

    @classmethod
    def of(cls, dossier: Dossier, pack: Pack) -> View | None:
        roles: dict[str, Document] = {}
        for doc in dossier.documents:
            roles.setdefault(role_of(doc), doc)
        reg = roles.get("registration")
        if reg is None:
            return None
        return cls(
            pack, dossier.documents, roles, reg, _date(reg, "received"), _shape(reg, roles.get("routing"))
        )

    def doc(self, role: str) -> Document | None:
        return self.roles.get(role)

    def first(self, roles: Iterable[str]) -> Document | None:
        return next((self.roles[r] for r in roles if r in self.roles), None)

    def data(self, key: str) -> str | None:
        """A registration box's machine value."""
        box = self.registration.field(key)
        return box.data if box is not None else None

    def accepted(self) -> date | None:
        """When an appeal was accepted: the routing slip's 受理日期, else its date."""
        routing = self.roles.get("routing")
        if routing is None:
            return None
        return _date(routing, "accepted") or routing.date

    def start_of(self, start: str) -> date | None:
        """The day a limit counting from ``start`` (receipt or acceptance) begins."""
        return self.accepted() if start == "accepted" else self.received

    def accused(self) -> tuple[str | None, str | None]:
        """The accused's name and unit code as the registration gives them."""
        return self.data("accused"), self.data("accused_unit")

    def amount(self) -> int | None:
        """The sum the registration says the item reports."""
        value = self.data("amount")
        return int(value) if value and value.isdigit() else None


Check = Callable[[View], Iterator[PlantedDefect]]


def _date(doc: Document, key: str) -> date | None:
    box = doc.field(key)
    if box is None or not box.data:
        return None
    try:
        return date.fromisoformat(box.data)
    except ValueError:
        return None


def _shape(reg: Document, routing: Document | None) -> Shape | None:
    try:
        category = Category(_data(reg, "category") or "")
        mode = _MODES[_data(reg, "mode") or ""]
        action = RouteAction(_data(routing, "action") or "") if routing is not None else None
    except (ValueError, KeyError):
        return None
    if action is None:
        return None
    flags = {mode}
    if _data(reg, "dedupe"):
        flags.add(Flag.REPEAT)
    if _data(reg, "assessment") == "no_substance":
        flags.add(Flag.NO_SUBSTANCE)
    try:
        channel = Channel(_data(reg, "channel") or "")
    except ValueError:
        channel = Channel.LETTER
    return Shape(category, frozenset(flags), action, channel, _data(reg, "problem") or "")


def _data(doc: Document | None, key: str) -> str | None:
    if doc is None:
        return None
    box = doc.field(key)
    return box.data if box is not None else None


def _found(code: str, doc: Document, location: str, note: str) -> PlantedDefect:
    return PlantedDefect(code, doc.id, location, (), note)


# -- the checks ----------------------------------------------------------------------------------------


def registration_complete(v: View) -> Iterator[PlantedDefect]:
    """Every required box of the registration is filled."""
    keys = REQUIRED + (REQUIRED_ACCUSED if v.data("category") == Category.ACCUSATION.value else ())
    for key in keys:
        box = v.registration.field(key)
        if box is None or is_blank(box.value):
            label = box.label if box is not None else key
            yield _found("registration_incomplete", v.registration, f"field:{key}", f"“{label}”未填写")


def real_name_flag(v: View) -> Iterator[PlantedDefect]:
    """A reporter with name and phone is not registered as anonymous."""
    if v.data("mode") == "anonymous" and v.data("reporter") and v.data("phone"):
        yield _found("real_name_misflagged", v.registration, "field:mode", "有姓名和电话却登记为匿名")


def repeat_linked(v: View) -> Iterator[PlantedDefect]:
    """When the 查重 result names an original, the registration links it."""
    original = v.data("dedupe")
    if original and v.data("repeat_of") != original:
        yield _found("repeat_not_linked", v.registration, "field:repeat_of", f"查重找到{original}，未关联")


def route_by_level(v: View) -> Iterator[PlantedDefect]:
    """An accusation goes where the accused's management level, role and the matter send it
    (``rules.yaml`` routing and escalation)."""
    s, routing = v.shape, v.doc("routing")
    if s is None or routing is None or s.category is not Category.ACCUSATION:
        return
    if Flag.REPEAT in s.flags or Flag.NO_SUBSTANCE in s.flags:
        return
    try:
        level = ManagementLevel(v.data("accused_level") or "")
    except ValueError:
        return
    name, unit = v.accused()
    cadre = roster_cadre(v.pack, name, unit)
    expected = accusation_route(
        v.pack,
        level=level,
        unit=unit or "",
        role=cadre.role if cadre is not None else None,
        problem=s.problem,
        amount=v.amount(),
    )
    if expected is None:
        return
    want = expected.route
    if s.action is not want.action:
        yield _found("wrong_route", routing, "field:action", f"{level.zh}应{want.action.zh}")
    elif _data(routing, "unit") != want.unit:
        yield _found("wrong_route", routing, "field:unit", f"应由{v.pack.jurisdiction.name(want.unit)}承办")


def out_of_scope_transferred(v: View) -> Iterator[PlantedDefect]:
    """An out-of-scope item that is not a repeat is passed on (a letter) or answered with where to go."""
    s, routing = v.shape, v.doc("routing")
    if s is None or routing is None or s.category is not Category.OUT_OF_SCOPE or Flag.REPEAT in s.flags:
        return
    if s.action not in (RouteAction.TRANSFER, RouteAction.ADVISE):
        yield _found("out_of_scope_not_transferred", routing, "field:action", "业务范围外事项未转送或告知")


def copy_to_liaison(v: View) -> Iterator[PlantedDefect]:
    """A transfer is copied to the office rules.yaml names (the one that liaises with the department)."""
    s = v.shape
    rule = v.pack.rules.routing.get("out_of_scope")
    if s is None or s.action is not RouteAction.TRANSFER or rule is None or not rule.copy_to:
        return
    doc = v.doc("referral") or v.doc("routing")
    if doc is None:
        return
    to = _data(doc, "to") or _data(v.doc("routing"), "unit") or ""
    expected = liaison_office(v.pack, to) if rule.copy_to == LIAISON else rule.copy_to
    if expected and _data(doc, "copy_to") != expected:
        yield _found("copy_to_missing", doc, "field:copy_to", f"应抄送{v.pack.jurisdiction.name(expected)}")


def disposal_fits(v: View) -> Iterator[PlantedDefect]:
    """A lead handled here is disposed of as the pack says for facts of its kind (具体 / 笼统 / 无可查性)."""
    s, routing = v.shape, v.doc("routing")
    if (
        s is None
        or routing is None
        or s.category is not Category.ACCUSATION
        or s.action is not RouteAction.SELF
    ):
        return
    spec = v.data("assessment")
    problem = next((p for p in v.pack.problems if p.code == s.problem), None)
    if problem is None or problem.disposal is None or spec is None or spec not in problem.disposal:
        return
    want = problem.disposal[spec]
    got = _data(routing, "disposal")
    if got is not None and got != want.value:
        yield _found("wrong_disposal", routing, "field:disposal", f"应为{want.zh}")


def _straight_up(v: View) -> bool:
    """A report about this commission's own head, which goes straight to the level above."""
    s = v.shape
    if s is None or s.action is not RouteAction.REPORT_UP:
        return False
    cadre = roster_cadre(v.pack, *v.accused())
    return cadre is not None and cadre.role is CadreRole.COMMISSION_HEAD


def leader_approval(v: View) -> Iterator[PlantedDefect]:
    """Every item that is handled, assigned, sent up or transferred has the leader's instruction (except a
    report about the commission's own head, which goes straight up)."""
    s, routing = v.shape, v.doc("routing")
    if s is None or routing is None or s.action in (RouteAction.FILE, RouteAction.ADVISE):
        return
    if v.doc("instruction") is not None or _straight_up(v):
        return
    yield _found("leader_approval_missing", routing, "document", "缺少领导批示")


def approvals_signed(v: View) -> Iterator[PlantedDefect]:
    """Every approval box carries a name."""
    for doc in v.documents:
        for key in APPROVAL_KEYS:
            box = doc.field(key)
            if box is not None and is_blank(box.value):
                yield _found("approval_unsigned", doc, f"field:{key}", f"“{box.label}”空白")


def notice_given(v: View) -> Iterator[PlantedDefect]:
    """A real-name reporter of an item this commission accepts is told so, within the pack's limit."""
    s = v.shape
    rule = notice_rule(v.pack, s) if s is not None else None
    if rule is None or v.received is None:
        return
    notice = v.doc("notice")
    if notice is None:
        anchor = v.first(ANCHORS["notice"])
        if anchor is not None:
            yield _found("notice_missing", anchor, "document", "未告知")
        return
    due = rule.due(v.received, v.pack.calendar)
    if notice.date is not None and notice.date > due:
        yield _found("notice_late", notice, "field:date", f"期限{due.isoformat()}")


def reply_given(v: View) -> Iterator[PlantedDefect]:
    """After closing, a real-name reporter gets the result in time; an appellant is served the decision;
    a real-name suggestion is answered."""
    s, closing = v.shape, v.doc("closing")
    told = reply_rule(v.pack, s) if s is not None else None
    if told is None or closing is None or closing.date is None:
        return
    reply = v.doc("reply")
    if reply is None:
        yield _found("feedback_missing", closing, "document", "未反馈")
        return
    rule = told[1]
    if rule is None:
        return
    due = rule.due(closing.date, v.pack.calendar)
    if reply.date is not None and reply.date > due:
        yield _found("feedback_late", reply, "field:date", f"期限{due.isoformat()}")


def referral_in_time(v: View) -> Iterator[PlantedDefect]:
    """An item for the level above is sent up within the limit."""
    s, referral = v.shape, v.doc("referral")
    rule = referral_rule(v.pack, s) if s is not None else None
    if rule is None or referral is None or referral.date is None or v.received is None:
        return
    due = rule.due(v.received, v.pack.calendar)
    if referral.date > due:
        yield _found("referral_late", referral, "field:date", f"期限{due.isoformat()}")


def disposal_in_time(v: View) -> Iterator[PlantedDefect]:
    """The disposal of a lead handled here is approved within the limit from receipt."""
    s, instruction = v.shape, v.doc("instruction")
    rule = disposal_rule(v.pack, s) if s is not None else None
    if rule is None or instruction is None or instruction.date is None or v.received is None:
        return
    due = rule.due(v.received, v.pack.calendar)
    if instruction.date > due:
        yield _found("disposal_plan_late", instruction, "field:date", f"期限{due.isoformat()}")


def closed_in_time(v: View) -> Iterator[PlantedDefect]:
    """An item handled here is closed within its limit (from receipt or acceptance), or within an
    approved extension."""
    s, closing = v.shape, v.doc("closing")
    rule = close_rule(v.pack, s) if s is not None else None
    start = v.start_of(rule.start.value) if rule is not None else None
    if rule is None or closing is None or closing.date is None or start is None:
        return
    extended = v.doc("extension") is not None and rule.extension is not None
    due = rule.due(start, v.pack.calendar, extended=extended)
    if closing.date > due:
        yield _found("overdue_no_extension", closing, "field:date", f"期限{due.isoformat()}")


def extension_valid(v: View) -> Iterator[PlantedDefect]:
    """An extension is approved before the limit, for no longer than allowed, and the reason told where
    the rule asks for it."""
    s, ext = v.shape, v.doc("extension")
    rule = close_rule(v.pack, s) if s is not None else None
    start = v.start_of(rule.start.value) if rule is not None else None
    if rule is None or ext is None or start is None:
        return
    due = rule.due(start, v.pack.calendar)
    if ext.date is not None and ext.date > due:
        yield _found("extension_after_expiry", ext, "field:date", f"原期限{due.isoformat()}")
    if rule.extension is not None:
        allowed = rule.due(start, v.pack.calendar, extended=True)
        new_due = _date(ext, "new_due")
        if new_due is not None and new_due > allowed:
            yield _found("extension_too_long", ext, "field:new_due", f"最多到{allowed.isoformat()}")
        assert s is not None
        if rule.extension.tell and s.real_name and _date(ext, "notified") is None:
            yield _found("extension_reason_not_told", ext, "field:notified", "未告知延期理由")


def _verdicts(doc: Document) -> dict[str, str]:
    """``{item number: verdict}`` from a report's 逐项结论 box."""
    raw = _data(doc, "verdicts") or ""
    return dict(part.split(":", 1) for part in raw.split(",") if ":" in part)


def conclusion_follows(v: View) -> Iterator[PlantedDefect]:
    """A verification's overall conclusion is what its item-by-item findings add up to."""
    doc = v.doc("verification")
    if doc is None:
        return
    verdicts = set(_verdicts(doc).values())
    if not verdicts:
        return
    want = (
        "substantiated"
        if verdicts == {"substantiated"}
        else "unsubstantiated"
        if verdicts == {"unsubstantiated"}
        else "partly"
    )
    if _data(doc, "conclusion") != want:
        yield _found("conclusion_contradicts_findings", doc, "field:conclusion", f"逐项结论合起来是{want}")


def proposal_proportionate(v: View) -> Iterator[PlantedDefect]:
    """What a verification (or a town commission's report) proposes is what the pack's proportionality
    table gives for the items proved and the sum proved."""
    for role, key in (("verification", "proposal"), ("closing", "result")):
        doc = v.doc(role)
        if doc is None or (
            role == "closing" and (v.shape is None or v.shape.action is not RouteAction.ASSIGN)
        ):
            continue
        verdicts = _verdicts(doc)
        if not verdicts:
            continue
        proved = sum(1 for x in verdicts.values() if x != "unsubstantiated")
        raw = _data(doc, "proved")
        amount = int(raw) if raw and raw.isdigit() else 0
        rule = v.pack.rules.proposal_for(proved, len(verdicts), amount)
        if rule is not None and _data(doc, key) != rule.proposal.value:
            yield _found("disproportionate_proposal", doc, f"field:{key}", f"应为{rule.proposal.zh}")


def transcript_signed(v: View) -> Iterator[PlantedDefect]:
    """A talk transcript is read over and signed by the person talked to."""
    doc = v.doc("transcript")
    if doc is None:
        return
    name = v.data("accused")
    if not name or _data(doc, "signature") != name:
        yield _found("transcript_unsigned", doc, "field:signature", "被谈话人未签名")


def endorsement_right(v: View) -> Iterator[PlantedDefect]:
    """An inquiry reply is endorsed by the head of the person's Party committee, or sent directly when the
    person is that head (the roster tells who is)."""
    doc = v.doc("inquiry")
    if doc is None or _data(doc, "way") != "letter":
        return
    name, unit = v.accused()
    cadre = roster_cadre(v.pack, name, unit)
    if cadre is None or unit is None:
        return
    if cadre.role is CadreRole.PRINCIPAL:
        want: str | None = DIRECT_REPLY
    else:
        chief = principal_of(v.pack, unit)
        want = chief.name if chief is not None else None
    if want is not None and _data(doc, "endorser") != want:
        yield _found("endorsement_wrong", doc, "field:endorser", "签署意见人不当")


def closure_told(v: View) -> Iterator[PlantedDefect]:
    """A talk or inquiry that ended in 了结 is told to the person in writing."""
    inquiry = v.doc("inquiry")
    if inquiry is None or _data(inquiry, "outcome") != OUTCOME_CLOSED or v.doc("closure") is not None:
        return
    anchor = v.first(ANCHORS["closure"])
    if anchor is not None:
        yield _found("closure_not_told", anchor, "document", "了结未书面告知")


def _outgoing(v: View) -> list[Document]:
    """Documents that reach the person reported or the place they work."""
    out = []
    referral = v.doc("referral")
    if referral is not None and v.shape is not None and v.shape.action is RouteAction.ASSIGN:
        out.append(referral)
    inquiry = v.doc("inquiry")
    if inquiry is not None and _data(inquiry, "way") == "letter":
        out.append(inquiry)
    closure = v.doc("closure")
    if closure is not None:
        out.append(closure)
    return out


def identity_kept(v: View) -> Iterator[PlantedDefect]:
    """No outgoing letter names the reporter or gives their phone number."""
    needles = [n for n in (v.data("reporter"), v.data("phone")) if n and len(n) >= 2]
    if not needles:
        return
    for doc in _outgoing(v):
        where = next(
            (
                f"field:{box.key}"
                for box in doc.fields
                if box.key not in PERSON_KEYS and any(n in box.value for n in needles)
            ),
            None,
        )
        if where is None:
            where = next(
                (f"paragraph:{i}" for i, p in enumerate(doc.paragraphs) if any(n in p for n in needles)), None
            )
        if where is not None:
            yield _found("identity_leaked", doc, where, "外发文书出现举报人信息")


def secrecy_marked(v: View) -> Iterator[PlantedDefect]:
    """Letters that pass on a lead, and inquiry records, carry a secrecy mark."""
    docs = [d for d in _outgoing(v) if d.type is not DocumentType.CLOSURE_NOTICE]
    referral = v.doc("referral")
    if referral is not None and v.shape is not None and v.shape.action is RouteAction.REPORT_UP:
        docs.append(referral)
    for doc in docs:
        box = doc.field("secrecy")
        if box is None or box.data not in SECRET_MARKS:
            yield _found("secrecy_mark_missing", doc, "field:secrecy", "未标密级")


def items_answered(v: View) -> Iterator[PlantedDefect]:
    """A verification report or inquiry record takes up every item the registration lists."""
    listed = set((v.data("items") or "").split(",")) - {""}
    for role in ("verification", "inquiry"):
        doc = v.doc(role)
        if doc is None:
            continue
        answered = set((_data(doc, "items") or "").split(","))
        missing = sorted(listed - answered, key=lambda n: (len(n), n))
        if missing:
            yield _found("item_unanswered", doc, "field:items", f"第{'、'.join(missing)}项未回应")


def accused_consistent(v: View) -> Iterator[PlantedDefect]:
    """Every document names the accused and their unit as the registration does."""
    reg = v.registration
    expected = {key: box.value for key in ("accused", "accused_unit") if (box := reg.field(key)) is not None}
    for doc in v.documents:
        if doc is reg:
            continue
        for key, value in expected.items():
            box = doc.field(key)
            if box is not None and box.value != value:
                yield _found("accused_mismatch", doc, f"field:{key}", f"应为{value}")


def dates_in_order(v: View) -> Iterator[PlantedDefect]:
    """No document is dated before the registration or before the document it follows from."""
    reg = v.registration
    for doc in v.documents:
        if doc is reg or doc.date is None:
            continue
        before = v.first(PREDECESSORS.get(role_of(doc), ()))
        if (reg.date is not None and doc.date < reg.date) or (
            before is not None and before.date is not None and doc.date < before.date
        ):
            yield _found("dates_out_of_order", doc, "field:date", "日期早于前一环节")


#: the checks, in the order they run (declared once)
CHECKS: tuple[Check, ...] = (
    registration_complete,
    real_name_flag,
    repeat_linked,
    route_by_level,
    out_of_scope_transferred,
    copy_to_liaison,
    disposal_fits,
    leader_approval,
    approvals_signed,
    notice_given,
    reply_given,
    referral_in_time,
    disposal_in_time,
    closed_in_time,
    extension_valid,
    identity_kept,
    secrecy_marked,
    items_answered,
    conclusion_follows,
    proposal_proportionate,
    transcript_signed,
    endorsement_right,
    closure_told,
    accused_consistent,
    dates_in_order,
)


def check_dossier(dossier: Dossier, pack: Pack) -> list[PlantedDefect]:
    """Every mechanically detectable defect of ``dossier``, found from its documents alone.

    Parameters
    ----------
    dossier
        A dossier (its answer key is never read).
    pack
        The pack whose rules (time limits, routing, calendar) the file is checked against.

    Returns
    -------
    list of PlantedDefect
        One entry per defect found, with the document id and location where it shows; empty for a
        clean file. Judgement defects (a wrong problem type) are never reported.
    """
    view = View.of(dossier, pack)
    if view is None:
        return []
    found: list[PlantedDefect] = []
    for check in CHECKS:
        found.extend(check(view))
    return found
