"""``xfkit ledger import``: a summary for a good ledger, one line per problem (exit 2) for a bad one."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from toolkit.cli import main
from toolkit.domain.codes import ItemStatus
from toolkit.generate.cases import CaseGenerator
from toolkit.generate.ledger import ledger_items
from toolkit.ledger.export import write_ledger
from toolkit.packs import Pack

ROOT = Path(__file__).resolve().parents[1]
HEAD = "编号,收件日期,问题类别,承办单位,办理状态,办理期限,办结日期\n"


@pytest.fixture
def good(generator: CaseGenerator, pack: Pack, tmp_path: Path) -> Path:
    path = tmp_path / "good.csv"
    write_ledger(ledger_items(generator, 9, 150), pack, path)
    return path


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    path = tmp_path / "bad.csv"
    rows = [
        "A1,2025-09-26,检举控告,第一纪检监察室,办理中,2025-10-26,",
        "A1,2025-13-40,检举控告,第一纪检监察室,已办结,2025-10-26,",
        "A3,2025-09-26,举报信,第一纪检监察室,办理中,2025-10-26,",
    ]
    path.write_bytes((HEAD + "\n".join(rows) + "\n").encode("gbk"))
    return path


def test_a_good_ledger_is_summarised(good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ledger", "import", str(good)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{good}: 150 rows, no problems (pack default@2.0.0)")
    for status in ItemStatus:
        assert status.zh in out
    assert "by handling unit" in out


def test_json_summary_counts_every_row(good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ledger", "import", str(good), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is True and data["rows"] == 150 and data["pack"] == "default@2.0.0"
    assert list(data["status"]) == [s.value for s in ItemStatus]
    assert sum(data["status"].values()) == 150 == sum(data["units"].values())
    assert data["notes"] == []


def test_problems_one_per_line_and_exit_2(bad: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ledger", "import", str(bad)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert lines == [
        f"xfkit: {bad}:row 3: 编号: duplicate id 'A1': also in row 2",
        f"xfkit: {bad}:row 3: 收件日期: '2025-13-40' is not a real day: there is no month 13",
        f"xfkit: {bad}:row 3: 办结日期: is empty, but 办理状态 is 已办结",
        f"xfkit: {bad}:row 4: 问题类别: unknown category '举报信'; allowed: 检举控告, 申诉, 批评建议, "
        "业务范围外 (or the codes accusation, appeal, suggestion, out_of_scope)",
        f"xfkit: {bad}: 4 problem(s); nothing was imported",
    ]


def test_problems_as_json(bad: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ledger", "import", str(bad), "--json"]) == 2
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False and data["file"] == str(bad)
    assert data["problems"][0] == {"row": 3, "column": "编号", "message": "duplicate id 'A1': also in row 2"}
    assert len(data["problems"]) == 4


def test_a_missing_file_and_an_empty_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ledger", "import", str(tmp_path / "nope.xlsx")]) == 2
    assert capsys.readouterr().err.splitlines()[0] == f"xfkit: {tmp_path / 'nope.xlsx'}: no such file"
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert main(["ledger", "import", str(empty)]) == 2
    assert "the file is empty" in capsys.readouterr().err


def test_an_unknown_pack_is_a_data_error(good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ledger", "import", str(good), "--pack", "no-such-pack"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("xfkit: ") and "Traceback" not in err


def test_the_group_without_a_command_shows_its_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ledger"]) == 2
    assert "import" in capsys.readouterr().err


def test_the_command_runs_as_a_user_would(bad: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "toolkit.cli", "ledger", "import", str(bad)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1] == f"xfkit: {bad}: 4 problem(s); nothing was imported"


def test_a_suggestion_needs_no_due_date_an_accusation_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mixed.csv"
    head = HEAD.rstrip("\n") + ",分办方式\n"
    suggestion = "S1,2025-09-26,批评建议,信访室,办理中,,,本级办理\n"
    path.write_text(head + suggestion, encoding="utf-8")
    assert main(["ledger", "import", str(path)]) == 0
    capsys.readouterr()
    path.write_text(
        head + suggestion + "A1,2025-09-26,检举控告,第一纪检监察室,办理中,,,本级办理\n", encoding="utf-8"
    )
    assert main(["ledger", "import", str(path)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"xfkit: {path}:row 3: 办理期限: is empty (required unless the item is 留存备查 or no time limit "
        "applies to its 分办方式 and 问题类别)",
        f"xfkit: {path}: 1 problem(s); nothing was imported",
    ]
