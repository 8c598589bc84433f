"""Incoming Norwegian payments: Nets OCR giro files read with ``netsgiro``, each payment matched
to its invoice by KID and amount, the file booked once through the ledger.

* A file that does not parse, or whose control records (count and sum of each assignment and of
  the transmission) disagree with its payments, is refused whole: nothing is stored or booked.
* The same transmission again (by its number or its content) books nothing and answers with the
  earlier import.
* Matching is set-based: a few statements per file, whatever its size. The first payment of a
  KID in the file that has an open invoice of that KID and amount pays it; any other payment
  waits in the suspense account for customer service.
* Nets settles a file in one sum, so the ledger books one balanced transaction per file: the
  settlement in, the invoices' income and the unmatched remainder out.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal

import netsgiro
from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.utils.translation import gettext as _
from netsgiro import records as nets_records

from trygg.banking import chart
from trygg.banking.ledger import Leg, book, internal_account
from trygg.kernel import clock
from trygg.kernel.audit import AuditContext, audit_record
from trygg.kernel.errors import ValidationFailed
from trygg.kernel.models import AuditAction
from trygg.kernel.money import round_amount
from trygg.protection import rules
from trygg.protection.models import (
    Agreement,
    AgreementState,
    Invoice,
    InvoiceKind,
    InvoiceState,
    OcrFile,
    Payment,
    PaymentState,
)

ORE = Decimal("0.01")
STAGE_BATCH = 50_000


@dataclass(frozen=True)
class ImportResult:
    file: OcrFile
    imported_now: bool
    booked: int
    unmatched: int


def _refused(detail: str) -> ValidationFailed:
    return ValidationFailed(
        code="ocr.unreadable",
        field="file",
        message=_("The file is not a readable OCR giro file (%(detail)s): nothing was booked.")
        % {"detail": detail},
    )


# One payment as read: (line number in the file, KID, amount in øre, payment date, payer's
# account).
OcrPayment = tuple[int, str, int, dt.date, str]


@dataclass(frozen=True)
class OcrTransmission:
    """What an OCR giro file says: its transmission number, Nets date and payments."""

    transmission: str
    nets_date: dt.date
    payments: list[OcrPayment]


# Transaction types of OCR giro (10-21): 18 and 20 reverse an earlier payment, which customer
# service handles with the bank; a file with one is refused (see decision 0080).
OCR_TYPES = frozenset(range(10, 22))
REVERSALS = frozenset({18, 20})


def _checked_ascii(text: str) -> None:
    if not text.isascii():
        raise _refused(_("characters outside the OCR giro character set"))


def read_ocr(text: str) -> OcrTransmission:
    """The reference reader, on ``netsgiro``'s records: the transmission number, the Nets date
    and the payments of an OCR giro file, every record's place, numbering and control sums
    checked. :func:`read_ocr_fast` reads the same files the same way, many times faster."""
    _checked_ascii(text)
    try:
        parsed: list[nets_records.Record] = nets_records.parse(text)
    except (ValueError, TypeError, KeyError) as error:
        raise _refused(str(error)[:80]) from error
    if not parsed or not isinstance(parsed[0], nets_records.TransmissionStart):
        raise _refused(_("no transmission start"))
    if not isinstance(parsed[-1], nets_records.TransmissionEnd):
        raise _refused(_("no transmission end"))
    payments: list[OcrPayment] = []
    assignment_count = assignment_sum = assignment_records = 0
    in_assignment = False
    pending: nets_records.TransactionAmountItem1 | None = None
    done: tuple[int, int] | None = None  # the last complete transaction (type, number)
    last_number = 0
    for record in parsed[1:-1]:
        if isinstance(record, nets_records.AssignmentStart):
            if in_assignment:
                raise _refused(_("an assignment without its end"))
            if record.service_code != netsgiro.ServiceCode.OCR_GIRO:
                raise _refused(_("an assignment that is not OCR giro"))
            in_assignment, assignment_count, assignment_sum, assignment_records = True, 0, 0, 1
            last_number, done = 0, None
            continue
        assignment_records += 1
        if isinstance(record, nets_records.TransactionAmountItem1):
            if (
                not in_assignment
                or pending is not None
                or record.service_code != netsgiro.ServiceCode.OCR_GIRO
            ):
                raise _refused(_("a payment outside an OCR giro assignment"))
            _check_transaction(int(record.transaction_type), record.sign)
            if record.transaction_number <= last_number:
                raise _refused(_("transaction numbers out of order"))
            pending, done, last_number = record, None, record.transaction_number
            assignment_count += 1
            assignment_sum += record.amount
        elif isinstance(record, nets_records.TransactionAmountItem2):
            if (
                pending is None
                or pending.transaction_number != record.transaction_number
                or pending.transaction_type != record.transaction_type
                or record.service_code != netsgiro.ServiceCode.OCR_GIRO
            ):
                raise _refused(_("a payment's second record out of place"))
            payments.append(
                (
                    len(payments) + 1,
                    pending.kid or "",
                    pending.amount,
                    record.bank_date or pending.nets_date,
                    record.debit_account or "",
                )
            )
            done, pending = (int(record.transaction_type), record.transaction_number), None
        elif isinstance(record, nets_records.TransactionAmountItem3):
            if done != (int(record.transaction_type), record.transaction_number):
                raise _refused(_("a payment's third record out of place"))
            done = None
        elif isinstance(record, nets_records.AssignmentEnd):
            if (
                not in_assignment
                or pending is not None
                or record.service_code != netsgiro.ServiceCode.OCR_GIRO
                or record.num_transactions != assignment_count
                or record.num_records != assignment_records
                or (record.total_amount or 0) != assignment_sum
            ):
                raise _refused(_("an assignment's count or sum does not match its payments"))
            in_assignment = False
        else:
            raise _refused(_("an unexpected record"))
    start, end = parsed[0], parsed[-1]
    if in_assignment:
        raise _refused(_("an assignment without its end"))
    if (
        end.num_transactions != len(payments)
        or end.num_records != len(parsed)
        or end.total_amount != sum(payment[2] for payment in payments)
    ):
        raise _refused(_("the transmission's count or sum does not match its payments"))
    return OcrTransmission(start.transmission_number, end.nets_date, payments)


def _check_transaction(kind: int, sign: str | None) -> None:
    if kind not in OCR_TYPES:
        raise _refused(_("a transaction type that is not OCR giro"))
    if kind in REVERSALS or sign == "-":
        raise _refused(_("a reversal, which customer service handles with the bank"))


# The fast reader: each record kind as one pattern of its fixed-width fields (Nets OCR giro's
# system specification); an assignment's transactions are read by one ``findall`` and are
# known to fill the assignment exactly when the lengths of the matches add up to it (every line
# is 80 characters; item 3 is the only optional line). The fields are then checked a column
# at a time.
_START = re.compile(r"NY000010\d{8}(\d{7})\d{8}0{49}\n", re.ASCII)
_END = re.compile(r"NY000089(\d{8})(\d{8})(\d{17})(\d{6})0{33}\n", re.ASCII)
_ASSIGNMENT_START = re.compile(r"NY090020\d{27}0{45}\n", re.ASCII)
_ASSIGNMENT_END = re.compile(
    r"NY090088(\d{8})(\d{8})(\d{17})(\d{6})(\d{6})(\d{6})0{21}\n", re.ASCII
)
_TRANSACTION = re.compile(
    # amount item 1: type, number, Nets date, centre, day code, partial settlement, sign,
    # amount in øre, KID
    r"NY09(\d\d)30(\d{7})(\d{6})\d{10}([-0])(\d{17})([\d ]{25})000000\n"
    # amount item 2: the same type and number, form number, reference, a filler, payment date,
    # debit account
    r"NY09(?:\1)31(?:\2)\d{19}[^\n]{7}(\d{6})(\d{11})0{22}\n"
    # amount item 3 (a text), optional
    r"(NY09(?:\1)32(?:\2)[^\n]{40}0{25}\n)?",
    re.ASCII,
)
_LINE = 81  # 80 characters and the line end
_NO_DATE = "000000"


def _nets_day(value: str) -> dt.date:
    try:
        return dt.datetime.strptime(value, "%d%m%y").date()
    except ValueError as error:
        raise _refused(str(error)[:80]) from error


def _transactions(body: str, start: int, end: int, first_seq: int) -> list[OcrPayment]:
    """The payments of one assignment's transaction lines ``body[start:end]``, checked."""
    rows = _TRANSACTION.findall(body, start, end)
    if not rows:
        if end != start:
            raise _refused(_("a payment's records out of place"))
        return []
    kinds, numbers, nets, signs, amounts, kids, banks, accounts, texts = zip(*rows, strict=True)
    if 2 * _LINE * len(rows) + _LINE * (len(rows) - texts.count("")) != end - start:
        raise _refused(_("a payment's records out of place"))
    for kind in set(kinds):
        _check_transaction(int(kind), None)
    if "-" in signs:
        _check_transaction(10, "-")
    # Seven digits each, so text order is number order.
    if numbers[0] == "0000000" or not all(map(str.__lt__, numbers, numbers[1:])):
        raise _refused(_("transaction numbers out of order"))
    days = {value: _nets_day(value) for value in {*nets, *banks} - {_NO_DATE}}
    if _NO_DATE in nets:
        _nets_day(_NO_DATE)  # refused, as netsgiro refuses it
    if _NO_DATE in banks:
        paid = [days[b if b != _NO_DATE else n] for n, b in zip(nets, banks, strict=True)]
    else:
        paid = list(map(days.__getitem__, banks))
    return list(
        zip(
            range(first_seq, first_seq + len(rows)),
            map(str.strip, kids),
            map(int, amounts),
            paid,
            accounts,
            strict=True,
        )
    )


def read_ocr_fast(text: str) -> OcrTransmission:
    """:func:`read_ocr` for large files: the same checks, the same result, the same refusals.
    The cyclic garbage collector pauses meanwhile: a million payments are millions of new
    tuples and none of them can form a cycle."""
    _checked_ascii(text)
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _read_fast(text)
    finally:
        if collecting:
            gc.enable()


def _read_fast(text: str) -> OcrTransmission:
    lines = text.strip().splitlines()
    if not lines or any(len(line) != 80 for line in lines):
        raise _refused(_("a line that is not 80 characters long"))
    body = "\n".join(lines) + "\n"
    start = _START.match(body)
    if start is None:
        raise _refused(_("no transmission start"))
    at = start.end()
    payments: list[OcrPayment] = []
    records = 2
    while _ASSIGNMENT_START.match(body, at):
        # The assignment's end is the next line that starts like one; lines cannot hold a line
        # end, so a text record cannot fake it.
        closing = body.find("\nNY090088", at) + 1
        end = _ASSIGNMENT_END.match(body, closing) if closing else None
        if end is None:
            raise _refused(_("an assignment without its end"))
        read = _transactions(body, at + _LINE, closing, len(payments) + 1)
        for value in (end[4], end[5], end[6]):
            if value != _NO_DATE:
                _nets_day(value)
        count, lines_in = int(end[1]), int(end[2])
        if (
            count != len(read)
            or lines_in != (end.end() - at) // _LINE
            or int(end[3]) != sum(payment[2] for payment in read)
        ):
            raise _refused(_("an assignment's count or sum does not match its payments"))
        payments.extend(read)
        records += lines_in
        at = end.end()
    end = _END.match(body, at)
    if end is None or end.end() != len(body):
        raise _refused(_("an unexpected record"))
    nets_date = _nets_day(end[4])
    if (
        int(end[1]) != len(payments)
        or int(end[2]) != records
        or int(end[3]) != sum(payment[2] for payment in payments)
    ):
        raise _refused(_("the transmission's count or sum does not match its payments"))
    return OcrTransmission(start[1], nets_date, payments)


IMPORT_LOCK = 0x7472_7967_0019  # PostgreSQL advisory lock key of OCR giro imports
STAGED = "protection_ocr_staged"
MATCHED = "protection_ocr_matched"


def ocr_import(*, ctx: AuditContext, text: str, name: str) -> ImportResult:
    """Read one OCR giro file and book it once: staged in a temporary table (``COPY`` on
    PostgreSQL), matched to open invoices by KID and amount and booked in a few set-based
    statements, all in one transaction."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    earlier = OcrFile.objects.filter(sha256=digest).first()
    if earlier is not None:
        return ImportResult(earlier, False, 0, 0)
    read = read_ocr_fast(text)
    total = round_amount(Decimal(sum(p[2] for p in read.payments)) * ORE, "NOK")
    with transaction.atomic():
        _one_import_at_a_time()
        earlier = OcrFile.objects.select_for_update().filter(transmission=read.transmission).first()
        if earlier is not None:
            return ImportResult(earlier, False, 0, 0)
        ocr_file = OcrFile.objects.create(
            transmission=read.transmission,
            sha256=digest,
            name=name[:200],
            nets_date=read.nets_date,
            received_at=clock.now(),
            payments=len(read.payments),
            total=total,
            booked_total=Decimal(0),
        )
        booked, booked_total, offers = _stage_and_match(ocr_file, read, registered_on=clock.today())
        _renew_paid_offers(offers, clock.today())
        ocr_file.booked_total = booked_total
        entry = _book(ocr_file) if total else None
        ocr_file.ledger_transaction_id = entry
        ocr_file.save(update_fields=["booked_total", "ledger_transaction_id"])
        audit_record(
            ctx=ctx,
            action=AuditAction.CREATE,
            object_type="ocr_file",
            object_id=ocr_file.pk,
            detail={
                "transmission": read.transmission,
                "payments": len(read.payments),
                "total": str(total),
                "booked": booked,
            },
        )
    return ImportResult(ocr_file, True, booked, len(read.payments) - booked)


IMPORT_WORK_MEM = "64MB"  # per sort or hash of one import; imports run one at a time


def _one_import_at_a_time() -> None:
    """Imports run one after another (until the end of the transaction), so each matches the
    invoices as the previous one left them. SQLite serialises writers by itself. On PostgreSQL
    the import's hashes and sorts get room for a file of a million payments (the server's
    default, 4 MB, would spill them to disk in batches), for this transaction only."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])
            cursor.execute("SELECT set_config('work_mem', %s, true)", [IMPORT_WORK_MEM])


def _amount_text(ore: int) -> str:
    return f"{ore // 100}.{ore % 100:02d}"


def _stage(cursor: CursorWrapper, read: OcrTransmission) -> None:
    """The file's payments into a temporary table: ``COPY`` on PostgreSQL, a batched INSERT
    elsewhere. KIDs and accounts are digits and spaces only (the reader refuses anything
    else), so no value needs quoting for ``COPY``."""
    postgresql = connection.vendor == "postgresql"
    cursor.execute(f"DROP TABLE IF EXISTS {STAGED}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {STAGED} (seq integer NOT NULL, kid varchar(25) NOT NULL, "
        "amount decimal(14, 2) NOT NULL, paid_on date NOT NULL, "
        f"payer_account varchar(11) NOT NULL){' ON COMMIT DROP' if postgresql else ''}"
    )
    columns = "seq, kid, amount, paid_on, payer_account"
    if postgresql:
        amounts = {ore: _amount_text(ore) for ore in {payment[2] for payment in read.payments}}
        days = {day: day.isoformat() for day in {payment[3] for payment in read.payments}}
        with (
            connection.connection.cursor() as copying,
            copying.copy(f"COPY {STAGED} ({columns}) FROM STDIN") as copy,
        ):
            for at in range(0, len(read.payments), STAGE_BATCH):
                seqs, kids, ores, paid, accounts = zip(
                    *read.payments[at : at + STAGE_BATCH], strict=True
                )
                rows = zip(
                    map(str, seqs),
                    kids,
                    map(amounts.__getitem__, ores),
                    map(days.__getitem__, paid),
                    accounts,
                    strict=True,
                )
                copy.write("\n".join(map("\t".join, rows)) + "\n")
        cursor.execute(f"ANALYZE {STAGED}")
    else:
        for at in range(0, len(read.payments), STAGE_BATCH):
            cursor.executemany(
                f"INSERT INTO {STAGED} ({columns}) VALUES (%s, %s, %s, %s, %s)",  # noqa: S608
                [
                    (seq, kid, _amount_text(ore), paid.isoformat(), account)
                    for seq, kid, ore, paid, account in read.payments[at : at + STAGE_BATCH]
                ],
            )


def _stage_and_match(
    ocr_file: OcrFile, read: OcrTransmission, *, registered_on: dt.date
) -> tuple[int, Decimal, list[int]]:
    """Stage the payments, pay each open invoice whose KID and amount a payment carries (the
    file's first payment of that KID), store every payment, booked or unmatched. A KID that
    matches no invoice must still carry a right check digit, or the file is refused.
    Set-based: the same handful of statements whatever the file's size. Also returns the paid
    renewal offers whose agreement has expired (found among the matched, not in the table)."""
    invoice, payment = Invoice._meta.db_table, Payment._meta.db_table
    agreement = Agreement._meta.db_table
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        _stage(cursor, read)
        cursor.execute(f"DROP TABLE IF EXISTS {MATCHED}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {MATCHED}{' ON COMMIT DROP' if postgresql else ''} AS "  # noqa: S608
            "SELECT i.id AS invoice_id, s.seq AS seq, s.paid_on AS paid_on, s.amount AS amount "
            f"FROM {STAGED} s JOIN (SELECT kid, min(seq) AS seq FROM {STAGED} GROUP BY kid) f "
            "ON f.seq = s.seq "
            f"JOIN {invoice} i ON i.kid = s.kid AND i.amount = s.amount WHERE i.state = %s",
            [InvoiceState.OPEN],
        )
        cursor.execute(
            f"SELECT DISTINCT s.kid FROM {STAGED} s WHERE s.kid <> '' AND NOT EXISTS "  # noqa: S608
            f"(SELECT 1 FROM {MATCHED} m WHERE m.seq = s.seq)"
        )
        for (kid,) in cursor.fetchall():
            try:
                rules.kid_check(kid)
            except rules.RuleError as error:
                raise ValidationFailed(
                    code="ocr.kid",
                    field="file",
                    message=_(
                        "The KID %(kid)s in the file has a wrong check digit: nothing was booked."
                    )
                    % {"kid": kid},
                ) from error
        cursor.execute(f"SELECT count(*), sum(amount) FROM {MATCHED}")  # noqa: S608
        matched, matched_sum = cursor.fetchone()
        if postgresql:
            cursor.execute(f"ANALYZE {MATCHED}")
        paid = _pay(cursor, registered_on)
        if paid != matched:  # an invoice changed meanwhile (cancelled, say): nothing booked
            raise ValidationFailed(
                code="ocr.changed",
                field="file",
                message=_("Invoices changed during the import: nothing was booked, try again."),
            )
        cursor.execute(
            f"SELECT i.id FROM {MATCHED} m JOIN {invoice} i ON i.id = m.invoice_id "  # noqa: S608
            f"JOIN {agreement} a ON a.id = i.agreement_id WHERE i.kind = %s AND a.state = %s",
            [InvoiceKind.OFFER, AgreementState.EXPIRED],
        )
        offers = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            f"INSERT INTO {payment} (file_id, seq, kid, amount, paid_on, payer_account, "  # noqa: S608
            "invoice_id, state) "
            "SELECT %s, s.seq, s.kid, s.amount, s.paid_on, s.payer_account, m.invoice_id, "
            "CASE WHEN m.invoice_id IS NULL THEN %s ELSE %s END "
            f"FROM {STAGED} s LEFT JOIN {MATCHED} m ON m.seq = s.seq",
            [ocr_file.pk, PaymentState.UNMATCHED, PaymentState.BOOKED],
        )
        cursor.execute(f"DROP TABLE {MATCHED}")
        cursor.execute(f"DROP TABLE {STAGED}")
    return int(matched), round_amount(Decimal(matched_sum or 0), "NOK"), offers


def _pay(cursor: CursorWrapper, registered_on: dt.date) -> int:
    """The matched invoices become paid (open -> paid in the invoice table), in one UPDATE."""
    rules.check_move(
        rules.INVOICE_TRANSITIONS, rules.InvoiceState.OPEN, rules.InvoiceState.PAID, "invoice"
    )
    table = Invoice._meta.db_table
    cursor.execute(
        f"UPDATE {table} SET state = %s, paid_on = m.paid_on, registered_on = %s, "  # noqa: S608
        f"action_on = NULL FROM {MATCHED} m WHERE m.invoice_id = {table}.id AND {table}.state = %s",
        [InvoiceState.PAID, connection.ops.adapt_datefield_value(registered_on), InvoiceState.OPEN],
    )
    return int(cursor.rowcount)


def _renew_paid_offers(offers: list[int], registered_on: dt.date) -> None:
    """A renewal offer paid after its period ran out starts a new period on the day the payment
    is registered (one paid in time renews in the daily run, at the period's end)."""
    if not offers:
        return
    paid = Invoice.objects.filter(
        pk__in=offers, agreement__state=AgreementState.EXPIRED
    ).select_related("agreement__product")
    for invoice in paid:
        agreement = invoice.agreement
        rules.check_move(
            rules.AGREEMENT_TRANSITIONS, agreement.state, rules.AgreementState.ACTIVE, "agreement"
        )
        start = max(invoice.period_start, registered_on)
        end = rules.term_end(start, agreement.product.period_months)
        Agreement.objects.filter(pk=agreement.pk, state=AgreementState.EXPIRED).update(
            state=AgreementState.ACTIVE,
            term_start=start,
            term_end=end,
            invoiced_until=end,
            entity=invoice.entity,
        )


def _book(ocr_file: OcrFile) -> int:
    unmatched = ocr_file.total - ocr_file.booked_total
    legs = [Leg(internal_account(chart.NETS_OCR_SETTLEMENT), ocr_file.total, ocr_file.name)]
    if ocr_file.booked_total:
        legs.append(Leg(internal_account(chart.PROTECTION_INCOME), -ocr_file.booked_total))
    if unmatched:
        legs.append(Leg(internal_account(chart.PROTECTION_SUSPENSE), -unmatched))
    entry = book(
        kind="ocr_giro",
        description=f"Nets OCR {ocr_file.transmission}",
        legs=legs,
        party=None,
        idempotency_key=f"ocr-{ocr_file.transmission}",
        request={"transmission": ocr_file.transmission, "total": str(ocr_file.total)},
    )
    return int(entry.pk)
