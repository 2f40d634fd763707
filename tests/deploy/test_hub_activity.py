"""Activity reports to the hub: what ``jupyterhub-singleuser`` sends, against a real HTTP endpoint."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import tornado.httpserver
import tornado.netutil
import tornado.web

from tests.deploy.test_hub_identity import SPAWNER_ENV
from toolkit.hub import HubSettings, activity_body, hub_settings, report_activity
from toolkit.serve import Prepared, ServeError, ServeOptions, banner

T0 = datetime(2026, 11, 20, 8, 30, tzinfo=UTC)


def test_the_body_is_the_hubs_activity_format() -> None:
    beijing = T0.astimezone(ZoneInfo("Asia/Shanghai"))
    body = activity_body(beijing, "")
    stamp = "2026-11-20T08:30:00Z"
    assert body == {"servers": {"": {"last_activity": stamp}}, "last_activity": stamp}


def test_the_spawner_environment_sets_the_activity_url_and_interval() -> None:
    env = {**SPAWNER_ENV, "JUPYTERHUB_ACTIVITY_URL": "http://hub/api/users/zhangsan/activity"}
    settings = hub_settings({**env, "JUPYTERHUB_ACTIVITY_INTERVAL": "60", "JUPYTERHUB_SERVER_NAME": "x"})
    assert (settings.activity_url, settings.activity_interval, settings.server_name) == (
        "http://hub/api/users/zhangsan/activity",
        60.0,
        "x",
    )
    assert hub_settings(env).activity_interval == 300.0
    with pytest.raises(ServeError, match="JUPYTERHUB_ACTIVITY_INTERVAL must be seconds, not 'often'"):
        hub_settings({**env, "JUPYTERHUB_ACTIVITY_INTERVAL": "often"})


class Intervals:
    """Stands in for the wait between reports: the test lets the reporter run one interval at a time."""

    def __init__(self) -> None:
        self.waiting = asyncio.Event()
        self.go = asyncio.Event()
        self.count = 0

    async def pause(self, seconds: float) -> None:
        assert 240 <= seconds <= 360, "the interval with at most 20 % jitter"
        self.count += 1
        self.waiting.set()
        await self.go.wait()
        self.go.clear()

    async def next(self) -> None:
        """Run the reporter through one more interval, up to its next wait."""
        self.waiting.clear()
        self.go.set()
        await self.waiting.wait()


def _settings(url: str, token: str = "api-token") -> HubSettings:
    return HubSettings(
        user="zhangsan", prefix="/user/zhangsan/", api_token=token, host=None, port=None, activity_url=url
    )


def test_reports_go_out_when_a_kernel_did_something_and_only_then() -> None:
    received: list[tuple[str, dict[str, Any]]] = []

    class Activity(tornado.web.RequestHandler):
        def post(self) -> None:
            received.append((self.request.headers.get("Authorization", ""), json.loads(self.request.body)))
            self.set_status(204)

    async def scenario() -> list[int]:
        sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
        server = tornado.httpserver.HTTPServer(tornado.web.Application([(r"/activity", Activity)]))
        server.add_sockets(sockets)
        settings = _settings(f"http://127.0.0.1:{sockets[0].getsockname()[1]}/activity")
        kernels = SimpleNamespace(last_kernel_activity=None)  # no kernel yet: nothing to report
        intervals = Intervals()
        task = asyncio.ensure_future(
            report_activity(lambda: kernels.last_kernel_activity, settings, pause=intervals.pause)
        )
        await intervals.waiting.wait()
        seen = [len(received)]
        kernels.last_kernel_activity = T0
        await intervals.next()
        seen.append(len(received))
        await intervals.next()  # nothing new happened: no second report
        seen.append(len(received))
        kernels.last_kernel_activity = T0 + timedelta(minutes=3)
        await intervals.next()
        seen.append(len(received))
        task.cancel()
        server.stop()
        return seen

    assert asyncio.run(scenario()) == [0, 1, 1, 2]
    assert [auth for auth, _ in received] == ["token api-token"] * 2
    assert [body["last_activity"] for _, body in received] == ["2026-11-20T08:30:00Z", "2026-11-20T08:33:00Z"]


def test_a_hub_that_does_not_answer_is_logged_once_and_tried_again(caplog: pytest.LogCaptureFixture) -> None:
    async def scenario() -> int:
        intervals = Intervals()
        settings = _settings("http://127.0.0.1:9/activity", "t")  # the discard port: refused
        task = asyncio.ensure_future(report_activity(lambda: T0, settings, pause=intervals.pause))
        await intervals.waiting.wait()
        for _ in range(3):
            await intervals.next()
        task.cancel()
        return intervals.count

    with caplog.at_level("INFO", logger="xfkit.hub"):
        tried = asyncio.run(scenario())
    assert tried == 4, "the reports go on after a failure"
    assert caplog.text.count("could not report activity to the hub") == 1


def test_under_a_hub_the_banner_does_not_print_the_trainer_secret(tmp_path: Any) -> None:
    prepared = Prepared(ServeOptions(hub=True), tmp_path, "sqlite://", "s3cret-value", "default@1.0.0", False)
    text = banner(prepared)
    assert "s3cret-value" not in text and "key=$XFKIT_TRAINER_SECRET" in text
    plain = banner(replace(prepared, options=ServeOptions()))
    assert "key=s3cret-value" in plain
