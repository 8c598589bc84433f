"""Benchmark: the protection service's daily subscription run and a Nets OCR giro import on
PostgreSQL, each against a bare COPY baseline in the same run.

    .venv/bin/python bench/protection_renewals.py [--agreements 1000000] [--payments 1000000]
        [--database-url postgresql://postgres@127.0.0.1:5432/trygg_bench_protection]

The bench database is dropped, created and migrated. Seeded set-based: ``--agreements`` monthly
SperreService agreements, each with one open invoice, spread so that on the run's day (1 March
2027) 1/90 of the terms renew, 1/30 of the agreements get next month's invoice, and 1/30 of the
invoices reach their next step (first reminder, second reminder or lapse, a third each).

1. ``subscriptions_run(day=2027-03-01)`` as the worker calls it, then a second run of the same
   day (must do nothing); baseline: ``COPY`` of as many agreement-wide rows into a scratch table.
2. ``ocr_import`` of one OCR giro file of ``--payments`` payments (every tenth with a KID that
   matches nothing), read with ``netsgiro``, matched and booked; then the same file again (must
   book nothing); baseline: ``COPY`` of as many payment-wide rows. The file is written here line
   by line in Nets' layout (the simulator's writer builds objects and is for small files); a
   sample is checked against the simulator's own file first.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from _common import luhn_sql, machine_postgresql, one, recreate_database, seed_persons, sql
from _common import setup_django as _setup

DAY = dt.date(2027, 3, 1)


_NUMBERS = re.compile(r"\b\d+\b|'[^']*'")


@contextmanager
def _statements() -> Iterator[dict[str, list[float]]]:
    """Every statement on the default connection, by its text without literals: its times."""
    from django.db import connection

    times: dict[str, list[float]] = defaultdict(list)

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, ctx: Any) -> Any:
        begin = time.perf_counter()
        try:
            return execute(sql, params, many, ctx)
        finally:
            times[_NUMBERS.sub("?", " ".join(sql.split()).replace('"', ""))].append(
                time.perf_counter() - begin
            )

    with connection.execute_wrapper(wrapper):
        yield times


def _where(title: str, seconds: float, times: dict[str, list[float]], top: int = 8) -> None:
    """Where the time of a step went: SQL by statement, and the rest (Python, fetching)."""
    sql = sum(sum(t) for t in times.values())
    count = sum(len(t) for t in times.values())
    print(f"\nwhere the time goes, {title}: {seconds:.2f} s (load average {_load()})")
    print(f"  SQL: {count} statements, {sql:.2f} s; outside statements {seconds - sql:.2f} s")
    for text, spent in sorted(times.items(), key=lambda kv: -sum(kv[1]))[:top]:
        shown = text if len(text) <= 200 else text[:197] + "..."
        print(f"  {len(spent):>6} x {sum(spent):>7.2f} s  {shown}")


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def _seed(agreements: int) -> None:
    first, last = seed_persons(min(agreements, 20000), "Sperre")
    width = last - first + 1
    product = one("SELECT id FROM protection_product WHERE code = 'sperreservice-maned'")
    entity = one("SELECT id FROM protection_legalentity WHERE code = 'mysafety-forsakringar-ab'")
    day = f"DATE '{DAY.isoformat()}'"
    sql(
        "INSERT INTO protection_agreement (number, customer_id, product_id, plan, entity_id, "
        "state, started_on, first_term_end, term_start, term_end, invoiced_until, no_offers, "
        "created_at) "
        "SELECT 'B' || i, %s + i %% %s, %s, 'monthly', %s, 'active', DATE '2026-01-01', "
        f"DATE '2026-03-31', {day} - 90 + (i %% 90), {day} - 1 + (i %% 90), "
        f"{day} + 13 + (i %% 30), false, now() "
        "FROM generate_series(0, %s - 1) i",
        [first, width, product, entity, agreements],
    )
    serial = "(10000000 + a.id)"
    sql(
        "INSERT INTO protection_invoice (number, agreement_id, entity_id, kind, state, kid, "
        "amount, currency, period_start, period_end, issued_on, original_due_on, due_on, "
        "due_moves, reminders, action_on) "
        f"SELECT {serial}, a.id, a.entity_id, 'claim', 'open', "
        f"{serial}::text || {luhn_sql(serial, 8)}::text, 49.00, 'NOK', "
        f"{day} - 20 - (a.id %% 7)::int, {day} + 10, {day} - 34, {day} - 20, {day} - 20, 0, "
        f"(a.id / 30) %% 3, {day} + (a.id %% 30)::int "
        "FROM protection_agreement a",
        [],
    )
    sql(
        "INSERT INTO kernel_counter (name, value) VALUES ('protection_invoice', %s) "
        "ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value",
        [one("SELECT max(number) FROM protection_invoice")],
    )
    sql("VACUUM ANALYZE protection_agreement")
    sql("VACUUM ANALYZE protection_invoice")
    sql("CHECKPOINT")


def _copy_baseline(rows: int, columns: str, line: str) -> float:
    """A bare COPY of ``rows`` rows into a scratch table and its commit, in seconds."""
    from django.db import connection, transaction

    sql("DROP TABLE IF EXISTS bench_scratch")
    sql(f"CREATE TABLE bench_scratch ({columns})")
    data = "".join(line.format(i=i) for i in range(rows))
    begin = time.perf_counter()
    with transaction.atomic():
        raw = connection.connection
        with raw.cursor() as cursor, cursor.copy("COPY bench_scratch FROM STDIN") as copy:
            copy.write(data)
    elapsed = time.perf_counter() - begin
    sql("DROP TABLE bench_scratch")
    return elapsed


def _ocr_text(kids: list[str], *, transmission: int, nets_date: dt.date) -> str:
    """An OCR giro transmission of one assignment, 49,00 NOK per KID, in Nets' record layout."""
    date = nets_date.strftime("%d%m%y")
    paid = (nets_date - dt.timedelta(days=3)).strftime("%d%m%y")
    out = io.StringIO()
    out.write(f"NY000010{'00008080'}{transmission:07d}{'55555555'}{'0' * 49}\n")
    out.write(f"NY090020{'0' * 9}{transmission:07d}86011117947{'0' * 45}\n")
    for n, kid in enumerate(kids, start=1):
        out.write(
            f"NY091030{n:07d}{date}01{nets_date.day:02d}100001{'0'}{4900:017d}{kid:>25}000000\n"
        )
        out.write(f"NY091031{n:07d}{'0' * 10}{'0' * 9}{'0' * 7}{paid}12345678903{'0' * 22}\n")
    count, total = len(kids), 4900 * len(kids)
    out.write(f"NY090088{count:08d}{2 * count + 2:08d}{total:017d}{date}{date}{date}{'0' * 21}\n")
    out.write(f"NY000089{count:08d}{2 * count + 4:08d}{total:017d}{date}{'0' * 33}\n")
    return out.getvalue()


def _check_layout() -> None:
    from trygg.simulators.nets import OcrPayment, ocr_file

    kids = ["100000018", "1234567897"]
    ours = _ocr_text(kids, transmission=9, nets_date=DAY)
    theirs = ocr_file(
        [OcrPayment(k, Decimal("49.00"), DAY - dt.timedelta(days=3)) for k in kids],
        transmission=9,
        nets_date=DAY,
    )
    assert ours == theirs, "the bench's OCR lines differ from the simulator's"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--agreements", type=int, default=1_000_000)
    parser.add_argument("--payments", type=int, default=1_000_000)
    parser.add_argument(
        "--database-url", default="postgresql://postgres@127.0.0.1:5432/trygg_bench_protection"
    )
    args = parser.parse_args()
    recreate_database(args.database_url)
    _setup(args.database_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from trygg.kernel import clock
    from trygg.kernel.audit import SYSTEM
    from trygg.protection.payments import ocr_import
    from trygg.protection.subscriptions import subscriptions_run

    started = time.perf_counter()

    def progress(what: str) -> None:
        print(f"[{time.perf_counter() - started:7.1f} s] {what}", flush=True)

    _check_layout()
    _seed(args.agreements)
    progress("seeded")
    rows: list[tuple[str, float, float | str, str]] = []

    load_before_run = _load()
    with clock.business_date(DAY), _statements() as run_times:
        begin = time.perf_counter()
        result = subscriptions_run(ctx=SYSTEM, day=DAY)
        run = time.perf_counter() - begin
        begin = time.perf_counter()
        again = subscriptions_run(ctx=SYSTEM, day=DAY)
        rerun = time.perf_counter() - begin
    assert not any(again.counts.values()), again.counts
    progress("daily run done")
    copy = _copy_baseline(
        args.agreements,
        "id bigint, number text, customer_id bigint, product_id bigint, plan text, "
        "entity_id bigint, state text, started_on date, term_start date, term_end date, "
        "invoiced_until date",
        "{i}\tB{i}\t1\t1\tmonthly\t1\tactive\t2026-01-01\t2027-03-01\t2027-05-31\t2027-03-31\n",
    )
    rows.append((f"daily run, {args.agreements:,} agreements", run, copy, str(dict(result.counts))))
    rows.append(("  the same day again (nothing to do)", rerun, "", ""))

    kids = [
        k
        for (k,) in sql(
            "SELECT kid FROM protection_invoice WHERE state = 'open' ORDER BY id LIMIT %s",
            [args.payments],
        )
    ]
    kids = [k if i % 10 else "1234567897" for i, k in enumerate(kids)]
    kids += ["1234567897"] * (args.payments - len(kids))
    text = _ocr_text(kids, transmission=4242, nets_date=DAY)
    progress("OCR file written")
    from trygg.protection.payments import read_ocr_fast

    begin = time.perf_counter()
    read_ocr_fast(text)
    reading = time.perf_counter() - begin
    load_before_ocr = _load()
    with clock.business_date(DAY), _statements() as ocr_times:
        begin = time.perf_counter()
        imported = ocr_import(ctx=SYSTEM, text=text, name="bench.ocr")
        ocr = time.perf_counter() - begin
        begin = time.perf_counter()
        twice = ocr_import(ctx=SYSTEM, text=text, name="bench-again.ocr")
        ocr_again = time.perf_counter() - begin
    assert not twice.imported_now
    progress("OCR import done")
    copy = _copy_baseline(
        args.payments,
        "id bigint, file_id bigint, seq int, kid text, amount numeric(14,2), paid_on date, "
        "payer_account text, invoice_id bigint, state text",
        "{i}\t1\t{i}\t100000018\t49.00\t2027-02-26\t12345678903\t\\N\tunmatched\n",
    )
    rows.append(
        (
            f"OCR import, {args.payments:,} payments",
            ocr,
            copy,
            f"booked {imported.booked:,}, unmatched {imported.unmatched:,}",
        )
    )
    rows.append(("  the same file again (books nothing)", ocr_again, "", ""))
    rows.append(("  of the import: reading the file alone", reading, "", ""))

    _where(f"subscriptions_run (load before it {load_before_run})", run, run_times)
    _where(f"ocr_import (load before it {load_before_ocr})", ocr, ocr_times)
    print(f"\nmachine: {machine_postgresql()}; load average now {_load()}")
    print(f"{'step':<44} {'seconds':>9} {'COPY s':>8} {'ratio':>7}  detail")
    for name, seconds, base, detail in rows:
        ratio = f"{seconds / base:7.1f}" if isinstance(base, float) and base else ""
        base_text = f"{base:8.2f}" if isinstance(base, float) else ""
        print(f"{name:<44} {seconds:9.2f} {base_text:>8} {ratio:>7}  {detail}")


if __name__ == "__main__":
    main()
