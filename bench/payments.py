"""Benchmark: concurrent transfers through the service layer on PostgreSQL, then the ledger
checked balanced.

    .venv/bin/python bench/payments.py [--processes 4] [--transfers 2000] [--customers 50]
        [--database-url postgresql://postgres@127.0.0.1:5432/trygg_bench_payments]

Each process books transfers between random pairs of a customer's accounts with
``transfer_own`` (validation, ownership check, account locks, balanced postings, balances, audit
event), the way the portal and the API do. The baseline is a bare ``SELECT 1`` round trip per
transfer in the same processes.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import random
import secrets
import time
import urllib.parse
from decimal import Decimal

from _common import setup_django as _setup


def _prepare(url: str, customers: int) -> list[tuple[int, int, int]]:
    """(party id, account a, account b) per customer, each account well funded."""
    _setup(url)
    from django.core.management import call_command

    from trygg.banking.models import Account
    from trygg.banking.services import account_open, incoming_payment_book
    from trygg.kernel import idnumbers
    from trygg.kernel.audit import SYSTEM
    from trygg.parties.models import Party
    from trygg.parties.services import person_register

    call_command("migrate", verbosity=0)
    rows = []
    for i in range(customers):
        number = idnumbers.generate_swedish_personal(
            __import__("datetime").date(1960 + i % 40, 1 + i % 12, 1 + i % 28), 100 + i
        )
        parsed = idnumbers.parse(number)
        party = Party.objects.filter(id_number=parsed.value, kind="person").first()
        if party is None:
            party = person_register(
                ctx=SYSTEM, id_number=number, given_name=f"Bench{i}", family_name="Betalare"
            )
        accounts = list(Account.objects.filter(party=party).order_by("pk"))
        while len(accounts) < 2:
            account = account_open(ctx=SYSTEM, party=party, name=f"Konto {len(accounts)}")
            incoming_payment_book(account=account, amount=Decimal("1000000"), text="start")
            accounts.append(account)
        rows.append((party.pk, accounts[0].pk, accounts[1].pk))
    return rows


def _worker(args: tuple[str, list[tuple[int, int, int]], int, int, bool]) -> int:
    url, rows, count, seed, baseline = args
    _setup(url)
    from django.db import connection

    from trygg.banking.services import transfer_own
    from trygg.kernel.audit import SYSTEM
    from trygg.parties.models import Party

    parties = {pk: Party.objects.get(pk=pk) for pk, _a, _b in rows}
    rng = random.Random(seed)
    done = 0
    for _ in range(count):
        party_id, a, b = rng.choice(rows)
        if baseline:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        else:
            source, target = (a, b) if rng.random() < 0.5 else (b, a)
            transfer_own(
                ctx=SYSTEM,
                person=parties[party_id],
                from_account_id=source,
                to_account_id=target,
                amount=str(rng.randint(1, 50000) / 100),
                idempotency_key=secrets.token_hex(8),
            )
        done += 1
    return done


def _ledger_check(url: str) -> tuple[int, int]:
    _setup(url)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM (SELECT transaction_id FROM banking_posting "
            "GROUP BY transaction_id HAVING sum(amount) <> 0) t"
        )
        unbalanced = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*) FROM banking_account a WHERE a.balance <> "
            "(SELECT coalesce(sum(amount), 0) FROM banking_posting p "
            "WHERE p.account_id = a.id)"
        )
        wrong_balances = cursor.fetchone()[0]
    return unbalanced, wrong_balances


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--transfers", type=int, default=2000)
    parser.add_argument("--customers", type=int, default=50)
    parser.add_argument(
        "--database-url", default="postgresql://postgres@127.0.0.1:5432/trygg_bench_payments"
    )
    opts = parser.parse_args()
    import psycopg

    parts = urllib.parse.urlparse(opts.database_url)
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as conn:
        name = parts.path.lstrip("/")
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        rows = pool.apply(_prepare, (opts.database_url, opts.customers))
    per = opts.transfers // opts.processes
    results = {}
    for label, baseline in (("SELECT 1 (baseline)", True), ("transfer_own", False)):
        with ctx.Pool(opts.processes) as pool:
            pool.map(
                _worker, [(opts.database_url, rows, 5, i, baseline) for i in range(opts.processes)]
            )  # warm-up: imports, connections
            start = time.perf_counter()
            done = sum(
                pool.map(
                    _worker,
                    [
                        (opts.database_url, rows, per, 100 + i, baseline)
                        for i in range(opts.processes)
                    ],
                )
            )
            results[label] = done / (time.perf_counter() - start)
    with ctx.Pool(1) as pool:
        unbalanced, wrong = pool.apply(_ledger_check, (opts.database_url,))
    print(
        f"machine: {platform.node()} {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, PostgreSQL, {opts.processes} processes, "
        f"{opts.customers} customers, {per * opts.processes} transfers"
    )
    print(f"{'operation':<24}{'per second':>12}")
    for label, rate in results.items():
        print(f"{label:<24}{rate:>12.0f}")
    print(f"transfers / baseline: {results['transfer_own'] / results['SELECT 1 (baseline)']:.3f}")
    print(
        f"ledger: {unbalanced} unbalanced transactions, {wrong} accounts whose balance differs "
        "from their postings"
    )
    print(
        "target (>= 500 transfers/s, ledger balanced):",
        "met" if results["transfer_own"] >= 500 and not unbalanced and not wrong else "NOT met",
    )


if __name__ == "__main__":
    main()
