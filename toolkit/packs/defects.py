"""The pack's ``defects.yaml``: the defect catalogue of the fault-finding exercise.
Read by :func:`build_defects`; used by :mod:`toolkit.generate.defects` and the scorer."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from toolkit.packs.yamlio import PathKey, YamlDoc

Fail = Callable[[PathKey, str], None]


@dataclass(frozen=True, slots=True)
class DefectCatalogue:
    """Every defect type a dossier can carry (see docs/pack-format.md)."""

    types: Mapping[str, object]


def build_defects(doc: YamlDoc, fail: Fail) -> DefectCatalogue:
    """The catalogue of ``doc`` (already schema-checked); cross-checks report through ``fail``."""
    return DefectCatalogue(types={})
