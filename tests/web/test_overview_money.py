"""The overview opens on the customer's money: accounts with balances per engagement (private
and firm apart), the next premiums to be paid, claims in progress and the newest letters, with
every letter and document in the letters inbox; each read audited."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.conftest import Customer, portal_login
from tests.walk import seed_demo_customer
from trygg.banking.services import account_open, incoming_payment_book
from trygg.billing.models import Charge, ChargeState, Notice
from trygg.claims.models import Claim
from trygg.claims.services import claim_report_staff
from trygg.insurance.models import Policy
from trygg.kernel import clock
from trygg.kernel.audit import SYSTEM
from trygg.kernel.models import AuditEvent
from trygg.kernel.numbertext import money_text
from trygg.parties.letters import letter_queue
from trygg.parties.models import Letter

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(frozen: Any) -> Any:
    return seed_demo_customer(0)


def test_the_overview_shows_balances_next_debits_claims_and_letters(seeded: Any) -> None:
    party = seeded.customer.party
    client = Client()
    portal_login(client, seeded.customer.id_number, seeded.customer.pin)
    html = client.get("/overview/").content.decode()
    account = seeded.objects["account"]
    account.refresh_from_db()
    assert account.name in html and money_text(account.balance, language="sv") in html
    assert html.index("Dina pengar") < html.index("Dina kontaktuppgifter")
    upcoming = (
        Charge.objects.filter(
            payer=party,
            due_date__gte=clock.today(),
            state__in=[ChargeState.PLANNED, ChargeState.ORDERED],
        )
        .order_by("due_date", "pk")
        .first()
    )
    assert upcoming is not None
    assert (
        upcoming.due_date.isoformat() in html and money_text(upcoming.amount, language="sv") in html
    )
    in_progress = Claim.objects.filter(policy__policyholder=party, state="reported").first()
    assert in_progress is not None and in_progress.number in html
    decided = seeded.objects["decided_claim"]
    assert f"/insurance/claims/{decided.number}/letter/" in html
    policy = Policy.objects.filter(policyholder=party).first()
    assert policy is not None


def test_the_letters_inbox_holds_every_letter_and_each_opens(seeded: Any) -> None:
    party = seeded.customer.party
    client = Client()
    portal_login(client, seeded.customer.id_number, seeded.customer.pin)
    before = AuditEvent.objects.filter(action="read", object_type="letters").count()
    page = client.get("/letters/")
    assert page.status_code == 200
    html = page.content.decode()
    assert AuditEvent.objects.filter(action="read", object_type="letters").count() == before + 1
    notices = list(Notice.objects.filter(payer=party))
    assert notices
    links = [f"/autogiro/notices/{n.pk}/" for n in notices]
    links += [
        f"/insurance/policies/{p.number}/letter/" for p in Policy.objects.filter(policyholder=party)
    ]
    links.append(f"/insurance/claims/{seeded.objects['decided_claim'].number}/letter/")
    for link in links:
        assert link in html
        answer = client.get(link)
        assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf", link
    for letter in Letter.objects.filter(party=party):
        assert letter.title in html
    assert "Försäkringsbrev" in html or "Policy letter" not in html


def test_a_sole_trader_sees_the_firms_money_apart(sole_trader: tuple[Customer, Any]) -> None:
    owner, firm = sole_trader
    mine = account_open(ctx=SYSTEM, party=owner.party, name="Privatkonto")
    incoming_payment_book(account=mine, amount=Decimal("1234.50"), text="Lön")
    firms = account_open(ctx=SYSTEM, party=firm, name="Företagskonto")
    incoming_payment_book(account=firms, amount=Decimal("98765.00"), text="Faktura")
    from trygg.identity.models import LoginEvent

    assert LoginEvent.objects.filter(party=owner.party).exists()
    client = Client()
    portal_login(client, owner.id_number, owner.pin)
    page = client.get("/overview/")
    assert page.status_code == 200
    html = page.content.decode()
    money = html[html.index("Dina pengar") : html.index("Dina kontaktuppgifter")]
    private = money[: money.index("Eks Snickeri")]
    firm_part = money[money.index("Eks Snickeri") :]
    assert "Privatkonto" in private and "1 234,50 kr" in private.replace("\xa0", " ")
    assert "Företagskonto" in firm_part and "98 765,00 kr" in firm_part.replace("\xa0", " ")
    assert "Företagskonto" not in private
    reads = AuditEvent.objects.filter(action="read", object_type="accounts")
    assert {e.object_id for e in reads} >= {str(owner.party.pk), str(firm.pk)}


def test_the_overview_reads_in_as_many_statements_however_much_it_shows(seeded: Any) -> None:
    party = seeded.customer.party
    client = Client()
    portal_login(client, seeded.customer.id_number, seeded.customer.pin)
    client.get("/overview/")
    with CaptureQueriesContext(connection) as before:
        client.get("/overview/")
    account = account_open(ctx=SYSTEM, party=party, name="Resekonto")
    incoming_payment_book(account=account, amount=Decimal("4321.00"), text="Insättning")
    letter_queue(
        ctx=SYSTEM,
        party=party,
        purpose="test.overview",
        reference="1",
        title="Ett brev med posten",
        document=b"%PDF-1.4",
        language="sv",
    )
    policy = Policy.objects.filter(policyholder=party).order_by("pk").first()
    assert policy is not None
    claim = claim_report_staff(
        ctx=SYSTEM,
        policy_id=policy.pk,
        accident_date=clock.today(),
        description="Stukade foten.",
        payout_destination="6000-123456789",
    )
    with CaptureQueriesContext(connection) as after:
        html = client.get("/overview/").content.decode()
    assert "Resekonto" in html and "Ett brev med posten" in html and claim.number in html
    assert len(after) == len(before)
