"""No GET changes state: every URL pattern of the site (portal, API, back office), fetched with
GET by an anonymous visitor, a logged-in customer and a member of staff over the demo data,
writes nothing to the database but the audit log (a read of personal data is audited) and the
visitor's own session row.

Also: one browser holds one identity (a customer's log-in ends a staff session in it and the
other way round).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import Customer, portal_login
from trygg.identity.models import StaffUser
from trygg.kernel.models import AuditEvent

# Tables a GET may write: the audit log (audited reads) and the session (who is logged in,
# when they were last seen).
MAY_WRITE = {"kernel_auditevent", "kernel_auditchainhead", "django_session"}
_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.I)
_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
_GROUP = re.compile(r"\(\?P<(\w+)>([^)]*)\)")


def _patterns(
    resolvers: list[Any], prefix: str = "", regex: bool = False
) -> Iterator[tuple[str, bool]]:
    for entry in resolvers:
        route = str(entry.pattern)
        is_regex = regex or not isinstance(entry.pattern, RoutePattern)
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, prefix + route, is_regex)
        elif isinstance(entry, URLPattern):
            yield prefix + route, is_regex


def _admin_model(path: str) -> Any:
    match = re.match(r"\^?backoffice/\^?(\w+)/\^?(\w+)/", path)
    if match is None:
        return None
    try:
        return apps.get_model(match.group(1), match.group(2))
    except LookupError:
        return None


def _concrete(route: str, values: Callable[[str, str], str]) -> str:
    def converter(match: re.Match[str]) -> str:
        return values(match.group(2), route)

    def group(match: re.Match[str]) -> str:
        body = match.group(2)
        if re.fullmatch(r"[\w|]+", body):
            return body.split("|")[0]  # an alternation of names: the first
        return values(match.group(1), route)

    path = _CONVERTER.sub(converter, route)
    path = _GROUP.sub(group, path)
    path = path.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\", "")
    return "/" + path


class _Writes:
    def __init__(self) -> None:
        self.tables: list[str] = []

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        match = _WRITE.match(sql)
        if match and match.group(1) not in MAY_WRITE:
            self.tables.append(match.group(1))
        return execute(sql, params, many, context)


def _staff_client() -> Client:
    user = StaffUser.objects.create_superuser(
        username="walker", password="correct horse 2026", email=""
    )
    user.groups.add(Group.objects.get(name="customer_service"))
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    client = Client()
    response = client.post(
        "/backoffice/login/?next=/backoffice/",
        {
            "username": "walker",
            "password": "correct horse 2026",
            "otp_token": f"{totp.token():06d}",
        },
    )
    assert response.status_code == 302
    return client


@pytest.mark.django_db
def test_no_get_writes_to_the_database(capsys: Any) -> None:
    from django.core.management import call_command

    from trygg.banking.models import Account
    from trygg.identity.models import PinLetter
    from trygg.identity.services import pin_letter_issue
    from trygg.kernel.audit import SYSTEM
    from trygg.parties.models import Party

    call_command("demo")
    capsys.readouterr()
    sole_trader = Party.objects.get(given_name__isnull=False, firms__isnull=False)
    other = Party.objects.filter(kind="person").exclude(pk=sole_trader.pk).first()
    assert other is not None
    pin_letter_issue(ctx=SYSTEM, party=other)  # a letter waiting to be printed
    # The demo's sole trader (PIN 7391) sees a firm too.
    customer = Client()
    assert portal_login(customer, sole_trader.id_number, "7391").status_code == 302
    staff = _staff_client()
    account = Account.objects.filter(party=sole_trader).first()
    known = {
        "party_id": str(sole_trader.pk),
        "account_id": str(account.pk if account else 1),
        "letter_id": str(PinLetter.objects.first().pk),  # type: ignore[union-attr]
    }

    def values(name: str, route: str) -> str:
        if name in ("object_id", "pk"):  # an admin object, e.g. a TOTP device's QR code
            model = _admin_model(route)
            first = model.objects.order_by("pk").first() if model is not None else None
            return str(first.pk) if first is not None else "1"
        return known.get(name, "1")

    paths = sorted(
        {_concrete(route, values) for route, _regex in _patterns(get_resolver().url_patterns)}
    )
    assert "/backoffice/identity/pinletter/" + known["letter_id"] + "/print/" in paths
    assert len(paths) > 100
    writes = _Writes()
    offenders: dict[str, list[str]] = {}
    for name, client in (("anonymous", Client()), ("customer", customer), ("staff", staff)):
        for path in paths:
            writes.tables.clear()
            with connection.execute_wrapper(writes):
                client.get(path)
            if writes.tables:
                offenders[f"{name} GET {path}"] = sorted(set(writes.tables))
    assert offenders == {}
    # The customer and the staff member are still logged in: their pages were really seen.
    assert customer.get("/overview/").status_code == 200
    assert staff.get("/backoffice/").status_code == 200
    assert AuditEvent.objects.filter(action="read", actor_label="walker").exists()


@pytest.mark.django_db
def test_a_customer_log_in_ends_the_staff_session_in_that_browser(customer: Customer) -> None:
    browser = _staff_client()
    assert browser.get("/backoffice/").status_code == 200
    assert portal_login(browser, customer.id_number, customer.pin).status_code == 302
    assert browser.get("/backoffice/").status_code == 302  # to the staff log-in
    assert browser.get("/overview/").status_code == 200
    assert AuditEvent.objects.filter(
        action="logout", object_type="staff_session", actor_label="walker"
    ).exists()


@pytest.mark.django_db
def test_a_staff_log_in_ends_the_customer_session_in_that_browser(customer: Customer) -> None:
    browser = Client()
    assert portal_login(browser, customer.id_number, customer.pin).status_code == 302
    assert browser.get("/overview/").status_code == 200
    user = StaffUser.objects.create_user(
        username="kim", password="correct horse 2026", is_staff=True
    )
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    response = browser.post(
        "/backoffice/login/?next=/backoffice/",
        {"username": "kim", "password": "correct horse 2026", "otp_token": f"{totp.token():06d}"},
    )
    assert response.status_code == 302
    assert browser.get("/overview/").status_code == 302  # to the customer log-in
    assert browser.get("/api/v1/me").status_code == 401
    assert AuditEvent.objects.filter(
        action="logout", subject_id=str(customer.party.pk), detail__reason="staff_login"
    ).exists()
