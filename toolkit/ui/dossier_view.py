"""A dossier as the reviewer reads it: one tab per document, each laid out as a readable document.

Rendered from :meth:`~toolkit.domain.dossier.Dossier.public_dict` only: the answer key never reaches a
widget. Tab titles are the document's place in the file and its kind, never its id.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from datetime import date
from typing import Any

import ipywidgets as widgets  # type: ignore[import-untyped, unused-ignore]

from toolkit.domain.codes import DocumentType
from toolkit.i18n import t

__all__ = ["document_html", "dossier_tabs"]


def _cn_date(iso: str | None, lang: str) -> str:
    if not iso:
        return ""
    day = date.fromisoformat(iso)
    return t("faults.doc.date", lang, y=day.year, m=day.month, d=day.day)


def document_html(doc: Mapping[str, Any], n: int, lang: str) -> str:
    """One document: its title, date, labelled fields and paragraphs."""
    rows = "".join(
        f"<tr><th>{html.escape(f['label'])}</th><td>{html.escape(f['value'])}</td></tr>"
        for f in doc["fields"]
    )
    fields = f'<table class="xf-form-view">{rows}</table>' if rows else ""
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in doc["paragraphs"])
    body = f'<div class="xf-doc xf-doc-body">{paragraphs}</div>' if paragraphs else ""
    when = _cn_date(doc.get("date"), lang)
    dated = f'<p class="xf-doc-date">{html.escape(when)}</p>' if when else ""
    place = html.escape(t("faults.doc.place", lang, n=n))
    return (
        f'<div class="xf-dossier-doc"><p class="xf-hint">{place}</p>'
        f'<h3 class="xf-doc-title">{html.escape(doc["title"])}</h3>{fields}'
        f"{body}{dated}</div>"
    )


def dossier_tabs(public: Mapping[str, Any], lang: str) -> widgets.Tab:
    """A Tab with one page per document, in file order."""
    docs = public["documents"]
    pages = [widgets.HTML(value=document_html(doc, n, lang)) for n, doc in enumerate(docs, start=1)]
    tabs = widgets.Tab(children=tuple(pages))
    tabs.titles = tuple(f"{n} {DocumentType(doc['type']).label(lang)}" for n, doc in enumerate(docs, start=1))
    tabs.add_class("xf-dossier")
    return tabs
