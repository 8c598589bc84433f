"""The back office of the insurance: a paper application entered and returned, the
underwriters' decisions with four eyes, a claim decided and paid, letters as PDF."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from tests.backoffice.test_backoffice import _login, _staff
from tests.conftest import post_confirmed
from trygg.claims.models import Claim
from trygg.insurance.applications import questions
from trygg.insurance.models import Application, Policy
from trygg.kernel.models import AuditEvent

pytestmark = pytest.mark.django_db


def _client(role: str, username: str) -> Client:
    user, device = _staff(role, username)
    client = Client()
    assert _login(client, user, device).status_code == 302
    return client


def _paper_form(**changes: str) -> dict[str, str]:
    form = {
        "kind": "new",
        "received_on": "2026-11-20",
        "holder_id_number": "19800515-2387",
        "holder_given_name": "Karin",
        "holder_family_name": "Holm",
        "holder_street": "Kungsgatan 2",
        "holder_postal_code": "41119",
        "holder_city": "Göteborg",
        "insured_id_number": "19800515-2387",
        "insured_given_name": "Karin",
        "insured_family_name": "Holm",
        "level": "20",
        "payment_method": "invoice",
        "period": "yearly",
        "replaces_other": "false",
        "signed_on": "2026-11-15",
        "health_signed_on": "2026-11-15",
    }
    for q in questions():
        form[f"q_{q.code}"] = "no"
    form.update(changes)
    return form


def test_paper_application_referred_then_declined_by_two(frozen: Any) -> None:
    service = _client("customer_service", "anna.kundtjanst")
    page = service.get("/backoffice/insurance/application/paper/")
    assert page.status_code == 200
    bad = service.post(
        "/backoffice/insurance/application/paper/",
        _paper_form(
            level="50", insured_id_number="19600101-2381", holder_id_number="19600101-2381"
        ),
    )
    assert bad.status_code == 200 and not Application.objects.exists()
    done = service.post(
        "/backoffice/insurance/application/paper/",
        _paper_form(q_risk_sports="yes", q_risk_sports_detail="Klättring varje vecka"),
    )
    assert done.status_code == 302
    application = Application.objects.get()
    assert application.state == "referred"
    first = _client("underwriter", "uw.ett")
    second = _client("underwriter", "uw.tva")
    assert (
        service.get(f"/backoffice/insurance/application/{application.pk}/decide/").status_code
        == 403
    )
    url = f"/backoffice/insurance/application/{application.pk}/decide/"
    preview = first.post(url, {"decision": "decline", "text": "Hög risk vid klättring."})
    assert "andra riskbedömare" in preview.content.decode()  # what it does, before it is done
    application.refresh_from_db()
    assert (
        application.state == "referred"
        and not application.events.filter(state_to="decline_proposed").exists()
    )
    post_confirmed(first, url, {"decision": "decline", "text": "Hög risk vid klättring."})
    application.refresh_from_db()
    assert application.state == "decline_proposed"
    events = application.events.count()
    # The proposer has no door out: not confirm, not "info received", not accept, nothing.
    for decision in (
        "confirm_decline",
        "reject_decline",
        "info_received",
        "accept",
        "accept_exclusion",
        "ask",
        "decline",
    ):
        refused = post_confirmed(first, url, {"decision": decision, "text": "Klart."})
        assert refused.status_code == 200, decision
        text = refused.content.decode()
        assert "second underwriter" in text or "andra riskbedömare" in text, decision
        application.refresh_from_db()
        assert application.state == "decline_proposed", decision
    assert application.events.count() == events
    unconfirmed = second.post(url, {"decision": "confirm_decline", "text": ""})
    assert unconfirmed.status_code == 200
    application.refresh_from_db()
    assert application.state == "decline_proposed"
    post_confirmed(second, url, {"decision": "confirm_decline", "text": ""})
    application.refresh_from_db()
    assert application.state == "declined"
    letter = first.get(f"/backoffice/insurance/application/{application.pk}/letter/")
    assert letter["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(object_type="application", action="update").exists()


def test_incomplete_paper_application_is_returned_with_a_letter(frozen: Any) -> None:
    service = _client("customer_service", "anna.kundtjanst")
    service.post(
        "/backoffice/insurance/application/paper/",
        _paper_form(health_signed_on="", q_medication=""),
    )
    application = Application.objects.get()
    assert application.state == "returned"
    letter = service.get(f"/backoffice/insurance/application/{application.pk}/letter/")
    assert letter.status_code == 200 and letter.content.startswith(b"%PDF")


def test_claim_decided_and_paid_in_the_back_office(frozen: Any) -> None:
    service = _client("customer_service", "anna.kundtjanst")
    service.post(
        "/backoffice/insurance/application/paper/",
        _paper_form(
            received_on="2026-11-01", signed_on="2026-10-25", health_signed_on="2026-10-25"
        ),
    )
    policy = Policy.objects.get()
    handler = _client("claims_handler", "skador.ett")
    report = handler.post(
        f"/backoffice/claims/claim/report/{policy.pk}/",
        {
            "accident_date": "2026-11-10",
            "description": "Föll från stege.",
            "payout_destination": "6000-123456789",
        },
    )
    assert report.status_code == 302
    claim = Claim.objects.get()
    # The back office opens on the handler's work: the reported claim waits to be decided.
    queues = handler.get("/backoffice/").context["work_queues"]
    with translation.override("sv"):
        waiting = {str(queue["label"]): queue for queue in queues}
    assert waiting["Skadeärenden att besluta"]["count"] == 1
    assert "state__exact=reported" in waiting["Skadeärenden att besluta"]["url"]
    assert "Ansökningar hos en riskbedömare" not in waiting  # an underwriter's, not theirs
    url = f"/backoffice/claims/claim/{claim.pk}/decide/"
    facts = {
        "medical_degree": "5",
        "occupational": "none",
        "hospital_nights": "2",
        "costs": "2026-11-11 650 Akuten",
        "clothes_glasses": "1200",
        "scar": "",
        "pain_months": "1",
    }
    preview = handler.post(url, {**facts, "action": "preview"})
    shown = preview.content.decode()
    # The accident year's PBB and the total, shown before deciding.
    assert "59200,00" in shown and "63\xa0850,00\xa0kr" in shown
    assert "Medicinsk invaliditet" in shown
    claim.refresh_from_db()
    assert claim.state == "reported"
    asked = handler.post(url, {**facts, "action": "decide"})
    assert "Kontrollera innan du bekräftar" in asked.content.decode()
    claim.refresh_from_db()
    assert claim.state == "reported"  # previewed, not decided
    post_confirmed(handler, url, {**facts, "action": "decide"})
    claim.refresh_from_db()
    assert claim.state == "decided"
    # 5 % × 20 × 59 200 + 500 + 2 × 200 + 650 + 1 200 + 1 900
    assert str(claim.total) == "63850.00"
    post_confirmed(handler, f"/backoffice/claims/claim/{claim.pk}/pay/", {})
    post_confirmed(handler, f"/backoffice/claims/claim/{claim.pk}/pay/", {})
    claim.refresh_from_db()
    assert claim.state == "paid" and claim.payout is not None
    assert handler.get(f"/backoffice/claims/claim/{claim.pk}/letter/").content.startswith(b"%PDF")
