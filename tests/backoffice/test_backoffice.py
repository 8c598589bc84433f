"""The back office: password + TOTP, roles, customer service tools, audited reads."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import Customer
from trygg.identity.hashing import throttle_key
from trygg.identity.models import LoginThrottle, PinCredential, PinLetter, StaffUser
from trygg.identity.services import credential_is_locked, pin_login
from trygg.kernel.audit import SYSTEM
from trygg.kernel.models import AuditEvent
from trygg.parties.models import Party

ROLES = {
    "customer_service",
    "underwriter",
    "claims_handler",
    "billing_clerk",
    "privacy_officer",
    "blocking_agent",
}


def _staff(role: str, username: str = "anna.kundtjanst") -> tuple[StaffUser, TOTPDevice]:
    user = StaffUser.objects.create_user(
        username=username, password="correct horse 2026", is_staff=True
    )
    user.groups.add(Group.objects.get(name=role))
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user, device


def _code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def _login(
    client: Client,
    user: StaffUser,
    device: TOTPDevice,
    *,
    code: str | None = None,
    password: str = "correct horse 2026",
) -> Any:
    return client.post(
        "/backoffice/login/?next=/backoffice/",
        {
            "username": user.username,
            "password": password,
            "otp_device": device.persistent_id,
            "otp_token": code if code is not None else _code(device),
        },
    )


@pytest.fixture
def service(db: Any) -> tuple[Client, StaffUser]:
    user, device = _staff("customer_service")
    client = Client()
    assert _login(client, user, device).status_code == 302
    return client, user


@pytest.mark.django_db
def test_roles_exist_with_permissions() -> None:
    assert set(Group.objects.values_list("name", flat=True)) >= ROLES
    service = Group.objects.get(name="customer_service")
    codes = set(service.permissions.values_list("codename", flat=True))
    assert {"add_party", "issue_pin_letter", "unlock_pin", "view_customer_audit"} <= codes
    underwriter = set(
        Group.objects.get(name="underwriter").permissions.values_list("codename", flat=True)
    )
    assert "unlock_pin" not in underwriter and "view_party" in underwriter


@pytest.mark.django_db
def test_password_alone_does_not_open_the_back_office(frozen: Any) -> None:
    user, device = _staff("customer_service")
    client = Client()
    response = _login(client, user, device, code="000000" if _code(device) != "000000" else "1")
    assert response.status_code == 200  # the form again, with an error
    assert client.get("/backoffice/").status_code == 302
    frozen(dt.timedelta(seconds=2))  # the failure makes the next attempt wait a second
    response = _login(client, user, device)
    assert response.status_code == 302
    assert client.get("/backoffice/").status_code == 200


@pytest.mark.django_db
def test_customer_service_registers_a_customer(service: tuple[Client, StaffUser]) -> None:
    client, user = service
    response = client.post(
        "/backoffice/parties/party/add/",
        {
            "kind": "person",
            "id_number": "19811218-9876",
            "given_name": "Bo",
            "family_name": "Jönsson",
            "legal_name": "",
            "preferred_language": "sv",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    party = Party.objects.get(id_number="198112189876")
    assert party.display_name == "Bo Jönsson" and party.customer_number
    event = AuditEvent.objects.get(action="create", object_type="party")
    assert event.actor_label == user.username and event.channel == "back-office"


@pytest.mark.django_db
def test_register_with_bad_number_names_the_field(service: tuple[Client, StaffUser]) -> None:
    client, _ = service
    response = client.post(
        "/backoffice/parties/party/add/",
        {
            "kind": "person",
            "id_number": "19811218-9877",
            "given_name": "Bo",
            "family_name": "Jönsson",
            "legal_name": "",
            "preferred_language": "sv",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["id_number"]
    assert not Party.objects.exists()


@pytest.mark.django_db
def test_viewing_a_customer_is_an_audited_read(
    service: tuple[Client, StaffUser], customer: Customer
) -> None:
    client, user = service
    assert client.get("/backoffice/parties/party/").status_code == 200
    assert client.get(f"/backoffice/parties/party/{customer.party.pk}/change/").status_code == 200
    reads = AuditEvent.objects.filter(
        action="read", subject_id=str(customer.party.pk), actor_label=user.username
    )
    assert {e.detail["view"] for e in reads} == {"list", "detail"}


@pytest.mark.django_db
def test_issue_pin_letter_print_it_once(
    service: tuple[Client, StaffUser], customer: Customer
) -> None:
    client, _ = service
    url = f"/backoffice/parties/party/{customer.party.pk}/pin-letter/"
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    letter = PinLetter.objects.get(party=customer.party)
    assert PinCredential.objects.get(party=customer.party).must_change
    url = f"/backoffice/identity/pinletter/{letter.pk}/print/"
    asked = client.get(url)  # a GET only asks: the letter still waits
    assert asked.status_code == 200 and asked["Content-Type"].startswith("text/html")
    letter.refresh_from_db()
    assert letter.status == "waiting" and letter.document is not None
    pdf = client.post(url)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    again = client.post(url)
    assert again.status_code == 302  # the PIN is no longer stored


@pytest.mark.django_db
def test_unlock_with_reason(service: tuple[Client, StaffUser], customer: Customer) -> None:
    client, _ = service
    for _ in range(5):
        with pytest.raises(Exception):  # noqa: B017, PT011
            pin_login(ctx=SYSTEM, id_number=customer.id_number, pin="9999")
    assert credential_is_locked(customer.party)
    url = f"/backoffice/parties/party/{customer.party.pk}/unlock/"
    page = client.post(url, {"reason": "short"})
    assert page.status_code == 200 and credential_is_locked(customer.party)
    done = client.post(url, {"reason": "Called back on the registered number, ID checked"})
    assert done.status_code == 302
    assert not credential_is_locked(customer.party)
    key = throttle_key(customer.party.country, customer.party.id_number)
    assert LoginThrottle.objects.get(key=key).failures == 0


@pytest.mark.django_db
def test_audit_trail_of_a_customer(service: tuple[Client, StaffUser], customer: Customer) -> None:
    client, user = service
    pin_login(ctx=SYSTEM, id_number=customer.id_number, pin=customer.pin)
    page = client.get(f"/backoffice/parties/party/{customer.party.pk}/audit/")
    html = page.content.decode()
    # The actions in words in the staff member's language (Swedish), not their codes.
    assert page.status_code == 200 and "Loggade in" in html and "Skapade kunden" in html
    assert "<td>login</td>" not in html and "<td>create</td>" not in html
    assert AuditEvent.objects.filter(object_type="audit_trail", actor_label=user.username).exists()


@pytest.mark.django_db
def test_a_role_without_the_permission_cannot_unlock(customer: Customer) -> None:
    user, device = _staff("underwriter", "ulla.underwriter")
    client = Client()
    _login(client, user, device)
    assert client.get(f"/backoffice/parties/party/{customer.party.pk}/change/").status_code == 200
    response = client.post(
        f"/backoffice/parties/party/{customer.party.pk}/unlock/",
        {"reason": "I would like to unlock this"},
    )
    assert response.status_code == 403
    assert (
        client.post(f"/backoffice/parties/party/{customer.party.pk}/pin-letter/").status_code == 403
    )


@pytest.mark.django_db
def test_audit_log_is_read_only_in_the_back_office(customer: Customer) -> None:
    user, device = _staff("privacy_officer", "petra.dataskydd")
    client = Client()
    _login(client, user, device)
    event = AuditEvent.objects.first()
    assert event is not None
    assert client.get("/backoffice/kernel/auditevent/").status_code == 200
    assert client.post(f"/backoffice/kernel/auditevent/{event.pk}/delete/").status_code == 403


@pytest.mark.django_db
def test_staff_sessions_end_after_five_idle_minutes(frozen: Any) -> None:
    import datetime as dt

    user, device = _staff("customer_service")
    client = Client()
    _login(client, user, device)
    assert client.get("/backoffice/").status_code == 200
    frozen(dt.timedelta(minutes=4))
    assert client.get("/backoffice/").status_code == 200
    frozen(dt.timedelta(minutes=5, seconds=1))
    response = client.get("/backoffice/")
    assert response.status_code == 302 and "/backoffice/login/" in response["Location"]


@pytest.mark.django_db
def test_bank_records_are_read_only_and_reads_are_audited(
    service: tuple[Client, StaffUser], customer: Customer
) -> None:
    from decimal import Decimal

    from trygg.banking.services import account_open, incoming_payment_book

    client, user = service
    account = account_open(ctx=SYSTEM, party=customer.party, name="Lönekonto")
    incoming_payment_book(account=account, amount=Decimal("100"), text="Lön")
    assert client.get("/backoffice/banking/account/").status_code == 200
    page = client.get(f"/backoffice/banking/account/{account.pk}/change/")
    assert page.status_code == 200
    assert client.get("/backoffice/banking/account/add/").status_code == 403
    reads = AuditEvent.objects.filter(
        action="read", object_type="account", actor_label=user.username
    )
    assert {e.subject_id for e in reads} == {str(customer.party.pk)}
