"""Accounts, the ledger, transfers, payees and payments with exactly the proof the seed asks."""

from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.banking.conftest import sign, with_token
from tests.conftest import Customer, make_customer
from trygg.banking import rules
from trygg.banking.models import Account, LedgerTransaction, Payee, Payment, Posting
from trygg.banking.services import (
    NewPaymentInput,
    PayeeInput,
    account_open,
    incoming_payment_book,
    payee_register,
    payee_register_start,
    payment_new_execute,
    payment_new_start,
    payment_to_payee,
    transfer_own,
)
from trygg.kernel.audit import SYSTEM
from trygg.kernel.errors import Conflict, NotFound, ValidationFailed
from trygg.kernel.models import AuditEvent
from trygg.kernel.moneydb import MoneySum

BG = "5050-1055"  # a bankgiro number with a valid check digit


def _ledger_balanced() -> None:
    for entry in LedgerTransaction.objects.all():
        assert entry.postings.aggregate(s=MoneySum("amount"))["s"] == 0
    for account in Account.objects.all():
        total = account.postings.aggregate(s=MoneySum("amount"))["s"] or Decimal(0)
        assert account.balance == total


@pytest.mark.parametrize(
    ("kind", "number", "code"),
    [
        ("bankgiro", "5050-1056", "bankgiro.checksum"),
        ("bankgiro", "123", "bankgiro.format"),
        ("plusgiro", "4711-2", "plusgiro.checksum"),
        ("account", "8327", "account.format"),
        ("account", "83x7-12345", "account.format"),
        ("iban", "x", "destination.kind"),
    ],
)
def test_malformed_destinations_are_named(kind: str, number: str, code: str) -> None:
    with pytest.raises(rules.RuleError) as exc:
        rules.parse_destination(kind, number)
    assert exc.value.code == code


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("0", "amount.positive"),
        ("-5", "amount.positive"),
        ("1.005", "amount.format"),
        ("abc", "amount.format"),
        (1.5, "amount.format"),
        ("10000000.01", "amount.maximum"),
    ],
)
def test_bad_amounts_are_named(value: Any, code: str) -> None:
    with pytest.raises(rules.RuleError) as exc:
        rules.parse_amount(value)
    assert exc.value.code == code


@pytest.mark.django_db
def test_transfer_between_own_accounts_needs_no_signature(funded: Any) -> None:
    customer, main, savings = funded
    transfer_own(
        ctx=SYSTEM,
        person=customer.party,
        from_account_id=main.pk,
        to_account_id=savings.pk,
        amount="2500,50",
        message="Spara",
    )
    main.refresh_from_db()
    savings.refresh_from_db()
    assert (main.balance, savings.balance) == (Decimal("7499.50"), Decimal("2500.50"))
    _ledger_balanced()


@pytest.mark.django_db
def test_no_overdraft_and_nothing_booked(funded: Any) -> None:
    customer, main, savings = funded
    with pytest.raises(ValidationFailed) as exc:
        transfer_own(
            ctx=SYSTEM,
            person=customer.party,
            from_account_id=main.pk,
            to_account_id=savings.pk,
            amount="10000.01",
        )
    assert exc.value.code == "account.insufficient_funds" and exc.value.field == "amount"
    assert LedgerTransaction.objects.filter(kind="transfer").count() == 0
    _ledger_balanced()


@pytest.mark.django_db
def test_someone_elses_account_is_not_found(funded: Any, other_customer: Customer) -> None:
    customer, main, _savings = funded
    theirs = account_open(ctx=SYSTEM, party=other_customer.party, name="Deras")
    with pytest.raises(NotFound):
        transfer_own(
            ctx=SYSTEM,
            person=customer.party,
            from_account_id=main.pk,
            to_account_id=theirs.pk,
            amount="1",
        )
    with pytest.raises(NotFound):
        transfer_own(
            ctx=SYSTEM,
            person=other_customer.party,
            from_account_id=main.pk,
            to_account_id=theirs.pk,
            amount="1",
        )


@pytest.mark.django_db
def test_a_retried_request_never_pays_twice(funded: Any) -> None:
    customer, main, savings = funded
    first = transfer_own(
        ctx=SYSTEM,
        person=customer.party,
        from_account_id=main.pk,
        to_account_id=savings.pk,
        amount="100",
        idempotency_key="k-1",
    )
    again = transfer_own(
        ctx=SYSTEM,
        person=customer.party,
        from_account_id=main.pk,
        to_account_id=savings.pk,
        amount="100",
        idempotency_key="k-1",
    )
    assert first.pk == again.pk
    savings.refresh_from_db()
    assert savings.balance == Decimal("100.00")
    with pytest.raises(Conflict) as exc:
        transfer_own(
            ctx=SYSTEM,
            person=customer.party,
            from_account_id=main.pk,
            to_account_id=savings.pk,
            amount="200",
            idempotency_key="k-1",
        )
    assert exc.value.code == "idempotency.key_reused"


@pytest.mark.django_db
def test_payee_needs_signing_and_is_then_paid_without(funded: Any) -> None:
    customer, main, _savings = funded
    with_token(customer)
    data = PayeeInput(name="Elbolaget", kind="bankgiro", number=BG)
    order = payee_register_start(ctx=SYSTEM, person=customer.party, data=data)
    assert "5050-1055" in order.summary
    with pytest.raises(ValidationFailed) as exc:  # not signed yet
        payee_register(ctx=SYSTEM, person=customer.party, signing_id=order.public_id, data=data)
    assert exc.value.code == "signing.not_signed"
    sign(customer, order)
    payee = payee_register(ctx=SYSTEM, person=customer.party, signing_id=order.public_id, data=data)
    payment = payment_to_payee(
        ctx=SYSTEM,
        person=customer.party,
        from_account_id=main.pk,
        payee_id=payee.pk,
        amount="845.00",
        message="Faktura 1234",
    )
    assert payment.amount == Decimal("845.00") and payment.signing_id == ""
    _ledger_balanced()


@pytest.mark.django_db
def test_payee_registration_with_another_number_than_signed_is_void(funded: Any) -> None:
    customer, _main, _savings = funded
    with_token(customer)
    order = payee_register_start(
        ctx=SYSTEM, person=customer.party, data=PayeeInput("Elbolaget", "bankgiro", BG)
    )
    sign(customer, order)
    with pytest.raises(ValidationFailed) as exc:
        payee_register(
            ctx=SYSTEM,
            person=customer.party,
            signing_id=order.public_id,
            data=PayeeInput("Elbolaget", "bankgiro", "5402-9681"),
        )
    assert exc.value.code == "signing.mismatch"
    assert not Payee.objects.exists()


@pytest.mark.django_db
def test_payment_to_a_new_account_is_signed_over_amount_and_payee(funded: Any) -> None:
    customer, main, _savings = funded
    with_token(customer)
    data = NewPaymentInput(
        from_account_id=main.pk,
        kind="account",
        number="3300 8112189876",
        amount="1500",
        message="Hyra",
    )
    order = payment_new_start(ctx=SYSTEM, person=customer.party, data=data)
    assert "1\u00a0500,00\u00a0kr" in order.summary and "3300-8112189876" in order.summary
    assert "till konto 3300-8112189876" in order.summary  # no English word in a signed text
    sign(customer, order)
    tampered = NewPaymentInput(
        from_account_id=main.pk,
        kind="account",
        number="3300 8112189876",
        amount="15000",
        message="Hyra",
    )
    with pytest.raises(ValidationFailed) as exc:
        payment_new_execute(
            ctx=SYSTEM, person=customer.party, signing_id=order.public_id, data=tampered
        )
    assert exc.value.code == "signing.mismatch"
    assert not Payment.objects.exists()
    # The signature is void now; a new one is needed even for the original data.
    order = payment_new_start(ctx=SYSTEM, person=customer.party, data=data)
    sign(customer, order)
    payment = payment_new_execute(
        ctx=SYSTEM,
        person=customer.party,
        signing_id=order.public_id,
        data=data,
        idempotency_key="p-1",
    )
    again = payment_new_execute(
        ctx=SYSTEM,
        person=customer.party,
        signing_id=order.public_id,
        data=data,
        idempotency_key="p-1",
    )
    assert payment.pk == again.pk
    main.refresh_from_db()
    assert main.balance == Decimal("8500.00")
    _ledger_balanced()


@pytest.mark.django_db
def test_sole_trader_pays_from_the_firm(sole_trader: Any) -> None:
    owner, firm = sole_trader
    private = account_open(ctx=SYSTEM, party=owner.party, name="Privat")
    business = account_open(ctx=SYSTEM, party=firm, name="Företagskonto")
    incoming_payment_book(account=business, amount=Decimal("5000"), text="Kund")
    transfer_own(
        ctx=SYSTEM,
        person=owner.party,
        from_account_id=business.pk,
        to_account_id=private.pk,
        amount="1000",
    )
    with_token(owner)
    order = payment_new_start(
        ctx=SYSTEM, person=owner.party, data=NewPaymentInput(business.pk, "bankgiro", BG, "250")
    )
    assert order.party == owner.party and order.acting_for == firm
    _ledger_balanced()


def _at_once(work: Callable[[], None], count: int) -> None:
    """``count`` threads doing ``work`` together (on SQLite, which serialises writers, one after
    the other)."""
    threads = [threading.Thread(target=work) for _ in range(count)]
    if connection.vendor == "postgresql":
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    else:
        for t in threads:
            t.start()
            t.join()


@pytest.mark.django_db
def test_the_whole_balance_can_be_moved_but_not_a_cent_more() -> None:
    customer = make_customer()
    main = account_open(ctx=SYSTEM, party=customer.party, name="Lönekonto")
    savings = account_open(ctx=SYSTEM, party=customer.party, name="Sparkonto")
    incoming_payment_book(account=main, amount=Decimal("250.00"), text="Lön")
    transfer = {"ctx": SYSTEM, "person": customer.party, "from_account_id": main.pk}
    with pytest.raises(ValidationFailed) as refused:
        transfer_own(**transfer, to_account_id=savings.pk, amount="250.01")
    assert refused.value.code == "account.insufficient_funds"
    # The refusal names the account, not its balance (decision 0019: no balance to a session
    # that may not see it).
    assert "Lönekonto" in refused.value.message and "250" not in refused.value.message
    transfer_own(**transfer, to_account_id=savings.pk, amount="250.00")
    main.refresh_from_db()
    assert main.balance == Decimal("0.00")
    with pytest.raises(ValidationFailed):
        transfer_own(**transfer, to_account_id=savings.pk, amount="0.01")
    _ledger_balanced()


@pytest.mark.django_db(transaction=True)
def test_concurrent_payments_never_overdraw() -> None:
    customer = make_customer()
    main = account_open(ctx=SYSTEM, party=customer.party, name="Lönekonto")
    savings = account_open(ctx=SYSTEM, party=customer.party, name="Sparkonto")
    incoming_payment_book(account=main, amount=Decimal("1000.00"), text="Lön")
    outcomes: list[str] = []
    lock = threading.Lock()

    def spend() -> None:
        try:
            transfer_own(
                ctx=SYSTEM,
                person=customer.party,
                from_account_id=main.pk,
                to_account_id=savings.pk,
                amount="300",
            )
            result = "ok"
        except ValidationFailed as error:
            result = error.code
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    _at_once(spend, 8)
    assert outcomes.count("ok") == 3
    assert outcomes.count("account.insufficient_funds") == 5
    main.refresh_from_db()
    assert main.balance == Decimal("100.00")
    _ledger_balanced()


@pytest.mark.django_db(transaction=True)
def test_the_same_request_sent_at_once_from_eight_places_books_once() -> None:
    """A client that retries before the first answer came: one key, one booking, the same
    transaction for every caller, even when the money would not stretch to a second one."""
    customer = make_customer()
    main = account_open(ctx=SYSTEM, party=customer.party, name="Lönekonto")
    savings = account_open(ctx=SYSTEM, party=customer.party, name="Sparkonto")
    incoming_payment_book(account=main, amount=Decimal("500.00"), text="Lön")
    booked: list[int] = []
    lock = threading.Lock()

    def send() -> None:
        try:
            entry = transfer_own(
                ctx=SYSTEM,
                person=customer.party,
                from_account_id=main.pk,
                to_account_id=savings.pk,
                amount="400",
                idempotency_key="retry-1",
            )
        finally:
            connection.close()
        with lock:
            booked.append(entry.pk)

    _at_once(send, 8)
    assert len(booked) == 8 and len(set(booked)) == 1
    main.refresh_from_db()
    assert main.balance == Decimal("100.00")
    assert AuditEvent.objects.filter(object_type="transfer").count() == 1
    _ledger_balanced()


@pytest.mark.django_db
@settings(max_examples=30)
@given(amounts=st.lists(st.integers(min_value=1, max_value=400000), min_size=1, max_size=15))
def test_ledger_always_balances(amounts: list[int]) -> None:
    customer = make_customer()
    a = account_open(ctx=SYSTEM, party=customer.party, name="A")
    b = account_open(ctx=SYSTEM, party=customer.party, name="B")
    incoming_payment_book(account=a, amount=Decimal("1000.00"), text="start")
    for i, minor in enumerate(amounts):
        source, target = (a, b) if i % 2 == 0 else (b, a)
        source.refresh_from_db()
        amount = Decimal(minor) / 100
        if amount > source.balance:
            with pytest.raises(ValidationFailed) as refused:
                transfer_own(
                    ctx=SYSTEM,
                    person=customer.party,
                    from_account_id=source.pk,
                    to_account_id=target.pk,
                    amount=str(amount),
                )
            assert refused.value.code == "account.insufficient_funds"
        else:
            transfer_own(
                ctx=SYSTEM,
                person=customer.party,
                from_account_id=source.pk,
                to_account_id=target.pk,
                amount=str(amount),
            )
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.balance >= 0 and b.balance >= 0 and a.balance + b.balance == Decimal("1000.00")
    assert Posting.objects.filter(account__in=[a, b]).aggregate(s=MoneySum("amount"))["s"] == (
        Decimal("1000.00")
    )


@pytest.mark.django_db
def test_an_unbalanced_booking_is_refused(funded: Any) -> None:
    from django.db import DatabaseError, transaction

    from trygg.banking.ledger import Leg, book

    _customer, main, savings = funded
    with pytest.raises(ValueError, match="add up to zero"):
        book(
            kind="x",
            description="x",
            party=None,
            legs=[Leg(main, Decimal("-5")), Leg(savings, Decimal("4"))],
        )
    if connection.vendor == "postgresql":  # the database itself refuses it too
        entry = LedgerTransaction.objects.first()
        assert entry is not None
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        with pytest.raises(DatabaseError, match="does not balance"), transaction.atomic():
            Posting.objects.create(transaction=entry, account=main, amount=Decimal("1"))
    with pytest.raises(DatabaseError), transaction.atomic():
        Posting.objects.filter(account=main).update(amount=Decimal("999"))
    _ledger_balanced()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["autogiro", "einvoice"])
def test_registration_is_signed_and_creates_what_billing_consumes(funded: Any, kind: str) -> None:
    from trygg.banking.models import Registration
    from trygg.banking.services import RegistrationInput, registration_create, registration_start

    customer, main, _savings = funded
    with_token(customer)
    data = RegistrationInput(
        kind=kind,
        biller_name="Trygg Försäkring",
        biller_bankgiro="5050-1055",
        payer_reference="1000017",
        account_id=main.pk if kind == "autogiro" else None,
    )
    order = registration_start(ctx=SYSTEM, person=customer.party, data=data)
    assert "5050" in order.summary and "1000017" in order.summary
    assert order.function == f"{kind}_register"
    with pytest.raises(ValidationFailed):
        registration_create(
            ctx=SYSTEM, person=customer.party, signing_id=order.public_id, data=data
        )  # not signed yet
    sign(customer, order)
    other = RegistrationInput(
        kind=kind,
        biller_name="Trygg Försäkring",
        biller_bankgiro="5050-1055",
        payer_reference="9999999",
        account_id=data.account_id,
    )
    with pytest.raises(ValidationFailed) as exc:
        registration_create(
            ctx=SYSTEM, person=customer.party, signing_id=order.public_id, data=other
        )
    assert exc.value.code == "signing.mismatch"
    order = registration_start(ctx=SYSTEM, person=customer.party, data=data)
    sign(customer, order)
    registration = registration_create(
        ctx=SYSTEM, person=customer.party, signing_id=order.public_id, data=data
    )
    assert registration.state == "requested"
    assert Registration.objects.filter(kind=kind, state="requested").count() == 1


@pytest.mark.django_db
def test_autogiro_registration_needs_an_own_account(funded: Any, other_customer: Customer) -> None:
    from trygg.banking.services import RegistrationInput, registration_start

    _customer, main, _savings = funded
    with pytest.raises(NotFound):
        registration_start(
            ctx=SYSTEM,
            person=other_customer.party,
            data=RegistrationInput(
                kind="autogiro",
                biller_name="X",
                biller_bankgiro="5050-1055",
                payer_reference="1",
                account_id=main.pk,
            ),
        )


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("3300 8112189877", "account.checksum"),  # personkonto with a wrong check digit
        ("0999 1234567", "account.format"),
    ],
)
def test_bank_accounts_follow_bankgirots_rules(text: str, code: str) -> None:
    with pytest.raises(rules.RuleError) as exc:
        rules.parse_destination("account", text)
    assert exc.value.code == code


def test_a_valid_personkonto_is_certain() -> None:
    destination = rules.parse_destination("account", "3300-811218-9876")
    assert destination.number == "3300:8112189876" and destination.certain


@pytest.mark.django_db
def test_an_account_that_can_only_be_partly_checked_is_signed_with_a_warning(funded: Any) -> None:
    from autogiro.accountnumbers import parse_account

    customer, main, _savings = funded
    # A seven-digit account under a clearing number the table does not know: a newer bank.
    candidates = [f"1099 {n:07d}" for n in range(1000000, 1000200)]
    text = next(c for c in candidates if _partly_checked(parse_account, c))
    order = payment_new_start(
        ctx=SYSTEM, person=customer.party, data=NewPaymentInput(main.pk, "account", text, "10")
    )
    assert "checked in part" in order.summary or "kontrolleras" in order.summary


def _partly_checked(parse: Any, text: str) -> bool:
    try:
        return not parse(text).certain
    except ValueError:
        return False
