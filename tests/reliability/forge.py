"""Forged widget messages, delivered the way a kernel delivers a browser's message.

A browser talks to a widget through its comm: the kernel's comm manager receives a ``comm_msg``, finds the
comm by id and calls the widget's ``_handle_msg``. These helpers build that message and hand it to the same
comm manager (``comm.get_comm_manager().comm_msg``), so whatever the kernel does with a crafted websocket
message happens here too: a click reaches the handlers of a disabled button, and a value the widget cannot
take is rejected inside ``_handle_msg`` (ipywidgets logs it, the kernel carries on).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

import comm
import ipywidgets as widgets
import pytest

__all__ = [
    "REJECTED",
    "forge_click",
    "forge_update",
    "forge_upload",
    "interactive",
    "rejections",
    "walk_all",
]

#: what ipywidgets logs when a message's state cannot be set on the widget
REJECTED = "Exception in widget method"


def _deliver(widget: widgets.Widget, data: dict[str, Any], buffers: Iterable[Any] = ()) -> None:
    comm_id = widget.comm.comm_id
    msg = {
        "header": {"msg_type": "comm_msg"},
        "content": {"comm_id": comm_id, "data": data},
        "buffers": list(buffers),
    }
    manager = comm.get_comm_manager()
    assert manager.get_comm(comm_id) is widget.comm, "the widget's comm is registered with the kernel"
    manager.comm_msg(None, "", msg)  # type: ignore[arg-type]


def forge_click(widget: widgets.Button) -> None:
    """The message a browser sends when the button is clicked (sent whether or not it is disabled)."""
    _deliver(widget, {"method": "custom", "content": {"event": "click"}})


def forge_update(widget: widgets.Widget, **state: Any) -> None:
    """The message a browser sends when the person changes the widget's synced ``state``."""
    _deliver(widget, {"method": "update", "state": state, "buffer_paths": []})


def forge_upload(widget: widgets.FileUpload, name: str, content: bytes) -> None:
    """A file "chosen" in a FileUpload: its metadata as state, its bytes as a binary buffer."""
    meta = {"name": name, "type": "application/octet-stream", "size": len(content), "last_modified": 0}
    _deliver(
        widget,
        {"method": "update", "state": {"value": [meta]}, "buffer_paths": [["value", 0, "content"]]},
        buffers=[memoryview(content)],
    )


def rejections(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """The records of messages a widget refused to take (ipywidgets' own log line)."""
    return [r for r in caplog.records if r.getMessage().startswith(REJECTED)]


def walk_all(root: widgets.Widget) -> Iterator[widgets.Widget]:
    """Every widget the page references, through children, tabs and any widget-valued trait."""
    instances = widgets.widget._instances
    todo, seen = [root], set()
    while todo:
        widget = todo.pop()
        if widget.model_id in seen:
            continue
        seen.add(widget.model_id)
        yield widget
        for name in widget.keys:
            value = getattr(widget, name, None)
            values = value if isinstance(value, list | tuple) else (value,)
            todo += [v for v in values if isinstance(v, widgets.Widget) and v.model_id in instances]


#: widgets through which a browser can send something the kernel acts on
INPUT_TYPES = (
    widgets.Button,
    widgets.ValueWidget,
    widgets.FileUpload,
)


def interactive(root: widgets.Widget) -> list[widgets.Widget]:
    """The widgets of a page a person can click or type into (HTML, labels and layout boxes left out)."""
    out = []
    for widget in walk_all(root):
        if isinstance(widget, widgets.HTML | widgets.HTMLMath | widgets.Label):
            continue
        if isinstance(widget, INPUT_TYPES):
            out.append(widget)
    return out
