"""Claims and the customer's whole engagement on the pages: reported on Mine sider (Norwegian,
password log-in) with a document, refusals shown in the customer's language beside the field,
another customer's claim not found; the staff's queue, paper form, work page and the customer
service page reached from the back office's search."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from tests.backoffice.test_backoffice import _login, _staff
from trygg.identity.passwords import password_credential_set
from trygg.kernel import clock, idnumbers
from trygg.kernel.audit import SYSTEM
from trygg.kernel.models import AuditEvent
from trygg.parties.models import Party
from trygg.parties.services import person_register
from trygg.protection import claims, keytags
from trygg.protection.messages import MESSAGES
from trygg.protection.models import Agreement, ProtectionClaim
from trygg.protection.subscriptions import agreement_start

pytestmark = pytest.mark.django_db
PASSWORD = "Blåbærsyltetøy på brødskiva"
PDF = b"%PDF-1.4\n% skadeanmeldelse\n"


def _login_password(client: Client, party: Party) -> None:
    client.get("/login/password/")
    token = client.cookies["trygg_csrftoken"].value
    response = client.post(
        "/login/password/",
        {"id_number": party.id_number, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302, response.content.decode()[:500]


@pytest.fixture
def insurance(norwegian: Party) -> Agreement:
    with clock.business_date(clock.today() - dt.timedelta(days=30)):
        return agreement_start(ctx=SYSTEM, customer=norwegian, product_code="kortforsikring")


@pytest.fixture
def mine_sider(norwegian: Party) -> Client:
    password_credential_set(ctx=SYSTEM, party=norwegian, password=PASSWORD)
    client = Client(enforce_csrf_checks=True)
    _login_password(client, norwegian)
    return client


def _csrf(client: Client) -> str:
    return client.cookies["trygg_csrftoken"].value


def _form(on: Agreement, **changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "agreement": on.number,
        "incident_on": (clock.today() - dt.timedelta(days=2)).isoformat(),
        "description": "Vesken ble stjålet på bussen.",
        "amount_claimed": "1 850,00",
        "payout_account": "8601 11 17947",
        "document_kind": "police_report",
        "document": SimpleUploadedFile("anmeldelse.pdf", PDF),
    }
    values.update(changes)
    return values


def test_a_claim_reported_on_mine_sider_in_norwegian(
    mine_sider: Client, norwegian: Party, insurance: Agreement
) -> None:
    form = mine_sider.get("/protection/claims/new/")
    assert form.status_code == 200
    text = form.content.decode()
    assert '<html lang="nb">' in text and insurance.number in text
    response = mine_sider.post(
        "/protection/claims/new/", {**_form(insurance), "csrfmiddlewaretoken": _csrf(mine_sider)}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    claim = ProtectionClaim.objects.get()
    assert response["Location"] == f"/protection/claims/{claim.number}/"
    assert (claim.channel, claim.amount_claimed) == ("web", Decimal("1850.00"))
    shown = mine_sider.get(response["Location"]).content.decode()
    assert claim.number in shown and "anmeldelse.pdf" in shown and "1\xa0850,00" in shown
    document = claim.documents.get()
    download = mine_sider.get(f"/protection/claims/{claim.number}/documents/{document.pk}/")
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    assert AuditEvent.objects.filter(
        action="read", object_type="protection_claim_document", subject_id=str(norwegian.pk)
    ).exists()
    overview = mine_sider.get("/protection/").content.decode()
    assert claim.number in overview


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"payout_account": "8601 11 17948"}, "payout_account", "account.invalid"),
        (
            {"document": SimpleUploadedFile("kvittering.pdf", b"MZ\x90\x00")},
            "document",
            "document.type",
        ),
    ],
)
def test_refusals_are_shown_in_norwegian_and_nothing_is_kept(
    mine_sider: Client, insurance: Agreement, changes: dict[str, Any], field: str, code: str
) -> None:
    response = mine_sider.post(
        "/protection/claims/new/",
        {**_form(insurance, **changes), "csrfmiddlewaretoken": _csrf(mine_sider)},
    )
    assert response.status_code == 422
    with translation.override("nb"):
        message = str(MESSAGES[code])
    with translation.override("en"):
        english = str(MESSAGES[code])
    assert message != english
    shown = response.content.decode()
    assert re.search(rf'id="id_{field}-error">[^<]*{re.escape(message[:20])}', shown), shown[-3000:]
    assert not ProtectionClaim.objects.exists()


def test_another_customers_claim_is_not_found(mine_sider: Client, insurance: Agreement) -> None:
    other = person_register(
        ctx=SYSTEM,
        id_number=idnumbers.generate_norwegian_personal(dt.date(1970, 5, 17), 321),
        given_name="Ola",
        family_name="Nordmann",
        preferred_language="nb",
    )
    with clock.business_date(clock.today() - dt.timedelta(days=30)):
        theirs = agreement_start(ctx=SYSTEM, customer=other, product_code="kortforsikring")
    claim = claims.claim_report(
        ctx=SYSTEM,
        customer=other,
        data=claims.ClaimInput(theirs.number, clock.today(), "Tyveri", "100", "86011117947"),
    )
    assert mine_sider.get(f"/protection/claims/{claim.number}/").status_code == 404
    # Their agreement is no choice on the form, and a forged one is refused by the service.
    forged = mine_sider.post(
        "/protection/claims/new/",
        {**_form(insurance, agreement=theirs.number), "csrfmiddlewaretoken": _csrf(mine_sider)},
    )
    assert forged.status_code == 422
    assert ProtectionClaim.objects.count() == 1


def test_the_handler_asks_decides_and_pays_in_the_back_office(
    norwegian: Party, insurance: Agreement
) -> None:
    claim = claims.claim_report(
        ctx=SYSTEM,
        customer=norwegian,
        data=claims.ClaimInput(insurance.number, clock.today(), "Tyveri", "1200", "86011117947"),
        documents=[("receipt", SimpleUploadedFile("kvittering.pdf", PDF))],
    )
    user, device = _staff("claims_handler", "skade.behandler")
    desk = Client()
    assert _login(desk, user, device).status_code == 302
    queue = desk.get("/backoffice/protection/protectionclaim/queue/").content.decode()
    assert claim.number in queue
    work = f"/backoffice/protection/protectionclaim/{claim.pk}/work/"
    assert "kvittering.pdf" in desk.get(work).content.decode()
    asked = desk.post(work, {"step": "information", "information": "Send politianmeldelsen."})
    assert asked.status_code == 302
    claim.refresh_from_db()
    assert claim.state == "waiting"
    desk.post(work, {"step": "received"})
    refused = desk.post(work, {"step": "approve", "amount": "abc"})
    assert refused.status_code == 200 and "amount" in refused.content.decode()
    desk.post(work, {"step": "approve", "amount": "1 000,00"})
    desk.post(work, {"step": "pay"})
    claim.refresh_from_db()
    assert (claim.state, claim.amount_approved) == ("paid", Decimal("1000.00"))
    assert claim.decided_by == user


def test_a_paper_claim_form_is_typed_in_with_its_scan(
    norwegian: Party, insurance: Agreement
) -> None:
    user, device = _staff("customer_service", "kundeservice")
    desk = Client()
    assert _login(desk, user, device).status_code == 302
    number = norwegian.id_number
    first = desk.post(
        "/backoffice/protection/protectionclaim/paper/", {"customer": f"{number[:6]} {number[6:]}"}
    )
    assert insurance.number in first.content.decode()
    response = desk.post(
        "/backoffice/protection/protectionclaim/paper/",
        {**_form(insurance), "customer": number},
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    claim = ProtectionClaim.objects.get()
    assert (claim.channel, claim.customer_id) == ("paper", norwegian.pk)
    assert not claim.documents.get().by_customer


def test_customer_service_sees_the_whole_engagement(norwegian: Party, insurance: Agreement) -> None:
    batch = keytags.tag_batch_issue(ctx=SYSTEM, count=1)
    serial = batch.tags.get().serial
    keytags.tag_link(ctx=SYSTEM, serial=serial, id_number=norwegian.id_number)
    case = keytags.found_report(ctx=SYSTEM, serial=serial, source="post").case
    assert case is not None
    claim = claims.claim_report(
        ctx=SYSTEM,
        customer=norwegian,
        data=claims.ClaimInput(insurance.number, clock.today(), "Tyveri", "300", "86011117947"),
    )
    user, device = _staff("customer_service", "kundeservice")
    desk = Client()
    assert _login(desk, user, device).status_code == 302
    # The back office's search by fødselsnummer as typed leads to the customer's page.
    number = norwegian.id_number
    found = desk.get(
        "/backoffice/protection/item/customer/", {"customer": f"{number[:6]} {number[6:]}"}
    )
    assert found.status_code == 302
    before = AuditEvent.objects.count()
    page = desk.get(found["Location"]).content.decode()
    for shown in (insurance.number, serial, case.number, claim.number, "Kari"):
        assert shown in page
    kinds = set(
        AuditEvent.objects.filter(pk__gt=before, subject_id=str(norwegian.pk)).values_list(
            "object_type", flat=True
        )
    )
    assert {"protection_agreements", "key_tags", "found_keys_cases", "protection_claims"} <= kinds
    party = desk.get(f"/backoffice/parties/party/{norwegian.pk}/change/").content.decode()
    assert f"/backoffice/protection/item/customer/{norwegian.pk}/" in party
