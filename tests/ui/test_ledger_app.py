"""The ledger dashboard without a browser: dates, schemes, filters, notices, export and import."""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

from toolkit.domain.codes import CardColor
from toolkit.generate.cases import CaseGenerator
from toolkit.generate.ledger import ledger_items
from toolkit.i18n import t
from toolkit.ledger.export import write_ledger
from toolkit.packs import Pack
from toolkit.ui.context import context_from_query
from toolkit.ui.frame import Page
from toolkit.ui.ledger_page import LedgerDashboard, ledger_app

AS_OF = date(2026, 6, 30)


def make(pack: Pack, generator: CaseGenerator, data_dir: Path, lang: str = "zh") -> LedgerDashboard:
    ctx = context_from_query(f"lang={lang}", secret=None, default="zh")
    page = Page(ctx=ctx, title_key="app.ledger.title", pack=pack)
    return LedgerDashboard(page, pack, generator, data_dir=data_dir)


@pytest.fixture
def dash(pack: Pack, generator: CaseGenerator, tmp_path: Path) -> LedgerDashboard:
    board = make(pack, generator, tmp_path)
    board.as_of.value = AS_OF
    return board


def chips(board: LedgerDashboard) -> dict[str, int]:
    found = re.findall(r'xf-card-chip"[^>]*>([^<]+?) (\d+)</span>', board.summary.value)
    return {label: int(n) for label, n in found}


def test_the_demo_ledger_opens_on_today_and_counts_cards(
    pack: Pack, generator: CaseGenerator, tmp_path: Path, text_of: Callable[[Any], str]
) -> None:
    board = make(pack, generator, tmp_path)
    assert board.as_of.value == date.today()
    assert board.frame is not None and len(board.frame) == 800
    text = text_of(board.page.widget)
    assert t("ledger.source.generated", "zh", count=800) in text
    assert "Traceback" not in text


def test_counts_per_colour_match_the_cards(dash: LedgerDashboard) -> None:
    assert dash.cards is not None
    counted = chips(dash)
    for color in (CardColor.RED, CardColor.ORANGE, CardColor.YELLOW):
        assert counted[color.zh] == int((dash.cards["card"] == color.value).sum())
    assert sum(counted.values()) > 0


def test_the_four_colour_scheme_shows_its_colours(dash: LedgerDashboard) -> None:
    dash.scheme.value = "four"
    assert set(chips(dash)) == {"红牌", "黄牌", "蓝牌", "绿牌"}


def test_the_red_list_is_sorted_by_days_overdue_and_notices_name_no_reporter(
    dash: LedgerDashboard, pack: Pack
) -> None:
    assert dash._red is not None and len(dash._red) > 1
    overdue = list(dash._red["days_overdue"])
    assert overdue == sorted(overdue, reverse=True) and min(overdue) >= 1
    first = dash._red.iloc[0]
    dash.notice_pick.value = first["id"]
    notice = dash.notice.value
    assert first["id"] in notice and f"{int(first['days_overdue'])}" in notice
    assert pack.jurisdiction.name(first["handler_unit"]) in notice
    if first["reporter_name"]:
        assert first["reporter_name"] not in notice, "the notice never names the reporter"
    link = re.search(r'href="data:text/html;charset=utf-8;base64,([^"]+)"', notice)
    assert link, "a download of the printable notice"
    page = base64.b64decode(link.group(1)).decode("utf-8")
    assert page.startswith("<!DOCTYPE html>") and first["id"] in page


def test_filters_narrow_every_part_of_the_view(dash: LedgerDashboard, pack: Pack) -> None:
    assert dash.frame is not None
    unit = dash.frame["handler_unit"].value_counts().index[0]
    dash.unit.value = unit
    others = [pack.jurisdiction.name(u) for u in set(dash.frame["handler_unit"]) - {unit, ""}]
    assert not any(f"<td>{name}</td>" in dash.units.value for name in others)
    assert dash._red is not None and set(dash._red["handler_unit"]) <= {unit}
    dash.unit.value = ""
    dash.group.value = "repeat"
    assert dash._red is not None
    assert all("repeat" in flags.split(",") for flags in dash._red["flags"])


def test_monthly_trends_are_shown(dash: LedgerDashboard) -> None:
    assert "<svg" in dash.trends.value and t("ledger.trends.col.repeats", "zh") in dash.trends.value


def test_the_excel_export_holds_the_view_with_cards(dash: LedgerDashboard) -> None:
    assert dash.frame is not None and dash.cards is not None
    dash.category.value = "accusation"
    dash.export_button.click()
    link = re.search(r'href="data:[^;]+;base64,([^"]+)"', dash.export_link.value)
    assert link
    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(link.group(1))))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert t("ledger.col.card", "zh") in header and "编号" in header
    wanted = int((dash.frame["category"] == "accusation").sum())
    assert sheet.max_row - 1 == wanted


def upload(board: LedgerDashboard, name: str, content: bytes) -> None:
    board.upload.value = (
        {
            "name": name,
            "type": "",
            "size": len(content),
            "content": memoryview(content),
            "last_modified": datetime(2026, 1, 1, tzinfo=UTC),
        },
    )


def test_an_uploaded_ledger_replaces_the_view(
    dash: LedgerDashboard, pack: Pack, generator: CaseGenerator, tmp_path: Path, text_of: Callable[[Any], str]
) -> None:
    path = tmp_path / "mine.csv"
    write_ledger(ledger_items(generator, 5, 40), pack, path)
    upload(dash, "mine.csv", path.read_bytes())
    assert dash.frame is not None and len(dash.frame) == 40
    assert t("ledger.loaded", "zh", name="mine.csv", count=40) in text_of(dash.page.widget)


def test_a_bad_upload_lists_its_problems_and_keeps_the_ledger(
    dash: LedgerDashboard, text_of: Callable[[Any], str]
) -> None:
    before = dash.frame
    upload(dash, "bad.csv", "编号,收件日期\nA1,2025-13-40\n".encode())
    assert dash.frame is before
    text = text_of(dash.page.widget)
    assert "bad" in text or "upload" in text
    assert "Traceback" not in text
    upload(dash, "notes.txt", b"hello")
    assert dash.frame is before
    assert t("ledger.bad_type", "zh", name="notes.txt") in text_of(dash.page.widget)


def test_the_page_builds_in_english(pack: Pack, tmp_path: Path, text_of: Callable[[Any], str]) -> None:
    ctx = context_from_query("lang=en", secret=None, default="zh")
    page = ledger_app(ctx, data_dir=str(tmp_path))
    text = text_of(page.widget)
    assert t("ledger.red.title", "en") in text and t("ledger.trends.title", "en") in text


def test_the_view_can_jump_to_the_ledgers_own_date(dash: LedgerDashboard) -> None:
    assert dash.frame is not None
    dash.as_of.value = date(2026, 11, 22)
    dash.snapshot_button.click()
    assert dash.as_of.value == dash.frame["received"].max().date()


def test_milestones_are_shown_beside_the_limit_and_never_carded(dash: LedgerDashboard, pack: Pack) -> None:
    assert dash.frame is not None and dash.cards is not None
    frame, cards = dash.frame, dash.cards
    still_open = frame["status"].isin(["open", "extended"])
    past = still_open & frame["milestone_due"].notna() & (frame["milestone_due"] < pd.Timestamp(AS_OF))
    assert past.any()
    assert t("ledger.milestone.summary", "zh", n=int(past.sum())) in dash.summary.value
    # the red list has a milestone column, and a red lead's 处置意见 step is long past
    assert t("ledger.red.col.milestone", "zh") in dash.red.value
    assert dash._red is not None
    red_leads = dash._red[dash._red["milestone"] != ""]
    assert not red_leads.empty
    label = pack.rules.deadline("disposal_plan").label("zh")
    day = red_leads.iloc[0]["milestone_due"].date().isoformat()
    assert f"{label} {day} <strong>{t('ledger.milestone.past', 'zh')}</strong>" in dash.red.value
    # a lead whose milestone is past but whose own limit is months away carries no card
    leads = (
        (frame["deadline"] == "lead_close")
        & past
        & (frame["due"] > pd.Timestamp(AS_OF) + pd.Timedelta(days=31))
    )
    assert leads.any() and (cards.loc[leads, "card"] == "").all()
