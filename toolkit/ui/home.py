"""The home page: what the toolkit is for, the pack in use, and one card per app.

Each card names the app, who it is for and what it does, then either links to the app's page
(``<base>voila/render/<notebook>?lang=<lang>``) or says it comes in a later release. Trainer-only apps are
marked; their link is only written into the page for a trainer, and the server refuses the page itself
to anyone without the secret, so hiding the link is a courtesy, not the protection.

A trainer's links also carry ``key``, so the trainer is recognised again on the next page (the kernel of
that page reads the role from its own query string).
"""

from __future__ import annotations

import html
import os
from collections.abc import Sequence
from urllib.parse import quote, urlencode

import ipywidgets as widgets  # type: ignore[import-untyped, unused-ignore]

from toolkit.apps import APPS, AppInfo
from toolkit.errors import XfkitError
from toolkit.i18n import html_lang, t
from toolkit.packs import Pack, PackMeta, read_pack_meta
from toolkit.ui.context import PageContext, page_context
from toolkit.ui.frame import Page

__all__ = ["DEFAULT_PACK", "HOME_CODE", "PACK_ENV", "app_card_html", "app_href", "home_app", "pack_setting"]

PACK_ENV = "XFKIT_PACK"
DEFAULT_PACK = "default"
HOME_CODE = "home"


def pack_setting() -> str:
    """The pack the server is set to use: ``$XFKIT_PACK`` (a pack name or folder), else ``default``."""
    return os.environ.get(PACK_ENV, "").strip() or DEFAULT_PACK


def app_href(app: AppInfo, ctx: PageContext) -> str:
    """The link to ``app``'s page in the page's language (with the trainer's ``key`` for a trainer)."""
    params = {"lang": ctx.lang}
    key = ctx.query.get("key")
    if ctx.is_trainer and key:
        params["key"] = key
    return f"{ctx.base_url}voila/render/{quote(app.notebook)}?{urlencode(params)}"


def _action_html(app: AppInfo, ctx: PageContext, title: str) -> str:
    lang = ctx.lang
    if not app.available:
        return f'<span class="xf-badge xf-badge-later">{html.escape(t("common.coming_later", lang))}</span>'
    if app.trainer_only and not ctx.is_trainer:
        notice = t("home.trainer_only_link", lang)
        return f'<span class="xf-trainer-note">{html.escape(notice)}</span>'
    href = html.escape(app_href(app, ctx), quote=True)
    text = html.escape(t("home.open_app", lang, title=title))
    return f'<a class="xf-open" href="{href}">{text}</a>'


def app_card_html(app: AppInfo, ctx: PageContext) -> str:
    """One app's card: title (and trainer-only badge), audience, summary, link or availability note."""
    lang = ctx.lang
    title = t(app.title_key, lang)
    badge = ""
    if app.trainer_only:
        badge = (
            f'<span class="xf-badge xf-badge-trainer">{html.escape(t("common.trainer_only", lang))}</span>'
        )
    return (
        f'<div class="xf-card-body" lang="{html_lang(lang)}" data-app="{html.escape(app.code, quote=True)}">'
        f"<h3>{html.escape(title)}{badge}</h3>"
        f'<p class="xf-audience"><span class="xf-label">{html.escape(t("home.audience_label", lang))}</span>'
        f"{html.escape(t(app.audience_key, lang))}</p>"
        f'<p class="xf-summary">{html.escape(t(app.summary_key, lang))}</p>'
        f'<div class="xf-actions">{_action_html(app, ctx, title)}</div>'
        "</div>"
    )


def _card(app: AppInfo, ctx: PageContext) -> widgets.HTML:
    card = widgets.HTML(value=app_card_html(app, ctx))
    card.add_class("xf-card")
    if not app.available:
        card.add_class("xf-unavailable")
    if app.trainer_only:
        card.add_class("xf-trainer-only")
    return card


def _fill_body(page: Page, apps: Sequence[AppInfo]) -> None:
    ctx = page.ctx
    heading = widgets.HTML(
        value=f'<h2 lang="{html_lang(ctx.lang)}">{html.escape(t("home.modules", ctx.lang))}</h2>'
    )
    cards = widgets.Box(
        children=tuple(_card(app, ctx) for app in apps if app.code != HOME_CODE),
        layout=widgets.Layout(flex_flow="row wrap", width="100%"),
    )
    cards.add_class("xf-cards")
    note = widgets.HTML(value=f'<p class="xf-note">{html.escape(t("home.fictional_note", ctx.lang))}</p>')
    page.body.children = (heading, cards, note)


def home_app(
    ctx: PageContext | None = None, pack: Pack | None = None, *, apps: Sequence[AppInfo] | None = None
) -> Page:
    """Build the home page.

    Parameters
    ----------
    ctx
        The request's context; read from the request (:func:`~toolkit.ui.context.page_context`) when
        ``None``.
    pack
        The scenario pack to show; loaded from :func:`pack_setting` when ``None``. A pack that cannot be
        loaded is reported in the page's message area and the page still opens.
    apps
        The app registry to list (default :data:`toolkit.apps.APPS`); the home app itself is left out.

    Returns
    -------
    Page
        Display ``home_app().widget`` as the last expression of the notebook cell.
    """
    shown: Pack | PackMeta | None = pack
    failure: XfkitError | None = None
    if pack is None:
        # read before waiting for the request, so a preheated kernel has it ready
        try:
            shown = read_pack_meta(pack_setting())
        except XfkitError as exc:
            failure = exc
    ctx = page_context() if ctx is None else ctx
    page = Page(ctx=ctx, title_key="home.title", subtitle=t("home.tagline", ctx.lang))
    if failure is not None:
        page.messages.show_exception(failure)
    page.set_pack(shown)
    page.messages.guard(_fill_body, clear=False)(page, APPS if apps is None else apps)
    return page
