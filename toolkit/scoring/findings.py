"""Scoring of fault finding (互找茬): a reviewer's marks on a dossier against the dossier's answer key.

A mark (:class:`~toolkit.domain.dossier.Finding`) names a document and a defect type of the pack's
catalogue (``defects.yaml``). :func:`score_findings` is a pure function over (dossier, marks, pack):

1. :func:`match_findings` pairs marks with planted defects. A planted defect is hit by a mark of its type
   made in the document where it is planted or in one where it also shows (``shows_in``), and by at most
   one mark. The pairing is a largest one (augmenting paths, marks taken in the order given, planted
   defects tried in answer-key order), so it is deterministic, and the number of hits — hence the total —
   does not depend on the order of the marks.
2. The scoring steps (:data:`STEPS`, the order of the report) turn the pairing into items: one per planted
   defect (a hit earns the type's severity, a miss nothing), one for a clean dossier (the rubric's
   ``clean_points``), and one per mark left over, each a false alarm costing the rubric's ``false_alarm``
   points, with the reason why it matched nothing (:class:`FalseAlarm`).

The maximum is the sum of the planted severities, or ``clean_points`` for a clean dossier; the total is the
sum of the items, but never below 0. Grades come from the shared grade bands of ``rubrics.yaml``.

:func:`parse_findings` reads marks from untrusted JSON (``toolkit/schemas/findings.schema.json``) and,
given the dossier and the pack, checks the document ids and defect codes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from toolkit.domain.codes import Coded
from toolkit.domain.dossier import Dossier, Finding, PlantedDefect
from toolkit.errors import AnswerInvalid
from toolkit.packs.defects import DefectType
from toolkit.packs.model import Pack
from toolkit.packs.rubrics import FindingsRubric
from toolkit.scoring.graded import Graded

__all__ = [
    "STEPS",
    "FalseAlarm",
    "FindingItem",
    "FindingsReport",
    "ItemKind",
    "Marking",
    "match_findings",
    "parse_findings",
    "score_findings",
]

FINDINGS_SCHEMA = "findings.schema.json"


class ItemKind(Coded):
    """What a line of a findings report is about."""

    HIT = ("hit", "查出", "Found")
    MISS = ("miss", "漏查", "Missed")
    CLEAN = ("clean", "无问题案卷", "Clean dossier")
    FALSE_ALARM = ("false_alarm", "误报", "False alarm")


class FalseAlarm(Coded):
    """Why a mark matched no planted defect (checked in this order)."""

    UNKNOWN_DEFECT = ("unknown_defect", "问题类型不存在", "No such defect type")
    UNKNOWN_DOCUMENT = ("unknown_document", "文书不存在", "No such document")
    DUPLICATE = ("duplicate", "重复标记", "Duplicate mark")
    WRONG_DOCUMENT = ("wrong_document", "文书不对", "Wrong document")
    NOT_PLANTED = ("not_planted", "本卷无此问题", "Not in this dossier")


# -- report ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FindingItem:
    """One scored line of a findings report.

    ``field`` is ``defect.<code>`` for a planted defect, ``clean`` for a clean dossier and
    ``false_alarm.<n>`` (1-based, in report order) for a false alarm. ``planted`` is the answer key's
    entry (hits and misses), ``mark`` the reviewer's mark and ``mark_no`` its 1-based position in the
    findings (hits and false alarms). ``reason`` says what was right or wrong and quotes the rule, whose
    text and source are also kept apart (``rule``, ``source``) with the catalogue's ``explanation``.
    A false alarm's points are negative and its ``max`` 0.
    """

    field: str
    kind: ItemKind
    points: float
    max: float
    reason: str
    rule: str
    source: str
    defect: str | None = None
    name: str = ""
    dimension: str | None = None
    explanation: str = ""
    planted: PlantedDefect | None = None
    mark: Finding | None = None
    mark_no: int | None = None
    false_alarm: FalseAlarm | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "kind": self.kind.value,
            "points": self.points,
            "max": self.max,
            "reason": self.reason,
            "rule": self.rule,
            "source": self.source,
            "defect": self.defect,
            "name": self.name,
            "dimension": self.dimension,
            "explanation": self.explanation,
            "planted": self.planted.to_dict() if self.planted else None,
            "mark": self.mark.to_dict() if self.mark else None,
            "mark_no": self.mark_no,
            "false_alarm": self.false_alarm.value if self.false_alarm else None,
        }


@dataclass(frozen=True, slots=True)
class FindingsReport(Graded):
    """The score of one reviewer's findings on one dossier.

    Items come in :data:`STEPS` order: planted defects in answer-key order (or the clean-dossier line),
    then false alarms in mark order. ``total`` is the items' sum, floored at 0; ``max`` what the dossier is
    worth. The answer key is kept for the page that shows it after submitting.
    """

    dossier_id: str
    seed: int
    pack: str
    items: tuple[FindingItem, ...]
    hits: int
    misses: int
    false_alarms: int
    total: float
    max: float
    grade: str
    grade_zh: str = ""
    grade_en: str = ""
    answer_key: tuple[PlantedDefect, ...] = ()

    def by_defect(self) -> dict[str, tuple[int, int]]:
        """Per defect code planted in the dossier: (hits, planted), for item analysis across reviewers."""
        out: dict[str, tuple[int, int]] = {}
        for item in self.items:
            if item.kind in (ItemKind.HIT, ItemKind.MISS) and item.defect is not None:
                hits, planted = out.get(item.defect, (0, 0))
                out[item.defect] = (hits + (item.kind is ItemKind.HIT), planted + 1)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "dossier_id": self.dossier_id,
            "seed": self.seed,
            "pack": self.pack,
            "total": self.total,
            "max": self.max,
            "grade": self.grade,
            "hits": self.hits,
            "misses": self.misses,
            "false_alarms": self.false_alarms,
            "by_defect": {code: {"hits": h, "planted": n} for code, (h, n) in self.by_defect().items()},
            "items": [item.to_dict() for item in self.items],
            "answer_key": [p.to_dict() for p in self.answer_key],
        }


# -- matching -------------------------------------------------------------------------------------


def match_findings(key: Sequence[PlantedDefect], marks: Sequence[Finding]) -> dict[int, int]:
    """Which mark hits which planted defect: answer-key index → mark index.

    A mark can hit a planted defect of its type in one of the defect's documents; each planted defect
    and each mark takes part in at most one hit. The result is a largest such pairing (Kuhn's augmenting
    paths over the marks in order, free defects tried first in answer-key order), so its size does not
    depend on the order of the marks, and it is the same for the same marks in the same order.
    """
    candidates = [
        [i for i, p in enumerate(key) if p.defect == mark.defect and mark.document in p.documents()]
        for mark in marks
    ]
    owner: dict[int, int] = {}

    def augment(j: int, seen: set[int]) -> bool:
        free = next((i for i in candidates[j] if i not in owner), None)
        if free is not None:  # a free defect first, so earlier marks keep theirs when they can
            owner[free] = j
            return True
        for i in candidates[j]:
            if i in seen:
                continue
            seen.add(i)
            if augment(owner[i], seen):
                owner[i] = j
                return True
        return False

    for j in range(len(marks)):
        if candidates[j]:
            augment(j, set())
    return dict(sorted(owner.items()))


# -- steps ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Marking:
    """What every step reads: the dossier, the marks, the pack's catalogue and rubric, and the hits."""

    dossier: Dossier
    marks: tuple[Finding, ...]
    catalogue: Mapping[str, DefectType]
    rubric: FindingsRubric
    hits: Mapping[int, int]  # answer-key index → mark index


Step = Callable[[Marking], tuple[FindingItem, ...]]


def score_planted(m: Marking) -> tuple[FindingItem, ...]:
    """One item per planted defect: its severity when a mark hit it, nothing when it was missed."""
    items: list[FindingItem] = []
    for i, planted in enumerate(m.dossier.answer_key):
        info = m.catalogue[planted.defect]
        top = round(float(info.severity), 2)
        j = m.hits.get(i)
        where = _where(m.dossier, planted)
        note = f"：{planted.note}" if planted.note else ""
        if j is None:
            kind, points, verdict = ItemKind.MISS, 0.0, f"漏查：{where}的“{info.name}”{note}。"
        else:
            kind, points = ItemKind.HIT, top
            marked = (
                ""
                if m.marks[j].document == planted.document
                else f"（标在{_doc(m.dossier, m.marks[j].document)}）"
            )
            verdict = f"查出：{where}的“{info.name}”{marked}{note}。"
        items.append(
            FindingItem(
                field=f"defect.{planted.defect}",
                kind=kind,
                points=points,
                max=top,
                reason=verdict + info.rule,
                rule=info.rule,
                source=info.source,
                defect=planted.defect,
                name=info.name,
                dimension=info.dimension.value,
                explanation=info.explanation,
                planted=planted,
                mark=None if j is None else m.marks[j],
                mark_no=None if j is None else j + 1,
            )
        )
    return tuple(items)


def score_clean(m: Marking) -> tuple[FindingItem, ...]:
    """For a clean dossier, one item worth the rubric's ``clean_points`` (marks cost as false alarms)."""
    if m.dossier.answer_key:
        return ()
    rule = m.rubric.clean_rule
    top = round(m.rubric.clean_points, 2)
    if m.marks:
        verdict = f"本卷没有问题，所作{len(m.marks)}处标记均为误报。"
    else:
        verdict = "正确：本卷没有问题，未作标记。"
    return (
        FindingItem(
            field="clean",
            kind=ItemKind.CLEAN,
            points=top,
            max=top,
            reason=verdict + rule.text,
            rule=rule.text,
            source=rule.source,
        ),
    )


def score_false_alarms(m: Marking) -> tuple[FindingItem, ...]:
    """One item per mark that hit nothing, costing the rubric's ``false_alarm`` points each."""
    hit_by = {j: i for i, j in m.hits.items()}
    rule = m.rubric.false_alarm_rule
    cost = round(m.rubric.false_alarm, 2)
    items: list[FindingItem] = []
    for j, mark in enumerate(m.marks):
        if j in hit_by:
            continue
        why, verdict = _false_alarm(m, mark)
        info = m.catalogue.get(mark.defect)
        items.append(
            FindingItem(
                field=f"false_alarm.{len(items) + 1}",
                kind=ItemKind.FALSE_ALARM,
                points=-cost if cost else 0.0,
                max=0.0,
                reason=f"误报（第{j + 1}处标记）：{verdict}。{rule.text}",
                rule=rule.text,
                source=rule.source,
                defect=mark.defect,
                name=info.name if info is not None else "",
                dimension=info.dimension.value if info is not None else None,
                mark=mark,
                mark_no=j + 1,
                false_alarm=why,
            )
        )
    return tuple(items)


#: the scoring steps, in the order of the report (declared once)
STEPS: tuple[Step, ...] = (score_planted, score_clean, score_false_alarms)


# -- the public API -------------------------------------------------------------------------------


def score_findings(dossier: Dossier, findings: Sequence[Finding], pack: Pack) -> FindingsReport:
    """Score a reviewer's ``findings`` on ``dossier`` with the catalogue and findings rubric of ``pack``.

    Parameters
    ----------
    dossier
        The dossier with its answer key (empty for a clean dossier).
    findings
        The reviewer's marks, in the order made; see :func:`parse_findings` for untrusted input. Marks
        naming a defect type or a document that does not exist are scored as false alarms.
    pack
        The pack whose defect catalogue gives each defect type's severity, name, rule and explanation,
        and whose ``findings_rubric`` prices false alarms and clean dossiers.

    Returns
    -------
    FindingsReport
        Items in :data:`STEPS` order, counts of hits, misses and false alarms, total (≥ 0) and grade.

    Raises
    ------
    ValueError
        When the answer key names a defect type the pack's catalogue does not have (the dossier was made
        with another pack, so its defects cannot be priced).
    """
    catalogue = pack.defects.types
    unknown = sorted({p.defect for p in dossier.answer_key if p.defect not in catalogue})
    if unknown:
        raise ValueError(
            f"dossier {dossier.id} plants defect type(s) {', '.join(unknown)} that pack {pack.ref} "
            "does not have"
        )
    marks = tuple(findings)
    m = Marking(
        dossier=dossier,
        marks=marks,
        catalogue=catalogue,
        rubric=pack.findings_rubric,
        hits=match_findings(dossier.answer_key, marks),
    )
    items = [item for step in STEPS for item in step(m)]
    total = max(0.0, round(sum(i.points for i in items), 2))
    top = round(sum(i.max for i in items), 2)
    band = pack.findings_rubric.grade(total / top if top else 0.0)
    return FindingsReport(
        dossier_id=dossier.id,
        seed=dossier.seed,
        pack=dossier.pack,
        items=tuple(items),
        hits=sum(i.kind is ItemKind.HIT for i in items),
        misses=sum(i.kind is ItemKind.MISS for i in items),
        false_alarms=sum(i.kind is ItemKind.FALSE_ALARM for i in items),
        total=total,
        max=top,
        grade=band.code,
        grade_zh=band.zh,
        grade_en=band.en,
        answer_key=dossier.answer_key,
    )


def parse_findings(data: Any, dossier: Dossier | None = None, pack: Pack | None = None) -> list[Finding]:
    """A reviewer's marks from their JSON form: a list of ``{document, defect, note}`` (note optional).

    The data is checked against ``toolkit/schemas/findings.schema.json``; with ``dossier``, every
    document must be one of its documents; with ``pack``, every defect a type of its catalogue.
    Duplicate marks are not problems here: scoring counts them as false alarms.

    Raises
    ------
    AnswerInvalid
        Listing every problem, each starting with the mark and field it is about
        (``findings[2].defect: ...``).
    """
    problems = _schema_problems(data)
    if problems:
        raise AnswerInvalid(problems)
    marks = [Finding.from_dict(entry) for entry in data]
    if dossier is not None:
        ids = [doc.id for doc in dossier.documents]
        problems.extend(
            f"findings[{n}].document: {mark.document!r} is not a document of this dossier "
            f"(it has: {', '.join(ids)})"
            for n, mark in enumerate(marks)
            if mark.document not in ids
        )
    if pack is not None:
        catalogue = pack.defects.types
        problems.extend(
            f"findings[{n}].defect: {mark.defect!r} is not a defect type of this pack"
            for n, mark in enumerate(marks)
            if mark.defect not in catalogue
        )
    if problems:
        raise AnswerInvalid(sorted(problems, key=_mark_no))
    return marks


# -- helpers --------------------------------------------------------------------------------------


def _false_alarm(m: Marking, mark: Finding) -> tuple[FalseAlarm, str]:
    """Why ``mark`` hit nothing, and the reason's words."""
    info = m.catalogue.get(mark.defect)
    if info is None:
        return FalseAlarm.UNKNOWN_DEFECT, f"问题目录中没有“{mark.defect}”这类问题"
    ids = {doc.id for doc in m.dossier.documents}
    if mark.document not in ids:
        return FalseAlarm.UNKNOWN_DOCUMENT, f"本卷没有文书{mark.document}"
    same = [(i, p) for i, p in enumerate(m.dossier.answer_key) if p.defect == mark.defect]
    for i, planted in same:
        if mark.document in planted.documents():
            first = m.hits[i] + 1  # not free, or this mark would have hit it
            return FalseAlarm.DUPLICATE, f"“{info.name}”已由第{first}处标记查出，重复标记"
    if same:
        where = "、".join(dict.fromkeys(_doc(m.dossier, p.document) for _, p in same))
        return (
            FalseAlarm.WRONG_DOCUMENT,
            f"{_doc(m.dossier, mark.document)}中没有“{info.name}”，这个问题在{where}",
        )
    return FalseAlarm.NOT_PLANTED, f"本卷中没有“{info.name}”"


def _doc(dossier: Dossier, doc_id: str) -> str:
    """A document as a reason names it: ``第2份《分办单》`` (its place in the file), or the bare id."""
    for n, doc in enumerate(dossier.documents, start=1):
        if doc.id == doc_id:
            return f"第{n}份《{doc.title}》"
    return doc_id


def _where(dossier: Dossier, planted: PlantedDefect) -> str:
    """Where a planted defect is, in words: the document and the field, paragraph or whole document."""
    kind, _, detail = planted.location.partition(":")
    doc = _doc(dossier, planted.document)
    if kind == "field":
        try:
            found = dossier.document(planted.document).field(detail)
        except KeyError:
            found = None
        return f"{doc}“{found.label if found else detail}”栏"
    if kind == "paragraph" and detail.isdigit():
        return f"{doc}第{int(detail) + 1}段"
    if kind == "document":
        return doc
    return f"{doc}（{planted.location}）"


def _mark_no(problem: str) -> int:
    """Sort key of a problem line: the index of the mark it is about (-1 for the whole list)."""
    head = problem.partition(":")[0]
    if head.startswith("findings[") and "]" in head:
        index = head[len("findings[") : head.index("]")]
        if index.isdigit():
            return int(index)
    return -1


@cache
def _validator() -> Any:
    import jsonschema  # imported here: it is slow to import, and only parsing findings needs it

    text = resources.files("toolkit.schemas").joinpath(FINDINGS_SCHEMA).read_text(encoding="utf-8")
    return jsonschema.Draft202012Validator(json.loads(text))


def _schema_problems(data: Any) -> list[str]:
    """One line per schema violation, each naming the mark and field (``findings[0].document: ...``)."""
    errors = sorted(_validator().iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    return list(dict.fromkeys(line for err in errors for line in _describe(err)))


def _describe(err: Any) -> list[str]:
    """A jsonschema ValidationError as lines naming the field, in plainer words."""
    path = list(err.absolute_path)
    where = _path(path)
    kind = err.validator
    if kind == "required":
        return [f"{_path([*path, k])}: is missing" for k in err.validator_value if k not in err.instance]
    if kind == "additionalProperties":
        allowed = err.schema.get("properties", {})
        return [f"{_path([*path, k])}: unknown field" for k in err.instance if k not in allowed]
    if kind == "type":
        wanted = _TYPES.get(err.validator_value, err.validator_value)
        return [f"{where}: must be {wanted}, not {_json_type(err.instance)}"]
    if kind == "pattern":
        return [f"{where}: {err.instance!r} is not a defect code (lower-case letters, digits and _)"]
    if kind == "minLength":
        return [f"{where}: must not be empty"]
    if kind == "maxLength":
        return [f"{where}: is longer than {err.validator_value} characters"]
    if kind == "maxItems":
        return [f"{where}: more than {err.validator_value} marks"]
    return [f"{where}: {err.message}"]


_TYPES = {"object": "an object", "array": "a list", "string": "a string"}


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    names = {list: "a list", dict: "an object", str: "a string", int: "a number", float: "a number"}
    return names.get(type(value), type(value).__name__)


def _path(parts: Sequence[Any]) -> str:
    """``[0, "document"]`` → ``findings[0].document``."""
    out = "findings"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def hit_rates(reports: Iterable[Mapping[str, Any]]) -> dict[str, tuple[int, int]]:
    """Per defect type, hits and times planted, summed over stored report dicts (their ``by_defect``)."""
    totals: dict[str, tuple[int, int]] = {}
    for report in reports:
        for code, counts in (report.get("by_defect") or {}).items():
            hits, planted = totals.get(code, (0, 0))
            totals[code] = (hits + int(counts["hits"]), planted + int(counts["planted"]))
    return totals
