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
import hashlib
from dataclasses import dataclass
from decimal import Decimal

import netsgiro
from django.db import transaction
from django.db.models import Exists, Min, OuterRef, Subquery, Sum
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


@dataclass(frozen=True)
class _Line:
    seq: int
    kid: str
    amount: Decimal
    paid_on: dt.date
    payer_account: str


def read_ocr(text: str) -> tuple[str, dt.date, list[_Line]]:
    """The transmission number, the Nets date and the payments of an OCR giro file; every
    control record checked."""
    try:
        parsed: list[nets_records.Record] = nets_records.parse(text)
    except (ValueError, TypeError) as error:
        raise _refused(str(error)[:80]) from error
    if not parsed or not isinstance(parsed[0], nets_records.TransmissionStart):
        raise _refused(_("no transmission start"))
    if not isinstance(parsed[-1], nets_records.TransmissionEnd):
        raise _refused(_("no transmission end"))
    lines: list[_Line] = []
    assignment_count = assignment_sum = 0
    in_assignment = False
    pending: nets_records.TransactionAmountItem1 | None = None
    for record in parsed[1:-1]:
        if isinstance(record, nets_records.AssignmentStart):
            if in_assignment:
                raise _refused(_("an assignment without its end"))
            in_assignment, assignment_count, assignment_sum = True, 0, 0
        elif isinstance(record, nets_records.TransactionAmountItem1):
            if not in_assignment or record.service_code != netsgiro.ServiceCode.OCR_GIRO:
                raise _refused(_("a payment outside an OCR giro assignment"))
            pending = record
            assignment_count += 1
            assignment_sum += record.amount
        elif isinstance(record, nets_records.TransactionAmountItem2):
            if pending is None or pending.transaction_number != record.transaction_number:
                raise _refused(_("a payment's second record out of place"))
            lines.append(
                _Line(
                    seq=len(lines) + 1,
                    kid=(pending.kid or "").strip(),
                    amount=(Decimal(pending.amount) * ORE),
                    paid_on=record.bank_date or pending.nets_date,
                    payer_account=record.debit_account or "",
                )
            )
            pending = None
        elif isinstance(record, nets_records.AssignmentEnd):
            if (
                not in_assignment
                or record.num_transactions != assignment_count
                or (record.total_amount or 0) != assignment_sum
            ):
                raise _refused(_("an assignment's count or sum does not match its payments"))
            in_assignment = False
        elif isinstance(
            record, nets_records.TransactionAmountItem3 | nets_records.TransactionSpecification
        ):
            continue
        else:
            raise _refused(_("an unexpected record"))
    start, end = parsed[0], parsed[-1]
    total = sum((line.amount for line in lines), Decimal(0))
    if in_assignment or pending is not None:
        raise _refused(_("an assignment without its end"))
    if end.num_transactions != len(lines) or Decimal(end.total_amount) * ORE != total:
        raise _refused(_("the transmission's count or sum does not match its payments"))
    return start.transmission_number, end.nets_date, lines


def ocr_import(*, ctx: AuditContext, text: str, name: str) -> ImportResult:
    """Read one OCR giro file and book it once."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    earlier = OcrFile.objects.filter(sha256=digest).first()
    if earlier is not None:
        return ImportResult(earlier, False, 0, 0)
    transmission, nets_date, lines = read_ocr(text)
    total = round_amount(sum((line.amount for line in lines), Decimal(0)), "NOK")
    with transaction.atomic():
        earlier = OcrFile.objects.select_for_update().filter(transmission=transmission).first()
        if earlier is not None:
            return ImportResult(earlier, False, 0, 0)
        ocr_file = OcrFile.objects.create(
            transmission=transmission,
            sha256=digest,
            name=name[:200],
            nets_date=nets_date,
            received_at=clock.now(),
            payments=len(lines),
            total=total,
            booked_total=Decimal(0),
        )
        Payment.objects.bulk_create(
            [
                Payment(
                    file=ocr_file,
                    seq=line.seq,
                    kid=line.kid[:25],
                    amount=line.amount,
                    paid_on=line.paid_on,
                    payer_account=line.payer_account[:11],
                    state=PaymentState.UNMATCHED,
                )
                for line in lines
            ],
            batch_size=5000,
        )
        booked = _match(ocr_file, registered_on=clock.today())
        booked_total = _booked_total(ocr_file)
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
                "transmission": transmission,
                "payments": len(lines),
                "total": str(total),
                "booked": booked,
            },
        )
    return ImportResult(ocr_file, True, booked, len(lines) - booked)


def _booked_total(ocr_file: OcrFile) -> Decimal:
    value = Payment.objects.filter(file=ocr_file, state=PaymentState.BOOKED).aggregate(
        s=Sum("amount")
    )["s"]
    return round_amount(value or Decimal(0), "NOK")


def _match(ocr_file: OcrFile, *, registered_on: dt.date) -> int:
    """Pay each open invoice whose KID and amount a payment of the file carries (the file's
    first such payment); the rest stay unmatched. Set-based."""
    lines = Payment.objects.filter(file=ocr_file)
    first_of_kid = (
        lines.filter(kid=OuterRef("kid"))
        .order_by()
        .values("kid")
        .annotate(m=Min("seq"))
        .values("m")
    )
    open_invoice = Invoice.objects.filter(
        kid=OuterRef("kid"), amount=OuterRef("amount"), state=InvoiceState.OPEN
    )
    booked = (
        lines.filter(seq=Subquery(first_of_kid))
        .filter(Exists(open_invoice))
        .update(invoice=Subquery(open_invoice.values("pk")[:1]), state=PaymentState.BOOKED)
    )
    paying = Payment.objects.filter(invoice=OuterRef("pk"), file=ocr_file)
    Invoice.objects.filter(state=InvoiceState.OPEN).filter(Exists(paying)).update(
        state=InvoiceState.PAID,
        paid_on=Subquery(paying.values("paid_on")[:1]),
        registered_on=registered_on,
        action_on=None,
    )
    _renew_paid_offers(ocr_file, registered_on)
    return booked


def _renew_paid_offers(ocr_file: OcrFile, registered_on: dt.date) -> None:
    """A renewal offer paid after its period ran out starts a new period on the day the payment
    is registered (one paid in time renews in the daily run, at the period's end)."""
    paid = Invoice.objects.filter(
        kind=InvoiceKind.OFFER,
        state=InvoiceState.PAID,
        payments__file=ocr_file,
        agreement__state=AgreementState.EXPIRED,
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
