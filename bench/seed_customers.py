"""Seed N customers set-based (bulk inserts), for benchmarks: persons with addresses, e-mail,
mobile, a PIN (one hash shared, so seeding is fast), some log-ins, and every twentieth person a
sole trader with a firm. Run inside Django: ``python bench/seed_customers.py 10000``."""

from __future__ import annotations

import datetime as dt
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trygg.settings")

import django

django.setup()

from django.db import transaction

from trygg.identity.hashing import pin_hasher
from trygg.identity.models import LoginEvent, PinCredential
from trygg.kernel import clock, idnumbers
from trygg.kernel.models import Counter
from trygg.parties.models import Address, ContactMethod, Party, SoleTrader
from trygg.parties.rules import customer_number_from_serial

PIN = "4826"
BATCH = 2000


def person_number(index: int) -> str:
    born = dt.date(1940, 1, 1) + dt.timedelta(days=(index * 7919) % 25000)
    return idnumbers.generate_swedish_personal(born, index % 1000)


def seed(count: int) -> None:
    existing = Party.objects.filter(kind="person").count()
    if existing >= count:
        print(f"{existing} customers already present")
        return
    pin_hash = pin_hasher().hash(PIN)
    now = clock.now()
    serial = Counter.objects.filter(name="customer_number").values_list("value", flat=True).first()
    serial = serial or 100000
    seen = set(Party.objects.values_list("id_number", flat=True))
    index = 0
    made = existing
    while made < count:
        with transaction.atomic():
            persons = []
            while len(persons) < BATCH and made + len(persons) < count:
                index += 1
                number = person_number(index)
                if number in seen:
                    continue
                seen.add(number)
                serial += 1
                parsed = idnumbers.parse(number)
                persons.append(
                    Party(
                        kind="person",
                        customer_number=customer_number_from_serial(serial),
                        country="SE",
                        id_number=parsed.value,
                        id_kind=parsed.kind.value,
                        given_name=f"Bench{index}",
                        family_name="Kund",
                        birth_date=parsed.birth_date,
                    )
                )
            Party.objects.bulk_create(persons, batch_size=BATCH)
            persons = list(
                Party.objects.filter(id_number__in=[p.id_number for p in persons], kind="person")
            )
            Address.objects.bulk_create(
                [
                    Address(
                        party=p,
                        street=f"Storgatan {p.pk % 90 + 1}",
                        postal_code="111 22",
                        city="Stockholm",
                    )
                    for p in persons
                ],
                batch_size=BATCH,
            )
            ContactMethod.objects.bulk_create(
                [
                    ContactMethod(party=p, kind="email", value=f"kund{p.pk}@example.org")
                    for p in persons
                ]
                + [
                    ContactMethod(party=p, kind="mobile", value=f"+467012{p.pk % 100000:05d}")
                    for p in persons
                ],
                batch_size=BATCH,
            )
            PinCredential.objects.bulk_create(
                [PinCredential(party=p, pin_hash=pin_hash, must_change=False) for p in persons],
                batch_size=BATCH,
            )
            LoginEvent.objects.bulk_create(
                [
                    LoginEvent(
                        party=p,
                        occurred_at=now - dt.timedelta(days=d),
                        # A BankID log-in 4 days ago: a PIN log-in shows the overview within 180
                        # days of one (RTS Art. 10).
                        method="bankid" if d == 4 else "pin",
                        channel="web",
                        success=d != 2,
                    )
                    for p in persons
                    for d in range(5)
                ],
                batch_size=BATCH,
            )
            firms = []
            owners = [p for p in persons if p.pk % 20 == 0]
            for owner in owners:
                serial += 1
                firms.append(
                    Party(
                        kind="organisation",
                        customer_number=customer_number_from_serial(serial),
                        country="SE",
                        id_number=owner.id_number,
                        id_kind="sole_trader",
                        legal_name=f"{owner.given_name} Konsult",
                        registered_owner=owner.id_number,
                    )
                )
            Party.objects.bulk_create(firms, batch_size=BATCH)
            firms = list(
                Party.objects.filter(
                    kind="organisation", id_number__in=[o.id_number for o in owners]
                )
            )
            by_number = {f.id_number: f for f in firms}
            SoleTrader.objects.bulk_create(
                [
                    SoleTrader(
                        person=o,
                        firm=by_number[o.id_number],
                        since=dt.date(2015, 1, 1),
                        state="approved",
                        decided_by="system:bench",
                    )
                    for o in owners
                ],
                batch_size=BATCH,
            )
            Counter.objects.update_or_create(name="customer_number", defaults={"value": serial})
            made += len(persons)
        print(f"{made} customers")


def login_numbers(count: int) -> list[str]:
    """Identity numbers of ``count`` seeded customers, spread over the table."""
    numbers = list(
        Party.objects.filter(kind="person", given_name__startswith="Bench")
        .order_by("pk")
        .values_list("id_number", flat=True)
    )
    step = max(1, len(numbers) // count)
    return numbers[::step][:count]


if __name__ == "__main__":
    if sys.argv[1] == "numbers":
        print("\n".join(login_numbers(int(sys.argv[2]))))
    else:
        seed(int(sys.argv[1]))
