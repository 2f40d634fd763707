"""The pack's ``defects.yaml``: the defect catalogue of the fault-finding exercise (互找茬).
Read by :func:`build_defects`; used by :mod:`toolkit.generate.defects` (which plants them),
:mod:`toolkit.generate.checker` (which finds the mechanical ones) and the findings scorer.

Every entry names a quality dimension (事实、定性、手续、时限、反馈、保密、文书), the points a reviewer earns
for finding it, the rule it breaks (in the pack's own words) with its source, the documents of a dossier in
which it can show, whether finding it takes judgement (no mechanical check can) and what a reviewer should
have noticed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from toolkit.domain.codes import DefectDimension, DocumentType
from toolkit.packs.yamlio import PathKey, YamlDoc

Fail = Callable[[PathKey, str], None]

#: an article number such as 第十二条 or 第12条
_ARTICLE = re.compile(r"第\s*[0-9一二三四五六七八九十百零〇两]+\s*条")
#: what a source may say instead of an article: it could not be checked, it is a named local practice, or
#: it is the pack's own simplification
_NO_ARTICLE = ("unverified", "地方做法", "本训练包")


@dataclass(frozen=True, slots=True)
class DefectType:
    """One kind of defect a dossier can carry.

    Parameters
    ----------
    code
        English code, unique in the catalogue (``feedback_late``).
    dimension
        The quality question it belongs to.
    name
        Short Chinese name shown to reviewers.
    severity
        Points a reviewer earns for finding it.
    rule
        The rule it breaks, in the pack's own words (Chinese).
    source
        Where the rule comes from: the document, year and article, or a named local practice.
    documents
        The document types in which it shows (for a missing document: those it should follow).
    judgement
        True when only a person can find it (a wrong disposal for the facts); the checker does not look.
    explanation
        What a reviewer should have noticed (Chinese).
    """

    code: str
    dimension: DefectDimension
    name: str
    severity: int
    rule: str
    source: str
    documents: tuple[DocumentType, ...]
    judgement: bool
    explanation: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "dimension": self.dimension,
            "name": self.name,
            "severity": self.severity,
            "rule": self.rule,
            "source": self.source,
            "documents": list(self.documents),
            "judgement": self.judgement,
            "explanation": self.explanation,
        }


@dataclass(frozen=True, slots=True)
class DefectCatalogue:
    """Every defect type a dossier can carry, in file order (see docs/pack-format.md, defects.yaml)."""

    types: Mapping[str, DefectType]

    def __contains__(self, code: object) -> bool:
        return code in self.types

    def __len__(self) -> int:
        return len(self.types)

    def get(self, code: str) -> DefectType:
        """The type ``code``; ``KeyError`` naming the known codes otherwise."""
        try:
            return self.types[code]
        except KeyError:
            raise KeyError(f"no defect type {code!r}; the catalogue has: {', '.join(self.types)}") from None

    def codes(self) -> tuple[str, ...]:
        """Every code, in file order."""
        return tuple(self.types)

    def by_dimension(self, dimension: DefectDimension) -> tuple[DefectType, ...]:
        """The types of one dimension, in file order."""
        return tuple(t for t in self.types.values() if t.dimension is dimension)

    def mechanical(self) -> tuple[DefectType, ...]:
        """The types a checker can find from the documents alone."""
        return tuple(t for t in self.types.values() if not t.judgement)


def build_defects(doc: YamlDoc, fail: Fail) -> DefectCatalogue:
    """The catalogue of ``doc`` (already schema-checked); cross-checks report through ``fail``.

    Checked beyond the schema: codes and names are unique, an entry lists each document type once, and a
    source names the article of the rule (第N条), or says the article is unverified, or names a local
    practice (地方做法) or this pack's own simplification (本训练包).
    """
    types: dict[str, DefectType] = {}
    names: dict[str, str] = {}
    for i, raw in enumerate(doc.data["defects"]):
        at: PathKey = ("defects", i)
        code = raw["code"]
        if code in types:
            fail((*at, "code"), f"defect {code!r} is defined twice")
            continue
        if raw["name"] in names:
            fail((*at, "name"), f"name {raw['name']!r} is already used by defect {names[raw['name']]!r}")
        names.setdefault(raw["name"], code)
        if not _ARTICLE.search(raw["source"]) and not any(w in raw["source"] for w in _NO_ARTICLE):
            fail(
                (*at, "source"),
                f"{raw['source']!r} names no article (第N条); cite the article, or say unverified, "
                "地方做法 (with whose) or 本训练包",
            )
        documents: list[DocumentType] = []
        for j, value in enumerate(raw["documents"]):
            kind = DocumentType(value)
            if kind in documents:
                fail((*at, "documents", j), f"document type {value!r} is listed twice")
                continue
            documents.append(kind)
        types[code] = DefectType(
            code=code,
            dimension=DefectDimension(raw["dimension"]),
            name=raw["name"],
            severity=int(raw["severity"]),
            rule=raw["rule"],
            source=raw["source"],
            documents=tuple(documents),
            judgement=bool(raw["judgement"]),
            explanation=raw["explanation"],
        )
    return DefectCatalogue(types=MappingProxyType(types))
