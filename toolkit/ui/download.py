"""Downloads from a page: a file made in the kernel, handed to the browser as a ``data:`` link.

Voila serves no files from the notebook folder, so a download is a link whose ``href`` carries the bytes
(base64) and whose ``download`` attribute names the file. The browser saves it without another request.
"""

from __future__ import annotations

import base64
import html

__all__ = ["HTML_MIME", "XLSX_MIME", "data_link"]

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HTML_MIME = "text/html;charset=utf-8"


def data_link(data: bytes, mime: str, filename: str, text: str) -> str:
    """An ``<a download>`` link carrying ``data``; ``text`` is what the link says (escaped)."""
    href = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    return (
        f'<a class="xf-open xf-download" download="{html.escape(filename, quote=True)}" '
        f'href="{href}">{html.escape(text)}</a>'
    )
