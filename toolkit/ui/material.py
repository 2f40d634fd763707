"""The material of a case as the learner receives it: a letter, an online form, a forwarded slip.

Rendered from :meth:`~toolkit.domain.models.Case.public_dict` only, so nothing of the answer key can
appear. Visits and calls are shown by :mod:`toolkit.ui.conversation` instead.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import ipywidgets as widgets  # type: ignore[import-untyped, unused-ignore]

from toolkit.domain.codes import Channel, Level
from toolkit.i18n import t

__all__ = ["case_header_html", "material_html", "material_view"]


def _rows(rows: Sequence[Mapping[str, str]]) -> str:
    body = "".join(
        f"<tr><th>{html.escape(r['label'])}</th><td>{html.escape(r['value'])}</td></tr>" for r in rows
    )
    return f'<table class="xf-form-view">{body}</table>'


def case_header_html(public: Mapping[str, Any], lang: str) -> str:
    """One line about the case: id, channel, level, when it was received."""
    received = datetime.fromisoformat(public["received_at"])
    facts = [
        (t("intake.case.id", lang), public["id"]),
        (t("intake.case.channel", lang), Channel(public["channel"]).label(lang)),
        (t("intake.case.level", lang), Level(public["level"]).label(lang)),
        (t("intake.case.received", lang), received.strftime("%Y-%m-%d %H:%M")),
    ]
    items = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>" for k, v in facts)
    return f'<dl class="xf-facts xf-case-facts">{items}</dl>'


def material_html(public: Mapping[str, Any], lang: str) -> str:
    """The material of a written item (letter, online report, forwarded slip) as HTML."""
    m = public["material"]
    kind = Channel(m["kind"])
    parts = [f'<h3 class="xf-doc-title">{html.escape(m["title"])}</h3>']
    if kind is Channel.FORWARDED:
        parts.append(f"<h4>{html.escape(t('intake.material.slip', lang))}</h4>{_rows(m['slip'])}")
        parts.append(f"<h4>{html.escape(t('intake.material.original', lang))}</h4>")
    if kind is Channel.ONLINE:
        parts.append(_rows(m["form"]))
    else:
        parts.append(f'<div class="xf-doc">{html.escape(m["text"])}</div>')
    if m["notes"]:
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in m["notes"])
        parts.append(
            f'<div class="xf-doc-notes"><h4>{html.escape(t("intake.material.notes", lang))}</h4>'
            f"<ul>{notes}</ul></div>"
        )
    return f'<div class="xf-material" data-channel="{kind.value}">{"".join(parts)}</div>'


def material_view(public: Mapping[str, Any], lang: str) -> widgets.HTML:
    """An HTML widget showing a written item's material."""
    view = widgets.HTML(value=material_html(public, lang))
    view.add_class("xf-material-box")
    return view
