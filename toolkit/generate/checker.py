"""Find every mechanically detectable defect of a dossier from its documents alone.

:func:`check_dossier` reads what a reviewer reads — the registration's category, flags, reporter and
accused, the routing decision, every document's date and boxes — and runs :data:`CHECKS`, small named
checks in a fixed order, each yielding the defects it finds as :class:`~toolkit.domain.dossier.PlantedDefect`
(document id, location, a short note). Time limits come from the pack's rules and are counted with the
pack's calendar; where an item goes comes from the pack's routing table.

Defect types marked ``judgement: true`` in the catalogue (a disposal too light for the facts, a wrong
problem type, a conclusion the findings do not support) need a person and are never reported here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from toolkit.domain.codes import Category, Channel, Flag, ManagementLevel, RouteAction
from toolkit.domain.dossier import Document, Dossier, PlantedDefect
from toolkit.generate.dossiers import (
    ANCHORS,
    APPROVAL_KEYS,
    PERSON_KEYS,
    PREDECESSORS,
    SECRET_MARKS,
    Shape,
    close_rule,
    disposal_rule,
    expected_route,
    is_blank,
    notice_rule,
    referral_rule,
    reply_rule,
    role_of,
)
from toolkit.packs.model import Pack

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
        """When a petition was accepted: the routing slip's 受理日期, else its date."""
        routing = self.roles.get("routing")
        if routing is None:
            return None
        return _date(routing, "accepted") or routing.date


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
    return Shape(category, frozenset(flags), action, channel)


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
    """An accusation goes where the accused's management level sends it (rules.yaml routing)."""
    s, routing = v.shape, v.doc("routing")
    if s is None or routing is None or s.category is not Category.ACCUSATION:
        return
    if Flag.REPEAT in s.flags or Flag.NO_SUBSTANCE in s.flags:
        return
    try:
        level = ManagementLevel(v.data("accused_level") or "")
    except ValueError:
        return
    expected = expected_route(v.pack, level, v.data("accused_unit") or "")
    if expected is None:
        return
    if s.action is not expected[0]:
        yield _found("wrong_route", routing, "field:action", f"{level.zh}应{expected[0].zh}")
    elif _data(routing, "unit") != expected[1]:
        yield _found("wrong_route", routing, "field:unit", f"应由{v.pack.jurisdiction.name(expected[1])}承办")


def out_of_scope_transferred(v: View) -> Iterator[PlantedDefect]:
    """An out-of-scope item that is not a repeat is transferred."""
    s, routing = v.shape, v.doc("routing")
    if s is None or routing is None or s.category is not Category.OUT_OF_SCOPE or Flag.REPEAT in s.flags:
        return
    if s.action is not RouteAction.TRANSFER:
        yield _found("out_of_scope_not_transferred", routing, "field:action", "业务范围外事项未转送")


def copy_to_liaison(v: View) -> Iterator[PlantedDefect]:
    """A transfer is copied to the office rules.yaml names."""
    s = v.shape
    rule = v.pack.rules.routing.get("out_of_scope")
    if s is None or s.action is not RouteAction.TRANSFER or rule is None or not rule.copy_to:
        return
    doc = v.doc("referral") or v.doc("routing")
    if doc is not None and _data(doc, "copy_to") != rule.copy_to:
        yield _found(
            "copy_to_missing", doc, "field:copy_to", f"应抄告{v.pack.jurisdiction.name(rule.copy_to)}"
        )


def leader_approval(v: View) -> Iterator[PlantedDefect]:
    """Every item that is handled, assigned, sent up or transferred has the leader's instruction."""
    s, routing = v.shape, v.doc("routing")
    if s is None or routing is None or s.action is RouteAction.FILE or v.doc("instruction") is not None:
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
    """A real-name reporter is told of acceptance or transfer, within the pack's limit."""
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
    """After closing, a real-name reporter gets the result (an appellant a written answer) in time."""
    s, closing = v.shape, v.doc("closing")
    told = reply_rule(v.pack, s) if s is not None else None
    if told is None or closing is None or closing.date is None:
        return
    reply = v.doc("reply")
    if reply is None:
        yield _found("feedback_missing", closing, "document", "未反馈")
        return
    kind, rule = told
    if kind == "result":
        due = rule.due(closing.date, v.pack.calendar)
    else:
        accepted = v.accepted()
        if accepted is None:
            return
        extended = v.doc("extension") is not None and rule.extension is not None
        due = rule.due(accepted, v.pack.calendar, extended=extended)
        if closing.date > due:
            return  # the late closing is the defect; a late answer follows from it
    if reply.date is not None and reply.date > due:
        yield _found("feedback_late", reply, "field:date", f"期限{due.isoformat()}")


def referral_in_time(v: View) -> Iterator[PlantedDefect]:
    """An item for the level above is sent up, an out-of-scope one transferred, within the limit."""
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
    """A petition is closed within the limit from acceptance, or within an approved extension."""
    s, closing = v.shape, v.doc("closing")
    rule = close_rule(v.pack, s) if s is not None else None
    accepted = v.accepted()
    if rule is None or closing is None or closing.date is None or accepted is None:
        return
    extended = v.doc("extension") is not None and rule.extension is not None
    due = rule.due(accepted, v.pack.calendar, extended=extended)
    if closing.date > due:
        yield _found("overdue_no_extension", closing, "field:date", f"期限{due.isoformat()}")


def extension_valid(v: View) -> Iterator[PlantedDefect]:
    """An extension is approved before the limit, for no longer than allowed, and the reason told."""
    s, ext = v.shape, v.doc("extension")
    rule = close_rule(v.pack, s) if s is not None else None
    accepted = v.accepted()
    if rule is None or ext is None or accepted is None:
        return
    due = rule.due(accepted, v.pack.calendar)
    if ext.date is not None and ext.date > due:
        yield _found("extension_after_expiry", ext, "field:date", f"原期限{due.isoformat()}")
    if rule.extension is not None:
        allowed = rule.due(accepted, v.pack.calendar, extended=True)
        new_due = _date(ext, "new_due")
        if new_due is not None and new_due > allowed:
            yield _found("extension_too_long", ext, "field:new_due", f"最多到{allowed.isoformat()}")
    assert s is not None
    if s.real_name and _date(ext, "notified") is None:
        yield _found("extension_reason_not_told", ext, "field:notified", "未告知延期理由")


def _outgoing(v: View) -> list[Document]:
    """Documents that reach the person reported or the place they work."""
    out = []
    referral = v.doc("referral")
    if referral is not None and v.shape is not None and v.shape.action is RouteAction.ASSIGN:
        out.append(referral)
    inquiry = v.doc("inquiry")
    if inquiry is not None:
        out.append(inquiry)
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
    docs = list(_outgoing(v))
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
        clean file. Judgement defects (wrong disposal, wrong problem type, unsupported conclusion) are
        never reported.
    """
    view = View.of(dossier, pack)
    if view is None:
        return []
    found: list[PlantedDefect] = []
    for check in CHECKS:
        found.extend(check(view))
    return found
