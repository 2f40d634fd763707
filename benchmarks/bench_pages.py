"""Time to interactive of the home page against a one-button hello-world page, and RSS per kernel.

Run from anywhere::

    python benchmarks/bench_pages.py            # 8 loads per page and mode (a few minutes)
    python benchmarks/bench_pages.py --quick    # 3 loads per page and mode
    python benchmarks/bench_pages.py --json OUT.json

Both pages are served by the SAME ``xfkit serve`` process, started the way the browser tests start it
(``python -m toolkit.cli serve`` in its own process group, stopped with SIGINT): a temporary notebooks
folder holds copies of the app notebooks plus ``hello.ipynb`` (one cell: an ipywidgets button), served
through the hidden ``--also-serve`` option. Two server runs:

* cold: ``--no-preheat``, every page load starts and runs a new kernel;
* preheated: the default; ``home.ipynb`` and ``hello.ipynb`` each have a pool of one preheated kernel.

One page load, in headless Chromium (Debian's), in a fresh browser context: t0 just before
``page.goto``; t1 when the page is interactive: for home, the title text visible and the Voila spinner
gone; for hello, the "Hello" button visible and enabled. In-page ``performance.now()`` (milliseconds since
the navigation started) is read right after, as a cross-check, with the navigation timing (first byte,
end of the streamed HTML). Loads alternate home / hello. Before each load the server and its kernels
must be quiet (at most 2 clock ticks of CPU in each of two 0.5 s windows in a row) and, when preheating,
the page's kernel pool must have been refilled and the preheated kernel must have finished running the
notebook (that is what the quiet wait catches: "pool filled" is logged before the notebook runs). Leaving
a page goes to ``about:blank`` first, so that Voila's ``beforeunload`` handler asks the server to shut
the kernel down, as when a learner closes the tab. (Stock Voila 0.5 refuses that request, 403
``'_xsrf' argument missing``, voila-dashboards/voila#1458; xfkit serve accepts it from the same origin.
Any refusals still found in the server log are counted, and the kernels left at the end are printed.)

Before the timed loads each page is opened once (untimed, a warm-up): while it is open, the RSS of its
kernel process (``VmRSS`` in ``/proc/<pid>/status``; PSS from ``smaps_rollup`` as well) is read after
the page has been interactive for one second. The kernel is found among the server's descendants (kernels
run in sessions of their own, not in the server's process group) by the kernel id in the page's
``jupyter-config-data``, matched against the connection file on the kernel's command line.

Figures are printed and written to JSON, never asserted; the targets are printed as met / not met:
home median ≤ 1.2× hello median (per mode), and ≤ 120 MB RSS for the home (app) kernel.
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

from toolkit.serve_process import CHROMIUM, CHROMIUM_ARGS, ServerProcess
from toolkit.serve_process import start as start_process

ROOT = Path(__file__).resolve().parents[1]
APP_NOTEBOOKS = ROOT / "notebooks"
DEFAULT_JSON = ROOT / "benchmarks" / "results" / "pages.json"
SECRET = "bench-pages-trainer-secret"

HOME_TITLE = "信访举报业务训练与质量评查工具箱"
HELLO_TEXT = "Hello"
PAGES = {"home": "home.ipynb", "hello": "hello.ipynb"}
MODES = ("cold", "preheated")

FULL_LOADS = 8
QUICK_LOADS = 3
TARGET_RATIO = 1.2
TARGET_RSS_MB = 120.0

PAGE_TIMEOUT_MS = 120_000
START_TIMEOUT_S = 180.0
POOL_TIMEOUT_S = 180.0
SETTLE_TIMEOUT_S = 60.0
RSS_SETTLE_S = 1.0

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
SHUTDOWN_REFUSED = re.compile(r"403 POST /voila/api/shutdown/\S+ \([^)]*\): '_xsrf' argument missing")


# -- the server -------------------------------------------------------------------------------------


def make_notebooks(folder: Path) -> Path:
    """The app notebooks plus ``hello.ipynb``, in a folder of their own."""
    folder.mkdir(parents=True, exist_ok=True)
    for nb in sorted(APP_NOTEBOOKS.glob("*.ipynb")):
        shutil.copy2(nb, folder / nb.name)
    (folder / "hello.ipynb").write_text(json.dumps(HELLO_NOTEBOOK, indent=1) + "\n", encoding="utf-8")
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
        "hello.ipynb",
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


def cpu_ticks(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rfind(")") + 2 :].split()
    return int(fields[11]) + int(fields[12])


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
    if which == "home":
        page.get_by_text(HOME_TITLE).filter(visible=True).first.wait_for(
            state="visible", timeout=PAGE_TIMEOUT_MS
        )
        page.locator("#loading").wait_for(state="hidden", timeout=PAGE_TIMEOUT_MS)
    else:
        page.get_by_role("button", name=HELLO_TEXT, exact=True, disabled=False).first.wait_for(
            state="visible", timeout=PAGE_TIMEOUT_MS
        )


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


def open_page(browser: Any, server: Server, which: str) -> tuple[Any, Any, Load]:
    """Open one page in a fresh context and time it; the caller closes it (see :func:`close_page`)."""
    notebook = PAGES[which]
    used_before = log_count(server, POOL_USED, notebook)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    t0 = time.perf_counter()
    page.goto(f"{server.url}/voila/render/{notebook}", wait_until="commit", timeout=PAGE_TIMEOUT_MS)
    wait_interactive(page, which)
    t1 = time.perf_counter()
    nav = page.evaluate(NAV_JS)
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
    )
    return context, page, load


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
    if preheated:
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


def summarise(loads: list[Load]) -> dict[str, Any]:
    def med(key: str) -> float | None:
        vals = [getattr(x, key) for x in loads if getattr(x, key) is not None]
        return statistics.median(vals) if vals else None

    wall = [x.wall_ms for x in loads]
    return {
        "n": len(loads),
        "median_ms": statistics.median(wall),
        "p90_ms": nearest_rank(wall, 0.9),
        "min_ms": min(wall),
        "max_ms": max(wall),
        "page_median_ms": med("page_ms"),
        "ttfb_median_ms": med("ttfb_ms"),
        "html_median_ms": med("html_ms"),
        "pooled": sum(1 for x in loads if x.pooled),
    }


def run_mode(browser: Any, tmp: Path, notebooks: Path, data: Path, mode: str, loads: int) -> dict[str, Any]:
    preheated = mode == "preheated"
    args = () if preheated else ("--no-preheat",)
    print(f"[{mode}] starting xfkit serve …", file=sys.stderr, flush=True)
    server = start_server(tmp, notebooks, data, f"server-{mode}.log", *args)
    notes: list[str] = []
    result: dict[str, Any] = {"mode": mode, "server_args": list(args), "server_start_s": server.started_s}
    try:
        # warm-up: each page once, untimed for the verdicts; RSS of its kernel while it is open
        warmup: dict[str, Any] = {}
        rss: dict[str, Any] = {}
        for which in PAGES:
            waited, more = prepare_load(server, which, preheated)
            notes += more
            context, page, load = open_page(browser, server, which)
            load.settle_s = waited
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

        timed: dict[str, list[Load]] = {name: [] for name in PAGES}
        for i in range(loads):
            for which in PAGES:  # alternate home / hello
                waited, more = prepare_load(server, which, preheated)
                notes += more
                context, page, load = open_page(browser, server, which)
                load.settle_s = waited
                close_page(context, page)
                if preheated and not load.pooled:
                    notes.append(f"{which} load {i + 1}: the pooled kernel was not used")
                timed[which].append(load)
                print(
                    f"[{mode}] {which} {i + 1}/{loads}: {load.wall_ms:,.0f} ms "
                    f"(page {load.page_ms:,.0f} ms{', pooled' if load.pooled else ''})",
                    file=sys.stderr,
                    flush=True,
                )
        settle(server.process.pid)
        left = kernel_processes(server.process.pid)
        result["kernels_left"] = len(left)
        result["kernels_left_rss_mb"] = sum(memory_mb(pid)["rss_mb"] or 0.0 for pid in left.values())
        server_mem = memory_mb(server.process.pid)
        result["server_rss_mb"] = server_mem["rss_mb"]
        result["loads"] = {name: [x.__dict__ for x in timed[name]] for name in PAGES}
        result["summary"] = {name: summarise(timed[name]) for name in PAGES}
        log = server.log_text()
        result["log_counts"] = {
            "using_preheated": len(POOL_USED.findall(log)),
            "pool_filled": len(POOL_FILLED.findall(log)),
            "errors": sum(1 for line in log.splitlines() if " ERROR " in line or line.startswith("[E ")),
            "shutdown_refused": len(SHUTDOWN_REFUSED.findall(log)),
        }
        refused = result["log_counts"]["shutdown_refused"]
        if refused:
            notes.append(
                f"{refused} close-tab kernel shutdowns refused by the server (403 '_xsrf' missing, "
                "voila-dashboards/voila#1458): kernels of closed pages stay until culled"
            )
    finally:
        stop_server(server)
    result["notes"] = notes
    return result


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


def verdict(ok: bool) -> str:
    return "met" if ok else "not met"


def report(result: dict[str, Any]) -> str:
    m = result["machine"]
    v = result["versions"]
    lines = [
        "xfkit page benchmark: time to interactive, home vs hello-world, same server",
        f"machine    : {m['platform']}",
        f"python     : {m['python']}   cpu_count {m['cpu_count']}   load avg at start {m['loadavg']}",
        f"versions   : voila {v['voila']}, ipykernel {v['ipykernel']}, ipywidgets {v['ipywidgets']}, "
        f"jupyter_server {v['jupyter_server']}, playwright {v['playwright']}, chromium {m['chromium']}",
        f"loads      : {result['loads_per_page']} per page and mode (alternating home/hello), "
        "fresh browser context each, after an untimed warm-up load",
        "",
        f"{'mode':<10} {'page':<6} {'n':>3} {'median ms':>10} {'p90 ms':>8} {'min ms':>8} {'max ms':>8} "
        f"{'in-page ms':>10} {'TTFB ms':>8} {'HTML ms':>8} {'pooled':>7}",
        "-" * 96,
    ]
    for mode in MODES:
        r = result["modes"][mode]
        for which in PAGES:
            s = r["summary"][which]
            lines.append(
                f"{mode:<10} {which:<6} {s['n']:>3} {fmt(s['median_ms']):>10} {fmt(s['p90_ms']):>8} "
                f"{fmt(s['min_ms']):>8} {fmt(s['max_ms']):>8} {fmt(s['page_median_ms']):>10} "
                f"{fmt(s['ttfb_median_ms']):>8} {fmt(s['html_median_ms']):>8} "
                f"{(str(s['pooled']) + '/' + str(s['n'])) if mode == 'preheated' else '–':>7}"
            )
    lines += ["", "in-page ms, TTFB ms, HTML ms: medians of performance.now() / responseStart / responseEnd"]
    lines += ["(since navigation start; HTML end = Voila has streamed the executed notebook)", ""]

    lines.append(f"{'mode':<10} {'warm-up home ms':>16} {'warm-up hello ms':>17} {'server start s':>15}")
    for mode in MODES:
        r = result["modes"][mode]
        lines.append(
            f"{mode:<10} {fmt(r['warmup']['home']['wall_ms']):>16} "
            f"{fmt(r['warmup']['hello']['wall_ms']):>17} {r['server_start_s']:>15.1f}"
        )
    lines.append("")

    lines.append(
        f"{'mode':<10} {'kernel':<7} {'RSS MB':>8} {'PSS MB':>8}   (kernel of the open warm-up page)"
    )
    for mode in MODES:
        for which in PAGES:
            k = result["modes"][mode]["rss"][which]
            lines.append(f"{mode:<10} {which:<7} {fmt(k['rss_mb'], '.1f'):>8} {fmt(k['pss_mb'], '.1f'):>8}")
        r = result["modes"][mode]
        lines.append(
            f"{'':<10} server  {fmt(r['server_rss_mb'], '.1f'):>8}   "
            f"at the end; {r['kernels_left']} kernels left, {r['kernels_left_rss_mb']:,.0f} MB RSS in all"
        )
    lines.append("")

    ratios = result["ratios"]
    lines += [
        f"ratio home/hello (medians): cold {ratios['cold']:.2f}×, preheated {ratios['preheated']:.2f}×",
        f"preheated vs cold (medians): home {ratios['home_speedup']:.2f}× faster, "
        f"hello {ratios['hello_speedup']:.2f}× faster",
        "",
        "targets:",
    ]
    t = result["targets"]
    for mode in MODES:
        lines.append(
            f"  home ≤ {TARGET_RATIO}× hello ({mode:<9}): {t['ratio'][mode]['verdict']}  "
            f"({ratios[mode]:.2f}×)"
        )
    for mode in MODES:
        rss_mb = result["modes"][mode]["rss"]["home"]["rss_mb"]
        lines.append(
            f"  home kernel RSS ≤ {TARGET_RSS_MB:.0f} MB ({mode:<9}): {t['rss'][mode]['verdict']}  "
            f"({fmt(rss_mb, '.1f')} MB)"
        )
    notes = [f"{mode}: {n}" for mode in MODES for n in result["modes"][mode]["notes"]]
    if result["quick"]:
        notes.append(f"--quick: {QUICK_LOADS} loads per page; verdicts indicative")
    if notes:
        lines += ["", "notes:"] + [f"  {n}" for n in notes]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_LOADS} loads per page and mode")
    parser.add_argument(
        "--loads", type=int, default=None, help=f"loads per page and mode (default {FULL_LOADS})"
    )
    parser.add_argument(
        "--json", type=Path, default=DEFAULT_JSON, help=f"results file (default {DEFAULT_JSON})"
    )
    args = parser.parse_args(argv)
    loads = args.loads or (QUICK_LOADS if args.quick else FULL_LOADS)
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
        "machine": machine,
        "versions": versions(),
        "modes": {},
    }
    with tempfile.TemporaryDirectory(prefix="xfkit-bench-pages-") as name, sync_playwright() as pw:
        tmp = Path(name)
        notebooks = make_notebooks(tmp / "notebooks")
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        machine["chromium"] = browser.version
        try:
            for mode in MODES:
                result["modes"][mode] = run_mode(browser, tmp, notebooks, tmp / "data", mode, loads)
                keep = args.json.with_name(f"{args.json.stem}-server-{mode}.log")
                keep.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(tmp / f"server-{mode}.log", keep)
        finally:
            browser.close()

    med = {mode: {w: result["modes"][mode]["summary"][w]["median_ms"] for w in PAGES} for mode in MODES}
    ratios = {mode: med[mode]["home"] / med[mode]["hello"] for mode in MODES}
    ratios["home_speedup"] = med["cold"]["home"] / med["preheated"]["home"]
    ratios["hello_speedup"] = med["cold"]["hello"] / med["preheated"]["hello"]
    result["ratios"] = ratios
    result["targets"] = {
        "ratio": {
            mode: {
                "target": TARGET_RATIO,
                "value": ratios[mode],
                "verdict": verdict(ratios[mode] <= TARGET_RATIO),
            }
            for mode in MODES
        },
        "rss": {
            mode: {
                "target_mb": TARGET_RSS_MB,
                "value_mb": result["modes"][mode]["rss"]["home"]["rss_mb"],
                "verdict": verdict(
                    (result["modes"][mode]["rss"]["home"]["rss_mb"] or math.inf) <= TARGET_RSS_MB
                ),
            }
            for mode in MODES
        },
    }
    print(report(result))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    logs = args.json.with_name(f"{args.json.stem}-server-{{cold,preheated}}.log")
    print(f"results written to {args.json} (server logs: {logs})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
