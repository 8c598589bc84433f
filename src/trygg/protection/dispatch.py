"""The blocking dispatcher: sends every requested block to its issuer, many at once.

Blocks wait in the database (state "requested"); the dispatcher claims the due ones in one
statement (:func:`services.blocks_claim`), sends each from a pool of threads, and records the
answers, several in one transaction when they arrive together (:func:`services.blocks_record`).
Nothing lives only in memory: a dispatcher that dies loses nothing, and on start
(:meth:`Dispatcher.resume`) the blocks it left "sent" without a recorded answer go back to
"requested" and are sent again with the same key, which the issuer answers without blocking
twice. An issuer's answer takes 0.2–2 s; blocking 20 items one after the other would break the
five-minute promise under load, so the pool holds ``threads`` requests in flight.

Run it with ``trygg protection dispatch`` (``trygg run`` starts one in a thread).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from typing import TypeVar

from django.db import DatabaseError, close_old_connections, connection

from trygg.protection import services
from trygg.protection.issuers import BlockRequest, IssuerUnavailable, client_for
from trygg.protection.models import Block

logger = logging.getLogger(__name__)

STUCK_AFTER = dt.timedelta(seconds=60)


def request_for(block: Block) -> BlockRequest:
    item, call = block.item, block.call
    return BlockRequest(
        key=block.key,
        issuer=block.issuer.code,
        kind=item.kind,
        id_number=call.customer.id_number,
        country=call.customer.country,
        card_type=item.card_type,
        ks=item.ks,
        company_number=item.company.id_number if item.company is not None else "",
        imei=item.imei,
        document_kind=item.document_kind,
        order_replacement=bool(call.replacement_wanted) and block.issuer.can_order_replacement,
    )


T = TypeVar("T")


class DatabaseThreads:
    """A few threads that do every dispatcher thread's database work, each on a connection of
    its own kept open. An issuer's answer takes up to seconds, and a mass event needs more
    requests in flight than PostgreSQL has connections (``max_connections``, shared with the
    portal); opening a connection per attempt instead costs more than the attempt's queries."""

    def __init__(self, slots: int) -> None:
        self.slots = slots
        self.pool = ThreadPoolExecutor(max_workers=slots, thread_name_prefix="block-db")

    @staticmethod
    def _guarded(work: Callable[[], T]) -> T:
        try:
            return work()
        except DatabaseError:
            connection.close()  # a broken connection is opened anew for the next piece of work
            raise

    def run(self, work: Callable[[], T]) -> T:
        return self.pool.submit(self._guarded, work).result()

    def close(self) -> None:
        """Close every thread's connection (each thread takes one closing: they wait for each
        other), then end the threads."""
        barrier = threading.Barrier(self.slots)

        def close_own() -> None:
            connection.close()
            barrier.wait(timeout=10)

        for _ in range(self.slots):
            self.pool.submit(close_own)
        self.pool.shutdown(wait=True)


def block_attempt(
    block_id: int,
    *,
    writes: AbstractContextManager[object] | None = None,
    database: DatabaseThreads | None = None,
) -> Block | None:
    """One attempt at the issuer; the block after it, or None when it was not due. ``writes``
    guards the database writes (SQLite takes one writer at a time); with ``database`` they are
    done by its threads. The HTTP call is never inside either."""
    guard = writes if writes is not None else nullcontext()

    def at_database(work: Callable[[], T]) -> T:
        if database is not None:
            return database.run(work)
        with guard:
            return work()

    block = at_database(lambda: services.block_take(block_id))
    if block is None:
        return None
    try:
        answer = client_for(block.issuer.endpoint).block(request_for(block))
    except IssuerUnavailable as error:
        message = str(error)
        return at_database(lambda: services.block_unanswered(block_id=block_id, error=message))
    return at_database(
        lambda: services.block_answered(
            block_id=block_id,
            found=answer.found,
            reference=answer.reference,
            replacement_ordered=answer.replacement_ordered,
        )
    )


class Dispatcher:
    """Claims due blocks in batches (:func:`services.blocks_claim`), sends each from a thread
    of its own, and records the answers in batches (:func:`services.blocks_record`): a thread
    whose answer arrives while another records takes it along with the next batch, so under
    load one transaction records many answers and at rest each is recorded at once."""

    def __init__(
        self,
        *,
        threads: int = 32,
        poll_seconds: float = 0.1,
        database_slots: int = 16,
        recorders: int = 2,
        batch: int = 100,
    ) -> None:
        self.threads = threads
        self.poll_seconds = poll_seconds
        self.recorders = recorders
        self.batch = batch
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="block")
        self.in_flight: set[int] = set()  # claimed, their result not yet recorded
        self.results: list[services.AttemptResult] = []  # waiting to be recorded
        self.recording = 0  # threads recording now
        self.lock = threading.Lock()
        self.sent = 0
        # SQLite has one writer at a time (and, in memory, readers wait for it too): the
        # threads take turns at the database, never while waiting for an issuer. PostgreSQL
        # needs no such turn.
        self.writes: AbstractContextManager[object] | None = (
            threading.Lock() if connection.vendor == "sqlite" else None
        )
        # PostgreSQL: the attempts' database work on a few kept connections, not one each.
        self.database = (
            DatabaseThreads(min(threads, database_slots))
            if connection.vendor == "postgresql"
            else None
        )

    def resume(self, *, older_than: dt.timedelta = STUCK_AFTER) -> int:
        """Blocks a stopped dispatcher left without an answer go back to requested."""
        return len(services.blocks_stuck(older_than=older_than))

    def _at_database(self, work: Callable[[], T]) -> T:
        if self.database is not None:
            return self.database.run(work)
        with self.writes or nullcontext():
            return work()

    def _done(self, block_id: int, future: Future[None]) -> None:
        error = future.exception()
        if error is not None:
            logger.error("block %s: %s", block_id, error)

    def _finished(self, block_id: int) -> Callable[[Future[None]], None]:
        return lambda future: self._done(block_id, future)

    def _send(self, block: Block) -> None:
        """One attempt at the issuer (never holding a database connection), then its result
        recorded: by this thread, or by the one recording now."""
        try:
            try:
                answer = client_for(block.issuer.endpoint).block(request_for(block))
            except IssuerUnavailable as error:
                result = services.AttemptResult(block_id=block.pk, error=str(error))
            else:
                result = services.AttemptResult(
                    block_id=block.pk,
                    found=answer.found,
                    reference=answer.reference,
                    replacement_ordered=answer.replacement_ordered,
                )
        except BaseException:
            with self.lock:
                self.in_flight.discard(block.pk)
            raise
        with self.lock:
            self.results.append(result)
            if self.recording >= self.recorders:
                return
            self.recording += 1
        try:
            self._record()
        finally:
            close_old_connections()

    def _record(self) -> None:
        """Record waiting results, a batch at a time, until none wait. The recorder stops in
        the same turn of the lock in which it finds nothing waiting, so that a result added
        just after is recorded by the thread that adds it."""
        batch: list[services.AttemptResult] = []
        try:
            while True:
                with self.lock:
                    self.in_flight.difference_update(result.block_id for result in batch)
                    self.sent += len(batch)
                    batch = self.results[: self.batch]
                    del self.results[: self.batch]
                    if not batch:
                        self.recording -= 1
                        return
                self._record_batch(batch)
        except BaseException:
            with self.lock:
                self.recording -= 1
                # What it held stays sent: resumed on the dispatcher's next start.
                self.in_flight.difference_update(result.block_id for result in batch)
            raise

    def _record_batch(self, batch: list[services.AttemptResult]) -> None:
        try:
            self._at_database(lambda: services.blocks_record(batch))
        except Exception:
            if len(batch) == 1:
                logger.exception("block %s", batch[0].block_id)
                return
            # One at a time, so that a block that cannot be recorded keeps no other waiting.
            for result in batch:
                self._record_batch([result])

    def step(self) -> int:
        """Claim as many due blocks as there are free threads; returns how many were started."""
        with self.lock:
            free = self.threads - len(self.in_flight)
        if free <= 0:
            return 0
        with self.writes or nullcontext():
            claimed = services.blocks_claim(limit=free)
        with self.lock:
            self.in_flight.update(block.pk for block in claimed)
        for block in claimed:
            future = self.pool.submit(self._send, block)
            future.add_done_callback(self._finished(block.pk))
        return len(claimed)

    def idle(self) -> bool:
        with self.lock:
            return not self.in_flight

    def run(self, *, stop: Callable[[], bool] = lambda: False) -> None:
        """Send blocks until ``stop()`` says so (forever, as a service)."""
        self.resume()
        while not stop():
            try:
                started = self.step()
            except Exception:  # a lost database connection must not end the service
                logger.exception("blocking dispatcher")
                connection.close()
                started = 0
            if not started:
                time.sleep(self.poll_seconds)

    def drain(self, *, timeout: float = 60.0) -> None:
        """Send every due block and wait for the answers (tests, the demo, the bench)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            started = self.step()
            if not started and self.idle():
                with self.writes or nullcontext():
                    waiting = services.blocks_due(limit=1, exclude=set())
                if not waiting:
                    return
                time.sleep(self.poll_seconds)
            elif not started:
                time.sleep(0.01)
        raise TimeoutError("blocks still waiting after the timeout")

    def close(self) -> None:
        self.pool.shutdown(wait=True)
        if self.database is not None:
            self.database.close()
