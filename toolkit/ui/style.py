"""The look of every xfkit page: one stylesheet, injected once per page through an HTML widget.

Readable on a projector at the back of a training room: large type, strong contrast, underlined links.
Offline by construction: fonts are named, never fetched (no ``@import``, no ``url()``); the stack lists
the CJK fonts found on Debian/Ubuntu (``fonts-noto-cjk``, ``fonts-wqy-microhei``), Windows and macOS.
Component classes (``xf-*``) are added to widgets with ``add_class``; the ``--jp-*`` variables resize
the stock ipywidgets controls inside the page only.
"""

from __future__ import annotations

import ipywidgets as widgets  # type: ignore[import-untyped, unused-ignore]

__all__ = ["CSS", "FONT_STACK", "stylesheet"]

FONT_STACK = (
    '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei", '
    '"Microsoft YaHei", "PingFang SC", sans-serif'
)

CSS = f"""
.xf-page {{
  --xf-font: {FONT_STACK};
  --xf-ink: #1d2129;
  --xf-muted: #4e5969;
  --xf-accent: #a8071a;
  --xf-link: #0b4fb3;
  --xf-line: #c9cdd4;
  --xf-paper: #ffffff;
  --xf-wash: #f4f5f7;
  --jp-ui-font-family: var(--xf-font);
  --jp-content-font-family: var(--xf-font);
  --jp-widgets-font-size: 18px;
  --jp-widgets-inline-height: 40px;
  font-family: var(--xf-font);
  font-size: 18px;
  line-height: 1.65;
  color: var(--xf-ink);
  max-width: 1280px;
  margin: 0 auto;
  padding: 0 16px 40px;
  box-sizing: border-box;
}}
.xf-page .widget-html-content,
.xf-page .widget-label,
.xf-page .widget-button,
.xf-page input,
.xf-page select,
.xf-page textarea {{
  font-family: var(--xf-font);
  font-size: 18px;
}}
.xf-page .widget-html,
.xf-page .widget-html-content {{
  line-height: 1.65;
  white-space: normal;
  height: auto;
}}
.xf-page a {{ color: var(--xf-link); text-decoration: underline; text-underline-offset: 3px; }}
.xf-page a:focus-visible, .xf-page button:focus-visible {{ outline: 3px solid #f5a623; outline-offset: 2px; }}
.xf-page h1 {{ font-size: 32px; line-height: 1.3; margin: 0; font-weight: 700; }}
.xf-page h2 {{ font-size: 24px; line-height: 1.35; margin: 24px 0 8px; font-weight: 700; }}
.xf-page h3 {{ font-size: 22px; line-height: 1.35; margin: 0 0 8px; font-weight: 700; }}
.xf-page p {{ margin: 6px 0; }}

.xf-header {{
  display: flex;
  flex-wrap: wrap;
  justify-content: space-between;
  align-items: flex-end;
  gap: 12px 32px;
  padding: 20px 0 14px;
  border-bottom: 4px solid var(--xf-accent);
  margin-bottom: 16px;
}}
.xf-subtitle {{ color: var(--xf-muted); margin-top: 6px; }}
.xf-meta {{ display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 28px; color: var(--xf-muted); }}
.xf-lang a, .xf-lang-current {{ padding: 2px 8px; }}
.xf-lang-current {{ font-weight: 700; color: var(--xf-ink); border-bottom: 3px solid var(--xf-accent); }}
.xf-role {{ margin-left: 8px; }}

.xf-messages .widget-html-content:empty {{ display: none; }}
.xf-msg {{
  padding: 12px 16px;
  border-radius: 6px;
  margin: 8px 0;
  white-space: pre-line;
  border-left: 6px solid;
}}
.xf-msg-info {{ background: #e8f1fd; border-color: #1a5fb4; color: #0d2f5e; }}
.xf-msg-error {{ background: #fdecec; border-color: #b3261e; color: #5c0b07; font-weight: 600; }}

.xf-cards {{ display: flex; flex-flow: row wrap; gap: 18px; overflow: visible; }}
.xf-card {{
  flex: 1 1 360px;
  max-width: 100%;
  background: var(--xf-paper);
  border: 1px solid var(--xf-line);
  border-top: 5px solid var(--xf-accent);
  border-radius: 8px;
  padding: 16px 20px;
  box-sizing: border-box;
}}
.xf-card.xf-unavailable {{ border-top-color: #86909c; background: var(--xf-wash); }}
.xf-audience {{ color: var(--xf-muted); }}
.xf-label {{ font-weight: 700; }}
.xf-actions {{ margin-top: 12px; }}
.xf-open {{
  display: inline-block;
  padding: 6px 22px;
  border-radius: 6px;
  background: var(--xf-accent);
  color: #ffffff !important;
  text-decoration: none !important;
  font-weight: 700;
}}
.xf-badge {{
  display: inline-block;
  padding: 1px 10px;
  border-radius: 999px;
  font-size: 16px;
  font-weight: 600;
  vertical-align: middle;
  margin-left: 8px;
}}
.xf-badge-trainer {{ background: #fff1d6; color: #6b3f00; border: 1px solid #d48806; }}
.xf-badge-later {{ background: #e5e6eb; color: #3d434d; border: 1px solid #a9aeb8; margin-left: 0; }}
.xf-note {{ color: var(--xf-muted); font-size: 16px; margin-top: 20px; }}

.xf-busy {{ color: var(--xf-muted); }}
.xf-spinner {{
  display: inline-block;
  width: 18px;
  height: 18px;
  margin-right: 10px;
  vertical-align: -3px;
  border: 3px solid var(--xf-line);
  border-top-color: var(--xf-accent);
  border-radius: 50%;
  animation: xf-spin 0.9s linear infinite;
}}
@keyframes xf-spin {{ to {{ transform: rotate(360deg); }} }}
@media (prefers-reduced-motion: reduce) {{ .xf-spinner {{ animation: none; }} }}
@media (max-width: 720px) {{
  .xf-page {{ font-size: 17px; }}
}}
"""


def stylesheet() -> widgets.HTML:
    """The page stylesheet as an HTML widget; a :class:`~toolkit.ui.frame.Page` adds it once."""
    sheet = widgets.HTML(value=f"<style>{CSS}</style>")
    sheet.add_class("xf-style")
    return sheet
