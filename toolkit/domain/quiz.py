"""Knowledge-test (知识测试) questions: from the pack's bank or generated from its rules.

A :class:`Question` holds its key (``answer``), its source and an explanation; what a contestant's page gets
is :meth:`Question.public_dict` only: kind, stem and options, never the key. Choice answers are option
letters (``"A"``, ``"B"`` ...) in option order; true/false answers are ``"true"`` or ``"false"``; a date
fill-in answer is one ISO date.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from toolkit.domain.codes import Coded

__all__ = ["LETTERS", "WEEKDAYS_ZH", "Question", "QuestionKind", "zh_date"]

#: option letters, in option order
LETTERS = string.ascii_uppercase
#: 星期一 … 星期日, by ``date.weekday()``
WEEKDAYS_ZH = ("一", "二", "三", "四", "五", "六", "日")


def zh_date(day: date, *, weekday: bool = False) -> str:
    """A date as stems write it: ``2025年9月26日``, or ``2025年9月26日(星期五)`` with ``weekday``."""
    text = f"{day.year}年{day.month}月{day.day}日"
    return f"{text}(星期{WEEKDAYS_ZH[day.weekday()]})" if weekday else text


class QuestionKind(Coded):
    """How a question is answered."""

    SINGLE = ("single", "单选题", "Single choice")
    MULTIPLE = ("multiple", "多选题", "Multiple choice")
    TRUE_FALSE = ("true_false", "判断题", "True or false")
    DATE = ("date", "日期填空", "Date fill-in")


@dataclass(frozen=True, slots=True)
class Question:
    """One question.

    Attributes
    ----------
    id
        Unique in its bank (``"q001"``); generated questions: ``"g-"`` and a hash of pack, seed and index.
    kind
        How it is answered.
    stem
        The question (Chinese).
    options
        The choices, in order (empty for true/false and date questions).
    answer
        The key: option letters for choice questions (one for single, one or more for multiple, in
        letter order), ``("true",)`` / ``("false",)``, or ``("YYYY-MM-DD",)``.
    source
        Where the answer comes from (a regulation with its year and article, or a named local practice).
    explanation
        Why the answer is right (Chinese), shown after answers are released.
    topic
        A short code grouping questions for item analysis (``"time_limits"``, ``"disposal"`` ...).
    seed, pack
        For generated questions: the seed and ``name@version`` they were made with; None / "" for the bank.
    """

    id: str
    kind: QuestionKind
    stem: str
    options: tuple[str, ...]
    answer: tuple[str, ...]
    source: str
    explanation: str = ""
    topic: str = ""
    seed: int | None = None
    pack: str = ""

    def public_dict(self) -> dict[str, Any]:
        """What a contestant sees before answers are released: no key, source or explanation."""
        return {"id": self.id, "kind": self.kind.value, "stem": self.stem, "options": list(self.options)}

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.public_dict(),
            "answer": list(self.answer),
            "source": self.source,
            "explanation": self.explanation,
            "topic": self.topic,
            "seed": self.seed,
            "pack": self.pack,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Question:
        return cls(
            id=str(data["id"]),
            kind=QuestionKind.parse(str(data["kind"])),
            stem=str(data["stem"]),
            options=tuple(str(o) for o in data.get("options", ())),
            answer=tuple(str(a) for a in data["answer"]),
            source=str(data.get("source", "")),
            explanation=str(data.get("explanation", "")),
            topic=str(data.get("topic", "")),
            seed=None if data.get("seed") is None else int(data["seed"]),
            pack=str(data.get("pack", "")),
        )
