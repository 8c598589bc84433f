"""Shared fixtures: customers made through the services, clients that enforce CSRF."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from trygg.identity.models import LoginChannel, LoginEvent, LoginMethod
from trygg.identity.services import pin_credential_set
from trygg.kernel import clock, idnumbers
from trygg.kernel.audit import SYSTEM
from trygg.parties.models import Party
from trygg.parties.services import ContactInput, person_register, sole_trader_firm_register

# Database-backed properties run at the speed of the database: no per-example deadline.
hypothesis_settings.register_profile(
    "trygg", deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
hypothesis_settings.load_profile("trygg")


@pytest.fixture(autouse=True)
def _light_argon2(settings: Any) -> None:
    """Tests use cheap argon2 parameters; production keeps 64 MiB, t=3 (see settings)."""
    settings.TRYGG_ARGON2_TIME_COST = 1
    settings.TRYGG_ARGON2_MEMORY_KIB = 1024


@pytest.fixture(autouse=True)
def _own_file_exchange(settings: Any, tmp_path_factory: Any) -> None:
    """Each test exchanges Bankgirot files in a directory of its own (never the project's var/,
    which parallel test processes and the demo share)."""
    settings.TRYGG_BANKGIROT_DIR = tmp_path_factory.mktemp("bankgirot")


@pytest.fixture(autouse=True)
def _own_recordings(settings: Any, tmp_path_factory: Any) -> None:
    """Recorded interactions go to a folder of each test's own (never the project's var/)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "recordings": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path_factory.mktemp("recordings"))},
        },
    }


@pytest.fixture(autouse=True)
def _own_documents(settings: Any, tmp_path_factory: Any) -> None:
    """Uploaded documents (the default storage) go to a folder of each test's own."""
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("documents"))


@pytest.fixture(autouse=True)
def _audit_triggers(request: Any) -> Iterator[None]:
    """Transactional tests end with a flush, which the append-only triggers of the audit log
    would refuse on SQLite: lift them just before the flush, and put them back for every test."""
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        names & {"transactional_db", "live_server"}
    )
    if not (marker or names & {"db", "transactional_db", "live_server"}):
        yield
        return
    request.getfixturevalue("transactional_db" if transactional else "db")
    from django.db import connection

    from trygg.kernel.dbtriggers import install_append_only, remove_append_only

    if connection.vendor == "sqlite":
        install_append_only(connection)
    yield
    if transactional and connection.vendor == "sqlite":
        remove_append_only(connection)


@pytest.fixture(autouse=True)
def _service_language_again() -> Iterator[None]:
    """Each test starts in the service's language (Swedish): a page that activated another
    language for its visitor leaves it active in the thread, as the locale middleware does."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_catalogue() -> Iterator[None]:
    """Each test reads the price base amounts and tariffs its own database holds."""
    from trygg.insurance.tariffs import catalogue_forget

    catalogue_forget()
    yield
    catalogue_forget()


@dataclass
class Customer:
    party: Party
    id_number: str
    pin: str


_serial = iter(range(100, 999))


def make_customer(
    *,
    born: dt.date = dt.date(1981, 12, 18),
    pin: str = "4826",
    must_change: bool = False,
    given: str = "Anna",
    family: str = "Berg",
    with_pin: bool = True,
    two_factor_days_ago: int | None = 30,
) -> Customer:
    """A customer; by default one who logged in with BankID 30 days ago, so that a PIN log-in
    shows account information (RTS Art. 10: within 180 days of a two-factor log-in)."""
    number = idnumbers.generate_swedish_personal(born, next(_serial))
    party = person_register(
        ctx=SYSTEM,
        id_number=number,
        given_name=given,
        family_name=family,
        contact=ContactInput(
            street="Storgatan 1",
            postal_code="11122",
            city="Stockholm",
            email="anna@example.org",
            mobile="0701234567",
        ),
    )
    if with_pin:
        pin_credential_set(ctx=SYSTEM, party=party, pin=pin, must_change=must_change)
    if two_factor_days_ago is not None:
        LoginEvent.objects.create(
            party=party,
            occurred_at=clock.now() - dt.timedelta(days=two_factor_days_ago),
            method=LoginMethod.BANKID,
            channel=LoginChannel.WEB,
            success=True,
        )
    return Customer(party=party, id_number=number, pin=pin)


@pytest.fixture
def customer(db: Any) -> Customer:
    return make_customer()


@pytest.fixture
def other_customer(db: Any) -> Customer:
    return make_customer(born=dt.date(1970, 5, 5), pin="7391", given="Erik", family="Lund")


@pytest.fixture
def sole_trader(db: Any) -> tuple[Customer, Party]:
    owner = make_customer(born=dt.date(1975, 3, 4), pin="5067", given="Jörgen", family="Ek")
    firm = sole_trader_firm_register(
        ctx=SYSTEM,
        person=owner.party,
        firm_name="Eks Snickeri",
        since=dt.date(2015, 4, 1),
        contact=ContactInput(street="Verkstadsgatan 4", postal_code="41701", city="Göteborg"),
    )
    return owner, firm


class ApiClient:
    """A browser-like API client: keeps cookies and sends the CSRF token as a browser would."""

    def __init__(self) -> None:
        self.client = Client(enforce_csrf_checks=True)
        self.token = ""

    def csrf(self) -> str:
        self.token = self.client.get("/api/v1/auth/csrf").json()["csrf_token"]
        return self.token

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        csrf: bool = True,
        raw: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        headers = {**(headers or {})}
        if csrf and self.token:
            headers["HTTP_X_CSRFTOKEN"] = self.token
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        handler = getattr(self.client, method.lower())
        if data is None:
            return handler(f"/api/v1{path}", **headers)
        return handler(f"/api/v1{path}", data=data, content_type="application/json", **headers)

    def login(self, id_number: str, pin: str) -> Any:
        if not self.token:
            self.csrf()
        response = self.call("POST", "/auth/login", {"id_number": id_number, "pin": pin})
        # A new session rotates the CSRF token.
        self.token = self.client.cookies["trygg_csrftoken"].value
        return response


TELEPHONY_KEY = "ivr-test-key-0123456789abcdefghijklmnop"


@pytest.fixture
def telephony(settings: Any) -> dict[str, str]:
    """The telephony platform "ivr" configured; the headers it sends with every call."""
    settings.TRYGG_TELEPHONY_KEYS = {"ivr": TELEPHONY_KEY}
    return {"HTTP_X_TELEPHONY_KEY": TELEPHONY_KEY}


@pytest.fixture
def api(db: Any) -> ApiClient:
    return ApiClient()


@pytest.fixture
def browser_client(db: Any) -> Client:
    return Client(enforce_csrf_checks=True)


def portal_login(client: Client, id_number: str, pin: str) -> Any:
    """Log in through the portal form, as a browser does (fetch the form for its CSRF token)."""
    page = client.get("/login/")
    token = (
        page.cookies["trygg_csrftoken"].value
        if "trygg_csrftoken" in page.cookies
        else (client.cookies["trygg_csrftoken"].value)
    )
    return client.post(
        "/login/", {"id_number": id_number, "pin": pin, "csrfmiddlewaretoken": token}
    )


def csrf_of(client: Client) -> str:
    return client.cookies["trygg_csrftoken"].value


def confirm_post(client: Client, path: str, data: dict[str, str] | None = None) -> Any:
    """A portal action that is previewed, then confirmed: the first POST must show the preview
    page (and change nothing, which the caller checks), the second confirms it."""
    import re

    sent = {**(data or {}), "csrfmiddlewaretoken": csrf_of(client)}
    preview = client.post(path, sent)
    assert preview.status_code == 200, preview.status_code
    digest = re.search(r'name="previewed" value="(\w+)"', preview.content.decode())
    assert digest is not None
    return client.post(path, {**sent, "previewed": digest.group(1), "confirm": "yes"})


@pytest.fixture
def frozen() -> Iterator[Any]:
    from trygg.kernel import clock

    with clock.frozen_now(dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)) as advance:
        yield advance


def post_confirmed(client: Client, url: str, data: dict[str, Any]) -> Any:
    """Post a back-office form of a destructive or irreversible action as a clerk does: once to
    see what it will do, then again with the confirmation ticked."""
    import re

    preview = client.post(url, data)
    shown = re.search(r'name="previewed" value="([0-9a-f]+)"', preview.content.decode())
    if shown is None:
        return preview  # refused: the form shows why, and nothing is previewed
    return client.post(url, {**data, "previewed": shown.group(1), "confirm": "yes"})
