"""Swedish and Norwegian identity numbers: parse, validate, normalise, display, generate.

Pure Python (no Django). Every number that enters the system goes through :func:`parse` (or one
of the specific parsers) and is stored in exactly one normalised form, ``IdNumber.value``:

====================  ==================  ========================================
kind                  value               display()
====================  ==================  ========================================
SE_PERSONAL           ``198112189876``    ``19811218-9876``
SE_COORDINATION       ``197010632391``    ``19701063-2391`` (day + 60)
SE_ORGANISATION       ``5560360793``      ``556036-0793``
NO_PERSONAL           ``15108695088``     ``15108695088``
NO_D_NUMBER           ``41018036736``     ``41018036736`` (day + 40)
NO_ORGANISATION       ``988077917``       ``988077917``
====================  ==================  ========================================

Every failure is an :class:`IdNumberError` (a ``ValueError``) with a stable ``code`` and an
English ``message`` that names the broken rule; exceptions from python-stdnum never escape.

What comes from python-stdnum and what is written here:

* Luhn (Swedish numbers) is ``stdnum.luhn``; the Swedish organisation number check is
  ``stdnum.se.orgnr``; the Norwegian organisation number is ``stdnum.no.orgnr``; the Norwegian
  check digits and the birth century (from the individual number) are
  ``stdnum.no.fodselsnummer``.
* ``stdnum.se.personnummer`` is deliberately not used: it reads the system date (no ``today``
  can be injected), rejects samordningsnummer (day + 60), accepts birth dates in the future,
  and places a ``+`` number one century before the most recent one, ignoring the month and day.
  The date and century rules for Swedish personal numbers are therefore written out here.
* ``stdnum.se.orgnr`` checks length and Luhn only; the "third digit >= 2" rule that separates an
  organisation number from a personal number is added here.
* ``stdnum.no.fodselsnummer`` accepts H-numbers (month + 40) and compares the birth date with
  the system date; here H-numbers (and synthetic test numbers, month + 80) are refused as
  ``id_number.format``, and the future check uses the ``today`` argument.
"""

from __future__ import annotations

import datetime
import enum
import re
from dataclasses import dataclass
from typing import Final

from stdnum import luhn
from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.no import fodselsnummer as no_fodselsnummer
from stdnum.no import orgnr as no_orgnr
from stdnum.se import orgnr as se_orgnr
from stdnum.util import clean as stdnum_clean

from trygg.kernel import clock

__all__ = [
    "CODE_CHECKSUM",
    "CODE_DATE",
    "CODE_FORMAT",
    "CODE_KIND",
    "IdNumber",
    "IdNumberError",
    "IdNumberKind",
    "age_on",
    "generate_norwegian_personal",
    "generate_swedish_personal",
    "parse",
    "parse_norwegian_personal",
    "parse_organisation",
    "parse_swedish_personal",
]

CODE_FORMAT: Final = "id_number.format"
CODE_CHECKSUM: Final = "id_number.checksum"
CODE_DATE: Final = "id_number.date"
CODE_KIND: Final = "id_number.kind"

MAX_INPUT_LENGTH: Final = 20
# Personnummer were introduced in 1947; nobody holding one was born before 1800. The floor also
# keeps the 12-digit "16"-prefixed organisation form from being read as a birth year 16xx.
_SE_EARLIEST_BIRTH_YEAR: Final = 1800
_SE_COORDINATION_OFFSET: Final = 60
_NO_D_NUMBER_OFFSET: Final = 40
_SE_ORG_PREFIX: Final = "16"

# ASCII digits only: str.isdigit() would also accept e.g. Arabic-Indic digits.
_SE_PERSON_RE: Final = re.compile(r"(?P<date>[0-9]{6}|[0-9]{8})(?P<sep>[-+]?)(?P<serial>[0-9]{4})")
_SE_ORG_RE: Final = re.compile(r"(?P<prefix>16)?(?P<head>[0-9]{6})-?(?P<tail>[0-9]{4})")
_NO_PERSON_RE: Final = re.compile(r"[0-9]{11}")
_NO_ORG_RE: Final = re.compile(r"[0-9]{9}")

# Norwegian birth century by individual number (the three digits after the date), as far as
# generation goes: (first year, last year, lowest individual number, highest individual number).
_NO_GENERATION_RANGES: Final = (
    (1854, 1899, 500, 749),
    (1900, 1999, 0, 499),
    (2000, 2039, 500, 999),
)


class IdNumberKind(enum.StrEnum):
    SE_PERSONAL = "se_personal"
    SE_COORDINATION = "se_coordination"
    SE_ORGANISATION = "se_organisation"
    NO_PERSONAL = "no_personal"
    NO_D_NUMBER = "no_d_number"
    NO_ORGANISATION = "no_organisation"


_PERSON_KINDS: Final = frozenset(
    {
        IdNumberKind.SE_PERSONAL,
        IdNumberKind.SE_COORDINATION,
        IdNumberKind.NO_PERSONAL,
        IdNumberKind.NO_D_NUMBER,
    }
)


class IdNumberError(ValueError):
    """An identity number that breaks a rule.

    ``code`` is one of ``id_number.format``, ``id_number.checksum``, ``id_number.date`` and
    ``id_number.kind`` (stable across releases); ``message`` is an English sentence naming the
    rule.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"IdNumberError({self.code!r}, {self.message!r})"

    def __reduce__(self) -> tuple[type[IdNumberError], tuple[str, str]]:
        return (type(self), (self.code, self.message))


@dataclass(frozen=True)
class IdNumber:
    """A validated identity number in its one normalised form (see the module docstring)."""

    kind: IdNumberKind
    country: str
    value: str
    birth_date: datetime.date | None = None

    @property
    def is_person(self) -> bool:
        return self.kind in _PERSON_KINDS

    def display(self) -> str:
        """The form shown to people.

        Swedish persons ``YYYYMMDD-NNNN``, Swedish organisations ``NNNNNN-NNNN``, Norwegian
        numbers as their 11 or 9 digits. :func:`parse` reads every display form back.
        """
        if self.kind in (IdNumberKind.SE_PERSONAL, IdNumberKind.SE_COORDINATION):
            return f"{self.value[:8]}-{self.value[8:]}"
        if self.kind is IdNumberKind.SE_ORGANISATION:
            return f"{self.value[:6]}-{self.value[6:]}"
        return self.value


# --------------------------------------------------------------------------------------------
# Public parsers
# --------------------------------------------------------------------------------------------


def parse(
    text: str,
    *,
    country: str | None = None,
    today: datetime.date | None = None,
    person_only: bool = False,
) -> IdNumber:
    """Parse any supported identity number, guessing the kind from its shape.

    Without ``country``:

    * 12 digits, or 10 digits written ``YYMMDD-NNNN`` / ``YYMMDD+NNNN`` / ``YYMMDDNNNN``:
      Swedish. A 10-digit number whose third digit is 2 or more (a month that cannot exist) is
      a Swedish organisation number, also when written with a hyphen (``556036-0793`` is how
      organisation numbers are usually written); otherwise it is a personal number. A
      ``16``-prefixed 12-digit number is the long form of an organisation number.
    * 11 digits (spaces, hyphens allowed): a Norwegian fødselsnummer or D-number.
    * 9 digits (spaces allowed): a Norwegian organisation number.

    ``country`` (``"SE"`` or ``"NO"``, any case) restricts the guess to that country.
    ``person_only=True`` refuses organisation numbers with ``id_number.kind``; a Swedish sole
    trader's personnummer is a person and passes.
    """
    cleaned = _clean(text)
    wanted = _normalise_country(country)

    result: IdNumber | None = None
    if wanted in (None, "SE"):
        result = _parse_swedish_by_shape(cleaned, today=today)
    if result is None and wanted in (None, "NO"):
        result = _parse_norwegian_by_shape(cleaned, today=today)
    if result is None:
        if wanted == "SE":
            message = "A Swedish identity number has 10 or 12 digits."
        elif wanted == "NO":
            message = "A Norwegian identity number has 9 or 11 digits."
        else:
            message = "An identity number has 9, 10, 11 or 12 digits."
        raise IdNumberError(CODE_FORMAT, message)

    if person_only and not result.is_person:
        raise IdNumberError(
            CODE_KIND,
            f"{result.display()} is an organisation number; a personal identity number is "
            "required.",
        )
    return result


def parse_swedish_personal(text: str, *, today: datetime.date | None = None) -> IdNumber:
    """Parse a Swedish personnummer or samordningsnummer.

    Accepted forms: ``YYMMDD-NNNN``, ``YYMMDD+NNNN``, ``YYMMDDNNNN``, ``YYYYMMDD-NNNN`` and
    ``YYYYMMDDNNNN`` (whitespace around is ignored).

    Century of the 10-digit form: with ``-`` or no separator, the most recent year that does not
    put the birth date after ``today``. With ``+`` the person is 100 or older: the most recent
    year such that the person turns 100 in ``today``'s calendar year or earlier. This is the
    legal rule (Folkbokföringslagen 18 §: the ``+`` is used from the calendar year in which the
    person turns 100), so someone born 1926-12-15 is written ``261215+NNNN`` throughout 2026
    (and ``261215-NNNN``, read with the rule above, gives the same person).
    With 12 digits the separator is ignored, except that ``+`` on a person who does not turn 100
    until a later year is a format error.

    Samordningsnummer (day 61-91) get kind ``SE_COORDINATION`` and the real birth date
    (day - 60). The birth date must exist and must not be after ``today``; the check digit is
    Luhn over the 10-digit form. The century digits of the 12-digit form are not covered by the
    check digit. Result: ``value`` has 12 digits and no separator.
    """
    cleaned = _clean(text)
    match = _SE_PERSON_RE.fullmatch(cleaned)
    if match is None:
        raise IdNumberError(
            CODE_FORMAT,
            "A personal identity number has 10 or 12 digits (YYMMDD-NNNN or YYYYMMDD-NNNN).",
        )
    date_part, separator, serial = match.group("date", "sep", "serial")
    ten = date_part[-6:] + serial

    org_shaped = len(date_part) == 6 or date_part.startswith(_SE_ORG_PREFIX)
    if org_shaped and separator != "+" and _is_swedish_org_number(ten):
        raise IdNumberError(
            CODE_KIND,
            f"{ten[:6]}-{ten[6:]} is an organisation number, not a personal identity number.",
        )

    month = int(ten[2:4])
    day_field = int(ten[4:6])
    coordination = day_field > _SE_COORDINATION_OFFSET
    day = day_field - _SE_COORDINATION_OFFSET if coordination else day_field
    reference = today if today is not None else clock.today()

    if len(date_part) == 8:
        year = int(date_part[:4])
        if separator == "+" and reference.year - year < 100:
            raise IdNumberError(
                CODE_FORMAT,
                "The '+' separator is only used for people who are 100 or older.",
            )
    else:
        year = _swedish_century(int(ten[:2]), month, day, plus=separator == "+", today=reference)

    written_date = f"{year:04d}{month:02d}{day_field:02d}"
    try:
        birth_date = datetime.date(year, month, day)
    except ValueError:
        rule = " (a coordination number adds 60 to the day)" if coordination else ""
        raise IdNumberError(CODE_DATE, f"{written_date} is not a real date{rule}.") from None
    if year < _SE_EARLIEST_BIRTH_YEAR:
        raise IdNumberError(
            CODE_DATE,
            f"{written_date} is not a plausible birth date (before {_SE_EARLIEST_BIRTH_YEAR}).",
        )
    if birth_date > reference:
        raise IdNumberError(CODE_DATE, f"The birth date {birth_date.isoformat()} is in the future.")

    _check_luhn(ten)
    return IdNumber(
        kind=IdNumberKind.SE_COORDINATION if coordination else IdNumberKind.SE_PERSONAL,
        country="SE",
        value=written_date + serial,
        birth_date=birth_date,
    )


def parse_norwegian_personal(text: str, *, today: datetime.date | None = None) -> IdNumber:
    """Parse a Norwegian fødselsnummer or D-number (11 digits; spaces and hyphens allowed).

    Both mod-11 check digits must match; the date is DDMMYY with the century taken from the
    individual number (digits 7-9) as python-stdnum knows it. A D-number has 4 added to the
    first digit (day 41-71) and gets kind ``NO_D_NUMBER``. H-numbers (month + 40), synthetic
    test numbers (month + 80) and FH-numbers (first digit 8 or 9) are refused with
    ``id_number.format``: they are not national identity numbers and carry no usable birth date.
    The birth date must not be after ``today`` (default: the system date).
    """
    cleaned = _clean(text)
    digits = no_fodselsnummer.compact(cleaned)
    if _NO_PERSON_RE.fullmatch(digits) is None:
        if _NO_ORG_RE.fullmatch(no_orgnr.compact(cleaned)) and no_orgnr.is_valid(cleaned):
            raise IdNumberError(
                CODE_KIND,
                f"{no_orgnr.compact(cleaned)} is an organisation number, not a personal "
                "identity number.",
            )
        raise IdNumberError(CODE_FORMAT, "A Norwegian national identity number has 11 digits.")

    day_field = int(digits[0:2])
    month_field = int(digits[2:4])
    if day_field >= 80:
        raise IdNumberError(
            CODE_FORMAT,
            "FH-numbers (first digit 8 or 9) carry no birth date and are not accepted.",
        )
    if month_field > 40:
        raise IdNumberError(
            CODE_FORMAT,
            "H-numbers and synthetic test numbers (month + 40 or + 80) are not accepted.",
        )

    birth_date = _norwegian_birth_date(digits)
    reference = today if today is not None else clock.today()
    if birth_date > reference:
        raise IdNumberError(CODE_DATE, f"The birth date {birth_date.isoformat()} is in the future.")

    if digits[9] != no_fodselsnummer.calc_check_digit1(digits[:9]):
        raise IdNumberError(CODE_CHECKSUM, "The first check digit does not match (mod 11).")
    if digits[10] != no_fodselsnummer.calc_check_digit2(digits[:10]):
        raise IdNumberError(CODE_CHECKSUM, "The second check digit does not match (mod 11).")

    d_number = day_field > _NO_D_NUMBER_OFFSET
    return IdNumber(
        kind=IdNumberKind.NO_D_NUMBER if d_number else IdNumberKind.NO_PERSONAL,
        country="NO",
        value=digits,
        birth_date=birth_date,
    )


def parse_organisation(text: str, *, country: str) -> IdNumber:
    """Parse an organisation number of ``country`` (``"SE"`` or ``"NO"``).

    Swedish: 10 digits, optionally ``NNNNNN-NNNN`` or with the ``16`` prefix of the 12-digit
    form; Luhn; third digit 2 or more. Normalised to 10 digits.

    A Swedish sole trader (enskild firma) has no organisation number of its own: its
    organisation number *is* the owner's personnummer. So for ``country="SE"`` a valid
    personnummer (10 or 12 digits, or ``16`` + 10 digits) is accepted too and returned as a
    person, kind ``SE_PERSONAL`` (``SE_COORDINATION`` for a samordningsnummer), exactly as
    :func:`parse_swedish_personal` would return it (the century is resolved against the system
    date). Check ``is_person`` if the difference matters.

    Norwegian: 9 digits (spaces allowed), mod 11. A Norwegian fødselsnummer is refused with
    ``id_number.kind``: Norwegian sole traders have an organisation number of their own.
    """
    wanted = _normalise_country(country)
    cleaned = _clean(text)
    if wanted == "SE":
        return _parse_swedish_organisation(cleaned)
    if wanted == "NO":
        return _parse_norwegian_organisation(cleaned)
    raise IdNumberError(CODE_FORMAT, "Organisation numbers are supported for SE and NO only.")


def age_on(id_number: IdNumber, on: datetime.date) -> int:
    """Whole years of age on ``on``.

    A person born on 29 February becomes a year older on 1 March in non-leap years. Raises
    ``id_number.kind`` for an organisation and ``id_number.date`` if ``on`` is before the birth
    date.
    """
    birth = id_number.birth_date
    if not id_number.is_person or birth is None:
        raise IdNumberError(CODE_KIND, "An organisation number has no age.")
    if on < birth:
        raise IdNumberError(
            CODE_DATE, f"{on.isoformat()} is before the birth date {birth.isoformat()}."
        )
    return completed_years(birth, on)


def completed_years(birth: datetime.date, on: datetime.date) -> int:
    """Whole years from ``birth`` to ``on`` (a 29 February birthday turns on 1 March in
    non-leap years): the one rule for "has turned N" in every product."""
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day):
        years -= 1
    return years


# --------------------------------------------------------------------------------------------
# Generators (demo data and tests)
# --------------------------------------------------------------------------------------------


def generate_swedish_personal(
    birth_date: datetime.date, serial: int, *, coordination: bool = False
) -> str:
    """A valid, normalised 12-digit personnummer (or samordningsnummer) for ``birth_date``.

    ``serial`` (0-999) becomes the three digits before the check digit; the parity of its last
    digit is the legal sex (odd: male, even: female). The number is not checked against a
    ``today``: a birth date in the future gives a number that :func:`parse` refuses.
    """
    if not 0 <= serial <= 999:
        raise ValueError("serial must be between 0 and 999.")
    day = birth_date.day + (_SE_COORDINATION_OFFSET if coordination else 0)
    body = f"{birth_date.year % 100:02d}{birth_date.month:02d}{day:02d}{serial:03d}"
    check = luhn.calc_check_digit(body)
    return f"{birth_date.year:04d}{birth_date.month:02d}{day:02d}{serial:03d}{check}"


def generate_norwegian_personal(
    birth_date: datetime.date, serial: int, *, d_number: bool = False
) -> str:
    """A valid 11-digit fødselsnummer (or D-number) for ``birth_date`` (years 1854-2039).

    ``serial`` (0-999) picks the individual number within the range the century rules allow for
    the birth year (1854-1899: 500-749, 1900-1999: 000-499, 2000-2039: 500-999): a serial inside
    the range is used as is, one outside wraps into it. Individual numbers whose first or second
    check digit would be 10 cannot be issued; the next valid one (wrapping) is used instead.
    """
    if not 0 <= serial <= 999:
        raise ValueError("serial must be between 0 and 999.")
    ranges = [
        (low, high)
        for first_year, last_year, low, high in _NO_GENERATION_RANGES
        if first_year <= birth_date.year <= last_year
    ]
    if not ranges:
        raise ValueError("Norwegian numbers can be generated for birth years 1854-2039 only.")
    low, high = ranges[0]

    day = birth_date.day + (_NO_D_NUMBER_OFFSET if d_number else 0)
    date_digits = f"{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}"
    size = high - low + 1
    for step in range(size):
        individual = low + (serial - low + step) % size
        body = f"{date_digits}{individual:03d}"
        check1 = no_fodselsnummer.calc_check_digit1(body)
        if len(check1) != 1:
            continue
        check2 = no_fodselsnummer.calc_check_digit2(body + check1)
        if len(check2) != 1:
            continue
        return body + check1 + check2
    raise AssertionError("unreachable: every century range has valid individual numbers")


# --------------------------------------------------------------------------------------------
# Internals
# --------------------------------------------------------------------------------------------


def _clean(text: object) -> str:
    """Type and length guard shared by every parser; normalises look-alikes, strips spaces."""
    if not isinstance(text, str):
        raise IdNumberError(CODE_FORMAT, "An identity number must be given as text.")
    if len(text) > MAX_INPUT_LENGTH:
        raise IdNumberError(
            CODE_FORMAT, f"An identity number has at most {MAX_INPUT_LENGTH} characters."
        )
    # stdnum's clean() with nothing to delete only maps look-alikes to ASCII: en dashes and
    # other dashes to "-", no-break and other spaces to " ", fullwidth digits to digits.
    cleaned = stdnum_clean(text, "").strip()
    if not cleaned:
        raise IdNumberError(CODE_FORMAT, "No identity number was given.")
    return cleaned


def _normalise_country(country: str | None) -> str | None:
    if country is None:
        return None
    if isinstance(country, str) and country.strip().upper() in ("SE", "NO"):
        return country.strip().upper()
    raise IdNumberError(CODE_FORMAT, f"Unsupported country {country!r}; use 'SE' or 'NO'.")


def _is_swedish_org_number(ten: str) -> bool:
    """Ten digits that form a valid Swedish organisation number (Luhn, third digit >= 2)."""
    return ten[2] >= "2" and se_orgnr.is_valid(ten)


def _check_luhn(ten: str) -> None:
    try:
        luhn.validate(ten)
    except InvalidChecksum:
        raise IdNumberError(CODE_CHECKSUM, "The check digit does not match (Luhn).") from None
    except ValidationError:
        raise IdNumberError(CODE_FORMAT, "The number may contain digits only.") from None


def _swedish_century(yy: int, month: int, day: int, *, plus: bool, today: datetime.date) -> int:
    """The birth year for a 10-digit Swedish personal number (see parse_swedish_personal)."""
    if plus:
        latest = today.year - 100
        return latest - (latest - yy) % 100
    year = today.year - (today.year - yy) % 100
    if year == today.year and (month, day) > (today.month, today.day):
        year -= 100
    return year


def _parse_swedish_by_shape(cleaned: str, *, today: datetime.date | None) -> IdNumber | None:
    """Swedish person or organisation if ``cleaned`` has a Swedish shape, else None."""
    match = _SE_PERSON_RE.fullmatch(cleaned)
    if match is None:
        return None
    date_part, separator = match.group("date", "sep")
    if separator != "+":
        if len(date_part) == 8 and date_part.startswith(_SE_ORG_PREFIX):
            return _parse_swedish_organisation(cleaned, today=today)
        if len(date_part) == 6 and date_part[2] >= "2":
            return _parse_swedish_organisation(cleaned, today=today)
    return parse_swedish_personal(cleaned, today=today)


def _parse_norwegian_by_shape(cleaned: str, *, today: datetime.date | None) -> IdNumber | None:
    """Norwegian person (11 digits) or organisation (9 digits), else None."""
    if _NO_PERSON_RE.fullmatch(no_fodselsnummer.compact(cleaned)):
        return parse_norwegian_personal(cleaned, today=today)
    if _NO_ORG_RE.fullmatch(no_orgnr.compact(cleaned)):
        return _parse_norwegian_organisation(cleaned)
    return None


def _parse_swedish_organisation(cleaned: str, *, today: datetime.date | None = None) -> IdNumber:
    org = _SE_ORG_RE.fullmatch(cleaned)
    if org is not None:
        ten = org.group("head") + org.group("tail")
        if ten[2] >= "2":
            if not se_orgnr.is_valid(ten):
                raise IdNumberError(CODE_CHECKSUM, "The check digit does not match (Luhn).")
            return IdNumber(kind=IdNumberKind.SE_ORGANISATION, country="SE", value=ten)
        if org.group("prefix") is not None:
            # "16" + a sole trader's 10-digit personnummer.
            return parse_swedish_personal(ten, today=today)
    if _SE_PERSON_RE.fullmatch(cleaned) is not None:
        # A sole trader's organisation number is the owner's personnummer.
        return parse_swedish_personal(cleaned, today=today)
    raise IdNumberError(CODE_FORMAT, "A Swedish organisation number has 10 digits (NNNNNN-NNNN).")


def _parse_norwegian_organisation(cleaned: str) -> IdNumber:
    digits = no_orgnr.compact(cleaned)
    if _NO_ORG_RE.fullmatch(digits) is None:
        if _NO_PERSON_RE.fullmatch(no_fodselsnummer.compact(cleaned)):
            try:
                person = parse_norwegian_personal(cleaned)
            except IdNumberError:
                pass
            else:
                raise IdNumberError(
                    CODE_KIND,
                    f"{person.value} is a personal identity number, not an organisation number.",
                )
        raise IdNumberError(CODE_FORMAT, "A Norwegian organisation number has 9 digits.")
    try:
        no_orgnr.validate(digits)
    except ValidationError:
        raise IdNumberError(CODE_CHECKSUM, "The check digit does not match (mod 11).") from None
    return IdNumber(kind=IdNumberKind.NO_ORGANISATION, country="NO", value=digits)


def _norwegian_birth_date(digits: str) -> datetime.date:
    """Birth date via stdnum (D-number day and century rules); IdNumberError otherwise."""
    try:
        return no_fodselsnummer.get_birth_date(digits)
    except ValidationError:
        pass
    # stdnum raises the same exception class for "no such century" and "no such date": probe
    # with a date that always exists to tell them apart.
    try:
        no_fodselsnummer.get_birth_date("0101" + digits[4:])
    except ValidationError:
        raise IdNumberError(
            CODE_DATE,
            f"The individual number {digits[6:9]} is not used for birth year {digits[4:6]}.",
        ) from None
    d_number = " (a D-number adds 40 to the day)" if int(digits[0:2]) > _NO_D_NUMBER_OFFSET else ""
    raise IdNumberError(CODE_DATE, f"{digits[:6]} is not a real date{d_number}.")
