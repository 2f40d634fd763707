"""Case dossiers (案卷) for the fault-finding exercise: documents, planted defects and a reviewer's findings.

A :class:`Dossier` holds the documents of one handled item, in file order. Each :class:`Document` has
labelled fields and paragraphs, shown as a readable Chinese document; every field also carries a machine
value (``data``: an ISO date, a code, an id) so the checker and the injectors work on structure, not prose.

Document ids are neutral (``d1``, ``d2`` … in file order) and the public view has no seed, case id or
answer key, so nothing a browser receives tells where a defect was planted. A location inside a document is
``"field:<key>"`` or ``"paragraph:<n>"`` (0-based), or ``"document"`` when the whole document is at fault
(e.g. one that should be in the file and is not: then ``document`` names the document it should follow).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from toolkit.domain.codes import DocumentType, Level


@dataclass(frozen=True, slots=True)
class DocField:
    """One labelled field of a document: what a person reads (``value``) and its machine value."""

    key: str
    label: str
    value: str
    data: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "value": self.value, "data": self.data}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DocField:
        return cls(data["key"], data["label"], data["value"], data.get("data"))


@dataclass(frozen=True, slots=True)
class Document:
    """One document of the file."""

    id: str
    type: DocumentType
    title: str
    date: date | None
    fields: tuple[DocField, ...] = ()
    paragraphs: tuple[str, ...] = ()

    def field(self, key: str) -> DocField | None:
        """The field ``key``, or None."""
        return next((f for f in self.fields if f.key == key), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "fields": [f.to_dict() for f in self.fields],
            "paragraphs": list(self.paragraphs),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        return cls(
            id=data["id"],
            type=DocumentType(data["type"]),
            title=data["title"],
            date=date.fromisoformat(data["date"]) if data.get("date") else None,
            fields=tuple(DocField.from_dict(f) for f in data.get("fields", ())),
            paragraphs=tuple(data.get("paragraphs", ())),
        )


@dataclass(frozen=True, slots=True)
class PlantedDefect:
    """One defect in a dossier's answer key: its catalogue code and where it is.

    ``document`` is the document where the defect is marked; ``shows_in`` lists other documents where
    the same defect can be seen (a mark on any of them counts).
    """

    defect: str
    document: str
    location: str
    shows_in: tuple[str, ...] = ()
    note: str = ""

    def documents(self) -> tuple[str, ...]:
        return (self.document, *self.shows_in)

    def to_dict(self) -> dict[str, Any]:
        return {
            "defect": self.defect,
            "document": self.document,
            "location": self.location,
            "shows_in": list(self.shows_in),
            "note": self.note,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlantedDefect:
        return cls(
            data["defect"],
            data["document"],
            data["location"],
            tuple(data.get("shows_in", ())),
            data.get("note", ""),
        )


@dataclass(frozen=True, slots=True)
class Dossier:
    """A generated dossier with its answer key (empty for a clean dossier)."""

    id: str
    seed: int
    index: int
    pack: str
    case_id: str
    level: Level
    documents: tuple[Document, ...]
    answer_key: tuple[PlantedDefect, ...] = ()

    def document(self, doc_id: str) -> Document:
        """The document ``doc_id``; ``KeyError`` if the dossier has none."""
        for doc in self.documents:
            if doc.id == doc_id:
                return doc
        raise KeyError(doc_id)

    def public_dict(self) -> dict[str, Any]:
        """What a reviewer may see before submitting: the documents, under an id that reveals nothing."""
        return {
            "id": self.id,
            "pack": self.pack,
            "level": self.level,
            "documents": [d.to_dict() for d in self.documents],
        }

    def to_dict(self) -> dict[str, Any]:
        data = self.public_dict()
        data.update(
            {
                "seed": self.seed,
                "index": self.index,
                "case_id": self.case_id,
                "answer_key": [p.to_dict() for p in self.answer_key],
            }
        )
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Dossier:
        return cls(
            id=data["id"],
            seed=data["seed"],
            index=data["index"],
            pack=data["pack"],
            case_id=data["case_id"],
            level=Level(data["level"]),
            documents=tuple(Document.from_dict(d) for d in data["documents"]),
            answer_key=tuple(PlantedDefect.from_dict(p) for p in data.get("answer_key", ())),
        )


@dataclass(frozen=True, slots=True)
class Finding:
    """One mark a reviewer made: a defect type from the catalogue, in a document, with a note."""

    document: str
    defect: str
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"document": self.document, "defect": self.defect, "note": self.note}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        return cls(data["document"], data["defect"], data.get("note", ""))
