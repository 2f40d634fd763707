"""A page's heartbeat: call a function every few seconds while the kernel runs (live boards, countdowns).

Runs as a task on the kernel's asyncio loop, between widget messages, so it never races a callback. Where
no loop is running (headless tests, a plain script) nothing is scheduled: tests call the function
themselves. An exception in the function is logged and the ticking goes on.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

__all__ = ["Ticker"]

log = logging.getLogger("xfkit.ui")


class Ticker:
    """Call ``fn`` every ``every_s`` seconds on the running event loop until :meth:`stop`."""

    def __init__(self, fn: Callable[[], None], every_s: float) -> None:
        self.fn = fn
        self.every_s = every_s
        self._task: asyncio.Task[None] | None = None
        try:  # a kernel runs a cell inside its event loop; nothing else has one running
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._task = loop.create_task(self._run())

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.every_s)
            try:
                self.fn()
            except Exception:
                log.exception("a page's periodic update failed")

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None
