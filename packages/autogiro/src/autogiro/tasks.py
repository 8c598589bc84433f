"""Files to Bankgirot built task by task: the records, and the opening, done for the caller.

:class:`RequestFile` turns what a payee does (create or delete a mandate, add a single or
repeating payment, cancel or move payments) into the exact records of the layout, with the
payee's bankgiro number in every record and the opening record first. Each task is checked
when it is added, with the reader's rules (and check digits unless ``check_digits=False``):
a wrong task raises :class:`~autogiro.errors.AutogiroValidationError` naming the line it would
have had, its field and rule, and is not added. Files to Bankgirot have no closing record.

::

    from datetime import date
    from decimal import Decimal
    from autogiro import BankAccount, RequestFile

    file = RequestFile(customer_number="471117", bankgiro="9912346", file_date=date(2026, 1, 20))
    file.create_mandate("101", account=BankAccount("3300", "8112289874"), identity="198112289874")
    file.add_payment("101", Decimal("572.00"), date(2026, 2, 2), period=4, reference="PREMIE")
    file.write("to_bgc.txt")
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Final

from .accountnumbers import ExtraBank
from .errors import AutogiroError, AutogiroValidationError
from .fields import BankAccount, PaymentDate
from .records import (
    CancelPayerPayments,
    CancelPayerPaymentsOnDate,
    CancelPayment,
    CreditOrder,
    DebitOrder,
    MandateDeletion,
    MoveAllPayments,
    MovePayerPaymentsOnDate,
    MovePayment,
    MovePaymentsOnDate,
    NewMandate,
    Opening,
    PayerNumberChange,
    Record,
    RejectMandate,
)
from .writer import check_records, write_bytes, write_file

__all__ = ["RequestFile"]

_TYPES: Final = {False: DebitOrder.TK, True: CreditOrder.TK}  # payment types 82 and 32


class RequestFile:
    """A file to Bankgirot for one payee (BGC customer number and bankgiro number)."""

    def __init__(
        self,
        *,
        customer_number: str,
        bankgiro: str,
        file_date: date,
        check_digits: bool = True,
        extra_banks: Sequence[ExtraBank] = (),
    ) -> None:
        self.opening = Opening(
            file_date=file_date, customer_number=customer_number, bankgiro=bankgiro
        )
        self.check_digits = check_digits
        self.extra_banks = tuple(extra_banks)
        errors = check_records([self.opening], check_digits=check_digits)
        if errors:
            raise AutogiroValidationError(errors)
        self._records: list[Record] = [self.opening]

    @property
    def bankgiro(self) -> str:
        return self.opening.bankgiro

    @property
    def records(self) -> list[Record]:
        """The records of the file, the opening record first."""
        return list(self._records)

    def _add(self, record: Record) -> Record:
        errors = check_records(
            [self.opening, record], check_digits=self.check_digits, extra_banks=self.extra_banks
        )
        if errors:
            line = len(self._records) + 1
            raise AutogiroValidationError(
                error.located(line) if error.line == 2 else error for error in errors
            )
        self._records.append(record)
        return record

    # -- mandates ---------------------------------------------------------

    def create_mandate(self, payer_number: str, *, account: BankAccount, identity: str) -> Record:
        """Register a mandate: the payer's account and personal or organisation number
        (``YYYYMMDDNNNC``, or ``00`` and the organisation number)."""
        return self._add(
            NewMandate(
                bankgiro=self.bankgiro,
                payer_number=payer_number,
                account=account,
                identity=identity,
            )
        )

    def approve_internet_mandate(self, payer_number: str) -> Record:
        """Approve a mandate the payer created in the Internet bank."""
        return self._add(NewMandate(bankgiro=self.bankgiro, payer_number=payer_number))

    def reject_internet_mandate(self, payer_number: str) -> Record:
        """Reject a mandate the payer created in the Internet bank."""
        return self._add(RejectMandate(bankgiro=self.bankgiro, payer_number=payer_number))

    def delete_mandate(self, payer_number: str) -> Record:
        """Delete a mandate (Bankgirot then cancels the payer's payments)."""
        return self._add(MandateDeletion(bankgiro=self.bankgiro, payer_number=payer_number))

    def change_payer_number(
        self, payer_number: str, new_payer_number: str, *, new_bankgiro: str | None = None
    ) -> Record:
        """Give a mandate a new payer number (and, if given, move it to another bankgiro)."""
        return self._add(
            PayerNumberChange(
                bankgiro=self.bankgiro,
                payer_number=payer_number,
                new_bankgiro=new_bankgiro or self.bankgiro,
                new_payer_number=new_payer_number,
            )
        )

    # -- payments ---------------------------------------------------------

    def add_payment(
        self,
        payer_number: str,
        amount: Decimal,
        payment_date: PaymentDate,
        *,
        credit: bool = False,
        period: int = 0,
        repeats: int | None = None,
        reference: str = "",
    ) -> Record:
        """A debit (or, with ``credit=True``, a credit) of ``amount`` kronor.

        ``period`` 0 is a single payment (``payment_date`` may be ``GENAST``); 1-8 repeat it
        (see :data:`autogiro.codes.PERIOD_CODES`), ``repeats`` times or, with ``None``, until
        further notice.
        """
        order = CreditOrder if credit else DebitOrder
        return self._add(
            order(
                bankgiro=self.bankgiro,
                payer_number=payer_number,
                amount=amount,
                payment_date=payment_date,
                period=period,
                repeats=repeats,
                reference=reference,
            )
        )

    def cancel_payment(
        self,
        payer_number: str,
        amount: Decimal,
        payment_date: date,
        *,
        credit: bool = False,
        reference: str = "",
    ) -> Record:
        """Cancel one payment, named by payer, date, amount, kind and reference."""
        return self._add(
            CancelPayment(
                bankgiro=self.bankgiro,
                payer_number=payer_number,
                payment_date=payment_date,
                amount=amount,
                payment_type=_TYPES[credit],
                reference=reference,
            )
        )

    def cancel_payer_payments(
        self, payer_number: str, *, payment_date: date | None = None
    ) -> Record:
        """Cancel every payment of a payer, or only those of ``payment_date``."""
        if payment_date is None:
            return self._add(CancelPayerPayments(bankgiro=self.bankgiro, payer_number=payer_number))
        return self._add(
            CancelPayerPaymentsOnDate(
                bankgiro=self.bankgiro, payer_number=payer_number, payment_date=payment_date
            )
        )

    def move_payment(
        self,
        payer_number: str,
        amount: Decimal,
        payment_date: date,
        new_date: date,
        *,
        credit: bool = False,
        reference: str = "",
    ) -> Record:
        """Move one payment to ``new_date``."""
        return self._add(
            MovePayment(
                bankgiro=self.bankgiro,
                payer_number=payer_number,
                payment_date=payment_date,
                amount=amount,
                payment_type=_TYPES[credit],
                new_date=new_date,
                reference=reference,
            )
        )

    def move_payments(
        self,
        new_date: date,
        *,
        payment_date: date | None = None,
        payer_number: str | None = None,
    ) -> Record:
        """Move payments to ``new_date``: all of them, those of ``payment_date``, or a
        payer's of ``payment_date`` (a payer's need the date: Bankgirot has no record
        moving all of one payer's payments)."""
        if payer_number is not None:
            if payment_date is None:
                raise AutogiroValidationError(
                    [
                        AutogiroError(
                            "is needed to move a payer's payments (TK28)",
                            line=len(self._records) + 1,
                            field="payment_date",
                        )
                    ]
                )
            return self._add(
                MovePayerPaymentsOnDate(
                    bankgiro=self.bankgiro,
                    payer_number=payer_number,
                    payment_date=payment_date,
                    new_date=new_date,
                )
            )
        if payment_date is not None:
            return self._add(
                MovePaymentsOnDate(
                    bankgiro=self.bankgiro, payment_date=payment_date, new_date=new_date
                )
            )
        return self._add(MoveAllPayments(bankgiro=self.bankgiro, new_date=new_date))

    # -- output -----------------------------------------------------------

    def to_bytes(self) -> bytes:
        """The file as bytes (ISO-8859-1, CR LF)."""
        return write_bytes(
            self._records, check_digits=self.check_digits, extra_banks=self.extra_banks
        )

    def write(self, path: str | os.PathLike[str]) -> int:
        """Write the file to ``path``; returns the number of records."""
        return write_file(
            path, self._records, check_digits=self.check_digits, extra_banks=self.extra_banks
        )
