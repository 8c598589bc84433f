"""OCR payment references (Bankgirot's OCR check): digits with a Luhn check digit, optionally
preceded by a length digit, so that a payer's mistyped or truncated reference is refused at the
bank instead of being booked to the wrong invoice.

Pure rules, no Django. The length digit is the total length of the reference (including the
length digit and the check digit) modulo 10; the check digit is Luhn's over everything before
it. Bankgirot allows 2 to 25 digits.
"""

from __future__ import annotations

from stdnum import luhn

MIN_LENGTH = 2
MAX_LENGTH = 25


class OcrError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def ocr_reference(base: str, *, with_length: bool = True) -> str:
    """The OCR reference for ``base`` (digits: e.g. policy number and period)."""
    if not base.isascii() or not base.isdigit():
        raise OcrError("ocr.digits_only", "An OCR reference is built from digits only.")
    extra = 2 if with_length else 1
    total = len(base) + extra
    if not MIN_LENGTH <= total <= MAX_LENGTH:
        raise OcrError(
            "ocr.length", f"An OCR reference has {MIN_LENGTH} to {MAX_LENGTH} digits in all."
        )
    body = base + (str(total % 10) if with_length else "")
    return body + luhn.calc_check_digit(body)


def ocr_valid(reference: str, *, with_length: bool = True) -> bool:
    """True if ``reference`` has a right check digit (and length digit, when used)."""
    text = reference.replace(" ", "")
    if not text.isascii() or not text.isdigit() or not MIN_LENGTH <= len(text) <= MAX_LENGTH:
        return False
    if not luhn.is_valid(text):
        return False
    return not with_length or int(text[-2]) == len(text) % 10
