"""The frame of every app page: stylesheet, header, message area and a body for the app's content.

The header shows the page title (from the catalogue), an optional subtitle, the scenario pack in use and
the language switch. The switch is two plain links, ``?lang=zh`` and ``?lang=en``, that keep the other query
parameters (such as ``key``), so a trainer stays a trainer; the current language is plain text. Following
a link reloads the page in a new kernel, which reads the new query string on the server.
"""

from __future__ import annotations

import html
from urllib.parse import urlencode

import ipywidgets as widgets  # type: ignore[import-untyped, unused-ignore]

from toolkit.i18n import LANGS, html_lang, t
from toolkit.packs import Pack, PackMeta
from toolkit.ui.context import PageContext
from toolkit.ui.messages import MessageArea
from toolkit.ui.style import stylesheet

__all__ = ["Page", "lang_switch_html", "switch_href"]


def switch_href(ctx: PageContext, lang: str) -> str:
    """A relative link to this page in ``lang``, keeping every other query parameter."""
    params = {"lang": lang, **{name: value for name, value in ctx.query.items() if name != "lang"}}
    return "?" + urlencode(params)


def lang_switch_html(ctx: PageContext) -> str:
    """The language switch: the current language as text, the others as links."""
    parts = []
    for lang in LANGS:
        name = html.escape(t(f"lang.{lang}", ctx.lang))
        code = html_lang(lang)
        if lang == ctx.lang:
            parts.append(f'<span class="xf-lang-current" lang="{code}" aria-current="true">{name}</span>')
        else:
            href = html.escape(switch_href(ctx, lang), quote=True)
            parts.append(f'<a href="{href}" lang="{code}" hreflang="{code}">{name}</a>')
    label = html.escape(t("page.language", ctx.lang))
    return f'<nav class="xf-lang" aria-label="{label}">{" | ".join(parts)}</nav>'


class Page:
    """An app page.

    Parameters
    ----------
    ctx
        The request's context (language, role, query).
    title_key
        Catalogue key of the page title.
    subtitle
        One line under the title, already translated (plain text; it is escaped).
    pack
        The scenario pack in use, if known now; see :meth:`set_pack`.

    Attributes
    ----------
    widget
        The whole page: a VBox to display (the last expression of the notebook cell).
    body
        The VBox the app puts its content in.
    messages
        The page's :class:`MessageArea`; wrap callbacks in ``page.messages.guard``.
    """

    def __init__(
        self,
        *,
        ctx: PageContext,
        title_key: str,
        subtitle: str | None = None,
        pack: Pack | PackMeta | None = None,
    ) -> None:
        self.ctx = ctx
        self.title_key = title_key
        self.subtitle = subtitle
        self.messages = MessageArea(lang=ctx.lang)
        self._title = widgets.HTML(value=self._title_html())
        self._meta = widgets.HTML(value="")
        header = widgets.HBox(children=(self._title, self._meta))
        header.add_class("xf-header")
        self.body = widgets.VBox(children=())
        self.body.add_class("xf-body")
        self.widget = widgets.VBox(children=(stylesheet(), header, self.messages.widget, self.body))
        self.widget.add_class("xf-page")
        self.set_pack(pack)

    @property
    def lang(self) -> str:
        return self.ctx.lang

    @property
    def title(self) -> str:
        """The page title in the page's language."""
        return t(self.title_key, self.ctx.lang)

    def set_pack(self, pack: Pack | PackMeta | None) -> None:
        """Show ``pack`` (title and ``name@version``) in the header; ``None`` shows "not loaded"."""
        if pack is None:
            line = t("page.pack_unavailable", self.ctx.lang)
        else:
            line = t("page.pack", self.ctx.lang, title=pack.title(self.ctx.lang), ref=pack.ref)
        role = ""
        if self.ctx.is_trainer:
            badge = html.escape(t("page.trainer_badge", self.ctx.lang))
            role = f'<span class="xf-badge xf-badge-trainer xf-role">{badge}</span>'
        self._meta.value = (
            f'<div class="xf-meta" lang="{html_lang(self.ctx.lang)}">'
            f'<div class="xf-pack">{html.escape(line)}{role}</div>{lang_switch_html(self.ctx)}</div>'
        )

    def _title_html(self) -> str:
        subtitle = ""
        if self.subtitle:
            subtitle = f'<p class="xf-subtitle">{html.escape(self.subtitle)}</p>'
        return (
            f'<div class="xf-title" lang="{html_lang(self.ctx.lang)}">'
            f"<h1>{html.escape(self.title)}</h1>{subtitle}</div>"
        )
