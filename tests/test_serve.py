"""``xfkit serve`` refuses bad set-ups in one line, before starting anything."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from toolkit.demo import write_demo_data
from toolkit.serve import KernelCap, ServeOptions, prepare, trainer_ok, warm_ledger_cache

ROOT = Path(__file__).resolve().parents[1]


def serve(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "toolkit.cli", "serve", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        env={**os.environ, "XFKIT_DB": "", "XFKIT_TRAINER_SECRET": ""},
    )


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def test_wrong_db_url(tmp_path: Path) -> None:
    line = _one_line(serve("--db", "nosuchdb://x/y", "--data", str(tmp_path / "d"), "--port", "1", cwd=ROOT))
    assert line.startswith("xfkit: ") and "nosuchdb://x/y" in line


def test_unwritable_data_folder(tmp_path: Path) -> None:
    line = _one_line(serve("--data", "/proc/xfkit-data", cwd=ROOT))
    assert "data folder /proc/xfkit-data" in line


def test_port_in_use(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        line = _one_line(serve("--port", str(port), "--data", str(tmp_path / "d"), cwd=ROOT))
    assert f"port {port} on 127.0.0.1 is already in use" in line


def test_missing_pack(tmp_path: Path) -> None:
    line = _one_line(serve("--pack", "nosuchpack", "--data", str(tmp_path / "d"), cwd=ROOT))
    assert "no pack folder 'nosuchpack'" in line


def test_bad_port_argument(tmp_path: Path) -> None:
    result = serve("--port", "70000", cwd=ROOT)
    assert result.returncode == 2 and "port must be between 1 and 65535" in _one_line(result)


def test_first_run_writes_demo_data_and_the_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("XFKIT_CACHE", str(cache))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    options = ServeOptions(port=port, data_dir=tmp_path / "data", trainer_secret="s")
    first = prepare(options)
    assert first.demo_created and (tmp_path / "data" / "demo" / "cases.jsonl").is_file()
    assert (tmp_path / "data" / "xfkit.sqlite3").is_file()
    assert first.db_url.startswith("sqlite:///") and first.pack_ref == "default@2.0.0"
    # the demo ledger is imported once, in a child process, for the ledger page's kernels to read
    assert len(list(cache.glob("ledger-*.pickle"))) == 1
    again = prepare(options)
    assert not again.demo_created, "demo data is made once"
    generated = prepare(ServeOptions(port=port, data_dir=tmp_path / "other")).trainer_secret
    assert len(generated) >= 16, "a fresh random secret when none is given"


@pytest.mark.parametrize(
    ("offered", "ok"), [("s3cret", True), ("s3cre", False), ("", False), (None, False), ("S3CRET", False)]
)
def test_trainer_secret_check(offered: str | None, ok: bool) -> None:
    assert trainer_ok("s3cret", offered) is ok
    assert trainer_ok("", offered) is False


def test_kernel_cap_counts_admitted_pages_until_their_kernel_shows(caplog: pytest.LogCaptureFixture) -> None:
    cap = KernelCap(3)
    assert cap.admit(1) and cap.admit(1), "two pages admitted while one kernel runs"
    assert not cap.admit(1), "1 running + 2 admitted whose kernels are not listed yet = the cap"
    cap.kernel_counted()
    cap.kernel_counted()
    assert not cap.admit(3) and not cap.admit(5)
    assert cap.admit(2)
    refusals = [r for r in caplog.records if "refusing pages" in r.getMessage()]
    assert len(refusals) == 1, "one warning per burst of refusals"
    assert any("after refusing 3" in r.getMessage() for r in caplog.records)
    cap.kernel_counted()
    cap.kernel_counted()  # a request that ends without output releases nothing twice
    assert cap.admitted_pending == 0


def test_max_kernels_reaches_the_server_options() -> None:
    from toolkit.cli import build_parser

    args = build_parser().parse_args(["serve", "--max-kernels", "12"])
    assert args.max_kernels == 12
    assert build_parser().parse_args(["serve"]).max_kernels == ServeOptions().max_kernels


def test_a_contest_pool_larger_than_the_kernel_cap_is_refused(tmp_path: Path) -> None:
    line = _one_line(
        serve("--contest-pool", "50", "--max-kernels", "20", "--data", str(tmp_path / "d"), cwd=ROOT)
    )
    assert "--contest-pool 50 keeps 54 warm kernels" in line and "--max-kernels 20" in line


def test_pool_refills_wait_while_the_cap_is_reached(caplog: pytest.LogCaptureFixture) -> None:
    from toolkit.serve import cap_pool_refills

    class Kernels:
        def __init__(self) -> None:
            self.running: list[str] = ["k1", "k2"]
            self.fills = 0

        def list_kernel_ids(self) -> list[str]:
            return list(self.running)

        def fill_if_needed(self, **kwargs: object) -> None:
            self.fills += 1

    kernels = Kernels()
    cap_pool_refills(kernels, 3)
    cap_pool_refills(kernels, 3)  # once only
    kernels.fill_if_needed(notebook_name="contest.ipynb")
    assert kernels.fills == 1
    kernels.running.append("k3")
    with caplog.at_level("WARNING", "xfkit.serve"):
        kernels.fill_if_needed(notebook_name="contest.ipynb")
    assert kernels.fills == 1 and "not refilling a kernel pool: 3 kernels running" in caplog.text


def test_a_pooled_kernel_that_failed_to_start_is_dropped(caplog: pytest.LogCaptureFixture) -> None:
    import asyncio

    from toolkit.serve import _pool_has_kernel

    async def scenario() -> tuple[bool, bool, int]:
        async def fails() -> None:
            raise OSError("Address already in use")

        async def starts() -> dict[str, str]:
            await asyncio.sleep(0)
            return {"kernel_id": "k"}

        broken = asyncio.ensure_future(fails())
        cancelled = asyncio.ensure_future(asyncio.sleep(10))
        good = asyncio.ensure_future(starts())
        await asyncio.sleep(0.01)
        cancelled.cancel()
        await asyncio.sleep(0.01)

        class Kernels:
            _pools = {"contest.ipynb": [broken, cancelled, good], "home.ipynb": [broken]}

            def get_pool_size(self, name: str) -> int:
                return len(self._pools.get(name, []))

        kernels = Kernels()
        with_good = _pool_has_kernel(kernels, "contest.ipynb")
        only_broken = _pool_has_kernel(kernels, "home.ipynb")
        return with_good, only_broken, len(kernels._pools["contest.ipynb"])

    with caplog.at_level("WARNING", "xfkit.serve"):
        with_good, only_broken, left = asyncio.run(scenario())
    assert (with_good, only_broken, left) == (True, False, 1)
    assert "Address already in use" in caplog.text and "cancelled" in caplog.text


def test_a_waiting_pool_refill_is_tried_again_once_kernels_are_culled(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio

    import toolkit.serve as serve_module

    monkeypatch.setattr(serve_module, "REFILL_RETRY_S", 0.01)

    class Kernels:
        def __init__(self) -> None:
            self.running = ["k1", "k2", "k3"]
            self.fills: list[str] = []

        def list_kernel_ids(self) -> list[str]:
            return list(self.running)

        def fill_if_needed(self, **kwargs: str) -> None:
            self.fills.append(kwargs["notebook_name"])

    kernels = Kernels()
    serve_module.cap_pool_refills(kernels, 3)

    async def scenario() -> None:
        kernels.fill_if_needed(notebook_name="home.ipynb")
        kernels.fill_if_needed(notebook_name="home.ipynb")  # already waiting: no second try planned
        await asyncio.sleep(0.05)
        assert kernels.fills == [], "still at the cap"
        kernels.running.pop()  # an idle kernel was culled
        for _ in range(100):
            await asyncio.sleep(0.01)
            if kernels.fills:
                break

    with caplog.at_level("WARNING", "xfkit.serve"):
        asyncio.run(scenario())
    assert kernels.fills == ["home.ipynb"]
    assert caplog.text.count("the home.ipynb pool waits") == 1


def test_the_demo_ledger_is_imported_ahead_once_and_a_failed_child_is_only_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import concurrent.futures

    from toolkit.packs.cache import cached_pack

    monkeypatch.setenv("XFKIT_CACHE", str(tmp_path / "cache"))
    data = tmp_path / "data"
    ledger = data / "demo" / "ledger.xlsx"
    write_demo_data(data / "demo")
    pack = cached_pack("default")

    class NoChild:
        def __init__(self, *args: object, **kwargs: object) -> None:
            raise OSError("no processes left")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", NoChild)
    with caplog.at_level("WARNING", logger="xfkit.serve"):
        warm_ledger_cache(ledger, "default", pack)
    assert "was not imported ahead: OSError: no processes left" in caplog.text
    monkeypatch.undo()
    monkeypatch.setenv("XFKIT_CACHE", str(tmp_path / "cache"))
    warm_ledger_cache(ledger, "default", pack)
    assert len(list((tmp_path / "cache").glob("ledger-*.pickle"))) == 1
    caplog.clear()
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", NoChild)
    with caplog.at_level("WARNING", logger="xfkit.serve"):
        warm_ledger_cache(ledger, "default", pack)  # already cached: no child is started
    assert caplog.text == ""
