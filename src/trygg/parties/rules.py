"""Pure rules of parties."""

from __future__ import annotations

from stdnum import luhn


def customer_number_from_serial(serial: int) -> str:
    """A customer number: the serial followed by a Luhn check digit (typing errors show)."""
    if serial <= 0:
        raise ValueError("A customer number serial is positive.")
    body = str(serial)
    return body + luhn.calc_check_digit(body)


def is_valid_customer_number(text: str) -> bool:
    return text.isdigit() and len(text) >= 2 and luhn.is_valid(text)
