"""The portal: sessions end on time and on log-out, CSRF, headers, profile, other's data."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from tests.conftest import Customer, csrf_of, portal_login
from trygg.kernel.models import AuditEvent
from trygg.parties.models import Party


@pytest.mark.django_db
def test_login_page_is_swedish_first_and_has_labels() -> None:
    html = Client().get("/login/").content.decode()
    assert '<html lang="sv">' in html
    assert 'for="id_id_number"' in html and 'for="id_pin"' in html
    assert "Logga in" in html


@pytest.mark.django_db
def test_language_can_be_switched_to_english_and_norwegian() -> None:
    client = Client()
    client.get("/login/")
    for code, word in (("en", "Log in"), ("nb", "Logg inn")):
        client.post(
            "/i18n/setlang/",
            {"language": code, "next": "/login/", "csrfmiddlewaretoken": csrf_of(client)},
        )
        html = client.get("/login/").content.decode()
        assert f'<html lang="{code}">' in html and word in html


@pytest.mark.django_db
def test_strict_security_headers() -> None:
    response = Client().get("/login/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cache-Control"] == "no-store"
    cookie = response.cookies["trygg_csrftoken"]
    assert cookie["samesite"] == "Lax"


@pytest.mark.django_db
def test_session_cookie_is_http_only(customer: Customer) -> None:
    client = Client()
    response = portal_login(client, customer.id_number, customer.pin)
    cookie = response.cookies["trygg_session"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


@pytest.mark.django_db
def test_overview_needs_login() -> None:
    response = Client().get("/overview/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.django_db
def test_login_form_without_csrf_token_is_refused_and_counts_nothing(customer: Customer) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"id_number": customer.id_number, "pin": customer.pin})
    assert response.status_code == 403
    assert "expired" in response.content.decode() or "gått ut" in response.content.decode()
    assert "trygg_session" not in response.cookies
    assert not AuditEvent.objects.filter(action__in=["login", "failed-login"]).exists()


@pytest.mark.django_db
def test_idle_for_five_minutes_ends_the_session(customer: Customer, frozen: Any) -> None:
    client = Client()
    portal_login(client, customer.id_number, customer.pin)
    frozen(dt.timedelta(minutes=4, seconds=50))
    assert client.get("/overview/").status_code == 200  # activity renews
    frozen(dt.timedelta(minutes=4, seconds=50))
    assert client.get("/overview/").status_code == 200
    frozen(dt.timedelta(minutes=5, seconds=1))
    response = client.get("/overview/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    page = client.get(response["Location"]).content.decode()
    assert "inaktiv" in page or "inactive" in page


@pytest.mark.django_db
def test_absolute_timeout_even_when_active(customer: Customer, frozen: Any, settings: Any) -> None:
    client = Client()
    portal_login(client, customer.id_number, customer.pin)
    for _ in range(12):  # an hour of clicks every five minutes less a second
        frozen(dt.timedelta(minutes=4, seconds=59))
        client.get("/overview/")
    frozen(dt.timedelta(minutes=1))
    assert client.get("/overview/").status_code == 302


@pytest.mark.django_db
def test_logout_ends_the_server_session(customer: Customer) -> None:
    client = Client()
    portal_login(client, customer.id_number, customer.pin)
    stolen = client.cookies["trygg_session"].value
    response = client.post("/logout/", {"csrfmiddlewaretoken": csrf_of(client)})
    assert response["Location"] == "/login/"
    thief = Client()
    thief.cookies["trygg_session"] = stolen
    assert thief.get("/overview/").status_code == 302
    assert AuditEvent.objects.filter(action="logout").count() == 1


@pytest.mark.django_db
def test_logout_by_get_is_not_allowed(customer: Customer) -> None:
    client = Client()
    portal_login(client, customer.id_number, customer.pin)
    assert client.get("/logout/").status_code == 405
    assert client.get("/overview/").status_code == 200


@pytest.mark.django_db
def test_session_key_changes_at_login(customer: Customer) -> None:
    client = Client()
    client.get("/login/")
    client.session.save()
    before = client.session.session_key
    portal_login(client, customer.id_number, customer.pin)
    assert client.cookies["trygg_session"].value != before


@pytest.mark.django_db
def test_overview_shows_contact_details_and_login_history(customer: Customer) -> None:
    client = Client()
    portal_login(Client(), customer.id_number, "9999")
    portal_login(client, customer.id_number, customer.pin)
    html = client.get("/overview/").content.decode()
    assert "Storgatan 1" in html and "111 22" in html and "+46701234567" in html
    # one failed and one successful PIN log-in, and the BankID log-in of a month ago
    assert html.count("<tr><td>") == 3
    assert "Misslyckades" in html or "Failed" in html


@pytest.mark.django_db
def test_sole_trader_sees_private_and_firm(sole_trader: tuple[Customer, Party]) -> None:
    owner, firm = sole_trader
    client = Client()
    portal_login(client, owner.id_number, owner.pin)
    html = client.get("/overview/").content.decode()
    assert "Jörgen Ek" in html and "Eks Snickeri" in html and "Verkstadsgatan 4" in html
    assert client.get(f"/profile/{firm.pk}/").status_code == 200


@pytest.mark.django_db
def test_profile_change_is_saved_and_audited(customer: Customer) -> None:
    client = Client()
    portal_login(client, customer.id_number, customer.pin)
    client.get("/profile/")
    response = client.post(
        "/profile/",
        {
            "street": "Nygatan 5",
            "postal_code": "41101",
            "city": "Göteborg",
            "care_of": "",
            "email": "ny@example.org",
            "mobile": "070 765 43 21",
            "home_phone": "",
            "csrfmiddlewaretoken": csrf_of(client),
        },
    )
    assert response.status_code == 302
    html = client.get("/overview/").content.decode()
    assert "Nygatan 5" in html and "411 01" in html and "+46707654321" in html
    event = AuditEvent.objects.get(action="update", object_type="contact_details")
    assert event.detail["fields"] == ["city", "email", "mobile", "postal_code", "street"]
    assert event.actor_kind == "customer"


@pytest.mark.django_db
def test_profile_bad_input_names_fields_and_changes_nothing(customer: Customer) -> None:
    client = Client()
    portal_login(client, customer.id_number, customer.pin)
    client.get("/profile/")
    response = client.post(
        "/profile/",
        {
            "street": "x" * 101,
            "postal_code": "1234",
            "city": "Göteborg",
            "email": "not-an-email",
            "mobile": "12",
            "home_phone": "",
            "csrfmiddlewaretoken": csrf_of(client),
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_email-error"' in html and 'id="id_postal_code-error"' in html
    assert 'id="id_mobile-error"' in html
    assert "NNN NN" in html
    assert "Storgatan 1" in client.get("/overview/").content.decode()
    assert not AuditEvent.objects.filter(action="update", object_type="contact_details").exists()


@pytest.mark.django_db
def test_profile_htmx_returns_the_form_fragment(customer: Customer) -> None:
    client = Client()
    portal_login(client, customer.id_number, customer.pin)
    client.get("/profile/")
    response = client.post(
        "/profile/",
        {
            "street": "Nygatan 5",
            "postal_code": "41101",
            "city": "Göteborg",
            "csrfmiddlewaretoken": csrf_of(client),
        },
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and 'name="street"' in html


@pytest.mark.django_db
def test_another_customers_profile_is_not_found(
    customer: Customer, other_customer: Customer
) -> None:
    client = Client()
    portal_login(client, customer.id_number, customer.pin)
    response = client.get(f"/profile/{other_customer.party.pk}/")
    assert response.status_code == 404
    assert "Erik" not in response.content.decode()
    token = csrf_of(client)
    client.post(
        f"/profile/{other_customer.party.pk}/",
        {"street": "Hack 1", "postal_code": "11122", "city": "X", "csrfmiddlewaretoken": token},
    )
    assert not Party.objects.filter(addresses__street="Hack 1").exists()


@pytest.mark.django_db
def test_every_overview_read_is_audited(customer: Customer) -> None:
    client = Client()
    portal_login(client, customer.id_number, customer.pin)
    before = AuditEvent.objects.filter(action="read").count()
    client.get("/overview/")
    reads = AuditEvent.objects.filter(action="read").order_by("seq")[before:]
    assert {(e.object_type, e.subject_id) for e in reads} == {
        ("contact_details", str(customer.party.pk)),
        ("login_history", str(customer.party.pk)),
    }


@pytest.mark.django_db
def test_an_overviews_reads_are_sealed_into_the_chain_once_the_page_is_sent(
    customer: Customer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from trygg.kernel import audit

    client = Client()
    portal_login(client, customer.id_number, customer.pin)
    monkeypatch.setattr(audit, "_last_seal", [0.0])  # a seal is due
    before = AuditEvent.objects.filter(action="read").count()
    assert client.get("/overview/").status_code == 200
    reads = AuditEvent.objects.filter(action="read").order_by("id")[before:]
    assert len(reads) == 2 and all(e.seq is not None for e in reads)


@pytest.mark.django_db
def test_a_sole_traders_overview_audits_the_firms_details_as_the_owners(
    sole_trader: tuple[Customer, Party],
) -> None:
    owner, firm = sole_trader
    client = Client()
    portal_login(client, owner.id_number, owner.pin)
    before = AuditEvent.objects.filter(action="read").count()
    client.get("/overview/")
    reads = AuditEvent.objects.filter(action="read").order_by("seq")[before:]
    assert {(e.object_type, e.object_id, e.subject_id) for e in reads} == {
        ("contact_details", str(owner.party.pk), str(owner.party.pk)),
        ("contact_details", str(firm.pk), str(owner.party.pk)),
        ("login_history", str(owner.party.pk), str(owner.party.pk)),
    }


@pytest.mark.django_db
def test_an_expired_or_unknown_session_opens_nothing(customer: Customer) -> None:
    client = Client()
    portal_login(client, customer.id_number, customer.pin)
    assert client.get("/overview/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get("/overview/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    client.cookies["trygg_session"] = "x" * 32
    response = client.get("/overview/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.django_db
def test_unknown_page_gives_a_real_404() -> None:
    response = Client().get("/no-such-page/")
    assert response.status_code == 404


@pytest.mark.django_db
def test_engagements_are_the_person_then_their_firm_with_what_is_registered(
    sole_trader: tuple[Customer, Party], other_customer: Customer
) -> None:
    from trygg.kernel.audit import SYSTEM
    from trygg.parties.models import Address
    from trygg.parties.selectors import engagement_contact_details
    from trygg.parties.services import sole_trader_firm_register

    owner, firm = sole_trader
    sole_trader_firm_register(  # someone else's firm is not among the owner's engagements
        ctx=SYSTEM, person=other_customer.party, firm_name="Lunds Bygg", since=dt.date(2019, 1, 1)
    )
    own, registered = engagement_contact_details(ctx=SYSTEM, person=owner.party)
    assert (own.party_id, registered.party_id) == (owner.party.pk, firm.pk)
    assert own.street == "Storgatan 1" and own.email == "anna@example.org"
    assert registered.street == "Verkstadsgatan 4" and registered.email == ""
    Address.objects.filter(party=firm).delete()
    _, bare = engagement_contact_details(ctx=SYSTEM, person=owner.party)
    assert (bare.street, bare.city, bare.mobile, bare.country) == ("", "", "", "SE")


@pytest.mark.django_db
def test_a_refused_form_says_what_is_wrong_in_swedish_at_the_top_and_beside_each_field(
    customer: Customer,
) -> None:
    """My details answered by htmx with 422: the page's htmx configuration swaps a 422 in (no
    silent refusal), the summary links each problem to its field; a trivial PIN is refused with
    the rule in Swedish."""
    client = Client()
    portal_login(client, customer.id_number, customer.pin)
    page = client.get("/profile/").content.decode()
    assert '{"code": "422", "swap": true}' in page.replace("&quot;", '"')
    refused = client.post(
        "/profile/",
        {"street": "Storgatan 1", "postal_code": "1", "city": "Umeå", "email": "inte-en-adress"},
        HTTP_HX_REQUEST="true",
    )
    assert refused.status_code == 422
    shown = refused.content.decode()
    assert 'id="error-summary"' in shown and 'href="#id_email"' in shown
    assert 'id="id_email-error"' in shown
    pin = client.post(
        "/pin/",
        {"current_pin": customer.pin, "new_pin": "1234", "new_pin_repeat": "1234"},
    )
    assert "En PIN-kod får inte vara en talföljd som 1234." in pin.content.decode()
