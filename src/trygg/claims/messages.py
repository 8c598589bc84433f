"""Translated texts of the benefit calculator (the pure rules speak English only): each line's
explanation from its reasons, and the calculator's input errors, in the active language with
amounts through the one money format (decision 0065)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import formats
from django.utils.translation import get_language, gettext_lazy, ngettext, pgettext_lazy
from django.utils.translation import gettext as _

from trygg.claims import rules
from trygg.claims.rules import BenefitError
from trygg.kernel.money import at_scale
from trygg.kernel.numbertext import money_text

OCCUPATIONAL_LABELS = {
    "none": gettext_lazy("no incapacity for work"),
    "less_than_half": gettext_lazy("less than half incapacity for work"),
    "half": gettext_lazy("at least half incapacity for work"),
    "three_quarters": gettext_lazy("three quarters incapacity for work"),
    "full": gettext_lazy("full incapacity for work"),
}

SCAR_LOCATIONS = {
    "face": gettext_lazy("face"),
    "other_visible": gettext_lazy("other visible part of the body"),
    "other": gettext_lazy("other part of the body"),
}

SCAR_SIZES = {
    "small": pgettext_lazy("scar", "small"),
    "medium": pgettext_lazy("scar", "medium"),
    "large": pgettext_lazy("scar", "large"),
}


def _decimal(value: Any) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return Decimal(0)


def _money(value: Any) -> str:
    return money_text(_decimal(value))


def _number(value: Any) -> str:
    """A factor: ``0,25`` in Swedish, ``1.5`` in English; whole numbers without decimals."""
    number = _decimal(value)
    whole = number == number.to_integral_value()
    number = at_scale(number, 0) if whole else number.normalize()
    return formats.number_format(number, use_l10n=True)


def _day(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _medical(p: Mapping[str, Any]) -> str:
    values = {"degree": p["degree"], "base": _money(p["base"]), "amount": _money(p["amount"])}
    if p.get("twice"):
        return _("medical disability %(degree)s %% × 2 × the base amount %(base)s = %(amount)s") % (
            values
        )
    return _("medical disability %(degree)s %% × the base amount %(base)s = %(amount)s") % values


def _occupational(p: Mapping[str, Any]) -> str:
    label = str(OCCUPATIONAL_LABELS.get(str(p["class"]), p["class"]))
    if _decimal(p["factor"]) == 0:
        return _("occupational disability, %(class)s: nothing") % {"class": label}
    return _(
        "occupational disability, %(class)s: %(factor)s × the base amount %(base)s = %(amount)s"
    ) % {
        "class": label,
        "factor": _number(p["factor"]),
        "base": _money(p["base"]),
        "amount": _money(p["amount"]),
    }


def _higher_paid(p: Mapping[str, Any]) -> str:
    if p["paid"] == "occupational":
        return _("the higher is paid, not both: occupational disability")
    return _("the higher is paid, not both: medical disability")


def _pain(p: Mapping[str, Any]) -> str:
    return " + ".join(
        ngettext("%(count)s month × %(rate)s", "%(count)s months × %(rate)s", int(count))
        % {"count": count, "rate": _money(rate)}
        for count, rate in p["parts"]
    )


def _clothes(p: Mapping[str, Any]) -> str:
    values = {
        "claimed": _money(p["claimed"]),
        "factor": _number(p["factor"]),
        "pbb": _money(p["pbb"]),
        "cap": _money(p["cap"]),
    }
    if p.get("capped"):
        return _("claimed %(claimed)s, capped at %(factor)s × the PBB %(pbb)s = %(cap)s") % values
    return _("claimed %(claimed)s, at most %(factor)s × the PBB %(pbb)s = %(cap)s") % values


_TEXTS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "medical": _medical,
    "occupational": _occupational,
    "higher_paid": _higher_paid,
    "disability_cap": lambda p: (
        _("at most %(factor)s × the base amount = %(cap)s")
        % {"factor": _number(p["factor"]), "cap": _money(p["cap"])}
    ),
    "died": lambda p: _(
        "not paid: the insured died of the accident, and disability benefits are for the living "
        "insured"
    ),
    "acute_care": lambda p: (
        ngettext(
            "once per claim, after %(nights)s night in hospital: %(amount)s",
            "once per claim, after %(nights)s nights in hospital: %(amount)s",
            int(p["nights"]),
        )
        % {"nights": p["nights"], "amount": _money(p["amount"])}
    ),
    "hospital": lambda p: (
        ngettext(
            "%(days)s day × %(per_day)s per day",
            "%(days)s days × %(per_day)s per day",
            int(p["days"]),
        )
        % {"days": p["days"], "per_day": _money(p["per_day"])}
    ),
    "hospital_max": lambda p: (
        ngettext(
            "%(nights)s night, at most %(max)s days",
            "%(nights)s nights, at most %(max)s days",
            int(p["nights"]),
        )
        % {"nights": p["nights"], "max": p["max_days"]}
    ),
    "costs": lambda p: (
        ngettext(
            "%(count)s cost within %(years)s years of the accident (up to and including %(end)s): "
            "%(amount)s",
            "%(count)s costs within %(years)s years of the accident (up to and including %(end)s): "
            "%(amount)s",
            int(p["count"]),
        )
        % {
            "count": p["count"],
            "years": p["years"],
            "end": _day(p["end"]),
            "amount": _money(p["amount"]),
        }
    ),
    "costs_outside": lambda p: (
        ngettext(
            "%(count)s cost of %(amount)s outside the period, not covered",
            "%(count)s costs of %(amount)s outside the period, not covered",
            int(p["count"]),
        )
        % {"count": p["count"], "amount": _money(p["amount"])}
    ),
    "clothes": _clothes,
    "scar": lambda p: (
        _("%(location)s, %(size)s: %(fraction)s × the PBB %(pbb)s")
        % {
            "location": SCAR_LOCATIONS.get(str(p["location"]), p["location"]),
            "size": SCAR_SIZES.get(str(p["size"]), p["size"]),
            "fraction": _number(p["fraction"]),
            "pbb": _money(p["pbb"]),
        }
    ),
    "pain_too_young": lambda p: (
        _(
            "not paid: the insured was %(age)s on the accident date; pain and suffering is paid "
            "from age %(from_age)s"
        )
        % {"age": p["age"], "from_age": p["from_age"]}
    ),
    "pain": _pain,
    "death": lambda p: (
        _("%(factor)s × the PBB %(pbb)s, paid to the beneficiaries")
        % {"factor": _number(p["factor"]), "pbb": _money(p["pbb"])}
    ),
}


def _reason_text(code: str, params: Mapping[str, Any]) -> str | None:
    text = _TEXTS.get(code)
    if text is None:
        return None
    try:
        return text(params)
    except (KeyError, TypeError, ValueError):
        return None


def basis_text(reasons: Iterable[Any], fallback: str = "") -> str:
    """A line's explanation in the active language. ``reasons`` are :class:`rules.Reason` or
    their stored form (``{"code": ..., "params": ...}``); a line decided before reasons were
    kept, or with a reason this version does not know, shows its stored English basis."""
    parts = []
    for reason in reasons:
        if isinstance(reason, Mapping):
            code, params = str(reason.get("code", "")), reason.get("params") or {}
        else:
            code, params = reason.code, reason.params
        text = _reason_text(code, params)
        if text is None:
            return fallback
        parts.append(text)
    return "; ".join(parts) if parts else fallback


def line_basis(line: Mapping[str, Any]) -> str:
    """The explanation of a line stored on a claim (``claim.lines``)."""
    return basis_text(line.get("reasons") or [], str(line.get("basis", "")))


def benefit_error_message(error: BenefitError) -> str:
    """A wrong fact in the user's language: the precise English sentence in English, the rule's
    translated text in Swedish and Norwegian."""
    if (get_language() or "sv").startswith("en"):
        return error.message
    texts = {
        "benefit.date_order": _("The insured cannot be born after the accident date."),
        "benefit.degree_range": _(
            "The medical disability degree is a whole percent from 0 to %(max)s."
        )
        % {"max": rules.MAX_DEGREE},
        "benefit.negative_nights": _("The number of hospital nights cannot be negative."),
        "benefit.cost_before_accident": _("A cost cannot be dated before the accident."),
        "benefit.months_range": _("Pain and suffering is paid for whole months from 0 to %(max)s.")
        % {"max": rules.MAX_PAIN_MONTHS},
        "benefit.scar_class": _(
            "The scar table of the terms has no such class; scars are paid by that table only."
        ),
        "benefit.occupational_class": _(
            "Choose none, less than half, half, three quarters or full."
        ),
        "benefit.negative_amount": _("An amount cannot be negative."),
    }
    return texts.get(error.code, error.message)
