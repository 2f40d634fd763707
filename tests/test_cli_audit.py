"""``xfkit audit``: sample a ledger, assign cross reviewers, create an audit in the store, report it."""

from __future__ import annotations

import contextlib
import csv
import io
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from toolkit.audit.model import Deduction, Review
from toolkit.audit.review import score_review
from toolkit.audit.setup import demo_reviewers
from toolkit.cli import EXIT_DATA, EXIT_USAGE, main
from toolkit.generate.cases import CaseGenerator
from toolkit.generate.ledger import ledger_items
from toolkit.ledger.export import write_ledger
from toolkit.ledger.importer import read_ledger
from toolkit.packs import Pack
from toolkit.store import Store, Submission

SAMPLE_ARGS = ["--by", "unit", "--rate", "0.1", "--min-per-stratum", "2", "--seed", "1"]
ASSIGNMENT_HEADER = ["编号", "承办单位", "单位代码", "评查人员", "评查人员单位"]
BAD_LEDGER_HEAD = "编号,收件日期,问题类别,承办单位,办理状态,办理期限,办结日期\n"
AUDIT_NAME = "2025年第四季度交叉评查"


def _run(args: Sequence[str]) -> tuple[int, str]:
    """Exit code and standard output of ``xfkit args`` (for module fixtures, where capsys is not at hand)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(list(args))
    return code, out.getvalue()


def _usage_error(args: Sequence[str]) -> int | str | None:
    """The exit code of an argparse refusal (argparse exits instead of returning)."""
    with pytest.raises(SystemExit) as exc:
        raise SystemExit(main(list(args)))
    return exc.value.code


def _write_reviewers(
    path: Path, header: str, rows: Sequence[tuple[str, str]], encoding: str = "utf-8"
) -> Path:
    text = header + "\n" + "".join(f"{name},{unit}\n" for name, unit in rows)
    path.write_bytes(text.encode(encoding))
    return path


def _assignment_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == ASSIGNMENT_HEADER
        return list(reader)


def _scorer(review: Review, pack: Pack) -> Callable[[Submission], dict[str, Any]]:
    """The score function the review page hands to ``Store.save_review``."""

    def score(_submission: Submission) -> dict[str, Any]:
        return score_review(review, pack.audit_rubric).to_dict()

    return score


@pytest.fixture(scope="module")
def population(tmp_path_factory: pytest.TempPathFactory, generator: CaseGenerator, pack: Pack) -> Path:
    path = tmp_path_factory.mktemp("population") / "ledger.csv"
    write_ledger(ledger_items(generator, 9, 300), pack, path)
    return path


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory, population: Path) -> Path:
    out = tmp_path_factory.mktemp("sample") / "s.csv"
    code, _ = _run(["audit", "sample", str(population), *SAMPLE_ARGS, "--out", str(out)])
    assert code == 0
    return out


@pytest.fixture(scope="module")
def sample_units(sample: Path, pack: Pack) -> list[str]:
    """Codes of the units that handled sampled items, in first-seen order."""
    return list(dict.fromkeys(read_ledger(sample, pack)["handler_unit"]))


# ---- audit sample --------------------------------------------------------------------------------------


# with a minimum of 6, the strata of 2 and 5 items are taken whole
@pytest.mark.parametrize(("rate", "minimum"), [(0.1, 2), (0.05, 6)])
def test_sample_draws_the_rate_per_unit_with_a_minimum(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    population: Path,
    pack: Pack,
    rate: float,
    minimum: int,
) -> None:
    out = tmp_path / "s.csv"
    args = ["--by", "unit", "--rate", str(rate), "--min-per-stratum", str(minimum), "--seed", "1"]
    assert main(["audit", "sample", str(population), *args, "--out", str(out)]) == 0
    stdout = capsys.readouterr().out

    whole = read_ledger(population, pack)
    drawn = read_ledger(out, pack)
    assert set(drawn["id"]) <= set(whole["id"])
    assert drawn["id"].is_unique
    # the sampled rows are the population's rows, unchanged
    by_id = whole.set_index("id")
    for column in ("handler_unit", "category", "status", "reporter_name", "summary"):
        assert list(drawn[column]) == list(by_id.loc[list(drawn["id"]), column])

    sizes = Counter(whole["handler_unit"])
    got = Counter(drawn["handler_unit"])
    per = round(1 / rate)
    expected = {unit: min(n_h, max(math.ceil(n_h / per), minimum)) for unit, n_h in sizes.items()}
    assert dict(got) == expected
    assert len(drawn) == sum(expected.values())

    assert f"population {len(whole)}, sample {len(drawn)} (rate)" in stdout
    formula = f"n_h = max(⌈{rate:.2f} × N_h⌉, {minimum}), capped at N_h; n = Σ n_h = {len(drawn)}"
    assert formula in stdout
    for unit, n_h in sizes.items():
        line = rf"^{re.escape(pack.jurisdiction.name(unit))}\s+{n_h}\s+{expected[unit]}$"
        assert re.search(line, stdout, flags=re.MULTILINE), (unit, stdout)


def test_the_same_command_gives_the_same_file_and_another_seed_another_sample(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, population: Path, sample: Path, pack: Pack
) -> None:
    again = tmp_path / "again.csv"
    assert main(["audit", "sample", str(population), *SAMPLE_ARGS, "--out", str(again)]) == 0
    assert again.read_bytes() == sample.read_bytes()

    other = tmp_path / "other.csv"
    args = [*SAMPLE_ARGS[:-1], "2"]
    assert main(["audit", "sample", str(population), *args, "--out", str(other)]) == 0
    first, second = read_ledger(sample, pack), read_ledger(other, pack)
    assert len(first) == len(second)  # the sizes depend on the strata, not the seed
    assert set(first["id"]) != set(second["id"])


def test_sample_by_confidence_prints_cochrans_working(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, population: Path, pack: Pack
) -> None:
    out = tmp_path / "s.csv"
    args = ["--confidence", "0.95", "--margin", "0.05", "--seed", "1", "--out", str(out)]
    assert main(["audit", "sample", str(population), *args]) == 0
    stdout = capsys.readouterr().out
    assert "n0 =" in stdout
    n_pop = len(read_ledger(population, pack))
    n0 = 1.959963984540054**2 * 0.25 / 0.05**2
    size = math.ceil(n0 / (1 + (n0 - 1) / n_pop))
    assert len(read_ledger(out, pack)) == size
    assert f"population {n_pop}, sample {size} (confidence)" in stdout


def test_a_ledger_with_problems_is_listed_and_nothing_is_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    rows = [
        "A1,2025-09-26,检举控告,第一纪检监察室,办理中,2025-10-26,",
        "A1,2025-13-40,检举控告,第一纪检监察室,已办结,2025-10-26,",
        "A3,2025-09-26,举报信,第一纪检监察室,办理中,2025-10-26,",
    ]
    bad.write_bytes((BAD_LEDGER_HEAD + "\n".join(rows) + "\n").encode("gbk"))
    out = tmp_path / "s.csv"
    assert main(["audit", "sample", str(bad), *SAMPLE_ARGS, "--out", str(out)]) == EXIT_USAGE
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"xfkit: {bad}:row 3: 编号: duplicate id 'A1': also in row 2" in captured.err
    assert f"xfkit: {bad}:row 4: 问题类别:" in captured.err
    assert "nothing was written" in captured.err
    assert "Traceback" not in captured.err
    assert not out.exists()


def test_a_sample_is_written_as_csv_or_xlsx_only(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, population: Path
) -> None:
    out = tmp_path / "x.json"
    assert main(["audit", "sample", str(population), *SAMPLE_ARGS, "--out", str(out)]) == EXIT_USAGE
    assert ".csv or .xlsx" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--rate", "0", "--seed", "1"], "rate must be above 0"),
        (["--rate", "1.5", "--seed", "1"], "rate must be above 0 and at most 1"),
        (["--rate", "0.1", "--by", "nonsense", "--seed", "1"], "cannot stratify by nonsense"),
        (["--rate", "0.1", "--confidence", "0.95", "--seed", "1"], "not allowed with"),
        (["--seed", "1"], "--rate"),
    ],
)
def test_bad_sampling_arguments_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, population: Path, args: list[str], needle: str
) -> None:
    out = tmp_path / "s.csv"
    assert _usage_error(["audit", "sample", str(population), *args, "--out", str(out)]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert needle in err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()


@pytest.mark.parametrize(
    "args",
    [
        ["--confidence", "1"],
        ["--confidence", "0.95", "--margin", "1"],
        ["--rate", "0.1", "--by", "unit,unit"],
    ],
    ids=["confidence-1", "margin-1", "unit-twice"],
)
def test_impossible_sampling_options_are_usage_errors(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, population: Path, args: list[str]
) -> None:
    out = tmp_path / "s.csv"
    assert _usage_error(["audit", "sample", str(population), *args, "--seed", "1", "--out", str(out)]) == 2


# ---- audit assign --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("header", "as_names"), [("姓名,单位", True), ("name,unit", False)])
def test_assign_gives_k_reviewers_per_item_and_no_self_review(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    sample: Path,
    sample_units: list[str],
    pack: Pack,
    header: str,
    as_names: bool,
) -> None:
    # reviewers from six of the units that handled sampled items, so self-review is possible
    units = sample_units[:6]
    names = [f"评查员{n}" for n in range(len(units))]
    given = [pack.jurisdiction.name(u) if as_names else u for u in units]
    reviewers = _write_reviewers(tmp_path / "r.csv", header, list(zip(names, given, strict=True)))
    out = tmp_path / "a.csv"
    args = ["audit", "assign", str(sample), "--reviewers", str(reviewers), "--k", "2", "--seed", "1"]
    assert main([*args, "--out", str(out)]) == 0, capsys.readouterr().err

    code_of = dict(zip(names, units, strict=True))
    frame = read_ledger(sample, pack)
    handled = dict(zip(frame["id"], frame["handler_unit"], strict=True))
    rows = _assignment_rows(out)
    per_item: dict[str, list[str]] = {}
    for row in rows:
        per_item.setdefault(row["编号"], []).append(row["评查人员"])
        assert row["单位代码"] == handled[row["编号"]]
        assert row["承办单位"] == pack.jurisdiction.name(handled[row["编号"]])
        assert row["评查人员单位"] not in (row["单位代码"], row["承办单位"])
        assert code_of[row["评查人员"]] != handled[row["编号"]]
    assert set(per_item) == set(handled)
    assert all(len(who) == 2 == len(set(who)) for who in per_item.values())
    stdout = capsys.readouterr().out
    assert f"{len(handled)} items × 2 reviewers over {len(names)} reviewers" in stdout


def test_assign_evens_the_loads_when_everyone_may_review_everything(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, sample: Path, sample_units: list[str], pack: Pack
) -> None:
    j = pack.jurisdiction
    taken = set(sample_units) | {j.name(u) for u in sample_units}
    outside = [u for u in sorted(j.codes()) if u not in taken and j.name(u) not in taken][:5]
    assert len(outside) == 5
    rows = [(f"评查员{n}", unit) for n, unit in enumerate(outside)]
    reviewers = _write_reviewers(tmp_path / "r.csv", "name,unit", rows)
    out = tmp_path / "a.csv"
    args = ["audit", "assign", str(sample), "--reviewers", str(reviewers), "--k", "3", "--seed", "4"]
    assert main([*args, "--out", str(out)]) == 0, capsys.readouterr().err

    assigned = _assignment_rows(out)
    items = len(read_ledger(sample, pack))
    assert len(assigned) == 3 * items
    loads = Counter(row["评查人员"] for row in assigned)
    assert set(loads) == {name for name, _ in rows}
    assert max(loads.values()) - min(loads.values()) <= 1


def test_assign_reads_a_gbk_reviewers_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, sample: Path, sample_units: list[str], pack: Pack
) -> None:
    rows = [(f"评查员{n}", pack.jurisdiction.name(u)) for n, u in enumerate(sample_units[:4])]
    reviewers = _write_reviewers(tmp_path / "r.csv", "姓名,单位", rows, encoding="gbk")
    out = tmp_path / "a.csv"
    args = ["audit", "assign", str(sample), "--reviewers", str(reviewers), "--k", "2", "--seed", "1"]
    assert main([*args, "--out", str(out)]) == 0, capsys.readouterr().err
    assigned = _assignment_rows(out)
    assert {row["评查人员"] for row in assigned} == {name for name, _ in rows}
    assert all(row["评查人员单位"] != row["承办单位"] for row in assigned)


def test_too_few_reviewers_outside_a_unit_exits_1_naming_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, sample: Path, sample_units: list[str], pack: Pack
) -> None:
    crowded, other = sample_units[0], sample_units[1]
    rows = [("甲", crowded), ("乙", pack.jurisdiction.name(crowded)), ("丙", crowded), ("丁", other)]
    reviewers = _write_reviewers(tmp_path / "r.csv", "name,unit", rows)
    out = tmp_path / "a.csv"
    args = ["audit", "assign", str(sample), "--reviewers", str(reviewers), "--k", "2", "--seed", "1"]
    assert main([*args, "--out", str(out)]) == EXIT_DATA
    err = capsys.readouterr().err
    assert f"unit {pack.jurisdiction.name(crowded)} ({crowded})" in err
    assert "2 reviewers" in err and "only 1" in err
    assert "Traceback" not in err
    assert not out.exists()


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("name,unit\n甲,xfs\n乙,jc1\n甲,jc2\n", "row 4: name 甲 is already on row 2"),
        ("name,unit\n甲,xfs\n乙,\n", "row 3: unit is empty"),
        ("name,dept\n甲,xfs\n", "row 1: no unit column"),
    ],
    ids=["duplicate-name", "empty-unit", "no-unit-column"],
)
def test_a_bad_reviewers_file_is_refused_naming_file_and_row(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, sample: Path, text: str, where: str
) -> None:
    reviewers = tmp_path / "reviewers.csv"
    reviewers.write_text(text, encoding="utf-8")
    out = tmp_path / "a.csv"
    args = ["audit", "assign", str(sample), "--reviewers", str(reviewers), "--k", "1", "--seed", "1"]
    assert main([*args, "--out", str(out)]) == EXIT_DATA
    err = capsys.readouterr().err
    assert f"xfkit: {reviewers}: {where}" in err
    assert not out.exists()


def test_an_assignment_is_written_as_csv_only(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, sample: Path
) -> None:
    reviewers = _write_reviewers(tmp_path / "r.csv", "name,unit", [("甲", "t01"), ("乙", "t02")])
    out = tmp_path / "a.xlsx"
    args = ["audit", "assign", str(sample), "--reviewers", str(reviewers), "--seed", "1"]
    assert main([*args, "--out", str(out)]) == EXIT_USAGE
    assert "as .csv" in capsys.readouterr().err
    assert not out.exists()


# ---- audit create and audit report ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def created(tmp_path_factory: pytest.TempPathFactory, pack: Pack) -> tuple[str, str, str]:
    """An audit of 30 generated dossiers in a fresh SQLite store: (store URL, audit id, stdout)."""
    folder = tmp_path_factory.mktemp("create")
    reviewers = folder / "reviewers.csv"
    _write_reviewers(reviewers, "name,unit", [(r.name, r.unit) for r in demo_reviewers(pack)])
    url = f"sqlite:///{(folder / 'x.sqlite3').as_posix()}"
    args = ["--dossiers", "30", "--rate", "0.5", "--seed", "3", "--reviewers", str(reviewers)]
    code, stdout = _run(["audit", "create", *args, "--db", url, "--name", AUDIT_NAME])
    assert code == 0
    found = re.search(r"^audit (AU-[0-9A-F]{8}): (\d+) items", stdout, flags=re.MULTILINE)
    assert found is not None, stdout
    return url, found.group(1), stdout


def test_create_stores_the_audit_and_prints_each_reviewers_link(
    created: tuple[str, str, str], pack: Pack
) -> None:
    url, audit_id, stdout = created
    with Store.open(url) as store:
        audit = store.audit(audit_id)
        assert [r.id for r in store.audits()] == [audit_id]
    assert audit is not None
    assert audit.name == AUDIT_NAME and audit.pack == pack.ref and audit.source == "dossiers:30"
    assert len(audit.items) == 15 == audit.sample.rule.size and audit.sample.rule.population == 30
    assert f"audit {audit_id}: 15 items, 8 reviewers, k = 2" in stdout
    for reviewer in audit.reviewers:
        assert f"audit.ipynb?audit={audit_id}&r={audit.tokens[reviewer.name]}" in stdout
    links = [line for line in stdout.splitlines() if "audit.ipynb?audit=" in line]
    assert len(links) == 8 and all("&r=" in line for line in links)


def test_create_from_a_ledger_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, sample: Path, pack: Pack
) -> None:
    reviewers = _write_reviewers(
        tmp_path / "r.csv", "姓名,单位", [("甲", "t01"), ("乙", "t02"), ("丙", "xfs")]
    )
    url = f"sqlite:///{(tmp_path / 'x.sqlite3').as_posix()}"
    args = [
        "--ledger",
        str(sample),
        "--by",
        "unit",
        "--rate",
        "1",
        "--seed",
        "5",
        "--reviewers",
        str(reviewers),
    ]
    assert main(["audit", "create", *args, "--db", url, "--name", "台账评查"]) == 0, capsys.readouterr().err
    with Store.open(url) as store:
        (record,) = store.audits()
        audit = store.audit(record.id)
    assert audit is not None and audit.source == f"ledger:{sample.name}"
    frame = read_ledger(sample, pack)
    assert [i.id for i in audit.items] == list(frame["id"])
    assert all(i.dossier is None and i.fields for i in audit.items)
    by_name = {r.name: r for r in audit.reviewers}
    for item in audit.items:
        assert not any(by_name[n].same_unit(item) for n in audit.assignment.pairs[item.id])


def test_create_with_a_ledger_with_problems_stores_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        (BAD_LEDGER_HEAD + "A1,2025-13-40,检举控告,第一纪检监察室,办理中,2025-10-26,\n").encode("gbk")
    )
    reviewers = _write_reviewers(tmp_path / "r.csv", "name,unit", [("甲", "t01"), ("乙", "t02")])
    db = tmp_path / "x.sqlite3"
    args = ["--ledger", str(bad), "--rate", "1", "--seed", "5", "--reviewers", str(reviewers)]
    assert main(["audit", "create", *args, "--db", f"sqlite:///{db.as_posix()}", "--name", "x"]) == EXIT_USAGE
    assert f"{bad}:row 2" in capsys.readouterr().err
    assert not db.exists()


def test_report_as_workbook_and_html(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, created: tuple[str, str, str], pack: Pack
) -> None:
    url, audit_id, _ = created
    # both reviewers of the first item finish their reviews
    with Store.open(url) as store:
        audit = store.audit(audit_id)
        assert audit is not None
        first = audit.items[0].id
        subitem = pack.audit_rubric.subitems[0].code
        for n, name in enumerate(audit.assignment.pairs[first]):
            review = Review(first, name, (Deduction(subitem, float(n + 1), "缺少核查记录"),), done=True)
            store.save_review(audit, review, _scorer(review, pack))

    xlsx, page = tmp_path / "r.xlsx", tmp_path / "r.html"
    assert main(["audit", "report", audit_id, "--out", str(xlsx), "--db", url]) == 0
    assert f"{audit_id} {AUDIT_NAME}: 1/15 items fully reviewed" in capsys.readouterr().out
    workbook = openpyxl.load_workbook(xlsx, read_only=True)
    try:
        assert len(workbook.sheetnames) > 5
    finally:
        workbook.close()

    assert main(["audit", "report", audit_id, "--out", str(page), "--db", url, "--lang", "en"]) == 0
    text = page.read_text(encoding="utf-8")
    assert audit_id in text or AUDIT_NAME in text
    # reviewers' link tokens never reach a report
    assert not any(token in text for token in audit.tokens.values())


def test_report_of_an_unknown_audit_exits_2_naming_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, created: tuple[str, str, str]
) -> None:
    url, audit_id, _ = created
    out = tmp_path / "r.xlsx"
    assert main(["audit", "report", "NOPE", "--out", str(out), "--db", url]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "no audit NOPE" in err and audit_id in err
    assert not out.exists()


def test_report_is_written_as_xlsx_or_html_only(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, created: tuple[str, str, str]
) -> None:
    url, audit_id, _ = created
    out = tmp_path / "r.pdf"
    assert main(["audit", "report", audit_id, "--out", str(out), "--db", url]) == EXIT_USAGE
    assert ".xlsx or .html" in capsys.readouterr().err
    assert not out.exists()
