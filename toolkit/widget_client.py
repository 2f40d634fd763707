"""A page's browser side without a browser: the Jupyter kernel protocol and ipywidgets' comm messages.

Used to load-test a server (``xfkit loadtest``, ``benchmarks/bench_load.py``) and by the reliability tests.
A :class:`PageClient` does what Voila's page script does: it fetches the page (which starts the kernel and
runs the notebook), opens the kernel's websocket, asks for every widget's state, and then keeps a mirror
of the widgets from the messages the kernel sends. It can set a widget's value and click a button the way
the page does — including ways the page never would, which is what a forged message is.

Plain JSON frames are used (no websocket subprotocol), which Jupyter Server still accepts.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest
from tornado.websocket import WebSocketClientConnection, WebSocketClosedError, websocket_connect

__all__ = ["KERNEL_ID", "PageClient", "PageError", "Widget"]

KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')
CONTROL_TARGET = "jupyter.widget.control"
CONTROL_VERSION = "1.0.0"  # ipywidgets 8's widget control protocol
CLOSE_WAIT_S = 1.0  # how long close() waits for the server to answer the websocket close


class PageError(Exception):
    """The page could not be loaded or did not reach the state waited for."""


@dataclass
class Widget:
    """The mirror of one widget model: its class name and its synced state."""

    model_id: str
    model_name: str
    state: dict[str, Any] = field(default_factory=dict)

    @property
    def children(self) -> list[str]:
        return [str(c).removeprefix("IPY_MODEL_") for c in self.state.get("children", ())]


def _message(
    msg_type: str, content: dict[str, Any], session: str, metadata: dict[str, Any] | None = None
) -> str:
    return json.dumps(
        {
            "header": {
                "msg_id": uuid.uuid4().hex,
                "msg_type": msg_type,
                "username": "xfkit",
                "session": session,
                "version": "5.3",
                "date": datetime.now(UTC).isoformat(),
            },
            "parent_header": {},
            "metadata": metadata or {},
            "content": content,
            "channel": "shell",
            "buffers": [],
        }
    )


class PageClient:
    """One page, opened at ``url`` (``http://host:port``) + ``path`` (with its query)."""

    def __init__(self, url: str, path: str, *, timeout_s: float = 120) -> None:
        self.url = url.rstrip("/")
        self.path = path
        self.timeout_s = timeout_s
        self.session = uuid.uuid4().hex
        self.kernel_id = ""
        self.widgets: dict[str, Widget] = {}
        self.ws: WebSocketClientConnection | None = None
        self._changed = asyncio.Event()
        self._reader: asyncio.Task[None] | None = None
        self._control = uuid.uuid4().hex
        self.closed_by_server = False

    # -- opening -------------------------------------------------------------------------------------

    async def fetch(self) -> str:
        """GET the page; return its HTML (the kernel has run the notebook when this returns)."""
        # a client of its own: the shared one queues all but 10 requests, and the queue counts as time
        client = AsyncHTTPClient(force_instance=True)
        try:
            response = await client.fetch(
                HTTPRequest(self.url + self.path, request_timeout=self.timeout_s, follow_redirects=True)
            )
        except HTTPClientError as exc:
            raise PageError(f"GET {self.path}: HTTP {exc.code} {exc.message}") from None
        finally:
            client.close()
        text = response.body.decode("utf-8", "replace")
        match = KERNEL_ID.search(text)
        if match is None:
            raise PageError(f"GET {self.path}: no kernel id in the page")
        self.kernel_id = match.group(1)
        return text

    async def connect(self) -> None:
        """Open the kernel's websocket and load every widget's state."""
        ws_url = self.url.replace("http", "ws", 1) + f"/api/kernels/{self.kernel_id}/channels"
        self.ws = await websocket_connect(
            f"{ws_url}?session_id={self.session}", connect_timeout=self.timeout_s, max_message_size=64 << 20
        )
        self._reader = asyncio.get_running_loop().create_task(self._read())
        self._send(
            "comm_open",
            {"comm_id": self._control, "target_name": CONTROL_TARGET, "data": {}},
            {"version": CONTROL_VERSION},
        )
        self._send("comm_msg", {"comm_id": self._control, "data": {"method": "request_states"}})
        await self.wait_for(lambda: bool(self.widgets), "the widgets' states")

    async def open(self) -> None:
        await self.fetch()
        await self.connect()

    async def close(self) -> None:
        """Close the websocket and its socket, also when the server is gone and never answers the close."""
        if self.ws is not None:
            protocol = self.ws.protocol  # close() lets go of it
            self.ws.close()
            if self._reader is not None and not self._reader.done():
                # the reader ends when the server answers the close (or the connection drops)
                await asyncio.wait({self._reader}, timeout=CLOSE_WAIT_S)
            stream = getattr(protocol, "stream", None)
            if stream is not None and not stream.closed():
                stream.close()  # else tornado aborts only after 5 s, when the event loop may be gone
        if self._reader is not None:
            self._reader.cancel()
            try:
                await self._reader
            except (asyncio.CancelledError, Exception):
                pass

    # -- the kernel's messages -----------------------------------------------------------------------

    def _send(self, msg_type: str, content: dict[str, Any], metadata: dict[str, Any] | None = None) -> None:
        if self.ws is None:
            raise PageError("the websocket is not open")
        try:
            self.ws.write_message(_message(msg_type, content, self.session, metadata))
        except WebSocketClosedError:
            raise PageError("the websocket was closed") from None

    async def _read(self) -> None:
        assert self.ws is not None
        while True:
            raw = await self.ws.read_message()
            if raw is None:
                self.closed_by_server = True
                self._changed.set()
                return
            if isinstance(raw, bytes):
                continue  # binary frames carry widget buffers: nothing a page here reads
            self._handle(json.loads(raw))

    def _handle(self, msg: dict[str, Any]) -> None:
        kind = msg.get("header", {}).get("msg_type")
        content = msg.get("content") or {}
        if kind == "comm_open" and content.get("target_name") == "jupyter.widget":
            data = content.get("data") or {}
            state = data.get("state") or {}
            self.widgets[content["comm_id"]] = Widget(
                content["comm_id"], str(state.get("_model_name")), state
            )
        elif kind == "comm_msg":
            data = content.get("data") or {}
            method = data.get("method")
            if content.get("comm_id") == self._control and method == "update_states":
                for model_id, entry in (data.get("states") or {}).items():
                    self.widgets[model_id] = Widget(
                        model_id, str(entry.get("model_name")), entry.get("state", {})
                    )
            elif method in ("update", "echo_update"):
                widget = self.widgets.get(content.get("comm_id", ""))
                if widget is not None:
                    widget.state.update(data.get("state") or {})
        elif kind == "comm_close":
            self.widgets.pop(content.get("comm_id", ""), None)
        else:
            return
        self._changed.set()

    async def wait_for(self, condition: Callable[[], Any], what: str, timeout_s: float | None = None) -> Any:
        """Wait until ``condition()`` is truthy (checked after every change); return its value."""
        deadline = time.monotonic() + (timeout_s if timeout_s is not None else self.timeout_s)
        while True:
            value = condition()
            if value:
                return value
            if self.closed_by_server:
                raise PageError(f"the server closed the websocket while waiting for {what}")
            left = deadline - time.monotonic()
            if left <= 0:
                raise PageError(f"timed out waiting for {what}")
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), left)
            except TimeoutError:
                pass

    # -- finding widgets -----------------------------------------------------------------------------

    def find(self, model: str | None = None, **state: Any) -> Iterator[Widget]:
        """Widgets of class ``model`` (e.g. ``"ButtonModel"``) whose state has the given values."""
        for widget in list(self.widgets.values()):
            if model is not None and widget.model_name != model:
                continue
            if all(widget.state.get(k) == v for k, v in state.items()):
                yield widget

    def text(self) -> str:
        """Every string value and description of every widget, one per line (what a page could show)."""
        parts = []
        for widget in list(self.widgets.values()):
            for key in ("value", "description"):
                value = widget.state.get(key)
                if isinstance(value, str) and value:
                    parts.append(value)
        return "\n".join(parts)

    def shows(self, fragment: str) -> bool:
        return any(fragment in part for part in self.text().splitlines())

    def parent_of(self, model_id: str) -> Widget | None:
        return next((w for w in list(self.widgets.values()) if model_id in w.children), None)

    # -- acting --------------------------------------------------------------------------------------

    def set(self, widget: Widget, **state: Any) -> None:
        """Send new values for ``widget``'s synced traits, as the page does when a person edits it."""
        self._send(
            "comm_msg",
            {"comm_id": widget.model_id, "data": {"method": "update", "state": state, "buffer_paths": []}},
        )

    def click(self, widget: Widget) -> None:
        """Send a click, as the page does (whether or not the button shows as disabled)."""
        self._send(
            "comm_msg",
            {"comm_id": widget.model_id, "data": {"method": "custom", "content": {"event": "click"}}},
        )
