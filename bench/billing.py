"""Benchmark: the monthly autogiro billing of a large portfolio on PostgreSQL, and the import of
Bankgirot's payment specification that answers it.

    .venv/bin/python bench/billing.py [--policies 1000000] [--parties 2000] [--budget 300]
        [--full-year] [--keep-files]
        [--database-url postgresql://postgres@127.0.0.1:5432/trygg_bench_billing]

The bench database is dropped and created again, migrated (the accident product, its 2016 tariff,
the price base amounts and the billing terms come from the migrations) and seeded with set-based
SQL: persons with valid personal identity numbers, N accident policies in force paid monthly by
autogiro, each with its current term (2026-12-01 to 2027-12-01), one active autogiro mandate per
policy with its ``billing_mandatepolicy`` row, and the term's charges as ``charges_plan`` writes
them (reference = policy number + period start YYMMDD, due on the first bank day of the period,
premium = amount, method autogiro): by default only the charge of January 2027 (due 2027-01-04),
with ``--full-year`` all twelve (December 2026 already paid, February to November planned), so
the charge table has its real size. Every term has charges, so the run plans nothing again, and
no policy renews within the run's renewal horizon. Then ``VACUUM ANALYZE`` and a checkpoint.

Measured, each in the same process:

1. Baselines: a bare ``COPY`` of N charge-wide rows (25 columns and an identity key) into a
   scratch table with its commit (the rows are built in memory first), and N 80-character records
   formatted with plain Python f-strings and written to a file.
2. The monthly run: ``billing_run(ctx=SYSTEM, on=D)`` on the first bank day D whose order window
   (``rules.order_window_end``) reaches the January due date, with the outbox in a temporary
   directory. Every SQL statement and every commit is timed (a Django execute wrapper and a wrapper
   around the connection's commit), and the run's steps (the functions ``billing_run`` calls) too.
   Checked: N charges ordered, the outbox file holds the opening and N TK82 records, a second
   run of the same date is a no-op.
3. The import: a payment specification answering every order (status 0 for 97 %, 1 for 2 %, 9 for
   1 % of the charges, by charge id) is written with the library's streaming writer from a
   generator (timed, not counted), then ``autogiro_import(ctx=SYSTEM, path=...)`` is timed with
   every statement. Checked: paid/failed/retrying counts, one balanced ledger transaction of the
   approved sum naming every paid charge and named by the file, the refused charges naming the
   file, and the same file again is a no-op. Shown: the charge updates PostgreSQL made in place
   (HOT) in run and import together.
4. The reader alone: ``for _ in iter_records(stream)`` over that file (strict, validating).

Each timed phase is stopped after ``--budget`` seconds: no statement starts after the budget, a
statement running is cancelled by ``statement_timeout`` at the budget, the run's file writing
stops at the next 1,000 records. A stopped run or import is rolled back.
"""

from __future__ import annotations

import argparse
import atexit
import datetime as dt
import gc
import os
import re
import shutil
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from _common import luhn_sql as _luhn_sql
from _common import machine_postgresql as _machine
from _common import one as _one
from _common import recreate_database as _recreate
from _common import seed_persons, setup_django
from _common import sql as _sql


def _setup(url: str, outbox_root: Path) -> None:
    setup_django(url, TRYGG_BANKGIROT_DIR=str(outbox_root))


def _seed_parties(count: int) -> tuple[int, int]:
    return seed_persons(count, "Betalare")


TERM_START = dt.date(2026, 12, 1)
TERM_END = dt.date(2027, 12, 1)
CHARGED_PERIOD = dt.date(2027, 1, 1)  # the period whose debit the run orders
TARGET_RUN_SECONDS = 20.0
TARGET_IMPORT_SECONDS = 30.0
TARGET_READER_RATE = 300_000.0
SHARES = ((97, "0"), (99, "1"), (100, "9"))  # charge id mod 100 below the bound -> status


# -- the portfolio ------------------------------------------------------------------------------


def _schedule_rows(full_year: bool) -> list[tuple[int, dt.date, dt.date, Decimal]]:
    """(level, period start, due date, amount) of every charge a monthly term of each level
    gets from ``charges_plan``: the term's schedule, due on the first bank day of the period."""
    from trygg.billing import rules as billing_rules
    from trygg.insurance import rules as insurance_rules

    cal = billing_rules.se_calendar()
    prices = _sql(
        "SELECT tp.level, tp.annual_price, t.surcharge_monthly FROM insurance_tariffprice tp "
        "JOIN insurance_tariff t ON t.id = tp.tariff_id WHERE t.version = '2016-1'"
    )
    rows = []
    for level, annual, surcharge in prices:
        total = (annual * (100 + surcharge) / 100).quantize(Decimal("0.01"))
        for part in insurance_rules.schedule(
            starts_on=TERM_START,
            ends_on=TERM_END,
            period=insurance_rules.Period.MONTHLY,
            year_total=total,
        ):
            if full_year or part.period_start == CHARGED_PERIOD:
                start = part.period_start
                rows.append((level, start, billing_rules.due_date(start, cal), part.amount))
    return rows


def _seed_portfolio(policies: int, parties: tuple[int, int], full_year: bool) -> dict[str, Any]:
    """Policies, terms, mandates, their policy links and the planned charges; set-based."""
    first, last = parties
    width = last - first + 1
    serial = "(4000000 + i)"
    timings: dict[str, float] = {}

    def step(label: str, statement: str, params: list[Any] | None = None) -> None:
        begin = time.perf_counter()
        _sql(statement, params)
        timings[label] = time.perf_counter() - begin

    step(
        "policies",
        "INSERT INTO insurance_policy (number, product_id, policyholder_id, insured_id, level, "
        "start_date, renewal_date, payment_method, period, exclusion, state, ended_on, "
        "created_at) "
        f"SELECT {serial}::text || {_luhn_sql(serial, 8)}::text, "
        "(SELECT id FROM insurance_product WHERE code = 'accident'), "
        "%s + (i * 7919) %% %s, %s + (i * 7919) %% %s, 10 * (1 + i %% 5), %s, %s, "
        "'autogiro', 'monthly', '', 'active', NULL, now() "
        "FROM generate_series(1, %s::bigint) i",
        [first, width, first, width, TERM_START, TERM_END, policies],
    )
    step(
        "terms",
        "INSERT INTO insurance_policyterm (policy_id, starts_on, ends_on, tariff_id, pbb_year, "
        "pbb, base_amount, annual_price, year_total, period) "
        "SELECT p.id, p.start_date, p.renewal_date, t.id, 2026, pbb.amount, "
        "p.level * pbb.amount, tp.annual_price, "
        "round(tp.annual_price * (100 + t.surcharge_monthly) / 100, 2), p.period "
        "FROM insurance_policy p "
        "JOIN insurance_tariff t ON t.version = '2016-1' "
        "JOIN insurance_tariffprice tp ON tp.tariff_id = t.id AND tp.level = p.level "
        "JOIN insurance_pricebaseamount pbb ON pbb.year = 2026",
    )
    # One mandate per policy; the payer number is the policy number (digits, unique).
    step(
        "mandates",
        "INSERT INTO billing_mandate (payer_number, payer_id, id_number, clearing, account, "
        "bank, account_certain, state, channel, signing_id, requested_on, sent_on, active_from, "
        "ended_on, end_reason, deletion_due, deletion_sent_on, bgc_comment_code, bgc_comment, "
        "failures_in_row, created_at) "
        "SELECT p.number, p.policyholder_id, pa.id_number, '3300', "
        "lpad(mod(p.id, 10000000000)::text, 10, '0'), 'Nordea', true, 'active', 'paper', '', "
        "DATE '2026-10-20', DATE '2026-10-21', DATE '2026-10-26', NULL, '', NULL, NULL, '', '', "
        "0, now() "
        "FROM insurance_policy p JOIN parties_party pa ON pa.id = p.policyholder_id",
    )
    step(
        "mandate policies",
        "INSERT INTO billing_mandatepolicy (mandate_id, policy_id, period, attached_on, "
        "detached_on) "
        "SELECT m.id, p.id, p.period, DATE '2026-10-26', NULL "
        "FROM insurance_policy p JOIN billing_mandate m ON m.payer_number = p.number",
    )
    schedule = _schedule_rows(full_year)
    levels, starts, dues, amounts = (list(column) for column in zip(*schedule, strict=True))
    step(
        "charges",
        "INSERT INTO billing_charge (policy_id, term_id, payer_id, mandate_id, method, "
        "period_start, due_date, premium, fee, carried, amount, state, reference, ocr, "
        "notice_id, run_id, order_date, attempts, status_code, status_text, cancel_sent_on, "
        "settled_on, settled_by_id, ledger_id, created_at) "
        "SELECT p.id, t.id, p.policyholder_id, mp.mandate_id, 'autogiro', s.start, s.due, "
        "s.amount, 0, 0, s.amount, "
        "CASE WHEN s.start < %s THEN 'paid' ELSE 'planned' END, "
        "p.number || to_char(s.start, 'YYMMDD'), '', NULL, NULL, "
        "CASE WHEN s.start < %s THEN s.due END, CASE WHEN s.start < %s THEN 1 ELSE 0 END, "
        "CASE WHEN s.start < %s THEN '0' ELSE '' END, '', NULL, "
        "CASE WHEN s.start < %s THEN s.due END, NULL, NULL, now() - INTERVAL '40 days' "
        "FROM insurance_policy p "
        "JOIN insurance_policyterm t ON t.policy_id = p.id "
        "JOIN billing_mandatepolicy mp ON mp.policy_id = p.id AND mp.detached_on IS NULL "
        "JOIN unnest(%s::int[], %s::date[], %s::date[], %s::numeric[]) "
        "AS s(level, start, due, amount) ON s.level = p.level "
        "ORDER BY p.id, s.start",
        [CHARGED_PERIOD] * 5 + [levels, starts, dues, amounts],
    )
    begin = time.perf_counter()
    for table in (
        "parties_party",
        "insurance_policy",
        "insurance_policyterm",
        "billing_mandate",
        "billing_mandatepolicy",
        "billing_charge",
    ):
        _sql(f"VACUUM ANALYZE {table}")
    _sql("CHECKPOINT")
    timings["vacuum, checkpoint"] = time.perf_counter() - begin
    return {
        "timings": timings,
        "charges": _one("SELECT count(*) FROM billing_charge"),
        "due": _one(
            "SELECT count(*) FROM billing_charge WHERE state = 'planned' AND period_start = %s",
            [CHARGED_PERIOD],
        ),
        "sizes": {
            table: _one("SELECT pg_total_relation_size(%s)", [table])
            for table in ("billing_charge", "billing_mandate", "insurance_policy")
        },
        "charge_indexes": _one(
            "SELECT count(*) FROM pg_indexes WHERE tablename = 'billing_charge'"
        ),
    }


def _run_date() -> tuple[dt.date, dt.date]:
    """The first bank day whose order window reaches the seeded due date and whose earliest
    payment date is not after it; (run date, due date)."""
    from trygg.billing import rules

    cal = rules.se_calendar()
    due = rules.due_date(CHARGED_PERIOD, cal)
    day = due - dt.timedelta(days=30)
    while True:
        if (
            cal.is_bank_day(day)
            and rules.order_window_end(day, cal) >= due
            and rules.earliest_payment_date(dt.datetime.combine(day, dt.time(12)), cal) <= due
        ):
            return day, due
        day += dt.timedelta(days=1)


# -- baselines ----------------------------------------------------------------------------------

_SCRATCH_COLUMNS = (
    "policy_id, term_id, payer_id, mandate_id, method, period_start, due_date, premium, fee, "
    "carried, amount, state, reference, ocr, notice_id, run_id, order_date, attempts, "
    "status_code, status_text, cancel_sent_on, settled_on, settled_by_id, ledger_id, created_at"
)


def _baseline_copy(rows: int) -> float:
    """A bare COPY of ``rows`` charge-wide rows into a scratch table, with its commit."""
    from django.db import connection, transaction

    _sql("DROP TABLE IF EXISTS bench_scratch")
    _sql(
        "CREATE TABLE bench_scratch (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
        "policy_id bigint NOT NULL, term_id bigint, payer_id bigint NOT NULL, mandate_id bigint, "
        "method varchar(8) NOT NULL, period_start date NOT NULL, due_date date NOT NULL, "
        "premium numeric(10,2) NOT NULL, fee numeric(8,2) NOT NULL, "
        "carried numeric(10,2) NOT NULL, amount numeric(10,2) NOT NULL, "
        "state varchar(10) NOT NULL, reference varchar(16) NOT NULL, ocr varchar(25) NOT NULL, "
        "notice_id bigint, run_id bigint, order_date date, attempts smallint NOT NULL, "
        "status_code varchar(2) NOT NULL, status_text varchar(200) NOT NULL, "
        "cancel_sent_on date, settled_on date, settled_by_id bigint, ledger_id bigint, "
        "created_at timestamptz NOT NULL)"
    )
    blocks: list[bytes] = []
    lines: list[str] = []
    for i in range(1, rows + 1):
        amount = f"{(119 + 80 * (i % 5))}.{i % 100:02d}"
        lines.append(
            f"{i}\t{i}\t{1 + i % 2000}\t{i}\tautogiro\t2027-01-01\t2027-01-04\t{amount}\t0\t0\t"
            f"{amount}\tordered\t{4000000 + i}3270101\t\t\\N\t1\t2027-01-04\t1\t\t\t\\N\t\\N\t"
            "\\N\t\\N\t2026-11-22 08:00:00+00\n"
        )
        if len(lines) == 20000:
            blocks.append("".join(lines).encode())
            lines.clear()
    if lines:
        blocks.append("".join(lines).encode())
    _sql("CHECKPOINT")
    begin = time.perf_counter()
    with transaction.atomic():
        connection.ensure_connection()
        statement = f"COPY bench_scratch ({_SCRATCH_COLUMNS}) FROM STDIN"
        with connection.connection.cursor() as cursor, cursor.copy(statement) as copy:
            for block in blocks:
                copy.write(block)
    elapsed = time.perf_counter() - begin
    _sql("DROP TABLE bench_scratch")
    return elapsed


def _baseline_format(rows: int, folder: Path) -> float:
    """N 80-character TK82 records formatted with plain f-strings and written to a file."""
    path = folder / "plain.txt"
    begin = time.perf_counter()
    with path.open("wb") as stream:
        lines: list[str] = []
        for i in range(rows):
            payer = 40000000 + i
            ore = 11900 + 8000 * (i % 5) + i % 100
            reference = f"{payer}270101"
            lines.append(
                f"82202701040    {payer:016d}{ore:012d}0009912346{reference:<16}{'':11}\r\n"
            )
            if len(lines) == 10000:
                stream.write("".join(lines).encode("latin-1"))
                lines.clear()
        stream.write("".join(lines).encode("latin-1"))
    elapsed = time.perf_counter() - begin
    size = path.stat().st_size
    path.unlink()
    assert size == rows * 82, size
    return elapsed


# -- timing -------------------------------------------------------------------------------------


class BudgetSpent(Exception):
    """The phase's time budget is spent."""


_NOISE = (
    (re.compile(r"%s(, %s)+"), "%s, ..."),
    (re.compile(r"\(%s, \.\.\.\)(, \(%s, \.\.\.\))+"), "(%s, ...), ..."),
    (re.compile(r'"?_django_curs_\w+"?'), "<cursor>"),
    (re.compile(r'"?s\d+_x\d+"?'), "<savepoint>"),
)


def _normalise(sql: str) -> str:
    text = " ".join(sql.split()).replace('"', "")
    for pattern, replacement in _NOISE:
        text = pattern.sub(replacement, text)
    return text


class Timer:
    """Times every statement (by normalised text) and commit on the default connection, and the
    wrapped functions; enforces the phase's budget."""

    def __init__(self, budget: float | None) -> None:
        self.budget = budget
        self.started = 0.0
        self.statements: dict[str, list[float]] = defaultdict(list)
        self.steps: dict[str, float] = defaultdict(float)
        self.step_calls: dict[str, int] = defaultdict(int)
        self._timeout_ms: int | None = None
        self.load = os.getloadavg()[0]
        self.stop_reason = ""

    def check(self, before: str = "") -> None:
        if self.budget is not None and time.perf_counter() - self.started > self.budget:
            self.stop_reason = f"budget spent before {before or 'the next records'}"
            raise BudgetSpent

    def _limit_statement(self, connection: Any) -> None:
        """Keep ``statement_timeout`` at most the budget left, so no statement outlives it."""
        if self.budget is None:
            return
        left = self.budget - (time.perf_counter() - self.started)
        wanted = max(int(left * 1000), 1)
        if self._timeout_ms is None or self._timeout_ms - wanted > 1000:
            connection.connection.execute(
                "SELECT set_config('statement_timeout', %s, false)", [str(wanted)]
            )
            self._timeout_ms = wanted

    def step(self, label: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            begin = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.steps[label] += time.perf_counter() - begin
                self.step_calls[label] += 1

        return timed

    @contextmanager
    def running(self) -> Iterator[Timer]:
        from django.db import connection

        connection.ensure_connection()
        self.started = time.perf_counter()
        self._timeout_ms = None

        def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, ctx: Any):
            key = _normalise(sql)
            self.check(key[:100])
            self._limit_statement(connection)
            begin = time.perf_counter()
            try:
                return execute(sql, params, many, ctx)
            except Exception as error:
                self.stop_reason = f"{type(error).__name__} in {key[:100]}: {error}"
                raise
            finally:
                self.statements[key].append(time.perf_counter() - begin)

        wrapped = connection._commit

        def commit() -> None:
            begin = time.perf_counter()
            try:
                wrapped()
            except Exception as error:
                self.stop_reason = f"{type(error).__name__} in COMMIT: {error}"
                raise
            finally:
                self.statements["COMMIT"].append(time.perf_counter() - begin)

        connection._commit = commit
        try:
            with connection.execute_wrapper(wrapper):
                yield self
        finally:
            del connection._commit
            if (
                self.budget is not None
                and connection.connection is not None
                and not connection.in_atomic_block
            ):
                connection.connection.execute("SET statement_timeout = 0")

    def sql_seconds(self) -> float:
        return sum(sum(times) for times in self.statements.values())


@contextmanager
def _patched(module: Any, names: dict[str, Callable[[Any], Any]]) -> Iterator[None]:
    saved = {name: getattr(module, name) for name in names}
    try:
        for name, make in names.items():
            setattr(module, name, make(saved[name]))
        yield
    finally:
        for name, value in saved.items():
            setattr(module, name, value)


def _stopped_by_budget(error: BaseException) -> bool:
    from django.db import OperationalError

    if isinstance(error, BudgetSpent):
        return True
    cause = error.__cause__ or error
    return isinstance(error, OperationalError) and "statement timeout" in str(cause)


# -- the monthly run ----------------------------------------------------------------------------


def _monthly_run(on: dt.date, budget: float) -> dict[str, Any]:
    from trygg.billing import runs
    from trygg.kernel.audit import SYSTEM

    timer = Timer(budget)
    labels = [
        "renewal_run",
        "charges_cancel_stale",
        "charges_plan",
        "nonpayment_handle",
        "charges_to_invoice",
        "invoices_send",
        "_order",
        "audit_record",
        "_write_file",
        "write_records",
        "write_debit_orders",
    ]

    def budgeted_records(records: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
        def generate(*args: Any, **kwargs: Any) -> Iterator[Any]:
            for count, record in enumerate(records(*args, **kwargs)):
                if count % 1000 == 0:
                    timer.check()
                yield record

        return generate

    patches: dict[str, Callable[[Any], Any]] = {
        name: (lambda function, name=name: timer.step(name, function)) for name in labels
    }
    patches["_records"] = budgeted_records
    patches["_debit_rows"] = budgeted_records
    gc.collect()
    error: BaseException | None = None
    result = None
    with _patched(runs, patches), timer.running():
        begin = time.perf_counter()
        try:
            result = runs.billing_run(ctx=SYSTEM, on=on)
        except Exception as exc:
            error = exc
        elapsed = time.perf_counter() - begin
    if error is not None and not _stopped_by_budget(error):
        raise error
    return {
        "seconds": elapsed,
        "stopped": error is not None,
        "result": result,
        "timer": timer,
    }


def _check_run(on: dt.date, policies: int, result: Any) -> dict[str, Any]:
    from trygg.billing.runs import billing_run
    from trygg.kernel.audit import SYSTEM

    checks: dict[str, Any] = {
        "ordered": _one("SELECT count(*) FROM billing_charge WHERE state = 'ordered'"),
        "ordered for the due date": _one(
            "SELECT count(*) FROM billing_charge WHERE state = 'ordered' AND order_date = "
            "due_date AND run_id IS NOT NULL AND attempts = 1 AND period_start = %s",
            [CHARGED_PERIOD],
        ),
        "summary": result.run.summary,
    }
    path = result.file
    lines = tk82 = openings = 0
    bad_length = 0
    if path is not None and path.exists():
        with path.open("rb") as stream:
            for raw in stream:
                lines += 1
                if len(raw) != 82:
                    bad_length += 1
                head = raw[:2]
                if head == b"82":
                    tk82 += 1
                elif head == b"01":
                    openings += 1
    checks.update({"file lines": lines, "TK01": openings, "TK82": tk82, "not 80+CRLF": bad_length})
    before = _one("SELECT count(*) FROM billing_charge WHERE state = 'ordered'")
    mtime = path.stat().st_mtime_ns if path is not None and path.exists() else None
    begin = time.perf_counter()
    again = billing_run(ctx=SYSTEM, on=on)
    checks["again seconds"] = round(time.perf_counter() - begin, 3)
    checks["again"] = again.again
    checks["again changed nothing"] = (
        _one("SELECT count(*) FROM billing_charge WHERE state = 'ordered'") == before
        and _one("SELECT count(*) FROM billing_billingrun") == 1
        and (path.stat().st_mtime_ns if path is not None and path.exists() else None) == mtime
    )
    checks["ok"] = (
        checks["ordered"] == policies
        and checks["ordered for the due date"] == policies
        and lines == policies + 1
        and openings == 1
        and tk82 == policies
        and bad_length == 0
        and again.again
        and checks["again changed nothing"]
    )
    return checks


def _run_diagnostics(run_id: int, on: dt.date, folder: Path) -> dict[str, float]:
    """The two halves of the run's file writing, each alone: fetching the order rows as
    ``_debit_rows`` does, and the library encoding and validating the records from memory."""
    from django.conf import settings
    from django.db import transaction

    from autogiro import DebitOrder, Opening, write_debit_orders, write_records
    from trygg.billing.models import Charge, ChargeState

    out: dict[str, float] = {}
    gc.collect()
    begin = time.perf_counter()
    with transaction.atomic():
        rows = list(
            Charge.objects.filter(run_id=run_id, state=ChargeState.ORDERED)
            .order_by("pk")
            .values_list("mandate__payer_number", "order_date", "amount", "reference")
            .iterator(chunk_size=5000)
        )
    out["fetch the order rows (as _debit_rows, iterated)"] = time.perf_counter() - begin
    bankgiro = settings.TRYGG_BANKGIRO
    orders = [
        DebitOrder(bankgiro=bankgiro, payer_number=p, amount=a, payment_date=d, reference=r)
        for p, d, a, r in rows
    ]
    del rows
    opening = Opening(
        file_date=on,
        customer_number=settings.TRYGG_BGC_CUSTOMER,
        bankgiro=bankgiro,
    )

    def records() -> Iterator[Any]:
        yield opening
        yield from orders

    begin = time.perf_counter()
    with (folder / "diagnostic.txt").open("wb") as stream:
        write_records(records(), stream)
    out["library: encode, validate, write the records (from memory)"] = time.perf_counter() - begin
    (folder / "diagnostic.txt").unlink()
    begin = time.perf_counter()
    with (folder / "diagnostic.txt").open("wb") as stream:
        write_debit_orders(
            stream,
            ((o.payer_number, o.amount, o.payment_date, o.reference) for o in orders),
            opening=opening,
            first_line=2,
        )
    out["library: write_debit_orders, as the run writes (from memory)"] = (
        time.perf_counter() - begin
    )
    (folder / "diagnostic.txt").unlink()
    begin = time.perf_counter()
    for p, d, a, r in ((o.payer_number, o.payment_date, o.amount, o.reference) for o in orders):
        DebitOrder(bankgiro=bankgiro, payer_number=p, amount=a, payment_date=d, reference=r)
    out["constructing the DebitOrder objects alone"] = time.perf_counter() - begin
    return out


# -- the payment specification and its import --------------------------------------------------


def _status_sql() -> str:
    cases = " ".join(f"WHEN mod(c.id, 100) < {bound} THEN '{status}'" for bound, status in SHARES)
    return f"CASE {cases} END"


def _write_specification(folder: Path, budget: float) -> dict[str, Any]:
    """The payment specification answering every ordered charge, streamed through the
    library's writer from a generator; the deposit and closing totals from SQL first."""
    from django.conf import settings
    from django.db import transaction

    from autogiro import (
        DebitPayment,
        Deposit,
        PaymentSpecificationClosing,
        ReportOpening,
        codes,
        write_records,
    )
    from trygg.billing.models import Charge, ChargeState

    status = _status_sql()
    expected = {
        s: (count, total)
        for s, count, total in _sql(
            f"SELECT {status}, count(*), sum(c.amount) FROM billing_charge c "
            "WHERE c.state = 'ordered' GROUP BY 1"
        )
    }
    days = _sql("SELECT DISTINCT order_date FROM billing_charge WHERE state = 'ordered'")
    assert len(days) == 1, days
    day = days[0][0]
    approved_count, approved_sum = expected.get("0", (0, Decimal(0)))
    bankgiro = settings.TRYGG_BANKGIRO
    started = time.perf_counter()

    def records() -> Iterator[Any]:
        yield ReportOpening(
            file_date=day,
            content=codes.CONTENT_PAYMENT_SPECIFICATION,
            customer_number=settings.TRYGG_BGC_CUSTOMER,
            bankgiro=bankgiro,
            file_time=dt.time(6, 30),
        )
        yield Deposit(
            payee_account="0" * 35,
            payment_date=day,
            serial_number=1,
            approved_amount=approved_sum,
            approved_count=approved_count,
        )
        rows = (
            Charge.objects.filter(state=ChargeState.ORDERED)
            .order_by("pk")
            .values_list("pk", "mandate__payer_number", "reference", "amount", "order_date")
            .iterator(chunk_size=10000)
        )
        for count, (pk, payer_number, reference, amount, order_date) in enumerate(rows):
            if count % 1000 == 0 and time.perf_counter() - started > budget:
                raise BudgetSpent
            yield DebitPayment(
                bankgiro=bankgiro,
                payer_number=payer_number,
                amount=amount,
                payment_date=order_date,
                period=0,
                repeats=None,
                reference=reference,
                status=next(s for bound, s in SHARES if pk % 100 < bound),
            )
        yield PaymentSpecificationClosing(
            file_date=day,
            deposit_count=1,
            debit_count=approved_count,
            withdrawal_count=0,
            credit_count=0,
            refund_withdrawal_count=0,
            refund_count=0,
        )

    path = folder / f"BET-SPEC-{day:%Y%m%d}.txt"
    gc.collect()
    with transaction.atomic(), path.open("wb") as stream:
        written = write_records(records(), stream)
    return {
        "seconds": time.perf_counter() - started,
        "path": path,
        "records": written,
        "expected": expected,
        "day": day,
    }


def _import(path: Path, budget: float) -> dict[str, Any]:
    from trygg.billing import imports
    from trygg.kernel.audit import SYSTEM

    timer = Timer(budget)
    error: BaseException | None = None
    result = None
    gc.collect()
    load, settle = imports._Payments.load, imports._Payments.settle
    imports._Payments.load = timer.step("_Payments.load (stage payments: COPY)", load)
    imports._Payments.settle = timer.step(
        "_Payments.settle (match, book, update charges, mandates)", settle
    )
    try:
        with (
            _patched(imports, {"_sha256": lambda f: timer.step("_sha256 of the file", f)}),
            timer.running(),
        ):
            begin = time.perf_counter()
            try:
                result = imports.autogiro_import(ctx=SYSTEM, path=path)
            except Exception as exc:
                error = exc
            elapsed = time.perf_counter() - begin
    finally:
        imports._Payments.load, imports._Payments.settle = load, settle
    if error is not None and not _stopped_by_budget(error):
        raise error
    return {"seconds": elapsed, "stopped": error is not None, "result": result, "timer": timer}


def _check_import(spec: dict[str, Any], result: Any) -> dict[str, Any]:
    from trygg.banking.chart import AUTOGIRO_SETTLEMENT
    from trygg.billing.imports import autogiro_import
    from trygg.kernel.audit import SYSTEM

    expected = spec["expected"]
    counts = dict(_sql("SELECT state, count(*) FROM billing_charge GROUP BY state"))
    approved_count, approved_sum = expected.get("0", (0, Decimal(0)))
    entries = _sql(
        "SELECT id FROM banking_ledgertransaction WHERE kind = 'premium_autogiro' ORDER BY id"
    )
    entry = entries[0][0] if len(entries) == 1 else None
    postings = _sql(
        "SELECT a.number, p.amount FROM banking_posting p JOIN banking_account a "
        "ON a.id = p.account_id WHERE p.transaction_id = %s",
        [entry],
    )
    checks: dict[str, Any] = {
        "paid": counts.get("paid", 0),
        "failed": counts.get("failed", 0),
        "retrying": counts.get("retrying", 0),
        "still ordered": counts.get("ordered", 0),
        "expected paid/failed/retrying": (
            expected.get("0", (0,))[0],
            expected.get("1", (0,))[0],
            expected.get("9", (0,))[0],
        ),
        "ledger transactions": len(entries),
        "postings sum": sum((a for _n, a in postings), Decimal(0)),
        "settlement posting": sum(
            (a for n, a in postings if n == AUTOGIRO_SETTLEMENT.number), Decimal(0)
        ),
        "approved sum": approved_sum,
        # Each paid charge names the entry, and the file names it (a paid charge's file).
        "paid charges naming the entry": _one(
            "SELECT count(*) FROM billing_charge c JOIN billing_bankgirotfile f "
            "ON f.ledger_id = c.ledger_id WHERE c.state = 'paid' AND c.ledger_id = %s "
            "AND f.id = %s",
            [entry, result.file.pk],
        ),
        "refused charges naming the file": _one(
            "SELECT count(*) FROM billing_charge WHERE state = 'failed' AND settled_by_id = %s",
            [result.file.pk],
        ),
        "charges updated in place (HOT), run and import": _one(
            "SELECT n_tup_hot_upd FROM pg_stat_user_tables WHERE relname = 'billing_charge'"
        ),
        "mandates with a failure": _one(
            "SELECT count(*) FROM billing_mandate WHERE failures_in_row = 1"
        ),
        "summary": {k: v for k, v in result.file.summary.items() if k != "unmatched"},
    }
    begin = time.perf_counter()
    again = autogiro_import(ctx=SYSTEM, path=spec["path"])
    checks["again seconds"] = round(time.perf_counter() - begin, 3)
    checks["again already"] = again.already
    checks["ok"] = (
        checks["paid"] == approved_count
        and checks["failed"] == expected.get("1", (0,))[0]
        and checks["retrying"] == expected.get("9", (0,))[0]
        and checks["still ordered"] == 0
        and len(entries) == 1
        and len(postings) == 2
        and checks["postings sum"] == 0
        and checks["settlement posting"] == approved_sum
        and checks["paid charges naming the entry"] == approved_count
        and checks["refused charges naming the file"] == expected.get("1", (0,))[0]
        and checks["mandates with a failure"] == expected.get("1", (0,))[0]
        and again.already
        and checks["again seconds"] < 1.0
        and not result.file.summary.get("unmatched_count")
    )
    return checks


def _reader(path: Path, budget: float) -> dict[str, Any]:
    from autogiro import iter_records

    gc.collect()
    count = 0
    stopped = False
    begin = time.perf_counter()
    with path.open("rb") as stream:
        for _ in iter_records(stream):
            count += 1
            if count % 10000 == 0 and time.perf_counter() - begin > budget:
                stopped = True
                break
    return {"seconds": time.perf_counter() - begin, "records": count, "stopped": stopped}


# -- report -------------------------------------------------------------------------------------


def _where(title: str, seconds: float, timer: Timer, top: int) -> None:
    print(f"\n{title}: {seconds:.2f} s (load average before it: {timer.load:.2f})")
    if timer.stop_reason:
        print(f"  STOPPED and rolled back: {timer.stop_reason.strip()}")
    print("  steps (functions called, SQL and Python inside them):")
    for label, spent in sorted(timer.steps.items(), key=lambda kv: -kv[1]):
        calls = timer.step_calls[label]
        print(f"    {label:<60}{calls:>7} x {spent:>8.2f} s")
    sql = timer.sql_seconds()
    count = sum(len(t) for t in timer.statements.values())
    print(
        f"  SQL: {count} statements and commits, {sql:.2f} s; Python and fetching outside "
        f"statements {seconds - sql:.2f} s"
    )
    print(f"  top statements by time (of {len(timer.statements)} distinct):")
    ranked = sorted(timer.statements.items(), key=lambda kv: -sum(kv[1]))
    for sql_text, times in ranked[:top]:
        total = sum(times)
        share = 100 * total / seconds if seconds else 0.0
        shown = sql_text if len(sql_text) <= 230 else sql_text[:227] + "..."
        print(f"    {len(times):>6} x {total:>8.2f} s ({share:4.1f} %, max {max(times):.2f} s)")
        print(f"           {shown}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--policies", type=int, default=1_000_000)
    parser.add_argument("--parties", type=int, default=2000)
    parser.add_argument(
        "--budget",
        type=float,
        default=300.0,
        help="seconds after which each timed phase is stopped (default 300)",
    )
    parser.add_argument(
        "--full-year",
        action="store_true",
        help="seed all twelve charges of every term, not only the one the run orders",
    )
    parser.add_argument("--top", type=int, default=8, help="statements listed per phase")
    parser.add_argument(
        "--keep-files", action="store_true", help="keep the outbox and payment specification"
    )
    parser.add_argument(
        "--database-url", default="postgresql://postgres@127.0.0.1:5432/trygg_bench_billing"
    )
    opts = parser.parse_args()
    n = opts.policies
    folder = Path(tempfile.mkdtemp(prefix="trygg_bench_billing_"))
    if not opts.keep_files:
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
    _recreate(opts.database_url)
    _setup(opts.database_url, folder / "bankgirot")
    from django.core.management import call_command

    from trygg.billing.rules import order_window_end

    call_command("migrate", verbosity=0)
    on, due = _run_date()
    begin = time.perf_counter()
    parties = _seed_parties(opts.parties)
    seed = _seed_portfolio(n, parties, opts.full_year)
    seeded = time.perf_counter() - begin
    print(_machine(), flush=True)
    print(
        f"{n} policies, {parties[1] - parties[0] + 1} parties, {seed['charges']} charges seeded "
        f"({seed['due']} due {due}; {seed['charge_indexes']} indexes on billing_charge) in "
        f"{seeded:.1f} s: " + ", ".join(f"{k} {v:.1f} s" for k, v in seed["timings"].items()),
        flush=True,
    )
    print(
        "sizes: "
        + ", ".join(f"{k} {v / 2**20:.0f} MB" for k, v in seed["sizes"].items())
        + f"; run date {on} (order window to {order_window_end(on)})",
        flush=True,
    )

    loads = {"COPY": os.getloadavg()[0]}
    copy_seconds = _baseline_copy(n)
    print(f"baseline COPY: {copy_seconds:.2f} s", flush=True)
    loads["plain Python"] = os.getloadavg()[0]
    format_seconds = _baseline_format(n, folder)
    print(f"baseline plain Python records: {format_seconds:.2f} s", flush=True)
    _sql("CHECKPOINT")

    loads["billing_run"] = os.getloadavg()[0]
    run = _monthly_run(on, opts.budget)
    print(f"billing_run: {run['seconds']:.2f} s{' (STOPPED)' if run['stopped'] else ''}")
    run_checks: dict[str, Any] = {}
    diagnostics: dict[str, float] = {}
    spec: dict[str, Any] | None = None
    imported: dict[str, Any] | None = None
    import_checks: dict[str, Any] = {}
    reader: dict[str, Any] | None = None
    if not run["stopped"]:
        run_checks = _check_run(on, n, run["result"])
        print(f"run checks: {'OK' if run_checks['ok'] else 'WRONG'}", flush=True)
        diagnostics = _run_diagnostics(run["result"].run.pk, on, folder)
        _sql("VACUUM ANALYZE billing_charge")
        _sql("CHECKPOINT")
        try:
            loads["specification"] = os.getloadavg()[0]
            spec = _write_specification(folder, opts.budget)
        except BudgetSpent:
            spec = None
            print("payment specification: STOPPED at the budget while writing")
        if spec is not None:
            print(f"payment specification written: {spec['seconds']:.2f} s", flush=True)
            _sql("CHECKPOINT")
            loads["autogiro_import"] = os.getloadavg()[0]
            imported = _import(spec["path"], opts.budget)
            print(
                f"autogiro_import: {imported['seconds']:.2f} s"
                f"{' (STOPPED)' if imported['stopped'] else ''}",
                flush=True,
            )
            if not imported["stopped"]:
                import_checks = _check_import(spec, imported["result"])
                print(f"import checks: {'OK' if import_checks['ok'] else 'WRONG'}", flush=True)
            loads["iter_records"] = os.getloadavg()[0]
            reader = _reader(spec["path"], opts.budget)

    # -- the table --
    def row(
        step: str,
        seconds: float | None,
        records: int | None,
        target: str = "",
        met: str = "",
    ) -> None:
        if met and n != 1_000_000:
            met += " (target is for 1,000,000)"
        secs = f"{seconds:.2f}" if seconds is not None else "-"
        rate = f"{records / seconds:,.0f}" if seconds and records else ""
        ratio = f"{seconds / copy_seconds:.1f}" if seconds is not None else ""
        print(f"{step:<58}{secs:>9}{rate:>12}{ratio:>9}  {target:<16}{met}")

    print()
    print(f"{'step':<58}{'seconds':>9}{'records/s':>12}{'/ COPY':>9}  {'target':<16}result")
    row(f"bare COPY of {n} charge-wide rows + commit (baseline)", copy_seconds, n)
    row(f"plain Python: {n} 80-char records to a file", format_seconds, n)
    stop_note = " STOPPED at budget" if run["stopped"] else ""
    row(
        f"billing_run({on}){stop_note}",
        run["seconds"],
        n if not run["stopped"] else None,
        f"<= {TARGET_RUN_SECONDS:.0f} s",
        "met" if run["seconds"] <= TARGET_RUN_SECONDS and not run["stopped"] else "NOT met",
    )
    if run_checks:
        row("  billing_run again, same date (no-op)", run_checks["again seconds"], None)
    if spec is not None:
        row("payment specification written by the library (not counted)", spec["seconds"], n)
    if imported is not None:
        stop_note = " STOPPED at budget" if imported["stopped"] else ""
        row(
            f"autogiro_import of {n} TK82 records{stop_note}",
            imported["seconds"],
            n if not imported["stopped"] else None,
            f"<= {TARGET_IMPORT_SECONDS:.0f} s",
            "met"
            if imported["seconds"] <= TARGET_IMPORT_SECONDS and not imported["stopped"]
            else "NOT met",
        )
    if import_checks:
        row("  autogiro_import again, same file (already)", import_checks["again seconds"], None)
    if reader is not None:
        rate = reader["records"] / reader["seconds"]
        row(
            f"iter_records alone (strict){' STOPPED' if reader['stopped'] else ''}",
            reader["seconds"],
            reader["records"],
            f">= {TARGET_READER_RATE:,.0f}/s",
            "met" if rate >= TARGET_READER_RATE and not reader["stopped"] else "NOT met",
        )
    print(
        "load average (1 min) before each phase, on 2 cores: "
        + ", ".join(f"{k} {v:.2f}" for k, v in loads.items())
    )
    if run["stopped"]:
        print("\nThe run was stopped at the budget and rolled back; no import was measured.")
    elif spec is None:
        print("\nThe payment specification could not be written within the budget.")

    _where(f"where the time goes, billing_run({on})", run["seconds"], run["timer"], opts.top)
    if diagnostics:
        print("  the run's file writing taken apart (measured again after the run):")
        for label, seconds in diagnostics.items():
            print(f"    {label:<60}{seconds:>8.2f} s")
    if run_checks:
        print(
            "  checks: "
            + ", ".join(f"{k}: {v}" for k, v in run_checks.items() if k != "summary")
            + f" -> {'OK' if run_checks['ok'] else 'WRONG'}"
        )
        print(f"  run summary: {run_checks['summary']}")
    if imported is not None:
        _where(
            f"where the time goes, autogiro_import ({n} records)",
            imported["seconds"],
            imported["timer"],
            opts.top,
        )
    if import_checks:
        print(
            "  checks: "
            + ", ".join(f"{k}: {v}" for k, v in import_checks.items() if k != "summary")
            + f" -> {'OK' if import_checks['ok'] else 'WRONG'}"
        )
        print(f"  file summary: {import_checks['summary']}")
    if opts.keep_files:
        print(f"\nfiles kept in {folder}")


if __name__ == "__main__":
    main()
