"""Objection to direct marketing (seed 003; issue 17 point 7): on My pages, through customer
service, or by the signed link of a survey; recorded with its source; a tampered or expired
link refused clearly, changing nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail, signing
from django.test import Client

from tests.conftest import Customer, portal_login
from tests.contact.conftest import staff, staff_client
from trygg.contact import links, selectors, services
from trygg.contact.models import Objection, Survey
from trygg.identity.models import StaffUser
from trygg.kernel.audit import SYSTEM
from trygg.kernel.errors import ValidationFailed
from trygg.kernel.models import AuditEvent


def logged_in(customer: Customer) -> Client:
    client = Client(enforce_csrf_checks=False)
    portal_login(client, customer.id_number, customer.pin)
    return client


def test_on_my_pages(customer: Customer) -> None:
    client = logged_in(customer)
    page = client.get("/contact/objection/")
    assert page.status_code == 200 and "Object to surveys" in page.content.decode()
    assert AuditEvent.objects.filter(
        object_type="objection", action="read", subject_id=str(customer.party.pk)
    ).exists()
    assert client.post("/contact/objection/").status_code == 302
    objection = Objection.objects.get(party=customer.party)
    assert objection.source == "my-pages"
    shown = client.get("/contact/objection/").content.decode()
    assert "We send you no surveys" in shown


def test_my_pages_needs_a_log_in(db: Any) -> None:
    response = Client().post("/contact/objection/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not Objection.objects.exists()


def survey_for(customer: Customer | None, contact: str = "kalle@example.se") -> Survey:
    agent = StaffUser.objects.filter(username="agent").first() or staff("agent")
    return services.survey_request(
        ctx=SYSTEM,
        matter="Skada 2026-0042",
        employee=agent,
        team="Skador Stockholm",
        controller="Länsförsäkringar Stockholm",
        channel="email",
        contact_detail=contact,
        party=customer.party if customer else None,
    )


def test_by_the_signed_link(customer: Customer) -> None:
    survey = survey_for(customer)
    token = links.objection_token(response_id=survey.response_id)
    client = Client()
    page = client.get("/contact/objection/link/", {"t": token})
    assert page.status_code == 200
    assert not Objection.objects.exists()  # a GET changes nothing
    client.post("/contact/objection/link/", {"t": token})
    assert Objection.objects.get(party=customer.party).source == "link"
    survey.refresh_from_db()
    assert survey.state == "stopped"  # the survey not yet sent goes no further
    # A second click is no error and adds nothing.
    assert client.post("/contact/objection/link/", {"t": token}).status_code == 200
    assert Objection.objects.count() == 1


def test_a_link_for_someone_who_is_not_a_customer(db: Any) -> None:
    survey = survey_for(None, "Kalle@Example.se")
    token = links.objection_token(response_id=survey.response_id)
    Client().post("/contact/objection/link/", {"t": token})
    objection = Objection.objects.get()
    assert objection.contact_detail == "kalle@example.se" and objection.party is None
    assert selectors.has_objected(party_id=None, contact="kalle@example.se")


def test_a_tampered_link_is_refused(customer: Customer) -> None:
    survey = survey_for(customer)
    token = links.objection_token(response_id=survey.response_id)
    forged = signing.dumps({"s": survey.response_id.hex}, salt="another use")
    for bad in (token[:-2] + "xx", forged, "", "nonsense"):
        response = Client().post("/contact/objection/link/", {"t": bad})
        assert response.status_code == 400
        assert "not valid" in response.content.decode()
    assert not Objection.objects.exists()


def test_an_expired_link_is_refused(customer: Customer, settings: Any) -> None:
    settings.TRYGG_OBJECTION_LINK_DAYS = 90
    survey = survey_for(customer)
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=91)
    signer = signing.TimestampSigner(salt=links.SALT)
    signer.timestamp = lambda: signing.b62_encode(int(old.timestamp()))  # type: ignore[method-assign]
    stale = signer.sign_object({"s": survey.response_id.hex})
    with pytest.raises(ValidationFailed) as error:
        links.objection_target(stale)
    assert error.value.code == "objection.link_expired"
    response = Client().post("/contact/objection/link/", {"t": stale})
    assert response.status_code == 400 and "expired" in response.content.decode()
    assert not Objection.objects.exists()


def test_through_customer_service(customer: Customer) -> None:
    clerk = staff_client(staff("kundtjanst.anna", "customer_service"))
    url = "/backoffice/contact/objection/register/"
    refused = clerk.post(url, {"customer_number": "", "contact_detail": ""})
    assert refused.status_code == 200 and not Objection.objects.exists()
    unknown = clerk.post(url, {"customer_number": "999999", "contact_detail": ""})
    assert "no customer" in unknown.content.decode()
    done = clerk.post(url, {"customer_number": customer.party.customer_number})
    assert done.status_code == 302
    objection = Objection.objects.get(party=customer.party)
    assert objection.source == "customer-service" and objection.recorded_by == "kundtjanst.anna"


def test_phone_numbers_and_addresses_are_one_form(db: Any) -> None:
    services.objection_record(ctx=SYSTEM, source="link", contact_detail="Kalle@Example.se ")
    services.objection_record(
        ctx=SYSTEM, source="customer-service", contact_detail="kalle@example.se"
    )
    assert Objection.objects.count() == 1
    services.objection_record(ctx=SYSTEM, source="link", contact_detail="+46 70-123 45 67")
    assert selectors.has_objected(party_id=None, contact=services.normalise_contact("+46701234567"))
    assert selectors.has_objected(party_id=None, contact=services.normalise_contact("0701234567"))


def test_the_link_covers_the_person_and_the_address_the_survey_reached(customer: Customer) -> None:
    survey = survey_for(customer, "Anna.Berg@Example.se")
    Client().post(
        "/contact/objection/link/",
        {"t": links.objection_token(response_id=survey.response_id)},
    )
    objection = Objection.objects.get()
    assert objection.party == customer.party and objection.contact_detail == "anna.berg@example.se"
    # A later survey to the same address without the customer number is refused as well.
    with pytest.raises(ValidationFailed) as error:
        survey_for(None, "anna.berg@example.se")
    assert error.value.code == "survey.objected"


def test_an_address_that_objected_joins_the_customer_who_objects_later(customer: Customer) -> None:
    first = services.objection_record(ctx=SYSTEM, source="link", contact_detail="anna@example.org")
    same = services.objection_record(
        ctx=SYSTEM, source="my-pages", party=customer.party, contact_detail="Anna@Example.org"
    )
    assert same.pk == first.pk and Objection.objects.count() == 1
    assert same.party == customer.party and same.source == "link"  # the first source stands
    assert AuditEvent.objects.filter(
        object_type="objection", action="update", subject_id=str(customer.party.pk)
    ).exists()
    # Another address of the same customer, objecting on its own, is a row of its own.
    services.objection_record(ctx=SYSTEM, source="link", contact_detail="0701234567")
    services.objection_record(
        ctx=SYSTEM, source="my-pages", party=customer.party, contact_detail="0701234567"
    )
    assert Objection.objects.count() == 2
    assert selectors.has_objected(party_id=None, contact="+46701234567")


def test_one_click_from_the_mail_program(customer: Customer) -> None:
    """RFC 8058: the survey e-mail names the signed link in List-Unsubscribe; the reader's mail
    program POSTs ``List-Unsubscribe=One-Click`` to it, with no form and no cookie."""
    survey_for(customer)
    services.outbox_send()
    (message,) = mail.outbox
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    path = urlsplit(url).path + "?" + urlsplit(url).query
    assert path.startswith("/contact/objection/link/?t=") and customer.id_number not in url
    mail_program = Client(enforce_csrf_checks=True)
    assert mail_program.get(path).status_code == 200 and not Objection.objects.exists()
    tampered = mail_program.post(
        path[:-3] + "xyz", "List-Unsubscribe=One-Click", "application/x-www-form-urlencoded"
    )
    assert tampered.status_code == 400 and not Objection.objects.exists()
    done = mail_program.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert done.status_code == 200
    assert Objection.objects.get(party=customer.party).source == "link"
