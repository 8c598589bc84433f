"""Fictitious data at scale for test environments (seed 002: "i första hand fiktiva
personuppgifter"): persons with valid-checksum Swedish personnummer and Norwegian
fødselsnummer, their postal address, e-mail and mobile, and a transaction account each.

Set-based: rows are made in Python a batch at a time and written with PostgreSQL's ``COPY`` (one
statement per table and batch), or one ``executemany`` per table and batch on SQLite. Numbers
are drawn from counters reserved once per batch (customer numbers, account numbers); identity
numbers run through birth dates 1940-2005 and serials, skipping numbers the database already
holds. The persons are fictitious: names from short lists, streets "Testgatan", e-mail at
``example.org`` (RFC 2606), Swedish mobiles in the series PTS keeps for fiction (070-174 06 05
to 070-174 06 99), Norwegian ones as eight digits beginning with 0, outside the numbers issued
to subscribers.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from stdnum import luhn

from trygg.banking.models import Account
from trygg.kernel import clock, idnumbers
from trygg.kernel.models import Counter
from trygg.parties.models import Address, ContactMethod, Party
from trygg.parties.rules import customer_number_from_serial

FIRST = dt.date(1940, 1, 1)
DAYS = (dt.date(2005, 12, 31) - FIRST).days + 1
GIVEN = (
    "Anna",
    "Erik",
    "Maria",
    "Lars",
    "Karin",
    "Johan",
    "Sara",
    "Nils",
    "Ingrid",
    "Ola",
    "Kari",
    "Per",
    "Sofia",
    "Anders",
    "Elin",
    "Magnus",
    "Ida",
    "Henrik",
    "Tove",
    "Jonas",
)
FAMILY = (
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsen",
    "Hansen",
    "Johansen",
    "Berg",
    "Lind",
    "Holm",
    "Dahl",
    "Strand",
    "Lund",
    "Nordin",
)
CITIES_SE = (
    ("11122", "Stockholm"),
    ("41101", "Göteborg"),
    ("21120", "Malmö"),
    ("75320", "Uppsala"),
    ("90325", "Umeå"),
)
CITIES_NO = (("0150", "Oslo"), ("5003", "Bergen"), ("7010", "Trondheim"), ("4006", "Stavanger"))


@dataclass(frozen=True)
class Made:
    persons: int
    rows: int
    seconds: float


def _reserve(name: str, count: int, start: int) -> int:
    """The first of ``count`` consecutive values of counter ``name``, reserved in one update."""
    with transaction.atomic():
        counter, _ = Counter.objects.select_for_update().get_or_create(
            name=name, defaults={"value": start - 1}
        )
        first = counter.value + 1
        counter.value += count
        counter.save(update_fields=["value"])
    return first


def _clearing() -> str:
    from trygg.banking.services import CLEARING_NUMBER

    return CLEARING_NUMBER


def _numbers(
    start: int, norwegian_share: float, existing: set[str]
) -> Iterator[tuple[str, str, dt.date]]:
    """(country, normalised identity number, birth date), never one in ``existing``."""
    index = start
    step_no = int(1 / norwegian_share) if norwegian_share > 0 else 0
    while True:
        day = FIRST + dt.timedelta(days=index % DAYS)
        serial = (index // DAYS) % 1000
        if step_no and index % step_no == 0:
            country = "NO"
            number = idnumbers.generate_norwegian_personal(day, serial)
        else:
            country = "SE"
            number = idnumbers.generate_swedish_personal(day, serial)
        index += 1
        if number in existing:
            continue
        existing.add(number)
        yield country, number, day


def _columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def _write(model: type[models.Model], rows: Sequence[dict[str, Any]]) -> None:
    """Rows into ``model``'s table in one statement: COPY on PostgreSQL, else executemany."""
    if not rows:
        return
    fields = _columns(model)
    names = [str(f.column) for f in fields]
    defaults = {str(f.column): f.get_default() for f in fields}
    table = connection.ops.quote_name(model._meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(n) for n in names)
    values = [[row.get(n, defaults[n]) for n in names] for row in rows]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for value in values:
                    copy.write_row(value)
        else:
            marks = ", ".join(["%s"] * len(names))
            cursor.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({marks})", values)  # noqa: S608


def _ids(customer_numbers: list[str]) -> dict[str, int]:
    return dict(
        Party.objects.filter(customer_number__in=customer_numbers).values_list(
            "customer_number", "pk"
        )
    )


def make_persons(
    count: int, *, norwegian_share: float = 0.2, batch: int = 20000, seed: int = 1
) -> Made:
    """``count`` fictitious persons with address, e-mail, mobile and an account each."""
    if count < 1:
        raise ValueError("--persons: give a number of persons, 1 or more.")
    started = time.monotonic()
    rng = random.Random(seed)
    existing = set(
        Party.objects.filter(kind="person").values_list("id_number", flat=True).iterator()
    )
    numbers = _numbers(rng.randrange(DAYS * 50), norwegian_share, existing)
    now = clock.now()
    clearing = _clearing()
    made = rows = 0
    while made < count:
        size = min(batch, count - made)
        first_customer = _reserve("customer_number", size, 100001)
        first_account = _reserve("account_number", size, 1000001)
        parties, people = [], []
        for i in range(size):
            country, number, born = next(numbers)
            given, family = rng.choice(GIVEN), rng.choice(FAMILY)
            customer_number = customer_number_from_serial(first_customer + i)
            parties.append(
                {
                    "kind": "person",
                    "customer_number": customer_number,
                    "country": country,
                    "id_number": number,
                    "id_kind": "no_personal" if country == "NO" else "se_personal",
                    "given_name": given,
                    "family_name": family,
                    "legal_name": "",
                    "birth_date": born,
                    "preferred_language": "nb" if country == "NO" else "sv",
                    "registered_owner": "",
                    "created_at": now,
                    "updated_at": now,
                }
            )
            people.append((customer_number, country, given, family, first_account + i))
        with transaction.atomic():
            _write(Party, parties)
            ids = _ids([p[0] for p in people])
            addresses, contacts, accounts = [], [], []
            for customer_number, country, given, family, account_serial in people:
                party_id = ids[customer_number]
                postal, city = rng.choice(CITIES_NO if country == "NO" else CITIES_SE)
                addresses.append(
                    {
                        "party_id": party_id,
                        "kind": "postal",
                        "care_of": "",
                        "street": f"Testgatan {party_id % 200 + 1}",
                        "postal_code": postal,
                        "city": city,
                        "country": country,
                        "updated_at": now,
                    }
                )
                contacts.append(
                    {
                        "party_id": party_id,
                        "kind": "email",
                        "value": f"{given.lower()}.{family.lower()}.{party_id}@example.org",
                        "updated_at": now,
                    }
                )
                mobile = (
                    f"070174{605 + party_id % 95:04d}"
                    if country == "SE"
                    else f"0{party_id % 10**7:07d}"
                )
                contacts.append(
                    {"party_id": party_id, "kind": "mobile", "value": mobile, "updated_at": now}
                )
                serial = str(account_serial)
                accounts.append(
                    {
                        "party_id": party_id,
                        "number": f"{clearing}-{serial}{luhn.calc_check_digit(clearing + serial)}",
                        "name": "Lönekonto",
                        "kind": "transaction",
                        "currency": "SEK",
                        "balance": 0,
                        "opened_at": now,
                    }
                )
            _write(Address, addresses)
            _write(ContactMethod, contacts)
            _write(Account, accounts)
        made += size
        rows += size * 5
    return Made(persons=made, rows=rows, seconds=time.monotonic() - started)
