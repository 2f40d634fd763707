"""The fault-finding exercise in a real browser: a reviewer reads a dossier, marks faults and submits."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import Recorded, Server, open_app, record_frames
from toolkit.i18n import t
from toolkit.packs import load_pack
from toolkit.store import Store

FAULTS = "/voila/render/faults.ipynb"
ZH = "zh"


def test_a_reviewer_marks_faults_and_submits(server: Server, page: Recorded) -> None:
    frames = record_frames(page)
    open_app(page, server.url + FAULTS + "?lang=zh", t("faults.start.next", ZH))
    pg: Any = page.page
    pg.get_by_placeholder(t("practice.name_hint", ZH)).fill("浏览器评查员")
    pg.locator(".xf-start .widget-toggle-button", has_text="初级").click()
    pg.get_by_role("button", name=t("faults.start.next", ZH)).click()
    pg.locator(".xf-dossier").wait_for(timeout=60_000)
    tabs = pg.locator(".xf-dossier .lm-TabBar-tab")
    assert tabs.count() >= 2
    tabs.nth(1).click()
    pg.locator(".xf-dossier-doc").nth(1).wait_for(state="visible", timeout=10_000)

    marking = pg.locator(".xf-marking")
    selects = marking.locator("select")
    selects.nth(0).select_option(index=1)  # the first document
    selects.nth(1).select_option(index=1)  # the first defect type of the catalogue
    marking.locator("textarea").fill("登记表信息不全")
    marking.get_by_role("button", name=t("faults.mark.add", ZH)).click()
    marking.get_by_text("登记表信息不全").wait_for(timeout=10_000)
    sent_before = len(frames)

    pg.get_by_role("button", name=t("faults.submit", ZH)).click()
    pg.get_by_text(t("faults.report.key", ZH)).wait_for(timeout=60_000)
    body = pg.inner_text("body")
    assert "Traceback" not in body

    with Store.open("sqlite:///" + str(server.data / "xfkit.sqlite3")) as store:
        [stored] = store.scored(app="faults", actor="浏览器评查员")
    payload = stored.score.payload
    assert stored.submission.payload["findings"][0]["note"] == "登记表信息不全"
    assert f"{payload['total']:g} / {payload['max']:g}" in pg.locator(".xf-score-total").inner_text()

    # what only the answer key holds never travelled before the submission
    pack = load_pack("default")
    before = "\n".join(frames[:sent_before])
    key = payload["answer_key"]
    secrets = [p["note"] for p in key if p["note"]]
    secrets += [pack.defects.types[p["defect"]].explanation for p in key]
    assert [s for s in secrets if s in before] == []
    after = "\n".join(frames[sent_before:])
    assert all(p["note"] in after for p in key if p["note"]), "the report brings the key after submission"
