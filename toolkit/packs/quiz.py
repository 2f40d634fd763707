"""The pack's ``quiz.yaml``: the knowledge-test question bank (知识测试题库) and the points per question kind.

Read by :func:`build_quiz`; used by the quiz rounds of a competition, next to the questions
:mod:`toolkit.generate.quiz` computes from the pack's rules. Every question names its source (a regulation
with its year, and the article where it is certain, or a named local practice), carries an explanation and a
topic code for item analysis.

A date fill-in question may say which deadline rule of ``rules.yaml`` it is about (``deadline: {rule, start,
extended}``): the loader then recomputes the answer with that rule on the pack's working-day calendar, so a
bank answer can never drift from the rules file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any

from toolkit.domain.quiz import LETTERS, Question, QuestionKind, zh_date
from toolkit.errors import XfkitError
from toolkit.packs.yamlio import PathKey, YamlDoc

__all__ = ["DueFn", "Fail", "QuizBank", "Topic", "build_quiz"]

Fail = Callable[[PathKey, str], None]
#: ``due(rule_code, start, extended)``: the last day of a pack deadline rule counted from ``start``
DueFn = Callable[[str, date, bool], date]

_LETTERS = re.compile(r"^[A-Z]+$")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class Topic:
    """A topic code of the bank with its labels (受理范围 / Scope)."""

    code: str
    zh: str
    en: str

    def label(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "zh": self.zh, "en": self.en}


@dataclass(frozen=True, slots=True)
class QuizBank:
    """The pack's question bank, in file order (see docs/pack-format.md, quiz.yaml).

    Attributes
    ----------
    questions
        Every question, in file order; ids are unique.
    points
        Points a right answer earns, per question kind (all or nothing).
    topics
        The topic codes questions may use, with their labels, in file order.
    """

    questions: tuple[Question, ...]
    points: Mapping[QuestionKind, float]
    topics: Mapping[str, Topic] = field(default_factory=lambda: MappingProxyType({}))

    def __len__(self) -> int:
        return len(self.questions)

    def question(self, id: str) -> Question:
        """The question ``id``; ``KeyError`` naming the problem otherwise."""
        for q in self.questions:
            if q.id == id:
                return q
        raise KeyError(f"the quiz bank has no question {id!r} ({len(self.questions)} questions)")

    def by_topic(self) -> Mapping[str, tuple[Question, ...]]:
        """The questions by topic code: topics in order of first appearance, questions in file order."""
        groups: dict[str, list[Question]] = {}
        for q in self.questions:
            groups.setdefault(q.topic, []).append(q)
        return MappingProxyType({topic: tuple(qs) for topic, qs in groups.items()})

    def by_kind(self, kind: QuestionKind) -> tuple[Question, ...]:
        """The questions of one kind, in file order."""
        return tuple(q for q in self.questions if q.kind is kind)

    def max_points(self, questions: tuple[Question, ...] | None = None) -> float:
        """What ``questions`` (default: the whole bank) are worth together."""
        return float(sum(self.points[q.kind] for q in (self.questions if questions is None else questions)))


def build_quiz(doc: YamlDoc, fail: Fail, *, due: DueFn | None = None) -> QuizBank:
    """The bank of ``doc`` (already schema-checked); every further problem is reported through ``fail``.

    Checked beyond the schema: ids are unique; topics are declared under ``topics``; a source is not blank;
    options are unique; a single-choice answer is one letter within the options (at least 2 options); a
    multiple-choice answer is at least 2 different letters within the options (at least 3 options); a
    true/false answer is true or false and a date answer a real ISO date, both without options. With ``due``
    given, a date question's ``deadline`` is recomputed: its rule must exist, the stem must write its start
    date (``2025年9月26日``) and the answer must be the computed last day.
    """
    data = doc.data
    points = MappingProxyType({QuestionKind(k): float(v) for k, v in data["points"].items()})
    topics = MappingProxyType(
        {code: Topic(code, str(t["zh"]), str(t["en"])) for code, t in data["topics"].items()}
    )
    questions: list[Question] = []
    seen: set[str] = set()
    for i, raw in enumerate(data["questions"]):
        at: PathKey = ("questions", i)
        qid = raw["id"]
        if qid in seen:
            fail((*at, "id"), f"question {qid!r} is defined twice")
            continue
        seen.add(qid)
        kind = QuestionKind(raw["kind"])
        if raw["topic"] not in topics:
            fail((*at, "topic"), f"unknown topic {raw['topic']!r}; declared topics: {', '.join(topics)}")
        if not raw["source"].strip():
            fail(
                (*at, "source"), "the source is blank: name the regulation and article, or the local practice"
            )
        options = tuple(raw.get("options", ()))
        _check_options(options, at, fail)
        answer = _answer(kind, raw["answer"], options, at, fail)
        if answer is None:
            continue
        if "deadline" in raw:
            _check_deadline(raw, kind, answer, at, fail, due)
        questions.append(
            Question(
                id=qid,
                kind=kind,
                stem=raw["stem"],
                options=options,
                answer=answer,
                source=raw["source"],
                explanation=raw["explanation"],
                topic=raw["topic"],
            )
        )
    return QuizBank(questions=tuple(questions), points=points, topics=topics)


def _check_options(options: tuple[str, ...], at: PathKey, fail: Fail) -> None:
    firsts: dict[str, int] = {}
    for j, text in enumerate(options):
        key = text.strip()
        if key in firsts:
            fail((*at, "options", j), f"option {text!r} repeats option {LETTERS[firsts[key]]}")
        firsts.setdefault(key, j)


def _answer(
    kind: QuestionKind, value: str | bool, options: tuple[str, ...], at: PathKey, fail: Fail
) -> tuple[str, ...] | None:
    """The normalised key of one question, or None (after reporting) when it is unusable."""
    where: PathKey = (*at, "answer")
    if kind in (QuestionKind.TRUE_FALSE, QuestionKind.DATE) and options:
        fail((*at, "options"), f"a {kind.value} question has no options")
    if kind is QuestionKind.TRUE_FALSE:
        if isinstance(value, bool):
            return ("true" if value else "false",)
        if value in ("true", "false"):
            return (value,)
        fail(where, f"a true_false answer is true or false, not {value!r}")
        return None
    if isinstance(value, bool):
        fail(where, f"a {kind.value} answer is {_expected(kind)}, not {str(value).lower()}")
        return None
    if kind is QuestionKind.DATE:
        if not _ISO.match(value):
            fail(where, f"a date answer is an ISO date YYYY-MM-DD, not {value!r}")
            return None
        try:
            return (date.fromisoformat(value).isoformat(),)
        except ValueError as exc:
            fail(where, f"{value!r} is not a real date ({exc})")
            return None
    letters = value.replace(" ", "").upper() if value.strip() else ""
    if not _LETTERS.match(letters):
        fail(where, f"a {kind.value} answer is {_expected(kind)}, not {value!r}")
        return None
    if len(set(letters)) != len(letters):
        fail(where, f"{value!r} names a letter twice")
        return None
    if kind is QuestionKind.SINGLE:
        if len(options) < 2:
            fail((*at, "options"), f"a single-choice question needs at least 2 options, has {len(options)}")
            return None
        if len(letters) != 1:
            fail(where, f"a single-choice answer is exactly one letter, not {value!r}")
            return None
    else:
        if len(options) < 3:
            fail((*at, "options"), f"a multiple-choice question needs at least 3 options, has {len(options)}")
            return None
        if len(letters) < 2:
            fail(where, f"a multiple-choice answer names at least 2 letters, not {value!r}")
            return None
    outside = [c for c in letters if LETTERS.index(c) >= len(options)]
    if outside:
        last = LETTERS[len(options) - 1]
        fail(where, f"letter(s) {', '.join(outside)} beyond the {len(options)} options (A–{last})")
        return None
    return tuple(sorted(letters))


def _expected(kind: QuestionKind) -> str:
    return {
        QuestionKind.SINGLE: "one option letter such as B",
        QuestionKind.MULTIPLE: "option letters such as ACD",
        QuestionKind.TRUE_FALSE: "true or false",
        QuestionKind.DATE: "an ISO date YYYY-MM-DD",
    }[kind]


def _check_deadline(
    raw: Mapping[str, Any],
    kind: QuestionKind,
    answer: tuple[str, ...],
    at: PathKey,
    fail: Fail,
    due: DueFn | None,
) -> None:
    spec = raw["deadline"]
    where: PathKey = (*at, "deadline")
    if kind is not QuestionKind.DATE:
        fail(where, f"only date questions can name a deadline rule, not a {kind.value} question")
        return
    try:
        start = date.fromisoformat(spec["start"])
    except ValueError as exc:
        fail((*where, "start"), f"{spec['start']!r} is not a real date ({exc})")
        return
    if zh_date(start) not in raw["stem"]:
        fail((*at, "stem"), f"the stem does not give the start date {zh_date(start)} of its deadline")
    if due is None:
        return
    extended = bool(spec.get("extended", False))
    try:
        expected = due(spec["rule"], start, extended)
    except XfkitError as exc:  # no such rule in rules.yaml, no extension, a date without holiday data
        fail((*where, "rule"), str(exc))
        return
    if answer[0] != expected.isoformat():
        fail(
            (*at, "answer"),
            f"{answer[0]} is not the last day: rules.yaml {spec['rule']!r} from {start.isoformat()}"
            f"{' with the extension' if extended else ''} gives {expected.isoformat()}",
        )
