"""Scoring of intake answers: a learner's registration form against the case's answer key.

An answer has exactly the shape of the case's :class:`~toolkit.domain.models.Truth` (so a truth is a
perfect answer); :func:`parse_answer` checks untrusted input against ``intake-answer.schema.json`` and,
given a pack, the codes it uses. :func:`score_intake` is a pure function over (case, answer, pack): each
field is scored by one small step (:data:`FIELD_STEPS`, the order of the report) with the points and
partial-credit rules of the pack's intake rubric (``rubrics.yaml``), and every item quotes the rule that
decides it with its source. For a visit or call, the officer's reply at each conversation turn is scored
too when the choices are given.

Points are rounded to 2 decimals per item; totals are sums of the rounded item points. The fields are
worth the same for every case (the rubric's field points, 100 in the default pack): a field with nothing
to fill in (no accused, no time limit) earns its points for an empty answer.

Comparisons: names and posts after removing whitespace, phones by their digits only, empty text as
no value; flags as sets; codes exactly.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any, TypeAlias

from toolkit.domain.codes import Coded
from toolkit.domain.conversation import Conversation
from toolkit.domain.models import Case, RegisteredAccused, Route, Truth
from toolkit.errors import AnswerInvalid, CalendarError
from toolkit.generate.cases import UNSPECIFIED
from toolkit.packs.model import Pack
from toolkit.packs.rubrics import FieldRubric, IntakeRubric
from toolkit.scoring.graded import Graded

__all__ = [
    "FIELD_STEPS",
    "AnswerKey",
    "ScoreItem",
    "ScoreReport",
    "Scoring",
    "parse_answer",
    "score_intake",
]

ANSWER_SCHEMA = "intake-answer.schema.json"

#: labels of the parts of a field, for the reasons in a report
PART_LABELS: Mapping[str, Mapping[str, str]] = {
    "reporter": {"name": "姓名", "phone": "联系电话"},
    "accused": {"name": "姓名", "post": "职务", "unit": "单位", "level": "管理权限"},
    "route": {"action": "分办方式", "unit": "承办单位", "copy_to": "抄告单位"},
}
_SPACE = re.compile(r"\s+")
_NON_DIGIT = re.compile(r"\D+")


# -- report ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScoreItem:
    """One scored line of a report: a field of the form, or one turn of the conversation.

    ``got`` and ``expected`` are JSON values (codes as strings, dates ISO, small dicts and lists).
    ``field`` is the field's name (``due.<rule code>`` for each time limit) or ``conversation.<n>``
    (1-based) for a turn. ``reason`` says what was right or wrong and quotes the rule; ``source`` is where
    the rule comes from. Conduct items carry the turn's ``dimension`` and number.
    """

    field: str
    got: Any
    expected: Any
    points: float
    max: float
    reason: str
    source: str = ""
    kind: str = "field"  # "field" | "conduct"
    dimension: str | None = None
    turn: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "got": _plain(self.got),
            "expected": _plain(self.expected),
            "points": self.points,
            "max": self.max,
            "reason": self.reason,
            "source": self.source,
            "kind": self.kind,
            "dimension": self.dimension,
            "turn": self.turn,
        }


@dataclass(frozen=True, slots=True)
class ScoreReport(Graded):
    """The score of one answer to one case: items in report order, total, maximum and grade code."""

    case_id: str
    seed: int
    pack: str
    items: tuple[ScoreItem, ...]
    total: float
    max: float
    grade: str
    grade_zh: str = ""
    grade_en: str = ""

    def by_dimension(self) -> dict[str, tuple[float, float]]:
        """Conduct points and maximum per dimension (warm, listen, record, handle) over all turns."""
        out: dict[str, tuple[float, float]] = {}
        for item in self.items:
            if item.kind == "conduct" and item.dimension is not None:
                got, top = out.get(item.dimension, (0.0, 0.0))
                out[item.dimension] = (round(got + item.points, 2), round(top + item.max, 2))
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "case_id": self.case_id,
            "seed": self.seed,
            "pack": self.pack,
            "total": self.total,
            "max": self.max,
            "grade": self.grade,
            "items": [item.to_dict() for item in self.items],
        }


@dataclass(frozen=True, slots=True)
class AnswerKey:
    """What scoring needs of a case: who it is and its truth. A :class:`Case` read back from a JSON line
    (``xfkit score intake``) is one of these; :func:`score_intake` takes either."""

    id: str
    seed: int
    pack: str
    truth: Truth

    @classmethod
    def of(cls, case: Case) -> AnswerKey:
        return cls(case.id, case.seed, case.pack, case.truth)


ScoredCase: TypeAlias = "Case | AnswerKey"


# -- steps ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Scoring:
    """What every step reads: the key, the answer, and the pack (rules, calendar, rubric)."""

    expected: Truth
    answer: Truth
    pack: Pack


Step = Callable[[Scoring, FieldRubric], tuple[ScoreItem, ...]]


def score_category(s: Scoring, rubric: FieldRubric) -> tuple[ScoreItem, ...]:
    """All or nothing: the category code."""
    exp, got = s.expected.category, s.answer.category
    return (_whole(rubric, got.value, exp.value, got == exp, _should_be(exp, got)),)


def score_flags(s: Scoring, rubric: FieldRubric) -> tuple[ScoreItem, ...]:
    """As sets: the right flags over every flag named by the key or the answer."""
    exp, got = set(s.expected.flags), set(s.answer.flags)
    union = exp | got
    share = len(exp & got) / len(union) if union else 1.0
    notes = []
    if exp - got:
        notes.append("漏标" + "、".join(f.zh for f in s.expected.flags if f not in got))
    if got - exp:
        notes.append("多标" + "、".join(f.zh for f in s.answer.flags if f not in exp))
    return (
        _scored(
            rubric,
            [f.value for f in s.answer.flags],
            [f.value for f in s.expected.flags],
            share,
            ";".join(notes),
        ),
    )


def score_problem_type(s: Scoring, rubric: FieldRubric) -> tuple[ScoreItem, ...]:
    """All or nothing: the problem type code (``unspecified`` for items without particulars)."""
    exp, got = s.expected.problem_type, s.answer.problem_type.strip()
    right = got == exp
    note = "" if right else f"应为“{_problem_name(s.pack, exp)}”，填为“{_problem_name(s.pack, got)}”"
    return (_whole(rubric, got, exp, right, note),)


def score_reporter(s: Scoring, rubric: FieldRubric) -> tuple[ScoreItem, ...]:
    """In parts: name and phone (both empty for an anonymous item)."""
    exp, got = s.expected.reporter, s.answer.reporter
    right = {"name": _text(got.name) == _text(exp.name), "phone": _digits(got.phone) == _digits(exp.phone)}
    return (_parted(rubric, got.to_dict(), exp.to_dict(), right),)


def score_accused(s: Scoring, rubric: FieldRubric) -> tuple[ScoreItem, ...]:
    """In parts per person: each person of the key is matched to the answer's closest entry, and the
    points are shared over the larger of the two numbers of people."""
    exp, got = s.expected.accused, s.answer.accused
    got_json = [a.to_dict() for a in got]
    exp_json = [a.to_dict() for a in exp]
    for entries in (got_json, exp_json):
        for entry in entries:
            entry["level"] = entry["level"].value
    if not exp and not got:
        return (_scored(rubric, got_json, exp_json, 1.0, ""),)
    free = list(range(len(got)))
    earned = 0.0
    notes = []
    for n, person in enumerate(exp, start=1):
        if not free:
            notes.append(f"漏登记第{n}人")
            continue
        checks = [_accused_parts(person, got[i]) for i in free]
        shares = [_share(rubric, c) for c in checks]
        best = max(range(len(free)), key=lambda k: shares[k])
        earned += shares[best]
        wrong = [PART_LABELS["accused"][p] for p, ok in checks[best].items() if not ok]
        if wrong:
            notes.append(("" if len(exp) == 1 else f"第{n}人") + "、".join(wrong) + "不对")
        free.pop(best)
    if free:
        notes.append(f"多登记{len(free)}人")
    share = earned / max(len(exp), len(got))
    return (_scored(rubric, got_json, exp_json, share, ";".join(notes)),)


def score_route(s: Scoring, rubric: FieldRubric) -> tuple[ScoreItem, ...]:
    """In parts: action, unit and copy-to unit; with the wrong action (the gate) nothing counts."""
    exp, got = s.expected.route, s.answer.route
    right = {
        "action": got.action == exp.action,
        "unit": got.unit.strip() == exp.unit,
        "copy_to": _text(got.copy_to) == _text(exp.copy_to),
    }
    basis = _route_basis(s)
    item = _parted(rubric, _route_json(got), _route_json(exp), right, basis)
    if not right["action"]:
        item = _with_reason(item, rubric, f"错误：{_should_be(exp.action, got.action)}", basis)
    return (item,)


def score_disposal(s: Scoring, rubric: FieldRubric) -> tuple[ScoreItem, ...]:
    """All or nothing: the disposal (none for items not disposed of at this level)."""
    exp, got = s.expected.disposal, s.answer.disposal
    right = exp == got
    return (_whole(rubric, _code(got), _code(exp), right, "" if right else _should_be(exp, got)),)


def score_due(s: Scoring, rubric: FieldRubric) -> tuple[ScoreItem, ...]:
    """One item per time limit named by the key or the answer, sharing the field's points equally.

    An exact date earns the item's points, a date one working day early or late the rubric's share of
    them, anything else nothing. Each reason quotes the time limit's own note and source.
    """
    exp, got = s.expected.due_dict(), s.answer.due_dict()
    codes = list(exp) + [code for code in got if code not in exp]
    if not codes:
        return (
            ScoreItem(
                field="due",
                got={},
                expected={},
                points=round(rubric.points, 2),
                max=round(rubric.points, 2),
                reason="正确：本件没有自收件之日起计算的时限。" + rubric.rule.text,
                source=rubric.rule.source,
            ),
        )
    rules = {rule.code: rule for rule in s.pack.rules.deadlines}
    items = []
    for code, top in zip(codes, _split(rubric.points, len(codes)), strict=True):
        want, have = exp.get(code), got.get(code)
        if want is None:
            share, verdict = 0.0, "错误：本件不适用这项时限。"
        elif have is None:
            share, verdict = 0.0, f"漏填：应为{want.isoformat()}。"
        elif have == want:
            share, verdict = 1.0, "正确。"
        elif have in _one_working_day_off(s.pack, want):
            share = rubric.one_working_day_off
            verdict = f"差一个工作日：应为{want.isoformat()}。"
        else:
            share, verdict = 0.0, f"错误：应为{want.isoformat()}。"
        rule = rules.get(code)
        if rule is None:
            text, source = "本训练包没有这项时限规则。", rubric.rule.source
        else:
            text, source = f"{rule.name_zh}:{rule.note or rule.describe()}", rule.source
        items.append(
            ScoreItem(
                field=f"due.{code}",
                got=have.isoformat() if have else None,
                expected=want.isoformat() if want else None,
                points=round(top * share, 2),
                max=top,
                reason=verdict + text,
                source=source,
            )
        )
    return tuple(items)


def score_repeat_of(s: Scoring, rubric: FieldRubric) -> tuple[ScoreItem, ...]:
    """All or nothing: the id of the earlier item this one repeats (none for a first report)."""
    exp, got = _text(s.expected.repeat_of), _text(s.answer.repeat_of)
    right = exp == got
    note = "" if right else f"应为{exp or '不填（非重复件）'}，填为{got or '空'}"
    basis = None
    related = s.expected.related_to
    if related and not exp:
        added = "另一件新的事实" if s.expected.novelty == "facts" else "新的证据"
        basis = Basis(
            f"本件与{related}是同一人反映同一干部，但提出了{added}，不是重复件，应当作为新线索登记办理；"
            "提供新的证据材料的，承办部门应当核查处理。" + rubric.rule.text,
            rubric.rule.source,
        )
    return (_whole(rubric, s.answer.repeat_of, s.expected.repeat_of, right, note, basis),)


#: the scoring step of every field, in the order of the report (declared once)
FIELD_STEPS: Mapping[str, Step] = {
    "category": score_category,
    "flags": score_flags,
    "problem_type": score_problem_type,
    "reporter": score_reporter,
    "accused": score_accused,
    "route": score_route,
    "disposal": score_disposal,
    "due": score_due,
    "repeat_of": score_repeat_of,
}


def score_conduct(
    conversation: Conversation, choices: Sequence[str], rubric: IntakeRubric
) -> tuple[ScoreItem, ...]:
    """One item per turn: all the points for the model reply, none for a faulty one (quoting its rule).

    Raises
    ------
    ValueError
        For a number of choices other than the number of turns, or a label a turn does not offer.
    """
    turns = conversation.turns
    if len(choices) != len(turns):
        raise ValueError(f"the conversation has {len(turns)} turn(s) but {len(choices)} choice(s) were given")
    items = []
    top = round(rubric.conduct_points, 2)
    for n, (turn, choice) in enumerate(zip(turns, choices, strict=True), start=1):
        try:
            option = turn.option(choice)
        except KeyError:
            offered = ", ".join(o.id for o in turn.options)
            raise ValueError(f"turn {n} offers no reply {choice!r}; it offers: {offered}") from None
        fault = option.fault
        if fault is None:
            points, reason, source = top, "示范答复。" + rubric.conduct_rule.text, rubric.conduct_rule.source
        else:
            points, reason, source = 0.0, f"{fault.name}:{fault.rule}", fault.source
        items.append(
            ScoreItem(
                field=f"conversation.{n}",
                got=option.id,
                expected=turn.model.id,
                points=points,
                max=top,
                reason=reason,
                source=source,
                kind="conduct",
                dimension=turn.dimension.value,
                turn=n,
            )
        )
    return tuple(items)


# -- the public API -------------------------------------------------------------------------------


def score_intake(
    case: ScoredCase,
    answer: Truth,
    pack: Pack,
    *,
    conversation: Conversation | None = None,
    choices: Sequence[str] | None = None,
) -> ScoreReport:
    """Score ``answer`` to ``case`` with the intake rubric of ``pack``.

    Parameters
    ----------
    case
        The case: a :class:`~toolkit.domain.models.Case`, or an :class:`AnswerKey` (id, seed, pack
        reference and truth) when only its JSON line is at hand.
    answer
        The learner's registration form, shaped like the truth (see :func:`parse_answer`).
    pack
        The pack whose ``intake_rubric`` prices the fields, whose deadline rules are quoted in the
        reasons and whose calendar decides what "one working day off" is.
    conversation, choices
        For a visit or call: the conversation and the option id chosen at each turn. Without choices
        no conduct items are made, so the fields alone decide the score.

    Returns
    -------
    ScoreReport
        Field items in :data:`FIELD_STEPS` order, then one conduct item per turn.

    Raises
    ------
    ValueError
        For choices without a conversation, a conversation of another case, a wrong number of choices,
        or a choice a turn does not offer.
    """
    rubric = pack.intake_rubric
    s = Scoring(expected=case.truth, answer=answer, pack=pack)
    items: list[ScoreItem] = []
    for name, step in FIELD_STEPS.items():
        items.extend(step(s, rubric.field(name)))
    if choices is not None:
        if conversation is None:
            raise ValueError("choices were given without the conversation they answer")
        if conversation.case_id != case.id:
            raise ValueError(f"the conversation is of case {conversation.case_id!r}, not {case.id!r}")
        items.extend(score_conduct(conversation, choices, rubric))
    total = round(sum(i.points for i in items), 2)
    top = round(sum(i.max for i in items), 2)
    band = rubric.grade(total / top if top else 0.0)
    return ScoreReport(
        case_id=case.id,
        seed=case.seed,
        pack=case.pack,
        items=tuple(items),
        total=total,
        max=top,
        grade=band.code,
        grade_zh=band.zh,
        grade_en=band.en,
    )


def parse_answer(data: Mapping[str, Any], pack: Pack | None = None) -> Truth:
    """A learner's answer from its JSON form (the shape of ``Truth.to_dict()``, ``specificity`` optional).

    The data is checked against ``toolkit/schemas/intake-answer.schema.json``; with ``pack``, the codes
    are checked too: problem type, units, time limits, disposal and management level must be ones the
    pack knows.

    Raises
    ------
    AnswerInvalid
        Listing every problem, each starting with the field it is about (``route.unit: ...``).
    """
    if not isinstance(data, Mapping):
        raise AnswerInvalid([f"(answer): must be a JSON object, not {_json_type(data)}"])
    problems = _schema_problems(data)
    if not problems:
        for code, day in data["due"].items():
            try:
                date.fromisoformat(day)
            except ValueError:
                problems.append(f"due.{code}: {day!r} is not a real date")
    if problems:
        raise AnswerInvalid(problems)
    try:
        answer = Truth.from_dict(data)
    except (KeyError, TypeError, ValueError) as exc:  # the schema should have caught it
        raise AnswerInvalid([f"(answer): {exc}"]) from None
    if pack is not None:
        problems = _pack_problems(answer, pack)
        if problems:
            raise AnswerInvalid(problems)
    return answer


# -- helpers --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Basis:
    """The rule a field's key follows in this case, when it is more particular than the rubric's."""

    text: str
    source: str


def _scored(
    rubric: FieldRubric, got: Any, expected: Any, share: float, note: str, basis: Basis | None = None
) -> ScoreItem:
    """An item earning ``share`` of the field; ``note`` says what is wrong; ``basis`` replaces the
    rubric's general rule with the one this case's key follows."""
    if share >= 1:
        verdict = "正确。"
    elif share <= 0:
        verdict = f"错误：{note}。" if note else "错误。"
    else:
        verdict = f"部分正确：{note}。" if note else "部分正确。"
    return ScoreItem(
        field=rubric.name,
        got=got,
        expected=expected,
        points=round(rubric.points * share, 2),
        max=round(rubric.points, 2),
        reason=verdict + (basis.text if basis is not None else rubric.rule.text),
        source=basis.source if basis is not None else rubric.rule.source,
    )


def _whole(
    rubric: FieldRubric, got: Any, expected: Any, right: bool, note: str, basis: Basis | None = None
) -> ScoreItem:
    return _scored(rubric, got, expected, 1.0 if right else 0.0, note, basis)


def _parted(
    rubric: FieldRubric, got: Any, expected: Any, right: Mapping[str, bool], basis: Basis | None = None
) -> ScoreItem:
    wrong = [PART_LABELS[rubric.name][p] for p, ok in right.items() if not ok]
    note = "、".join(wrong) + "不对" if wrong else ""
    return _scored(rubric, got, expected, _share(rubric, right), note, basis)


def _share(rubric: FieldRubric, right: Mapping[str, bool]) -> float:
    """The share of a field scored in parts; nothing when the gate part is wrong."""
    if rubric.gate is not None and not right[rubric.gate]:
        return 0.0
    return sum(share for part, share in rubric.parts.items() if right[part])


def _with_reason(item: ScoreItem, rubric: FieldRubric, verdict: str, basis: Basis | None = None) -> ScoreItem:
    return ScoreItem(
        item.field,
        item.got,
        item.expected,
        item.points,
        item.max,
        f"{verdict}。{basis.text if basis is not None else rubric.rule.text}",
        item.source,
    )


def _route_basis(s: Scoring) -> Basis | None:
    """The routing-table line (and escalation rule) the key's route follows, quoted with its source."""
    key = s.expected.route_rule
    rule = s.pack.rules.routing.get(key) if key else None
    if rule is None or not rule.note:
        return None
    text, source = rule.note, rule.source
    if key == "escalate":
        esc = next((e for e in s.pack.rules.escalation if s.expected.problem_type in e.problems), None)
        if esc is not None:
            text, source = f"{text}{esc.note}", f"{source}；{esc.source}"
    return Basis(text, source)


def _accused_parts(exp: RegisteredAccused, got: RegisteredAccused) -> dict[str, bool]:
    return {
        "name": _text(got.name) == _text(exp.name),
        "post": _text(got.post) == _text(exp.post),
        "unit": got.unit.strip() == exp.unit,
        "level": got.level == exp.level,
    }


def _split(points: float, n: int) -> list[float]:
    """``points`` in ``n`` shares of whole cents that add up exactly (the first ones get any extra cent)."""
    cents = round(points * 100)
    base, extra = divmod(cents, n)
    return [(base + (1 if i < extra else 0)) / 100 for i in range(n)]


def _one_working_day_off(pack: Pack, day: date) -> tuple[date, ...]:
    """The working days just before and just after ``day`` (none where the calendar has no data)."""
    out = []
    for step in (-1, 1):
        try:
            out.append(pack.calendar.add_working_days(day, step))
        except CalendarError:
            pass
    return tuple(out)


def _text(value: str | None) -> str | None:
    """Text without any whitespace; empty as None."""
    if value is None:
        return None
    return _SPACE.sub("", value) or None


def _digits(value: str | None) -> str | None:
    if value is None:
        return None
    return _NON_DIGIT.sub("", value) or None


def _code(value: Coded | None) -> str | None:
    return value.value if value is not None else None


def _should_be(expected: Coded | None, got: Coded | None) -> str:
    """ "应为X，填为Y" with the codes' Chinese labels."""
    want = expected.zh if expected is not None else "不填"
    have = got.zh if got is not None else "空"
    return f"应为“{want}”，填为“{have}”"


def _problem_name(pack: Pack, code: str) -> str:
    if code == UNSPECIFIED:
        return "未明确"
    for problem in pack.problems:
        if problem.code == code:
            return problem.name
    return code


def _route_json(route: Route) -> dict[str, Any]:
    return {"action": route.action.value, "unit": route.unit, "copy_to": route.copy_to}


def _plain(value: Any) -> Any:
    """A fresh copy of a JSON value (so a caller cannot change an item through ``to_dict``)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _json_type(value: Any) -> str:
    names = {list: "an array", str: "a string", int: "a number", float: "a number", bool: "true/false"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


@cache
def _answer_validator() -> Any:
    import jsonschema  # imported here: it is slow to import, and only parsing answers needs it

    text = resources.files("toolkit.schemas").joinpath(ANSWER_SCHEMA).read_text(encoding="utf-8")
    return jsonschema.Draft202012Validator(json.loads(text))


def _schema_problems(data: Mapping[str, Any]) -> list[str]:
    """One line per schema violation, each starting with the field (``accused[0].level: ...``)."""
    errors = sorted(_answer_validator().iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    out = [line for err in errors for line in _describe(err)]
    return list(dict.fromkeys(out))  # one error per missing field names them all: keep each line once


def _describe(err: Any) -> list[str]:
    """A jsonschema ValidationError as lines naming the field, in plainer words."""
    path = list(err.absolute_path)
    where = _path(path)
    kind = err.validator
    if kind in ("anyOf", "oneOf"):
        # "a code or null": say what is wrong with the alternative that is not null
        specific = [e for e in err.context if e.validator != "type"]
        return _describe(specific[0]) if specific else [f"{where}: must be {_alternatives(err)}"]
    if kind == "required":
        return [f"{_path([*path, k])}: is missing" for k in err.validator_value if k not in err.instance]
    if kind == "additionalProperties":
        allowed = err.schema.get("properties", {})
        return [f"{_path([*path, k])}: unknown field" for k in err.instance if k not in allowed]
    if kind == "enum":
        return [f"{where}: {_shown(err.instance)} is not one of: {', '.join(map(str, err.validator_value))}"]
    if kind == "pattern":
        return [f"{where}: {err.instance!r} does not have the expected form"]
    if kind == "uniqueItems":
        return [f"{where}: lists a value more than once"]
    if kind == "type":
        return [f"{where}: must be {_expected_type(err.validator_value)}, not {_json_type(err.instance)}"]
    if kind == "minLength":
        return [f"{where}: must not be empty"]
    return [f"{where}: {err.message}"]


def _shown(value: Any) -> str:
    """A value as a message quotes it: text in quotes, anything else as JSON."""
    return repr(value) if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _alternatives(err: Any) -> str:
    kinds = [e.validator_value for e in err.context if e.validator == "type"]
    return " or ".join(_expected_type(k) for k in kinds) or "something else"


def _expected_type(value: Any) -> str:
    names = {
        "object": "an object",
        "array": "an array",
        "string": "a string",
        "null": "null",
        "integer": "a whole number",
        "number": "a number",
        "boolean": "true/false",
    }
    types = value if isinstance(value, list) else [value]
    return " or ".join(names.get(t, str(t)) for t in types)


def _path(parts: Sequence[Any]) -> str:
    """``["accused", 0, "level"]`` → ``accused[0].level``; the whole answer is ``(answer)``."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(answer)"


def _pack_problems(answer: Truth, pack: Pack) -> list[str]:
    """Codes in ``answer`` that ``pack`` does not know."""
    out = []
    problems = {p.code for p in pack.problems} | {UNSPECIFIED}
    if answer.problem_type not in problems:
        out.append(f"problem_type: {answer.problem_type!r} is not a problem type of this pack")
    j = pack.jurisdiction
    if not j.has(answer.route.unit):
        out.append(f"route.unit: {answer.route.unit!r} is not a unit of this pack")
    if answer.route.copy_to is not None and not j.has(answer.route.copy_to):
        out.append(f"route.copy_to: {answer.route.copy_to!r} is not a unit of this pack")
    if answer.disposal is not None and answer.disposal not in pack.rules.disposals:
        allowed = ", ".join(d.value for d in pack.rules.disposals)
        out.append(f"disposal: {answer.disposal.value!r} is not a disposal of this pack (it has: {allowed})")
    deadlines = {rule.code for rule in pack.rules.deadlines}
    for code, _ in answer.due:
        if code not in deadlines:
            out.append(f"due.{code}: this pack has no time limit {code!r}")
    for i, accused in enumerate(answer.accused):
        if not j.has(accused.unit):
            out.append(f"accused[{i}].unit: {accused.unit!r} is not a unit of this pack")
        if accused.level.value not in pack.rules.routing:
            out.append(f"accused[{i}].level: {accused.level.value!r} has no routing rule in this pack")
    return out
