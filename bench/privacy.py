"""Benchmark: privacy on PostgreSQL, each figure beside a baseline measured in the same run.

    .venv/bin/python bench/privacy.py --url postgresql://postgres@127.0.0.1:5432/trygg_bench \
        [--persons 1000000] [--history 20000] [--rows 10000000] [--repeat 5]

1. One person's complete export (GDPR Art. 15) among ``--persons`` (made by ``trygg testdata``
   when the database holds fewer), the person with a rich history: ``--history`` audit events
   and a tenth as many log-ins. Baseline: one audited read of the same person's contact details
   (``parties.selectors.contact_details_read``). Median of ``--repeat`` runs, with the median
   CPU time of the bench's own process for the export (``time.process_time``: it grows far less
   with the machine's load than the wall time; PostgreSQL's work is not in it).
2. Retention of the audit log: two past months of ``--rows`` events each, in their month
   partitions, written to disk (``CHECKPOINT``) before each timing. Baseline: a bare ``DELETE``
   of the first month's rows (the append-only trigger lifted, as the retention run does); then,
   the emptied month dropped untimed, ``audit_expire`` removes the second month by dropping its
   partition (with the anchor that keeps ``trygg audit verify`` whole).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import cpu_model, ensure_database, machine_postgresql, setup_django


def _fill_persons(wanted: int) -> tuple[int, float]:
    from trygg.parties.models import Party
    from trygg.privacy import testdata

    have = Party.objects.filter(kind="person").count()
    if have >= wanted:
        return have, 0.0
    made = testdata.make_persons(wanted - have, seed=have + 7)
    return wanted, made.seconds


def _rich_person(history: int) -> int:
    from django.db import connection

    from trygg.identity.models import LoginEvent
    from trygg.kernel import clock, idnumbers
    from trygg.kernel.audit import SYSTEM
    from trygg.parties.services import ContactInput, person_register

    # One rich person per size of history, so that a run with another size makes its own.
    number = idnumbers.generate_swedish_personal(dt.date(1961, 4, 9), 900 + history // 1000 % 100)
    from trygg.parties.models import Party

    existing = Party.objects.filter(id_number=number).first()
    if existing is not None:
        return existing.pk
    party = person_register(
        ctx=SYSTEM,
        id_number=number,
        given_name="Rikard",
        family_name="Historiksson",
        contact=ContactInput(
            street="Långa gatan 1",
            postal_code="11122",
            city="Stockholm",
            email="rikard@example.org",
            mobile="0701740650",
        ),
    )
    now = clock.now()
    LoginEvent.objects.bulk_create(
        [
            LoginEvent(
                party=party,
                occurred_at=now - dt.timedelta(hours=i),
                method="pin",
                channel="web",
                success=True,
            )
            for i in range(history // 10)
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO kernel_auditevent (occurred_at, actor_kind, actor_id, actor_label, "
            "action, channel, subject_id, object_type, object_id, ip, detail, hash, chain) "
            "SELECT now() - (g || ' minutes')::interval, 'customer', %s, '', 'read', 'web', %s, "
            "'account', g::text, '192.0.2.7', '{}'::jsonb, md5(g::text) || md5(g::text), '' "
            "FROM generate_series(1, %s) AS g",
            [str(party.pk), str(party.pk), history],
        )
    return party.pk


def _median(samples: list[float]) -> float:
    return statistics.median(samples)


def bench_export(persons: int, history: int, repeat: int) -> list[tuple[str, str, str]]:
    from trygg.kernel.audit import SYSTEM
    from trygg.parties.models import Party
    from trygg.parties.selectors import contact_details_read
    from trygg.privacy import export, subject

    total, made_in = _fill_persons(persons)
    party_id = _rich_person(history)
    party = Party.objects.get(pk=party_id)
    from trygg.kernel.audit import audit_seal

    audit_seal()  # the history's events sealed before timing: a read's seal is not its cost
    contact_details_read(ctx=SYSTEM, party=party)  # warm: the first query of a connection
    audit_seal()
    reads, exports, pdfs, cpu = [], [], [], []
    rows = 0
    for _ in range(repeat):
        started = time.perf_counter()
        contact_details_read(ctx=SYSTEM, party=party)
        reads.append(time.perf_counter() - started)
        started, processor = time.perf_counter(), time.process_time()
        document = subject.person_export(party_id, "sv")
        body = export.person_json(document)
        exports.append(time.perf_counter() - started)
        cpu.append(time.process_time() - processor)
        rows = sum(len(s["rows"]) for s in document["data"])
    started = time.perf_counter()
    export.person_pdf(document)
    pdfs.append(time.perf_counter() - started)
    read, full = _median(reads), _median(exports)
    return [
        ("persons in the database", f"{total:,}", f"made in {made_in:.0f} s" if made_in else ""),
        ("baseline: one audited read of contact details", f"{read * 1000:.1f} ms", "1.0"),
        (
            f"complete export, JSON ({rows:,} rows, {len(body) / 1e6:.1f} MB)",
            f"{full * 1000:.0f} ms",
            f"{full / read:.0f}",
        ),
        (
            "  of which this process's CPU time (process_time; the database's apart)",
            f"{_median(cpu) * 1000:.0f} ms",
            "",
        ),
        ("the same as PDF (once, from the document)", f"{pdfs[0] * 1000:.0f} ms", ""),
    ]


def _fill_month(month: dt.date, rows: int, first_seq: int) -> float:
    from django.db import connection

    from trygg.kernel import auditexpiry

    start = auditexpiry._instant(month)
    end = auditexpiry._instant(auditexpiry.add_months(month, 1))
    name = auditexpiry.partition_name(month)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {name}")
        cursor.execute(
            f"CREATE TABLE {name} PARTITION OF kernel_auditevent "
            f"FOR VALUES FROM ('{start.isoformat()}') TO ('{end.isoformat()}')"
        )
        seconds = (end - start).total_seconds()
        cursor.execute(
            f"INSERT INTO {name} (seq, occurred_at, actor_kind, actor_id, actor_label, action, "
            "channel, subject_id, object_type, object_id, ip, detail, hash, chain) "
            "SELECT %s + g, %s::timestamptz + (g * %s / %s) * interval '1 second', 'customer', "
            "(g %% 1000000)::text, '', 'read', 'web', (g %% 1000000)::text, 'account', g::text, "
            "NULL, '{}'::jsonb, md5(g::text) || md5(g::text), md5(g::text) || md5(g::text) "
            "FROM generate_series(1, %s) AS g",
            [first_seq, start, seconds, rows + 1, rows],
        )
        cursor.execute(f"ANALYZE {name}")
    return time.perf_counter() - started


def _settle() -> None:
    """Write out what the months' filling left dirty, so that a timing does not wait for it:
    a month 13 months old has long been on disk."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CHECKPOINT")


def bench_retention(rows: int) -> list[tuple[str, str, str]]:
    from django.db import connection, transaction

    from trygg.kernel import auditexpiry, clock
    from trygg.kernel.dbtriggers import install_append_only, remove_append_only

    if not auditexpiry.partitioned():
        raise SystemExit("The audit log is not partitioned: run on PostgreSQL after migrate.")
    today = clock.today()
    first = auditexpiry.add_months(auditexpiry.month_start(today), -16)
    second = auditexpiry.add_months(first, 1)
    # The bench's months take sequence numbers far above the live log's, past the anchors an
    # earlier run of the bench left in the same database.
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(seq), 0) FROM kernel_auditanchor")
        base = max(10**12, cursor.fetchone()[0] + 1)
    filled = _fill_month(first, rows, base)
    filled += _fill_month(second, rows, base + rows)
    start = auditexpiry._instant(first)
    end = auditexpiry._instant(second)
    from trygg.kernel.audit import audit_seal

    audit_seal()  # nothing left to seal: both timings are the removal alone
    _settle()
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        remove_append_only(connection)
        cursor.execute(
            "DELETE FROM kernel_auditevent WHERE occurred_at >= %s AND occurred_at < %s",
            [start, end],
        )
        deleted = cursor.rowcount
        install_append_only(connection)
    delete = time.perf_counter() - started
    # The month the baseline emptied goes untimed: the index entries of its dead rows would make
    # the expiry's probe for its lowest sequence number walk them all (8 s for 10,000,000), a
    # state a month reaches only by such a DELETE, and what the DELETE leaves is VACUUM's work.
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {auditexpiry.partition_name(first)}")
    _settle()
    statements: list[float] = []

    def timed(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        begun = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append(time.perf_counter() - begun)

    started = time.perf_counter()
    with connection.execute_wrapper(timed):
        expiry = auditexpiry.audit_expire(today)
    drop = time.perf_counter() - started
    return [
        (f"two months of audit events written ({rows:,} each)", f"{filled:.0f} s", ""),
        (f"baseline: DELETE of one month ({deleted:,} rows)", f"{delete:.2f} s", "1.0"),
        (
            f"retention: partition dropped ({expiry.removed:,} rows, "
            f"{len(expiry.partitions)} partitions)",
            f"{drop:.2f} s",
            f"{drop / delete:.3f}",
        ),
        (
            f"  of which its {len(statements)} SQL statements (the rest: the commits)",
            f"{sum(statements):.2f} s",
            "",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="a PostgreSQL database (created if absent)")
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--history", type=int, default=20_000)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip", choices=["export", "retention"], default=None)
    args = parser.parse_args()
    ensure_database(args.url)
    setup_django(args.url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(f"machine: {cpu_model()}; {machine_postgresql()}")
    width = 68
    print(f"{'measure':<{width}}  {'time':>10}  {'ratio to baseline':>17}", flush=True)
    parts = []
    if args.skip != "export":
        parts.append(lambda: bench_export(args.persons, args.history, args.repeat))
    if args.skip != "retention":
        parts.append(lambda: bench_retention(args.rows))
    for part in parts:
        for name, value, ratio in part():
            print(f"{name:<{width}}  {value:>10}  {ratio:>17}", flush=True)


if __name__ == "__main__":
    main()
