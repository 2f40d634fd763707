"""The pack's ``rubrics.yaml``: points per field and partial-credit rules for scoring intake answers.
Read by :func:`build_intake_rubric`; used by :mod:`toolkit.scoring.intake`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from toolkit.packs.yamlio import PathKey, YamlDoc

Fail = Callable[[PathKey, str], None]


@dataclass(frozen=True, slots=True)
class IntakeRubric:
    """How an intake answer is scored (see docs/pack-format.md)."""


def build_intake_rubric(doc: YamlDoc, fail: Fail) -> IntakeRubric:
    """The intake rubric of ``doc`` (already schema-checked); cross-checks report through ``fail``."""
    return IntakeRubric()
