"""Scoring of knowledge-test (知识测试) answers: all or nothing per question.

1. :func:`parse_response` turns what a contestant gave into the form of :attr:`Question.answer
   <toolkit.domain.quiz.Question.answer>`: option letters upper-case and sorted, ``"true"``/``"false"``, or
   one ISO date. It accepts the usual ways of writing each (``"a, c"``, ``["C", "A"]``, ``"对"``, ``"错误"``,
   ``"2025年9月26日"``, ``"2025/9/26"``) and raises :class:`~toolkit.errors.AnswerInvalid` naming the question
   and the problem for anything else.
2. :func:`score_question` compares a parsed response with the key. Every kind is all or nothing: a
   multiple-choice answer earns its points only when it names exactly the right letters (one missing or one
   extra earns nothing). Points per kind come from the pack (``quiz.yaml`` ``points``).
3. :func:`score_quiz` parses and scores a whole set; an unanswered question scores 0.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from toolkit.domain.quiz import LETTERS, Question, QuestionKind
from toolkit.errors import AnswerInvalid

__all__ = ["QuizReport", "QuizScore", "parse_response", "score_question", "score_quiz"]

#: what a true/false answer may be written as
TRUE_WORDS = frozenset({"true", "对", "正确"})
FALSE_WORDS = frozenset({"false", "错", "错误"})

Raw = str | bool | date | Sequence[str] | None

_SEPARATORS = re.compile(r"[\s,，、;；/|]+")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_SLASH = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")
_ZH = re.compile(
    r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日(?:\s*[(（]\s*(?:星期|周)[一二三四五六日天]\s*[)）])?$"
)


@dataclass(frozen=True, slots=True)
class QuizScore:
    """The score of one question.

    Attributes
    ----------
    question
        The question's id.
    kind
        Its kind.
    correct
        Whether the response is exactly the key.
    points, max
        Points earned (``max`` or 0) and the points the kind is worth.
    response
        The parsed response (empty when the question was not answered).
    answer, source, explanation, topic
        The key and what explains it, shown once answers are released.
    """

    question: str
    kind: QuestionKind
    correct: bool
    points: float
    max: float
    response: tuple[str, ...]
    answer: tuple[str, ...]
    source: str
    explanation: str
    topic: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "kind": self.kind.value,
            "correct": self.correct,
            "points": self.points,
            "max": self.max,
            "response": list(self.response),
            "answer": list(self.answer),
            "source": self.source,
            "explanation": self.explanation,
            "topic": self.topic,
        }


@dataclass(frozen=True, slots=True)
class QuizReport:
    """The scores of a question set, in question order."""

    items: tuple[QuizScore, ...]
    total: float
    max: float

    @property
    def correct(self) -> int:
        """How many questions were answered right."""
        return sum(1 for item in self.items if item.correct)

    @property
    def percent(self) -> float:
        """The total as a percentage of the maximum (2 decimals; 0 when nothing could be earned)."""
        return round(100 * self.total / self.max, 2) if self.max else 0.0

    def by_topic(self) -> dict[str, tuple[int, int]]:
        """Per topic, (answered right, questions), topics in order of first appearance."""
        out: dict[str, tuple[int, int]] = {}
        for item in self.items:
            right, n = out.get(item.topic, (0, 0))
            out[item.topic] = (right + item.correct, n + 1)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "items": [item.to_dict() for item in self.items],
            "total": self.total,
            "max": self.max,
            "percent": self.percent,
            "correct": self.correct,
        }


# -- parsing ----------------------------------------------------------------------------------------------


def parse_response(question: Question, raw: Raw) -> tuple[str, ...]:
    """``raw`` in the form of ``question.answer``.

    Parameters
    ----------
    question
        The question answered.
    raw
        Choice: letters as one string (``"AC"``, ``"a, c"``, ``"A、C"``) or a sequence of letters, any case
        and order. True/false: ``True``/``False`` or ``"true"``/``"false"``/``"对"``/``"错"``/``"正确"``/
        ``"错误"``. Date: a :class:`datetime.date` or ``2025-09-26``, ``2025年9月26日`` (optionally followed
        by ``(星期五)``) or ``2025/9/26``. A one-element sequence is read as its element.

    Returns
    -------
    tuple of str
        Option letters upper-case and sorted (a letter given twice counts once), ``("true",)`` /
        ``("false",)``, or one ISO date.

    Raises
    ------
    AnswerInvalid
        With one problem naming the question and what is wrong: no answer, a letter that is not an option,
        several letters for a single-choice question, an unknown word, a date that is not real.
    """
    try:
        return _parse(question, raw)
    except _Unreadable as exc:
        raise AnswerInvalid([f"{question.id}: {exc}"]) from None


class _Unreadable(Exception):
    """A response that cannot be read; the message says why."""


def _parse(question: Question, raw: Raw) -> tuple[str, ...]:
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        return _letters(question, raw)
    value = _one(raw)
    if question.kind is QuestionKind.TRUE_FALSE:
        return _truth(value)
    return _date(value)


def _blank(raw: Raw) -> bool:
    """Nothing given: None, an empty or blank string, an empty sequence."""
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    if isinstance(raw, bool | date):
        return False
    return not any(not isinstance(v, str) or v.strip() for v in raw)


def _one(raw: Raw) -> str | bool | date:
    """The single value of ``raw``."""
    if _blank(raw):
        raise _Unreadable("no answer given")
    assert raw is not None
    if isinstance(raw, str | bool | date):
        return raw
    values = list(raw)
    if len(values) > 1:
        raise _Unreadable(f"one answer expected, got {len(values)}: {', '.join(map(repr, values))}")
    value: Any = values[0]
    if not isinstance(value, str | bool | date):
        raise _Unreadable(f"{value!r} is not an answer")
    return value


def _letters(question: Question, raw: Raw) -> tuple[str, ...]:
    if _blank(raw):
        raise _Unreadable("no answer given")
    if isinstance(raw, bool | date) or raw is None:
        raise _Unreadable(f"{raw!r} is not an option letter")
    parts: Iterable[Any] = [raw] if isinstance(raw, str) else raw
    letters: set[str] = set()
    for part in parts:
        if not isinstance(part, str):
            raise _Unreadable(f"{part!r} is not an option letter")
        for token in _SEPARATORS.split(part.strip().rstrip(".。")):
            if not token:
                continue
            token = token.upper()
            if not token.isascii() or not token.isalpha():
                raise _Unreadable(f"{token!r} is not an option letter")
            letters.update(token)
    if not letters:
        raise _Unreadable("no answer given")
    n = len(question.options)
    outside = sorted(c for c in letters if LETTERS.index(c) >= n)
    if outside:
        raise _Unreadable(f"{', '.join(outside)} is not an option; the options are A–{LETTERS[n - 1]}")
    if question.kind is QuestionKind.SINGLE and len(letters) > 1:
        raise _Unreadable(f"a single-choice question takes one letter, got {''.join(sorted(letters))}")
    return tuple(sorted(letters))


def _truth(value: str | bool | date) -> tuple[str, ...]:
    if isinstance(value, bool):
        return ("true" if value else "false",)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return ("true",)
        if word in FALSE_WORDS:
            return ("false",)
    words = "/".join(["true", "false", *sorted(TRUE_WORDS - {"true"}), *sorted(FALSE_WORDS - {"false"})])
    raise _Unreadable(f"{value!r} is not true or false (write one of {words})")


def _date(value: str | bool | date) -> tuple[str, ...]:
    if isinstance(value, bool):
        raise _Unreadable(f"{value!r} is not a date")
    if isinstance(value, date):
        return (value.isoformat(),)
    text = value.strip()
    match = _ISO.match(text) or _SLASH.match(text) or _ZH.match(text)
    if match is None:
        raise _Unreadable(f"{value!r} is not a date (write 2025-09-26, 2025年9月26日 or 2025/9/26)")
    year, month, day = (int(g) for g in match.groups())
    try:
        return (date(year, month, day).isoformat(),)
    except ValueError:
        raise _Unreadable(f"{value!r} is not a real date") from None


# -- scoring ----------------------------------------------------------------------------------------------


def score_question(
    question: Question, response: Sequence[str] | None, bank_points: Mapping[QuestionKind, float]
) -> QuizScore:
    """The score of ``response`` (parsed, see :func:`parse_response`; None or empty: not answered).

    All or nothing: the response earns the kind's points only when it is exactly the key.

    Raises
    ------
    ValueError
        When ``bank_points`` has no points for the question's kind.
    """
    if question.kind not in bank_points:
        raise ValueError(f"no points for {question.kind.value} questions in {dict(bank_points)!r}")
    top = float(bank_points[question.kind])
    given = tuple(response or ())
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        correct = bool(given) and tuple(sorted(given)) == tuple(sorted(question.answer))
    else:
        correct = bool(given) and given == question.answer
    return QuizScore(
        question=question.id,
        kind=question.kind,
        correct=correct,
        points=top if correct else 0.0,
        max=top,
        response=given,
        answer=question.answer,
        source=question.source,
        explanation=question.explanation,
        topic=question.topic,
    )


def score_quiz(
    questions: Sequence[Question], responses: Mapping[str, Raw], points: Mapping[QuestionKind, float]
) -> QuizReport:
    """Parse and score ``responses`` (by question id) to ``questions``; a question left out or left blank
    (None, ``""``, ``[]``) scores 0.

    Raises
    ------
    AnswerInvalid
        Listing every response that cannot be read and every id that is not one of ``questions``; nothing
        is scored then.
    """
    known = {q.id for q in questions}
    problems = [f"{qid}: no such question in this set" for qid in responses if qid not in known]
    parsed: dict[str, tuple[str, ...]] = {}
    for q in questions:
        raw = responses.get(q.id)
        if _blank(raw):
            continue
        try:
            parsed[q.id] = _parse(q, raw)
        except _Unreadable as exc:
            problems.append(f"{q.id}: {exc}")
    if problems:
        raise AnswerInvalid(problems)
    items = tuple(score_question(q, parsed.get(q.id), points) for q in questions)
    return QuizReport(
        items=items,
        total=round(sum(i.points for i in items), 2),
        max=round(sum(i.max for i in items), 2),
    )
