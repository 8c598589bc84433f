"""Importing Bankgirot's files: ``trygg autogiro import FILE``.

- Payment specification: approved debits become paid, refused ones unpaid (status 1 lack of
  funds, 2 no mandate or closed account), status 9 "renewed balance check" marks them as being
  retried by Bankgirot; refunds (TK77) reverse a paid premium. The approved sum is booked in the
  ledger as one balanced transaction per file (Bankgirot's settlement account against premium
  income); each premium names that transaction, and the file names it too (so a paid premium's
  file is found through its transaction). Bankgirot's reason for a payment status follows from
  the status code and is not stored with the premium.
- Mandate notices: activate, reject (with Bankgirot's comment code and text) or delete mandates.
- Rejected payment orders: the premium is unpaid, with the reason.
- Cancellation and amendment answers are logged with the file.

A file is imported once (keyed by its SHA-256): the same file again books nothing. A malformed
file is refused whole, naming line, column, field and rule, and books nothing: the whole import
is one transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from autogiro import (
    AmendmentAnswer,
    AutogiroError,
    AutogiroValidationError,
    DebitPayment,
    ListOpening,
    MandateNotice,
    OldMandateNoticeOpening,
    Record,
    Refund,
    RejectedDebit,
    ReportOpening,
    codes,
    iter_records,
    validate,
)
from trygg.banking import chart
from trygg.banking.ledger import Leg, book, internal_account
from trygg.banking.models import LedgerTransaction
from trygg.banking.rules import OWN_BANKS
from trygg.billing import states
from trygg.billing.mandates import mandate_notice_apply
from trygg.billing.models import BankgirotFile, Charge, ChargeState, Direction, Mandate
from trygg.kernel import clock
from trygg.kernel.audit import AuditContext, audit_record
from trygg.kernel.errors import FieldProblem, ValidationFailed
from trygg.kernel.jobs import ProgressFn, no_progress
from trygg.kernel.models import AuditAction

BATCH = 20000
IMPORT_LOCK = 0x7472_7967_0001  # PostgreSQL advisory lock key of Bankgirot imports
# The debits Bankgirot answers: the states from which the table lets a charge become what an
# answer makes it (paid, refused, or retried another day).
OPEN = states.charges_settled_from(ChargeState.PAID, ChargeState.FAILED, ChargeState.RETRYING)
STATUS_STATE: dict[str, ChargeState] = {
    "0": ChargeState.PAID,
    "1": ChargeState.FAILED,
    "2": ChargeState.FAILED,
    "9": ChargeState.RETRYING,
}


@dataclass
class ImportResult:
    file: BankgirotFile
    already: bool


def _one_import_at_a_time() -> None:
    """Imports run one after another (until the end of the transaction): a payment is matched
    against charges as the previous import left them, never twice. SQLite serialises writers by
    itself."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _refusal(path: Path) -> ValidationFailed:
    with path.open("rb") as stream:
        errors = list(validate(stream, extra_banks=OWN_BANKS))[:50]
    # The library words its errors in English and Swedish; other languages read the English.
    lang = "sv" if (get_language() or "").startswith("sv") else "en"
    problems = [
        FieldProblem(
            f"line {e.line}" + (f", column {e.column}" if e.column else "") + f", {e.field}",
            f"autogiro.{e.code}",
            e.message(lang=lang),
        )
        for e in errors
    ]
    first = problems[0] if problems else FieldProblem("file", "autogiro.format", "unreadable")
    return ValidationFailed(
        code="autogiro.format",
        field="file",
        message=_("The file was refused and nothing was booked: %(error)s")
        % {"error": first.message},
        problems=problems,
    )


def _copy_text(value: str) -> str:
    """A value for PostgreSQL's COPY text format (tabs and line ends cannot occur: the reader
    refuses control characters)."""
    return value.replace("\\", "\\\\") if "\\" in value else value


class _Payments:
    """The payments (TK82) of a file, staged in a temporary table and settled with a few
    set-based statements: matched to their charges, booked, and the charges and mandates
    updated, each in one statement."""

    TABLE = "autogiro_payment"
    MATCH = "autogiro_payment_match"

    def __init__(self) -> None:
        self.vendor = connection.vendor
        self.staged = 0
        self.pending: list[tuple[int, str, str, Decimal, int, str, dt.date]] = []
        self.created = False

    def add(self, record: DebitPayment) -> None:
        amount = record.amount
        self.pending.append(
            (
                record.line,
                record.reference.strip(),
                record.payer_number,
                amount,
                int(amount.scaleb(2)),
                record.status,
                record.payment_date,
            )
        )
        if len(self.pending) >= BATCH:
            self.load()

    def _create(self, cursor: Any) -> None:
        on_commit = " ON COMMIT DROP" if self.vendor == "postgresql" else ""
        for table in (self.TABLE, self.MATCH):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {self.TABLE} (line integer NOT NULL, "
            "reference varchar(16) NOT NULL, payer_number varchar(16) NOT NULL, "
            "amount decimal(12, 2) NOT NULL, ore bigint NOT NULL, status varchar(1) NOT NULL, "
            f"payment_date date NOT NULL){on_commit}"
        )
        self.created = True

    def load(self) -> None:
        """Stage the pending payments: COPY on PostgreSQL, a batched INSERT elsewhere."""
        rows, self.pending = self.pending, []
        if not rows:
            return
        with connection.cursor() as cursor:
            if not self.created:
                self._create(cursor)
            columns = "line, reference, payer_number, amount, ore, status, payment_date"
            if self.vendor == "postgresql":
                text = "".join(
                    f"{line}\t{_copy_text(reference)}\t{payer}\t{amount}\t{ore}\t{status}\t"
                    f"{day.isoformat()}\n"
                    for line, reference, payer, amount, ore, status, day in rows
                )
                # COPY is not in the DB API: through the driver's own connection.
                with (
                    connection.connection.cursor() as copying,
                    copying.copy(f"COPY {self.TABLE} ({columns}) FROM STDIN") as copy,
                ):
                    copy.write(text)
            else:
                cursor.executemany(
                    f"INSERT INTO {self.TABLE} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s)",  # noqa: S608
                    rows,
                )
        self.staged += len(rows)

    def settle(self, work: _Import) -> None:
        """Match, book and update everything staged; one ledger transaction for the file."""
        self.load()
        if not self.staged:
            return
        charge, mandate = Charge._meta.db_table, Mandate._meta.db_table
        open_states = [str(state) for state in OPEN]
        with connection.cursor() as cursor:
            # A payment matches an open charge by reference and amount; of several payments of
            # the same charge in one file the first counts, the others are unmatched.
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.MATCH}"  # noqa: S608
                f"{' ON COMMIT DROP' if self.vendor == 'postgresql' else ''} AS "
                "SELECT c.id AS charge_id, c.mandate_id AS mandate_id, p.line AS line, "
                "p.status AS status, p.payment_date AS payment_date, p.ore AS ore "
                f"FROM {self.TABLE} p JOIN {charge} c ON c.reference = p.reference "
                "WHERE c.state IN (%s, %s) AND c.amount = p.amount",
                open_states,
            )
            cursor.execute(
                f"DELETE FROM {self.MATCH} WHERE EXISTS (SELECT 1 FROM {self.MATCH} d "  # noqa: S608
                f"WHERE d.charge_id = {self.MATCH}.charge_id AND d.line < {self.MATCH}.line)"
            )
            # Statistics, so that the updates below start from the right side of each join.
            cursor.execute(f"ANALYZE {self.MATCH}")
            cursor.execute(f"SELECT status, count(*), sum(ore) FROM {self.MATCH} GROUP BY status")  # noqa: S608
            paid = Decimal(0)
            matched = 0
            for status, count, ore in cursor.fetchall():
                work.counts[f"status_{status}"] += count
                matched += count
                if STATUS_STATE.get(status, ChargeState.FAILED) == ChargeState.PAID:
                    paid += Decimal(int(ore)).scaleb(-2)
            if matched < self.staged:
                cursor.execute(
                    f"SELECT p.reference, p.payer_number FROM {self.TABLE} p "  # noqa: S608
                    f"WHERE NOT EXISTS (SELECT 1 FROM {self.MATCH} m WHERE m.line = p.line) "
                    "ORDER BY p.line"
                )
                work.unmatched.extend(reference or payer for reference, payer in cursor)
            work.sums["paid"] += paid
            # The ledger transaction first, so each charge names it in the same update.
            entry = work.book_paid(paid)
            self._update_charges(cursor, charge, work.file.pk, entry.pk if entry else None)
            states = self._states()
            paid_codes = [code for code, state in states.items() if state == ChargeState.PAID]
            failed_codes = [code for code, state in states.items() if state == ChargeState.FAILED]
            # Only the mandates whose count of failed debits in a row changes: back to zero
            # after a paid debit, one more after a refused one (once per file and mandate).
            for codes_of, change, unless in (
                (paid_codes, "0", "failures_in_row <> 0 AND "),
                (failed_codes, "failures_in_row + 1", ""),
            ):
                if codes_of:
                    cursor.execute(
                        f"UPDATE {mandate} SET failures_in_row = {change} WHERE {unless}id IN "  # noqa: S608
                        f"(SELECT mandate_id FROM {self.MATCH} WHERE status IN "
                        f"({', '.join(['%s'] * len(codes_of))}))",
                        codes_of,
                    )
            cursor.execute(f"DROP TABLE {self.MATCH}")
            cursor.execute(f"DROP TABLE {self.TABLE}")
        self.staged = 0
        self.created = False

    @staticmethod
    def _states() -> dict[str, ChargeState]:
        return {
            code: STATUS_STATE.get(code, ChargeState.FAILED) for code in codes.PAYMENT_STATUS_CODES
        }

    def _update_charges(self, cursor: Any, charge: str, file_id: int, entry: int | None) -> None:
        """Every matched charge in one statement: state and Bankgirot's status; for paid and
        refused debits the day; for refused ones the file, for paid ones the ledger transaction
        (which names the file).

        The paid row must stay about as long as the ordered row, so that PostgreSQL writes it on
        the same page without touching an index (a HOT update): the reason text is not stored
        (``Charge.reason`` derives it from the code; a text left from before is cleared), and
        neither is the file of a paid debit (cleared, as a retried debit still names the file
        that refused it before). Each foreign key set is also checked at the commit, row by
        row, so one per paid row is the least."""
        states = self._states()
        settled = [code for code, state in states.items() if state != ChargeState.RETRYING]
        refused = [code for code, state in states.items() if state == ChargeState.FAILED]
        paid = [code for code, state in states.items() if state == ChargeState.PAID]
        params: list[Any] = []
        for code, state in states.items():
            params += [code, str(state)]
        when = " ".join("WHEN %s THEN %s" for _code in states)
        settled_in = f"m.status IN ({', '.join(['%s'] * len(settled))})"
        assignments = [
            f"state = CASE m.status {when} END",
            "status_code = m.status",
            "status_text = ''",
            f"settled_on = CASE WHEN {settled_in} THEN m.payment_date ELSE {charge}.settled_on END",
            f"settled_by_id = CASE WHEN m.status IN ({', '.join(['%s'] * len(refused))}) THEN %s "
            f"WHEN m.status IN ({', '.join(['%s'] * len(paid))}) THEN NULL "
            f"ELSE {charge}.settled_by_id END",
        ]
        params += [*settled, *refused, file_id, *paid]
        if entry is not None:
            assignments.append(
                f"ledger_id = CASE WHEN m.status IN ({', '.join(['%s'] * len(paid))}) THEN %s "
                f"ELSE {charge}.ledger_id END"
            )
            params += [*paid, entry]
        cursor.execute(
            f"UPDATE {charge} SET {', '.join(assignments)} "  # noqa: S608
            f"FROM {self.MATCH} m WHERE {charge}.id = m.charge_id",
            params,
        )


_OLD_CONTENT = {
    codes.CONTENT_OLD_PAYMENT_SPECIFICATION: codes.CONTENT_PAYMENT_SPECIFICATION,
    codes.CONTENT_OLD_REJECTED_PAYMENTS: codes.CONTENT_REJECTED_PAYMENTS,
    codes.CONTENT_OLD_AMENDMENTS: codes.CONTENT_AMENDMENTS,
}


class _Import:
    def __init__(self, ctx: AuditContext, file: BankgirotFile) -> None:
        self.ctx = ctx
        self.file = file
        self.counts: dict[str, int] = defaultdict(int)
        self.sums: dict[str, Decimal] = defaultdict(Decimal)
        self.unmatched: list[str] = []
        self.content = ""
        self.payments = _Payments()
        self.refunds: list[Refund] = []
        self.entry: LedgerTransaction | None = None

    def run(
        self,
        records: Iterator[Record],
        progress: ProgressFn = no_progress,
    ) -> None:
        payment = self.payments.add
        for record in records:
            if type(record) is DebitPayment:
                payment(record)
            elif isinstance(record, ReportOpening):
                self.content = record.content
                self.file.content = record.content
            elif isinstance(record, ListOpening | OldMandateNoticeOpening):
                # The old layout: its records are read as the new layout's types.
                if isinstance(record, ListOpening):
                    self.content = _OLD_CONTENT.get(record.content, record.content)
                else:
                    self.content = codes.CONTENT_MANDATE_NOTICES
                self.file.content = self.content
            elif isinstance(record, DebitPayment):
                payment(record)
            elif isinstance(record, Refund):
                self.refunds.append(record)  # after the payments: a refund needs a paid charge
            elif isinstance(record, MandateNotice):
                self.mandate_notice(record)
            elif isinstance(record, RejectedDebit):
                self.rejected(record)
            elif isinstance(record, AmendmentAnswer):
                self.counts["amendment_answers"] += 1
        progress(0, None, "booking")
        self.payments.settle(self)
        for refund in self.refunds:
            self.refund(refund)
        self.book_refunds()

    # -- payment specification ------------------------------------------------------------------

    def refund(self, record: Refund) -> None:
        charge = (
            Charge.objects.select_for_update()
            .filter(reference=record.reference.strip(), state=ChargeState.PAID)
            .first()
        )
        if charge is None or charge.amount != record.amount:
            self.unmatched.append(record.reference.strip() or record.payer_number)
            return
        states.charge_move(
            charge,
            ChargeState.REFUNDED,
            status_text=codes.REFUND_CODES.get(record.refund_code, "")[:200],
        )
        self.counts["refunds"] += 1
        self.sums["refunded"] += record.amount

    def book_paid(self, paid: Decimal) -> LedgerTransaction | None:
        """The file's ledger transaction of the approved debits (one per file)."""
        if not paid:
            return None
        assert self.entry is None, "the payments of a file are booked once"
        self.entry = book(
            kind="premium_autogiro",
            description=f"Autogiro {self.file.name}"[:200],
            legs=[
                Leg(internal_account(chart.AUTOGIRO_SETTLEMENT), paid, "Bankgirot"),
                Leg(internal_account(chart.PREMIUM_INCOME), -paid, "Premiums"),
            ],
            party=None,
        )
        self.file.ledger = self.entry  # saved with the file's summary
        return self.entry

    def book_refunds(self) -> None:
        refunded = self.sums["refunded"]
        if refunded:
            book(
                kind="premium_refund",
                description=f"Autogiro refunds {self.file.name}"[:200],
                legs=[
                    Leg(internal_account(chart.PREMIUM_INCOME), refunded, "Refunded premiums"),
                    Leg(internal_account(chart.AUTOGIRO_SETTLEMENT), -refunded, "Bankgirot"),
                ],
                party=None,
            )

    # -- mandates and rejected orders -----------------------------------------------------------

    def mandate_notice(self, record: MandateNotice) -> None:
        comment = codes.MANDATE_COMMENT_CODES.get(record.comment_code, "")
        mandate = mandate_notice_apply(
            ctx=self.ctx,
            payer_number=record.payer_number.lstrip("0"),
            comment_code=record.comment_code,
            comment=comment,
            valid_from=record.valid_from or record.notice_date,
        )
        if mandate is None:
            self.unmatched.append(record.payer_number)
        else:
            self.counts[f"mandate_{mandate.state}"] += 1

    def rejected(self, record: RejectedDebit) -> None:
        reason = codes.REJECTION_COMMENT_CODES.get(record.comment_code, "")
        updated = states.charges_move(
            Charge.objects.filter(reference=record.reference.strip(), state__in=OPEN),
            ChargeState.FAILED,
            status_code=record.comment_code,
            status_text=f"{record.comment_code} {reason}"[:200],
            settled_by=self.file,
        )
        if updated:
            self.counts["rejected"] += 1
        else:
            self.unmatched.append(record.reference.strip() or record.payer_number)


def autogiro_import(
    *,
    ctx: AuditContext,
    path: Path,
    by_user_id: int | None = None,
    progress: ProgressFn = no_progress,
) -> ImportResult:
    """Import one file from Bankgirot (see the module docstring). ``progress(done, total,
    phase)`` is told the records read (of about ``total``, from the file's size) and then that
    the payments are being booked."""
    path = Path(path)
    digest = _sha256(path)
    earlier = BankgirotFile.objects.filter(sha256=digest).first()
    if earlier is not None:
        return ImportResult(earlier, already=True)
    try:
        with transaction.atomic():
            _one_import_at_a_time()
            earlier = BankgirotFile.objects.filter(sha256=digest).first()
            if earlier is not None:  # imported meanwhile by another process
                return ImportResult(earlier, already=True)
            file = BankgirotFile.objects.create(
                direction=Direction.IN,
                name=path.name[:200],
                sha256=digest,
                content="",
                records=0,
                at=clock.now(),
                by_id=by_user_id,
            )
            work = _Import(ctx, file)
            count = 0

            total = path.stat().st_size // 82 or None  # 80 characters and CR LF a record

            def counted(stream: Any) -> Iterator[Record]:
                nonlocal count
                for record in iter_records(stream, extra_banks=OWN_BANKS):
                    count += 1
                    if not count % BATCH:
                        progress(count, total, "reading")
                    yield record

            with path.open("rb") as stream:
                work.run(counted(stream), progress)
            file.records = count
            file.summary = {
                **dict(work.counts),
                "paid_sum": str(work.sums["paid"]),
                "refunded_sum": str(work.sums["refunded"]),
                "unmatched": work.unmatched[:100],
                "unmatched_count": len(work.unmatched),
            }
            file.save()
            audit_record(
                ctx=ctx,
                action=AuditAction.CREATE,
                object_type="bankgirot_file",
                object_id=file.pk,
                detail={"name": file.name, "content": file.content, "records": count},
            )
    except (AutogiroError, AutogiroValidationError):
        raise _refusal(path) from None
    return ImportResult(file, already=False)
