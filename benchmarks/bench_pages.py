"""Time to interactive of the app pages against a one-button hello-world page, and RSS per kernel.

Run from anywhere::

    python benchmarks/bench_pages.py                  # every app page: 8 loads per page and mode
    python benchmarks/bench_pages.py --quick          # 3 loads per page and mode
    python benchmarks/bench_pages.py --apps intake    # only some app pages (home, intake, faults, ledger,
                                                      # audit, audit_desk, contest, console, board)
    python benchmarks/bench_pages.py --json OUT.json --loads N

Every page is served by the SAME ``xfkit serve`` process, started the way the browser tests start it
(``python -m toolkit.cli serve`` in its own process group, stopped with SIGINT): a temporary notebooks
folder holds copies of the app notebooks plus ``hello.ipynb`` (one cell: an ipywidgets button), served
through the hidden ``--also-serve`` option. Two server runs:

* cold: ``--no-preheat``, every page load starts and runs a new kernel;
* preheated: the default; every learner app notebook the release serves (``home.ipynb``,
  ``intake.ipynb`` and any other learner app in ``notebooks/``, measured or not; see
  ``enforce_settings`` in ``toolkit/serve.py``) and ``hello.ipynb`` each have a pool of one preheated
  kernel.

One page load, in headless Chromium (Debian's), in a fresh browser context: t0 just before
``page.goto``; t1 when the page is interactive:

* home: the title 信访举报业务训练与质量评查工具箱 visible and the Voila spinner (``#loading``) gone;
* intake: the 下一件 button (``intake.start.next``) visible and enabled and the Voila spinner gone;
* hello: the "Hello" button visible and enabled.

In-page ``performance.now()`` (milliseconds since the navigation started) is read right after, as a
cross-check, with the navigation timing (first byte, end of the streamed HTML). Each round loads every
chosen app page, then hello (home / intake / hello, home / intake / hello, …), so that drift spreads
over all of them. Before each load the server and its kernels must be quiet (at most 2 clock ticks of CPU
in each of two 0.5 s windows in a row) and, when preheating, the page's kernel pool must have been
refilled and the preheated kernel must have finished running the notebook (that is what the quiet wait
catches: "pool filled" is logged before the notebook runs; the intake notebook then loads the whole
scenario pack, 1–2 s of CPU). Leaving a page goes to ``about:blank`` first, so that Voila's
``beforeunload`` handler asks the server to shut the kernel down, as when a learner closes the tab.
(Stock Voila 0.5 refuses that request, 403 ``'_xsrf' argument missing``, voila-dashboards/voila#1458;
xfkit serve accepts it from the same origin. Any refusals still found in the server log are counted, and
the kernels left at the end are printed.)

A page that is not interactive within 120 s is a failed load: it is counted, left out of the figures,
and what the page showed (screenshot, page text, console, whether its kernel is alive and busy, the
server log lines about that kernel) is saved next to the results as ``<stem>-failed-<mode>-<page>-<load>``
``.png`` / ``.json``; the run goes on.

The quiet wait covers the benchmark's own processes only. To show how busy the rest of the machine was,
each load also records the CPU seconds used by other processes while it ran (machine-wide busy time from
``/proc/stat`` minus the CPU time of this process and all its descendants: browser, server, kernels), and
the load average is recorded at the start and end of each server run.

Before the timed loads each page is opened once (untimed, a warm-up): while it is open, the RSS of its
kernel process (``VmRSS`` in ``/proc/<pid>/status``; PSS from ``smaps_rollup`` as well) is read after
the page has been interactive for one second. The kernel is found among the server's descendants (kernels
run in sessions of their own, not in the server's process group) by the kernel id in the page's
``jupyter-config-data``, matched against the connection file on the kernel's command line.

Figures are printed and written to JSON (per app: summaries per mode, ratio to hello, kernel memory,
verdicts), never asserted; the targets are printed as met / not met for each app page: median ≤ 1.2×
the hello median of the same server run (per mode), and ≤ 120 MB RSS for the app's kernel.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import math
import os
import platform
import re
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.apps import APPS as APPS_INFO
from toolkit.i18n import t
from toolkit.serve_process import CHROMIUM, CHROMIUM_ARGS, ServerProcess
from toolkit.serve_process import start as start_process

ROOT = Path(__file__).resolve().parents[1]
APP_NOTEBOOKS = ROOT / "notebooks"
DEFAULT_JSON = ROOT / "benchmarks" / "results" / "pages.json"
SECRET = "bench-pages-trainer-secret"

HOME_TITLE = "信访举报业务训练与质量评查工具箱"
INTAKE_NEXT = t("intake.start.next", "zh")  # 下一件
FAULTS_NEXT = t("faults.start.next", "zh")  # 下一份案卷
HELLO_TEXT = "Hello"
HELLO = "hello"
#: app pages the benchmark knows how to wait for: name → notebook
APPS = {
    "home": "home.ipynb",
    "intake": "intake.ipynb",
    "faults": "faults.ipynb",
    "ledger": "ledger.ipynb",
    "audit": "audit.ipynb",
    "audit_desk": "audit_desk.ipynb",
    "contest": "contest.ipynb",
    "console": "console.ipynb",
    "board": "board.ipynb",
}
DEFAULT_APPS = tuple(APPS)
PAGES = {**APPS, HELLO: "hello.ipynb"}
#: the button that makes each button-ready page usable
BUTTONS = {
    "intake": INTAKE_NEXT,
    "faults": FAULTS_NEXT,
    "ledger": t("ledger.export", "zh"),
    "audit": t("audit.done", "zh"),
    "audit_desk": t("desk.preview", "zh"),
    "contest": t("contest.join", "zh"),
    "console": t("console.export", "zh"),
    HELLO: HELLO_TEXT,
}
#: text that makes a page without a button usable
TEXTS = {"home": HOME_TITLE, "board": t("contest.round_no", "zh", n=1, total=1)}
READY = {
    **{name: f"text {text} visible, spinner gone" for name, text in TEXTS.items()},
    **{name: f"button {label} visible and enabled, spinner gone" for name, label in BUTTONS.items()},
    HELLO: f"button {HELLO_TEXT} visible and enabled",
}
#: what each page's URL carries: the trainer secret, a reviewer's link, a competition's code (see seed_data)
QUERIES: dict[str, str] = {"audit_desk": f"key={SECRET}", "console": f"key={SECRET}"}
MODES = ("cold", "preheated")
#: pages served from a preheated kernel (the others start theirs on demand; see toolkit/apps.py)
POOLED = {
    app.notebook.removesuffix(".ipynb") for app in APPS_INFO if app.preheat and not app.trainer_only
} | {HELLO}

FULL_LOADS = 8
QUICK_LOADS = 3
TARGET_RATIO = 1.2
TARGET_RSS_MB = 120.0

PAGE_TIMEOUT_MS = 120_000
START_TIMEOUT_S = 180.0
POOL_TIMEOUT_S = 180.0
SETTLE_TIMEOUT_S = 60.0
RSS_SETTLE_S = 1.0
CLK_TCK = os.sysconf("SC_CLK_TCK")

HELLO_NOTEBOOK: dict[str, Any] = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "hello",
            "metadata": {},
            "outputs": [],
            "source": ["import ipywidgets as w\n", 'w.Button(description="Hello")'],
        }
    ],
    "metadata": {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}

POOL_FILLED = re.compile(r"Kernel pool of (\S+) is filled")
POOL_USED = re.compile(r"Using pre-heated kernel: \S+ for (\S+)")
#: xfkit serve logs a notebook cell's error (the page itself shows no traceback)
PAGE_ERROR = re.compile(r"^a page cell raised (\S+?): (.*)$", re.MULTILINE)
SHUTDOWN_REFUSED = re.compile(r"403 POST /voila/api/shutdown/\S+ \([^)]*\): '_xsrf' argument missing")


# -- the server -------------------------------------------------------------------------------------


def seed_data(data: Path) -> None:
    """An audit and a competition in the store the server will use, so their pages have something to show."""
    from toolkit.audit.population import dossier_population
    from toolkit.audit.setup import demo_reviewers, new_audit
    from toolkit.competition.model import CompetitionSpec, RoundSpec
    from toolkit.competitions import create_competition
    from toolkit.packs import load_pack
    from toolkit.store import Store, default_url

    pack = load_pack("default")
    items, _ = dossier_population(pack, 1, 40)
    audit = new_audit(
        name="bench",
        pack=pack.ref,
        source="dossiers:40",
        population=items,
        reviewers=demo_reviewers(pack),
        seed=1,
        rate=0.3,
    )
    data.mkdir(parents=True, exist_ok=True)
    with Store.open(default_url(data)) as store:
        store.add_audit(audit)
        spec = CompetitionSpec("bench", pack.name, 1, (RoundSpec("quiz", 5, 10),))
        record = create_competition(store, spec, pack)
    reviewer = max(audit.assignment.loads(), key=lambda name: audit.assignment.loads()[name])
    QUERIES["audit"] = f"audit={audit.id}&r={audit.tokens[reviewer]}"
    QUERIES["board"] = f"code={record.code}"


def make_notebooks(folder: Path) -> Path:
    """The app notebooks plus ``hello.ipynb``, in a folder of their own."""
    folder.mkdir(parents=True, exist_ok=True)
    for nb in sorted(APP_NOTEBOOKS.glob("*.ipynb")):
        shutil.copy2(nb, folder / nb.name)
    (folder / PAGES[HELLO]).write_text(json.dumps(HELLO_NOTEBOOK, indent=1) + "\n", encoding="utf-8")
    return folder


Server = ServerProcess


def log_count(server: Server, pattern: re.Pattern[str], notebook: str) -> int:
    """How many log lines match ``pattern`` for ``notebook``."""
    return sum(1 for m in pattern.finditer(server.log_text()) if Path(m.group(1)).name == notebook)


def start_server(tmp: Path, notebooks: Path, data: Path, log_name: str, *args: str) -> Server:
    """``xfkit serve`` on the benchmark's notebooks, serving hello.ipynb too; returns once ``/`` answers."""
    server = start_process(
        tmp,
        "--trainer-secret",
        SECRET,
        "--notebooks",
        str(notebooks),
        "--also-serve",
        PAGES[HELLO],
        *args,
        cwd=ROOT,
        log_name=log_name,
        timeout_s=START_TIMEOUT_S,
    )
    assert server.data == data, "the server keeps its data in <tmp>/data"
    return server


def stop_server(server: Server) -> None:
    """Stop the server (Voila then stops its kernels); kernels left over are killed by pid."""
    kernels = kernel_processes(server.process.pid)
    server.stop()
    for kernel_id, pid in kernels.items():  # kernels run in sessions of their own

        def gone(pid: int = pid, kernel_id: str = kernel_id) -> bool:
            return not any(kernel_id in a for a in cmdline(pid))

        if wait_until(gone, 10) < 0:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


# -- processes (Linux /proc) ------------------------------------------------------------------------


def tree_pids(root: int) -> list[int]:
    """``root`` and all its descendants (jupyter_client starts kernels in sessions of their own)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat[stat.rfind(")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, ()))
    return out


def stat_fields(pid: int) -> list[str] | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat[stat.rfind(")") + 2 :].split()


def cpu_ticks(pid: int) -> int | None:
    """utime + stime of one process, in clock ticks."""
    fields = stat_fields(pid)
    return None if fields is None else int(fields[11]) + int(fields[12])


def tree_cpu_s(root: int) -> float:
    """CPU seconds of ``root`` and its descendants, reaped children included (cutime + cstime)."""
    ticks = 0
    for pid in tree_pids(root):
        fields = stat_fields(pid)
        if fields is not None:
            ticks += sum(int(x) for x in fields[11:15])
    return ticks / CLK_TCK


def machine_busy_s() -> float | None:
    """CPU seconds all processes on the machine have used since boot (``/proc/stat``), else None."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system + irq + softirq + steal) / CLK_TCK


class OtherCpu:
    """CPU seconds used by processes other than this benchmark (and its descendants) since creation."""

    def __init__(self) -> None:
        self.own0, self.all0 = tree_cpu_s(os.getpid()), machine_busy_s()

    def stop(self) -> float | None:
        busy = machine_busy_s()
        if busy is None or self.all0 is None:
            return None
        return max(0.0, busy - self.all0 - (tree_cpu_s(os.getpid()) - self.own0))


def cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode("utf-8", "replace").split("\0")
    except OSError:
        return []


def kernel_processes(root: int) -> dict[str, int]:
    """Kernel id → pid of every ``ipykernel_launcher`` started by the server."""
    kernels: dict[str, int] = {}
    for pid in tree_pids(root):
        args = cmdline(pid)
        if not any("ipykernel_launcher" in a for a in args):
            continue
        for a in args:
            m = re.search(r"kernel-([0-9a-f-]+)\.json$", a)
            if m:
                kernels[m.group(1)] = pid
    return kernels


def memory_mb(pid: int) -> dict[str, float | None]:
    """VmRSS (and PSS when readable) of one process, in MB (MiB)."""
    out: dict[str, float | None] = {"rss_mb": None, "pss_mb": None}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                out["rss_mb"] = int(line.split()[1]) / 1024
    except OSError:
        pass
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                out["pss_mb"] = int(line.split()[1]) / 1024
    except OSError:
        pass
    return out


def settle(root: int, window_s: float = 0.5, quiet_ticks: int = 2, windows: int = 2) -> float:
    """Wait until the server and its kernels are quiet; return the seconds waited (-1 on time-out)."""
    t0 = time.monotonic()
    quiet = 0
    before = {pid: cpu_ticks(pid) for pid in tree_pids(root)}
    while time.monotonic() - t0 < SETTLE_TIMEOUT_S:
        time.sleep(window_s)
        after = {pid: cpu_ticks(pid) for pid in tree_pids(root)}
        used = sum((after[p] or 0) - (before[p] or 0) for p in after if p in before and after[p] is not None)
        new = any(p not in before for p in after)
        quiet = quiet + 1 if used <= quiet_ticks and not new else 0
        if quiet >= windows:
            return time.monotonic() - t0
        before = after
    return -1.0


def wait_until(check: Callable[[], bool], timeout_s: float, step_s: float = 0.1) -> float:
    """Poll ``check``; seconds waited, or -1 on time-out."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout_s:
        if check():
            return time.monotonic() - t0
        time.sleep(step_s)
    return -1.0


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


# -- page loads -------------------------------------------------------------------------------------


NAV_JS = """() => {
  const n = performance.getEntriesByType('navigation')[0];
  let kernelId = null;
  try {
    kernelId = JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId;
  } catch (e) {}
  return {now: performance.now(), ttfb: n ? n.responseStart : null, html: n ? n.responseEnd : null,
          kernelId: kernelId};
}"""


def wait_interactive(page: Any, which: str) -> None:
    """Return when the page ``which`` is usable (see :data:`READY`)."""
    if which in TEXTS:
        page.get_by_text(TEXTS[which]).filter(visible=True).first.wait_for(
            state="visible", timeout=PAGE_TIMEOUT_MS
        )
    else:
        label = BUTTONS[which]
        page.get_by_role("button", name=label, exact=True, disabled=False).first.wait_for(
            state="visible", timeout=PAGE_TIMEOUT_MS
        )
    if which != HELLO:
        page.locator("#loading").wait_for(state="hidden", timeout=PAGE_TIMEOUT_MS)


@dataclass
class Load:
    page: str
    wall_ms: float
    page_ms: float  # performance.now() right after the wait: since the navigation started
    ttfb_ms: float | None  # first byte of the HTML
    html_ms: float | None  # end of the (streamed) HTML: the notebook has run in the kernel
    kernel_id: str | None
    pooled: bool | None  # preheated mode: the server log says the pooled kernel was used
    settle_s: float  # seconds waited before the load (pool refill, quiet)
    others_cpu_s: float | None  # CPU seconds other processes on the machine used during the load
    failed: str | None = None  # the page did not become interactive in time: the error
    diagnosis: dict[str, Any] | None = None  # of a failed load: what the page and its kernel showed


def open_page(browser: Any, server: Server, which: str, artifacts: Path) -> tuple[Any, Any, Load]:
    """Open one page in a fresh context and time it; the caller closes it (see :func:`close_page`).

    A page that is not interactive within the time-out is a failed load, not an error: what the page and
    its kernel showed is saved to ``<artifacts>.png`` / ``<artifacts>.json`` and the run goes on.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    notebook = PAGES[which]
    used_before = log_count(server, POOL_USED, notebook)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
    others = OtherCpu()
    failed = None
    t0 = time.perf_counter()
    try:
        query = f"?{QUERIES[which]}" if which in QUERIES else ""
        page.goto(
            f"{server.url}/voila/render/{notebook}{query}", wait_until="commit", timeout=PAGE_TIMEOUT_MS
        )
        wait_interactive(page, which)
    except PlaywrightTimeoutError as exc:
        failed = str(exc).splitlines()[0]
    t1 = time.perf_counter()
    nav = page.evaluate(NAV_JS)
    others_s = others.stop()
    pooled = log_count(server, POOL_USED, notebook) > used_before
    load = Load(
        page=which,
        wall_ms=(t1 - t0) * 1000,
        page_ms=float(nav["now"]),
        ttfb_ms=nav["ttfb"],
        html_ms=nav["html"] or None,
        kernel_id=nav["kernelId"],
        pooled=pooled,
        settle_s=0.0,
        others_cpu_s=others_s,
        failed=failed,
    )
    if failed:
        load.diagnosis = diagnose(page, server, load, console, artifacts)
    return context, page, load


def diagnose(page: Any, server: Server, load: Load, console: list[str], artifacts: Path) -> dict[str, Any]:
    """What a page that did not become interactive shows, and whether its kernel is alive and busy."""
    shot = artifacts.with_name(artifacts.name + ".png")
    try:
        page.screenshot(path=str(shot), full_page=True)
    except Exception as exc:  # a diagnosis must not end the run
        shot = Path(f"screenshot failed: {exc}")
    pid = kernel_processes(server.process.pid).get(load.kernel_id or "")
    ticks_0 = cpu_ticks(pid) if pid else None
    time.sleep(1.0)
    ticks_1 = cpu_ticks(pid) if pid else None
    info: dict[str, Any] = {
        "error": load.failed,
        "screenshot": str(shot),
        "spinner_visible": page.locator("#loading").is_visible(),
        "body_text": page.inner_text("body")[:4000],
        "console": console[-50:],
        "kernel_id": load.kernel_id,
        "kernel_pid": pid,
        "kernel_cpu_ticks_in_1s": None if ticks_0 is None or ticks_1 is None else ticks_1 - ticks_0,
        "kernel_memory": memory_mb(pid) if pid else None,
        "server_log": [line for line in server.log_text().splitlines() if (load.kernel_id or "-") in line],
    }
    details = artifacts.with_name(artifacts.name + ".json")
    details.write_text(json.dumps(info, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return {
        "details": str(details),
        **{k: info[k] for k in ("screenshot", "spinner_visible", "kernel_pid", "kernel_cpu_ticks_in_1s")},
    }


def close_page(context: Any, page: Any) -> None:
    """Leave the page as a learner would (Voila's beforeunload asks the server to stop the kernel)."""
    try:
        page.goto("about:blank", timeout=30_000)
    finally:
        context.close()


def prepare_load(server: Server, which: str, preheated: bool) -> tuple[float, list[str]]:
    """Before a load: the page's pool is refilled (preheated) and everything is quiet."""
    notes: list[str] = []
    waited = 0.0
    notebook = PAGES[which]
    if preheated and which in POOLED:
        pool_s = wait_until(
            lambda: log_count(server, POOL_FILLED, notebook) > log_count(server, POOL_USED, notebook),
            POOL_TIMEOUT_S,
        )
        if pool_s < 0:
            notes.append(f"{which}: pool not refilled within {POOL_TIMEOUT_S:.0f} s")
        else:
            waited += pool_s
    quiet_s = settle(server.process.pid)
    if quiet_s < 0:
        notes.append(f"{which}: server/kernels not quiet within {SETTLE_TIMEOUT_S:.0f} s")
    else:
        waited += quiet_s
    return waited, notes


# -- one server run ---------------------------------------------------------------------------------


def nearest_rank(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def summarise(loads: list[Load], ncpu: int) -> dict[str, Any]:
    """Statistics of the loads that became interactive; failed loads are only counted."""
    done = [x for x in loads if not x.failed]

    def med(key: str) -> float | None:
        vals = [getattr(x, key) for x in done if getattr(x, key) is not None]
        return statistics.median(vals) if vals else None

    wall = [x.wall_ms for x in done]
    shares = [100 * x.others_cpu_s / (x.wall_ms / 1000 * ncpu) for x in loads if x.others_cpu_s is not None]
    return {
        "n": len(done),
        "failed": len(loads) - len(done),
        "median_ms": statistics.median(wall) if wall else None,
        "p90_ms": nearest_rank(wall, 0.9) if wall else None,
        "min_ms": min(wall) if wall else None,
        "max_ms": max(wall) if wall else None,
        "page_median_ms": med("page_ms"),
        "ttfb_median_ms": med("ttfb_ms"),
        "html_median_ms": med("html_ms"),
        "pooled": sum(1 for x in done if x.pooled),
        # median share of the machine's CPU (all cores) that other processes used during a load
        "others_cpu_pct_median": statistics.median(shares) if shares else None,
        "others_cpu_pct_max": max(shares) if shares else None,
    }


def run_mode(
    browser: Any,
    tmp: Path,
    notebooks: Path,
    data: Path,
    mode: str,
    pages: list[str],
    loads: int,
    artifacts: Path,
) -> dict[str, Any]:
    """One server run: warm-up and timed loads of every page. Failed loads leave ``<artifacts>-…`` files."""
    preheated = mode == "preheated"
    args = () if preheated else ("--no-preheat",)
    ncpu = os.cpu_count() or 1
    print(f"[{mode}] starting xfkit serve …", file=sys.stderr, flush=True)
    t_mode = time.perf_counter()
    others = OtherCpu()
    load_start = loadavg()
    server = start_server(tmp, notebooks, data, f"server-{mode}.log", *args)
    notes: list[str] = []
    result: dict[str, Any] = {"mode": mode, "server_args": list(args), "server_start_s": server.started_s}
    try:
        # warm-up: each page once, untimed for the verdicts; RSS of its kernel while it is open
        warmup: dict[str, Any] = {}
        rss: dict[str, Any] = {}
        for which in pages:
            waited, more = prepare_load(server, which, preheated)
            notes += more
            failed_as = artifacts.with_name(f"{artifacts.name}-failed-{mode}-{which}-warmup")
            context, page, load = open_page(browser, server, which, failed_as)
            load.settle_s = waited
            if load.failed:
                notes.append(f"{which} warm-up: not interactive ({load.failed}); see {failed_as.name}.*")
            time.sleep(RSS_SETTLE_S)
            kernels = kernel_processes(server.process.pid)
            pid = kernels.get(load.kernel_id or "")
            mem = memory_mb(pid) if pid else {"rss_mb": None, "pss_mb": None}
            if pid is None:
                notes.append(f"{which}: kernel {load.kernel_id} not found among {sorted(kernels)}")
            rss[which] = {"kernel_id": load.kernel_id, "pid": pid, **mem}
            warmup[which] = load.__dict__
            close_page(context, page)
            print(f"[{mode}] warm-up {which}: {load.wall_ms:,.0f} ms", file=sys.stderr, flush=True)
        result["warmup"] = warmup
        result["rss"] = rss

        timed: dict[str, list[Load]] = {name: [] for name in pages}
        for i in range(loads):
            for which in pages:  # one round: every app page, then hello
                waited, more = prepare_load(server, which, preheated)
                notes += more
                failed_as = artifacts.with_name(f"{artifacts.name}-failed-{mode}-{which}-{i + 1}")
                context, page, load = open_page(browser, server, which, failed_as)
                load.settle_s = waited
                close_page(context, page)
                if load.failed:
                    notes.append(
                        f"{which} load {i + 1}: not interactive ({load.failed}); see {failed_as.name}.*"
                    )
                if preheated and not load.pooled:
                    notes.append(f"{which} load {i + 1}: the pooled kernel was not used")
                timed[which].append(load)
                print(
                    f"[{mode}] {which} {i + 1}/{loads}: {load.wall_ms:,.0f} ms "
                    f"(page {load.page_ms:,.0f} ms{', pooled' if load.pooled else ''}"
                    f"{', FAILED' if load.failed else ''})",
                    file=sys.stderr,
                    flush=True,
                )
        settle(server.process.pid)
        left = kernel_processes(server.process.pid)
        result["kernels_left"] = len(left)
        result["kernels_left_rss_mb"] = sum(memory_mb(pid)["rss_mb"] or 0.0 for pid in left.values())
        server_mem = memory_mb(server.process.pid)
        result["server_rss_mb"] = server_mem["rss_mb"]
        result["loads"] = {name: [x.__dict__ for x in timed[name]] for name in pages}
        result["summary"] = {name: summarise(timed[name], ncpu) for name in pages}
        log = server.log_text()
        result["log_counts"] = {
            "using_preheated": len(POOL_USED.findall(log)),
            "pool_filled": len(POOL_FILLED.findall(log)),
            "errors": sum(1 for line in log.splitlines() if " ERROR " in line or line.startswith("[E ")),
            "page_errors": len(PAGE_ERROR.findall(log)),
            "shutdown_refused": len(SHUTDOWN_REFUSED.findall(log)),
        }
        refused = result["log_counts"]["shutdown_refused"]
        if refused:
            notes.append(
                f"{refused} close-tab kernel shutdowns refused by the server (403 '_xsrf' missing, "
                "voila-dashboards/voila#1458): kernels of closed pages stay until culled"
            )
        errors = result["log_counts"]["errors"]
        if errors:
            notes.append(f"{errors} error lines in the server log")
        for ename, evalue in sorted(set(PAGE_ERROR.findall(log))):
            notes.append(
                f"server log: a page cell raised {ename}: {evalue[:160]} (any notebook, pools included)"
            )
    finally:
        stop_server(server)
    seconds = time.perf_counter() - t_mode
    other_s = others.stop()
    result["machine"] = {
        "seconds": seconds,
        "loadavg_start": load_start,
        "loadavg_end": loadavg(),
        "others_cpu_s": other_s,
        "others_cpu_pct": None if other_s is None else 100 * other_s / (seconds * ncpu),
    }
    result["notes"] = notes
    return result


# -- results per app --------------------------------------------------------------------------------


def ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or not b else a / b


def per_app(result: dict[str, Any], apps: list[str]) -> dict[str, Any]:
    """For each app: summaries, ratio to hello, kernel memory and verdicts, per mode.

    Figures are over the loads that became interactive; failed loads are counted in ``summary.failed``.
    """
    modes = result["modes"]
    out: dict[str, Any] = {}
    for app in apps:
        entry: dict[str, Any] = {"notebook": PAGES[app], "interactive_when": READY[app], "modes": {}}
        for mode in MODES:
            s = modes[mode]["summary"][app]
            hello = modes[mode]["summary"][HELLO]["median_ms"]
            entry["modes"][mode] = {
                "summary": s,
                "hello_median_ms": hello,
                "ratio_to_hello": ratio(s["median_ms"], hello),
                "warmup_ms": modes[mode]["warmup"][app]["wall_ms"],
                "kernel": modes[mode]["rss"][app],
            }
        entry["preheated_speedup"] = ratio(
            modes["cold"]["summary"][app]["median_ms"], modes["preheated"]["summary"][app]["median_ms"]
        )
        entry["targets"] = {
            "ratio": {
                mode: {
                    "target": TARGET_RATIO,
                    "value": entry["modes"][mode]["ratio_to_hello"],
                    "verdict": verdict(entry["modes"][mode]["ratio_to_hello"], TARGET_RATIO),
                }
                for mode in MODES
            },
            "rss": {
                mode: {
                    "target_mb": TARGET_RSS_MB,
                    "value_mb": modes[mode]["rss"][app]["rss_mb"],
                    "verdict": verdict(modes[mode]["rss"][app]["rss_mb"], TARGET_RSS_MB),
                }
                for mode in MODES
            },
        }
        out[app] = entry
    return out


def baseline(result: dict[str, Any]) -> dict[str, Any]:
    """The hello-world page's figures, per mode."""
    modes = result["modes"]
    return {
        "notebook": PAGES[HELLO],
        "interactive_when": READY[HELLO],
        "modes": {
            mode: {
                "summary": modes[mode]["summary"][HELLO],
                "warmup_ms": modes[mode]["warmup"][HELLO]["wall_ms"],
                "kernel": modes[mode]["rss"][HELLO],
            }
            for mode in MODES
        },
        "preheated_speedup": ratio(
            modes["cold"]["summary"][HELLO]["median_ms"], modes["preheated"]["summary"][HELLO]["median_ms"]
        ),
    }


# -- report -----------------------------------------------------------------------------------------


def versions() -> dict[str, str]:
    out = {}
    for name in ("voila", "ipykernel", "ipywidgets", "jupyter_server", "playwright"):
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = "?"
    return out


def fmt(v: float | None, spec: str = ",.0f") -> str:
    return "–" if v is None else format(v, spec)


def times(v: float | None) -> str:
    return "–" if v is None else f"{v:.2f}×"


def verdict(value: float | None, target: float) -> str:
    if value is None:
        return "not judged"
    return "met" if value <= target else "not met"


def report(result: dict[str, Any]) -> str:
    m = result["machine"]
    v = result["versions"]
    apps: list[str] = list(result["apps"])
    pages = [*apps, HELLO]
    lines = [
        f"xfkit page benchmark: time to interactive, {', '.join(apps)} vs hello-world, same server",
        f"machine    : {m['platform']}",
        f"python     : {m['python']}   cpu_count {m['cpu_count']}   load avg at start {m['loadavg']}",
        f"versions   : voila {v['voila']}, ipykernel {v['ipykernel']}, ipywidgets {v['ipywidgets']}, "
        f"jupyter_server {v['jupyter_server']}, playwright {v['playwright']}, chromium {m['chromium']}",
        f"loads      : {result['loads_per_page']} per page and mode (rounds of {' / '.join(pages)}), "
        "fresh browser context each, after an untimed warm-up load",
    ]
    lines += [f"{'interactive' if i == 0 else '':<11}: {p}: {READY[p]}" for i, p in enumerate(pages)]
    lines += [
        "",
        f"{'mode':<10} {'page':<7} {'n':>3} {'median ms':>10} {'p90 ms':>8} {'min ms':>8} {'max ms':>8} "
        f"{'in-page ms':>10} {'TTFB ms':>8} {'HTML ms':>8} {'pooled':>7} {'others %':>9} {'failed':>7}",
        "-" * 115,
    ]
    for mode in MODES:
        r = result["modes"][mode]
        for which in pages:
            s = r["summary"][which]
            lines.append(
                f"{mode:<10} {which:<7} {s['n']:>3} {fmt(s['median_ms']):>10} {fmt(s['p90_ms']):>8} "
                f"{fmt(s['min_ms']):>8} {fmt(s['max_ms']):>8} {fmt(s['page_median_ms']):>10} "
                f"{fmt(s['ttfb_median_ms']):>8} {fmt(s['html_median_ms']):>8} "
                f"{(str(s['pooled']) + '/' + str(s['n'])) if mode == 'preheated' else '–':>7} "
                f"{fmt(s['others_cpu_pct_median']):>9} {s['failed']:>7}"
            )
    lines += [
        "",
        "in-page ms, TTFB ms, HTML ms: medians of performance.now() / responseStart / responseEnd",
        "(since navigation start; HTML end = Voila has streamed the executed notebook);",
        "others %: median share of the machine's CPU (all cores) used by other processes during a load;",
        f"failed: loads not interactive within {PAGE_TIMEOUT_MS / 1000:.0f} s (left out of the figures)",
        "",
    ]

    lines.append(
        f"{'mode':<10} " + " ".join(f"{'warm-up ' + p + ' ms':>16}" for p in pages) + "  server start s"
    )
    for mode in MODES:
        r = result["modes"][mode]
        lines.append(
            f"{mode:<10} "
            + " ".join(f"{fmt(r['warmup'][p]['wall_ms']):>16}" for p in pages)
            + f"  {r['server_start_s']:>14.1f}"
        )
    lines.append("")

    lines.append(
        f"{'mode':<10} {'kernel':<7} {'RSS MB':>8} {'PSS MB':>8}   (kernel of the open warm-up page)"
    )
    for mode in MODES:
        for which in pages:
            k = result["modes"][mode]["rss"][which]
            lines.append(f"{mode:<10} {which:<7} {fmt(k['rss_mb'], '.1f'):>8} {fmt(k['pss_mb'], '.1f'):>8}")
        r = result["modes"][mode]
        lines.append(
            f"{'':<10} server  {fmt(r['server_rss_mb'], '.1f'):>8}   "
            f"at the end; {r['kernels_left']} kernels left, {r['kernels_left_rss_mb']:,.0f} MB RSS in all"
        )
    lines.append("")

    lines += [
        "per app (medians; ratio = app / hello in the same server run):",
        f"{'app':<8} {'cold ms':>8} {'ratio':>6} {'preheated ms':>13} {'ratio':>6} {'preheat gain':>13} "
        f"{'RSS cold MB':>12} {'RSS preheated MB':>17}",
    ]
    for name, entry in [*result["apps"].items(), (HELLO, result["baseline"])]:
        c, p = entry["modes"]["cold"], entry["modes"]["preheated"]
        lines.append(
            f"{name:<8} {fmt(c['summary']['median_ms']):>8} {times(c.get('ratio_to_hello')):>6} "
            f"{fmt(p['summary']['median_ms']):>13} {times(p.get('ratio_to_hello')):>6} "
            f"{times(entry['preheated_speedup']):>13} "
            f"{fmt(c['kernel']['rss_mb'], '.1f'):>12} {fmt(p['kernel']['rss_mb'], '.1f'):>17}"
        )
    lines += ["", "targets:"]
    for name, entry in result["apps"].items():
        for mode in MODES:
            tr = entry["targets"]["ratio"][mode]
            failed = (
                entry["modes"][mode]["summary"]["failed"]
                + result["baseline"]["modes"][mode]["summary"]["failed"]
            )
            lines.append(
                f"  {name:<7} ≤ {TARGET_RATIO}× hello ({mode:<9}): {tr['verdict']:<8} ({times(tr['value'])})"
                + (f"  [{failed} failed loads of {name} / hello left out]" if failed else "")
            )
        for mode in MODES:
            tm = entry["targets"]["rss"][mode]
            lines.append(
                f"  {name:<7} kernel RSS ≤ {TARGET_RSS_MB:.0f} MB ({mode:<9}): {tm['verdict']:<8} "
                f"({fmt(tm['value_mb'], '.1f')} MB)"
            )

    lines += [
        "",
        "machine load (other processes: CPU not used by this benchmark, its browser, server, kernels):",
    ]
    for mode in MODES:
        mm = result["modes"][mode]["machine"]
        start, end = (" ".join(f"{x:.2f}" for x in mm[k]) for k in ("loadavg_start", "loadavg_end"))
        lines.append(
            f"  {mode:<9}: {mm['seconds']:.0f} s; load avg {start} at start, {end} at end; other processes "
            f"{fmt(mm['others_cpu_s'], '.1f')} CPU s ({fmt(mm['others_cpu_pct'], '.0f')} % of the machine)"
        )
    notes = [f"{mode}: {n}" for mode in MODES for n in result["modes"][mode]["notes"]]
    if result["quick"]:
        notes.append(f"--quick: {result['loads_per_page']} loads per page; verdicts indicative")
    if notes:
        lines += ["", "notes:"] + [f"  {n}" for n in notes]
    return "\n".join(lines)


def parse_apps(text: str) -> list[str]:
    names = [x.strip() for x in text.split(",") if x.strip()]
    unknown = [x for x in names if x not in APPS]
    if not names or unknown:
        raise argparse.ArgumentTypeError(
            f"app pages are a comma-separated subset of {','.join(APPS)}"
            + (f" (unknown: {','.join(unknown)})" if unknown else "")
        )
    return list(dict.fromkeys(names))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_LOADS} loads per page and mode")
    parser.add_argument(
        "--loads", type=int, default=None, help=f"loads per page and mode (default {FULL_LOADS})"
    )
    parser.add_argument(
        "--apps",
        type=parse_apps,
        default=list(DEFAULT_APPS),
        help=f"app pages to measure, comma-separated (default {','.join(DEFAULT_APPS)}); "
        "hello is always measured",
    )
    parser.add_argument(
        "--json", type=Path, default=DEFAULT_JSON, help=f"results file (default {DEFAULT_JSON})"
    )
    args = parser.parse_args(argv)
    loads = args.loads or (QUICK_LOADS if args.quick else FULL_LOADS)
    apps: list[str] = args.apps
    pages = [*apps, HELLO]
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} not found (apt-get install chromium fonts-noto-cjk)", file=sys.stderr)
        return 2

    from playwright.sync_api import sync_playwright

    machine = {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
        "loadavg": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
    result: dict[str, Any] = {
        "benchmark": "pages",
        "quick": args.quick,
        "loads_per_page": loads,
        "apps": apps,
        "machine": machine,
        "versions": versions(),
        "targets": {"ratio_to_hello": TARGET_RATIO, "kernel_rss_mb": TARGET_RSS_MB},
        "modes": {},
    }
    # a page that does not become interactive leaves <stem>-failed-<mode>-<page>-<load>.png / .json
    artifacts = args.json.with_name(args.json.stem)
    artifacts.parent.mkdir(parents=True, exist_ok=True)
    for old in artifacts.parent.glob(f"{artifacts.name}-failed-*"):
        old.unlink()
    with tempfile.TemporaryDirectory(prefix="xfkit-bench-pages-") as name, sync_playwright() as pw:
        tmp = Path(name)
        notebooks = make_notebooks(tmp / "notebooks")
        seed_data(tmp / "data")
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        machine["chromium"] = browser.version
        try:
            for mode in MODES:
                try:
                    result["modes"][mode] = run_mode(
                        browser, tmp, notebooks, tmp / "data", mode, pages, loads, artifacts
                    )
                finally:
                    keep = args.json.with_name(f"{args.json.stem}-server-{mode}.log")
                    keep.parent.mkdir(parents=True, exist_ok=True)
                    if (tmp / f"server-{mode}.log").exists():
                        shutil.copy2(tmp / f"server-{mode}.log", keep)
        finally:
            browser.close()
    machine["loadavg_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())

    # per app first in the file; the raw server runs ("modes") after
    result = {
        **{k: v for k, v in result.items() if k != "modes"},
        "apps": per_app(result, apps),
        "baseline": baseline(result),
        "modes": result["modes"],
    }
    print(report(result))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    logs = args.json.with_name(f"{args.json.stem}-server-{{cold,preheated}}.log")
    print(f"results written to {args.json} (server logs: {logs})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
