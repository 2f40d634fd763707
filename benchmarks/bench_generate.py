"""Throughput of the seeded intake-case generator against a naive Faker-per-field baseline.

Run from anywhere::

    python benchmarks/bench_generate.py            # full run (about a minute)
    python benchmarks/bench_generate.py --quick    # 10x smaller sizes, a smoke run
    python benchmarks/bench_generate.py --json OUT.json

Everything is measured in one process run, so the baseline and the generator see the same machine
state. Times are printed, never asserted: the target verdicts are printed as text.

Measurements (full sizes; ``--quick`` divides every count by 10):

1. naive baseline, 2,000 cases as dicts, and as JSON lines (best of 3);
2. toolkit generator, 20,000 ``Case`` objects via ``CaseGenerator.cases`` (best of 3);
3. toolkit generator, 20,000 cases as JSON lines via ``case_bytes`` (UTF-8 bytes, as written to
   files; best of 3);
4. ``write_cases`` end to end, 100,000 cases to a JSONL file, workers=1 and workers=2 (once each,
   wall clock; this includes loading the pack, and starting the worker processes for workers=2);
5. ``load_pack`` once.

The naive baseline is what a first attempt would do: one ``Faker("zh_CN")`` instance for the run,
``seed_instance(seed * 1_000_003 + index)`` per case (for per-case reproducibility, which the
generator also gives), then one Faker call per field, and due dates counted day by day with
``chinese_calendar.is_workday``. It produces a dict of the same shape and of similar size as a real
case; average bytes per JSON line are printed for both.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import sys
import tempfile
import time
from collections import OrderedDict
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import chinese_calendar  # type: ignore[import-untyped]
import faker
from timing import best_of, drain  # benchmarks/timing.py, beside this script

from toolkit import __version__ as toolkit_version
from toolkit.generate.batch import case_bytes, write_cases
from toolkit.generate.cases import CaseGenerator
from toolkit.packs import load_pack

ROOT = Path(__file__).resolve().parents[1]
PACK_DIR = ROOT / "scenarios" / "default"
DEFAULT_JSON = ROOT / "benchmarks" / "results" / "generate.json"

FULL_SIZES = {"baseline": 2_000, "objects": 20_000, "json": 20_000, "end_to_end": 100_000}
REPEATS = 3
TARGET_RATIO = 10.0
TARGET_CASES = 100_000
TARGET_SECONDS = 5.0

BASELINE_DESCRIPTION = (
    "one Faker('zh_CN') instance per run, seed_instance(seed*1_000_003+index) per case, "
    "one Faker call per field, due dates counted day by day with chinese_calendar.is_workday"
)

# -- naive baseline ---------------------------------------------------------------------------------

CHINA_TZ = timezone(timedelta(hours=8))
WINDOW = (datetime(2025, 1, 2, tzinfo=CHINA_TZ), datetime(2026, 6, 30, 23, 59, tzinfo=CHINA_TZ))
CHANNELS = OrderedDict(
    [("letter", 0.30), ("online", 0.24), ("visit", 0.20), ("phone", 0.16), ("forwarded", 0.10)]
)
CATEGORIES = ("accusation", "petition", "suggestion", "out_of_scope")
ACTIONS = ("assign", "transfer", "file", "report_up", "handle")
LEVELS = ("easy", "medium", "hard")
CADRE_LEVELS = ("county", "town", "village", "unit")
FORM_LABELS = ("姓名", "联系电话", "身份证号", "现住址", "被反映人", "被反映人单位", "职务", "标题")
SLIP_LABELS = ("转送机关", "文号", "转送日期", "签收日期", "原件形式", "处理要求")
# (code, clock, amount): the deadlines that run from receipt in the default pack
DEADLINES = (
    ("acceptance_notice", "working_days", 15),
    ("report_up", "working_days", 5),
    ("forwarded_disposition", "working_days", 5),
    ("disposal_plan", "months", 1),
    ("petition_acceptance_notice", "calendar_days", 15),
    ("transfer", "calendar_days", 15),
)


def naive_add_working_days(start: date, n: int) -> date:
    """The n-th working day after ``start``, one day at a time."""
    day, counted = start, 0
    while counted < n:
        day += timedelta(days=1)
        if chinese_calendar.is_workday(day):
            counted += 1
    return day


def naive_roll(day: date) -> date:
    while not chinese_calendar.is_workday(day):
        day += timedelta(days=1)
    return day


def naive_due(start: date, clock: str, amount: int) -> date:
    if clock == "working_days":
        return naive_add_working_days(start, amount)
    if clock == "calendar_days":
        return naive_roll(start + timedelta(days=amount))
    month = start.month - 1 + amount
    year, month = start.year + month // 12, month % 12 + 1
    day = start.day
    while True:  # clamp to the month's last day, the naive way
        try:
            return naive_roll(date(year, month, day))
        except ValueError:
            day -= 1


class NaiveBaseline:
    """One Faker("zh_CN") instance for the run, reseeded per case; one Faker call per field."""

    def __init__(self) -> None:
        self.fake = faker.Faker("zh_CN")

    def case(self, seed: int, index: int) -> dict[str, Any]:
        fake = self.fake
        fake.seed_instance(seed * 1_000_003 + index)
        channel = fake.random_element(CHANNELS)
        received = fake.date_time_between(start_date=WINDOW[0], end_date=WINDOW[1], tzinfo=CHINA_TZ)
        real_name = fake.boolean(chance_of_getting_true=70)
        if real_name:
            reporter = {
                "real_name": True,
                "name": fake.name(),
                "phone": fake.phone_number(),
                "id_number": fake.ssn(),
                "address": fake.address(),
                "sex": fake.random_element(("male", "female")),
                "birth_date": fake.date_of_birth(minimum_age=18, maximum_age=85).isoformat(),
            }
        else:
            reporter = dict.fromkeys(("name", "phone", "id_number", "address", "sex", "birth_date"))
            reporter = {"real_name": False, **reporter}
        accused = {
            "name": fake.name(),
            "post": fake.job(),
            "unit": fake.bothify("t##"),
            "unit_name": fake.company(),
            "level": fake.random_element(CADRE_LEVELS),
        }
        material: dict[str, Any] = {
            "kind": channel,
            "title": "",
            "text": "",
            "dialogue": [],
            "form": [],
            "slip": [],
            "notes": [],
        }
        if channel in ("letter", "forwarded"):
            material["title"] = f"来信({received:%Y年%m月%d日}收到)"
            lines = ["尊敬的领导："] + ["    " + fake.paragraph(nb_sentences=4) for _ in range(5)]
            lines.append(f"{reporter['name'] or fake.city() + '群众'}  {reporter['phone'] or ''}")
            lines.append(f"{received:%Y年%m月%d日}")
            material["text"] = "\n".join(lines)
            if channel == "forwarded":
                material["slip"] = [
                    {"label": label, "value": fake.sentence(nb_words=4)} for label in SLIP_LABELS
                ]
        elif channel == "online":
            material["title"] = "网络举报:" + fake.sentence(nb_words=8)
            material["text"] = "\n".join(fake.paragraph(nb_sentences=4) for _ in range(3))
            material["form"] = (
                [{"label": "提交时间", "value": f"{received:%Y-%m-%d %H:%M}"}]
                + [{"label": label, "value": fake.sentence(nb_words=4)} for label in FORM_LABELS]
                + [{"label": "主要问题", "value": material["text"]}]
            )
        else:
            material["title"] = f"来访({received:%Y-%m-%d %H:%M})"
            material["dialogue"] = [
                {
                    "speaker": "officer" if turn % 2 == 0 else "visitor",
                    "stage": fake.word(),
                    "text": fake.sentence(nb_words=14),
                }
                for turn in range(13)
            ]
        category = fake.random_element(CATEGORIES)
        chosen = fake.random_elements(DEADLINES, length=fake.random_int(0, 2), unique=True)
        day = received.date()
        due = {code: naive_due(day, clock, amount).isoformat() for code, clock, amount in chosen}
        return {
            "id": f"naive-{seed}-{index:06d}",
            "seed": seed,
            "index": index,
            "pack": "naive",
            "level": LEVELS[index % 3],
            "channel": channel,
            "received_at": received.isoformat(timespec="minutes"),
            "material": material,
            "reporter": reporter,
            "accused": [accused],
            "truth": {
                "category": category,
                "flags": ["real_name" if real_name else "anonymous"],
                "problem_type": fake.word(),
                "route": {
                    "action": fake.random_element(ACTIONS),
                    "unit": fake.bothify("t##_cdi"),
                    "copy_to": None,
                },
                "disposal": None,
                "due": due,
                "repeat_of": None,
                "specificity": fake.random_element(("specific", "vague")),
            },
        }


def naive_json(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


# -- timing -----------------------------------------------------------------------------------------


def cpu_seconds() -> float:
    """CPU time (user + system) of this process and of its finished child processes."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def machine_busy_seconds() -> float | None:
    """CPU seconds all processes on the machine have used since boot (Linux ``/proc/stat``), else None."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


class CpuWatch:
    """CPU used by this run (process + finished children) and by everything else on the machine."""

    def __init__(self) -> None:
        self.own0, self.all0 = cpu_seconds(), machine_busy_seconds()

    def stop(self) -> tuple[float, float | None]:
        own = cpu_seconds() - self.own0
        busy = machine_busy_seconds()
        others = None if busy is None or self.all0 is None else max(0.0, busy - self.all0 - own)
        return own, others


def end_to_end(seed: int, count: int, workers: int, folder: Path) -> dict[str, Any]:
    out = folder / f"cases-w{workers}.jsonl"
    load_before = os.getloadavg()[0]
    watch = CpuWatch()
    start = time.perf_counter()
    with out.open("wb") as fh:
        write_cases(PACK_DIR, seed, count, None, fh, workers=workers)
    seconds = time.perf_counter() - start
    cpu, others = watch.stop()
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    size = out.stat().st_size
    out.unlink()
    return {
        "cases": count,
        "workers": workers,
        "seconds": seconds,
        "cases_per_s": count / seconds,
        "us_per_case": seconds / count * 1e6,
        "cpu_seconds": cpu,
        "cpu_per_wall": cpu / seconds,
        "other_processes_cpu_seconds": others,
        "loadavg_1min_before": load_before,
        "file_bytes": size,
        "sha256": digest,
    }


# -- report -----------------------------------------------------------------------------------------


def row(
    label: str, cases: int | str, seconds: float | str, rate: float | str, us: float | str, note: str = ""
) -> str:
    def fmt(v: float | int | str, spec: str) -> str:
        return v if isinstance(v, str) else format(v, spec)

    return (
        f"{label:<34} {fmt(cases, ','):>9} {fmt(seconds, '.3f'):>9} {fmt(rate, ',.0f'):>10} "
        f"{fmt(us, ',.1f'):>9}  {note}"
    )


def fmt_opt(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10x smaller sizes (smoke run)")
    parser.add_argument(
        "--json", type=Path, default=DEFAULT_JSON, help=f"results file (default {DEFAULT_JSON})"
    )
    parser.add_argument("--seed", type=int, default=7, help="seed for both generators (default 7)")
    args = parser.parse_args(argv)
    seed = args.seed
    sizes = {k: v // 10 for k, v in FULL_SIZES.items()} if args.quick else dict(FULL_SIZES)

    machine: dict[str, Any] = {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "cpu_count": os.cpu_count(),
        "loadavg_at_start": os.getloadavg(),
        "faker": faker.VERSION,
        "toolkit": toolkit_version,
    }

    run_watch = CpuWatch()
    run_start = time.perf_counter()

    # 5. pack load (first call in this process)
    start = time.perf_counter()
    pack = load_pack(PACK_DIR)
    pack_load = time.perf_counter() - start

    start = time.perf_counter()
    gen = CaseGenerator(pack)
    gen.history(seed)
    setup = time.perf_counter() - start

    # 1. naive baseline
    naive = NaiveBaseline()
    naive.case(seed, 0)  # warm-up
    n = sizes["baseline"]
    base_dicts = best_of(lambda: drain(naive.case(seed, i) for i in range(n)), REPEATS, "case")
    base_json = best_of(lambda: drain(naive_json(naive.case(seed, i)) for i in range(n)), REPEATS, "case")
    base_bytes = sum(len(naive_json(naive.case(seed, i)).encode()) for i in range(n)) / n

    # 2./3. the generator, in this process
    drain(gen.cases(seed, 100))  # warm-up
    n = sizes["objects"]
    objects = best_of(lambda: drain(gen.cases(seed, n)), REPEATS, "case")
    n = sizes["json"]
    lines = best_of(lambda: drain(case_bytes(c) for c in gen.cases(seed, n)), REPEATS, "case")
    real_bytes = sum(len(case_bytes(c)) for c in gen.cases(seed, n)) / n

    # 4. end to end through write_cases
    n = sizes["end_to_end"]
    with tempfile.TemporaryDirectory(prefix="xfkit-bench-") as tmp:
        e2e = [end_to_end(seed, n, workers, Path(tmp)) for workers in (1, 2)]
    identical = e2e[0]["sha256"] == e2e[1]["sha256"]
    speedup = e2e[0]["seconds"] / e2e[1]["seconds"]
    best_e2e = min(e2e, key=lambda r: r["seconds"])

    run_seconds = time.perf_counter() - run_start
    run_cpu, run_others = run_watch.stop()
    machine["loadavg_at_end"] = os.getloadavg()

    ratio_objects = objects["cases_per_s"] / base_dicts["cases_per_s"]
    ratio_json = lines["cases_per_s"] / base_json["cases_per_s"]
    ratio_met = ratio_json >= TARGET_RATIO
    if n == TARGET_CASES:
        time_verdict = "met" if best_e2e["seconds"] <= TARGET_SECONDS else "not met"
    else:
        time_verdict = f"not judged (--quick ran {n:,} cases, not {TARGET_CASES:,})"
    ratio_verdict = ("met" if ratio_met else "not met") + (
        " (--quick sizes, indicative)" if args.quick else ""
    )

    width = 100
    out = [
        "=" * width,
        f"Case generation benchmark{'  [--quick]' if args.quick else ''}",
        "=" * width,
        f"machine    : {machine['platform']}",
        f"python     : {machine['implementation']} {machine['python']}   cpu_count: {machine['cpu_count']}   "
        f"loadavg at start: {' '.join(f'{x:.2f}' for x in machine['loadavg_at_start'])}",
        f"versions   : toolkit {toolkit_version}, Faker {faker.VERSION}",
        f"pack       : {pack.ref} ({PACK_DIR.relative_to(ROOT)})   seed: {seed}   levels: rotating",
        "baseline   : one Faker('zh_CN') instance per run, seed_instance(seed*1_000_003+index) per case,",
        "             one Faker call per field, due dates day by day with chinese_calendar.is_workday",
        f"timing     : time.perf_counter; one warm-up; best of {REPEATS} for rows marked 'best/3'",
        "-" * width,
        row("measurement", "cases", "seconds", "cases/s", "µs/case", "notes"),
        "-" * width,
        row("load_pack (once)", "-", pack_load, "-", "-", "first call in this process"),
        row("generator setup (tables+history)", "-", setup, "-", "-", "CaseGenerator(pack) + history(seed)"),
        row(
            "1a naive baseline, dicts",
            base_dicts["cases"],
            base_dicts["seconds"],
            base_dicts["cases_per_s"],
            base_dicts["us_per_case"],
            "best/3",
        ),
        row(
            "1b naive baseline, JSON lines",
            base_json["cases"],
            base_json["seconds"],
            base_json["cases_per_s"],
            base_json["us_per_case"],
            f"best/3, {base_bytes:,.0f} B/line",
        ),
        row(
            "2  toolkit, Case objects",
            objects["cases"],
            objects["seconds"],
            objects["cases_per_s"],
            objects["us_per_case"],
            f"best/3, {ratio_objects:.1f}× vs 1a",
        ),
        row(
            "3  toolkit, JSON lines",
            lines["cases"],
            lines["seconds"],
            lines["cases_per_s"],
            lines["us_per_case"],
            f"best/3, {ratio_json:.1f}× vs 1b, {real_bytes:,.0f} B/line",
        ),
    ]
    for r in e2e:
        out.append(
            row(
                f"4  write_cases, workers={r['workers']}",
                r["cases"],
                r["seconds"],
                r["cases_per_s"],
                r["us_per_case"],
                f"once, cpu {r['cpu_seconds']:.2f} s ({r['cpu_per_wall']:.2f} cores), "
                f"others {fmt_opt(r['other_processes_cpu_seconds'])} s, {r['file_bytes'] / 1e6:,.1f} MB",
            )
        )
    out += [
        "-" * width,
        f"ratios     : objects {ratio_objects:.1f}×, JSON lines {ratio_json:.1f}× the naive baseline "
        f"(bytes/line: toolkit {real_bytes:,.0f}, naive {base_bytes:,.0f})",
        f"workers=2  : speed-up {speedup:.2f}× over workers=1 on cpu_count={machine['cpu_count']}; "
        f"outputs byte-identical: {'yes' if identical else 'NO'}",
        f"machine    : this run used {run_cpu:.1f} CPU s in {run_seconds:.1f} s; other processes used "
        f"{fmt_opt(run_others)} CPU s meanwhile; loadavg at end: "
        f"{' '.join(f'{x:.2f}' for x in machine['loadavg_at_end'])}",
        f"end to end : {best_e2e['cases_per_s'] / base_json['cases_per_s']:.1f}× the baseline's JSON lines "
        f"(write_cases to a file with workers={best_e2e['workers']}, against the single-process baseline)",
        f"target ≥{TARGET_RATIO:.0f}× (JSON lines vs baseline, one core each): "
        f"{ratio_verdict}  ({ratio_json:.1f}×)",
        f"target {TARGET_CASES:,} cases ≤ {TARGET_SECONDS:.0f} s (best of workers=1/2): {time_verdict}  "
        f"({best_e2e['seconds']:.2f} s with workers={best_e2e['workers']} for {n:,} cases)",
        "=" * width,
    ]
    print("\n".join(out))

    result = {
        "quick": args.quick,
        "machine": machine,
        "pack": {"ref": pack.ref, "path": str(PACK_DIR.relative_to(ROOT)), "load_seconds": pack_load},
        "seed": seed,
        "sizes": sizes,
        "generator_setup_seconds": setup,
        "run": {"seconds": run_seconds, "cpu_seconds": run_cpu, "other_processes_cpu_seconds": run_others},
        "baseline": {
            "description": BASELINE_DESCRIPTION,
            "dicts": base_dicts,
            "json_lines": base_json,
            "bytes_per_line": base_bytes,
        },
        "toolkit": {"objects": objects, "json_lines": lines, "bytes_per_line": real_bytes},
        "end_to_end_ratio": best_e2e["cases_per_s"] / base_json["cases_per_s"],
        "end_to_end": {"runs": e2e, "speedup_2_workers": speedup, "byte_identical": identical},
        "ratios": {"objects_vs_baseline_dicts": ratio_objects, "json_vs_baseline_json": ratio_json},
        "targets": {
            "ratio": {"target": TARGET_RATIO, "value": ratio_json, "verdict": ratio_verdict},
            "end_to_end": {
                "target_cases": TARGET_CASES,
                "target_seconds": TARGET_SECONDS,
                "cases": n,
                "seconds": best_e2e["seconds"],
                "workers": best_e2e["workers"],
                "verdict": time_verdict,
            },
        },
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"results written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
