"""``xfkit ledger cards``: counts per colour and unit, the items file, one-line errors.

Ledgers are written with :func:`toolkit.ledger.export.write_ledger` from generated items and read back by
the command through :func:`toolkit.ledger.importer.read_ledger`. Expected counts are computed here from
the items themselves with the scalar :meth:`CardScheme.color`, not with the vectorised code under test.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from toolkit.cli import main
from toolkit.domain.codes import CardColor, ItemStatus
from toolkit.domain.models import LedgerItem
from toolkit.generate.cases import CaseGenerator
from toolkit.generate.ledger import ledger_items
from toolkit.ledger.export import write_ledger
from toolkit.packs import Pack

ROOT = Path(__file__).resolve().parents[1]
GENERATED_AS_OF = date(2026, 3, 31)
TODAY = "2026-04-10"


@pytest.fixture(scope="module")
def items(generator: CaseGenerator) -> list[LedgerItem]:
    return list(ledger_items(generator, 9, 400, GENERATED_AS_OF))


@pytest.fixture
def ledger_csv(tmp_path: Path, items: list[LedgerItem], pack: Pack) -> Path:
    path = tmp_path / "ledger.csv"
    write_ledger(items, pack, path)
    return path


def expected_counts(
    items: list[LedgerItem], pack: Pack, scheme: str, today: date
) -> Counter[tuple[str, str]]:
    """(unit, colour) → count, item by item with the scalar rule."""
    s = pack.rules.card_scheme(scheme)
    out: Counter[tuple[str, str]] = Counter()
    for it in items:
        if it.status in (ItemStatus.OPEN, ItemStatus.EXTENDED) and it.due is not None:
            color = s.color(it.due, today)
            if color is not None:
                out[(it.handler_unit, color.value)] += 1
    return out


@pytest.mark.parametrize("scheme", ["three", "four"])
def test_json_counts_per_colour_and_unit(
    capsys: pytest.CaptureFixture[str], ledger_csv: Path, items: list[LedgerItem], pack: Pack, scheme: str
) -> None:
    code = main(["ledger", "cards", str(ledger_csv), "--today", TODAY, "--scheme", scheme, "--json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    data = json.loads(out.out)
    assert set(data) == {"as_of", "scheme", "counts", "units", "unknown_workdays"}
    assert data["as_of"] == TODAY and data["scheme"] == scheme
    colours = [b.color.value for b in pack.rules.card_scheme(scheme).bands]
    assert list(data["counts"]) == colours  # the scheme's band order
    want = expected_counts(items, pack, scheme, date.fromisoformat(TODAY))
    for colour in colours:
        assert data["counts"][colour] == sum(n for (_, c), n in want.items() if c == colour)
    assert data["counts"]["red"] > 0
    assert set(data["units"]) == {it.handler_unit for it in items}  # every unit, zeros included
    for unit, row in data["units"].items():
        assert row["name"] == pack.jurisdiction.name(unit)
        assert [k for k in row if k != "name"] == colours
        for colour in colours:
            assert row[colour] == want[(unit, colour)]
    assert data["unknown_workdays"] == 0


def test_text_lists_colours_and_units(
    capsys: pytest.CaptureFixture[str], ledger_csv: Path, items: list[LedgerItem], pack: Pack
) -> None:
    assert main(["ledger", "cards", str(ledger_csv), "--today", TODAY, "--scheme", "three"]) == 0
    text = capsys.readouterr().out
    assert TODAY in text and "红橙黄三色牌督办" in text
    for label in ("红牌", "橙牌", "黄牌"):
        assert label in text
    busiest = Counter(it.handler_unit for it in items).most_common(1)[0][0]
    assert pack.jurisdiction.name(busiest) in text
    assert "unknown" not in text


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_out_writes_every_item_with_its_card(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    ledger_csv: Path,
    items: list[LedgerItem],
    pack: Pack,
    suffix: str,
) -> None:
    out = tmp_path / f"cards{suffix}"
    args = ["ledger", "cards", str(ledger_csv), "--today", TODAY, "--scheme", "four", "--out", str(out)]
    assert main(args) == 0, capsys.readouterr().err
    if suffix == ".csv":
        written = pd.read_csv(out, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    else:
        written = pd.read_excel(out, dtype=str, keep_default_na=False)
    assert len(written) == len(items)
    for header in ("编号", "督办牌", "剩余天数", "剩余工作日", "超期天数"):
        assert header in written.columns
    today = date.fromisoformat(TODAY)
    scheme = pack.rules.card_scheme("four")
    by_id = {row["编号"]: row for row in written.to_dict("records")}
    for it in items:
        row = by_id[it.id]
        if it.status in (ItemStatus.OPEN, ItemStatus.EXTENDED) and it.due is not None:
            color = scheme.color(it.due, today)
            assert row["督办牌"] == ("" if color is None else CardColor(color).zh)
            assert int(row["剩余天数"]) == (it.due - today).days
            assert int(row["超期天数"]) == max((today - it.due).days, 0)
        else:  # closed, filed, or without a limit (an open suggestion)
            assert row["督办牌"] == "" and row["剩余天数"] == "" and row["超期天数"] == ""
    assert any(it.status is ItemStatus.OPEN and it.due is None for it in items), "an open suggestion"


def test_due_dates_without_holiday_data_are_reported(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, items: list[LedgerItem], pack: Pack
) -> None:
    """Items due in 2027 (no holiday data yet) keep their card; their working days are unknown, as said."""
    base = next(it for it in items if it.status is ItemStatus.CLOSED)
    later = [
        dataclasses.replace(
            base, id=f"X{k}", deadline="report_up", due=due, status=ItemStatus.OPEN, closed=None
        )
        for k, due in enumerate([date(2027, 1, 4), date(2027, 1, 20), date(2026, 12, 31)])
    ]
    path = tmp_path / "late.csv"
    write_ledger([*items, *later], pack, path)
    today = "2026-12-20"
    assert main(["ledger", "cards", str(path), "--today", today, "--json"]) == 0
    out = capsys.readouterr()
    data = json.loads(out.out)
    assert data["unknown_workdays"] == 2
    assert data["counts"]["orange"] >= 2  # 2027-01-04 is 15 days on, 2026-12-31 11 days
    assert "2 " in out.err and "working days" in out.err

    assert main(["ledger", "cards", str(path), "--today", today]) == 0
    text = capsys.readouterr().out
    assert "working days" in text and "unknown" in text


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--today", "2026-13-01"], "YYYY-MM-DD"),
        (["--today", "yesterday"], "YYYY-MM-DD"),
        ([], "--today"),
    ],
)
def test_bad_arguments_give_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], ledger_csv: Path, args: list[str], needle: str
) -> None:
    with pytest.raises(SystemExit) as exc:
        code = main(["ledger", "cards", str(ledger_csv), *args])
        raise SystemExit(code)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert needle in err
    assert len(err.strip().splitlines()) == 1


def test_unknown_scheme_names_the_known_ones(capsys: pytest.CaptureFixture[str], ledger_csv: Path) -> None:
    assert main(["ledger", "cards", str(ledger_csv), "--today", TODAY, "--scheme", "five"]) == 2
    err = capsys.readouterr().err
    assert "three" in err and "four" in err and len(err.strip().splitlines()) == 1


def test_invalid_ledger_lists_its_problems_and_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, ledger_csv: Path
) -> None:
    frame = pd.read_csv(ledger_csv, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    frame.loc[0, "收件日期"] = "2026-02-30"
    frame.loc[3, "状态代码"] = "lost"
    bad = tmp_path / "bad.csv"
    frame.to_csv(bad, index=False, encoding="utf-8-sig")
    assert main(["ledger", "cards", str(bad), "--today", TODAY]) == 2
    err = capsys.readouterr().err
    assert "bad.csv:row 2" in err and "bad.csv:row 5" in err
    assert "Traceback" not in err


def test_help_in_a_fresh_process() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "toolkit.cli", "ledger", "cards", "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    for word in ("--today", "--scheme", "--json", "--out", "--pack"):
        assert word in result.stdout
