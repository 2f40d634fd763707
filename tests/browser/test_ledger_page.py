"""The ledger dashboard in a real browser: cards on a chosen date, the red list and a notice."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import Recorded, Server, open_app
from toolkit.i18n import t

LEDGER = "/voila/render/ledger.ipynb"
ZH = "zh"


def test_a_supervisor_sees_cards_and_opens_a_notice(server: Server, page: Recorded) -> None:
    open_app(page, server.url + LEDGER + "?lang=zh", t("ledger.red.title", ZH))
    pg: Any = page.page
    pg.locator(".xf-card-chip").first.wait_for(timeout=60_000)
    date_input = pg.locator(".widget-datepicker input[type=date]").first
    date_input.fill("2026-06-30")
    date_input.dispatch_event("change")
    pg.get_by_text(t("ledger.summary", ZH, day="2026-06-30", rows=800, open=0).split("，")[0]).wait_for(
        timeout=60_000
    )
    assert pg.locator(".xf-red-list tbody tr").count() > 0
    notice = pg.locator(".xf-section select").first
    notice.select_option(index=1)
    pg.locator(".xf-notice").wait_for(timeout=30_000)
    text = pg.locator(".xf-notice").inner_text()
    assert t("ledger.notice.title", ZH) in text
    pg.locator(".xf-notice").scroll_into_view_if_needed()
    body = pg.inner_text("body")
    assert "Traceback" not in body and t("ledger.units.title", ZH) in body
