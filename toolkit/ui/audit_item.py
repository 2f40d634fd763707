"""One audited item as a reviewer reads it: masked facts, then the ledger row or the dossier's documents.

Everything shown goes through the masking of :mod:`toolkit.audit.masking` first: the reporter's name,
phone and ID number never reach a widget. A generated dossier is rebuilt on the server from its seed and
shown from its public view (no answer key), masked the same way.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets  # type: ignore[import-untyped, unused-ignore]

from toolkit.audit.masking import Masker, mask_dossier, masked_item_view
from toolkit.audit.model import AuditItem
from toolkit.audit.population import rebuild
from toolkit.domain.codes import Category, Channel, Coded, Flag, ItemStatus, RouteAction
from toolkit.errors import XfkitError
from toolkit.generate.cases import CaseGenerator
from toolkit.i18n import t
from toolkit.packs import Pack
from toolkit.ui.dossier_view import dossier_tabs

__all__ = ["code_label", "item_facts_html", "item_widget"]

_ENUMS: dict[str, type[Coded]] = {
    "channel": Channel,
    "category": Category,
    "status": ItemStatus,
    "route_action": RouteAction,
}


def code_label(key: str, value: str, pack: Pack, lang: str) -> str:
    """A field's value as a person reads it: codes as their labels, unit codes as unit names."""
    if not value:
        return ""
    try:
        if key in _ENUMS:
            return _ENUMS[key](value).label(lang)
        if key == "flags":
            return t("audit.sep", lang).join(Flag(f).label(lang) for f in value.split(",") if f)
        if key in ("handler_unit", "unit") and pack.jurisdiction.has(value):
            return pack.jurisdiction.name(value)
        if key == "problem_type":
            return pack.problem(value).name
        if key == "deadline":
            rule = pack.rules.deadline(value)
            return rule.name_en if lang == "en" else rule.name_zh
    except (ValueError, KeyError, XfkitError):
        return value
    return value


def item_facts_html(item: AuditItem, pack: Pack, lang: str) -> str:
    """The item's heading facts and, for a ledger item, its masked row as a table."""
    view = masked_item_view(item)
    facts = [
        ("audit.item.id", html.escape(view["id"])),
        ("audit.item.unit", html.escape(view["unit_name"])),
        ("audit.item.category", html.escape(code_label("category", view["category"], pack, lang))),
        ("audit.item.received", html.escape(view["received"] or "")),
    ]
    head = "".join(f"<dt>{html.escape(t(key, lang))}</dt><dd>{value}</dd>" for key, value in facts)
    rows = "".join(
        f"<tr><th>{html.escape(t(f'audit.field.{key}', lang))}</th>"
        f"<td>{html.escape(code_label(key, value, pack, lang))}</td></tr>"
        for key, value in view["fields"]
    )
    table = f'<table class="xf-form-view">{rows}</table>' if rows else ""
    summary = (
        f"<h3>{html.escape(t('audit.item.summary', lang))}</h3><p>{html.escape(view['summary'])}</p>"
        if view["summary"]
        else ""
    )
    return f'<dl class="xf-facts">{head}</dl>{table}{summary}'


def item_widget(item: AuditItem, pack: Pack, gen: CaseGenerator, lang: str) -> widgets.Widget:
    """The whole item: facts, then the dossier's documents as tabs when it is a generated dossier."""
    facts = widgets.HTML(value=item_facts_html(item, pack, lang))
    dossier = rebuild(item, gen)
    if dossier is None:
        return widgets.VBox(children=(facts,))
    public: dict[str, Any] = mask_dossier(dossier.public_dict(), Masker(item.personal))
    note = widgets.HTML(value=f'<p class="xf-hint">{html.escape(t("audit.item.masked", lang))}</p>')
    return widgets.VBox(children=(facts, note, dossier_tabs(public, lang)))
