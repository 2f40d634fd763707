"""benchmarks/run_all.py: headline rows, ratios and verdicts from synthetic results, and ``--report``.

Fast: no benchmark runs. The results dicts copy the shapes of the real files with made-up numbers.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture(scope="module")
def run_all() -> ModuleType:
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))  # the scripts import ``timing`` from their folder
    spec = importlib.util.spec_from_file_location("bench_run_all", BENCH / "run_all.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def generate_json(
    *, ratio: float = 12.0, seconds: float = 4.0, cases: int = 100_000, quick: bool = False
) -> dict:
    return {
        "quick": quick,
        "toolkit": {"objects": {"cases_per_s": 20_000.0}, "json_lines": {"cases_per_s": 24_000.0}},
        "baseline": {"dicts": {"cases_per_s": 2_000.0}, "json_lines": {"cases_per_s": 2_000.0}},
        "ratios": {"objects_vs_baseline_dicts": 10.0, "json_vs_baseline_json": ratio},
        "targets": {
            "ratio": {"target": 10.0, "value": ratio, "verdict": "met"},
            "end_to_end": {
                "target_cases": 100_000,
                "target_seconds": 5.0,
                "cases": cases,
                "seconds": seconds,
            },
        },
    }


def ledger_import_json(*, seconds: float, rows: int = 1_000_000) -> dict:
    return {
        "rows": rows,
        "quick": rows != 1_000_000,
        "results": {
            "1": {"seconds": 4.0, "label": "pandas.read_csv(gbk, dtype=str) alone"},
            "2": {"seconds": 12.0, "label": "naive csv + strptime (100,000 rows, scaled)"},
            "3": {"seconds": seconds, "label": "read_ledger, GBK CSV"},
            "4": {"seconds": 3.0, "label": "read_ledger, UTF-8 (BOM) CSV"},
        },
        "ratios": {
            "read_ledger_gbk_vs_pandas_read_csv": seconds / 4.0,
            "naive_vs_read_ledger_gbk": 12.0 / seconds,
            "read_ledger_gbk_vs_utf8": seconds / 3.0,
        },
        "target": {"seconds": 5.0, "value": seconds, "verdict": "met"},
    }


def ledger_cards_json(*, rows: int = 1_000_000) -> dict:
    def workload(seconds: float, scaled: float) -> dict:
        return {
            "baseline": {"rows": 10_000, "seconds": scaled / 100, "scaled_seconds": scaled},
            "ledger_cards": {"rows": rows, "seconds": seconds},
            "ratio": scaled / seconds,
        }

    return {
        "quick": rows != 1_000_000,
        "rows": rows,
        "workloads": {"A": workload(0.5, 40.0), "B": workload(2.0, 100.0)},
    }


def pages_json(*, quick: bool = False) -> dict:
    def mode(median: float, hello: float, rss: float) -> dict:
        return {
            "summary": {"n": 8, "failed": 0, "median_ms": median},
            "hello_median_ms": hello,
            "ratio_to_hello": median / hello,
            "kernel": {"rss_mb": rss, "pss_mb": rss * 0.8},
        }

    return {
        "benchmark": "pages",
        "quick": quick,
        "targets": {"ratio_to_hello": 1.2, "kernel_rss_mb": 120.0},
        "apps": {
            "home": {"modes": {"cold": mode(2200.0, 2000.0, 100.0), "preheated": mode(2600.0, 2000.0, 130.0)}}
        },
        "baseline": {
            "modes": {"cold": {"kernel": {"rss_mb": 50.0}}, "preheated": {"kernel": {"rss_mb": 52.0}}},
        },
    }


def load_json(*, lost: int) -> dict:
    figures = {
        "contestants": 100,
        "join_p50_s": 2.0,
        "join_p95_s": 6.0,
        "submit_p50_ms": 80.0,
        "submit_p95_ms": 300.0,
        "lost": lost,
        "duplicates": 0,
        "peak_total_mb": 9000.0,
    }
    alone = {
        **figures,
        "contestants": 1,
        "join_p50_s": 1.5,
        "submit_p50_ms": 60.0,
        "lost": 0,
        "peak_total_mb": 600.0,
    }
    return {
        "benchmark": "load",
        "settings": {"contestants": 100, "items": 10, "ramp_s": 100.0, "think_s": 3.0},
        "alone": alone,
        "crowd": figures,
        "ratios": {"join_p95_over_alone": 4.0, "submit_p95_over_alone": 5.0},
    }


def audit_json() -> dict:
    def part(work: float, base: float) -> dict:
        return {"workload": {"seconds": work}, "baseline": {"seconds": base}, "ratio": work / base}

    return {
        "benchmark": "audit",
        "population": 100_000,
        "figures": {
            "sampling": part(0.1, 0.002),
            "assignment": part(0.04, 0.002),
            "results": part(0.2, 0.1),
            "dossier_population": part(0.15, 0.03),
        },
    }


def competition_json() -> dict:
    return {
        "benchmark": "competition",
        "contestants": 20,
        "figures": {
            "variants": {"items": 500, "seconds": 4.0, "baseline_seconds": 0.001, "ratio": 4000.0},
            "submissions": {"ms_per_submission": 2.0, "baseline_ms": 0.5, "ratio": 4.0},
            "leaderboard": {"seconds": 0.002, "baseline_seconds": 0.0005, "ratio": 4.0},
        },
    }


def test_every_benchmark_has_a_headline_function(run_all: ModuleType) -> None:
    assert set(run_all.HEADLINES) == set(run_all.SCRIPTS) | set(run_all.REPORT_ONLY)
    for name in run_all.SCRIPTS:
        assert (BENCH / run_all.SCRIPTS[name]).is_file()


@pytest.mark.parametrize("name", ["generate", "scoring", "findings", "ledger_cards", "ledger_import", "audit",
                                  "competition", "pages", "load", "page_flood"])  # fmt: skip
def test_missing_file_is_not_run(run_all: ModuleType, name: str) -> None:
    rows = run_all.HEADLINES[name](None)
    assert len(rows) == 1
    assert rows[0].benchmark == name
    assert rows[0].status == "not run" and rows[0].verdict == "not run"


def test_generate_rows_and_verdicts(run_all: ModuleType) -> None:
    objects, json_lines, e2e = run_all.headline_generate(generate_json(ratio=12.0, seconds=4.0))
    assert objects.value == 20_000.0 and objects.baseline == 2_000.0 and objects.ratio == 10.0
    assert objects.target == "" and objects.verdict == ""
    assert json_lines.ratio == 12.0 and json_lines.ratio_of == "v/b"
    assert json_lines.target == "≥ 10×" and json_lines.verdict == "met"
    assert e2e.value == 4.0 and e2e.unit == "s" and e2e.verdict == "met"

    _, json_lines, e2e = run_all.headline_generate(generate_json(ratio=7.5, seconds=6.0))
    assert json_lines.verdict == "not met" and e2e.verdict == "not met"

    _, json_lines, e2e = run_all.headline_generate(
        generate_json(ratio=12.0, seconds=0.6, cases=10_000, quick=True)
    )
    assert json_lines.verdict == "met (indicative)"
    assert e2e.verdict.startswith("not judged")


def test_ledger_import_target_only_for_a_million_rows(run_all: ModuleType) -> None:
    main, naive, utf8 = run_all.headline_ledger_import(ledger_import_json(seconds=4.0))
    assert main.value == 4.0 and main.baseline == 4.0 and main.ratio == pytest.approx(1.0)
    assert main.target == "1,000,000 rows ≤ 5 s" and main.verdict == "met"
    assert naive.baseline == 12.0 and naive.ratio == pytest.approx(3.0) and naive.ratio_of == "b/v"
    assert utf8.verdict == ""

    main, *_ = run_all.headline_ledger_import(ledger_import_json(seconds=7.0))
    assert main.verdict == "not met"
    main, *_ = run_all.headline_ledger_import(ledger_import_json(seconds=0.5, rows=100_000))
    assert main.verdict.startswith("not judged")


def test_ledger_cards_two_targets_per_workload(run_all: ModuleType) -> None:
    a, b = run_all.headline_ledger_cards(ledger_cards_json())
    assert a.value == 0.5 and a.baseline == 40.0 and a.ratio == pytest.approx(80.0) and a.ratio_of == "b/v"
    assert a.target == "≤ 1 s; ≥ 100×"
    assert a.verdict == "met / not met"  # time met, ratio not
    assert b.verdict == "not met"  # 2 s and 50×
    a, _ = run_all.headline_ledger_cards(ledger_cards_json(rows=100_000))
    assert a.verdict == "not judged / not met (indicative)"


def test_pages_ratio_and_rss_per_mode(run_all: ModuleType) -> None:
    rows = run_all.headline_pages(pages_json())
    by_figure = {r.figure: r for r in rows}
    cold = by_figure["home, cold: median time to interactive / hello"]
    assert cold.value == 2200.0 and cold.baseline == 2000.0 and cold.ratio == pytest.approx(1.1)
    assert cold.target == "≤ 1.2× hello" and cold.verdict == "met"
    hot = by_figure["home, preheated: median time to interactive / hello"]
    assert hot.ratio == pytest.approx(1.3) and hot.verdict == "not met"
    rss_cold = by_figure["home, cold: kernel RSS / hello"]
    assert rss_cold.value == 100.0 and rss_cold.baseline == 50.0 and rss_cold.ratio == pytest.approx(2.0)
    assert rss_cold.target == "≤ 120 MB" and rss_cold.verdict == "met"
    assert by_figure["home, preheated: kernel RSS / hello"].verdict == "not met"
    quick = run_all.headline_pages(pages_json(quick=True))
    assert all(r.verdict.endswith("(indicative)") for r in quick)


def test_load_rows(run_all: ModuleType) -> None:
    join, submit, lost, memory = run_all.headline_load(load_json(lost=0))
    assert join.value == 6.0 and join.baseline == 1.5 and join.ratio == 4.0 and join.unit == "s"
    assert join.target == "≤ 3 s at 100" and join.verdict == "not met"
    assert submit.value == 300.0 and submit.baseline == 60.0 and submit.ratio == 5.0
    assert submit.target == "≤ 250 ms at 100" and submit.verdict == "not met"
    fast = load_json(lost=0)
    fast["crowd"].update(join_p95_s=2.5, submit_p95_ms=200.0)
    join, submit, _, _ = run_all.headline_load(fast)
    assert (join.verdict, submit.verdict) == ("met", "met")
    fast["settings"]["contestants"] = fast["crowd"]["contestants"] = 20
    join, submit, _, _ = run_all.headline_load(fast)
    assert join.verdict.startswith("not judged") and submit.verdict.startswith("not judged")
    assert lost.value == 0 and lost.target == "= 0" and lost.verdict == "met"
    assert memory.ratio == pytest.approx(15.0)
    _, _, lost, _ = run_all.headline_load(load_json(lost=2))
    assert lost.verdict == "not met"


def test_audit_and_competition_have_no_targets(run_all: ModuleType) -> None:
    rows = run_all.headline_audit(audit_json())
    assert len(rows) == 4
    assert rows[0].value == pytest.approx(100.0) and rows[0].unit == "ms"
    assert rows[0].baseline == pytest.approx(2.0) and rows[0].ratio == pytest.approx(50.0)
    rows += run_all.headline_competition(competition_json())
    assert all(r.target == "" and r.verdict == "" for r in rows)
    assert rows[-2].value == 2.0 and rows[-2].baseline == 0.5 and rows[-2].ratio == 4.0


def test_failed_run_is_recorded(run_all: ModuleType, tmp_path: Path) -> None:
    (tmp_path / "audit.json").write_text(json.dumps(audit_json()), encoding="utf-8")
    runs = {"audit": {"exit_code": 3, "status": "failed (exit 3)"}}
    rows = run_all.collect(tmp_path, ["audit"], runs)
    assert [(r.benchmark, r.status) for r in rows] == [("audit", "failed (exit 3)")]


def test_report_prints_a_table_and_writes_summary(
    run_all: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "generate.json").write_text(json.dumps(generate_json()), encoding="utf-8")
    (tmp_path / "ledger_import.json").write_text(
        json.dumps(ledger_import_json(seconds=7.0)), encoding="utf-8"
    )
    assert run_all.main(["--report", "--results", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == [
        "benchmark",
        "figure",
        "value",
        "unit",
        "baseline",
        "ratio",
        "of",
        "target",
        "verdict",
    ]
    assert "cases as JSON lines" in out and "not met" in out
    assert any(line.startswith("load") and line.rstrip().endswith("not run") for line in lines)

    summary: dict[str, Any] = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert summary["benchmark"] == "summary" and summary["mode"] == "report" and summary["runs"] == []
    assert {"date", "xfkit", "machine"} <= set(summary)
    rows = summary["rows"]
    gen = [r for r in rows if r["benchmark"] == "generate"]
    assert [r["verdict"] for r in gen] == ["", "met", "met"]
    imp = [r for r in rows if r["benchmark"] == "ledger_import"]
    assert imp[0]["value"] == 7.0 and imp[0]["verdict"] == "not met"
    assert {r["benchmark"] for r in rows if r["status"] == "not run"} == set(run_all.HEADLINES) - {
        "generate",
        "ledger_import",
    }


def test_only_and_skip_select(
    run_all: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_all.main(["--report", "--results", str(tmp_path), "--only", "audit,load,pages", "--skip", "pages"])
    rows = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))["rows"]
    assert [r["benchmark"] for r in rows] == ["audit", "load"]
    with pytest.raises(SystemExit):
        run_all.main(["--report", "--results", str(tmp_path), "--only", "nope"])
    capsys.readouterr()
