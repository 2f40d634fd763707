"""The widget-protocol client's mirror of a page, and the load test's figures (no server needed)."""

from __future__ import annotations

import pytest

from toolkit.i18n import t
from toolkit.loadtest import ContestantRun, _progress, open_item, percentile, summarise
from toolkit.widget_client import PageClient


def message(kind: str, content: dict[str, object]) -> dict[str, object]:
    return {"header": {"msg_type": kind}, "content": content}


@pytest.fixture
def page() -> PageClient:
    client = PageClient("http://127.0.0.1:1", "/voila/render/contest.ipynb")
    states = {
        "box": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_q", "IPY_MODEL_go"]}},
        "q": {"model_name": "RadioButtonsModel", "state": {"_options_labels": ["A", "B"], "index": None}},
        "go": {
            "model_name": "ButtonModel",
            "state": {"description": t("contest.submit", "zh"), "disabled": False},
        },
        "line": {"model_name": "HTMLModel", "state": {"value": ""}},
    }
    client._handle(
        message(
            "comm_msg", {"comm_id": client._control, "data": {"method": "update_states", "states": states}}
        )
    )
    return client


def test_the_mirror_follows_the_kernels_messages(page: PageClient) -> None:
    assert set(page.widgets) == {"box", "q", "go", "line"}
    assert page.parent_of("q") is page.widgets["box"]
    page._handle(
        message("comm_msg", {"comm_id": "line", "data": {"method": "update", "state": {"value": "<p>x</p>"}}})
    )
    assert page.widgets["line"].state["value"] == "<p>x</p>" and page.shows("<p>x</p>")
    page._handle(
        message(
            "comm_open",
            {
                "comm_id": "new",
                "target_name": "jupyter.widget",
                "data": {"state": {"_model_name": "HTMLModel"}},
            },
        )
    )
    assert page.widgets["new"].model_name == "HTMLModel"
    page._handle(message("comm_close", {"comm_id": "new"}))
    assert "new" not in page.widgets
    page._handle(
        message("comm_msg", {"comm_id": "unknown", "data": {"method": "update", "state": {"value": 1}}})
    )
    assert "unknown" not in page.widgets


def test_the_open_item_and_the_progress_line(page: PageClient) -> None:
    found = open_item(page, t("contest.submit", "zh"))
    assert found is not None and found[0].model_id == "go" and [w.model_id for w in found[1]] == ["q"]
    page.widgets["go"].state["disabled"] = True
    assert open_item(page, t("contest.submit", "zh")) is None, "a used button is not an open item"
    assert _progress(page, "zh", 10) is None
    text = (
        t("contest.progress", "zh", done=3, total=10) + " · " + t("contest.done_items", "zh", items="1, 2, 4")
    )
    page.widgets["line"].state["value"] = f'<p class="xf-hint">{text}</p>'
    assert _progress(page, "zh", 10) == (3, [1, 2, 4])


def test_percentiles_and_the_summary() -> None:
    assert percentile([], 95) is None and percentile([5.0], 95) == 5.0
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 50) == 3.0
    assert percentile([0.0, 10.0], 95) == pytest.approx(9.5)
    runs = [
        ContestantRun("a", join_s=1.0, page_s=0.5, submit_s=[0.1, 0.2], sent=2, acked=[1, 2]),
        ContestantRun("b", error="PageError: timed out", reloads=2),
    ]
    figures = summarise(runs)
    assert (figures.contestants, figures.joined, figures.errors, figures.submits) == (2, 1, 1, 2)
    assert figures.join_p50_s == 1.0 and figures.submit_max_ms == 200.0 and figures.reloads == 2


def test_close_frees_the_socket_when_the_server_never_answers() -> None:
    """A killed or hung server never answers the websocket close; the client's socket is closed anyway
    (tornado alone aborts after 5 s, by when a load run's event loop may be gone, leaking the socket)."""
    import asyncio
    import base64
    import hashlib
    import re

    from tornado.websocket import websocket_connect

    async def scenario() -> bool:
        held: list[asyncio.StreamWriter] = []

        async def mute(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            request = await reader.readuntil(b"\r\n\r\n")
            found = re.search(rb"Sec-WebSocket-Key: *(\S+)", request, re.IGNORECASE)
            assert found is not None
            magic = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
            accept = base64.b64encode(hashlib.sha1(found.group(1) + magic).digest())
            writer.write(
                b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n"
            )
            await writer.drain()
            held.append(writer)  # and never answers anything again

        server = await asyncio.start_server(mute, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        client = PageClient(f"http://127.0.0.1:{port}", "/")
        client.ws = await websocket_connect(f"ws://127.0.0.1:{port}/api/kernels/k/channels")
        client._reader = asyncio.get_running_loop().create_task(client._read())
        protocol = client.ws.protocol
        assert protocol is not None
        await client.close()
        closed = protocol.stream.closed()
        for writer in held:
            writer.close()
        server.close()
        await server.wait_closed()
        return closed

    assert asyncio.run(scenario())
