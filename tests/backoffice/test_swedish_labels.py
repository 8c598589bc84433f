"""The back office in Swedish and Norwegian down to the third-party apps on its index and the
claims list's columns and filters."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.conftest import Customer
from tests.test_translations import page_text
from trygg.banking.models import Account
from trygg.claims.models import ClaimChannel
from trygg.claims.services import claim_report
from trygg.kernel import clock
from trygg.kernel.audit import SYSTEM

pytestmark = pytest.mark.django_db

ENGLISH_APP_NAMES = (
    "OTP_TOTP",
    "OTP_STATIC",
    "Otp_Totp",
    "Otp_Static",
    "TOTP devices",
    "Static devices",
    "Tasks Database Backend",
    "Task Results",
    "Task results",
)


@pytest.mark.parametrize(
    ("language", "names"),
    [
        (
            "sv",
            (
                "Autentiseringsappar (TOTP)",
                "Autentiseringsappar",
                "Reservkoder",
                "Reservkodlistor",
                "Bakgrundsjobb",
                "Jobbresultat",
            ),
        ),
        (
            "nb",
            (
                "Autentiseringsapper (TOTP)",
                "Reservekoder",
                "Reservekodelister",
                "Bakgrunnsjobber",
                "Jobbresultater",
            ),
        ),
    ],
)
def test_third_party_apps_on_the_index_have_translated_names(
    frozen: Any, language: str, names: tuple[str, ...]
) -> None:
    from tests.test_personal_data_reads import _superuser_client

    client = _superuser_client()
    client.cookies["trygg_language"] = language
    html = client.get("/backoffice/").content.decode()
    for name in names:
        assert name in html
    for english in ENGLISH_APP_NAMES:
        assert english not in html


def test_the_third_party_pages_keep_working(frozen: Any) -> None:
    from tests.test_personal_data_reads import _superuser_client

    client = _superuser_client()
    client.cookies["trygg_language"] = "sv"
    for url in (
        "/backoffice/otp_totp/totpdevice/",
        "/backoffice/otp_static/staticdevice/",
        "/backoffice/django_tasks_database/dbtaskresult/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url


def test_the_authenticator_app_pages_are_in_swedish(frozen: Any) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.test_personal_data_reads import _superuser_client
    from trygg.identity.models import StaffUser

    client = _superuser_client()
    client.cookies["trygg_language"] = "sv"
    user = StaffUser.objects.get(is_superuser=True)
    device = TOTPDevice.objects.create(user=user, name="Telefon", confirmed=True)
    listed = page_text(client.get("/backoffice/otp_totp/totpdevice/").content.decode())
    assert "Medarbetare" in listed and "Enhetens namn" in listed and "Visa QR-koden" in listed
    assert "last used at" not in listed.lower() and "QR Code" not in listed
    changed = page_text(
        client.get(f"/backoffice/otp_totp/totpdevice/{device.pk}/change/").content.decode()
    )
    for swedish in ("Enhet", "Inställningar", "Tidssteg (sekunder)", "Misslyckade försök"):
        assert swedish in changed
    for english in ("Throttling", "Timestamps", "Tolerance", "The time step in seconds"):
        assert english not in changed
    config = page_text(
        client.get(f"/backoffice/otp_totp/totpdevice/{device.pk}/config/").content.decode()
    )
    assert "QR-kod att skanna med autentiseringsappen" in config and "Install" not in config


def test_the_claims_list_names_its_columns_and_channels_in_swedish(
    customer: Customer, frozen: Any
) -> None:
    from tests.banking.conftest import with_token
    from tests.insurance.conftest import apply_online, online_input
    from tests.test_personal_data_reads import _superuser_client
    from trygg.banking.services import account_open

    with_token(customer)
    policy = apply_online(customer, online_input(customer, level=20)).policy
    assert policy is not None
    account: Account = account_open(ctx=SYSTEM, party=customer.party, name="Lönekonto")
    with clock.business_date(dt.date(2027, 1, 20)):
        claim = claim_report(
            ctx=SYSTEM,
            person=customer.party,
            policy_number=policy.number,
            accident_date=dt.date(2027, 1, 15),
            description="Halkade på isen.",
            payout_account=account.pk,
        )
    assert claim.channel == ClaimChannel.WEB
    client = _superuser_client()
    client.cookies["trygg_language"] = "sv"
    html = client.get("/backoffice/claims/claim/").content.decode()
    assert ">Försäkring<" in html
    shown = page_text(html)
    assert "Backoffice" in shown and "Internettjänsten" in shown  # the channel filter
    assert "Policy" not in shown.split() and "back-office" not in shown
    page = client.get(f"/backoffice/claims/claim/{claim.pk}/change/").content.decode()
    assert "Internettjänsten" in page and "Utbetalningskonto" in page
