"""What every score report shares: its percentage and its grade's label."""

from __future__ import annotations


class Graded:
    """Methods of a frozen score report with ``total``, ``max``, ``grade``, ``grade_zh`` and ``grade_en``."""

    __slots__ = ()

    total: float
    max: float
    grade: str
    grade_zh: str
    grade_en: str

    @property
    def percent(self) -> float:
        """The total as a percentage of the maximum (2 decimals; 0 when nothing could be earned)."""
        return round(100 * self.total / self.max, 2) if self.max else 0.0

    def grade_label(self, lang: str = "zh") -> str:
        """The grade's label in ``lang`` ("zh" or "en"), as the rubric names it."""
        label = self.grade_en if lang == "en" else self.grade_zh
        return label or self.grade
