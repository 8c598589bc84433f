"""Benchmark: the daily retention over recorded interactions and survey answers, and the
evacuation list of a site, on PostgreSQL.

    .venv/bin/python bench/contact.py [--rows 10000000] [--visitors 5000] [--repeat 20]
        [--database-url postgresql://postgres@127.0.0.1:5432/trygg_contact] [--evacuation-only]

The bench database is dropped, created and migrated (the four sites of seed 003 come with the
migrations), then seeded with set-based SQL:

* ``--rows`` rows in all, half recorded interactions (threat and quality alternately, started
  evenly over the last 60 days, so about half are past their 30 days) and half satisfaction
  surveys (answered evenly over the last 24 months, one in three with a free-text comment, so
  about a quarter are past 18 months and a further quarter past the comment's 12 months);
* ``--visitors`` visitors signed in today at Telegrafgatan (and as many signed out), and as many
  again at the other sites and on earlier days; with ``--passages N`` (and
  ``--evacuation-only``), each visitor signed in at Telegrafgatan has a card that has passed N
  doors, the last one inwards (so still inside).

Measured, each in the same run:

1. Baseline: the same deletes and the same update as plain SQL on copies of the two tables
   (``DELETE ... WHERE started_at < cut``, ``DELETE ... WHERE answered_at < cut``,
   ``UPDATE ... SET free_text = ''``), each with its commit; and the same three on the real
   tables with their foreign keys checked at once (``SET CONSTRAINTS ALL IMMEDIATE``), rolled
   back: what any delete of these rows costs, the database's integrity checks included.
2. The catch-up: ``retention_run(ctx=SYSTEM, on=today)`` (every rule of every app, in one
   transaction, its report kept) over the seeded backlog, about 42% of the rows at once;
   checked: what it removed equals what the baseline removed. The recorded interactions here
   have no files (the bench measures the rows; removing a file is one storage call per file
   after the commit, outside this figure).
3. The evacuation list: ``selectors.evacuation_list`` (its statements and its audit event), the
   median of ``--repeat`` runs, against the bare ``SELECT`` of the same rows; wall time, and
   the CPU time of this process (``time.process_time``: Python's share, not the database
   server's, and much less dependent on the machine's load than the wall time).
   ``--evacuation-only`` seeds the visitors alone and measures only this (no retention runs).
4. The daily run: after the catch-up (the copies dropped and the database vacuumed, as
   autovacuum would have done overnight), the run of the next business date (``on`` = today + 1
   day, under ``clock.business_date``, as the worker's daily task runs it), which removes one
   day's worth of expired rows out of those held, and the day's visits at Telegrafgatan (kept
   one day). Its baseline in the same run: the same one-day deletes and update as plain SQL on
   the real tables with the foreign keys checked at once, rolled back; checked: what the run
   removed equals what the baseline removed, table by table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine_postgresql, one, recreate_database, setup_django, sql, vacuum

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/trygg_contact"


def seed(rows: int, visitors: int, passages: int = 0) -> None:
    half = rows // 2
    employee = one(
        "INSERT INTO identity_staffuser (password, is_superuser, username, first_name, "
        "last_name, email, is_staff, is_active, date_joined) VALUES ('!', false, 'bench', "
        "'Bench', 'Host', 'host@example.se', true, true, now()) RETURNING id"
    )
    sql(
        "INSERT INTO contact_interaction (purpose, channel, matter, controller, state, "
        "contact_detail, party_id, employee_id, started_at, platform, platform_id) "
        "SELECT CASE WHEN i %% 2 = 0 THEN 'threat' ELSE 'quality' END, 'phone', 'insurance', "
        "'Länsförsäkringar Stockholm', 'stored', '+4670' || lpad((i %% 10000000)::text, 7, '0'), "
        "NULL, %s, now() - (i::float8 / %s) * interval '60 days', '', '' "
        "FROM generate_series(1, %s) AS i",
        [employee, half, half],
    )
    sql(
        "INSERT INTO contact_survey (response_id, matter, employee_id, team, controller, "
        "party_id, channel, contact_detail, contact_key, state, created_at, sent_at, "
        "answered_at, nps, satisfaction, resolved, free_text) "
        "SELECT md5(i::text)::uuid, 'Skada', %s, 'Team ' || (i %% 12), 'Länsförsäkringar', "
        "NULL, 'email', 'p' || i || '@example.se', 'p' || i || '@example.se', 'answered', "
        "t - interval '2 days', t - interval '2 days', t, i %% 11, 1 + i %% 5, i %% 3 = 0, "
        "CASE WHEN i %% 3 = 0 THEN 'Comment ' || i ELSE '' END "
        "FROM (SELECT i, now() - (i::float8 / %s) * interval '730 days' AS t "
        "      FROM generate_series(1, %s) AS i) AS s",
        [employee, half, half],
    )
    for where, day, state, count in (
        ("telegrafgatan", "current_date", "signed-in", visitors),
        ("telegrafgatan", "current_date", "signed-out", visitors),
        ("tegeluddsvagen", "current_date", "signed-in", visitors),
        ("tegeluddsvagen", "current_date - 5", "signed-out", visitors),
    ):
        sql(
            "INSERT INTO contact_visit (site_id, name, phone, company, host_id, car, card, "
            "state, visited_on, signed_in_at, signed_out_at, host_coming_at) "
            f"SELECT (SELECT id FROM contact_site WHERE code = %s), 'Visitor ' || i, "
            f"'070' || lpad(i::text, 7, '0'), 'Company', %s, '', '', %s, {day}, now(), "
            f"CASE WHEN %s = 'signed-out' THEN now() END, NULL "
            "FROM generate_series(1, %s) AS i",
            [where, employee, state, state, count],
        )
    if passages:
        sql(
            "UPDATE contact_visit SET card = 'B-' || id, card_issued_at = signed_in_at "
            "WHERE visited_on = current_date AND state = 'signed-in' AND site_id = "
            "(SELECT id FROM contact_site WHERE code = 'telegrafgatan')"
        )
        sql(
            "INSERT INTO contact_doorpassage (visit_id, card, door, direction, passed_at) "
            "SELECT id, card, 'Door ' || k, CASE WHEN k %% 2 = %s %% 2 THEN 'in' ELSE 'out' END, "
            "signed_in_at + k * interval '1 second' "
            "FROM contact_visit, generate_series(1, %s) AS k WHERE card <> ''",
            [passages, passages],
        )


def timed(fn: object) -> float:
    started = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - started


def timed_cpu(fn: object) -> tuple[float, float]:
    """The wall time and this process's CPU time of ``fn()``."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()  # type: ignore[operator]
    return time.perf_counter() - wall, time.process_time() - cpu


def evacuation(visitors: int, repeat: int) -> list[str]:
    """The evacuation list against the bare ``SELECT`` of its rows, each ``repeat`` times in
    turn; the table's rows (medians)."""
    from trygg.contact import selectors
    from trygg.contact.models import Site
    from trygg.kernel import clock
    from trygg.kernel.audit import SYSTEM

    today = clock.today()
    site = Site.objects.get(code="telegrafgatan")
    lists, bare = [], []
    for _ in range(repeat):
        lists.append(timed_cpu(lambda: selectors.evacuation_list(ctx=SYSTEM, site_id=site.pk)))
        bare.append(
            timed_cpu(
                lambda: sql(
                    "SELECT * FROM contact_visit WHERE site_id = %s AND visited_on = %s AND "
                    "state = 'signed-in' ORDER BY name, id",
                    [site.pk, today],
                )
            )
        )
    inside = len(selectors.evacuation_list(ctx=SYSTEM, site_id=site.pk))
    assert inside == visitors, inside
    p50, b50 = (statistics.median(w for w, _ in lists), statistics.median(w for w, _ in bare))
    c50, bc50 = (statistics.median(c for _, c in lists), statistics.median(c for _, c in bare))
    return [
        f"| evacuation list, bare SELECT of {inside:,} visitors (median) | {b50 * 1000:.1f} ms "
        f"(CPU {bc50 * 1000:.1f} ms) | {inside:,} | 1.0 |",
        f"| `evacuation_list` with its audit event (median) | {p50 * 1000:.1f} ms "
        f"(CPU {c50 * 1000:.1f} ms) | {inside:,} | {p50 / b50:.1f} (CPU {c50 / bc50:.1f}) |",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--visitors", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument(
        "--profile", action="store_true", help="print the retention run's slowest statements"
    )
    parser.add_argument(
        "--passages", type=int, default=0, help="doors each card at Telegrafgatan has passed"
    )
    parser.add_argument(
        "--evacuation-only",
        action="store_true",
        help="seed the visitors alone and measure the evacuation list only (no retention)",
    )
    args = parser.parse_args()
    if args.passages and not args.evacuation_only:
        # The retention's baselines delete visits by plain SQL, which passages would block.
        parser.error("--passages goes with --evacuation-only")

    recreate_database(args.database_url)
    setup_django(args.database_url)
    from django.core.management import call_command
    from django.db import connection, transaction

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrated ({time.perf_counter() - started:.1f} s)", flush=True)
    started = time.perf_counter()
    rows = 0 if args.evacuation_only else args.rows
    with transaction.atomic():
        seed(rows, args.visitors, args.passages)
    vacuum(args.database_url)
    print(f"seeded {rows:,} rows ({time.perf_counter() - started:.1f} s)", flush=True)
    print(machine_postgresql())
    if args.evacuation_only:
        print()
        print("| measured | time | rows | ratio to baseline |")
        print("|---|---:|---:|---:|")
        print("\n".join(evacuation(args.visitors, args.repeat)))
        return

    from trygg.kernel import clock
    from trygg.kernel.audit import SYSTEM
    from trygg.privacy import rules
    from trygg.privacy.services import _day_end, retention_run

    today = clock.today()
    cut30 = _day_end(rules.cutoff(rules.RULES["recording-quality"], today))
    cut18 = _day_end(rules.cutoff(rules.RULES["survey"], today))
    cut12 = _day_end(rules.cutoff(rules.RULES["survey-free-text"], today))

    # 1. Baseline on copies.
    sql("CREATE TABLE bench_interaction AS SELECT * FROM contact_interaction")
    sql("CREATE TABLE bench_survey AS SELECT * FROM contact_survey")
    sql("CREATE INDEX ON bench_interaction (started_at)")
    sql("CREATE INDEX ON bench_survey (answered_at)")
    vacuum(args.database_url)
    connection.close()
    baseline: dict[str, tuple[float, int]] = {}

    def plain(name: str, statement: str, params: list[object]) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            t0 = time.perf_counter()
            cursor.execute(statement, params)
            count = cursor.rowcount
        baseline[name] = (time.perf_counter() - t0, count)

    plain("interactions", "DELETE FROM bench_interaction WHERE started_at < %s", [cut30])
    plain("surveys", "DELETE FROM bench_survey WHERE answered_at < %s", [cut18])
    plain(
        "free text",
        "UPDATE bench_survey SET free_text = '' WHERE answered_at < %s AND free_text <> ''",
        [cut12],
    )
    base_total = sum(t for t, _ in baseline.values())

    # 1b. The same statements on the real tables, whose rows other tables refer to: PostgreSQL
    # checks each deleted row's foreign keys (Django makes them DEFERRABLE INITIALLY DEFERRED, so
    # at commit; here made immediate so that they run inside the timed statements), then rolled
    # back so that the retention run finds the rows.
    def keyed_baseline(
        cut30: dt.datetime, cut18: dt.datetime, cut12: dt.datetime, visited: dt.date | None = None
    ) -> dict[str, tuple[float, int]]:
        timings: dict[str, tuple[float, int]] = {}
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for name, statement, cut in (
                ("interactions", "DELETE FROM contact_interaction WHERE started_at < %s", cut30),
                ("surveys", "DELETE FROM contact_survey WHERE answered_at < %s", cut18),
                (
                    "free text",
                    "UPDATE contact_survey SET free_text = '' WHERE answered_at < %s "
                    "AND free_text <> ''",
                    cut12,
                ),
                (
                    "visits",
                    "DELETE FROM contact_visit WHERE visited_on <= %s AND site_id IN "
                    "(SELECT id FROM contact_site WHERE visitor_rule = 'visitor')",
                    visited,
                ),
            ):
                if cut is None:
                    continue
                t0 = time.perf_counter()
                cursor.execute(statement, [cut])
                timings[name] = (time.perf_counter() - t0, cursor.rowcount)
            transaction.set_rollback(True)
        return timings

    keyed = keyed_baseline(cut30, cut18, cut12)
    keyed_total = sum(t for t, _ in keyed.values())
    for name, (_, count) in baseline.items():
        assert keyed[name][1] == count, (name, keyed[name][1], count)

    # 2. The catch-up run.
    statements: list[tuple[float, str]] = []

    def statement_timer(execute, sql_text, params, many, context):  # type: ignore[no-untyped-def]
        t0 = time.perf_counter()
        try:
            return execute(sql_text, params, many, context)
        finally:
            statements.append((time.perf_counter() - t0, sql_text[:160]))

    from trygg.privacy.models import RetentionRun

    def run(on: dt.date, label: str) -> tuple[float, dict[str, int]]:
        statements.clear()
        with clock.business_date(on), connection.execute_wrapper(statement_timer):
            elapsed = timed(lambda: retention_run(ctx=SYSTEM, on=on))
        if args.profile:
            print(f"{label}:")
            for seconds, text in sorted(statements, reverse=True)[:10]:
                print(f"{seconds:8.2f} s  {text}")
            print(f"{len(statements)} statements, {sum(s for s, _ in statements):.2f} s")
        report = RetentionRun.objects.latest("started_at")
        assert report.run_date == on, (report.run_date, on)
        removed = {
            "interactions": sum(
                report.counts[c].get("contact.Interaction", 0)
                for c in ("recording-threat", "recording-quality")
            ),
            "surveys": report.counts["survey"].get("contact.Survey", 0),
            "free text": report.counts["survey-free-text"].get("contact.Survey", 0),
            "visits": report.counts["visitor"].get("contact.Visit", 0),
        }
        print(f"{label}: {elapsed:.2f} s, {sum(removed.values()):,} rows", flush=True)
        return elapsed, removed

    elapsed, removed = run(today, "catch-up run")
    for name, (_, count) in baseline.items():
        assert removed[name] == count, (name, removed[name], count)

    # 3. The evacuation list (before the daily run, which removes today's visits).
    evacuation_rows = evacuation(args.visitors, args.repeat)

    # 4. The daily run of the next business date: one day's worth of expired rows.
    sql("DROP TABLE bench_interaction")
    sql("DROP TABLE bench_survey")
    connection.close()
    vacuum(args.database_url)
    next_day = today + dt.timedelta(days=1)
    held = one(
        "SELECT (SELECT count(*) FROM contact_interaction) + (SELECT count(*) FROM contact_survey)"
    )
    daily_cuts = [
        _day_end(rules.cutoff(rules.RULES[code], next_day))
        for code in ("recording-quality", "survey", "survey-free-text")
    ]
    daily_keyed = keyed_baseline(
        *daily_cuts, visited=rules.cutoff(rules.RULES["visitor"], next_day)
    )
    daily_keyed_total = sum(t for t, _ in daily_keyed.values())
    daily_elapsed, daily_removed = run(next_day, "daily run")
    for name, (_, count) in daily_keyed.items():
        assert daily_removed[name] == count, (name, daily_removed[name], count)

    print()
    print(f"| measured ({args.rows:,} rows) | seconds | rows | ratio to baseline |")
    print("|---|---:|---:|---:|")
    for name, (seconds, count) in baseline.items():
        print(f"| baseline: plain SQL, {name} | {seconds:.2f} | {count:,} | |")
    print(f"| baseline: the three together | {base_total:.2f} | | 1.0 |")
    print(
        f"| baseline: the three on the real tables, foreign keys checked | {keyed_total:.2f} | "
        f"| {keyed_total / base_total:.1f} |"
    )
    print(
        f"| catch-up: `retention_run` (every rule, report kept) | {elapsed:.2f} | "
        f"{sum(removed.values()):,} | {elapsed / base_total:.1f} "
        f"({elapsed / keyed_total:.1f} to the keyed baseline) |"
    )
    for name, (seconds, count) in daily_keyed.items():
        print(f"| daily ({next_day}): keyed baseline, {name} | {seconds:.2f} | {count:,} | |")
    print(f"| daily: keyed baseline, the four together | {daily_keyed_total:.2f} | | 1.0 |")
    print(
        f"| daily: `retention_run` of {next_day} over {held:,} rows held | {daily_elapsed:.2f} | "
        f"{sum(daily_removed.values()):,} | {daily_elapsed / daily_keyed_total:.1f} |"
    )
    print("\n".join(evacuation_rows))


if __name__ == "__main__":
    main()
