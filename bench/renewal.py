"""Benchmark: the annual renewal of a large portfolio on PostgreSQL, set-based, then checked.

    .venv/bin/python bench/renewal.py [--policies 1000000] [--parties 2000] [--budget 300]
        [--database-url postgresql://postgres@127.0.0.1:5432/trygg_bench_renewal]

The bench database is dropped and created again at the start, then migrated. It is seeded with
set-based SQL: persons (valid personal identity numbers), the policies of the accident product
(levels 10-50; half monthly autogiro, a fifth half-yearly, the rest yearly by invoice; every
fifth insures another person than its holder) each with its current term on the 2016 tariff and
the 2026 price base amount, a price base amount for 2027 and a second tariff version valid from
2027-01-01 (new prices, surcharges for monthly and half-yearly payment), so the renewal writes
every term with the new PBB and the new tariff.

Two scenarios, each on a freshly seeded portfolio after ``VACUUM ANALYZE`` and a checkpoint:

* one day: every policy renews on 2027-12-01, ``renewal_run(on=2027-12-01)``;
* spread: the policies started over the 365 days of 2026 (day after day, so each day's policies
  are scattered over the whole table) and renew over 2027, all caught up by one
  ``renewal_run(on=2027-12-31)`` (365 renewal days).

``renewal_run`` is timed as the batch command calls it; every statement it sends and every
commit is timed too (a Django execute wrapper, and a wrapper around the connection's commit) to
show where the time goes, and the WAL it writes and the share of its policy updates that are HOT
(the new row version on the old one's page, no index touched) are reported. A run still going
after ``--budget`` seconds is stopped before its next batch's first statement (each batch of
renewal dates is its own transaction: the batches before stay renewed, the rest untouched).

Afterwards SQL checks the last run: every policy has exactly one new term and its renewal date
moved a year on, and every new term carries the 2027 PBB, the new tariff and the premium the
tariff's price and surcharge give (computed again in SQL). A second run must renew nothing. The
baseline is a bare ``INSERT INTO scratch SELECT ... FROM generate_series(1, N)`` of N rows as
wide as a term (ten columns and an identity key) and its commit, in the same run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from _common import luhn_sql as _luhn_sql
from _common import machine_postgresql as _machine
from _common import one as _one
from _common import recreate_database as _recreate
from _common import seed_persons
from _common import setup_django as _setup
from _common import sql as _sql


def _seed_parties(count: int) -> tuple[int, int]:
    return seed_persons(count, "Förnyare")


NEW_PBB = "60000"
NEW_PRICES = {10: "598", 20: "989", 30: "1383", 40: "1776", 50: "2166"}
NEW_SURCHARGE_MONTHLY = "3.5"
NEW_SURCHARGE_HALF_YEARLY = "1.5"
TARGET_SECONDS = 20.0


def _seed_catalogue() -> int:
    """The 2027 PBB and the tariff version valid from 2027-01-01; returns its id."""
    _sql(
        "INSERT INTO insurance_pricebaseamount (year, amount) VALUES (2027, %s) "
        "ON CONFLICT (year) DO NOTHING",
        [NEW_PBB],
    )
    if not _sql("SELECT 1 FROM insurance_tariff WHERE version = '2027-1'"):
        _sql(
            "INSERT INTO insurance_tariff (product_id, version, valid_from, price_from_age, "
            "limited_from_age, limited_max_level, surcharge_monthly, surcharge_half_yearly, "
            "acute_care_once, hospital_per_day, hospital_max_days, costs_years, "
            "clothes_cap_pbb, death_pbb, pain_from_age, pain_bands, scar_table) "
            "SELECT product_id, '2027-1', DATE '2027-01-01', price_from_age, limited_from_age, "
            "limited_max_level, %s, %s, acute_care_once, hospital_per_day, hospital_max_days, "
            "costs_years, clothes_cap_pbb, death_pbb, pain_from_age, pain_bands, scar_table "
            "FROM insurance_tariff WHERE version = '2016-1'",
            [NEW_SURCHARGE_MONTHLY, NEW_SURCHARGE_HALF_YEARLY],
        )
    new = _one("SELECT id FROM insurance_tariff WHERE version = '2027-1'")
    for level, price in NEW_PRICES.items():
        _sql(
            "INSERT INTO insurance_tariffprice (tariff_id, level, annual_price) "
            "VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
            [new, level, price],
        )
    return new


def _seed_policies(policies: int, parties: tuple[int, int], spread: bool) -> None:
    """The portfolio and its current terms (2016 tariff, 2026 PBB), in two statements."""
    first, last = parties
    width = last - first + 1
    start = "DATE '2026-01-01' + mod(i - 1, 365)::int" if spread else "DATE '2026-12-01'"
    serial = "(4000000 + i)"
    _sql("TRUNCATE insurance_policyterm, insurance_policy RESTART IDENTITY CASCADE")
    _sql(
        "INSERT INTO insurance_policy (number, product_id, policyholder_id, insured_id, level, "
        "start_date, renewal_date, payment_method, period, exclusion, state, ended_on, "
        "created_at) "
        f"SELECT {serial}::text || {_luhn_sql(serial, 8)}::text, "
        "(SELECT id FROM insurance_product WHERE code = 'accident'), "
        "%s + (i * 7919) %% %s, "
        "CASE WHEN i %% 5 = 0 THEN %s + (i * 104729) %% %s ELSE %s + (i * 7919) %% %s END, "
        "10 * (1 + i %% 5), s, (s + INTERVAL '1 year')::date, "
        "CASE WHEN m <= 5 THEN 'autogiro' ELSE 'invoice' END, "
        "CASE WHEN m < 5 THEN 'monthly' WHEN m < 7 THEN 'half_yearly' ELSE 'yearly' END, "
        "'', 'active', NULL, now() "
        "FROM generate_series(1, %s::bigint) i, "
        f"LATERAL (SELECT {start} AS s, (i / 5) %% 10 AS m) x",
        [first, width, first, width, first, width, policies],
    )
    _sql(
        "INSERT INTO insurance_policyterm (policy_id, starts_on, ends_on, tariff_id, pbb_year, "
        "pbb, base_amount, annual_price, year_total, period) "
        "SELECT p.id, p.start_date, p.renewal_date, t.id, 2026, pbb.amount, "
        "p.level * pbb.amount, tp.annual_price, tp.annual_price, p.period "
        "FROM insurance_policy p "
        "JOIN insurance_tariff t ON t.version = '2016-1' "
        "JOIN insurance_tariffprice tp ON tp.tariff_id = t.id AND tp.level = p.level "
        "JOIN insurance_pricebaseamount pbb ON pbb.year = 2026"
    )
    _sql("VACUUM ANALYZE insurance_policy")
    _sql("VACUUM ANALYZE insurance_policyterm")
    _sql("VACUUM ANALYZE parties_party")
    _sql("CHECKPOINT")


def _baseline(rows: int) -> float:
    """A bare INSERT ... SELECT of ``rows`` term-wide rows and its commit, in seconds."""
    from django.db import connection, transaction

    _sql("DROP TABLE IF EXISTS bench_scratch")
    _sql(
        "CREATE TABLE bench_scratch (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
        "policy_id bigint NOT NULL, starts_on date NOT NULL, ends_on date NOT NULL, "
        "tariff_id bigint NOT NULL, pbb_year smallint NOT NULL, pbb numeric(10,2) NOT NULL, "
        "base_amount numeric(12,2) NOT NULL, annual_price numeric(10,2) NOT NULL, "
        "year_total numeric(10,2) NOT NULL, period varchar(12) NOT NULL)"
    )
    _sql("CHECKPOINT")
    begin = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_scratch (policy_id, starts_on, ends_on, tariff_id, pbb_year, pbb, "
            "base_amount, annual_price, year_total, period) "
            "SELECT i, DATE '2027-12-01', DATE '2028-12-01', 2, 2027, 60000, "
            "(10 * (1 + i %% 5)) * 60000, 1383, 1431.41, 'monthly' "
            "FROM generate_series(1, %s) i",
            [rows],
        )
    elapsed = time.perf_counter() - begin
    _sql("DROP TABLE bench_scratch")
    return elapsed


def _kind(sql: str) -> str:
    head = " ".join(sql.split())[:60].lower().replace('"', "")
    if head.startswith("insert into insurance_policyterm"):
        return "INSERT terms"
    if head.startswith("update insurance_policy"):
        return "UPDATE renewal dates"
    if "kernel_audit" in head:
        return "audit event"
    return "other statements"


class _BudgetSpent(Exception):
    """Raised before a renewal day's first statement once the time budget is spent."""


@contextmanager
def _timed_statements(budget: float | None) -> Iterator[dict[str, list[float]]]:
    """Seconds per statement kind (and per commit) while the block runs. Past ``budget``
    seconds the next renewal day is refused before it writes anything (each day is its own
    transaction, so the days before it stay renewed and the rest untouched)."""
    from django.db import connection

    spent: dict[str, list[float]] = defaultdict(list)
    started = time.perf_counter()

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any):
        kind = _kind(sql)
        begin = time.perf_counter()
        if budget is not None and kind == "INSERT terms" and begin - started > budget:
            raise _BudgetSpent
        try:
            return execute(sql, params, many, context)
        finally:
            spent[kind].append(time.perf_counter() - begin)

    wrapped = connection._commit

    def commit() -> None:
        begin = time.perf_counter()
        try:
            wrapped()
        finally:
            spent["COMMIT (deferred FK checks, WAL flush)"].append(time.perf_counter() - begin)

    connection._commit = commit
    try:
        with connection.execute_wrapper(wrapper):
            yield spent
    finally:
        del connection._commit


def _policy_updates() -> tuple[int, int]:
    """(row updates, HOT updates) of the policy table so far, this session's included."""
    _sql("SELECT pg_stat_force_next_flush()")
    _sql("SELECT pg_stat_clear_snapshot()")
    upd, hot = _sql(
        "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE relname = %s",
        ["insurance_policy"],
    )[0]
    return upd, hot


def _timed_run(on: dt.date, budget: float | None) -> dict[str, Any]:
    from trygg.insurance.renewal import renewal_run
    from trygg.insurance.tariffs import catalogue_forget
    from trygg.kernel.audit import AuditContext

    ctx = AuditContext(actor_kind="system", actor_label="bench", channel="batch")
    catalogue_forget()  # the catalogue (with the new tariff) is loaded inside the timed run
    stopped = False
    upd, hot = _policy_updates()
    wal = _one("SELECT pg_current_wal_lsn()")
    with _timed_statements(budget) as spent:
        begin = time.perf_counter()
        try:
            renewal_run(ctx=ctx, on=on)
        except _BudgetSpent:
            stopped = True
        elapsed = time.perf_counter() - begin
    wal_bytes = _one("SELECT pg_current_wal_lsn() - %s::pg_lsn", [wal])
    upd_after, hot_after = _policy_updates()
    return {
        "seconds": elapsed,
        "stopped": stopped,
        "days": _one(
            "SELECT count(DISTINCT starts_on) FROM insurance_policyterm WHERE pbb_year = 2027"
        ),
        "renewed": _one("SELECT count(*) FROM insurance_policyterm WHERE pbb_year = 2027"),
        "spent": dict(spent),
        "wal_mb": float(wal_bytes) / 2**20,
        "updates": upd_after - upd,
        "hot": hot_after - hot,
    }


def _verify(policies: int, new_tariff: int, on: dt.date) -> dict[str, Any]:
    """SQL checks of the renewal's result."""
    return {
        "new terms": _one("SELECT count(*) FROM insurance_policyterm WHERE pbb_year = 2027"),
        "policies with != 1 new term": _one(
            "SELECT count(*) FROM insurance_policy p WHERE (SELECT count(*) FROM "
            "insurance_policyterm t WHERE t.policy_id = p.id AND t.pbb_year = 2027) <> 1"
        ),
        "renewal date not moved a year": _one(
            "SELECT count(*) FROM insurance_policy "
            "WHERE renewal_date <> (start_date + INTERVAL '2 years')::date OR renewal_date <= %s",
            [on],
        ),
        "terms with wrong dates/PBB/tariff": _one(
            "SELECT count(*) FROM insurance_policyterm t JOIN insurance_policy p "
            "ON p.id = t.policy_id WHERE t.pbb_year = 2027 AND (t.tariff_id <> %s OR "
            "t.pbb <> %s OR t.base_amount <> p.level * t.pbb OR t.period <> p.period OR "
            "t.starts_on <> (p.start_date + INTERVAL '1 year')::date OR "
            "t.ends_on <> p.renewal_date)",
            [new_tariff, NEW_PBB],
        ),
        "sum(year_total)": _one(
            "SELECT sum(year_total) FROM insurance_policyterm WHERE pbb_year = 2027"
        ),
        "expected sum(year_total)": _one(
            "SELECT sum(round(tp.annual_price * (100 + CASE p.period "
            "WHEN 'monthly' THEN t.surcharge_monthly "
            "WHEN 'half_yearly' THEN t.surcharge_half_yearly ELSE 0 END) / 100, 2)) "
            "FROM insurance_policy p JOIN insurance_tariff t ON t.id = %s "
            "JOIN insurance_tariffprice tp ON tp.tariff_id = t.id AND tp.level = p.level",
            [new_tariff],
        ),
    }


def _scenario(
    label: str,
    policies: int,
    parties: tuple[int, int],
    new_tariff: int,
    spread: bool,
    budget: float,
) -> dict[str, Any]:
    from trygg.insurance.renewal import renewal_due, renewal_run
    from trygg.kernel.audit import AuditContext

    on = dt.date(2027, 12, 31) if spread else dt.date(2027, 12, 1)
    begin = time.perf_counter()
    _seed_policies(policies, parties, spread)
    seeded = time.perf_counter() - begin
    due_dates = _one(
        "SELECT count(DISTINCT renewal_date) FROM insurance_policy WHERE renewal_date <= %s",
        [on],
    )
    # The days query renewal_run sends: the renewal dates it will renew.
    listed = len(renewal_due(on))
    runs = {"as shipped": _timed_run(on, budget)}
    ctx = AuditContext(actor_kind="system", actor_label="bench", channel="batch")
    begin = time.perf_counter()
    again = renewal_run(ctx=ctx, on=on)
    second = time.perf_counter() - begin
    checks = _verify(policies, new_tariff, on)
    final = list(runs.values())[-1]
    return {
        "label": label,
        "on": on,
        "seeded": seeded,
        "due_dates": due_dates,
        "listed": listed,
        "runs": runs,
        "again_days": len(again),
        "again_renewed": sum(d.policies for d in again),
        "second": second,
        "checks": checks,
        "ok": (
            not final["stopped"]
            and checks["new terms"] == policies
            and checks["policies with != 1 new term"] == 0
            and checks["renewal date not moved a year"] == 0
            and checks["terms with wrong dates/PBB/tariff"] == 0
            and checks["sum(year_total)"] == checks["expected sum(year_total)"]
            and sum(d.policies for d in again) == 0
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--policies", type=int, default=1_000_000)
    parser.add_argument("--parties", type=int, default=2000)
    parser.add_argument(
        "--budget",
        type=float,
        default=300.0,
        help="seconds after which a renewal run is stopped at the next day (default 300)",
    )
    parser.add_argument(
        "--database-url", default="postgresql://postgres@127.0.0.1:5432/trygg_bench_renewal"
    )
    opts = parser.parse_args()
    _recreate(opts.database_url)
    _setup(opts.database_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    new_tariff = _seed_catalogue()
    parties = _seed_parties(opts.parties)
    baseline = _baseline(opts.policies)
    results = [
        _scenario("one day", opts.policies, parties, new_tariff, False, opts.budget),
        _scenario("spread over 2027", opts.policies, parties, new_tariff, True, opts.budget),
    ]

    print(_machine())
    print(f"{opts.policies} policies, {parties[1] - parties[0] + 1} parties")
    print(f"{'run':<56}{'days':>9}{'renewed':>10}{'seconds':>10}{'/ baseline':>12}")
    print(f"{'bare INSERT ... SELECT (baseline)':<56}{'':>9}{opts.policies:>10}{baseline:>10.2f}")
    for r in results:
        print(f"{r['label']} ({r['on']}): {r['due_dates']} renewal dates due")
        for name, run in r["runs"].items():
            note = " STOPPED at budget" if run["stopped"] else ""
            print(
                f"{'  renewal_run, ' + name + note:<56}{run['days']:>9}{run['renewed']:>10}"
                f"{run['seconds']:>10.2f}{run['seconds'] / baseline:>12.1f}"
            )
        print(
            f"{'  renewal_run again, same day (idempotent)':<56}{r['again_days']:>9}"
            f"{r['again_renewed']:>10}{r['second']:>10.3f}"
        )
    for r in results:
        print(f"\n{r['label']}: seeded in {r['seeded']:.1f} s; renewal_run's days query lists")
        print(f"  {r['listed']} days for {r['due_dates']} distinct renewal dates")
        for name, run in r["runs"].items():
            print(f"  where the time goes, renewal_run {name}:")
            accounted = 0.0
            for kind, times in sorted(run["spent"].items(), key=lambda kv: -sum(kv[1])):
                accounted += sum(times)
                print(
                    f"    {kind:<42}{len(times):>8} x {sum(times):>8.2f} s (max {max(times):.2f})"
                )
            rest = run["seconds"] - accounted
            print(f"    {'Python between statements':<42}{'':>8}   {rest:>8.2f} s")
            print(
                f"    WAL written: {run['wal_mb']:.0f} MB; policy row updates: {run['updates']}, "
                f"of which HOT: {run['hot']}"
            )
        checks = ", ".join(f"{k}: {v}" for k, v in r["checks"].items())
        print(f"  checks of the last run: {checks} -> {'OK' if r['ok'] else 'WRONG'}")
    for r in results:
        for name, run in r["runs"].items():
            print(
                f"target ({r['label']}, renewal_run {name}: <= {TARGET_SECONDS:.0f} s for "
                f"{opts.policies} policies):",
                "met" if run["seconds"] <= TARGET_SECONDS and not run["stopped"] else "NOT met",
            )


if __name__ == "__main__":
    main()
