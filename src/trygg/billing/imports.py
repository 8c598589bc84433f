"""Importing Bankgirot's files: ``trygg autogiro import FILE``.

- Payment specification: approved debits become paid, refused ones unpaid (status 1 lack of
  funds, 2 no mandate or closed account), status 9 "renewed balance check" marks them as being
  retried by Bankgirot; refunds (TK77) reverse a paid premium. The approved sum is booked in the
  ledger as one balanced transaction per file (Bankgirot's settlement account against premium
  income); each premium names that transaction.
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

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from trygg.autogiro import (
    AmendmentAnswer,
    AutogiroError,
    AutogiroValidationError,
    DebitPayment,
    MandateNotice,
    Record,
    Refund,
    RejectedDebit,
    ReportOpening,
    codes,
    iter_records,
    validate,
)
from trygg.banking.ledger import Leg, book, internal_account
from trygg.billing.mandates import mandate_notice_apply
from trygg.billing.models import BankgirotFile, Charge, ChargeState, Direction, Mandate
from trygg.kernel import clock
from trygg.kernel.audit import AuditContext, audit_record
from trygg.kernel.errors import FieldProblem, ValidationFailed
from trygg.kernel.models import AuditAction

SETTLEMENT = ("INT-AUTOGIRO", "Autogiro settlement (Bankgirot)")
PREMIUM_INCOME = ("INT-PREMIUMS", "Premium income")
BATCH = 5000
OPEN = [ChargeState.ORDERED, ChargeState.RETRYING]
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


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _refusal(path: Path) -> ValidationFailed:
    with path.open("rb") as stream:
        errors = list(validate(stream))[:50]
    problems = [
        FieldProblem(
            f"line {e.line}" + (f", column {e.column}" if e.column else "") + f", {e.field}",
            "autogiro.format",
            str(e),
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


class _Import:
    def __init__(self, ctx: AuditContext, file: BankgirotFile) -> None:
        self.ctx = ctx
        self.file = file
        self.counts: dict[str, int] = defaultdict(int)
        self.sums: dict[str, Decimal] = defaultdict(Decimal)
        self.unmatched: list[str] = []
        self.content = ""
        self.pending: list[DebitPayment] = []

    def run(self, records: Iterator[Record]) -> None:
        for record in records:
            if isinstance(record, ReportOpening):
                self.flush()
                self.content = record.content
                self.file.content = record.content
            elif isinstance(record, DebitPayment):
                self.pending.append(record)
                if len(self.pending) >= BATCH:
                    self.flush()
            elif isinstance(record, Refund):
                self.flush()
                self.refund(record)
            elif isinstance(record, MandateNotice):
                self.mandate_notice(record)
            elif isinstance(record, RejectedDebit):
                self.rejected(record)
            elif isinstance(record, AmendmentAnswer):
                self.counts["amendment_answers"] += 1
        self.flush()
        self.book()

    # -- payment specification ------------------------------------------------------------------

    def flush(self) -> None:
        if not self.pending:
            return
        batch, self.pending = self.pending, []
        charges = {
            c.reference: c
            for c in Charge.objects.filter(
                reference__in=[r.reference.strip() for r in batch], state__in=OPEN
            ).only("pk", "reference", "amount", "mandate_id", "state")
        }
        groups: dict[tuple[ChargeState, str, dt.date], list[int]] = defaultdict(list)
        for record in batch:
            charge = charges.get(record.reference.strip())
            if charge is None or charge.amount != record.amount:
                self.unmatched.append(record.reference.strip() or record.payer_number)
                continue
            state = STATUS_STATE.get(record.status, ChargeState.FAILED)
            groups[(state, record.status, record.payment_date)].append(charge.pk)
            self.counts[f"status_{record.status}"] += 1
            if state == ChargeState.PAID:
                self.sums["paid"] += record.amount
        for (state, status, day), ids in groups.items():
            fields: dict[str, Any] = {
                "state": state,
                "status_code": status,
                "status_text": codes.PAYMENT_STATUS_CODES.get(status, "")[:200],
            }
            if state in (ChargeState.PAID, ChargeState.FAILED):
                fields.update(settled_on=day, settled_by=self.file)
            Charge.objects.filter(pk__in=ids).update(**fields)
            mandates = Mandate.objects.filter(charges__pk__in=ids)
            if state == ChargeState.PAID:
                mandates.update(failures_in_row=0)
            elif state == ChargeState.FAILED:
                mandates.update(failures_in_row=F("failures_in_row") + 1)

    def refund(self, record: Refund) -> None:
        charge = (
            Charge.objects.select_for_update()
            .filter(reference=record.reference.strip(), state=ChargeState.PAID)
            .first()
        )
        if charge is None or charge.amount != record.amount:
            self.unmatched.append(record.reference.strip() or record.payer_number)
            return
        charge.state = ChargeState.REFUNDED
        charge.status_text = codes.REFUND_CODES.get(record.refund_code, "")[:200]
        charge.save(update_fields=["state", "status_text"])
        self.counts["refunds"] += 1
        self.sums["refunded"] += record.amount

    def book(self) -> None:
        paid, refunded = self.sums["paid"], self.sums["refunded"]
        settlement = internal_account(*SETTLEMENT)
        income = internal_account(*PREMIUM_INCOME)
        if paid:
            entry = book(
                kind="premium_autogiro",
                description=f"Autogiro {self.file.name}"[:200],
                legs=[Leg(settlement, paid, "Bankgirot"), Leg(income, -paid, "Premiums")],
                party=None,
            )
            Charge.objects.filter(settled_by=self.file, state=ChargeState.PAID).update(ledger=entry)
        if refunded:
            book(
                kind="premium_refund",
                description=f"Autogiro refunds {self.file.name}"[:200],
                legs=[
                    Leg(income, refunded, "Refunded premiums"),
                    Leg(settlement, -refunded, "Bankgirot"),
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
        updated = Charge.objects.filter(reference=record.reference.strip(), state__in=OPEN).update(
            state=ChargeState.FAILED,
            status_code=record.comment_code,
            status_text=f"{record.comment_code} {reason}"[:200],
            settled_by=self.file,
        )
        if updated:
            self.counts["rejected"] += 1
        else:
            self.unmatched.append(record.reference.strip() or record.payer_number)


def autogiro_import(
    *, ctx: AuditContext, path: Path, by_user_id: int | None = None
) -> ImportResult:
    """Import one file from Bankgirot (see the module docstring)."""
    path = Path(path)
    digest = _sha256(path)
    earlier = BankgirotFile.objects.filter(sha256=digest).first()
    if earlier is not None:
        return ImportResult(earlier, already=True)
    try:
        with transaction.atomic():
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

            def counted(stream: Any) -> Iterator[Record]:
                nonlocal count
                for record in iter_records(stream):
                    count += 1
                    yield record

            with path.open("rb") as stream:
                work.run(counted(stream))
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
