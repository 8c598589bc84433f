"""Every read of personal data is audited: a walk over every portal page, every API endpoint
and every back-office page of every model that holds an object of a seeded person, failing on
any that shows the person's data and records no read of it.

The walk finds the pages itself (the portal's URL patterns, the API's OpenAPI document, the
admin site's registry and each model admin's URLs), so a new page that forgets the audit fails
here. Pages that show no personal data are listed in the allow-lists below, each with its
reason; a path parameter the walk has no value for fails too (give it one).
"""

from __future__ import annotations

import sys
import types
from typing import Any

import pytest
from django.contrib import admin
from django.db import models
from django.http import HttpResponse
from django.test import Client
from django.urls import URLResolver, include, path, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.backoffice.test_backoffice import _login
from tests.conftest import ApiClient, portal_login
from tests.walk import Seeded, api_endpoints, portal_pages, seed_demo_customer
from trygg import urls as trygg_urls
from trygg.banking.models import TradeOrder
from trygg.identity.models import StaffUser
from trygg.identity.portal import customer_required
from trygg.kernel.models import AuditAction, AuditEvent
from trygg.parties.models import Party
from trygg.web import urls as portal_urls

pytestmark = pytest.mark.django_db

# -- pages that show no personal data -------------------------------------------------------

PORTAL_WITHOUT_PERSONAL_DATA = {
    "home": "redirects to the overview or the log-in",
    "healthz": "the service's health, nobody's data",
    "login": "the log-in form",
    "login_token": "the token log-in form",
    "login_password": "the password log-in form of the protection service",
    "password_setup": "the form to choose a password with a letter's code",
    "password_change": "the form to change the password, nobody's data",
    "login_token_respond": "the token's challenge of a log-in under way (no log-in pending)",
    "login_bankid": "the BankID log-in page",
    "login_bankid_wait": "a BankID log-in under way (none pending: back to the log-in)",
    "login_bankid_qr": "a BankID QR code (none pending: empty)",
    "step_up": "asks for the token or BankID; carries the identity number the customer typed",
    "pin_change": "the form for a new PIN",
    "token_activate": "the form for the code of a new token",
    "insurance_quote": "prices of the tariff for an age and level the customer types",
    "insurance_prices": "the public price page of every level, nobody's data",
    "sign_bankid_qr": "the QR code of a BankID signing under way (none pending: empty)",
    "protection_form": "the blank registration form of the protection service",
    "market": "the instruments that can be traded and their prices, nobody's data",
    "payment_review": "a payment's review lives in the session that checked it; a token from "
    "elsewhere shows nothing (tests/banking/test_payments.py checks the review's audited read)",
}

API_WITHOUT_PERSONAL_DATA = {
    "/api/v1/auth/csrf": "hands out a CSRF token",
    "/api/v1/auth/bankid/{order_ref}/qr": "the QR code of a BankID log-in under way",
    "/api/v1/signing/{signing_id}/bankid/qr": "the QR code of a BankID signing under way",
    "/api/v1/insurance/quote": "prices of the tariff for an age and level the client sends",
    "/api/v1/insurance/questions": "the health declaration's questions, the same for all",
    # The blocking line answers the telephony platform, not a customer's session; its audited
    # reads are checked in tests/protection/test_line_api.py.
    "/api/v1/protection/line/customers/{customer_id}/items": "the telephony platform's",
    "/api/v1/protection/line/calls/{call_id}": "the telephony platform's",
}

# Back-office pages (by URL name suffix) that show no object's data.
ADMIN_WITHOUT_PERSONAL_DATA = {
    "add": "an empty form",
    "paper": "an empty paper-application form",
    "payment": "an empty form for an invoice payment (billing's charges)",
    "start": "an empty form to find the caller of a blocking call",
    "form": "the blank registration form of the protection service",
    "found": "an empty form for found keys, answered alike for every tag number",
    "register": "an empty form to register an objection to direct marketing",
    "draw": "an empty form to draw recordings for review",
    "statistics": "figures per team and month, no person in them",
    "call": "an empty form to ask for a survey in a phone call",
    "open": "an empty form to open a support ticket",
    "customer_find": "an empty form to find a customer of the protection service",
}


@pytest.fixture
def seeded(frozen: Any) -> Seeded:
    """The demo's first customer: accounts, funds, a policy, claims, autogiro and more."""
    return seed_demo_customer(0)


def _reads_of(person: Party, since: int) -> int:
    # A download of the person's copy of their data is recorded as an export: a read too.
    return AuditEvent.objects.filter(
        pk__gt=since,
        action__in=[AuditAction.READ, AuditAction.EXPORT],
        subject_id=str(person.pk),
    ).count()


def _last_event() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


# -- the portal -----------------------------------------------------------------------------


def _walk_portal(seeded: Seeded, patterns: list[Any] | None = None) -> tuple[list[str], list[str]]:
    """The portal pages the person sees (GET answers 200), and those of them that record no
    read of the person."""
    person = seeded.customer.party
    client = Client()
    assert portal_login(client, seeded.customer.id_number, seeded.customer.pin).status_code == 302
    unaudited, shown = [], []
    for url in portal_pages(seeded, PORTAL_WITHOUT_PERSONAL_DATA, patterns):
        before = _last_event()
        response = client.get(url)
        if response.status_code == 405:
            continue  # changes state on POST only; a GET shows nothing
        assert response.status_code == 200, (url, response.status_code)
        shown.append(url)
        if _reads_of(person, before) == 0:
            unaudited.append(url)
    return shown, unaudited


def test_every_portal_page_that_shows_personal_data_records_a_read(seeded: Seeded) -> None:
    shown, unaudited = _walk_portal(seeded)
    assert not unaudited, f"portal pages that record no read: {unaudited}"
    assert {"/overview/", "/bank/", "/bank/trade/", "/insurance/claims/"} <= set(shown)


def test_the_walk_finds_a_new_page_that_forgets_the_audit(
    seeded: Seeded, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    """A page added to the portal without an audited read fails the walk, unnamed anywhere
    in this file."""

    @customer_required()
    def leak(request: Any) -> HttpResponse:
        orders = TradeOrder.objects.filter(party=request.customer)  # bypasses the selector
        return HttpResponse(", ".join(o.instrument for o in orders))

    patterns = [*portal_urls.urlpatterns, path("leak/", leak, name="leak")]
    root = types.ModuleType("walk_leak_urls")
    root.urlpatterns = [  # type: ignore[attr-defined]
        path("", include((patterns, "web"))),
        *trygg_urls.urlpatterns[1:],
    ]
    monkeypatch.setitem(sys.modules, "walk_leak_urls", root)
    settings.ROOT_URLCONF = "walk_leak_urls"
    _shown, unaudited = _walk_portal(seeded, patterns)
    assert unaudited == ["/leak/"]


# -- the API --------------------------------------------------------------------------------


def test_every_api_endpoint_that_returns_personal_data_records_a_read(seeded: Seeded) -> None:
    person = seeded.customer.party
    client = ApiClient()
    assert client.login(seeded.customer.id_number, seeded.customer.pin).status_code == 200
    unaudited, walked = [], []
    for template, url in api_endpoints(seeded, API_WITHOUT_PERSONAL_DATA):
        before = _last_event()
        response = client.client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        walked.append(template)
        if _reads_of(person, before) == 0:
            unaudited.append(template)
    assert not unaudited, f"API endpoints that record no read: {unaudited}"
    assert {"/api/v1/me", "/api/v1/trades", "/api/v1/accounts"} <= set(walked)


# -- the back office ------------------------------------------------------------------------


def _party_paths(model: type[models.Model], depth: int = 2) -> list[str]:
    """The lookups from ``model`` to a Party along forward foreign keys (at most ``depth``)."""
    if model is Party:
        return ["pk"]
    found: list[str] = []
    for field in model._meta.get_fields():
        if not (field.is_relation and (field.many_to_one or field.one_to_one)):
            continue
        if not field.concrete or field.related_model is None:
            continue
        target = field.related_model
        if target is Party:
            found.append(field.name)
        elif depth > 1 and isinstance(target, type):
            found += [f"{field.name}__{rest}" for rest in _party_paths(target, depth - 1)]
    return found


def _object_of(model: type[models.Model], person: Party) -> models.Model | None:
    for lookup in _party_paths(model):
        obj = model._default_manager.filter(**{lookup: person.pk}).order_by("pk").first()
        if obj is not None:
            return obj
    return None


def _superuser_client() -> Client:
    user = StaffUser.objects.create_superuser(
        username="walker", password="correct horse 2026", email=""
    )
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client()
    assert _login(client, user, device).status_code == 302
    return client


def _admin_object(seeded: Seeded, param: str, model: type[models.Model], obj: Any) -> Any:
    """The value of an admin URL's parameter: the object itself (``object_id``) or, for
    ``<name>_id``, the person's object of the model called ``name``."""
    if param == "object_id":
        return obj.pk
    wanted = param.removesuffix("_id")
    if (model._meta.model_name or "").endswith(wanted):  # the object itself (token_id)
        return obj.pk
    for other in admin.site._registry:
        if other._meta.model_name == wanted:
            found = _object_of(other, seeded.customer.party)
            if found is not None:
                return found.pk
    pytest.fail(f"The walk has no value for <{param}> of {model._meta.label}'s admin.")


def test_every_back_office_page_of_a_persons_object_records_a_read(seeded: Seeded) -> None:
    person = seeded.customer.party
    client = _superuser_client()
    unaudited, shown = [], []
    for model, model_admin in admin.site._registry.items():
        obj = _object_of(model, person)
        if obj is None:
            continue
        for pattern in model_admin.get_urls():
            if isinstance(pattern, URLResolver) or not pattern.name:
                continue
            suffix = pattern.name.removeprefix(f"{model._meta.app_label}_{model._meta.model_name}_")
            if suffix in ADMIN_WITHOUT_PERSONAL_DATA:
                continue
            kwargs = {p: _admin_object(seeded, p, model, obj) for p in pattern.pattern.converters}
            url = reverse(f"admin:{pattern.name}", kwargs=kwargs)
            before = _last_event()
            response = client.get(url)
            if response.status_code != 200:
                # 403: closed to everyone; 405: POST only; 302: nothing to show (no letter
                # yet, or a page that leads on). None of them shows the object.
                assert response.status_code in (302, 403, 405), (url, response.status_code)
                continue
            shown.append(pattern.name)
            if _reads_of(person, before) == 0:
                unaudited.append(url)
    assert not unaudited, f"back-office pages that record no read: {unaudited}"
    assert {
        "parties_party_change",
        "insurance_application_decide",
        "claims_claim_decide",
        "insurance_policy_letter",
    } <= set(shown)
