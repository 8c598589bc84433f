"""Benchmark: quotes through the service layer, one process on one core.

    .venv/bin/python bench/quotes.py [--quotes 200000] [--rounds 3]
        [--database-url postgresql://postgres@127.0.0.1:5432/trygg_bench_quotes]

``trygg.insurance.tariffs.quote_for`` is called the way the portal's and the API's quote forms
call it: the insured given as a birth date (``YYYY-MM-DD``) or as a personal identity number
(12 digits, or 10 with a hyphen), a level and a payment period as the form sends them, a start
date in 2026. The inputs are generated before the clock starts: ages 15 to 85, all five levels
and three periods; about one quote in six is refused (50 price base amounts for someone who has
turned 46, or an insured under 19) and counted apart. Both loops add up the year's premiums they
priced, and the two sums and counts must agree. The price base amounts and the tariff come
from the database once and are then cached in the process (reloaded every
``tariffs.CACHE_SECONDS``), so after the warm-up the rate is that of the Python code.

The baseline is the pure rule, ``trygg.insurance.rules.quote``, called with the same inputs
already parsed (birth dates as ``date``, the level as ``int``) and a prepared ``rules.Tariff``:
what the service layer adds on top is parsing the identity number or date, finding the tariff and
the PBB, and turning a refusal into a ``ValidationFailed``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import statistics
import time
import urllib.parse
from decimal import Decimal
from pathlib import Path
from typing import Any

from _common import setup_django as _setup

TARGET = 5000  # quotes per second on one core


def _inputs(count: int, seed: int) -> list[tuple[str, dt.date, int, str, dt.date]]:
    """(insured as the form sends it, birth date, level, period, start date) per quote."""
    from trygg.kernel import idnumbers

    rng = random.Random(seed)
    rows = []
    for i in range(count):
        on = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(365))
        born = on - dt.timedelta(days=rng.randrange(15 * 365, 86 * 365))
        number = idnumbers.generate_swedish_personal(born, rng.randrange(1000))
        form = i % 4
        if form == 0:
            insured = born.isoformat()
        elif form == 1:
            insured = number
        elif form == 2:  # YYMMDD-NNNN, as people write it
            insured = f"{number[2:8]}-{number[8:]}"
        else:
            insured = f"{number[:8]}-{number[8:]}"
        rows.append((insured, born, rng.choice((10, 20, 30, 40, 50)), rng.choice(PERIODS), on))
    return rows


PERIODS = ("monthly", "half_yearly", "yearly")


Result = tuple[float, int, int, Decimal]  # seconds, priced, refused, sum of year totals


def _service(rows: list[tuple[str, dt.date, int, str, dt.date]]) -> Result:
    from trygg.insurance.tariffs import quote_for
    from trygg.kernel.errors import ValidationFailed

    done = refused = 0
    total = Decimal(0)
    begin = time.perf_counter()
    for insured, _born, level, period, on in rows:
        try:
            total += quote_for(insured=insured, level=level, period=period, on=on).quote.year_total
            done += 1
        except ValidationFailed:
            refused += 1
    return time.perf_counter() - begin, done, refused, total


def _pure(rows: list[tuple[str, dt.date, int, str, dt.date]]) -> Result:
    from trygg.insurance import rules
    from trygg.insurance.tariffs import pbb_for, tariff_on

    prepared: dict[int, tuple[rules.Tariff, Any]] = {
        year: (tariff_on(dt.date(year, 1, 1))[1], pbb_for(year)) for year in (2026,)
    }
    done = refused = 0
    total = Decimal(0)
    begin = time.perf_counter()
    for _insured, born, level, period, on in rows:
        tariff, pbb = prepared[on.year]
        try:
            total += rules.quote(
                tariff,
                pbb_year=on.year,
                pbb=pbb,
                birth_date=born,
                level=level,
                period=period,
                on=on,
            ).year_total
            done += 1
        except rules.RuleError:
            refused += 1
    return time.perf_counter() - begin, done, refused, total


def _machine() -> str:
    from django.db import connection

    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    database = connection.vendor
    if database == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
    return (
        f"machine: {platform.node()}, {os.cpu_count()} cores ({cpu}), Python "
        f"{platform.python_version()}, {database}, one process"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quotes", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--database-url", default="postgresql://postgres@127.0.0.1:5432/trygg_bench_quotes"
    )
    opts = parser.parse_args()
    if opts.database_url.startswith("postgres"):
        import psycopg

        parts = urllib.parse.urlparse(opts.database_url)
        with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as conn:
            name = parts.path.lstrip("/")
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
    _setup(opts.database_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    rows = _inputs(opts.quotes, seed=2026)
    _service(rows[:1000])  # warm-up: the catalogue is read from the database once
    _pure(rows[:1000])
    measured: dict[str, list[Result]] = {"pure": [], "service": []}
    for _ in range(opts.rounds):  # interleaved, so both see the same machine
        measured["pure"].append(_pure(rows))
        measured["service"].append(_service(rows))
    rates = {}
    print(_machine())
    print(
        f"{opts.quotes} quotes per round, {opts.rounds} rounds (median shown); insured as "
        "YYYY-MM-DD, 12-digit and 10-digit personal identity numbers"
    )
    print(f"{'operation':<40}{'quotes/s':>10}{'priced':>9}{'refused':>9}{'us/quote':>10}")
    labels = {
        "pure": "rules.quote, prepared tariff (baseline)",
        "service": "tariffs.quote_for",
    }
    for key, label in labels.items():
        seconds = statistics.median(m[0] for m in measured[key])
        _s, done, refused, _total = measured[key][0]
        rates[key] = opts.quotes / seconds
        print(
            f"{label:<40}{rates[key]:>10.0f}{done:>9}{refused:>9}"
            f"{seconds / opts.quotes * 1e6:>10.1f}"
        )
    print(f"quote_for / baseline: {rates['service'] / rates['pure']:.3f}")
    outcomes = {m[1:] for results in measured.values() for m in results}
    agree = len(outcomes) == 1
    print(
        "priced, refused and the sum of year premiums:",
        f"the same in every round of both ({next(iter(outcomes))[2]} kr)" if agree else "DIFFER",
    )
    print(
        f"target (>= {TARGET} quotes/s through the service layer on one core):",
        "met" if rates["service"] >= TARGET and agree else "NOT met",
    )


if __name__ == "__main__":
    main()
