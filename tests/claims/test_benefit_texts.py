"""The benefit calculator's explanations in the reader's language: every reason the rules give
has a translated text with its amounts in the one money format; a Swedish decision page and
letter show no English explanation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from tests.claims.test_benefit_rules import benefits
from tests.claims.test_claims import _report
from tests.conftest import Customer
from tests.insurance.conftest import underwriter
from tests.test_translations import english_on, english_phrases
from trygg.banking.models import Account
from trygg.claims.messages import basis_text, benefit_error_message, line_basis
from trygg.claims.models import Claim
from trygg.claims.rules import BenefitError, Cost, Occupational
from trygg.claims.services import FactsInput, claim_decide, lines_explained
from trygg.insurance.models import PriceBaseAmount
from trygg.insurance.tariffs import catalogue_forget
from trygg.kernel import clock
from trygg.kernel.audit import SYSTEM
from trygg.kernel.errors import ValidationFailed

NBSP = "\u00a0"

# Between them, these facts give every reason the calculator knows.
EVERY_REASON = [
    {"medical_degree": 60},
    {"medical_degree": 10, "occupational": Occupational.HALF},
    {"medical_degree": 10, "occupational": Occupational.LESS_THAN_HALF},
    {"medical_degree": 30, "died": True},
    {"hospital_nights": 400},
    {
        "costs": (
            Cost(dt.date(2016, 3, 2), Decimal("850")),
            Cost(dt.date(2022, 1, 1), Decimal("700")),
        )
    },
    {"clothes_glasses": Decimal("20000")},
    {"clothes_glasses": Decimal("2000")},
    {"scar": ("face", "medium")},
    {"pain_months": 14},
    {"pain_months": 2, "insured_birth_date": dt.date(2000, 1, 1)},
]


def _lines() -> list[Any]:
    return [line for facts in EVERY_REASON for line in benefits(**facts).lines]


def test_every_reason_has_a_text_in_every_language() -> None:
    codes = {reason.code for line in _lines() for reason in line.reasons}
    assert codes == {
        "medical",
        "occupational",
        "higher_paid",
        "died",
        "acute_care",
        "hospital",
        "hospital_max",
        "costs",
        "costs_outside",
        "clothes",
        "scar",
        "pain_too_young",
        "pain",
        "death",
    }
    for language in ("sv", "nb", "en"):
        with translation.override(language):
            for line in _lines():
                text = basis_text(line.reasons, fallback="")
                assert text, (language, line)
                if language != "en":
                    assert text != line.basis


def test_swedish_explanations_use_the_money_format() -> None:
    with translation.override("sv"):
        medical = benefits(medical_degree=60).lines[0]
        assert basis_text(medical.reasons) == (
            f"medicinsk invaliditet 60 % × 2 × grundbeloppet 886{NBSP}000,00{NBSP}kr = "
            f"1{NBSP}063{NBSP}200,00{NBSP}kr"
        )
        pain = benefits(pain_months=14).lines[0]
        assert basis_text(pain.reasons) == (
            f"3 månader × 1{NBSP}900,00{NBSP}kr + 9 månader × 1{NBSP}500,00{NBSP}kr + "
            f"2 månader × 1{NBSP}000,00{NBSP}kr"
        )
        clothes = benefits(clothes_glasses=Decimal("20000")).lines[0]
        assert "0,25 × prisbasbeloppet" in basis_text(clothes.reasons)
    with translation.override("nb"):
        occupational = benefits(medical_degree=10, occupational=Occupational.HALF).lines[0]
        text = basis_text(occupational.reasons)
        assert "ervervsmessig invaliditet, minst halv arbeidsuførhet" in text
        assert "den høyeste erstatningen utbetales" in text
    with translation.override("en"):
        medical = benefits(medical_degree=60).lines[0]
        assert "SEK 886,000.00" in basis_text(medical.reasons)


def test_a_line_without_reasons_shows_its_stored_basis() -> None:
    stored = {"item": "hospital", "amount": "600.00", "basis": "3 days × 200 per day"}
    with translation.override("sv"):
        assert line_basis(stored) == "3 days × 200 per day"
        assert line_basis({**stored, "reasons": [{"code": "unknown", "params": {}}]}) == (
            "3 days × 200 per day"
        )
        kept = {
            **stored,
            "reasons": [{"code": "hospital", "params": {"days": 3, "per_day": "200"}}],
        }
        assert line_basis(kept) == f"3 dygn × 200,00{NBSP}kr per dygn"


def test_a_wrong_fact_is_refused_in_swedish() -> None:
    error = BenefitError("benefit.degree_range", "medical_degree", "The degree is 0 to 100.")
    with translation.override("sv"):
        assert benefit_error_message(error) == (
            "Den medicinska invaliditetsgraden är ett helt antal procent från 0 till 100."
        )
    with translation.override("en"):
        assert benefit_error_message(error) == "The degree is 0 to 100."


# -- the decision page in the back office --------------------------------------------------------


@pytest.fixture
def decided(insured: tuple[Customer, str, Account]) -> Claim:
    customer, number, account = insured
    with clock.business_date(dt.date(2027, 3, 1)):
        claim = _report(customer, number, account, dt.date(2027, 2, 10))
        PriceBaseAmount.objects.create(year=2027, amount=Decimal("60000"))
        catalogue_forget()
        facts = FactsInput(
            medical_degree=10,
            occupational="half",
            hospital_nights=3,
            costs=[(dt.date(2027, 2, 11), Decimal("850"), "Akutbesök")],
            clothes_glasses=Decimal("20000"),
            pain_months=2,
        )
        return claim_decide(ctx=SYSTEM, user=underwriter("handler"), claim_id=claim.pk, facts=facts)


@pytest.mark.django_db
def test_a_swedish_decision_page_shows_no_english_explanation(decided: Claim, frozen: Any) -> None:
    from tests.test_personal_data_reads import _superuser_client

    client: Client = _superuser_client()
    client.cookies["trygg_language"] = "sv"
    response = client.get(f"/backoffice/claims/claim/{decided.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    for line in decided.lines:
        assert line["basis"] not in html  # the rules' English sentence
    assert "förvärvsmässig invaliditet, minst halv arbetsoförmåga" in html
    assert "den högre ersättningen betalas, inte båda" in html
    assert "en gång per skada, efter 3 nätter på sjukhus" in html
    assert english_on(html, english_phrases()) == []


@pytest.mark.django_db
def test_a_claim_decided_before_the_reasons_were_kept_is_explained_in_swedish(
    decided: Claim, frozen: Any
) -> None:
    from tests.test_personal_data_reads import _superuser_client

    # As a decision of an earlier version stored it: the English sentence without reasons; and
    # the price base amount table corrected since, which the decision's own PBB outlives.
    old_lines = [{k: v for k, v in line.items() if k != "reasons"} for line in decided.lines]
    old_lines[-1] = {**old_lines[-1], "amount": "1.00"}  # a line the calculator no longer gives
    Claim.objects.filter(pk=decided.pk).update(lines=old_lines)
    PriceBaseAmount.objects.filter(year=2027).update(amount=Decimal("70000"))
    catalogue_forget()
    decided.refresh_from_db()
    with translation.override("sv"):
        explained = lines_explained(decided)
        shown = [line_basis(line) for line in explained]
    assert all(line.get("reasons") for line in explained[:-1])
    assert "förvärvsmässig invaliditet, minst halv arbetsoförmåga" in " ".join(shown)
    assert shown[-1] == old_lines[-1]["basis"]  # kept as stored: its amount is not found again
    decided.refresh_from_db()
    assert decided.lines == old_lines  # read, never written
    client: Client = _superuser_client()
    client.cookies["trygg_language"] = "sv"
    html = client.get(f"/backoffice/claims/claim/{decided.pk}/change/").content.decode()
    assert "en gång per skada, efter 3 nätter på sjukhus" in html
    for line in old_lines[:-1]:
        assert line["basis"] not in html


@pytest.mark.django_db
def test_a_wrong_fact_on_the_decision_form_is_named_in_swedish(
    insured: tuple[Customer, str, Account],
) -> None:
    customer, number, account = insured
    with clock.business_date(dt.date(2027, 3, 1)):
        claim = _report(customer, number, account, dt.date(2027, 2, 10))
        PriceBaseAmount.objects.create(year=2027, amount=Decimal("60000"))
        catalogue_forget()
        with translation.override("sv"), pytest.raises(ValidationFailed) as refused:
            claim_decide(
                ctx=SYSTEM,
                user=underwriter("handler"),
                claim_id=claim.pk,
                facts=FactsInput(costs=[(dt.date(2027, 2, 1), Decimal("850"), "Före")]),
            )
    assert refused.value.code == "benefit.cost_before_accident"
    assert refused.value.message == "En kostnad kan inte vara daterad före olycksfallet."
