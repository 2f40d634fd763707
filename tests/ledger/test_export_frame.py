"""Writing ledger frames ("the current view") with extra columns, and write_ledger on top of it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from toolkit.domain.models import LedgerItem
from toolkit.errors import LedgerInvalid, XfkitError
from toolkit.generate.cases import CaseGenerator
from toolkit.generate.ledger import ledger_items
from toolkit.ledger.export import COLUMNS, FRAME_HEADERS, ledger_rows, write_ledger, write_ledger_frame
from toolkit.ledger.frame import LEDGER_COLUMNS, empty_ledger, ledger_frame
from toolkit.ledger.importer import read_ledger
from toolkit.packs import Pack


@pytest.fixture(scope="module")
def items(generator: CaseGenerator) -> list[LedgerItem]:
    return list(ledger_items(generator, 6, 120, date(2025, 12, 31)))


@pytest.fixture(scope="module")
def frame(items: list[LedgerItem], pack: Pack) -> pd.DataFrame:
    return ledger_frame(items, pack=pack)


def read_back(path: Path) -> pd.DataFrame:
    if path.suffix == ".csv":
        assert path.read_bytes().startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, so that Excel shows Chinese"
        return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    return pd.read_excel(path, dtype=str, keep_default_na=False)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_filtered_view_with_extra_columns(
    suffix: str, frame: pd.DataFrame, pack: Pack, tmp_path: Path
) -> None:
    view = frame[frame["status"].isin(["open", "extended"])]
    assert not view.index.equals(pd.RangeIndex(len(view))), "a view keeps the ledger's row labels"
    extra = {"督办牌": ["红牌"] * len(view), "剩余天数": list(range(len(view)))}
    path = tmp_path / f"view{suffix}"
    assert write_ledger_frame(view, path, pack, extra=extra) == len(view)
    table = read_back(path)
    assert list(table.columns) == [*FRAME_HEADERS, "督办牌", "剩余天数"]
    assert table["编号"].tolist() == view["id"].tolist()
    assert table["剩余天数"].tolist() == [str(i) for i in range(len(view))]
    assert set(table["办理状态"]) <= {"办理中", "延期办理"} and (table["办结日期"] == "").all()
    again = read_ledger(path, pack)
    pd.testing.assert_frame_equal(again, view.reset_index(drop=True))
    assert again.attrs["notes"] == ["columns not used: 督办牌, 剩余天数"]


def test_labels_names_and_empty_values(frame: pd.DataFrame, pack: Pack, tmp_path: Path) -> None:
    path = tmp_path / "labels.csv"
    write_ledger_frame(frame, path, pack)
    table = read_back(path)
    j = pack.jurisdiction
    assert table["承办单位"].tolist() == [j.name(c) for c in frame["handler_unit"]]
    assert table["反映人"].tolist() == [n or "匿名" for n in frame["reporter_name"]]
    filed = frame["status"] == "filed"
    assert (table.loc[filed.to_numpy(), "办理期限"] == "").all(), "filed items have no time limit"
    assert (table.loc[filed.to_numpy(), "时限规则"] == "").all()
    real = frame["flags"].str.contains("real_name").to_numpy()
    assert table.loc[real, "标记"].str.contains("实名").all()
    assert table["内容摘要"].tolist() == frame["summary"].tolist(), "the summary is written in full"


def test_codes_the_pack_does_not_know_are_written_as_they_are(
    frame: pd.DataFrame, pack: Pack, tmp_path: Path
) -> None:
    odd = frame.head(2).copy()
    odd["handler_unit"] = ["elsewhere", "jc1"]
    odd["deadline"] = ["custom_rule", ""]
    path = tmp_path / "odd.csv"
    write_ledger_frame(odd, path, pack)
    table = read_back(path)
    assert table["承办单位"].tolist() == ["elsewhere", "第一纪检监察室"]
    assert table["时限规则"].tolist()[0] == "custom_rule"


def test_write_ledger_adds_the_pack_and_seed(items: list[LedgerItem], pack: Pack, tmp_path: Path) -> None:
    path = tmp_path / "generated.xlsx"
    assert write_ledger(items, pack, path) == len(items)
    table = read_back(path)
    assert list(table.columns) == list(COLUMNS)
    assert set(table["训练包"]) == {pack.ref} and set(table["种子"]) == {"6"}
    rows = ledger_rows(items[:3], pack)
    assert list(rows[0]) == list(COLUMNS) and rows[0]["编号"] == items[0].id


def test_an_empty_view_writes_the_header_only(pack: Pack, tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    assert write_ledger_frame(empty_ledger(), path, pack) == 0
    assert list(read_back(path).columns) == list(FRAME_HEADERS)
    with pytest.raises(LedgerInvalid, match="header row but no ledger rows"):
        read_ledger(path, pack)


def test_refusals(frame: pd.DataFrame, pack: Pack, tmp_path: Path) -> None:
    with pytest.raises(XfkitError, match=r"unknown ledger format \.ods; use \.csv or \.xlsx"):
        write_ledger_frame(frame, tmp_path / "x.ods", pack)
    with pytest.raises(ValueError, match="has 1 values for 120 rows"):
        write_ledger_frame(frame, tmp_path / "x.csv", pack, extra={"备注": ["a"]})
    with pytest.raises(ValueError, match="'编号' is already written"):
        write_ledger_frame(frame, tmp_path / "x.csv", pack, extra={"编号": list(frame["id"])})
    with pytest.raises(ValueError, match="not a ledger frame: missing columns summary"):
        write_ledger_frame(frame.drop(columns="summary"), tmp_path / "x.csv", pack)
    assert not list(tmp_path.iterdir())


def test_a_failed_write_leaves_the_old_file(
    frame: pd.DataFrame, pack: Pack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(b"old")

    def half_written(self: pd.DataFrame, target: Path, **_kwargs: object) -> None:
        Path(target).write_bytes(b"PK half")
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_excel", half_written)
    with pytest.raises(OSError, match="disk full"):
        write_ledger_frame(frame, path, pack)
    assert path.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["ledger.xlsx"]


def test_frame_columns_and_empty_ledger() -> None:
    empty = empty_ledger()
    assert list(empty.columns) == list(LEDGER_COLUMNS) and len(empty) == 0
    assert [str(t) for t in empty.dtypes] == list(LEDGER_COLUMNS.values())


def test_without_the_pack_the_accused_unit_is_a_code(items: list[LedgerItem]) -> None:
    plain = ledger_frame(items)
    with_unit = [it for it in items if it.accused_unit]
    assert with_unit and set(plain["accused_unit"]) - {""} == {it.accused_unit for it in with_unit}


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_milestone_columns_round_trip(frame: pd.DataFrame, pack: Pack, tmp_path: Path, suffix: str) -> None:
    leads = (frame["route_action"] == "self") & (frame["category"] == "accusation")
    assert leads.any() and (~leads).any()
    path = tmp_path / f"milestones{suffix}"
    write_ledger_frame(frame, path, pack)
    table = read_back(path)
    at = FRAME_HEADERS.index("办理期限")
    assert FRAME_HEADERS[at + 1 : at + 3] == ("节点事项", "节点期限")
    assert set(table.loc[leads.to_numpy(), "节点事项"]) == {"提出线索处置意见"}, "the rule's Chinese name"
    assert table.loc[leads.to_numpy(), "节点期限"].tolist() == [
        day.date().isoformat() for day in frame.loc[leads, "milestone_due"]
    ]
    assert (table.loc[(~leads).to_numpy(), ["节点事项", "节点期限"]] == "").all().all()
    again = read_ledger(path, pack)
    pd.testing.assert_series_equal(again["milestone"], frame["milestone"].reset_index(drop=True))
    pd.testing.assert_series_equal(again["milestone_due"], frame["milestone_due"].reset_index(drop=True))
