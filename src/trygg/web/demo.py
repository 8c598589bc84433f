"""Demo data: fictitious customers and staff, created through the services, idempotently.

Names come from Faker (sv_SE, nb_NO) with a fixed seed; identity numbers are generated with valid
check digits from fixed birth dates, so running the command again finds everything in place.
"""

from __future__ import annotations

import base64
import datetime as dt
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker
from stdnum import isin

from trygg.banking.models import Account, AccountKind, Holding, HoldingKind
from trygg.banking.services import account_open, holding_record, incoming_payment_book
from trygg.banking.trading import instrument_price_record
from trygg.identity.models import (
    LoginChannel,
    LoginEvent,
    LoginMethod,
    PinCredential,
    SecurityToken,
    StaffUser,
    TokenKind,
    TokenState,
)
from trygg.identity.services import pin_credential_set
from trygg.identity.tokens import token_dispatch, token_hand_over, token_order
from trygg.kernel import clock, idnumbers
from trygg.kernel.audit import AuditContext
from trygg.kernel.bankdays import calendar_for
from trygg.kernel.models import AuditChannel
from trygg.kernel.money import at_scale
from trygg.parties.models import Party, PartyKind, SoleTrader
from trygg.parties.selectors import person_by_id_number
from trygg.parties.services import ContactInput, person_register, sole_trader_firm_register
from trygg.web.demo_billing import load_demo_billing
from trygg.web.demo_contact import load_demo_contact
from trygg.web.demo_insurance import load_demo_insurance
from trygg.web.demo_protection import load_demo_protection

CTX = AuditContext(actor_kind="system", actor_label="demo", channel=AuditChannel.BATCH)


@dataclass(frozen=True)
class DemoCustomer:
    id_number: str
    display: str
    pin: str
    name: str
    note: str


@dataclass(frozen=True)
class DemoToken:
    serial: str
    kind: str
    owner: str
    id_number: str


@dataclass(frozen=True)
class DemoStaff:
    username: str
    password: str
    role: str
    totp_secret_b32: str


# (birth date, serial, country, PIN, must change PIN, note)
_CUSTOMERS = [
    (dt.date(1981, 12, 18), 987, "SE", "4826", False, "private customer"),
    (dt.date(1975, 3, 4), 221, "SE", "7391", False, "sole trader: sees the firm too"),
    (dt.date(1990, 7, 30), 342, "SE", "5067", True, "must replace the letter PIN at log-in"),
    (dt.date(1962, 11, 2), 118, "SE", "62950", False, "private customer"),
    (
        dt.date(2001, 1, 25),
        563,
        "SE",
        "308417",
        False,
        "last used BankID 200 days ago: account pages ask for BankID or the token",
    ),
    (dt.date(1958, 5, 9), 774, "SE", "1593", False, "private customer"),
    (dt.date(1988, 9, 14), 512, "NO", "8264", False, "Norwegian customer"),
    (dt.date(1970, 2, 21), 476, "NO", "3718", False, "Norwegian customer"),
]

# Demo customers (by index above) who hold an active security token.
_TOKEN_HOLDERS = {0: TokenKind.OCRA, 1: TokenKind.OCRA, 3: TokenKind.TOTP}

STAFF = [
    ("kundtjanst", "customer_service", "Kundtjänst Demo"),
    ("underwriter", "underwriter", "Riskbedömare Demo"),
    ("underwriter2", "underwriter", "Andra Riskbedömare"),
    ("skador", "claims_handler", "Skadereglerare Demo"),
    ("premier", "billing_clerk", "Premiehandläggare Demo"),
    ("dataskydd", "privacy_officer", "Dataskyddsombud Demo"),
    ("sparr", "blocking_agent", "Spärrhandläggare Demo"),
    ("reception", "reception", "Reception Demo"),
    ("sakerhet", "security_officer", "Säkerhetsansvarig Demo"),
    ("coach", "team_coach", "Coach Demo"),
]


def _legacy_totp_key(username: str) -> bytes:
    """The secret earlier demo data derived from the user name (anyone could compute it):
    found on a device, it is replaced by a random one."""
    return f"trygg-demo-{username}".encode().ljust(20, b"!")[:20]


def _demo_totp_device(user: StaffUser) -> TOTPDevice:
    """The staff member's own authenticator: a random secret, made once and kept across runs
    (``trygg demo`` prints it, ``trygg otp`` shows the current code)."""
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, name="demo", defaults={"key": secrets.token_hex(20), "confirmed": True}
    )
    if device.key == _legacy_totp_key(user.get_username()).hex():
        device.key = secrets.token_hex(20)
        device.last_t = -1
        device.save(update_fields=["key", "last_t"])
    return device


def _faker(country: str, index: int) -> Faker:
    fake = Faker("sv_SE" if country == "SE" else "no_NO")
    fake.seed_instance(4711 + index)
    return fake


def _safe(text: str) -> str:
    return text.encode("latin-1", "replace").decode("latin-1")


def _demo_accounts(party: Party) -> None:
    """A salary account and a savings account with money on them (the firm: a business one)."""
    if Account.objects.filter(party=party).exists():
        return
    main = account_open(ctx=CTX, party=party, name="Lönekonto")
    incoming_payment_book(account=main, amount=Decimal("25000.00"), text="Lön")
    savings = account_open(ctx=CTX, party=party, name="Sparkonto", kind=AccountKind.SAVINGS)
    incoming_payment_book(account=savings, amount=Decimal("50000.00"), text="Insättning")


def _demo_holdings(party: Party) -> None:
    """Two funds and a pension, as the fund company and the life insurer report them."""
    if Holding.objects.filter(party=party).exists():
        return
    valued = dt.date(2026, 11, 20)
    for name, body, units, price in (
        ("Trygg Global Indexfond", "SE0001234567", "412.5531", "318.42"),
        ("Trygg Sverige Aktiefond", "SE0007654321", "88.1200", "1204.77"),
    ):
        holding_record(
            party=party,
            kind=HoldingKind.FUND,
            name=name,
            identifier=body[:-1] + isin.calc_check_digit(body[:-1]),
            units=Decimal(units),
            price=Decimal(price),
            valued_on=valued,
        )
    holding_record(
        party=party,
        kind=HoldingKind.SHARE,
        name="Ericsson B",
        identifier="SE0000108656",
        units=Decimal(40),
        price=Decimal("74.50"),
        valued_on=valued,
    )
    holding_record(
        party=party,
        kind=HoldingKind.PENSION,
        name="Trygg Traditionell Pension",
        identifier=f"P{party.customer_number}",
        units=Decimal(1),
        price=Decimal("284310.55"),
        valued_on=valued,
    )


# The demo's market: shares with a month of closing prices, each wandering a few per cent.
_MARKET = (
    ("SE0000108656", "Ericsson B", "74.50"),
    ("SE0000115446", "Volvo B", "268.40"),
    ("SE0000106205", "H & M B", "171.85"),
    ("SE0015811963", "Investor B", "301.20"),
)


def _demo_market() -> None:
    """A month of closing prices (bank days) up to today for the demo's shares."""
    today = clock.today()
    days: list[dt.date] = []
    day = today
    bank_days = calendar_for("SE")
    while len(days) < 22:
        if bank_days.is_bank_day(day):
            days.append(day)
        day -= dt.timedelta(days=1)
    for number, (code, name, last) in enumerate(_MARKET):
        for back, on in enumerate(days):
            # A fixed wiggle (no randomness): the same demo on every run.
            step = Decimal(((back * 7 + number * 3) % 11) - 5) / Decimal(400)
            price = at_scale(Decimal(last) * (1 + step), 2)
            instrument_price_record(isin=code, name=name, kind="share", on=on, price=price)


def _demo_two_factor_login(party: Party, *, days_ago: int) -> None:
    """The customer's BankID log-in of some days ago in their log-in history: a PIN log-in
    shows account information within 180 days of it (RTS Art. 10)."""
    if LoginEvent.objects.filter(party=party, method=LoginMethod.BANKID).exists():
        return
    LoginEvent.objects.create(
        party=party,
        occurred_at=clock.now() - dt.timedelta(days=days_ago),
        method=LoginMethod.BANKID,
        channel=LoginChannel.WEB,
        success=True,
    )


def _demo_token(party: Party, kind: str) -> SecurityToken:
    """An active token for a demo customer (handed over at the office)."""
    token = SecurityToken.objects.filter(party=party, state=TokenState.ACTIVE).first()
    if token is None:
        token = token_order(ctx=CTX, party=party, kind=kind)
        token_dispatch(ctx=CTX, token=token, by_post=False)
        token_hand_over(ctx=CTX, token=token)
    return token


class DemoRefused(RuntimeError):
    """Demo data (known PINs and passwords) is never loaded into a production database."""


def load_demo() -> tuple[list[DemoCustomer], list[DemoStaff], list[DemoToken]]:
    if settings.PRODUCTION:
        raise DemoRefused(
            "trygg demo does not run in production (TRYGG_ENV=production): its customers and "
            "staff have published PINs and passwords."
        )
    customers: list[DemoCustomer] = []
    tokens: list[DemoToken] = []
    with transaction.atomic():
        _demo_market()
        for index, (born, serial, country, pin, must_change, note) in enumerate(_CUSTOMERS):
            if country == "SE":
                number = idnumbers.generate_swedish_personal(born, serial)
            else:
                number = idnumbers.generate_norwegian_personal(born, serial)
            parsed = idnumbers.parse(number)
            party = person_by_id_number(country=parsed.country, id_number=parsed.value)
            fake = _faker(country, index)
            if party is None:
                male = serial % 2 == 1
                given = fake.first_name_male() if male else fake.first_name_female()
                party = person_register(
                    ctx=CTX,
                    id_number=number,
                    given_name=_safe(given),
                    family_name=_safe(fake.last_name()),
                    preferred_language="sv" if country == "SE" else "nb",
                    contact=ContactInput(
                        street=_safe(fake.street_address()),
                        postal_code=fake.postcode().replace(" ", "")[: 5 if country == "SE" else 4],
                        city=_safe(fake.city()),
                        email=f"demo{index + 1}@example.org",
                        mobile=f"070-123 45 {10 + index:02d}"
                        if country == "SE"
                        else f"412 34 {100 + index:03d}",
                    ),
                )
            if not PinCredential.objects.filter(party=party).exists():
                pin_credential_set(ctx=CTX, party=party, pin=pin, must_change=must_change)
            if "sole trader" in note and not SoleTrader.objects.filter(person=party).exists():
                firm = sole_trader_firm_register(
                    ctx=CTX,
                    person=party,
                    firm_name=f"{party.family_name}s Snickeri",
                    since=dt.date(2015, 4, 1),
                    contact=ContactInput(
                        street="Verkstadsgatan 4",
                        postal_code="41701",
                        city="Göteborg",
                        email="firma@example.org",
                    ),
                )
                business = account_open(ctx=CTX, party=firm, name="Företagskonto")
                incoming_payment_book(
                    account=business, amount=Decimal("80000.00"), text="Kundbetalningar"
                )
            _demo_accounts(party)
            _demo_holdings(party)
            _demo_two_factor_login(party, days_ago=200 if "200 days" in note else 12)
            if index in _TOKEN_HOLDERS:
                token = _demo_token(party, _TOKEN_HOLDERS[index])
                tokens.append(
                    DemoToken(token.serial, token.kind, party.display_name, parsed.display())
                )
            customers.append(
                DemoCustomer(
                    id_number=number,
                    display=parsed.display(),
                    pin=pin,
                    name=party.display_name,
                    note=note,
                )
            )
        swedish = [
            p
            for p in (
                person_by_id_number(country="SE", id_number=idnumbers.parse(c.id_number).value)
                for c in customers
            )
            if p is not None and p.country == "SE"
        ]
        load_demo_insurance(CTX, swedish)
    load_demo_billing(CTX, swedish)
    staff: list[DemoStaff] = []
    for username, group_name, full_name in STAFF:
        password = f"demo-{username}-2026"
        user, created = StaffUser.objects.get_or_create(
            username=username,
            defaults={
                "is_staff": True,
                "first_name": full_name.split()[0],
                "last_name": full_name.split()[-1],
            },
        )
        if created:
            user.set_password(password)
            user.save()
        user.groups.add(Group.objects.get(name=group_name))
        device = _demo_totp_device(user)
        staff.append(
            DemoStaff(
                username,
                password,
                group_name,
                base64.b32encode(device.bin_key).decode().rstrip("="),
            )
        )
    norwegian = next(
        (
            p
            for p in (
                person_by_id_number(country="NO", id_number=idnumbers.parse(c.id_number).value)
                for c in customers
            )
            if p is not None
        ),
        None,
    )
    if norwegian is not None:
        load_demo_protection(CTX, norwegian, agent_username="sparr")
    if swedish:
        load_demo_contact(
            CTX, swedish[0], agent_username="kundtjanst", security_username="sakerhet"
        )
    return customers, staff, tokens


def demo_counts() -> dict[str, int]:
    return {
        "persons": Party.objects.filter(kind=PartyKind.PERSON).count(),
        "organisations": Party.objects.filter(kind=PartyKind.ORGANISATION).count(),
        "staff": StaffUser.objects.count(),
    }
