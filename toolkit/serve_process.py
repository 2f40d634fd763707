"""Run ``xfkit serve`` as a child process: for browser tests, benchmarks and load tests on this machine.

The server gets a free loopback port and its own process group; :func:`start` returns once ``/``
answers, :meth:`ServerProcess.stop` ends the group (SIGINT, then SIGKILL) and closes the log.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

#: Debian's Chromium, which browser tests and benchmarks drive (Playwright's own download is never used)
CHROMIUM = Path("/usr/bin/chromium")
#: headless flags for a machine without internet: nothing in the background tries to reach out
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


@dataclass
class ServerProcess:
    """A running ``xfkit serve``."""

    url: str
    data: Path
    process: subprocess.Popen[str]
    log: Path
    handle: IO[str]
    started_s: float = 0.0

    def get(self, path: str, timeout: float = 60) -> tuple[int, str]:
        """Status and body of a plain HTTP GET of ``path`` (redirects are not followed)."""
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(self.url + path, timeout=timeout) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            with exc:
                return exc.code, exc.read().decode("utf-8", "replace")

    def log_text(self) -> str:
        return self.log.read_text("utf-8", "replace")

    def stop(self) -> None:
        try:
            if self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGINT)
                try:
                    self.process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(self.process.pid, signal.SIGKILL)
                    self.process.wait(timeout=30)
        finally:
            self.handle.close()


def start(
    folder: Path,
    *args: str,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    log_name: str = "server.log",
    timeout_s: float = 120,
) -> ServerProcess:
    """Start ``xfkit serve`` with data in ``folder/data`` and extra ``args``; return once ``/`` answers."""
    port = free_port()
    data = folder / "data"
    log = folder / log_name
    command = [sys.executable, "-m", "toolkit.cli", "serve", "--port", str(port), "--data", str(data), *args]
    handle = log.open("w", encoding="utf-8")
    t0 = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        stdout=handle,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **(env or {})},
        start_new_session=True,
    )
    server = ServerProcess(f"http://127.0.0.1:{port}", data, process, log, handle)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            text = server.log_text()
            server.stop()
            raise RuntimeError(f"xfkit serve exited with {process.returncode}:\n{text}")
        try:
            if server.get("/", timeout=30)[0] in (200, 302):
                server.started_s = time.perf_counter() - t0
                return server
        except OSError:
            pass
        time.sleep(0.2)
    text = server.log_text()
    server.stop()
    raise RuntimeError(f"xfkit serve did not answer within {timeout_s:.0f} s:\n{text}")


#: preheated learner pages (``xfkit serve`` without ``--no-preheat``): home, intake, faults, ledger, contest
POOLED_PAGES = 5


def wait_warm(server: ServerProcess, sizes: Mapping[str, int], timeout_s: float = 1800) -> float:
    """Wait until every page's kernel pool is full (``sizes``: pools bigger than one, e.g. the contest
    page's) and the machine's CPU is idle again; return the seconds since the server was started."""
    import psutil

    began = time.perf_counter()
    wanted = [f"Kernel pool of {page} is filled with {size} kernel(s)" for page, size in sizes.items()]
    while True:
        log = server.log_text()
        filled = set(re.findall(r"Kernel pool of (\S+) is filled", log))
        if len(filled) >= POOLED_PAGES and all(line in log for line in wanted):
            break
        if time.perf_counter() - began > timeout_s or server.process.poll() is not None:
            raise RuntimeError(f"the page pools did not fill:\n{log[-2000:]}")
        time.sleep(0.5)
    # "filled" is logged when the last kernel asked for has started; its peers may still be loading
    quiet = 0
    while quiet < 3:
        quiet = quiet + 1 if psutil.cpu_percent(interval=1.0) < 15 else 0
        if time.perf_counter() - began > timeout_s:
            raise RuntimeError("the machine did not become idle after the pools filled")
    return time.perf_counter() - began + server.started_s


def kernel_processes(pid: int) -> list[Any]:
    """The live kernel processes (``psutil.Process``) of the server ``pid``; exited-but-unreaped ones are
    left out, and so are processes that end while they are looked at."""
    import psutil

    found = []
    for child in psutil.Process(pid).children(recursive=True):
        try:
            if child.status() != psutil.STATUS_ZOMBIE and "ipykernel" in " ".join(child.cmdline()):
                found.append(child)
        except psutil.Error:
            pass
    return found
