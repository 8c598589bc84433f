"""Payments finished: a payment date (today or a bank day up to 13 months ahead, scheduled and
booked on its date), an OCR number or a message, receipts; payees changed and removed."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from tests.banking.conftest import sign, with_token
from tests.conftest import Customer, csrf_of, portal_login
from trygg.banking import rules
from trygg.banking.models import Payee, Payment, PaymentState
from trygg.banking.services import (
    NewPaymentInput,
    PayeeInput,
    payee_change,
    payee_register,
    payee_register_start,
    payee_remove,
    payment_cancel,
    payment_new_execute,
    payment_new_start,
    payment_to_payee,
    payments_scheduled_book,
)
from trygg.kernel import clock
from trygg.kernel.audit import SYSTEM
from trygg.kernel.bankdays import calendar_for
from trygg.kernel.errors import NotFound, ValidationFailed
from trygg.kernel.models import AuditAction, AuditEvent

SE = calendar_for("SE")
# A Monday; the Friday before Christmas; Christmas Eve (a Thursday, not a bank day).
TODAY = dt.date(2026, 12, 7)


@pytest.mark.parametrize(
    ("day", "code"),
    [
        (dt.date(2026, 12, 4), "payment_date.past"),
        (dt.date(2026, 12, 12), "payment_date.not_bank_day"),  # a Saturday
        (dt.date(2026, 12, 24), "payment_date.not_bank_day"),  # Christmas Eve
        (dt.date(2026, 12, 25), "payment_date.not_bank_day"),  # Christmas Day
        (dt.date(2028, 1, 10), "payment_date.too_far"),  # beyond 13 months
        (dt.date(2026, 12, 7), None),  # today
        (dt.date(2026, 12, 23), None),
        (dt.date(2028, 1, 7), None),  # 13 months to the day, a Friday
    ],
)
def test_the_payment_date_rule(day: dt.date, code: str | None) -> None:
    if code is None:
        assert rules.check_execution_date(day, today=TODAY, bank_days=SE) == day
    else:
        with pytest.raises(rules.RuleError) as exc:
            rules.check_execution_date(day, today=TODAY, bank_days=SE)
        assert exc.value.code == code


def test_today_is_allowed_even_on_a_weekend() -> None:
    saturday = dt.date(2026, 12, 12)
    assert rules.check_execution_date(saturday, today=saturday, bank_days=SE) == saturday


@pytest.mark.parametrize(
    ("text", "result"),
    [
        ("1234567897", "1234567897"),
        ("1234 5678 97", "1234567897"),
        ("1234567898", "ocr.checksum"),
        ("1", "ocr.format"),
        ("12345678901234567890123456", "ocr.format"),  # 26 digits
        ("12AB", "ocr.format"),
        ("١٢", "ocr.format"),  # digits, but not ASCII
    ],
)
def test_the_ocr_rule_is_luhn_mod_10(text: str, result: str) -> None:
    if result.isdigit():
        assert rules.parse_ocr(text) == result
    else:
        with pytest.raises(rules.RuleError) as exc:
            rules.parse_ocr(text)
        assert exc.value.code == result


def test_ocr_and_message_together_are_refused() -> None:
    rules.check_reference("1234567897", "")
    rules.check_reference("", "Faktura 12")
    with pytest.raises(rules.RuleError) as exc:
        rules.check_reference("1234567897", "Faktura 12")
    assert exc.value.code == "payment.ocr_and_message"


def test_the_payment_table_lets_only_a_scheduled_payment_move() -> None:
    from trygg.kernel import statetable

    statetable.check_table(rules.PAYMENT_TRANSITIONS)
    for now in rules.PaymentState:
        for to in rules.PaymentState:
            allowed = now is rules.PaymentState.SCHEDULED and to is not now
            assert statetable.allowed(rules.PAYMENT_TRANSITIONS, now, to) == allowed


def _payee(customer: Customer, name: str = "Elbolaget", number: str = "5050-1055") -> Payee:
    data = PayeeInput(name, "bankgiro", number)
    order = payee_register_start(ctx=SYSTEM, person=customer.party, data=data)
    sign(customer, order)
    return payee_register(ctx=SYSTEM, person=customer.party, signing_id=order.public_id, data=data)


@pytest.fixture
def today() -> Any:
    with clock.frozen_now(dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)) as advance:
        yield advance


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"execution_date": "2026-12-04"}, "execution_date", "payment_date.past"),
        ({"execution_date": "2026-12-13"}, "execution_date", "payment_date.not_bank_day"),
        ({"execution_date": "2028-02-01"}, "execution_date", "payment_date.too_far"),
        ({"execution_date": "7 december"}, "execution_date", "payment_date.format"),
        ({"ocr": "1234567898"}, "ocr", "ocr.checksum"),
        ({"ocr": "1234567897", "message": "Faktura 12"}, "ocr", "payment.ocr_and_message"),
    ],
)
def test_bad_payment_terms_are_named_and_change_nothing(
    funded: Any, today: Any, changes: dict[str, str], field: str, code: str
) -> None:
    customer, main, _savings = funded
    with_token(customer)
    payee = _payee(customer)
    data = {"amount": "100", "message": "", "ocr": "", "execution_date": None, **changes}
    with pytest.raises(ValidationFailed) as exc:
        payment_to_payee(
            ctx=SYSTEM, person=customer.party, from_account_id=main.pk, payee_id=payee.pk, **data
        )
    assert (exc.value.problems[0].field, exc.value.problems[0].code) == (field, code)
    with pytest.raises(ValidationFailed) as exc:
        payment_new_start(
            ctx=SYSTEM,
            person=customer.party,
            data=NewPaymentInput(main.pk, "bankgiro", "5050-1055", **data),
        )
    assert (exc.value.problems[0].field, exc.value.problems[0].code) == (field, code)
    assert not Payment.objects.exists()
    main.refresh_from_db()
    assert main.balance == Decimal("10000.00")


@pytest.mark.django_db
def test_a_payment_dated_ahead_is_scheduled_then_booked_on_its_date_once(
    funded: Any, today: Any
) -> None:
    customer, main, _savings = funded
    with_token(customer)
    payee = _payee(customer)
    payment = payment_to_payee(
        ctx=SYSTEM,
        person=customer.party,
        from_account_id=main.pk,
        payee_id=payee.pk,
        amount="2500",
        ocr="1234 5678 97",
        execution_date="2026-12-10",
        idempotency_key="k1",
    )
    assert (payment.state, payment.transaction_id, payment.ocr) == (
        PaymentState.SCHEDULED,
        None,
        "1234567897",
    )
    again = payment_to_payee(
        ctx=SYSTEM,
        person=customer.party,
        from_account_id=main.pk,
        payee_id=payee.pk,
        amount="2500",
        ocr="1234 5678 97",
        execution_date="2026-12-10",
        idempotency_key="k1",
    )
    assert again.pk == payment.pk and Payment.objects.count() == 1
    main.refresh_from_db()
    assert main.balance == Decimal("10000.00")
    assert payments_scheduled_book(ctx=SYSTEM, on=dt.date(2026, 12, 9)) == (0, 0)
    assert payments_scheduled_book(ctx=SYSTEM, on=dt.date(2026, 12, 10)) == (1, 0)
    assert payments_scheduled_book(ctx=SYSTEM, on=dt.date(2026, 12, 10)) == (0, 0)  # a re-run
    payment.refresh_from_db()
    main.refresh_from_db()
    assert payment.state == PaymentState.BOOKED and payment.transaction_id is not None
    assert main.balance == Decimal("7500.00")


@pytest.mark.django_db
def test_a_scheduled_payment_without_cover_on_its_date_is_not_paid(funded: Any, today: Any) -> None:
    customer, main, _savings = funded
    with_token(customer)
    payee = _payee(customer)
    late = payment_to_payee(
        ctx=SYSTEM,
        person=customer.party,
        from_account_id=main.pk,
        payee_id=payee.pk,
        amount="9000",
        execution_date="2026-12-10",
    )
    payment_to_payee(
        ctx=SYSTEM, person=customer.party, from_account_id=main.pk, payee_id=payee.pk, amount="5000"
    )
    assert payments_scheduled_book(ctx=SYSTEM, on=dt.date(2026, 12, 10)) == (0, 1)
    late.refresh_from_db()
    main.refresh_from_db()
    assert late.state == PaymentState.FAILED and late.transaction_id is None
    assert main.balance == Decimal("5000.00")


@pytest.mark.django_db
def test_a_scheduled_payment_can_be_cancelled_a_booked_one_not(funded: Any, today: Any) -> None:
    customer, main, _savings = funded
    with_token(customer)
    payee = _payee(customer)
    ahead = payment_to_payee(
        ctx=SYSTEM,
        person=customer.party,
        from_account_id=main.pk,
        payee_id=payee.pk,
        amount="100",
        execution_date="2026-12-10",
    )
    now = payment_to_payee(
        ctx=SYSTEM, person=customer.party, from_account_id=main.pk, payee_id=payee.pk, amount="100"
    )
    assert payment_cancel(ctx=SYSTEM, person=customer.party, payment_id=ahead.pk).state == (
        PaymentState.CANCELLED
    )
    with pytest.raises(ValidationFailed) as exc:
        payment_cancel(ctx=SYSTEM, person=customer.party, payment_id=now.pk)
    assert exc.value.code == "payment.transition"
    assert payments_scheduled_book(ctx=SYSTEM, on=dt.date(2026, 12, 10)) == (0, 0)


@pytest.mark.django_db
def test_a_signed_payment_covers_its_date_reference_and_name(funded: Any, today: Any) -> None:
    customer, main, _savings = funded
    with_token(customer)
    data = NewPaymentInput(
        main.pk,
        "bankgiro",
        "5050-1055",
        "845",
        ocr="1234567897",
        execution_date="2026-12-23",
        receiver_name="Elbolaget",
    )
    order = payment_new_start(ctx=SYSTEM, person=customer.party, data=data)
    assert "Elbolaget (bankgiro 5050-1055)" in order.summary and "2026-12-23" in order.summary
    sign(customer, order)
    with pytest.raises(ValidationFailed) as exc:  # another date than signed
        payment_new_execute(
            ctx=SYSTEM,
            person=customer.party,
            signing_id=order.public_id,
            data=NewPaymentInput(
                main.pk,
                "bankgiro",
                "5050-1055",
                "845",
                ocr="1234567897",
                execution_date="2026-12-22",
                receiver_name="Elbolaget",
            ),
        )
    assert exc.value.code == "signing.mismatch"
    order = payment_new_start(ctx=SYSTEM, person=customer.party, data=data)
    sign(customer, order)
    payment = payment_new_execute(
        ctx=SYSTEM, person=customer.party, signing_id=order.public_id, data=data
    )
    assert (payment.state, payment.receiver_name, payment.execution_date) == (
        PaymentState.SCHEDULED,
        "Elbolaget",
        dt.date(2026, 12, 23),
    )


@pytest.mark.django_db
def test_a_payee_is_renamed_without_signing_and_removed(funded: Any) -> None:
    customer, main, _savings = funded
    with_token(customer)
    payee = _payee(customer)
    changed = payee_change(
        ctx=SYSTEM,
        person=customer.party,
        payee_id=payee.pk,
        name="Elbolaget AB",
        reference="1234567897",
    )
    assert (changed.name, changed.reference, changed.number) == (
        "Elbolaget AB",
        "1234567897",
        "50501055",
    )
    with pytest.raises(ValidationFailed) as exc:
        payee_change(ctx=SYSTEM, person=customer.party, payee_id=payee.pk, name="", reference="")
    assert exc.value.problems[0].field == "name"
    paid = payment_to_payee(
        ctx=SYSTEM, person=customer.party, from_account_id=main.pk, payee_id=payee.pk, amount="10"
    )
    payee_remove(ctx=SYSTEM, person=customer.party, payee_id=payee.pk)
    assert not Payee.objects.exists()
    paid.refresh_from_db()  # the receipt keeps whom it paid
    assert (paid.payee_id, paid.receiver_name, paid.destination_number) == (
        None,
        "Elbolaget AB",
        "50501055",
    )


@pytest.mark.django_db
def test_a_payee_with_a_scheduled_payment_is_kept(funded: Any, today: Any) -> None:
    customer, main, _savings = funded
    with_token(customer)
    payee = _payee(customer)
    payment_to_payee(
        ctx=SYSTEM,
        person=customer.party,
        from_account_id=main.pk,
        payee_id=payee.pk,
        amount="10",
        execution_date="2026-12-10",
    )
    with pytest.raises(ValidationFailed) as exc:
        payee_remove(ctx=SYSTEM, person=customer.party, payee_id=payee.pk)
    assert exc.value.code == "payee.has_scheduled"
    assert Payee.objects.filter(pk=payee.pk).exists()


@pytest.mark.django_db
def test_a_new_number_is_a_new_payee_signed_and_replacing_the_old(funded: Any) -> None:
    customer, _main, _savings = funded
    with_token(customer)
    payee = _payee(customer)
    same = PayeeInput("Elbolaget", "bankgiro", "5050-1055", replaces=payee.pk)
    with pytest.raises(ValidationFailed) as exc:
        payee_register_start(ctx=SYSTEM, person=customer.party, data=same)
    assert exc.value.code == "payee.same_number"
    data = PayeeInput("Elbolaget", "plusgiro", "900203-1", replaces=payee.pk)
    order = payee_register_start(ctx=SYSTEM, person=customer.party, data=data)
    with pytest.raises(ValidationFailed):  # not signed: nothing changes
        payee_register(ctx=SYSTEM, person=customer.party, signing_id=order.public_id, data=data)
    assert list(Payee.objects.values_list("number", flat=True)) == ["50501055"]
    sign(customer, order)
    new = payee_register(ctx=SYSTEM, person=customer.party, signing_id=order.public_id, data=data)
    assert list(Payee.objects.values_list("pk", "number")) == [(new.pk, "9002031")]


@pytest.mark.django_db
def test_another_customers_payee_is_not_found(funded: Any, other_customer: Customer) -> None:
    customer, _main, _savings = funded
    with_token(customer)
    payee = _payee(customer)
    with pytest.raises(NotFound):
        payee_change(
            ctx=SYSTEM, person=other_customer.party, payee_id=payee.pk, name="Mine", reference=""
        )
    with pytest.raises(NotFound):
        payee_remove(ctx=SYSTEM, person=other_customer.party, payee_id=payee.pk)
    with_token(other_customer)
    with pytest.raises(NotFound):
        payee_register_start(
            ctx=SYSTEM,
            person=other_customer.party,
            data=PayeeInput("Mine", "plusgiro", "900203-1", replaces=payee.pk),
        )
    payee.refresh_from_db()
    assert payee.name == "Elbolaget"
    client = Client(enforce_csrf_checks=True)
    portal_login(client, other_customer.id_number, other_customer.pin)
    for path in (f"/bank/payees/{payee.pk}/change/", f"/bank/payees/{payee.pk}/remove/"):
        assert client.get(path).status_code == 404
        assert client.post(path, {"csrfmiddlewaretoken": csrf_of(client)}).status_code == 404
    assert Payee.objects.filter(pk=payee.pk).exists()


@pytest.mark.django_db
def test_payee_pages_change_and_remove(funded: Any) -> None:
    customer, _main, _savings = funded
    with_token(customer)
    payee = _payee(customer)
    client = Client(enforce_csrf_checks=True)
    portal_login(client, customer.id_number, customer.pin)
    listing = client.get("/bank/payees/").content.decode()
    assert f"/bank/payees/{payee.pk}/change/" in listing and "5050-1055" in listing
    change = f"/bank/payees/{payee.pk}/change/"
    client.get(change)
    form = {
        "name": "Elbolaget AB",
        "kind": "bankgiro",
        "number": "5050-1055",
        "reference": "77",
        "csrfmiddlewaretoken": csrf_of(client),
    }
    assert client.post(change, form)["Location"] == "/bank/payees/"
    payee.refresh_from_db()
    assert (payee.name, payee.reference) == ("Elbolaget AB", "77")
    moved = client.post(change, {**form, "number": "900203-1", "kind": "plusgiro"})
    assert moved["Location"].startswith("/bank/sign/")  # a new number is signed
    bad = client.post(change, {**form, "name": ""})
    assert bad.status_code == 422 and 'id="id_name-error"' in bad.content.decode()
    remove = f"/bank/payees/{payee.pk}/remove/"
    assert "Elbolaget AB" in client.get(remove).content.decode()  # asked before removing
    assert Payee.objects.filter(pk=payee.pk).exists()
    assert client.post(remove, {"csrfmiddlewaretoken": csrf_of(client)})["Location"] == (
        "/bank/payees/"
    )
    assert not Payee.objects.filter(pk=payee.pk).exists()


@pytest.mark.django_db
def test_review_then_receipt_reached_again_from_the_account(
    funded: Any, other_customer: Customer
) -> None:
    customer, main, _savings = funded
    with_token(customer)
    payee = _payee(customer)
    client = Client(enforce_csrf_checks=True)
    portal_login(client, customer.id_number, customer.pin)
    client.get(f"/bank/payees/{payee.pk}/pay/")
    form = {
        "from_account": main.pk,
        "amount": "300",
        "ocr": "1234567897",
        "message": "Faktura",
        "csrfmiddlewaretoken": csrf_of(client),
    }
    both = client.post(f"/bank/payees/{payee.pk}/pay/", form)
    assert both.status_code == 422 and 'id="id_ocr-error"' in both.content.decode()
    review = client.post(f"/bank/payees/{payee.pk}/pay/", {**form, "message": ""})["Location"]
    reads = AuditEvent.objects.filter(action=AuditAction.READ).count()
    page = client.get(review).content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.READ).count() > reads  # an audited read
    assert "Granska betalningen" in page and "1234567897" in page and "Elbolaget" in page
    assert not Payment.objects.exists()  # nothing paid by the review
    change = re.search(r'href="([^"]+\?review=[^"]+)"', page)
    assert change and 'value="1234567897"' in client.get(change.group(1)).content.decode()
    receipt = client.post(review, {"csrfmiddlewaretoken": csrf_of(client)})["Location"]
    payment = Payment.objects.get()
    assert receipt == f"/bank/payments/{payment.pk}/"
    shown = client.get(receipt).content.decode()
    assert payment.reference in shown and "300,00\xa0kr" in shown and "Kvitto" in shown
    account_page = client.get(f"/bank/accounts/{main.pk}/").content.decode()
    assert re.search(rf'href="/bank/payments/{payment.pk}/"', account_page)
    stranger = Client()
    portal_login(stranger, other_customer.id_number, other_customer.pin)
    assert stranger.get(receipt).status_code == 404


@pytest.mark.django_db
def test_a_scheduled_payment_shows_on_the_account_and_is_cancelled_from_its_receipt(
    funded: Any,
) -> None:
    customer, main, _savings = funded
    with_token(customer)
    payee = _payee(customer)
    day = SE.add_bank_days(clock.today(), 3)
    payment = payment_to_payee(
        ctx=SYSTEM,
        person=customer.party,
        from_account_id=main.pk,
        payee_id=payee.pk,
        amount="50",
        execution_date=day,
    )
    client = Client(enforce_csrf_checks=True)
    portal_login(client, customer.id_number, customer.pin)
    account_page = client.get(f"/bank/accounts/{main.pk}/").content.decode()
    assert "Planerade betalningar" in account_page and day.isoformat() in account_page
    receipt = f"/bank/payments/{payment.pk}/"
    client.get(receipt)
    cancelled = client.post(
        f"/bank/payments/{payment.pk}/cancel/", {"csrfmiddlewaretoken": csrf_of(client)}
    )
    assert cancelled["Location"] == receipt
    payment.refresh_from_db()
    assert payment.state == PaymentState.CANCELLED
    assert client.get(f"/bank/payments/{payment.pk}/cancel/").status_code == 405  # no GET


@pytest.mark.django_db
def test_the_daily_work_and_the_command_book_the_day(funded: Any, today: Any) -> None:
    import io

    from django.core.management import call_command

    from trygg.kernel.daily import registered

    customer, main, _savings = funded
    with_token(customer)
    payee = _payee(customer)
    for day in ("2026-12-08", "2026-12-09"):
        payment_to_payee(
            ctx=SYSTEM,
            person=customer.party,
            from_account_id=main.pk,
            payee_id=payee.pk,
            amount="100",
            execution_date=day,
        )
    result = registered()["banking.scheduled_payments"](dt.date(2026, 12, 8))
    assert (result["booked"], result["failed"]) == (1, 0)
    out = io.StringIO()
    call_command("payments", "book", "--date", "2026-12-09", stdout=out)
    assert "1 booked" in out.getvalue()
    assert set(Payment.objects.values_list("state", flat=True)) == {PaymentState.BOOKED}
    main.refresh_from_db()
    assert main.balance == Decimal("9800.00")
