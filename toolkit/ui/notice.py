"""The supervision notice for a red-card item: a standalone, printable HTML page.

It names the handling unit, the item, its limit and how many days it is overdue, and what is required
now. The reporter is never named: the notice goes to the handling unit.
"""

from __future__ import annotations

import html
from datetime import date
from typing import Any

from toolkit.errors import PackError
from toolkit.i18n import html_lang, t
from toolkit.packs import Pack
from toolkit.ui.style import FONT_STACK

__all__ = ["NOTICE_CSS", "REPLY_WORKDAYS", "notice_document", "notice_html"]

#: working days the handling unit gets to close the item and report, counted from the notice
REPLY_WORKDAYS = 5

#: the notice's own look, scoped to ``.xf-notice`` so it can also sit inside the dashboard page
NOTICE_CSS = f"""
.xf-notice {{ font-family: {FONT_STACK}; color: #000; max-width: 42em; margin: 2em auto;
  padding: 2.5em 3em; border: 2px solid #c62828; font-size: 17px; line-height: 1.9; background: #fff; }}
.xf-notice h1 {{ text-align: center; color: #c62828; font-size: 26px; letter-spacing: 0.2em;
  margin: 0 0 0.4em; }}
.xf-notice .xf-notice-no {{ text-align: center; margin-bottom: 1.2em; }}
.xf-notice p {{ margin: 0.4em 0; }}
.xf-notice .xf-notice-body {{ text-indent: 2em; }}
.xf-notice .xf-notice-sign {{ text-align: right; margin-top: 2.5em; }}
@media print {{ .xf-notice {{ border: none; margin: 0; }} }}
"""


def _problem(pack: Pack, code: str) -> str:
    try:
        return pack.problem(code).name
    except PackError:
        return ""


def _day(value: date, lang: str) -> str:
    return t("ledger.notice.date", lang, y=value.year, m=value.month, d=value.day)


def notice_html(row: Any, *, pack: Pack, lang: str, as_of: date) -> str:
    """The notice for one red-list row (a ledger row with ``days_overdue``): a ``div.xf-notice``."""
    j = pack.jurisdiction
    unit = j.name(row.handler_unit) if j.has(str(row.handler_unit)) else str(row.handler_unit)
    until = pack.calendar.add_working_days(as_of, REPLY_WORKDAYS)
    fields = {
        "commission": j.commission.name,
        "unit": unit,
        "id": str(row.id),
        "received": _day(row.received.date(), lang),
        "accused": f"{row.accused_unit or ''}{row.accused_name or ''}",
        "problem": _problem(pack, str(row.problem_type)),
        "due": _day(row.due.date(), lang),
        "as_of": _day(as_of, lang),
        "days": int(row.days_overdue),
        "until": _day(until, lang),
        "office": j.office_by_role("petitions").name,
    }
    parts = [
        f"<h1>{html.escape(t('ledger.notice.title', lang))}</h1>",
        f'<p class="xf-notice-no">{html.escape(t("ledger.notice.number", lang, **fields))}</p>',
        f"<p>{html.escape(t('ledger.notice.to', lang, **fields))}</p>",
        f'<p class="xf-notice-body">{html.escape(t("ledger.notice.body", lang, **fields))}</p>',
        f'<p class="xf-notice-body">{html.escape(t("ledger.notice.require", lang, **fields))}</p>',
        f'<p class="xf-notice-sign">{html.escape(t("ledger.notice.sign", lang, **fields))}</p>',
    ]
    return f'<div class="xf-notice">{"".join(parts)}</div>'


def notice_document(notice: str, *, title: str, lang: str) -> str:
    """A notice as a standalone page to save and print."""
    return (
        f'<!DOCTYPE html><html lang="{html_lang(lang)}"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>body {{ margin: 0; }}{NOTICE_CSS}</style></head>"
        f"<body>{notice}</body></html>"
    )
