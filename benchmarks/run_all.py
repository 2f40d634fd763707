"""Run every benchmark, then print one table of their headline figures and write ``results/summary.json``.

Run from anywhere::

    python benchmarks/run_all.py                         # every benchmark, full sizes (a long while)
    python benchmarks/run_all.py --quick                 # --quick for every script that has it
    python benchmarks/run_all.py --only audit,competition
    python benchmarks/run_all.py --skip pages,load
    python benchmarks/run_all.py --report                # run nothing: summarise the JSON files already there
    python benchmarks/run_all.py --report --results DIR  # another results folder

Each script runs as a subprocess (this interpreter, cwd = the repository root) with
``--json RESULTS/<name>.json`` (and ``--quick`` when asked for and the script has it); its output goes to
``RESULTS/<name>.log``. A failing script is recorded with its exit code and the run goes on.

The table has, per benchmark, its headline figures: the value and its unit, the baseline measured in the same
run, the ratio as the benchmark defines it (``v/b``: value ÷ baseline, ``b/v``: baseline ÷ value), the
target where the project states one (``benchmarks/README.md`` and the scripts' docstrings) and the verdict:
``met`` / ``not met``, ``indicative`` for a smoke run (``--quick``), ``not judged`` when the run was not of
the size the target is stated for. Figures only: nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from timing import save_results  # noqa: E402  benchmarks/timing.py, beside this script

DEFAULT_RESULTS = HERE / "results"

# name -> script, in the order they run (the long browser and load runs last)
SCRIPTS: dict[str, str] = {
    "generate": "bench_generate.py",
    "scoring": "bench_scoring.py",
    "findings": "bench_findings.py",
    "ledger_cards": "bench_ledger_cards.py",
    "ledger_import": "bench_ledger_import.py",
    "audit": "bench_audit.py",
    "competition": "bench_competition.py",
    "pages": "bench_pages.py",
    "load": "bench_load.py",
}
# results written by something else (a test), summarised by --report and after a run, never run here
REPORT_ONLY: dict[str, str] = {"page_flood": "tests/reliability/test_page_flood.py"}


@dataclass
class Row:
    """One headline figure of one benchmark."""

    benchmark: str
    figure: str
    value: float | None = None
    unit: str = ""
    baseline: float | None = None
    ratio: float | None = None
    ratio_of: str = ""  # "v/b" (value ÷ baseline) or "b/v" (baseline ÷ value)
    target: str = ""
    verdict: str = ""
    status: str = "ok"  # ok, not run, failed (exit N)


@dataclass
class Target:
    """A stated target: ``value`` (or ``ratio``) ``op`` ``limit``."""

    op: str  # "<=", ">=" or "=="
    limit: float
    on: str = "value"  # or "ratio"
    text: str = ""

    def judge(self, row: Row) -> str:
        x = row.ratio if self.on == "ratio" else row.value
        if x is None:
            return "not judged"
        ok = {"<=": x <= self.limit, ">=": x >= self.limit, "==": x == self.limit}[self.op]
        return "met" if ok else "not met"


def figure(
    bench: str,
    name: str,
    value: float | None,
    unit: str,
    baseline: float | None = None,
    ratio: float | None = None,
    ratio_of: str = "",
    targets: tuple[Target, ...] = (),
    judged: bool | str = True,
) -> Row:
    """A row; ``judged`` False (or a reason) gives "not judged", "indicative" marks a smoke run's verdicts."""
    row = Row(bench, name, value, unit, baseline, ratio, ratio_of if ratio is not None else "")
    if targets:
        row.target = "; ".join(t.text for t in targets)
        if judged is False or (isinstance(judged, str) and judged != "indicative"):
            row.verdict = "not judged" + (f" ({judged})" if isinstance(judged, str) else "")
        else:
            verdicts = [t.judge(row) for t in targets]
            row.verdict = verdicts[0] if len(set(verdicts)) == 1 else " / ".join(verdicts)
            if judged == "indicative":
                row.verdict += " (indicative)"
    return row


def not_run(bench: str, status: str = "not run") -> list[Row]:
    return [Row(bench, "–", status=status, verdict=status)]


def _get(data: dict[str, Any], *keys: str | int) -> Any:
    """``data[k1][k2]…``, or None when any is missing."""
    node: Any = data
    for key in keys:
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, dict) and str(key) in node:
            node = node[str(key)]
        else:
            return None
    return node


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else seconds * 1e3


# ---------------------------------------------------------------------------------------------------------
# headline figures, one function per benchmark: results JSON (or None when missing) -> rows


def headline_generate(data: dict[str, Any] | None) -> list[Row]:
    b = "generate"
    if data is None:
        return not_run(b)
    quick = bool(data.get("quick"))
    e2e = _get(data, "targets", "end_to_end") or {}
    n = e2e.get("cases")
    full = n == 100_000
    return [
        figure(
            b,
            "Case objects",
            _get(data, "toolkit", "objects", "cases_per_s"),
            "cases/s",
            _get(data, "baseline", "dicts", "cases_per_s"),
            _get(data, "ratios", "objects_vs_baseline_dicts"),
            "v/b",
        ),
        figure(
            b,
            "cases as JSON lines",
            _get(data, "toolkit", "json_lines", "cases_per_s"),
            "cases/s",
            _get(data, "baseline", "json_lines", "cases_per_s"),
            _get(data, "ratios", "json_vs_baseline_json"),
            "v/b",
            (Target(">=", 10.0, "ratio", "≥ 10×"),),
            "indicative" if quick else True,
        ),
        figure(
            b,
            f"write_cases {n:,} cases, best of 1/2 workers" if n else "write_cases, best of 1/2 workers",
            e2e.get("seconds"),
            "s",
            targets=(Target("<=", 5.0, "value", "100,000 cases ≤ 5 s"),),
            judged=True if full else f"{n:,} cases" if n else False,
        ),
    ]


def headline_scoring(data: dict[str, Any] | None) -> list[Row]:
    b = "scoring"
    if data is None:
        return not_run(b)
    return [
        figure(
            b,
            "score_intake, perturbed / making the case",
            _get(data, "scoring", "perturbed", "answers_per_s"),
            "answers/s",
            _get(data, "baselines", "generate_case", "answers_per_s"),
            _get(data, "ratios", "perturbed_vs_generate"),
            "v/b",
        ),
        figure(
            b,
            "score_intake, perturbed / parse_answer",
            _get(data, "scoring", "perturbed", "answers_per_s"),
            "answers/s",
            _get(data, "baselines", "parse_answer", "answers_per_s"),
            _get(data, "ratios", "perturbed_vs_parse"),
            "v/b",
        ),
        figure(
            b,
            "parse + score + to_dict (end to end)",
            _get(data, "scoring", "parse_and_score", "answers_per_s"),
            "answers/s",
        ),
    ]


def headline_findings(data: dict[str, Any] | None) -> list[Row]:
    b = "findings"
    if data is None:
        return not_run(b)
    return [
        figure(
            b,
            "dossier with 3 defects / making the case",
            _get(data, "generation", "dossier_with_defects", "items_per_s"),
            "dossiers/s",
            _get(data, "baselines", "generate_case", "items_per_s"),
            _get(data, "ratios", "dossier_with_defects_vs_case"),
            "v/b",
        ),
        figure(
            b,
            "score_findings, perturbed / making the case",
            _get(data, "scoring", "perturbed", "items_per_s"),
            "dossiers/s",
            _get(data, "baselines", "generate_case", "items_per_s"),
            _get(data, "ratios", "score_perturbed_vs_case"),
            "v/b",
        ),
        figure(
            b,
            "score_findings, perturbed / parse_findings",
            _get(data, "scoring", "perturbed", "items_per_s"),
            "dossiers/s",
            _get(data, "baselines", "parse_findings", "items_per_s"),
            _get(data, "ratios", "score_perturbed_vs_parse"),
            "v/b",
        ),
    ]


def headline_ledger_cards(data: dict[str, Any] | None) -> list[Row]:
    b = "ledger_cards"
    if data is None:
        return not_run(b)
    rows_n = data.get("rows")
    full = rows_n == 1_000_000
    out = []
    for name, w in (data.get("workloads") or {}).items():
        out.append(
            figure(
                b,
                f"ledger_cards {rows_n:,} rows, workload {name}"
                if rows_n
                else f"ledger_cards, workload {name}",
                _get(w, "ledger_cards", "seconds"),
                "s",
                _get(w, "baseline", "scaled_seconds"),
                w.get("ratio"),
                "b/v",
                (Target("<=", 1.0, "value", "≤ 1 s"), Target(">=", 100.0, "ratio", "≥ 100×")),
                True if full else "indicative",
            )
        )
        if not full:  # the time target is for 1,000,000 rows: judge only the ratio
            row = out[-1]
            ratio_verdict = Target(">=", 100.0, "ratio").judge(row)
            row.verdict = f"not judged / {ratio_verdict} (indicative)"
    return out or not_run(b)


def headline_ledger_import(data: dict[str, Any] | None) -> list[Row]:
    b = "ledger_import"
    if data is None:
        return not_run(b)
    rows_n = data.get("rows")
    full = rows_n == 1_000_000
    ours = _get(data, "results", "3", "seconds")
    return [
        figure(
            b,
            f"read_ledger GBK {rows_n:,} rows / pandas.read_csv"
            if rows_n
            else "read_ledger GBK / pandas.read_csv",
            ours,
            "s",
            _get(data, "results", "1", "seconds"),
            _get(data, "ratios", "read_ledger_gbk_vs_pandas_read_csv"),
            "v/b",
            (Target("<=", 5.0, "value", "1,000,000 rows ≤ 5 s"),),
            True if full else f"{rows_n:,} rows" if rows_n else False,
        ),
        figure(
            b,
            "read_ledger GBK / naive csv + strptime",
            ours,
            "s",
            _get(data, "results", "2", "seconds"),
            _get(data, "ratios", "naive_vs_read_ledger_gbk"),
            "b/v",
        ),
        figure(
            b,
            "read_ledger GBK / UTF-8",
            ours,
            "s",
            _get(data, "results", "4", "seconds"),
            _get(data, "ratios", "read_ledger_gbk_vs_utf8"),
            "v/b",
        ),
    ]


def headline_audit(data: dict[str, Any] | None) -> list[Row]:
    b = "audit"
    if data is None:
        return not_run(b)
    labels = {
        "sampling": "stratified sampling / random.sample",
        "assignment": "reviewer assignment / round-robin",
        "results": "audit results / scoring the reviews",
        "dossier_population": "dossier population / the cases alone",
    }
    population = data.get("population")
    if population:
        labels["sampling"] = f"stratified sampling of {population:,} / random.sample"
    out = []
    for key, label in labels.items():
        f = _get(data, "figures", key)
        if f is None:
            continue
        out.append(
            figure(
                b,
                label,
                _ms(_get(f, "workload", "seconds")),
                "ms",
                _ms(_get(f, "baseline", "seconds")),
                f.get("ratio"),
                "v/b",
            )
        )
    return out or not_run(b)


def headline_competition(data: dict[str, Any] | None) -> list[Row]:
    b = "competition"
    if data is None:
        return not_run(b)
    n = data.get("contestants")
    v = _get(data, "figures", "variants") or {}
    s = _get(data, "figures", "submissions") or {}
    lb = _get(data, "figures", "leaderboard") or {}
    return [
        figure(
            b,
            f"variant items, {n} contestants / common set" if n else "variant items / common set",
            _ms(v.get("seconds")),
            "ms",
            _ms(v.get("baseline_seconds")),
            v.get("ratio"),
            "v/b",
        ),
        figure(
            b,
            "submit_contest / plain insert, per submission",
            s.get("ms_per_submission"),
            "ms",
            s.get("baseline_ms"),
            s.get("ratio"),
            "v/b",
        ),
        figure(
            b,
            "leaderboard / plain sort",
            _ms(lb.get("seconds")),
            "ms",
            _ms(lb.get("baseline_seconds")),
            lb.get("ratio"),
            "v/b",
        ),
    ]


def headline_pages(data: dict[str, Any] | None) -> list[Row]:
    b = "pages"
    if data is None:
        return not_run(b)
    judged: bool | str = "indicative" if data.get("quick") else True
    stated = data.get("targets") or {}
    ratio_target = float(stated.get("ratio_to_hello", 1.2))
    rss_target = float(stated.get("kernel_rss_mb", 120.0))
    hello = _get(data, "baseline", "modes") or {}
    out = []
    for app, entry in (data.get("apps") or {}).items():
        for mode, m in (entry.get("modes") or {}).items():
            out.append(
                figure(
                    b,
                    f"{app}, {mode}: median time to interactive / hello",
                    _get(m, "summary", "median_ms"),
                    "ms",
                    m.get("hello_median_ms"),
                    m.get("ratio_to_hello"),
                    "v/b",
                    (Target("<=", ratio_target, "ratio", f"≤ {ratio_target:g}× hello"),),
                    judged,
                )
            )
        for mode, m in (entry.get("modes") or {}).items():
            rss = _get(m, "kernel", "rss_mb")
            hello_rss = _get(hello, mode, "kernel", "rss_mb")
            out.append(
                figure(
                    b,
                    f"{app}, {mode}: kernel RSS / hello",
                    rss,
                    "MB",
                    hello_rss,
                    rss / hello_rss if rss is not None and hello_rss else None,
                    "v/b",
                    (Target("<=", rss_target, "value", f"≤ {rss_target:g} MB"),),
                    judged,
                )
            )
    return out or not_run(b)


def headline_load(data: dict[str, Any] | None) -> list[Row]:
    b = "load"
    if data is None:
        return not_run(b)
    alone = data.get("alone") or {}
    crowd = data.get("crowd") or {}
    ratios = data.get("ratios") or {}
    n = _get(data, "settings", "contestants") or crowd.get("contestants")
    who = f"{n} contestants" if n else "crowd"
    # the join and submit targets are stated for 100 contestants (bench_load.py)
    full: bool | str = True if (n or 0) >= 100 else "fewer than 100 contestants"
    return [
        figure(
            b,
            f"join p95, {who} / one alone (p50)",
            crowd.get("join_p95_s"),
            "s",
            alone.get("join_p50_s"),
            ratios.get("join_p95_over_alone"),
            "v/b",
            targets=(Target("<=", 3.0, "value", "≤ 3 s at 100"),),
            judged=full,
        ),
        figure(
            b,
            f"submit → stored p95, {who} / one alone (p50)",
            crowd.get("submit_p95_ms"),
            "ms",
            alone.get("submit_p50_ms"),
            ratios.get("submit_p95_over_alone"),
            "v/b",
            targets=(Target("<=", 250.0, "value", "≤ 250 ms at 100"),),
            judged=full,
        ),
        figure(
            b,
            f"submissions lost, {who}",
            crowd.get("lost"),
            "",
            alone.get("lost"),
            targets=(Target("==", 0, "value", "= 0"),),
        ),
        figure(
            b,
            f"peak memory server + kernels, {who} / one alone",
            crowd.get("peak_total_mb"),
            "MB",
            alone.get("peak_total_mb"),
            crowd["peak_total_mb"] / alone["peak_total_mb"]
            if crowd.get("peak_total_mb") is not None and alone.get("peak_total_mb")
            else None,
            "v/b",
        ),
    ]


def headline_page_flood(data: dict[str, Any] | None) -> list[Row]:
    b = "page_flood"
    if data is None:
        return not_run(b)
    fetches = data.get("fetches")
    return [
        figure(b, f"page fetches refused (503) of {fetches}", data.get("busy_503"), "fetches"),
        figure(
            b, f"peak kernels (--max-kernels {data.get('max_kernels')})", data.get("peak_kernels"), "kernels"
        ),
        figure(b, "peak RSS of the server's process group", data.get("peak_group_rss_mb"), "MB"),
    ]


HEADLINES: dict[str, Callable[[dict[str, Any] | None], list[Row]]] = {
    "generate": headline_generate,
    "scoring": headline_scoring,
    "findings": headline_findings,
    "ledger_cards": headline_ledger_cards,
    "ledger_import": headline_ledger_import,
    "audit": headline_audit,
    "competition": headline_competition,
    "pages": headline_pages,
    "load": headline_load,
    "page_flood": headline_page_flood,
}


# ---------------------------------------------------------------------------------------------------------
# running


def supports(script: Path, option: str) -> bool:
    """Whether the script declares ``option`` (its argparse source names it)."""
    return f'"{option}"' in script.read_text(encoding="utf-8")


def run_one(name: str, results: Path, quick: bool) -> dict[str, Any]:
    """Run one benchmark script; its output goes to ``results/<name>.log``."""
    script = HERE / SCRIPTS[name]
    out = results / f"{name}.json"
    cmd = [sys.executable, str(script), "--json", str(out)]
    if quick and supports(script, "--quick"):
        cmd.append("--quick")
    log = results / f"{name}.log"
    results.mkdir(parents=True, exist_ok=True)
    print(f"[run_all] {name}: {' '.join(cmd[1:])} > {log}", flush=True)
    start = time.perf_counter()
    with log.open("w", encoding="utf-8") as fh:
        code = subprocess.call(cmd, cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT)
    seconds = time.perf_counter() - start
    status = "ok" if code == 0 else f"failed (exit {code})"
    print(f"[run_all] {name}: {status} in {seconds:.1f} s", flush=True)
    return {
        "name": name,
        "command": cmd[1:],
        "exit_code": code,
        "status": status,
        "seconds": round(seconds, 1),
    }


def load_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def collect(results: Path, names: list[str], runs: dict[str, dict[str, Any]] | None = None) -> list[Row]:
    """The rows of every named benchmark from ``results/<name>.json``; a failed run gives one failed row."""
    rows: list[Row] = []
    for name in names:
        run = (runs or {}).get(name)
        if run is not None and run["exit_code"] != 0:
            rows += not_run(name, run["status"])
            continue
        rows += HEADLINES[name](load_json(results / f"{name}.json"))
    return rows


# ---------------------------------------------------------------------------------------------------------
# the table


def fmt(x: float | None) -> str:
    """A figure with about four significant digits and thousands separators."""
    if x is None:
        return ""
    if isinstance(x, bool):
        return str(x)
    if x == int(x) and abs(x) < 1e15:
        return f"{int(x):,}"
    a = abs(x)
    if a >= 1000:
        return f"{x:,.0f}"
    if a >= 100:
        return f"{x:.1f}"
    if a >= 10:
        return f"{x:.2f}"
    if a >= 0.01:
        return f"{x:.3f}"
    return f"{x:.2e}"


def table(rows: list[Row]) -> str:
    head = ["benchmark", "figure", "value", "unit", "baseline", "ratio", "of", "target", "verdict"]
    body = []
    last = None
    for r in rows:
        body.append(
            [
                r.benchmark if r.benchmark != last else "",
                r.figure,
                fmt(r.value),
                r.unit,
                fmt(r.baseline),
                f"{fmt(r.ratio)}×" if r.ratio is not None else "",
                r.ratio_of,
                r.target,
                r.verdict,
            ]
        )
        last = r.benchmark
    widths = [max(len(h), *(len(line[i]) for line in body)) if body else len(h) for i, h in enumerate(head)]
    right = {2, 4, 5}

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    out = [line(head), "  ".join("-" * w for w in widths)]
    last = None
    for r, cells in zip(rows, body, strict=True):
        if last is not None and r.benchmark != last:
            out.append("")
        out.append(line(cells).rstrip())
        last = r.benchmark
    out.append("")
    out.append(
        "ratio: v/b = value ÷ baseline, b/v = baseline ÷ value (each benchmark's own definition); "
        "baseline measured in the same run"
    )
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------------------


def names_from(text: str | None, parser: argparse.ArgumentParser, known: list[str]) -> list[str]:
    if not text:
        return []
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in known]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)} (known: {', '.join(known)})")
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="pass --quick to every script that has it")
    parser.add_argument("--only", metavar="A,B", help="only these benchmarks")
    parser.add_argument("--skip", metavar="A,B", help="not these benchmarks")
    parser.add_argument(
        "--report", action="store_true", help="run nothing; summarise the existing JSON files"
    )
    parser.add_argument(
        "--results", type=Path, default=DEFAULT_RESULTS, help="results folder (default %(default)s)"
    )
    args = parser.parse_args(argv)
    known = [*SCRIPTS, *REPORT_ONLY]
    only = names_from(args.only, parser, known)
    skip = set(names_from(args.skip, parser, known))
    names = [n for n in (only or known) if n not in skip]
    results: Path = args.results

    runs: dict[str, dict[str, Any]] = {}
    if not args.report:
        for name in names:
            if name in SCRIPTS:
                runs[name] = run_one(name, results, args.quick)
        print()
    rows = collect(results, names, runs)
    print(table(rows))
    from toolkit import __version__ as toolkit_version

    save_results(
        results / "summary.json",
        "summary",
        toolkit_version,
        mode="report" if args.report else ("quick" if args.quick else "full"),
        runs=list(runs.values()),
        rows=[asdict(r) for r in rows],
    )
    return 1 if any(r["exit_code"] != 0 for r in runs.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
