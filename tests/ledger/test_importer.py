"""Reading ledgers: generated ledgers round-trip exactly; encodings, date forms, synonyms and code columns."""

from __future__ import annotations

import codecs
from datetime import date, datetime
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from toolkit.domain.models import LedgerItem
from toolkit.generate.cases import CaseGenerator
from toolkit.generate.ledger import ledger_items
from toolkit.ledger.export import ledger_table, write_ledger
from toolkit.ledger.frame import LEDGER_COLUMNS, ledger_frame
from toolkit.ledger.importer import FIELDS, parse_days, read_ledger
from toolkit.packs import Pack

HEAD = ["编号", "收件日期", "问题类别", "承办单位", "办理状态", "办理期限", "办结日期"]


@pytest.fixture(scope="module")
def items(generator: CaseGenerator) -> list[LedgerItem]:
    return list(ledger_items(generator, 5, 400, date(2025, 12, 31)))


@pytest.fixture(scope="module")
def expected(items: list[LedgerItem], pack: Pack) -> pd.DataFrame:
    return ledger_frame(items, pack=pack)


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8", sep: str = ",") -> Path:
    path.write_bytes("".join(sep.join(row) + "\n" for row in rows).encode(encoding))
    return path


def one_row(path: Path, pack: Pack, **cells: str) -> pd.Series[object]:
    """Read a one-item ledger whose cells are the defaults overridden by ``cells`` (header → value)."""
    row = {
        "编号": "A1",
        "收件日期": "2025-09-26",
        "问题类别": "检举控告",
        "承办单位": "第一纪检监察室",
        "办理状态": "办理中",
        "办理期限": "2025-10-26",
        **cells,
    }
    write_csv(path, [list(row), list(row.values())])
    frame = read_ledger(path, pack)
    assert len(frame) == 1
    return frame.iloc[0]


# -- round trips ------------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".jsonl"])
def test_generated_ledger_reads_back_equal_on_every_column(
    suffix: str, items: list[LedgerItem], expected: pd.DataFrame, pack: Pack, tmp_path: Path
) -> None:
    path = tmp_path / f"ledger{suffix}"
    write_ledger(items, pack, path)
    frame = read_ledger(path, pack)
    assert list(frame.columns) == list(LEDGER_COLUMNS)
    assert [str(t) for t in frame.dtypes] == list(LEDGER_COLUMNS.values())
    pd.testing.assert_frame_equal(frame, expected)
    assert frame.attrs["notes"] == [] and frame.attrs["source"] == path.name


def test_the_generated_ledger_has_every_status_and_items_without_a_limit_have_no_due(
    expected: pd.DataFrame,
) -> None:
    assert set(expected["status"]) == {"open", "extended", "closed", "filed"}
    filed = expected["status"] == "filed"
    assert (expected.loc[filed, "deadline"] == "").all()
    # due exactly where a rule sets a limit: not for filed items, items answered at once, suggestions
    assert (expected["due"].isna() == (expected["deadline"] == "")).all()
    unlimited = (expected["route_action"] == "advise") | (expected["category"] == "suggestion")
    assert unlimited.any() and expected.loc[unlimited, "due"].isna().all()
    advise = expected["route_action"] == "advise"
    assert (expected.loc[advise, "status"] == "closed").all()
    assert (expected.loc[advise, "closed"] == expected.loc[advise, "received"]).all(), "answered at once"
    assert (expected.loc[expected["category"] == "suggestion", "status"] != "filed").all()
    # the milestone: only leads handled here, always with a day
    assert (expected["milestone"] != "").any()
    assert (expected["milestone_due"].isna() == (expected["milestone"] == "")).all()
    leads = (expected["route_action"] == "self") & (expected["category"] == "accusation")
    assert set(expected.loc[leads, "milestone"]) == {"disposal_plan"}
    assert (expected.loc[~leads, "milestone"] == "").all()
    assert expected.loc[expected["status"] == "open", "closed"].isna().all()
    assert (expected["received"] == expected["received"].dt.normalize()).all()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings_are_detected(
    encoding: str, items: list[LedgerItem], expected: pd.DataFrame, pack: Pack, tmp_path: Path
) -> None:
    path = tmp_path / f"ledger-{encoding}.csv"
    ledger_table(expected, pack).to_csv(path, index=False, encoding=encoding)
    pd.testing.assert_frame_equal(read_ledger(path, pack), expected)


def test_gb18030_characters_outside_gbk(pack: Pack, tmp_path: Path) -> None:
    name = "王䶮"  # 䶮 (CJK extension A) is in GB18030 but not in GBK
    with pytest.raises(UnicodeEncodeError):
        name.encode("gbk")
    path = tmp_path / "gb18030.csv"
    write_csv(
        path,
        [[*HEAD, "反映人"], ["A1", "2025-09-26", "检举控告", "信访室", "办理中", "2025-10-26", "", name]],
        "gb18030",
    )
    assert read_ledger(path, pack).at[0, "reporter_name"] == name


def test_utf16_with_tabs_as_excel_saves_unicode_text(pack: Pack, tmp_path: Path) -> None:
    path = tmp_path / "unicode.txt"
    rows = [HEAD, ["A1", "2025/9/26", "申诉", "信访室", "已办结", "2025/11/25", "2025/10/9"]]
    path.write_bytes(codecs.BOM_UTF16_LE + "\r\n".join("\t".join(r) for r in rows).encode("utf-16-le"))
    frame = read_ledger(path, pack)
    assert frame.at[0, "closed"] == pd.Timestamp("2025-10-09") and frame.at[0, "category"] == "appeal"


def test_an_ascii_header_with_gbk_text_further_down(pack: Pack, tmp_path: Path) -> None:
    head = ["id", "received", "category", "handler_unit", "status", "due", "closed", "summary"]
    filler = [
        [f"A{i}", "2025-09-26", "accusation", "jc1", "open", "2025-10-26", "", "x"] for i in range(20000)
    ]
    last = ["B1", "2025-09-26", "accusation", "jc1", "open", "2025-10-26", "", "村干部优亲厚友"]
    path = write_csv(tmp_path / "late.csv", [head, *filler, last], "gbk")
    frame = read_ledger(path, pack)
    assert frame["summary"].iat[-1] == "村干部优亲厚友" and len(frame) == 20001


# -- dates ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2025-09-26",
        "2025-9-26",
        "2025/9/26",
        "2025/09/26",
        "2025.9.26",
        "2025年9月26日",
        "2025 年 9 月 26 日",
        "20250926",
        "45926",
        "45926.5",
        "2025-09-26 14:30:00",
        "2025/9/26 8:05",
    ],
)
def test_date_forms_offices_use(text: str, pack: Pack, tmp_path: Path) -> None:
    row = one_row(tmp_path / "dates.csv", pack, 收件日期=text)
    assert row["received"] == pd.Timestamp("2025-09-26")


def test_parse_days_works_on_distinct_values() -> None:
    days, errors = parse_days(["2025-01-31", "", "2025年2月1日", "45689", "x", "2025-02-29"])
    assert [str(d) for d in days] == ["2025-01-31", "NaT", "2025-02-01", "2025-02-01", "NaT", "NaT"]
    assert sorted(errors) == [4, 5] and "no day 29" in errors[5]


def test_excel_date_cells_serial_numbers_and_text(pack: Pack, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "台账"
    sheet.append(HEAD)
    sheet.append(
        ["A1", datetime(2025, 9, 26), "检举控告", "第一纪检监察室", "已办结", 45956, date(2025, 10, 20)]
    )
    sheet.append(["A2", "2025年9月27日", "申诉", "信访室", "办理中", datetime(2025, 11, 26, 9, 30), None])
    sheet.append([3, 45928.0, "批评建议", "信访室", "办理中", "2025.11.27", None])
    path = tmp_path / "dates.xlsx"
    book.save(path)
    frame = read_ledger(path, pack)
    assert frame["id"].tolist() == ["A1", "A2", "3"]
    assert frame["received"].dt.strftime("%Y-%m-%d").tolist() == ["2025-09-26", "2025-09-27", "2025-09-28"]
    assert frame["due"].dt.strftime("%Y-%m-%d").tolist() == ["2025-10-26", "2025-11-26", "2025-11-27"]
    assert frame.at[0, "closed"] == pd.Timestamp("2025-10-20") and frame["closed"].iloc[1:].isna().all()


# -- headers and values -----------------------------------------------------------------------------


def test_header_synonyms_and_label_synonyms(pack: Pack, tmp_path: Path) -> None:
    rows = [
        "序号,受理日期,来源,举报人,被举报人,类别,承办部门,期限,状态,办结时间,摘要".split(","),
        "7,2025/9/1,网上举报,张三,李四,检举,第二纪检监察室,2025/10/1,在办,,反映问题".split(","),
        "8,2025/9/2,上级交办,匿名,,申诉,jc3,2025/10/2,办结,2025/9/30,".split(","),
    ]
    frame = read_ledger(write_csv(tmp_path / "office.csv", rows, "gbk"), pack)
    assert frame["id"].tolist() == ["7", "8"]
    assert frame["channel"].tolist() == ["online", "forwarded"]
    assert frame["reporter_name"].tolist() == ["张三", ""]
    assert frame["category"].tolist() == ["accusation", "appeal"]
    assert frame["handler_unit"].tolist() == ["jc2", "jc3"]
    assert frame["status"].tolist() == ["open", "closed"]
    assert frame["summary"].tolist() == ["反映问题", ""]


def test_headers_are_matched_without_spaces_marks_and_notes(pack: Pack, tmp_path: Path) -> None:
    rows = [
        ["编 号", "*收件日期", "问题类别（必填）", "承办单位", "办理状态", "办理期限(截止日)"],
        ["A1", "2025-09-26", "检举控告", "信访室", "办理中", "2025-10-26"],
    ]
    frame = read_ledger(write_csv(tmp_path / "marks.csv", rows), pack)
    assert frame.at[0, "due"] == pd.Timestamp("2025-10-26")


def test_code_columns_win_over_label_columns(pack: Pack, tmp_path: Path) -> None:
    rows = [
        [*HEAD, "来源渠道", "渠道代码", "承办单位代码", "状态代码"],
        "A1,2025-09-26,检举控告,看代码列,不看,2025-10-26,,来信,visit,jc4,extended".split(","),
    ]
    row = read_ledger(write_csv(tmp_path / "codes.csv", rows), pack).iloc[0]
    assert (row["channel"], row["handler_unit"], row["status"]) == ("visit", "jc4", "extended")


def test_label_cells_may_hold_codes_and_english_labels(pack: Pack, tmp_path: Path) -> None:
    row = one_row(tmp_path / "mixed.csv", pack, 问题类别="Appeal", 承办单位="xfs", 办理状态="OPEN")
    assert (row["category"], row["handler_unit"], row["status"]) == ("appeal", "xfs", "open")


def test_units_by_short_name(pack: Pack, tmp_path: Path) -> None:
    unit = pack.jurisdiction.units[0]
    assert one_row(tmp_path / "short.csv", pack, 承办单位=unit.short)["handler_unit"] == unit.code


def test_deadline_by_name_or_code_or_from_the_pack(pack: Pack, tmp_path: Path) -> None:
    rule = pack.rules.deadlines[0]
    rows = [
        [*HEAD, "分办方式", "问题类型", "时限规则"],
        ["A1", "2025-09-26", "检举控告", "信访室", "办理中", "2025-10-26", "", "本级办理", "", rule.name_zh],
        ["A2", "2025-09-26", "检举控告", "信访室", "办理中", "2025-10-26", "", "本级办理", "", rule.code],
        ["A3", "2025-09-26", "检举控告", "信访室", "办理中", "2025-12-26", "", "本级办理", "", ""],
        [
            "A4",
            "2025-09-26",
            "申诉",
            "信访室",
            "办理中",
            "2025-12-26",
            "",
            "本级办理",
            "discipline_appeal",
            "",
        ],
        [
            "A5",
            "2025-09-26",
            "申诉",
            "信访室",
            "办理中",
            "2025-10-27",
            "",
            "本级办理",
            "对问责决定不服申诉",
            "",
        ],
        ["A6", "2025-09-26", "检举控告", "第一纪检监察室", "办理中", "2025-12-26", "", "交办下级", "", ""],
        ["A7", "2025-09-26", "业务范围外", "信访室", "办理中", "2025-11-26", "", "移送主管部门", "", ""],
        ["A8", "2025-09-26", "检举控告", "信访室", "留存备查", "", "", "登记留存备查", "", ""],
        ["A9", "2025-09-26", "申诉", "信访室", "办理中", "2025-10-26", "", "", "", ""],
    ]
    frame = read_ledger(write_csv(tmp_path / "rules.csv", rows), pack)
    # the pack's ledger_deadlines: by action, else by problem type, else by category
    assert frame["deadline"].tolist() == [
        rule.code,
        rule.code,
        "lead_close",
        "discipline_appeal_close",
        "accountability_appeal_decision",
        "assign_report",
        "petition_close",
        "",
        "",
    ]
    assert pd.isna(frame.at[7, "due"])


def test_a_suggestion_needs_no_due_but_an_accusation_does(pack: Pack, tmp_path: Path) -> None:
    head = [*HEAD, "分办方式"]
    rows = [
        head,
        ["S1", "2025-09-26", "批评建议", "信访室", "办理中", "", "", "本级办理"],
        ["S2", "2025-09-26", "业务范围外", "信访室", "已办结", "", "2025-09-26", "告知向有权机关反映"],
    ]
    frame = read_ledger(write_csv(tmp_path / "suggestion.csv", rows), pack)
    assert frame["deadline"].tolist() == ["", ""]
    assert frame["due"].isna().all()
    rows.append(["A1", "2025-09-26", "检举控告", "第一纪检监察室", "办理中", "", "", "本级办理"])
    from toolkit.errors import LedgerInvalid

    with pytest.raises(LedgerInvalid) as caught:
        read_ledger(write_csv(tmp_path / "accusation.csv", rows), pack)
    assert [(p.row, p.column) for p in caught.value.problems] == [(4, "办理期限")]
    assert "is empty (required unless the item is 留存备查" in caught.value.problems[0].message


def test_a_file_of_suggestions_needs_no_due_column(pack: Pack, tmp_path: Path) -> None:
    rows = [
        ["编号", "收件日期", "问题类别", "承办单位", "办理状态", "分办方式"],
        ["S1", "2025-09-26", "批评建议", "信访室", "办理中", "本级办理"],
    ]
    assert read_ledger(write_csv(tmp_path / "s.csv", rows), pack)["due"].isna().all()
    rows.append(["A1", "2025-09-27", "检举控告", "信访室", "办理中", "本级办理"])
    from toolkit.errors import LedgerInvalid

    with pytest.raises(LedgerInvalid) as caught:
        read_ledger(write_csv(tmp_path / "a.csv", rows), pack)
    (problem,) = caught.value.problems
    assert (problem.row, problem.column) == (1, "办理期限")
    assert "required column is missing: 1 item is tracked against a time limit (the first in row 3" in (
        problem.message
    )


# -- the milestone (节点事项 / 节点期限) ---------------------------------------------------------------


def test_without_milestone_columns_a_lead_gets_its_milestone_from_the_pack(
    pack: Pack, tmp_path: Path
) -> None:
    rows = [
        [*HEAD, "分办方式"],
        # 2025-09-26 + 1 month = 2025-10-26, a Sunday: rolled to Monday 10-27
        ["A1", "2025-09-26", "检举控告", "第一纪检监察室", "办理中", "2025-12-26", "", "本级办理"],
        ["A2", "2025-09-26", "检举控告", "第一纪检监察室", "办理中", "2025-12-26", "", "交办下级"],
        ["A3", "2025-09-26", "批评建议", "信访室", "办理中", "", "", "本级办理"],
    ]
    frame = read_ledger(write_csv(tmp_path / "old.csv", rows), pack)
    assert frame["milestone"].tolist() == ["disposal_plan", "", ""]
    assert frame.at[0, "milestone_due"] == pd.Timestamp("2025-10-27")
    assert frame["milestone_due"].iloc[1:].isna().all()
    assert str(frame["milestone_due"].dtype) == "datetime64[ns]"


def test_milestone_columns_are_read_as_written(pack: Pack, tmp_path: Path) -> None:
    rows = [
        [*HEAD, "分办方式", "节点", "节点日期"],
        [
            "A1",
            "2025-09-26",
            "检举控告",
            "信访室",
            "办理中",
            "2025-12-26",
            "",
            "本级办理",
            "提出线索处置意见",
            "2025/10/20",
        ],
        [
            "A2",
            "2025-09-26",
            "检举控告",
            "信访室",
            "办理中",
            "2025-12-26",
            "",
            "本级办理",
            "disposal_plan",
            "",
        ],
        ["A3", "2025-09-26", "检举控告", "信访室", "办理中", "2025-12-26", "", "本级办理", "", ""],
    ]
    frame = read_ledger(write_csv(tmp_path / "m.csv", rows), pack)
    assert frame["milestone"].tolist() == ["disposal_plan", "disposal_plan", ""]
    assert frame.at[0, "milestone_due"] == pd.Timestamp("2025-10-20"), "as written"
    assert frame.at[1, "milestone_due"] == pd.Timestamp("2025-10-27"), "an empty cell: from the rule"
    assert pd.isna(frame.at[2, "milestone_due"])


def test_a_milestone_day_without_a_milestone_or_before_receipt_is_a_problem(
    pack: Pack, tmp_path: Path
) -> None:
    rows = [
        [*HEAD, "节点事项", "节点期限"],
        ["A1", "2025-09-26", "检举控告", "信访室", "办理中", "2025-12-26", "", "", "2025-10-20"],
        ["A2", "2025-09-26", "检举控告", "信访室", "办理中", "2025-12-26", "", "disposal_plan", "2025-09-01"],
        ["A3", "2025-09-26", "检举控告", "信访室", "办理中", "2025-12-26", "", "三天后", ""],
    ]
    from toolkit.errors import LedgerInvalid

    with pytest.raises(LedgerInvalid) as caught:
        read_ledger(write_csv(tmp_path / "bad.csv", rows), pack)
    found = [(p.row, p.column, p.message) for p in caught.value.problems]
    assert [(r, c) for r, c, _ in found] == [(2, "节点期限"), (3, "节点期限"), (4, "节点事项")]
    assert "2025-10-20 is given, but the item has no 节点事项" in found[0][2]
    assert "2025-09-01 is before the 收件日期 2025-09-26" in found[1][2]
    assert "unknown time-limit rule '三天后'" in found[2][2]


def test_flags_in_any_separator_become_codes(pack: Pack, tmp_path: Path) -> None:
    row = one_row(tmp_path / "flags.csv", pack, 标记="实名，重复件; repeat 冒名/贴牌")
    assert row["flags"] == "real_name,repeat,impersonation"


def test_title_rows_notes_and_blank_rows(pack: Pack, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["清河区纪委监委信访举报台账（2025年）"])
    sheet.merge_cells("A1:H1")
    sheet.append([*HEAD, "备注"])
    sheet.append(["A1", "2025-09-26", "检举控告", "信访室", "办理中", "2025-10-26", None, "催办"])
    sheet.append([None] * 8)
    sheet.append(["A2", "2025-09-27", "检举控告", "信访室", "办理中", "2025-09-01", None, None])
    path = tmp_path / "titled.xlsx"
    book.save(path)
    from toolkit.errors import LedgerInvalid

    with pytest.raises(LedgerInvalid) as caught:
        read_ledger(path, pack)
    assert [(p.row, p.column) for p in caught.value.problems] == [(5, "办理期限")], "rows as Excel shows them"
    sheet["F5"] = "2025-10-27"
    book.save(path)
    frame = read_ledger(path, pack)
    assert frame["id"].tolist() == ["A1", "A2"]
    assert frame.attrs["notes"] == [
        "row 1 above the header row was skipped (a title)",
        "columns not used: 备注",
        "1 blank row skipped",
    ]


def test_progress_is_reported_to_the_end(pack: Pack, tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    path = write_csv(
        tmp_path / "p.csv", [HEAD, ["A1", "2025-09-26", "检举控告", "信访室", "办理中", "2025-10-26", ""]]
    )
    read_ledger(path, pack, progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (0, calls[0][1]) and calls[-1] == (calls[-1][1], calls[-1][1])
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_synonyms_not_read_and_repeated_unknown_columns_are_notes(pack: Pack, tmp_path: Path) -> None:
    rows = [
        [*HEAD, "来源渠道", "渠道", "备注", "备注"],
        ["A1", "2025-09-26", "检举控告", "信访室", "办理中", "2025-10-26", "", "来信", "来访", "", "x"],
    ]
    frame = read_ledger(write_csv(tmp_path / "notes.csv", rows), pack)
    assert frame.at[0, "channel"] == "letter"
    assert frame.attrs["notes"] == [
        "渠道 not read: 来源渠道 is read for the same column",
        "columns not used: 备注",
    ]


def test_every_frame_column_has_a_header() -> None:
    assert [f.name for f in FIELDS] == list(LEDGER_COLUMNS)
    headers = [h for f in FIELDS for h in (*f.headers, f.code_header) if h]
    assert len(headers) == len(set(headers)), "a header names one column only"


def test_a_large_generated_csv_reads_through_the_vectorised_path(
    generator: CaseGenerator, pack: Pack, tmp_path: Path
) -> None:
    items = list(ledger_items(generator, 5, 3000))
    expected = ledger_frame(items, pack=pack)
    path = tmp_path / "big.csv"
    ledger_table(expected, pack).to_csv(path, index=False, encoding="gbk")
    frame = read_ledger(path, pack)
    pd.testing.assert_frame_equal(frame, expected)
    assert np.array_equal(frame["due"].isna().to_numpy(), (frame["deadline"] == "").to_numpy())
    assert np.array_equal(frame["milestone_due"].isna().to_numpy(), (frame["milestone"] == "").to_numpy())


def test_json_lines_without_milestone_keys_get_the_derived_milestone(
    items: list[LedgerItem], expected: pd.DataFrame, pack: Pack, tmp_path: Path
) -> None:
    import json

    path = tmp_path / "older.jsonl"
    lines = []
    for it in items:
        data = it.to_dict()
        del data["milestone"], data["milestone_due"]
        lines.append(json.dumps(data, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    frame = read_ledger(path, pack)
    pd.testing.assert_frame_equal(frame, expected)
    assert frame.attrs["notes"] == []
