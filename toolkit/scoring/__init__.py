"""Scoring: pure functions over domain objects and a pack's rubrics, giving score reports."""

from __future__ import annotations

from toolkit.scoring.intake import AnswerKey, ScoreItem, ScoreReport, parse_answer, score_intake

__all__ = ["AnswerKey", "ScoreItem", "ScoreReport", "parse_answer", "score_intake"]
