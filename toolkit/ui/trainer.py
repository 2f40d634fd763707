"""The trainer desk: trainer-only overview of the running server.

Shows the pack in use, the store (password hidden), how many submissions and log entries it holds, the
latest log entries (refused actions appear here), and the trainer tools. The server refuses this page
without the trainer secret; the kernel checks the role again before showing anything.
"""

from __future__ import annotations

import html
import os
from datetime import timedelta, timezone

import ipywidgets as widgets  # type: ignore[import-untyped, unused-ignore]

from toolkit.apps import APPS
from toolkit.i18n import t
from toolkit.packs import read_pack_meta
from toolkit.ui.context import PageContext, page_context, require_trainer
from toolkit.ui.frame import Page
from toolkit.ui.home import app_card_html, pack_setting

__all__ = ["DB_ENV", "trainer_app"]

DB_ENV = "XFKIT_DB"
BEIJING = timezone(timedelta(hours=8))  # times are shown in China Standard Time
RECENT = 10


def _overview_html(ctx: PageContext) -> str:
    from toolkit.store import Store
    from toolkit.store.engine import mask_url

    lang = ctx.lang
    url = os.environ.get(DB_ENV, "")
    if not url:
        return f"<p>{html.escape(t('trainer.no_store', lang))}</p>"
    with Store.open(url) as store:
        submissions = store.submissions()
        events = store.events()
        scored = store.scored(app="faults")
    rows = "".join(
        f"<tr><td>{html.escape(e.created_at.astimezone(BEIJING).strftime('%Y-%m-%d %H:%M:%S'))}</td>"
        f"<td>{html.escape(e.kind)}</td><td>{html.escape(e.actor)}</td></tr>"
        for e in sorted(events, key=lambda e: e.id, reverse=True)[:RECENT]
    )
    table = (
        f'<table class="xf-table"><thead><tr><th>{html.escape(t("trainer.col.time", lang))}</th>'
        f"<th>{html.escape(t('trainer.col.kind', lang))}</th>"
        f"<th>{html.escape(t('trainer.col.actor', lang))}</th></tr></thead><tbody>{rows}</tbody></table>"
        if rows
        else f"<p>{html.escape(t('trainer.no_events', lang))}</p>"
    )
    return (
        f"<h2>{html.escape(t('trainer.overview', lang))}</h2>"
        f'<dl class="xf-facts"><dt>{html.escape(t("trainer.store", lang))}</dt>'
        f"<dd><code>{html.escape(mask_url(url))}</code></dd>"
        f"<dt>{html.escape(t('trainer.submissions', lang))}</dt><dd>{len(submissions)}</dd>"
        f"<dt>{html.escape(t('trainer.events', lang))}</dt><dd>{len(events)}</dd></dl>"
        f"<h3>{html.escape(t('trainer.recent', lang))}</h3>{table}"
        + _hit_rates_html([s.score.payload for s in scored], lang)
    )


def _hit_rates_html(reports: list[dict[str, object]], lang: str) -> str:
    """Item analysis of the fault-finding exercise: how often each planted defect type was found."""
    from toolkit.scoring.findings import hit_rates
    from toolkit.ui.practice import loaded_pack

    rates = hit_rates(reports)
    heading = f"<h3>{html.escape(t('trainer.hit_rates', lang))}</h3>"
    if not rates:
        return heading + f"<p>{html.escape(t('trainer.no_reviews', lang))}</p>"
    types = loaded_pack(pack_setting())[0].defects.types
    rows = "".join(
        f"<tr><td>{html.escape(types[code].name if code in types else code)}</td>"
        f'<td class="xf-num">{planted}</td><td class="xf-num">{hits}</td>'
        f'<td class="xf-num">{100 * hits / planted:.0f}%</td></tr>'
        for code, (hits, planted) in sorted(rates.items(), key=lambda kv: kv[1][0] / max(kv[1][1], 1))
        if planted
    )
    cols = "".join(
        f"<th>{html.escape(t(f'trainer.rates.{c}', lang))}</th>"
        for c in ("defect", "planted", "hits", "rate")
    )
    return heading + f'<table class="xf-table"><thead><tr>{cols}</tr></thead><tbody>{rows}</tbody></table>'


def _fill(page: Page) -> None:
    ctx = page.ctx
    require_trainer(ctx)
    overview = widgets.HTML(value=_overview_html(ctx))
    heading = widgets.HTML(value=f"<h2>{html.escape(t('trainer.tools', ctx.lang))}</h2>")
    tools = [
        widgets.HTML(value=app_card_html(app, ctx))
        for app in APPS
        if app.trainer_only and app.code != "trainer"
    ]
    for card in tools:
        card.add_class("xf-card")
    cards = widgets.Box(children=tuple(tools), layout=widgets.Layout(flex_flow="row wrap", width="100%"))
    cards.add_class("xf-cards")
    page.body.children = (overview, heading, cards)


def trainer_app(ctx: PageContext | None = None) -> Page:
    """Build the trainer desk; anyone who is not a trainer sees only the access-denied message."""
    ctx = page_context() if ctx is None else ctx
    page = Page(ctx=ctx, title_key="app.trainer.title", subtitle=t("app.trainer.summary", ctx.lang))
    if ctx.is_trainer:
        page.set_pack(page.messages.guard(read_pack_meta)(pack_setting()))
    page.messages.guard(_fill, clear=False)(page)
    return page
