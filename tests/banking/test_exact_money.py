"""Money is exact on every database: balances, sums and JSON never pass through a float.

SQLite has no decimal type: it keeps a DecimalField in binary floating point and does arithmetic
there (0.10 + 0.20 - 0.30 is 5.6e-17, not 0). These tests book amounts that floating point
cannot hold exactly and move balances to the last öre, on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import ApiClient, make_customer
from trygg.banking.models import Account, Posting
from trygg.banking.services import account_open, incoming_payment_book, transfer_own
from trygg.kernel.audit import SYSTEM
from trygg.kernel.errors import NotFound, ValidationFailed
from trygg.kernel.moneydb import MoneySum


def _two_accounts() -> tuple[object, Account, Account]:
    customer = make_customer()
    main = account_open(ctx=SYSTEM, party=customer.party, name="Lönekonto")
    savings = account_open(ctx=SYSTEM, party=customer.party, name="Sparkonto")
    return customer, main, savings


@pytest.mark.django_db
def test_the_whole_of_a_balance_made_of_tenths_can_be_moved() -> None:
    """0.10 + 0.20 is 0.30 exactly: moving 0.30 out empties the account (on SQLite it used to
    leave 5.6e-17, or break the no-overdraft check with -5.6e-17 and answer 500)."""
    customer, main, savings = _two_accounts()
    for amount in ("0.10", "0.20"):
        incoming_payment_book(account=main, amount=Decimal(amount), text="in")
    transfer = {"ctx": SYSTEM, "person": customer.party, "from_account_id": main.pk}  # type: ignore[attr-defined]
    transfer_own(**transfer, to_account_id=savings.pk, amount="0.30")
    main.refresh_from_db()
    savings.refresh_from_db()
    assert main.balance == Decimal("0.00") and savings.balance == Decimal("0.30")
    with pytest.raises(ValidationFailed) as refused:
        transfer_own(**transfer, to_account_id=savings.pk, amount="0.01")
    assert refused.value.code == "account.insufficient_funds"


@pytest.mark.django_db
def test_an_account_id_beyond_64_bits_is_not_found_and_nothing_moves() -> None:
    customer, main, savings = _two_accounts()
    incoming_payment_book(account=main, amount=Decimal("10.00"), text="in")
    for source, target in ((main.pk, 2**64), (2**64, savings.pk), (main.pk, -1)):
        with pytest.raises(NotFound):
            transfer_own(
                ctx=SYSTEM,
                person=customer.party,  # type: ignore[attr-defined]
                from_account_id=source,
                to_account_id=target,
                amount="1",
            )
    main.refresh_from_db()
    assert main.balance == Decimal("10.00")


@pytest.mark.django_db
def test_a_sum_of_postings_is_exact_and_a_decimal() -> None:
    _customer, main, _savings = _two_accounts()
    for _ in range(10):
        incoming_payment_book(account=main, amount=Decimal("0.10"), text="in")
    incoming_payment_book(account=main, amount=Decimal("9999999.99"), text="in")
    total = Posting.objects.filter(account=main).aggregate(s=MoneySum("amount"))["s"]
    assert type(total) is Decimal and total == Decimal("10000000.99")
    rows = list(
        Posting.objects.filter(account=main).values("account_id").annotate(s=MoneySum("amount"))
    )
    assert rows == [{"account_id": main.pk, "s": Decimal("10000000.99")}]
    assert Posting.objects.none().aggregate(s=MoneySum("amount"))["s"] is None


@pytest.mark.django_db
def test_balances_are_sent_as_exact_strings(api: ApiClient) -> None:
    customer, main, _savings = _two_accounts()
    for amount in ("0.10", "0.20", "1234567.89"):
        incoming_payment_book(account=main, amount=Decimal(amount), text="in")
    api.login(customer.id_number, customer.pin)  # type: ignore[attr-defined]
    response = api.call("GET", "/accounts")
    assert response.status_code == 200
    balances = {a["id"]: a["balance"] for a in response.json()}
    assert balances[main.pk] == "1234568.19"
    postings = api.call("GET", f"/accounts/{main.pk}/transactions").json()
    assert {p["amount"] for p in postings} == {"0.10", "0.20", "1234567.89"}


@pytest.mark.django_db
@settings(max_examples=25)
@given(
    deposits=st.lists(st.integers(min_value=1, max_value=99_999_999), min_size=1, max_size=4),
    shares=st.lists(st.integers(min_value=1, max_value=100), min_size=1, max_size=6),
)
def test_random_transfers_to_the_last_ore(deposits: list[int], shares: list[int]) -> None:
    """Random deposits in öre, then transfers back and forth, each a random share of what the
    sending account holds, and at the end the whole remaining balance: every account is
    exactly what was put in and moved, in öre, and the sender ends at zero."""
    customer, main, savings = _two_accounts()
    for minor in deposits:
        incoming_payment_book(account=main, amount=Decimal(minor) / 100, text="in")
    expected = {main.pk: sum(deposits), savings.pk: 0}
    pair = [main, savings]
    for i, share in enumerate(shares):
        source, target = pair[i % 2], pair[(i + 1) % 2]
        minor = expected[source.pk] * share // 100
        if minor == 0:
            continue
        transfer_own(
            ctx=SYSTEM,
            person=customer.party,  # type: ignore[attr-defined]
            from_account_id=source.pk,
            to_account_id=target.pk,
            amount=str(Decimal(minor) / 100),
        )
        expected[source.pk] -= minor
        expected[target.pk] += minor
    rest = expected[main.pk]
    if rest:
        transfer_own(
            ctx=SYSTEM,
            person=customer.party,  # type: ignore[attr-defined]
            from_account_id=main.pk,
            to_account_id=savings.pk,
            amount=str(Decimal(rest) / 100),
        )
        expected[savings.pk] += rest
        expected[main.pk] = 0
    for account in pair:
        account.refresh_from_db()
        assert account.balance == Decimal(expected[account.pk]) / 100
        total = Posting.objects.filter(account=account).aggregate(s=MoneySum("amount"))["s"]
        assert (total or Decimal(0)) == account.balance
    assert main.balance == 0
