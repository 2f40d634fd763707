"""``xfkit competition create|export``: a competition stored with its code, its results written to Excel."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from toolkit.cli import main
from toolkit.store import Store


def _db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'c.sqlite3'}"


def test_create_prints_the_code_and_export_writes_the_workbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _db(tmp_path)
    argv = ["competition", "create", "--name", "擂台赛", "--seed", "7", "--db", db]
    assert main([*argv, "--rounds", "intake:2,quiz:5", "--minutes", "15,10", "--variants"]) == 0
    out = capsys.readouterr().out
    with Store.open(db) as store:
        (record,) = store.competitions()
    assert record.code in out and "contest.ipynb?code=" in out and "board.ipynb?code=" in out
    assert record.payload["variants"] is True
    assert [r["kind"] for r in record.payload["rounds"]] == ["intake", "quiz"]
    target = tmp_path / "results.xlsx"
    assert main(["competition", "export", record.code, "--out", str(target), "--db", db]) == 0
    book = openpyxl.load_workbook(io.BytesIO(target.read_bytes()))
    assert book.sheetnames == ["排名", "各轮成绩", "逐题作答", "比赛信息"]


@pytest.mark.parametrize(
    ("rounds", "minutes", "needle"),
    [
        ("essay:3", "10", "essay"),
        ("quiz:5,intake:2", "10", "minutes"),
        ("quiz:0", "10", "quiz"),
    ],
)
def test_bad_rounds_exit_2_naming_the_part(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], rounds: str, minutes: str, needle: str
) -> None:
    argv = ["competition", "create", "--name", "x", "--seed", "1", "--db", _db(tmp_path)]
    assert main([*argv, "--rounds", rounds, "--minutes", minutes]) == 2
    assert needle in capsys.readouterr().err


def test_export_of_an_unknown_competition_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["competition", "export", "NOPE", "--out", str(tmp_path / "r.xlsx"), "--db", _db(tmp_path)]) == 2
    )
    assert "NOPE" in capsys.readouterr().err
    assert not (tmp_path / "r.xlsx").exists()
