"""Every letter names the company: name, address, organisation number, phone and opening hours
on each page; the policy letter also refers to the terms, the right of withdrawal and how to
complain. The page footer shows the same block."""

from __future__ import annotations

import datetime as dt
import re
import zlib
from typing import Any

import pytest
from django.test import Client

from tests.walk import Seeded, seed_demo_customer
from trygg.billing.letters import notice_pdf
from trygg.billing.models import Notice, NoticeKind
from trygg.claims.letters import decision_letter
from trygg.identity.letters import render_pin_letter
from trygg.insurance.letters import decline_letter, policy_letter, return_letter
from trygg.insurance.models import Application

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    """The text drawn in a PDF of built-in fonts: each content stream inflated, the strings
    shown read as Latin-1 and joined."""
    shown = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            content = zlib.decompress(stream)
        except zlib.error:
            content = stream
        for text in re.findall(rb"\((.*?)(?<!\\)\)\s*Tj", content, re.S):
            shown.append(text.replace(rb"\(", b"(").replace(rb"\)", b")").decode("latin-1"))
    return "\n".join(shown)


def assert_company_block(text: str, settings: Any) -> None:
    assert settings.TRYGG_COMPANY_NAME in text
    assert settings.TRYGG_COMPANY_STREET in text
    assert f"{settings.TRYGG_COMPANY_POSTAL_CODE} {settings.TRYGG_COMPANY_CITY}" in text
    assert "Organisationsnummer 559900-1236" in text
    assert f"Kundtjänst {settings.TRYGG_COMPANY_PHONE}" in text
    assert settings.TRYGG_COMPANY_OPENING_HOURS.replace("\u2013", "-") in text


@pytest.fixture
def seeded(db: Any, frozen: Any) -> Seeded:
    return seed_demo_customer(0)


def test_the_policy_letter_names_the_company_terms_withdrawal_and_complaints(
    seeded: Seeded, settings: Any
) -> None:
    text = pdf_text(policy_letter(seeded.objects["policy"], on=dt.date(2026, 12, 7)))
    assert_company_block(text, settings)
    assert "Villkor" in text and "tariff" in text
    assert "Ångerrätt" in text and "14 dagar" in text
    assert "Allmänna reklamationsnämnden" in text


def test_the_claim_decision_letter_names_the_company(seeded: Seeded, settings: Any) -> None:
    claim = seeded.objects["decided_claim"]
    assert_company_block(pdf_text(decision_letter(claim, on=dt.date(2026, 12, 7))), settings)


@pytest.mark.parametrize("kind", [NoticeKind.PLAN, NoticeKind.INVOICE, NoticeKind.CANCELLATION])
def test_every_billing_letter_names_the_company(
    seeded: Seeded, settings: Any, kind: NoticeKind
) -> None:
    notice = Notice.objects.filter(payer=seeded.customer.party).order_by("pk").first()
    assert notice is not None
    notice.kind = kind
    assert_company_block(pdf_text(notice_pdf(notice)), settings)


def test_the_application_letters_name_the_company(seeded: Seeded, settings: Any) -> None:
    application = Application.objects.order_by("pk").first()
    assert application is not None
    application.missing = [{"code": "signature", "field": "signed_on"}]
    application.decline_reasons = "Hög risk."
    for letter in (return_letter, decline_letter):
        assert_company_block(pdf_text(letter(application, on=dt.date(2026, 12, 7))), settings)


def test_the_pin_letter_names_the_company(seeded: Seeded, settings: Any) -> None:
    party = seeded.customer.party
    party.preferred_language = "sv"
    data = render_pin_letter(
        party=party, pin="4826", issued_on=dt.date(2026, 12, 7), company="Trygg"
    )
    assert_company_block(pdf_text(data), settings)


def test_the_company_block_follows_the_settings(seeded: Seeded, settings: Any) -> None:
    settings.TRYGG_COMPANY_PHONE = "0771-11 22 33"
    text = pdf_text(policy_letter(seeded.objects["policy"], on=dt.date(2026, 12, 7)))
    assert "Kundtjänst 0771-11 22 33" in text


def test_the_page_footer_names_the_company(settings: Any, db: Any) -> None:
    page = Client().get("/")
    body = page.content.decode()
    assert page.status_code in (200, 302)
    if page.status_code == 302:
        body = Client().get(page["Location"]).content.decode()
    assert settings.TRYGG_COMPANY_STREET in body
    assert "559900-1236" in body
    assert settings.TRYGG_COMPANY_PHONE in body
