"""The simulator: read what trygg sent, live through the days, write Bankgirot's answers."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import threading
import time as _time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from functools import partial
from pathlib import Path

from autogiro import (
    AutogiroError,
    AutogiroValidationError,
    Opening,
    Record,
    ReportOpening,
    read_bytes,
    validate,
)
from trygg.banking.rules import OWN_BANKS
from trygg.kernel.bankdays import BankCalendar, calendar_for

from . import reports
from .files import Layout, file_time, incoming_files, output_name, refuse, write_report
from .incoming import apply_file
from .orders import Context
from .scenario import Scenario
from .settlement import settle_day
from .state import (
    APPLIED,
    DUPLICATE,
    REFUSED,
    VANISHED,
    WAITING,
    ReceivedFile,
    State,
    load_state,
    save_state,
)

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]

__all__ = ["Bankgirot"]

_LOCKS: dict[Path, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


@contextlib.contextmanager
def _exclusive(layout: Layout) -> Iterator[None]:
    """One run at a time per exchange directory: a lock per process and a file lock between
    processes (the demo's thread and a command line run)."""
    key = layout.root.resolve()
    with _LOCKS_GUARD:
        lock = _LOCKS.setdefault(key, threading.Lock())
    with lock:
        layout.root.mkdir(parents=True, exist_ok=True)
        with open(layout.lock, "a+b") as handle:
            if fcntl is not None:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                if fcntl is not None:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _problems(data: bytes) -> tuple[list[Record], list[AutogiroError | str]]:
    """The records of a file to Bankgirot, or why it is refused."""
    # Bankgirot knows every bank's clearing numbers, the insurer's own bank's too.
    errors: list[AutogiroError | str] = list(validate(io.BytesIO(data), extra_banks=OWN_BANKS))
    if errors:
        return [], errors
    try:
        records = read_bytes(data, extra_banks=OWN_BANKS)
    except AutogiroValidationError as error:  # pragma: no cover - validate() said it was fine
        return [], list(error.errors)
    foreign = sorted(
        {r.NAME for r in records if r.TK in ("01", "51") and not isinstance(r, Opening)}
    )
    if foreign:
        return [], [
            "not a file to Bankgirot: it holds sections from Bankgirot ("
            + ", ".join(foreign)
            + "); files to Bankgirot open with TK01 <date> AUTOGIRO"
        ]
    return records, []


class Bankgirot:
    """A local Bankgirot for Autogiro, working in the exchange directory ``root``.

    ``process(until)`` reads new files in ``to_bankgirot/``, lives through every day up to
    ``until`` and returns the files it wrote to ``from_bankgirot/``. It is safe to call again
    (the state remembers the last day done and every file seen) and from several threads.
    """

    def __init__(
        self,
        root: str | os.PathLike[str],
        *,
        calendar: BankCalendar | None = None,
        min_age: float = 0.0,
    ) -> None:
        self.layout = Layout(root)
        self.calendar = calendar or calendar_for("SE")
        self.min_age = min_age
        """Files modified less than this many seconds ago are left for the next run (in case
        the writer did not write through a temporary name)."""
        self._seen: dict[str, tuple[int, int]] = {}
        """Size and modification time of the files already handled, so that polling does not
        read and hash them again."""

    @property
    def root(self) -> Path:
        return self.layout.root

    def state(self) -> State:
        """A copy of the current state, for inspection."""
        with _exclusive(self.layout):
            return load_state(self.layout.state)

    def process(self, until: date) -> list[Path]:
        """Process new files and every day up to ``until`` (inclusive); the files written."""
        with _exclusive(self.layout):
            self.layout.create()
            scenario = Scenario.load(self.layout.scenario)
            state = load_state(self.layout.state)
            run = _Run(self, Context(state, scenario, self.calendar))
            written = run.process(until)
            save_state(self.layout.state, state)
            self._seen.update(run.seen)
        return written


class _Run:
    def __init__(self, sim: Bankgirot, ctx: Context) -> None:
        self.sim = sim
        self.layout = sim.layout
        self.ctx = ctx
        self.state = ctx.state
        self.cal = ctx.cal
        self.written: list[Path] = []
        self.seen: dict[str, tuple[int, int]] = {}

    def process(self, until: date) -> list[Path]:
        self._scan()
        state = self.state
        if state.last_day is not None:
            # Files dated on or before the last day done arrived late: they count as received
            # that evening.
            self._apply_waiting(through=state.last_day, receipt=state.last_day)
            day = state.last_day + timedelta(days=1)
        else:
            waiting = [f.received for f in state.files.values() if f.status == WAITING]
            dates = [d for d in waiting if d is not None]
            if not dates:
                return self.written
            day = min(dates)
        while day <= until:
            if self.cal.is_bank_day(day):
                self._bank_day(day)
            self._apply_waiting(through=day, receipt=day)
            state.last_day = day
            day += timedelta(days=1)
        return self.written

    # -- incoming ------------------------------------------------------------------------------

    def _scan(self) -> None:
        now = _time.time()
        for path in incoming_files(self.layout.incoming):
            try:
                stat = path.stat()
                if self.sim.min_age and now - stat.st_mtime < self.sim.min_age:
                    continue
                signature = (stat.st_size, stat.st_mtime_ns)
                if self.sim._seen.get(path.name) == signature:
                    continue
                data = path.read_bytes()
            except OSError:
                continue
            self.seen[path.name] = signature
            digest = _sha256(data)
            known = self.state.files.get(digest)
            if known is not None:
                if known.name != path.name:
                    self._duplicate(digest, path.name, known)
                continue
            records, errors = _problems(data)
            if errors:
                copy = refuse(
                    self.layout, self._refused_name(path.name, data, digest), data, errors
                )
                self.state.files[digest] = ReceivedFile(path.name, REFUSED)
                self.state.note(
                    self.state.last_day, f"{path.name} refused ({len(errors)} errors): {copy}"
                )
                continue
            opening = records[0]
            assert isinstance(opening, Opening)
            self.state.files[digest] = ReceivedFile(path.name, WAITING, opening.file_date)

    def _duplicate(self, digest: str, name: str, known: ReceivedFile) -> None:
        marker = f"{digest}:{name}"
        if marker in self.state.files:
            return
        self.state.files[marker] = ReceivedFile(name, DUPLICATE, known.received)
        self.state.note(self.state.last_day, f"{name} is the same file as {known.name}: ignored")

    def _refused_name(self, name: str, data: bytes, digest: str) -> str:
        existing = self.layout.refused / name
        if existing.exists() and existing.read_bytes() != data:
            return f"{name}.{digest[:8]}"
        return name

    def _apply_waiting(self, *, through: date, receipt: date) -> None:
        waiting = sorted(
            (
                (entry.received, entry.name, digest)
                for digest, entry in self.state.files.items()
                if entry.status == WAITING
                and entry.received is not None
                and entry.received <= through
            ),
        )
        for _received, name, digest in waiting:
            entry = self.state.files[digest]
            try:
                data = (self.layout.incoming / name).read_bytes()
            except OSError:
                data = b""
            if _sha256(data) != digest:
                entry.status = VANISHED
                self.state.note(receipt, f"{name} was removed or changed before {receipt}")
                continue
            apply_file(self.ctx, read_bytes(data, extra_banks=OWN_BANKS), receipt)
            entry.status = APPLIED

    # -- outgoing ------------------------------------------------------------------------------

    def _bank_day(self, day: date) -> None:
        state = self.state
        payments, refunds = settle_day(self.ctx, day)
        notices = [n for n in state.notices if n.day <= day]
        state.notices = [n for n in state.notices if n.day > day]
        rejections = [r for r in state.rejections if r.day <= day]
        state.rejections = [r for r in state.rejections if r.day > day]
        answers = [a for a in state.answers if a.day <= day]
        state.answers = [a for a in state.answers if a.day > day]
        bankgiros = sorted(
            {p.bankgiro for p, _status in payments}
            | {r.bankgiro for r in refunds}
            | {n.bankgiro for n in notices}
            | {r.bankgiro for r in rejections}
            | {a.bankgiro for a in answers}
        )
        sequence = 0
        for bankgiro in bankgiros:
            customer = state.payees.get(bankgiro, "0")
            builders: list[Callable[..., list[Record]]] = []
            mine = [(p, status) for p, status in payments if p.bankgiro == bankgiro]
            my_refunds = [r for r in refunds if r.bankgiro == bankgiro]
            if mine or my_refunds:
                kinds = {p.tk for p, _status in mine} | ({"77"} if my_refunds else set())
                serials = [state.next_serial() for _kind in sorted(kinds)]
                builders.append(
                    partial(
                        reports.payment_specification,
                        day=day,
                        customer=customer,
                        bankgiro=bankgiro,
                        serials=serials,
                        payments=mine,
                        refunds=my_refunds,
                    )
                )
            my_notices = [n for n in notices if n.bankgiro == bankgiro]
            if my_notices:
                builders.append(
                    partial(
                        reports.mandate_notices,
                        day=day,
                        customer=customer,
                        bankgiro=bankgiro,
                        notices=my_notices,
                    )
                )
            my_rejections = [r for r in rejections if r.bankgiro == bankgiro]
            if my_rejections:
                builders.append(
                    partial(
                        reports.rejected_orders,
                        day=day,
                        customer=customer,
                        bankgiro=bankgiro,
                        rejections=my_rejections,
                    )
                )
            my_answers = [a for a in answers if a.bankgiro == bankgiro]
            if my_answers:
                builders.append(
                    partial(
                        reports.amendment_answers,
                        day=day,
                        customer=customer,
                        bankgiro=bankgiro,
                        answers=my_answers,
                    )
                )
            for build in builders:
                stamp = file_time(sequence)
                sequence += 1
                records = build(stamp=stamp)
                opening = records[0]
                assert isinstance(opening, ReportOpening)
                name = output_name(customer, day, stamp, opening.content)
                self.written.append(write_report(self.layout.outgoing, name, records))
