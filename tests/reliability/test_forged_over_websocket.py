"""Forged widget messages sent over a real server's kernel websocket: refused, logged, nothing stored.

A widget-protocol client (:mod:`toolkit.widget_client`) joins a running quiz round and then sends what a
page never would: a choice outside the offered ones, a second click on a used (disabled) submit button,
a resume and a join under another contestant's name, and an answer after the trainer ended the round.
"""

from __future__ import annotations

import asyncio
import random
import time
from pathlib import Path
from typing import Any

from toolkit.competition.model import CompetitionSpec, RoundSpec
from toolkit.competitions import create_competition, record_action, spec_of
from toolkit.i18n import t
from toolkit.loadtest import answer, open_item
from toolkit.packs import load_pack
from toolkit.serve_process import ServerProcess, start
from toolkit.store import CompetitionRecord, Store, default_url
from toolkit.widget_client import PageClient

ROOT = Path(__file__).resolve().parents[2]
ME, OTHER = "甲一", "乙二"


def store_submissions(url: str, record: CompetitionRecord, contestant: str) -> list[Any]:
    with Store.open(url) as store:
        return store.contest_submissions(record.id, contestant)


def events(server: ServerProcess, kind: str) -> list[str]:
    with Store.open(default_url(server.data)) as store:
        return [e.actor for e in store.events(kind)]


async def until(check: object, what: str, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while not check():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.2)


async def scenario(server: ServerProcess, record: CompetitionRecord) -> None:
    url = default_url(server.data)
    page = PageClient(server.url, f"/voila/render/contest.ipynb?code={record.code}")
    await page.open()
    name = next(page.find("TextModel", description=t("contest.name", "zh")))
    pin = next(page.find("TextModel", description=t("contest.pin", "zh")))
    join = next(page.find("ButtonModel", description=t("contest.join", "zh")))
    resume = next(page.find("ButtonModel", description=t("contest.resume", "zh")))

    # another contestant's name, with a made-up resume code, then as a new entry
    page.set(name, value=OTHER)
    page.set(pin, value="0000")
    page.click(resume)
    await until(lambda: events(server, "contest.bad-pin"), "the refused resume to be logged")
    page.click(join)
    await until(lambda: events(server, "contest.name-taken"), "the refused join to be logged")
    assert events(server, "contest.bad-pin") == [OTHER] and events(server, "contest.name-taken") == [OTHER]

    page.set(name, value=ME)
    page.click(join)
    await page.wait_for(lambda: page.shows(ME), "the join")
    submit = t("contest.submit", "zh")
    button, controls = await page.wait_for(lambda: open_item(page, submit), "the first item")

    # a value outside the offered choices is rejected by the kernel and never submitted
    choice = next((c for c in controls if c.model_name == "RadioButtonsModel"), None)
    if choice is not None:
        page.set(choice, index=99)
    else:
        page.set(controls[0], value="not a value")
    # the kernel refuses it (a trait error) and keeps the value it had; it handles messages in order, so
    # the answer below arrives after the refusal

    answer(page, controls, random.Random(1))
    page.click(button)
    progress = t("contest.progress", "zh", done=1, total=3)
    await page.wait_for(lambda: page.shows(progress), "the answer to be stored")

    # the used button, clicked again: it shows as disabled, the message is sent anyway
    assert page.widgets[button.model_id].state.get("disabled") is True
    page.click(button)
    await until(lambda: events(server, "contest.duplicate"), "the second click to be logged")

    # the trainer ends the round; an answer sent afterwards is late
    with Store.open(url) as store:
        record_action(store, record, spec_of(record), 1, "end")
    late_button, late_controls = await page.wait_for(lambda: open_item(page, submit), "the second item")
    answer(page, late_controls, random.Random(2))
    page.click(late_button)
    await until(lambda: events(server, "contest.late"), "the late answer to be logged")
    await page.close()

    with Store.open(url) as store:
        me = next(c for c in store.contestants(record.id) if c.name == ME)
        stored = [s.submission.payload["key"] for s in store.contest_submissions(record.id)]
        mine = [s.submission.payload["key"] for s in store.contest_submissions(record.id, me.id)]
    assert stored == mine == ["r1-01"], "one answer stored: the first, once"
    (response,) = [s.submission.payload["response"] for s in store_submissions(url, record, me.id)]
    assert response and all(r in "ABCDEFGH" or r.startswith("20") for r in response), response
    assert "not a value" not in str(response) and "99" not in str(response)
    assert events(server, "contest.duplicate") == [me.id] and events(server, "contest.late") == [me.id]


def test_forged_messages_over_the_websocket(tmp_path: Path) -> None:
    server = start(tmp_path, "--trainer-secret", "forge", cwd=ROOT)
    try:
        pack = load_pack("default")
        with Store.open(default_url(server.data)) as store:
            spec = CompetitionSpec("forged", pack.name, 3, (RoundSpec("quiz", 3, 30),))
            record = create_competition(store, spec, pack)
            store.join(record.id, OTHER, "4321")
            record_action(store, record, spec, 1, "start")
        asyncio.run(scenario(server, record))
        assert "Traceback" not in "".join(
            line for line in server.log_text().splitlines() if "contest" in line and "refused" in line
        )
    finally:
        server.stop()
