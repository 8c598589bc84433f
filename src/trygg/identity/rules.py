"""Pure rules of customer authentication: what a PIN may be, how many attempts, messages' codes.

No Django here; tested exhaustively.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Final

PIN_MIN_LENGTH: Final = 4
PIN_MAX_LENGTH: Final = 6
MAX_CONSECUTIVE_FAILURES: Final = 5

# PINs that studies of chosen PINs find among the most common, beyond the structural rules below.
COMMON_PINS: Final = frozenset(
    {
        "1004",
        "2000",
        "6969",
        "1122",
        "1313",
        "2001",
        "1010",
        "2580",
        "0852",
        "1470",
        "0007",
        "1007",
        "4200",
        "1969",
        "2468",
        "1357",
        "1998",
        "2020",
        "147258",
        "258369",
        "159753",
        "123321",
        "112233",
        "102030",
        "111222",
        "131313",
        "696969",
        "753951",
        "147852",
        "000007",
    }
)


@dataclass(frozen=True)
class PinProblem:
    code: str
    message: str  # English; translated where shown


def _is_run(digits: str, step: int) -> bool:
    return all(int(b) - int(a) == step for a, b in itertools.pairwise(digits))


def _repeats_with_period(digits: str, period: int) -> bool:
    return (
        len(digits) > period
        and len(digits) % period == 0
        and digits == digits[:period] * (len(digits) // period)
    )


def _date_forms(birth_date: dt.date) -> set[str]:
    y, m, d = f"{birth_date.year:04d}", f"{birth_date.month:02d}", f"{birth_date.day:02d}"
    return {y, m + d, d + m, y[2:] + m + d, d + m + y[2:], y[2:] + m, m + y[2:]}


def pin_problems(
    pin: str, *, birth_date: dt.date | None = None, id_number: str | None = None
) -> list[PinProblem]:
    """Why ``pin`` may not be chosen; empty when it may.

    A PIN is 4 to 6 digits (the customer's choice) and must not be trivial: one repeated digit,
    a run up or down (1234, 9876), a repeated pattern (1212, 123123), a well-known common PIN,
    the customer's birth date in a usual form, or the last digits of the identity number.
    """
    if not isinstance(pin, str) or (pin and not (pin.isascii() and pin.isdigit())):
        return [PinProblem("pin.digits_only", "A PIN consists of digits only.")]
    if not PIN_MIN_LENGTH <= len(pin) <= PIN_MAX_LENGTH:
        return [PinProblem("pin.length", "A PIN has 4, 5 or 6 digits.")]
    problems: list[PinProblem] = []
    if len(set(pin)) == 1:
        problems.append(PinProblem("pin.repeated_digit", "A PIN must not repeat one digit."))
    elif _is_run(pin, 1) or _is_run(pin, -1):
        problems.append(
            PinProblem("pin.sequence", "A PIN must not be a run of digits such as 1234.")
        )
    elif any(_repeats_with_period(pin, p) for p in (2, 3)):
        problems.append(PinProblem("pin.pattern", "A PIN must not repeat a pattern such as 1212."))
    elif pin in COMMON_PINS:
        problems.append(
            PinProblem("pin.common", "This PIN is among the most common; choose another.")
        )
    if birth_date is not None and pin in _date_forms(birth_date):
        problems.append(PinProblem("pin.birth_date", "A PIN must not be your birth date or year."))
    if id_number and id_number.endswith(pin):
        problems.append(
            PinProblem("pin.id_number", "A PIN must not be the end of your identity number.")
        )
    return problems


def attempts_left(consecutive_failures: int) -> int:
    return max(0, MAX_CONSECUTIVE_FAILURES - consecutive_failures)


def is_locked(consecutive_failures: int) -> bool:
    return consecutive_failures >= MAX_CONSECUTIVE_FAILURES


def must_warn(consecutive_failures: int) -> bool:
    """True when exactly one attempt remains: the customer is warned before the last one."""
    return attempts_left(consecutive_failures) == 1


# The security token's life: ordered, then sent by registered post or made ready for collection
# at an office; active once the customer has it (handed over against ID, or activated with a
# code after a posted delivery); lost or revoked for good.
TOKEN_TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    "ordered": frozenset({"sent", "at_office", "revoked"}),
    "sent": frozenset({"active", "lost", "revoked"}),
    "at_office": frozenset({"active", "revoked"}),
    "active": frozenset({"lost", "revoked"}),
    "lost": frozenset(),
    "revoked": frozenset(),
}


def token_may_move(current: str, target: str) -> bool:
    return target in TOKEN_TRANSITIONS.get(current, frozenset())


# Staff log-in: a failure counter per user name and one per address. Each failure in a row
# makes the next attempt wait (1, 2, 4, 8 seconds); the fifth locks log-in for 15 minutes,
# each further one for twice as long, at most a day. Attempts while waiting are refused
# unchecked. A success clears the user name's counter.
STAFF_BACKOFF_BASE_SECONDS: Final = 1
STAFF_LOCK_BASE_SECONDS: Final = 15 * 60
STAFF_LOCK_MAX_SECONDS: Final = 24 * 60 * 60


def staff_wait_seconds(consecutive_failures: int) -> int:
    """How long after a failure (the ``consecutive_failures``-th in a row) the next attempt
    has to wait."""
    if consecutive_failures <= 0:
        return 0
    if consecutive_failures < MAX_CONSECUTIVE_FAILURES:
        wait: int = STAFF_BACKOFF_BASE_SECONDS << (consecutive_failures - 1)
        return wait
    extra = consecutive_failures - MAX_CONSECUTIVE_FAILURES
    lock: int = STAFF_LOCK_BASE_SECONDS << min(extra, 16)
    return min(lock, STAFF_LOCK_MAX_SECONDS)


# Passwords of the protection service's Mine sider (seed 004: "hver person logge inn med sitt
# eget personnummer og passord"). Length is what makes a password strong (NIST SP 800-63B);
# no composition rules. Common and breached passwords are refused by the service against
# Django's list of 20,000; here only what needs no list.
PASSWORD_MIN_LENGTH: Final = 10
PASSWORD_MAX_LENGTH: Final = 128
SETUP_CODE_LENGTH: Final = 12
SETUP_CODE_ALPHABET: Final = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
SETUP_CODE_VALID_DAYS: Final = 30


@dataclass(frozen=True)
class PasswordProblem:
    code: str
    message: str  # English; translated where shown


def password_problems(
    password: str, *, birth_date: dt.date | None = None, id_number: str | None = None
) -> list[PasswordProblem]:
    """Why ``password`` may not be chosen; empty when it may. 10 to 128 characters, not one
    character repeated, not holding the identity number or the birth date."""
    if not isinstance(password, str) or len(password) < PASSWORD_MIN_LENGTH:
        return [PasswordProblem("password.too_short", "A password has at least 10 characters.")]
    if len(password) > PASSWORD_MAX_LENGTH:
        return [PasswordProblem("password.too_long", "A password has at most 128 characters.")]
    problems: list[PasswordProblem] = []
    if len(set(password)) == 1:
        problems.append(
            PasswordProblem("password.repeated", "A password must not repeat one character.")
        )
    digits = "".join(c for c in password if c.isdigit())
    if id_number and (id_number in digits or id_number[-10:] in digits):
        problems.append(
            PasswordProblem(
                "password.id_number", "A password must not contain your identity number."
            )
        )
    elif birth_date is not None and any(
        len(form) >= 6 and form in digits for form in _date_forms(birth_date)
    ):
        problems.append(
            PasswordProblem("password.birth_date", "A password must not contain your birth date.")
        )
    return problems


def normalise_setup_code(text: str) -> str:
    """A set-up code as typed: spaces and hyphens dropped, upper case."""
    return "".join(c for c in text.upper() if c not in " -")


def setup_code_well_formed(code: str) -> bool:
    return len(code) == SETUP_CODE_LENGTH and all(c in SETUP_CODE_ALPHABET for c in code)
