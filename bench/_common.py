"""What the benchmarks share: Django set up against a given database, a fresh PostgreSQL
database, plain SQL, persons seeded set-based, and the machine's description."""

from __future__ import annotations

import datetime as dt
import os
import platform
import secrets
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def setup_django(url: str, **environment: str) -> None:
    """Django with trygg's settings on the database ``url`` (plus ``environment``)."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "trygg.settings",
            "TRYGG_DATABASE_URL": url,
            "TRYGG_VAR_DIR": str(ROOT / "var" / "bench"),
            "TRYGG_BANKID_URL": "",
            **environment,
        }
    )
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def recreate_database(url: str) -> None:
    """Drop the PostgreSQL database of ``url`` if it exists and create it empty."""
    import psycopg

    parts = urllib.parse.urlparse(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database of ``url`` unless it exists."""
    import psycopg

    parts = urllib.parse.urlparse(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def vacuum(url: str) -> None:
    """``VACUUM ANALYZE`` the database of ``url``, as autovacuum would have done on a server that
    runs it (this machine's PostgreSQL runs with ``autovacuum = off``, so the dead rows of
    earlier runs, sealed audit events above all, would otherwise slow every later one)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def portal_environment(url: str, var: Path, source: Path = ROOT / "src") -> dict[str, str]:
    """The environment of trygg (the code under ``source``) in production mode on the database
    ``url``, with throw-away secrets and its files under ``var``, behind a TLS proxy on
    loopback."""
    return {
        **os.environ,
        "TRYGG_ENV": "production",
        "TRYGG_DATABASE_URL": url,
        "TRYGG_SECRET_KEY": secrets.token_urlsafe(50),
        "TRYGG_PIN_PEPPER": "bench-" * 8,
        "TRYGG_AUDIT_KEY": "bench-audit-" * 4,
        "TRYGG_TOKEN_KEY": "bench-token-" * 4,
        "TRYGG_BANKID_URL": "",
        # The load comes from one address, thousands of requests a second: the limit per client
        # stays in force (its counting is part of every request) but is never reached.
        "TRYGG_RATE_LIMIT_CLIENT": "1000000000/60",
        "TRYGG_ALLOWED_HOSTS": "127.0.0.1",
        "TRYGG_SSL_REDIRECT": "0",
        "TRYGG_VAR_DIR": str(var),
        "DJANGO_SETTINGS_MODULE": "trygg.settings",
        "PYTHONPATH": str(source),
    }


# The floor of a logged-in page (``layout_floor.py``): its paths, served with its settings.
FLOOR_PATHS = {"layout": "/bench/layout/", "layout_audited": "/bench/layout-audited/"}


def floor_environment(env: dict[str, str]) -> dict[str, str]:
    """``env`` with the settings that add the floor pages to trygg's URLs (the module lives in
    ``bench/``, which is put on the path for a server started elsewhere)."""
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "layout_floor_settings",
        "PYTHONPATH": f"{env['PYTHONPATH']}{os.pathsep}{ROOT / 'bench'}",
    }


def run_python(args: list[str], env: dict[str, str]) -> str:
    """``python args`` in the repository with ``env``; its standard output (its error output
    shown if it fails)."""
    result = subprocess.run(
        [sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if result.returncode:
        raise SystemExit(f"{' '.join(args[:2])} failed:\n{result.stderr[-3000:]}")
    return result.stdout


# How many of the seeded customers are given what an overview shows (``seed_content.py``): at
# least as many as the benches log in, the same ones whichever bench seeds the database first.
CONTENT_CUSTOMERS = 20


def prepare_portal(env: dict[str, str], customers: int, sessions: int) -> list[str]:
    """Migrate, collect static files and seed ``customers`` (PIN 4826) on the database of
    ``env``, give the customers to be logged in accounts, insurance, premiums, claims and
    letters (``seed_content.py``), vacuum, and return the personal identity numbers of
    ``sessions`` of them."""
    print("migrating, collecting static files, seeding ...", flush=True)
    run_python(["-m", "trygg.cli", "migrate", "--verbosity", "0"], env)
    run_python(["-m", "trygg.cli", "collectstatic", "--noinput", "--verbosity", "0"], env)
    started = time.perf_counter()
    seeded = run_python(["bench/seed_customers.py", str(customers)], env).strip().splitlines()
    print(seeded[-1], f"({time.perf_counter() - started:.1f} s)", flush=True)
    count = max(sessions, CONTENT_CUSTOMERS)
    numbers = run_python(["bench/seed_customers.py", "numbers", str(count)], env).split()
    started = time.perf_counter()
    given = run_python(["bench/seed_content.py", *numbers], env).strip().splitlines()
    print(given[-1], f"({time.perf_counter() - started:.1f} s)", flush=True)
    vacuum(env["TRYGG_DATABASE_URL"])
    return numbers[:sessions]


def sql(statement: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


def one(statement: str, params: list[Any] | None = None) -> Any:
    return sql(statement, params)[0][0]


def luhn_sql(serial: str, digits: int) -> str:
    """The Luhn check digit of the ``digits``-digit integer expression ``serial``, in SQL."""
    terms = []
    for k in range(1, digits + 1):  # k-th digit from the right; odd positions are doubled
        digit = f"mod({serial} / {10 ** (k - 1)}, 10)"
        terms.append(f"((2 * {digit}) / 10 + mod(2 * {digit}, 10))" if k % 2 else digit)
    return f"mod(10 - mod({' + '.join(terms)}, 10), 10)"


def seed_persons(count: int, family_name: str) -> tuple[int, int]:
    """``count`` persons with valid personal identity numbers, named Bench ``family_name`` and
    their number; (first id, last id)."""
    from trygg.kernel import idnumbers
    from trygg.parties.rules import customer_number_from_serial

    numbers, kinds, births, customers = [], [], [], []
    for i in range(count):
        born = dt.date(1950 + i % 50, 1 + i % 12, 1 + (i * 7) % 28)
        parsed = idnumbers.parse(idnumbers.generate_swedish_personal(born, i % 1000))
        numbers.append(parsed.value)
        kinds.append(parsed.kind.value)
        births.append(parsed.birth_date)
        customers.append(customer_number_from_serial(900001 + i))
    sql(
        "INSERT INTO parties_party (kind, customer_number, country, id_number, id_kind, "
        "given_name, family_name, legal_name, birth_date, preferred_language, created_at, "
        "updated_at, registered_owner) "
        "SELECT 'person', c, 'SE', n, k, 'Bench', %s || ord, '', b, 'sv', now(), now(), '' "
        "FROM unnest(%s::text[], %s::text[], %s::text[], %s::date[]) WITH ORDINALITY "
        "AS u(c, n, k, b, ord) ON CONFLICT DO NOTHING",
        [family_name, customers, numbers, kinds, births],
    )
    first, last = sql("SELECT min(id), max(id) FROM parties_party")[0]
    return first, last


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def machine_postgresql() -> str:
    """The machine, Python and the PostgreSQL server with the settings that matter for batches."""
    server = one("SHOW server_version")
    settings = ", ".join(
        f"{name}={one(f'SHOW {name}')}"
        for name in ("shared_buffers", "max_wal_size", "synchronous_commit")
    )
    return (
        f"machine: {platform.node()}, {os.cpu_count()} cores ({cpu_model()}), Python "
        f"{platform.python_version()}, PostgreSQL {server} ({settings})"
    )
