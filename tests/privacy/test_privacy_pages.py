"""The privacy notice (public, in the customer's language) and the back office: the register
for all staff, legal holds placed and lifted by the privacy officer, retention reports."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.backoffice.test_backoffice import _login, _staff
from trygg.kernel.models import AuditEvent
from trygg.privacy.models import HoldState, LegalHold


@pytest.mark.parametrize(
    ("language", "heading", "visitors"),
    [
        ("sv", "Så behandlar vi personuppgifter", "Besöksregistrering"),
        ("nb", "Slik behandler vi personopplysninger", "Besøksregistrering"),
        ("en", "How we process personal data", "Visitor registration"),
    ],
)
def test_the_notice_is_public_in_each_language(
    db: Any, language: str, heading: str, visitors: str
) -> None:
    client = Client(headers={"accept-language": language})
    page = client.get("/privacy/")
    assert page.status_code == 200
    text = page.content.decode()
    assert heading in text and visitors in text
    assert "Tegeluddsvägen 11-13, Stockholm" in text
    assert "VPN" in text  # the safeguards of the transfer to India


def test_the_notice_changes_nothing(db: Any) -> None:
    assert Client().post("/privacy/").status_code in (403, 405)


def staff_client(role: str, username: str) -> Client:
    user, device = _staff(role, username)
    client = Client()
    assert _login(client, user, device).status_code == 302
    return client


@pytest.mark.parametrize("role", ["customer_service", "claims_handler", "privacy_officer"])
def test_staff_read_the_register(db: Any, role: str) -> None:
    client = staff_client(role, f"{role}.1")
    page = client.get("/backoffice/privacy/processing/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Register över behandlingar" in text  # the back office speaks Swedish by default
    assert "Standardavtalsklausuler (art. 46.2 c)" in text
    export = client.get("/backoffice/privacy/processing/export/csv/")
    assert export.status_code == 200
    assert export["Content-Type"].startswith("text/csv")
    pdf = client.get("/backoffice/privacy/processing/export/pdf/")
    assert pdf.content.startswith(b"%PDF")
    # The register has no rows to open one by one.
    assert client.get("/backoffice/privacy/processing/1/change/").status_code == 404


def test_only_the_privacy_officer_places_holds(db: Any) -> None:
    service = staff_client("customer_service", "cs.1")
    assert service.get("/backoffice/privacy/legalhold/add/").status_code == 403


def test_the_privacy_officer_places_and_lifts_a_hold(db: Any) -> None:
    client = staff_client("privacy_officer", "dpo.1")
    refused = client.post(
        "/backoffice/privacy/legalhold/add/", {"kind": "police-report", "reason": "", "rule": ""}
    )
    assert refused.status_code == 200 and not LegalHold.objects.exists()
    placed = client.post(
        "/backoffice/privacy/legalhold/add/",
        {
            "kind": "police-report",
            "subject_id": "42",
            "rule": "recording-threat",
            "reason": "Threat in a call on 3 December; reported to the police.",
            "reference": "K-123456-26",
        },
    )
    assert placed.status_code == 302
    hold = LegalHold.objects.get()
    assert hold.placed_by == "dpo.1" and hold.state == HoldState.ACTIVE
    page = client.get(f"/backoffice/privacy/legalhold/{hold.pk}/change/")
    assert "Häv spärren" in page.content.decode()
    assert AuditEvent.objects.filter(object_type="legal-hold", subject_id="42").exists()
    lifted = client.post(
        f"/backoffice/privacy/legalhold/{hold.pk}/lift/", {"reason": "Case closed by police."}
    )
    assert lifted.status_code == 302
    hold.refresh_from_db()
    assert hold.state == HoldState.LIFTED and hold.lifted_by == "dpo.1"
    assert hold.lift_reason == "Case closed by police."
    assert client.get("/backoffice/privacy/retentionrun/").status_code == 200
