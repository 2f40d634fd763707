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
.xf-hint {{ color: var(--xf-muted); font-size: 16px; }}
.xf-facts {{ display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0; }}
.xf-facts dt {{ font-weight: 700; }}
.xf-facts dd {{ margin: 0; }}
.xf-case-facts {{ grid-template-columns: repeat(4, max-content auto); }}
.xf-table {{ border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 16px; }}
.xf-table th, .xf-table td {{
  border: 1px solid var(--xf-line);
  padding: 6px 10px;
  text-align: left;
  vertical-align: top;
}}
.xf-table thead th {{ background: var(--xf-wash); }}
.xf-num {{ text-align: right !important; white-space: nowrap; font-variant-numeric: tabular-nums; }}
.xf-source {{ display: block; color: var(--xf-muted); font-size: 14px; margin-top: 2px; }}

.xf-start {{
  background: var(--xf-wash);
  border-radius: 8px;
  padding: 12px 16px;
  margin-bottom: 12px;
  gap: 6px;
}}
.xf-start .widget-toggle-buttons .widget-toggle-button {{ width: auto; min-width: 6em; }}
.xf-page .xf-primary {{ font-weight: 700; min-width: 10em; width: auto; }}
.xf-columns {{ display: flex; flex-flow: row wrap; gap: 20px; align-items: flex-start; width: 100%; }}
.xf-col {{ flex: 1 1 520px; min-width: 0; max-width: 100%; }}
.xf-material-box, .xf-conversation {{
  border: 1px solid var(--xf-line);
  border-radius: 8px;
  padding: 8px 16px;
  background: var(--xf-paper);
}}
.xf-doc {{ white-space: pre-wrap; font-size: 18px; line-height: 1.9; padding: 12px 18px; background: #fffdf5;
  border: 1px solid #e8dfc3; border-radius: 4px; }}
.xf-doc-notes {{ margin-top: 10px; color: var(--xf-muted); }}
.xf-form-view {{ border-collapse: collapse; width: 100%; }}
.xf-form-view th, .xf-form-view td {{
  border: 1px solid var(--xf-line);
  padding: 6px 10px;
  text-align: left;
  vertical-align: top;
}}
.xf-form-view th {{ width: 8em; background: var(--xf-wash); white-space: nowrap; }}
.xf-form-view td {{ white-space: pre-wrap; }}
.xf-chat {{ display: block; }}
.xf-line {{ display: flex; gap: 10px; margin: 8px 0; }}
.xf-who {{ flex: 0 0 4.5em; font-weight: 700; color: var(--xf-muted); }}
.xf-said {{ flex: 1 1 auto; padding: 8px 12px; border-radius: 8px; white-space: pre-wrap; }}
.xf-line-visitor .xf-said {{ background: #f2f3f5; }}
.xf-line-officer .xf-said {{ background: #e8f1fd; }}
.xf-replies {{ gap: 8px; }}
.xf-page .xf-reply {{ height: auto; min-height: 44px; white-space: normal; text-align: left; line-height: 1.5;
  padding: 8px 14px; justify-content: flex-start; }}
.xf-page .xf-reply:not(:disabled):hover {{ background: #e8f1fd; }}
.xf-form-section {{ border-top: 2px solid var(--xf-line); padding: 6px 0 10px; }}
.xf-form-section h3 {{ margin: 6px 0; font-size: 20px; }}
.xf-field-problems {{ color: #b3261e; font-weight: 600; margin: 4px 0 0; padding-left: 1.2em; }}
.xf-form .widget-radio-box {{ flex-direction: row; gap: 6px 18px; flex-wrap: wrap; }}
.xf-score-total {{ font-size: 26px; font-weight: 700; padding: 10px 16px; border-radius: 8px;
  background: var(--xf-wash); border-left: 8px solid var(--xf-accent); margin: 8px 0 12px; }}
.xf-score-full td:nth-child(4) {{ color: #0e6b28; font-weight: 700; }}
.xf-score-part td:nth-child(4) {{ color: #8a5300; font-weight: 700; }}
.xf-score-none td:nth-child(4) {{ color: #b3261e; font-weight: 700; }}
.xf-score-none th, .xf-score-part th {{ border-left: 6px solid #d48806; }}
.xf-fault {{ color: #5c0b07; margin: 4px 0; }}
.xf-model {{ color: #0e3d1c; margin: 4px 0; }}
.xf-dims {{ display: flex; flex-wrap: wrap; gap: 6px 12px; list-style: none; padding-left: 0; }}
.xf-dims li {{
  background: var(--xf-wash);
  border: 1px solid var(--xf-line);
  border-radius: 999px;
  padding: 2px 14px;
}}
.xf-chart svg {{ max-width: 100%; height: auto; }}
.xf-col-wide {{ flex: 2 1 640px; }}
.xf-dossier .xf-dossier-doc {{ padding: 8px 4px; }}
.xf-doc-body p {{ margin: 0 0 8px; text-indent: 2em; }}
.xf-doc-date {{ text-align: right; margin-top: 6px; }}
.xf-answer-key li {{ margin: 6px 0; }}
.xf-score-table tbody th {{ white-space: nowrap; }}
.xf-marking {{
  border: 1px solid var(--xf-line);
  border-radius: 8px;
  padding: 8px 14px;
  background: var(--xf-paper);
}}
.xf-page .xf-dossier > .lm-TabBar .lm-TabBar-content {{ flex-wrap: wrap; }}
.xf-page .xf-dossier > .lm-TabBar {{ min-height: auto; overflow: visible; }}
.xf-page .xf-dossier > .lm-TabBar .lm-TabBar-tab {{
  font-size: 16px;
  min-width: 4em;
  max-width: none;
  flex: 0 0 auto;
}}
.xf-page .xf-tabs > .lm-TabBar .lm-TabBar-tab {{ min-width: 8em; max-width: none; flex: 0 0 auto; }}
.xf-board {{ font-size: 30px; }}
.xf-board th {{ font-size: 22px; }}
.xf-board td, .xf-board th {{ padding: 10px 18px; }}
.xf-board-title {{ font-size: 40px; margin: 8px 0; }}
.xf-board-round {{ font-size: 28px; }}
.xf-board-frozen {{ font-size: 26px; color: #b71c1c; font-weight: 700; }}
.xf-clock-line {{ font-size: 20px; font-weight: 700; }}
.xf-code {{ font-size: 22px; }}
.xf-chips {{ display: flex; flex-wrap: wrap; gap: 10px; margin: 6px 0 12px; }}
.xf-card-chip {{ color: #fff; font-weight: 700; font-size: 22px; padding: 6px 18px; border-radius: 8px; }}
.xf-section {{ margin-top: 8px; }}
.xf-page .xf-download {{ margin: 8px 0; }}
.xf-report-frame {{ width: 100%; height: 80vh; border: 1px solid var(--xf-line); background: #fff; }}
.xf-rubric details {{ margin: 4px 0; }}
.xf-rubric summary {{ cursor: pointer; font-weight: 700; }}
.xf-deduction {{ border-bottom: 1px solid var(--xf-line); padding: 4px 0; align-items: center; }}
.xf-notice-preview {{ max-height: 32em; overflow: auto; border: 1px dashed var(--xf-line); margin: 8px 0; }}
@media (max-width: 720px) {{
  .xf-page {{ font-size: 17px; }}
  /* score reports on a phone: one card per row, each cell under its column's name */
  .xf-score-table thead, .xf-conduct-table thead {{ display: none; }}
  .xf-score-table, .xf-score-table tbody, .xf-score-table tr, .xf-score-table th, .xf-score-table td,
  .xf-conduct-table, .xf-conduct-table tbody, .xf-conduct-table tr, .xf-conduct-table th,
  .xf-conduct-table td {{ display: block; width: auto; }}
  .xf-score-table tr, .xf-conduct-table tr {{
    border: 1px solid var(--xf-line);
    border-radius: 6px;
    margin-bottom: 10px;
  }}
  .xf-score-table th, .xf-score-table td, .xf-conduct-table th, .xf-conduct-table td {{
    border: none;
    padding: 4px 10px;
  }}
  .xf-score-table .xf-num, .xf-conduct-table .xf-num {{ text-align: left !important; }}
  .xf-score-table td[data-label]::before, .xf-conduct-table td[data-label]::before {{
    content: attr(data-label);
    font-weight: 700;
    color: var(--xf-muted);
  }}
}}
"""


def stylesheet() -> widgets.HTML:
    """The page stylesheet as an HTML widget; a :class:`~toolkit.ui.frame.Page` adds it once."""
    sheet = widgets.HTML(value=f"<style>{CSS}</style>")
    sheet.add_class("xf-style")
    return sheet
