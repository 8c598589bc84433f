"""Field checks shared by every domain: collect problems, then fail once, naming each field."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import phonenumbers
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from trygg.kernel.errors import FieldProblem, ValidationFailed


@dataclass
class Problems:
    """Collects field problems; ``raise_if_any`` raises one ValidationFailed naming them all."""

    items: list[FieldProblem] = field(default_factory=list)

    def add(self, field_name: str | None, code: str, message: str) -> None:
        self.items.append(FieldProblem(field_name, code, str(message)))

    def raise_if_any(self) -> None:
        if self.items:
            first = self.items[0]
            raise ValidationFailed(
                code=first.code, message=first.message, field=first.field, problems=self.items
            )

    def __bool__(self) -> bool:
        return bool(self.items)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(
    problems: Problems, field_name: str, value: object, *, max_length: int, required: bool = True
) -> str:
    """A single-line text: trimmed, no control characters, within ``max_length``."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        problems.add(field_name, "text.type", _("Must be text."))
        return ""
    text = " ".join(value.split())
    if _CONTROL.search(value):
        problems.add(
            field_name, "text.control_characters", _("Must not contain control characters.")
        )
    if required and not text:
        problems.add(field_name, "text.required", _("This field is required."))
    if len(text) > max_length:
        problems.add(
            field_name,
            "text.too_long",
            _("At most %(max)d characters (got %(got)d).") % {"max": max_length, "got": len(text)},
        )
    return text


def clean_email(problems: Problems, field_name: str, value: object, *, required: bool) -> str:
    text = clean_text(problems, field_name, value, max_length=254, required=required)
    if text:
        try:
            validate_email(text)
        except DjangoValidationError:
            problems.add(field_name, "email.invalid", _("Enter a valid e-mail address."))
    return text.lower() if text else ""


def clean_phone(
    problems: Problems, field_name: str, value: object, *, region: str, required: bool
) -> str:
    """A phone number in E.164 form (+46701234567); national forms are read for ``region``."""
    text = clean_text(problems, field_name, value, max_length=30, required=required)
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        problems.add(field_name, "phone.invalid", _("Enter a valid phone number."))
        return ""
    if not phonenumbers.is_valid_number(number):
        problems.add(field_name, "phone.invalid", _("Enter a valid phone number."))
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


_POSTAL = {
    "SE": (re.compile(r"^[0-9]{3} ?[0-9]{2}$"), "NNN NN"),
    "NO": (re.compile(r"^[0-9]{4}$"), "NNNN"),
}


def clean_postal_code(problems: Problems, field_name: str, value: object, *, country: str) -> str:
    text = clean_text(problems, field_name, value, max_length=10)
    if not text:
        return ""
    rule = _POSTAL.get(country)
    if rule and not rule[0].match(text):
        message = {
            "SE": _("A Swedish postal code has five digits: NNN NN."),
            "NO": _("A Norwegian postal code has four digits: NNNN."),
        }[country]
        problems.add(field_name, "postal_code.format", message)
        return text
    if country == "SE":
        digits = text.replace(" ", "")
        return f"{digits[:3]} {digits[3:]}"
    return text
