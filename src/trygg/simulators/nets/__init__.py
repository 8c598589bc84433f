"""The payment partner (Nets) as the outside world: it writes the OCR giro files that tell the
payee which payments arrived by KID, in Nets' own format, with ``netsgiro``.

``ocr_file`` writes one transmission of one OCR giro assignment; ``write_ocr_file`` puts it in
a folder the way the partner's file transfer would. The payment date of each payment is when
the payer paid; the Nets date (the file's date) is when it reaches the payee, 2-4 bank days
later."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import netsgiro
from netsgiro import objects

DATA_TRANSMITTER = "00008080"  # Nets
PAYEE_CUSTOMER_ID = "55555555"
PAYEE_ACCOUNT = "86011117947"


@dataclass(frozen=True)
class OcrPayment:
    kid: str
    amount: Decimal
    paid_on: dt.date
    payer_account: str = "12345678903"


def ocr_file(
    payments: Sequence[OcrPayment],
    *,
    transmission: int,
    nets_date: dt.date,
    account: str = PAYEE_ACCOUNT,
) -> str:
    """One OCR giro transmission with one assignment holding ``payments``."""
    sending = objects.Transmission(
        number=f"{transmission:07d}",
        data_transmitter=DATA_TRANSMITTER,
        data_recipient=PAYEE_CUSTOMER_ID,
        date=nets_date,
    )
    assignment = objects.Assignment(
        service_code=netsgiro.ServiceCode.OCR_GIRO,
        type=0,
        number=f"{transmission:07d}",
        account=account,
        date=nets_date,
    )
    for number, payment in enumerate(payments, start=1):
        assignment.transactions.append(
            objects.Transaction(
                service_code=netsgiro.ServiceCode.OCR_GIRO,
                type=netsgiro.TransactionType.FROM_GIRO_DEBITED_ACCOUNT,
                number=number,
                date=nets_date,
                amount=payment.amount,
                kid=payment.kid.rjust(25),
                reference="000000000",
                text=None,
                centre_id="01",
                day_code=nets_date.day,
                partial_settlement_number=1,
                partial_settlement_serial_number="00001",
                sign="0",
                form_number="0000000000",
                bank_date=payment.paid_on,
                debit_account=payment.payer_account,
                filler=None,
            )
        )
    sending.assignments.append(assignment)
    return str(sending.to_ocr()) + "\n"


def write_ocr_file(
    folder: Path, payments: Sequence[OcrPayment], *, transmission: int, nets_date: dt.date
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"OCR.{nets_date:%Y%m%d}.{transmission:07d}.txt"
    path.write_text(ocr_file(payments, transmission=transmission, nets_date=nets_date))
    return path
