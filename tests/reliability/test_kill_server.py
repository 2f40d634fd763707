"""100 contestants × 10 answers through a real server, then ``kill -9`` of the server and its kernels.

The server keeps a warm kernel for each writer (``--contest-pool``). Every contestant is a widget-protocol
client (:mod:`toolkit.widget_client`): it opens the contest page, joins and submits answers with the same
messages a browser sends. Once 300 answers have been acknowledged
(the page's progress line counted them, which it does only after the store committed them), the server
and every kernel it started are killed with SIGKILL, mid-run, whatever answers are in flight. Then, on a fresh
connection to the store and again after a restart of the server on the same data:

* every answer a page acknowledged is stored, exactly once;
* no (contestant, item) is stored twice, and nothing was stored that no page sent;
* the restarted server serves the contest page again.
"""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import psutil

from toolkit.competition.model import CompetitionSpec, RoundSpec
from toolkit.competitions import create_competition, record_action, spec_of
from toolkit.loadtest import ContestantRun, check_store, run_contestants
from toolkit.packs import load_pack
from toolkit.serve_process import ServerProcess, start, wait_warm
from toolkit.store import Store, default_url

ROOT = Path(__file__).resolve().parents[2]
WRITERS = 100
ANSWERS = 10
KILL_AFTER = 300


def kill_all(server: ServerProcess) -> int:
    """SIGKILL the server and every process it started (kernels run in sessions of their own)."""
    root = psutil.Process(server.process.pid)
    victims = [root, *root.children(recursive=True)]
    for process in victims:
        try:
            process.send_signal(signal.SIGKILL)
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(victims, timeout=30)
    server.process.wait(timeout=30)
    return len(victims)


def test_acknowledged_answers_survive_a_kill_9(tmp_path: Path) -> None:
    server = start(
        tmp_path,
        "--trainer-secret",
        "kill",
        "--contest-pool",
        str(WRITERS),
        "--max-kernels",
        str(WRITERS + 10),
        cwd=ROOT,
    )
    wait_warm(server, {"contest.ipynb": WRITERS})  # every writer's kernel is ready: the test is about writes
    url = default_url(server.data)
    pack = load_pack("default")
    with Store.open(url) as store:
        spec = CompetitionSpec("kill -9", pack.name, 3, (RoundSpec("quiz", ANSWERS, 60),))
        record = create_competition(store, spec, pack)

    acks = 0
    killed = 0

    def start_round() -> None:
        with Store.open(url) as store:
            record_action(store, record, spec_of(record), 1, "start")

    def on_ack() -> None:
        nonlocal acks, killed
        acks += 1
        if acks == KILL_AFTER:
            killed = kill_all(server)

    try:
        runs: list[ContestantRun] = asyncio.run(
            run_contestants(
                server.url,
                record.code,
                WRITERS,
                ANSWERS,
                start_round=start_round,
                ramp_s=10,
                think_s=0.2,
                seed=5,
                on_ack=on_ack,
            )
        )
    finally:
        if server.process.poll() is None:
            kill_all(server)
        server.handle.close()

    assert killed > WRITERS, f"the server and its kernels were killed mid-run ({killed} processes)"
    joined = [r for r in runs if r.join_s is not None]
    assert len(joined) == WRITERS, [r.error for r in runs if r.join_s is None][:3]  # reloads allowed
    acked = sum(len(r.acked) for r in runs)
    sent = sum(r.sent for r in runs)
    assert KILL_AFTER <= acked < WRITERS * ANSWERS, "the kill came mid-run"
    assert all(r.error for r in runs if len(r.acked) < ANSWERS), "every page cut short says why"

    after_kill = check_store(url, record.code, runs)
    assert after_kill.acked == acked
    assert after_kill.lost == 0, after_kill
    assert after_kill.duplicates == 0, after_kill
    assert after_kill.stored <= sent, "nothing stored that no page sent"
    assert after_kill.unacked_stored <= sent - acked

    again = start(tmp_path, "--trainer-secret", "kill", cwd=ROOT, log_name="restarted.log")
    try:
        status, body = again.get(f"/voila/render/contest.ipynb?code={record.code}", timeout=180)
        assert status == 200 and "Traceback" not in body
        assert check_store(url, record.code, runs) == after_kill
    finally:
        again.stop()
    print(
        f"\nkill -9: {WRITERS} writers, {sent} answers sent, {acked} acknowledged, "
        f"{after_kill.stored} stored "
        f"({after_kill.unacked_stored} stored unacknowledged), lost {after_kill.lost}, "
        f"duplicates {after_kill.duplicates}, {killed} processes killed, "
        f"{sum(r.reloads for r in runs)} pages reloaded"
    )


def test_kill_all_leaves_no_process(tmp_path: Path) -> None:
    server = start(tmp_path, "--trainer-secret", "kill", cwd=ROOT)
    pids = [p.pid for p in psutil.Process(server.process.pid).children(recursive=True)]
    assert pids, "the server runs preheated kernels"
    kill_all(server)
    server.handle.close()
    alive = [pid for pid in pids if psutil.pid_exists(pid) and psutil.Process(pid).status() != "zombie"]
    assert alive == []
    assert server.process.poll() is not None
