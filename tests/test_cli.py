"""The ``xfkit`` command: outputs, one-line errors, determinism across processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from toolkit.cli import main
from toolkit.domain.dossier import Dossier
from toolkit.generate.batch import CHUNK
from toolkit.packs import Pack

ROOT = Path(__file__).resolve().parents[1]


def xfkit(
    *args: str, env: dict[str, str] | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    """Run the command in a fresh interpreter, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "toolkit.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        timeout=300,
    )


def test_generate_cases_writes_one_case_per_line(tmp_path: Path) -> None:
    out = tmp_path / "cases.jsonl"
    assert (
        main(["generate", "cases", "--seed", "3", "--count", "12", "--level", "hard", "--out", str(out)]) == 0
    )
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 12
    cases = [json.loads(line) for line in lines]
    assert {c["level"] for c in cases} == {"hard"}
    assert [c["index"] for c in cases] == list(range(12))


def test_generate_history_writes_what_dedupe_searches(tmp_path: Path, pack: Pack) -> None:
    """The history ledger of a seed holds every original its repeats and new leads point to, with the
    fields 查重 searches by."""
    history, cases = tmp_path / "history.jsonl", tmp_path / "cases.jsonl"
    assert main(["generate", "history", "--seed", "4", "--out", str(history)]) == 0
    assert main(["generate", "cases", "--seed", "4", "--count", "300", "--out", str(cases)]) == 0
    records = {r["id"]: r for r in map(json.loads, history.read_text(encoding="utf-8").splitlines())}
    assert len(records) == pack.mix.history_size
    first = next(iter(records.values()))
    assert set(first) == {
        "id",
        "pack",
        "received_at",
        "channel",
        "reporter_name",
        "accused",
        "problem_type",
        "summary",
    }
    linked = 0
    for case in map(json.loads, cases.read_text(encoding="utf-8").splitlines()):
        earlier = case["truth"]["repeat_of"] or case["truth"]["related_to"]
        if earlier is None:
            continue
        linked += 1
        record = records[earlier]
        assert record["received_at"] < case["received_at"][:10]
        assert [a["name"] for a in record["accused"]] == [a["name"] for a in case["accused"]]
        assert record["problem_type"] == case["truth"]["problem_type"]
    assert linked > 10
    again = tmp_path / "again.jsonl"
    assert main(["generate", "history", "--seed", "4", "--out", str(again)]) == 0
    assert again.read_bytes() == history.read_bytes()


def test_same_seed_gives_identical_bytes_in_separate_processes(tmp_path: Path) -> None:
    outs = []
    for n, hashseed in enumerate(("1", "987")):
        out = tmp_path / f"run{n}.jsonl"
        result = xfkit(
            "generate",
            "cases",
            "--seed",
            "42",
            "--count",
            "400",
            "--out",
            str(out),
            env={"PYTHONHASHSEED": hashseed},
        )
        assert result.returncode == 0, result.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    other = tmp_path / "other.jsonl"
    assert xfkit("generate", "cases", "--seed", "43", "--count", "400", "--out", str(other)).returncode == 0
    assert other.read_bytes() != outs[0]


def test_workers_do_not_change_the_output(tmp_path: Path) -> None:
    count = str(CHUNK + 50)
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert main(["generate", "cases", "--seed", "9", "--count", count, "--out", str(one)]) == 0
    assert (
        main(["generate", "cases", "--seed", "9", "--count", count, "--workers", "2", "--out", str(two)]) == 0
    )
    assert one.read_bytes() == two.read_bytes()


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (
            ["generate", "cases", "--seed", "x", "--count", "3", "--out", "a.jsonl"],
            "seed must be a whole number",
        ),
        (["generate", "cases", "--seed", "-1", "--count", "3", "--out", "a.jsonl"], "seed must be ≥ 0"),
        (["generate", "cases", "--seed", "1", "--count", "0", "--out", "a.jsonl"], "count must be between"),
        (
            ["generate", "cases", "--seed", "1", "--count", "3", "--level", "expert", "--out", "a.jsonl"],
            "invalid choice",
        ),
        (["generate", "cases", "--count", "3", "--out", "a.jsonl"], "required: --seed"),
        (
            ["generate", "ledger", "--seed", "1", "--count", "3", "--as-of", "2025-13-01", "--out", "l.csv"],
            "YYYY-MM-DD",
        ),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_arguments_give_one_line_and_exit_2(tmp_path: Path, args: list[str], needle: str) -> None:
    result = xfkit(*args, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_data_errors_give_a_message_and_exit_1(tmp_path: Path) -> None:
    result = xfkit(
        "generate", "cases", "--pack", "nosuchpack", "--seed", "1", "--count", "2", "--out", "x.jsonl"
    )
    assert result.returncode == 1
    assert result.stderr.startswith("xfkit: no pack folder 'nosuchpack'") and "Traceback" not in result.stderr
    wrong = xfkit("generate", "cases", "--seed", "1", "--count", "2", "--out", str(tmp_path / "x.txt"))
    assert wrong.returncode == 1 and "*.jsonl" in wrong.stderr
    assert list(tmp_path.iterdir()) == []


def test_validate_prints_every_problem_and_fails(pack_copy: Path) -> None:
    rules = pack_copy / "rules.yaml"
    rules.write_text(rules.read_text("utf-8").replace("    amount: 15\n", "    amount: many\n", 1), "utf-8")
    pack_yaml = pack_copy / "pack.yaml"
    pack_yaml.write_text(
        pack_yaml.read_text("utf-8").replace("schema_version: 1", "schema_version: 9"), "utf-8"
    )
    result = xfkit("validate", str(pack_copy))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "pack 'default' has 2 problem(s)" in result.stderr
    assert (
        "rules.yaml:" in result.stderr
        and "deadlines[0].amount: 'many' is not of type 'integer'" in result.stderr
    )
    assert "pack.yaml:1: schema_version: schema_version 9 is too new" in result.stderr


def test_validate_ok() -> None:
    result = xfkit("validate", str(ROOT / "scenarios" / "default"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("default@2.0.0: ok")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".jsonl"])
def test_generate_ledger_in_each_format(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"ledger{suffix}"
    assert (
        main(
            [
                "generate",
                "ledger",
                "--seed",
                "5",
                "--count",
                "150",
                "--as-of",
                "2026-03-31",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    if suffix == ".jsonl":
        rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
        assert len(rows) == 150 and rows[0]["id"] == "default-5-L000000"
        return
    if suffix == ".csv":
        assert out.read_bytes().startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, so Excel shows Chinese"
        frame = pd.read_csv(out, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    else:
        frame = pd.read_excel(out, dtype=str, keep_default_na=False)
    assert len(frame) == 150
    for header in (
        "编号",
        "收件日期",
        "来源渠道",
        "反映人",
        "被反映人",
        "问题类别",
        "承办单位",
        "办理状态",
        "办结日期",
        "办理期限",
    ):
        assert header in frame.columns
    assert set(frame["来源渠道"]) <= {"来信", "来访", "电话", "网络", "上级转送/交办"}
    assert set(frame["办理状态"]) <= {"办理中", "延期办理", "已办结", "留存备查"}


def test_demo_writes_cases_and_a_ledger(tmp_path: Path) -> None:
    assert main(["demo", "--out", str(tmp_path / "demo")]) == 0
    assert len((tmp_path / "demo" / "cases.jsonl").read_text("utf-8").splitlines()) == 60
    assert len(pd.read_excel(tmp_path / "demo" / "ledger.xlsx")) == 800


def test_help_lists_the_commands() -> None:
    result = xfkit("--help")
    assert result.returncode == 0
    for word in ("generate", "validate", "demo"):
        assert word in result.stdout
    sub = xfkit("generate", "cases", "--help")
    assert "--seed" in sub.stdout and "--level" in sub.stdout and "case.schema.json" in sub.stdout


def test_outputs_get_ordinary_permissions_and_failures_leave_nothing(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        for name in ("cases.jsonl", "ledger.xlsx"):
            what = "cases" if name.endswith("jsonl") else "ledger"
            out = tmp_path / name
            assert main(["generate", what, "--seed", "1", "--count", "5", "--out", str(out)]) == 0
            assert out.stat().st_mode & 0o777 == 0o644, name
    finally:
        os.umask(old)
    before = sorted(p.name for p in tmp_path.iterdir())
    assert main(["generate", "ledger", "--seed", "1", "--count", "5", "--out", str(tmp_path / "x.ods")]) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == before


# -- xfkit score intake ---------------------------------------------------------------------------


@pytest.fixture
def scored_case(tmp_path: Path) -> tuple[Path, dict[str, object]]:
    """A small case file and its fourth case (as the JSON line reads)."""
    cases = tmp_path / "cases.jsonl"
    assert main(["generate", "cases", "--seed", "7", "--count", "6", "--out", str(cases)]) == 0
    return cases, json.loads(cases.read_text("utf-8").splitlines()[3])


def _answer(tmp_path: Path, data: object, name: str = "answer.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _score(cases: Path, case_id: object, answer: Path, *more: str) -> list[str]:
    return ["score", "intake", "--case", str(cases), "--id", str(case_id), "--answer", str(answer), *more]


def test_score_intake_perfect_answer_as_json(
    tmp_path: Path, scored_case: tuple[Path, dict[str, object]], capsys: pytest.CaptureFixture[str]
) -> None:
    cases, case = scored_case
    answer = _answer(tmp_path, case["truth"])
    assert main(_score(cases, case["id"], answer, "--json")) == 0
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert err == ""
    assert report["total"] == report["max"] == 100
    assert (report["case_id"], report["seed"], report["pack"], report["grade"]) == (
        case["id"],
        7,
        "default@2.0.0",
        "excellent",
    )
    for item in report["items"]:
        assert {"field", "got", "expected", "points", "max", "reason"} <= set(item)
        assert item["points"] == item["max"]
    assert "检举控告" in out or "信访" in out, "Chinese text is printed as is"


def test_score_intake_table_shows_what_is_wrong(
    tmp_path: Path, scored_case: tuple[Path, dict[str, object]], capsys: pytest.CaptureFixture[str]
) -> None:
    cases, case = scored_case
    truth = dict(case["truth"])
    truth["route"] = {**truth["route"], "unit": "xfs" if truth["route"]["unit"] != "xfs" else "sps"}
    assert main(_score(cases, case["id"], _answer(tmp_path, truth))) == 0
    out = capsys.readouterr().out
    assert "~ route" in out and "部分正确：承办单位不对" in out
    assert "total 94 / 100" in out


@pytest.mark.parametrize(
    ("answer_text", "needle"),
    [
        ('{"category": ', "answer.json:1: not valid JSON"),
        ('{"category": "x"}', "answer.json: category: 'x' is not one of"),
        ("[1, 2]", "answer.json: (answer): must be a JSON object"),
    ],
)
def test_score_intake_bad_answer_exits_2(
    tmp_path: Path,
    scored_case: tuple[Path, dict[str, object]],
    capsys: pytest.CaptureFixture[str],
    answer_text: str,
    needle: str,
) -> None:
    cases, case = scored_case
    answer = tmp_path / "answer.json"
    answer.write_text(answer_text, encoding="utf-8")
    assert main(_score(cases, case["id"], answer)) == 2
    out, err = capsys.readouterr()
    assert out == "" and needle in err and "Traceback" not in err
    assert all(line.startswith("xfkit: ") for line in err.splitlines())


def test_score_intake_schema_problems_one_line_each(
    tmp_path: Path, scored_case: tuple[Path, dict[str, object]], capsys: pytest.CaptureFixture[str]
) -> None:
    cases, case = scored_case
    truth = dict(case["truth"])
    del truth["route"]
    truth["flags"] = "anonymous"
    assert main(_score(cases, case["id"], _answer(tmp_path, truth))) == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2
    assert any(line.endswith("answer.json: route: is missing") for line in lines)
    assert any("answer.json: flags: must be an array, not a string" in line for line in lines)


def test_score_intake_unknown_code_for_the_pack(
    tmp_path: Path, scored_case: tuple[Path, dict[str, object]], capsys: pytest.CaptureFixture[str]
) -> None:
    cases, case = scored_case
    truth = dict(case["truth"])
    truth["route"] = {**truth["route"], "unit": "zz"}
    assert main(_score(cases, case["id"], _answer(tmp_path, truth))) == 2
    assert "answer.json: route.unit: 'zz' is not a unit of this pack" in capsys.readouterr().err


def test_score_intake_bad_case_input_exits_2(
    tmp_path: Path, scored_case: tuple[Path, dict[str, object]], capsys: pytest.CaptureFixture[str]
) -> None:
    cases, case = scored_case
    answer = _answer(tmp_path, case["truth"])
    assert main(_score(cases, "default-7-999999", answer)) == 2
    assert (
        "cases.jsonl: no case with id 'default-7-999999' (the file holds 6 case(s))"
        in capsys.readouterr().err
    )
    assert main(_score(tmp_path / "nope.jsonl", case["id"], answer)) == 2
    assert "nope.jsonl: no such file" in capsys.readouterr().err
    broken = tmp_path / "broken.jsonl"
    lines = cases.read_text("utf-8").splitlines()
    broken.write_text("\n".join([lines[0], lines[1][:40], *lines[2:]]) + "\n", encoding="utf-8")
    assert main(_score(broken, case["id"], answer)) == 2
    assert "broken.jsonl:2: not valid JSON" in capsys.readouterr().err
    assert main(_score(cases, case["id"], tmp_path / "missing.json")) == 2
    assert "missing.json: no such file" in capsys.readouterr().err


def test_score_intake_warns_when_the_pack_version_differs(
    tmp_path: Path, scored_case: tuple[Path, dict[str, object]], capsys: pytest.CaptureFixture[str]
) -> None:
    cases, case = scored_case
    old = tmp_path / "old.jsonl"
    old.write_text(json.dumps({**case, "pack": "default@0.9.0"}, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(_score(old, case["id"], _answer(tmp_path, case["truth"]), "--json")) == 0
    out, err = capsys.readouterr()
    assert "warning" in err and "default@0.9.0" in err and "default@2.0.0" in err
    assert json.loads(out)["pack"] == "default@0.9.0"


def test_score_intake_help_in_a_fresh_process() -> None:
    result = xfkit("score", "intake", "--help")
    assert result.returncode == 0 and "intake-answer.schema.json" in result.stdout
    missing = xfkit("score", "intake", "--case", "x.jsonl")
    assert missing.returncode == 2 and "required" in missing.stderr and "Traceback" not in missing.stderr


# -- xfkit generate dossiers / xfkit score findings ---------------------------------------------------


def test_generate_dossiers_lines_carry_the_answer_key(tmp_path: Path, pack: Pack) -> None:
    out = tmp_path / "dossiers.jsonl"
    args = ["generate", "dossiers", "--seed", "5", "--count", "6", "--defects", "2", "--out", str(out)]
    assert main(args) == 0
    lines = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert len(lines) == 6 and [d["index"] for d in lines] == list(range(6))
    for line in lines:
        assert Dossier.from_dict(line).to_dict() == line
        assert line["seed"] == 5 and line["pack"] == pack.ref
        ids = {doc["id"] for doc in line["documents"]}
        assert len(line["answer_key"]) == 2
        for planted in line["answer_key"]:
            assert {"defect", "document", "location"} <= set(planted)
            assert planted["defect"] in pack.defects.types and planted["document"] in ids
    again = tmp_path / "again.jsonl"
    assert main([*args[:-1], str(again)]) == 0
    assert again.read_bytes() == out.read_bytes()
    clean = tmp_path / "clean.jsonl"
    assert main([*args[:7], "0", "--level", "easy", "--out", str(clean)]) == 0
    for text in clean.read_text("utf-8").splitlines():
        line = json.loads(text)
        assert line["answer_key"] == [] and line["level"] == "easy"


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--defects", "-1"], "defects must be between 0 and 20"),
        (["--defects", "two"], "defects must be a whole number"),
        ([], "required: --defects"),
        (["--defects", "1", "--level", "mixed"], "invalid choice"),
    ],
)
def test_generate_dossiers_bad_arguments_exit_2(tmp_path: Path, args: list[str], needle: str) -> None:
    result = xfkit(
        "generate", "dossiers", "--seed", "1", "--count", "2", *args, "--out", "d.jsonl", cwd=tmp_path
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def scored_dossier(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    """A small dossier file (3 planted defects each) and its third dossier (as the JSON line reads)."""
    dossiers = tmp_path / "dossiers.jsonl"
    args = ["generate", "dossiers", "--seed", "7", "--count", "4", "--defects", "3", "--out", str(dossiers)]
    assert main(args) == 0
    return dossiers, json.loads(dossiers.read_text("utf-8").splitlines()[2])


def _findings(dossiers: Path, dossier_id: object, findings: Path, *more: str) -> list[str]:
    return [
        "score",
        "findings",
        "--dossiers",
        str(dossiers),
        "--id",
        str(dossier_id),
        "--findings",
        str(findings),
        *more,
    ]


def _key_as_marks(dossier: dict[str, Any]) -> list[dict[str, str]]:
    return [{"document": p["document"], "defect": p["defect"], "note": "找到"} for p in dossier["answer_key"]]


def test_score_findings_perfect_marks_as_json(
    tmp_path: Path, scored_dossier: tuple[Path, dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    dossiers, dossier = scored_dossier
    marks = _answer(tmp_path, _key_as_marks(dossier), "findings.json")
    assert main(_findings(dossiers, dossier["id"], marks, "--json")) == 0
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert err == ""
    assert report["total"] == report["max"] > 0
    assert (report["hits"], report["misses"], report["false_alarms"], report["grade"]) == (
        3,
        0,
        0,
        "excellent",
    )
    assert report["dossier_id"] == dossier["id"] and report["pack"] == dossier["pack"]
    for item in report["items"]:
        assert item["kind"] == "hit" and item["points"] == item["max"]
        assert item["rule"] and item["source"] and item["name"]
    assert report["answer_key"] == dossier["answer_key"]


def test_score_findings_table_shows_false_alarms_and_misses(
    tmp_path: Path, scored_dossier: tuple[Path, dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    dossiers, dossier = scored_dossier
    marks = _key_as_marks(dossier)[1:]
    marks.append(dict(marks[0]))
    assert main(_findings(dossiers, dossier["id"], _answer(tmp_path, marks, "findings.json"))) == 0
    out = capsys.readouterr().out
    assert "✗ false_alarm.1" in out and "重复标记" in out and "漏查" in out
    assert "hits 2, misses 1, false alarms 1" in out


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ('[{"document": ', "findings.json:1: not valid JSON"),
        ('{"document": "d1"}', "findings.json: findings: must be a list, not an object"),
        ('[{"document": "d1"}]', "findings.json: findings[0].defect: is missing"),
        (
            '[{"document": "d99", "defect": "x"}]',
            "findings.json: findings[0].document: 'd99' is not a document",
        ),
        (
            '[{"document": "d1", "defect": "no_such_defect"}]',
            "'no_such_defect' is not a defect type of this pack",
        ),
    ],
)
def test_score_findings_bad_findings_exit_2(
    tmp_path: Path,
    scored_dossier: tuple[Path, dict[str, Any]],
    capsys: pytest.CaptureFixture[str],
    text: str,
    needle: str,
) -> None:
    dossiers, dossier = scored_dossier
    findings = tmp_path / "findings.json"
    findings.write_text(text, encoding="utf-8")
    assert main(_findings(dossiers, dossier["id"], findings)) == 2
    out, err = capsys.readouterr()
    assert out == "" and needle in err and "Traceback" not in err
    assert all(line.startswith("xfkit: ") for line in err.splitlines())


def test_score_findings_bad_dossier_input_exits_2(
    tmp_path: Path, scored_dossier: tuple[Path, dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    dossiers, dossier = scored_dossier
    marks = _answer(tmp_path, _key_as_marks(dossier), "findings.json")
    assert main(_findings(dossiers, "no-such-dossier", marks)) == 2
    assert "dossiers.jsonl: no dossier with id 'no-such-dossier' (the file holds 4 dossier(s))" in (
        capsys.readouterr().err
    )
    assert main(_findings(tmp_path / "nope.jsonl", dossier["id"], marks)) == 2
    assert "nope.jsonl: no such file" in capsys.readouterr().err
    keyless = tmp_path / "keyless.jsonl"
    line = {k: v for k, v in dossier.items() if k != "answer_key"}
    keyless.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(_findings(keyless, dossier["id"], marks)) == 2
    assert "keyless.jsonl:1: answer_key: is missing" in capsys.readouterr().err
    seedless = tmp_path / "seedless.jsonl"
    line = {k: v for k, v in dossier.items() if k != "seed"}
    seedless.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(_findings(seedless, dossier["id"], marks)) == 2
    assert "seedless.jsonl:1: seed: is missing" in capsys.readouterr().err
    assert main(_findings(dossiers, dossier["id"], tmp_path / "missing.json")) == 2
    assert "missing.json: no such file" in capsys.readouterr().err


def test_score_findings_help_in_a_fresh_process() -> None:
    result = xfkit("score", "findings", "--help")
    assert result.returncode == 0 and "findings.schema.json" in result.stdout
    missing = xfkit("score", "findings", "--dossiers", "x.jsonl")
    assert missing.returncode == 2 and "required" in missing.stderr and "Traceback" not in missing.stderr
