"""Why the monthly billing run and the payment-specification import take the time
``bench/billing.py`` reports: the same portfolio, the same calls, with every statement over
``--min-ms`` explained by ``auto_explain`` (actual rows, buffers, WAL, trigger times), in variants.

    .venv/bin/python bench/billing_explain.py [--policies 1000000] [--min-ms 100]
        [--database-url postgresql://postgres@127.0.0.1:5432/trygg_bench_billing]

The database is dropped, created and seeded exactly as ``bench/billing.py`` does it. Then, each
on the same data after ``VACUUM ANALYZE`` and a checkpoint:

* the run and the import in a transaction with ``SET CONSTRAINTS ALL IMMEDIATE`` (the foreign-key
  checks Django declares deferred run at the end of each statement, where ``auto_explain`` shows
  them as "Trigger for constraint"), rolled back;
* the same with the secondary indexes of ``billing_charge`` (and of ``billing_mandate`` for the
  import) dropped inside the transaction, keeping the primary keys and the unique index on
  ``reference`` the import looks charges up by, rolled back;
* as shipped (deferred checks, every index), committed: the run, then the import of the payment
  specification that ``bench/billing.py`` writes.

For each: the seconds, the COMMIT, and per statement kind the count, time, rows, WAL and trigger
time of the plans ``auto_explain`` reported; then the tables' updates and how many were HOT.
"""

from __future__ import annotations

import argparse
import atexit
import importlib.util
import re
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("bench_billing", HERE / "billing.py")
assert _spec is not None and _spec.loader is not None
bench = importlib.util.module_from_spec(_spec)
sys.modules["bench_billing"] = bench
_spec.loader.exec_module(bench)

TABLES = ("billing_charge", "billing_mandate")
KEEP = {"billing_charge_pkey", "billing_charge_reference_key", "billing_mandate_pkey"}


class _Rollback(Exception):
    pass


class Plans:
    """Collects the plans auto_explain sends as notices, summed per statement kind."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        self.triggers: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
        self.first: dict[str, str] = {}

    def notice(self, diag: Any) -> None:
        text = diag.message_primary or ""
        if "plan:" not in text:
            return
        duration = float(re.search(r"duration: ([\d.]+) ms", text).group(1))  # type: ignore[union-attr]
        query = re.search(r"Query Text: (.*)", text)
        key = bench._normalise(query.group(1) if query else "?")[:110]
        row = self.rows[key]
        row["count"] += 1
        row["ms"] += duration
        dirtied = re.search(r"Buffers: shared [^\n]*dirtied=(\d+)", text)
        row["dirtied MB"] += float(dirtied.group(1)) * 8192 / 2**20 if dirtied else 0
        wal = re.search(r"WAL: records=(\d+)(?: fpi=(\d+))? bytes=(\d+)", text)
        if wal:
            row["wal records"] += float(wal.group(1))
            row["wal fpi"] += float(wal.group(2) or 0)
            row["wal MB"] += float(wal.group(3)) / 2**20
        for name, ms, calls in re.findall(
            r"Trigger for constraint (\S+): time=([\d.]+) calls=(\d+)", text
        ):
            self.triggers[name][0] += float(ms)
            self.triggers[name][1] += float(calls)
            row["trigger ms"] += float(ms)
        self.first.setdefault(key, text)

    def print(self, title: str, seconds: float, commit: float, show_plans: bool) -> None:
        print(f"\n== {title}: {seconds:.2f} s, COMMIT {commit:.2f} s")
        for key, row in sorted(self.rows.items(), key=lambda kv: -kv[1]["ms"]):
            print(
                f"  {int(row['count']):>5} x {row['ms'] / 1000:>7.2f} s"
                f"  dirtied {row['dirtied MB']:>7.1f} MB"
                f"  WAL {row['wal MB']:>7.1f} MB ({int(row['wal fpi'])} fpi)"
                f"  FK triggers {row['trigger ms'] / 1000:>6.2f} s  {key}"
            )
        for name, (ms, calls) in sorted(self.triggers.items(), key=lambda kv: -kv[1][0]):
            print(f"  trigger {name}: {ms / 1000:.2f} s, {int(calls)} calls")
        if show_plans:
            for key, text in sorted(self.first.items(), key=lambda kv: -self.rows[kv[0]]["ms"])[:3]:
                print(f"  -- plan of the first '{key[:60]}':")
                for line in text.splitlines()[2:]:
                    print(f"     {line if len(line) <= 160 else line[:157] + '...'}")


def _stats() -> dict[str, tuple[int, int]]:
    from django.db import connection

    connection.connection.execute("SELECT pg_stat_force_next_flush()")
    time.sleep(1.2)
    return {
        t: tuple(
            bench._sql(
                "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE relname = %s",
                [t],
            )[0]
        )
        for t in TABLES
    }


def _clean() -> None:
    for table in ("billing_charge", "billing_mandate", "billing_bankgirotfile"):
        bench._sql(f"VACUUM ANALYZE {table}")
    bench._sql("CHECKPOINT")


@contextmanager
def _explained(min_ms: int) -> Iterator[Plans]:
    from django.db import connection

    connection.ensure_connection()
    raw = connection.connection
    plans = Plans()
    raw.execute("LOAD 'auto_explain'")
    for name, value in (
        ("auto_explain.log_min_duration", f"{min_ms}ms"),
        ("auto_explain.log_analyze", "on"),
        ("auto_explain.log_buffers", "on"),
        ("auto_explain.log_wal", "on"),
        ("auto_explain.log_triggers", "on"),
        ("auto_explain.log_level", "notice"),
    ):
        raw.execute("SELECT set_config(%s, %s, false)", [name, value])
    raw.add_notice_handler(plans.notice)
    try:
        yield plans
    finally:
        raw.remove_notice_handler(plans.notice)
        raw.execute("SET auto_explain.log_min_duration = -1")


def _variant(
    title: str,
    call: Callable[[], Any],
    min_ms: int,
    *,
    immediate: bool = False,
    drop: tuple[str, ...] = (),
    commit: bool = False,
    show_plans: bool = False,
) -> None:
    from django.db import connection, transaction

    before = _stats()
    commit_seconds = [0.0]
    wrapped = connection._commit

    def timed_commit() -> None:
        begin = time.perf_counter()
        try:
            wrapped()
        finally:
            commit_seconds[0] += time.perf_counter() - begin

    connection._commit = timed_commit
    try:
        with _explained(min_ms) as plans:
            begin = time.perf_counter()
            try:
                with transaction.atomic():
                    if immediate:
                        bench._sql("SET CONSTRAINTS ALL IMMEDIATE")
                    for table in drop:
                        for (index,) in bench._sql(
                            "SELECT indexname FROM pg_indexes WHERE tablename = %s", [table]
                        ):
                            if index not in KEEP:
                                bench._sql(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {index}")
                                bench._sql(f"DROP INDEX IF EXISTS {index}")
                    begin = time.perf_counter()
                    call()
                    if not commit:
                        raise _Rollback
            except _Rollback:
                pass
            seconds = time.perf_counter() - begin
    finally:
        del connection._commit
    after = _stats()
    plans.print(title, seconds, commit_seconds[0], show_plans)
    for table in TABLES:
        updates = after[table][0] - before[table][0]
        hot = after[table][1] - before[table][1]
        print(f"  {table}: {updates} rows updated, {hot} of them HOT")
    _clean()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--policies", type=int, default=1_000_000)
    parser.add_argument("--parties", type=int, default=2000)
    parser.add_argument("--min-ms", type=int, default=100)
    parser.add_argument(
        "--database-url", default="postgresql://postgres@127.0.0.1:5432/trygg_bench_billing"
    )
    opts = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="trygg_bench_billing_explain_"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    bench._recreate(opts.database_url)
    bench._setup(opts.database_url, folder / "bankgirot")
    from django.core.management import call_command

    from trygg.billing.imports import autogiro_import
    from trygg.billing.runs import billing_run
    from trygg.kernel.audit import SYSTEM

    call_command("migrate", verbosity=0)
    on, _due = bench._run_date()
    parties = bench._seed_parties(opts.parties)
    bench._seed_portfolio(opts.policies, parties, False)
    print(bench._machine())
    print(f"{opts.policies} policies; statements over {opts.min_ms} ms explained", flush=True)

    def run() -> None:
        billing_run(ctx=SYSTEM, on=on)

    _variant("billing_run, FK checks immediate, rolled back", run, opts.min_ms, immediate=True)
    _variant(
        "billing_run, secondary indexes of billing_charge dropped, rolled back",
        run,
        opts.min_ms,
        drop=("billing_charge",),
    )
    _variant("billing_run as shipped, committed", run, opts.min_ms, commit=True, show_plans=True)
    spec = bench._write_specification(folder, 10_000.0)
    bench._sql("CHECKPOINT")

    def imported() -> None:
        autogiro_import(ctx=SYSTEM, path=spec["path"])

    _variant(
        "autogiro_import, FK checks immediate, rolled back", imported, opts.min_ms, immediate=True
    )
    _variant(
        "autogiro_import, secondary indexes of billing_charge and billing_mandate dropped, "
        "rolled back",
        imported,
        opts.min_ms,
        drop=("billing_charge", "billing_mandate"),
    )
    _variant(
        "autogiro_import as shipped, committed",
        imported,
        opts.min_ms,
        commit=True,
        show_plans=True,
    )


if __name__ == "__main__":
    main()
