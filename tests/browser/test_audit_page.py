"""A quality audit in a real browser: the organiser sets it up, two reviewers review, the server restarts,
nothing saved is lost, and the organiser opens the report. Screenshots of every step go to artifacts/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import (
    ARTIFACTS,
    SECRET,
    Recorded,
    Server,
    open_app,
    record_frames,
    start_server,
    stop_server,
)
from toolkit.audit.model import Audit
from toolkit.i18n import t
from toolkit.store import Store

DESK = "/voila/render/audit_desk.ipynb"
ZH = "zh"


@pytest.fixture(scope="module")
def audit_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[Server]]]:
    tmp = tmp_path_factory.mktemp("audit-serve")
    servers = [start_server(tmp)]
    yield tmp, servers
    stop_server(servers[-1])


def _shot(pg: Any, name: str, height: int = 2400) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    pg.set_viewport_size({"width": 1280, "height": height})
    pg.screenshot(path=str(ARTIFACTS / f"audit_{name}.png"), full_page=True)


def _store(server: Server) -> Store:
    return Store.open("sqlite:///" + str(server.data / "xfkit.sqlite3"))


def _review(pg: Any, note: str, points: str) -> None:
    panel = pg.locator(".xf-deductions")
    panel.locator("select").first.select_option(index=1)
    number = panel.locator("input[type=number]").first
    number.fill(points)
    number.press("Tab")
    panel.locator("textarea").fill(note)
    panel.get_by_role("button", name=t("audit.deduct.add", ZH)).last.click()
    pg.get_by_text(note).wait_for(timeout=20_000)
    pg.get_by_role("button", name=t("audit.done", ZH)).click()
    pg.get_by_role("button", name=t("audit.reopen", ZH)).wait_for(timeout=20_000)


def test_an_audit_from_set_up_to_report_survives_a_restart(
    audit_server: tuple[Path, list[Server]], browser: Any, page: Recorded
) -> None:
    tmp, servers = audit_server
    server = servers[0]
    pg: Any = page.page

    # the organiser sets up an audit of 30 generated dossiers
    open_app(page, f"{server.url}{DESK}?key={SECRET}", t("desk.create", ZH))
    _shot(pg, "desk_setup", 1800)
    pg.locator(".widget-toggle-button", has_text=t("desk.source.dossiers", ZH)).click()
    pg.get_by_label(t("desk.rate", ZH)).fill("0.3")
    pg.get_by_label(t("desk.rate", ZH)).press("Tab")
    pg.get_by_role("button", name=t("desk.preview", ZH)).click()
    pg.locator("code", has_text="n_h").wait_for(timeout=60_000)
    pg.get_by_role("button", name=t("desk.create", ZH)).click()
    pg.get_by_text(t("desk.open_link", ZH)).first.wait_for(timeout=60_000)
    _shot(pg, "desk_created", 2400)
    assert "Traceback" not in pg.inner_text("body")
    with _store(server) as store:
        (record,) = store.audits()
        audit = store.audit(record.id)
    assert isinstance(audit, Audit)

    # two reviewers who share an item
    shared, (first, second) = next(
        (item, names[:2]) for item, names in audit.assignment.pairs.items() if len(names) >= 2
    )

    def reviewer_page(name: str) -> tuple[Any, list[str], Any]:
        context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
        rpg = context.new_page()
        rec = Recorded(rpg, [])
        frames = record_frames(rec)
        url = f"{servers[-1].url}/voila/render/audit.ipynb?audit={audit.id}&r={audit.tokens[name]}"
        open_app(rec, url, t("audit.rubric", ZH))
        picker = rpg.locator(".xf-start select").first
        value = picker.evaluate(
            "(s, id) => [...s.options].find(o => o.textContent.includes(id)).value", shared
        )
        picker.select_option(value=value)
        rpg.locator(".xf-facts", has_text=shared).wait_for(timeout=20_000)
        return context, frames, rpg

    ctx1, frames1, page1 = reviewer_page(first)
    _review(page1, "初核报告未逐项回应第二项问题", "3")
    _shot(page1, "reviewer_one", 3000)
    ctx2, frames2, page2 = reviewer_page(second)
    _review(page2, "初核报告结论依据不足", "6")
    _shot(page2, "reviewer_two", 3000)

    # nothing of the reporter's personal data travelled to either reviewer's browser
    for item in audit.items:
        for frames in (frames1, frames2):
            joined = "\n".join(frames)
            assert [p for p in item.personal if p in joined] == []
    ctx1.close()
    ctx2.close()

    # a restart in the middle of the audit
    stop_server(servers[-1])
    servers.append(start_server(tmp))
    with _store(servers[-1]) as store:
        kept = {(r.reviewer, r.item_id): r for r in store.reviews(audit.id)}
    assert kept[(first, shared)].deductions[0].note == "初核报告未逐项回应第二项问题"
    assert kept[(second, shared)].done

    ctx3, _frames3, page3 = reviewer_page(first)
    page3.get_by_text("初核报告未逐项回应第二项问题").wait_for(timeout=20_000)
    assert page3.get_by_role("button", name=t("audit.reopen", ZH)).count() == 1
    ctx3.close()

    # the organiser opens the report
    pg.goto(f"{servers[-1].url}{DESK}?key={SECRET}", wait_until="domcontentloaded")
    pg.locator(".widget-tab .lm-TabBar-tab", has_text=t("desk.tab.follow", ZH)).click()
    pg.locator("iframe.xf-report-frame").wait_for(timeout=60_000)
    report = pg.frame_locator("iframe.xf-report-frame")
    report.get_by_text(audit.name).first.wait_for(timeout=20_000)
    assert report.get_by_text(shared).count() >= 1
    assert pg.locator("a.xf-download").count() == 2
    assert re.search(r"1 / \d+", pg.inner_text("body"))
    _shot(pg, "desk_report", 2400)
    assert "Traceback" not in pg.inner_text("body")
