"""Running the simulator in the background: poll ``to_bankgirot/`` every few seconds."""

from __future__ import annotations

import os
import sys
import threading
import traceback
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TextIO

from .engine import Bankgirot

__all__ = ["BankgirotThread", "serve_in_thread", "watch"]

DEFAULT_INTERVAL = 2.0
SETTLE_SECONDS = 1.0
"""In watch mode, a file must be this old before it is read (a writer may still be at it)."""


def watch(
    root: str | os.PathLike[str],
    *,
    interval: float = DEFAULT_INTERVAL,
    today: Callable[[], date] = date.today,
    stop: threading.Event | None = None,
    report: Callable[[Path], None] | None = None,
    errors: TextIO | None = None,
) -> None:
    """Process up to ``today()`` every ``interval`` seconds until ``stop`` is set. A failing
    run (a broken ``scenario.json``, say) is reported on ``errors`` and tried again."""
    simulator = Bankgirot(root, min_age=SETTLE_SECONDS)
    stop = stop or threading.Event()
    while not stop.is_set():
        try:
            for path in simulator.process(today()):
                if report is not None:
                    report(path)
        except Exception:
            stream = errors or sys.stderr
            stream.write("bankgirot simulator: run failed\n" + traceback.format_exc())
            stream.flush()
        stop.wait(interval)


class BankgirotThread(threading.Thread):
    """A daemon thread running :func:`watch`; ``stop()`` ends it."""

    def __init__(
        self,
        root: str | os.PathLike[str],
        interval: float = DEFAULT_INTERVAL,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(name="bankgirot-simulator", daemon=True)
        self.root = Path(root)
        self.interval = interval
        self.today = today
        self.stopped = threading.Event()

    def run(self) -> None:
        watch(self.root, interval=self.interval, today=self.today, stop=self.stopped)

    def stop(self, timeout: float | None = None) -> None:
        self.stopped.set()
        self.join(timeout)


def serve_in_thread(
    root: str | os.PathLike[str],
    interval: float = DEFAULT_INTERVAL,
    *,
    today: Callable[[], date] = date.today,
) -> threading.Thread:
    """Start the simulator on ``root`` in a daemon thread, processing up to ``today()`` (pass
    the business clock's date for a demo that is not on today's date)."""
    thread = BankgirotThread(root, interval, today=today)
    thread.start()
    return thread
