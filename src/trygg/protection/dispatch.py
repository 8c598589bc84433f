"""The blocking dispatcher: sends every requested block to its issuer, many at once.

Blocks wait in the database (state "requested"); the dispatcher claims each with one
conditional update (:func:`services.block_take`), sends it from a pool of threads, and records
the answer. Nothing lives only in memory: a dispatcher that dies loses nothing, and on start
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
    def __init__(
        self, *, threads: int = 32, poll_seconds: float = 0.1, database_slots: int = 16
    ) -> None:
        self.threads = threads
        self.poll_seconds = poll_seconds
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="block")
        self.in_flight: set[int] = set()
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

    def _done(self, block_id: int, future: Future[Block | None]) -> None:
        with self.lock:
            self.in_flight.discard(block_id)
            self.sent += 1
        error = future.exception()
        if error is not None:
            logger.error("block %s: %s", block_id, error)

    def _finished(self, block_id: int) -> Callable[[Future[Block | None]], None]:
        return lambda future: self._done(block_id, future)

    def _attempt(self, block_id: int) -> Block | None:
        try:
            return block_attempt(block_id, writes=self.writes, database=self.database)
        finally:
            close_old_connections()

    def step(self) -> int:
        """Claim as many due blocks as there are free threads; returns how many were started."""
        with self.lock:
            free = self.threads - len(self.in_flight)
            busy = set(self.in_flight)
        if free <= 0:
            return 0
        with self.writes or nullcontext():
            due = services.blocks_due(limit=free, exclude=busy)
        for block_id in due:
            with self.lock:
                self.in_flight.add(block_id)
            future = self.pool.submit(self._attempt, block_id)
            future.add_done_callback(self._finished(block_id))
        return len(due)

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
