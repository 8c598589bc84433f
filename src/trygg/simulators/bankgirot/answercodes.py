"""The codes the simulator answers with, each one taken from ``autogiro.codes``."""

from __future__ import annotations

from typing import Final

from autogiro import codes

__all__ = [
    "AMENDMENT_CANCELLED",
    "AMENDMENT_MOVED",
    "AMENDMENT_NOT_FOUND",
    "AMENDMENT_RECURRING",
    "AMENDMENT_WRONG_NEW_DATE",
    "INFO_CHANGE_PAYER_NUMBER",
    "INFO_DELETED_BY_PAYEE",
    "INFO_DELETED_BY_PAYER_OR_BANK",
    "INFO_NEW",
    "MANDATE_BANK_DELETED",
    "MANDATE_CREATED",
    "MANDATE_DELETED",
    "MANDATE_EXISTS",
    "MANDATE_NOT_FOUND",
    "REJECT_ACCOUNT_CLOSED",
    "REJECT_NO_MANDATE",
    "REJECT_OVER_MAXIMUM",
    "REJECT_PASSED_DATE",
    "REJECT_WRONG_DATE",
]

# Mandate notices (TK73): information code, positions 62-63.
INFO_DELETED_BY_PAYEE: Final = "03"  # Makulering, initierad av betalningsmottagaren (TK03)
INFO_NEW: Final = "04"  # Nyupplägg, initierat av betalningsmottagaren (TK04)
INFO_CHANGE_PAYER_NUMBER: Final = "05"  # Byte av betalarnummer (TK05)
INFO_DELETED_BY_PAYER_OR_BANK: Final = "46"  # Makulering, initierad av betalaren eller banken

# Mandate notices (TK73): comment code, positions 64-65.
MANDATE_CREATED: Final = "32"  # Nytt medgivande
MANDATE_DELETED: Final = "33"  # Makulerat (the payee's TK03)
MANDATE_BANK_DELETED: Final = "02"  # Makulerat på initiativ av betalaren eller betalarens bank
MANDATE_NOT_FOUND: Final = "04"  # Medgivandet saknas i Bankgirots medgivanderegister
MANDATE_EXISTS: Final = "10"  # Medgivandet finns redan ...

# Rejected payment orders, positions 59-60.
REJECT_NO_MANDATE: Final = "01"  # Utgår, medgivande saknas
REJECT_ACCOUNT_CLOSED: Final = "02"  # Utgår, kontot är inte godkänt eller är avslutat
REJECT_WRONG_DATE: Final = "12"  # Felaktigt betalningsdatum
REJECT_PASSED_DATE: Final = "13"  # Passerat betalningsdatum
REJECT_OVER_MAXIMUM: Final = "24"  # Beloppet överstiger maxbeloppet

# Cancellation/amendment answers, positions 73-74.
AMENDMENT_WRONG_NEW_DATE: Final = "06"  # Felaktig ny betalningsdag
AMENDMENT_CANCELLED: Final = "12"  # Makulerad
AMENDMENT_NOT_FOUND: Final = "13"  # Betalningen saknas, inte åtgärdad
AMENDMENT_MOVED: Final = "14"  # Ändrad betalningsdag
AMENDMENT_RECURRING: Final = "15"  # Inte ändrad, självförnyande uppdrag

for _code, _table in (
    (INFO_DELETED_BY_PAYEE, codes.MANDATE_INFORMATION_CODES),
    (INFO_NEW, codes.MANDATE_INFORMATION_CODES),
    (INFO_CHANGE_PAYER_NUMBER, codes.MANDATE_INFORMATION_CODES),
    (INFO_DELETED_BY_PAYER_OR_BANK, codes.MANDATE_INFORMATION_CODES),
    (MANDATE_CREATED, codes.MANDATE_COMMENT_CODES),
    (MANDATE_DELETED, codes.MANDATE_COMMENT_CODES),
    (MANDATE_BANK_DELETED, codes.MANDATE_COMMENT_CODES),
    (MANDATE_NOT_FOUND, codes.MANDATE_COMMENT_CODES),
    (MANDATE_EXISTS, codes.MANDATE_COMMENT_CODES),
    (REJECT_NO_MANDATE, codes.REJECTION_COMMENT_CODES),
    (REJECT_ACCOUNT_CLOSED, codes.REJECTION_COMMENT_CODES),
    (REJECT_WRONG_DATE, codes.REJECTION_COMMENT_CODES),
    (REJECT_PASSED_DATE, codes.REJECTION_COMMENT_CODES),
    (REJECT_OVER_MAXIMUM, codes.REJECTION_COMMENT_CODES),
    (AMENDMENT_WRONG_NEW_DATE, codes.AMENDMENT_COMMENT_CODES),
    (AMENDMENT_CANCELLED, codes.AMENDMENT_COMMENT_CODES),
    (AMENDMENT_NOT_FOUND, codes.AMENDMENT_COMMENT_CODES),
    (AMENDMENT_MOVED, codes.AMENDMENT_COMMENT_CODES),
    (AMENDMENT_RECURRING, codes.AMENDMENT_COMMENT_CODES),
):
    if _code not in _table:  # pragma: no cover - the library's tables changed
        raise ImportError(f"code {_code} is no longer in autogiro.codes")
