"""Translated texts of the insurance rules (the pure modules speak English only)."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from trygg.insurance.application_rules import Missing
from trygg.insurance.rules import RuleError


def rule_message(error: RuleError) -> str:
    if (get_language() or "sv").startswith("en"):
        return error.message
    p = error.params
    texts = {
        "level.choice": _("Choose an insured level of 10, 20, 30, 40 or 50 price base amounts."),
        "level.age_limit": _(
            "A person who has turned %(age)s may take at most %(max)s price base amounts."
        )
        % {"age": p.get("age"), "max": p.get("max")},
        "insured.min_age": _(
            "The insured must have turned %(age)s; the tariff has no price for younger persons."
        )
        % {"age": p.get("age")},
        "insured.birth_date": _("The birth date is after the date."),
        "payment.method": _("Choose invoice, autogiro or existing autogiro."),
        "payment.period": _("Choose monthly, half-yearly or yearly payment."),
        "payment.invoice_period": _(
            "An invoice is sent for a year or a half-year; monthly payment is by autogiro."
        ),
        "tariff.not_valid": _("The tariff is not valid on this date."),
        "start_date.too_early": _(
            "The insurance can start at the earliest the day after the application, %(date)s."
        )
        % {"date": p.get("earliest")},
        "start_date.too_late": _(
            "The insurance can start at the latest three months after the complete application "
            "was signed, %(date)s."
        )
        % {"date": p.get("latest")},
    }
    return texts.get(error.code, error.message)


def missing_text(item: Missing, questions: dict[str, str]) -> str:
    """One line of the return letter: exactly what is missing."""
    params = item.params or {}
    fields = {
        "holder_id_number": _("the policyholder's personal identity number"),
        "holder_given_name": _("the policyholder's first name"),
        "holder_family_name": _("the policyholder's surname"),
        "holder_street": _("the policyholder's postal address"),
        "holder_postal_code": _("the policyholder's postal code"),
        "holder_city": _("the policyholder's city"),
        "insured_id_number": _("the insured's personal identity number"),
        "insured_given_name": _("the insured's first name"),
        "insured_family_name": _("the insured's surname"),
    }
    question = questions.get(params.get("question", ""), params.get("question", ""))
    texts = {
        "missing.field": _("Fill in %(field)s.") % {"field": fields.get(item.field, item.field)},
        "missing.replaces_other": _("Answer whether this insurance replaces another insurance."),
        "missing.signature": _("Sign the application."),
        "signature.too_old": _(
            "Sign the application again: the signature (%(date)s) is older than 14 days."
        )
        % {"date": params.get("signed_on", "")},
        "signature.future": _("The date of the signature is after the day we received it."),
        "missing.health_signature": _("Sign the health declaration “Min hälsa”."),
        "health_signature.too_old": _(
            "Sign the health declaration again: the signature (%(date)s) is older than 14 days."
        )
        % {"date": params.get("signed_on", "")},
        "missing.answer": _("Answer the question: %(question)s") % {"question": question},
        "missing.answer_detail": _("Explain your yes to the question: %(question)s")
        % {"question": question},
        "missing.correction_signature": _(
            "Sign for the changed answer to the question: %(question)s"
        )
        % {"question": question},
    }
    return texts.get(item.code, item.code)
