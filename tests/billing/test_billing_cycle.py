"""Premium billing by autogiro: mandate → payment plan → debit order in the file → payment
specification → paid and booked; lack of funds → retry; § 2 (B); stops and revocations to the
bank day; the same file imported twice books once; a malformed file books nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from autogiro import (
    CancelPayment,
    DebitOrder,
    MandateDeletion,
    NewMandate,
    PaymentSpecificationClosing,
    Refund,
    RefundWithdrawal,
    ReportOpening,
    read_file,
    write_file,
)
from tests.billing.answers import mandate_notices, payment_spec
from tests.billing.conftest import Payer, register, run_on
from trygg.banking.models import Account, Posting
from trygg.billing.charges import charge_stop, invoice_payment_register
from trygg.billing.imports import autogiro_import
from trygg.billing.letters import notice_pdf
from trygg.billing.mandates import mandate_register, mandate_revoke, mandate_terminate
from trygg.billing.models import BankgirotFile, BillingTerms, Charge, Mandate, Notice
from trygg.billing.ocr import ocr_valid
from trygg.insurance.models import PolicyState
from trygg.kernel import clock
from trygg.kernel.audit import SYSTEM
from trygg.kernel.errors import ValidationFailed

pytestmark = pytest.mark.django_db

MON_23_NOV = dt.date(2026, 11, 23)
MON_30_NOV = dt.date(2026, 11, 30)


def _import(path: Path, day: dt.date) -> BankgirotFile:
    with clock.business_date(day):
        return autogiro_import(ctx=SYSTEM, path=path).file


def _active(payer: Payer, exchange: Path) -> Mandate:
    mandate = register(payer)
    run_on(MON_23_NOV)
    inbox = exchange / "from_bankgirot"
    inbox.mkdir(parents=True, exist_ok=True)
    _import(mandate_notices(inbox, dt.date(2026, 11, 24), [(mandate, "32")]), dt.date(2026, 11, 24))
    mandate.refresh_from_db()
    assert mandate.state == "active"
    return mandate


def _assert_rest_of_term_invoiced(payer: Payer) -> Charge:
    """Autogiro has ended: one invoice for the rest of the term, the year at the yearly price
    less the premiums debited; no premium is both debited and invoiced, none is neither."""
    term = payer.policy.terms.get()
    invoice = Charge.objects.get(policy=payer.policy, method="invoice")
    debited = Charge.objects.filter(
        policy=payer.policy, method="autogiro", state__in=["ordered", "paid", "planned"]
    )
    assert invoice.state == "invoiced" and invoice.ocr
    assert invoice.premium == term.annual_price - sum(c.premium for c in debited)
    left = Charge.objects.filter(policy=payer.policy, due_date__gt=invoice.due_date)
    assert set(left.exclude(pk=invoice.pk).values_list("state", flat=True)) <= {"cancelled"}
    return invoice


def test_mandate_is_sent_and_the_plan_notices_the_first_debit_8_bank_days_ahead(
    payer: Payer, exchange: Path
) -> None:
    mandate = register(payer)
    assert mandate.state == "requested"
    result = run_on(MON_23_NOV)
    mandate.refresh_from_db()
    assert mandate.state == "sent" and mandate.sent_on == MON_23_NOV
    assert result.file is not None
    records = read_file(result.file)
    new = [r for r in records if isinstance(r, NewMandate)]
    assert [(r.payer_number.lstrip("0"), r.account.clearing) for r in new] == [  # type: ignore[union-attr]
        (mandate.payer_number, "3300")
    ]
    charges = list(Charge.objects.filter(policy=payer.policy).order_by("period_start"))
    assert len(charges) == 12
    assert sum(c.amount for c in charges) == payer.policy.terms.get().year_total
    # 1 December is only 6 bank days after 23 November: the first debit moves to 3 December,
    # 8 bank days after the plan; the others fall on the first bank day of their month.
    assert charges[0].due_date == dt.date(2026, 12, 3)
    assert charges[1].due_date == dt.date(2027, 1, 4)  # 1 January is New Year's Day; 2–3 weekend
    plan = Notice.objects.get(kind="plan")
    assert plan.sent_on == MON_23_NOV and plan.charges.count() == 12
    # Running the same date again changes nothing.
    again = run_on(MON_23_NOV)
    assert again.again and Charge.objects.count() == 12 and Notice.objects.count() == 1


def test_debit_ordered_paid_and_booked_once(payer: Payer, exchange: Path) -> None:
    mandate = _active(payer, exchange)
    result = run_on(MON_30_NOV)
    assert result.file is not None
    orders = [r for r in read_file(result.file) if isinstance(r, DebitOrder)]
    first = Charge.objects.filter(policy=payer.policy).order_by("due_date").first()
    assert first is not None
    assert [(o.reference, o.amount, o.payment_date) for o in orders] == [
        (first.reference, first.amount, dt.date(2026, 12, 3))
    ]
    spec = payment_spec(
        exchange / "from_bankgirot",
        dt.date(2026, 12, 3),
        [(mandate.payer_number, first.reference, first.amount, "0")],
    )
    _import(spec, dt.date(2026, 12, 3))
    first.refresh_from_db()
    assert first.state == "paid" and first.settled_on == dt.date(2026, 12, 3)
    income = Account.objects.get(number="INT-PREMIUMS")
    assert income.balance == -first.amount
    # The same file again books nothing.
    with clock.business_date(dt.date(2026, 12, 3)):
        again = autogiro_import(ctx=SYSTEM, path=spec)
    assert again.already
    income.refresh_from_db()
    assert income.balance == -first.amount
    assert Posting.objects.filter(account=income).count() == 1


def test_lack_of_funds_is_retried_then_paid(payer: Payer, exchange: Path) -> None:
    mandate = _active(payer, exchange)
    run_on(MON_30_NOV)
    first = Charge.objects.filter(policy=payer.policy).order_by("due_date").first()
    assert first is not None
    inbox = exchange / "from_bankgirot"
    _import(
        payment_spec(
            inbox,
            dt.date(2026, 12, 3),
            [(mandate.payer_number, first.reference, first.amount, "1")],
        ),
        dt.date(2026, 12, 3),
    )
    first.refresh_from_db()
    assert first.state == "failed" and first.attempts == 1
    result = run_on(dt.date(2026, 12, 3))
    first.refresh_from_db()
    assert first.state == "ordered" and first.attempts == 2
    assert first.order_date == dt.date(2026, 12, 4)
    assert result.file is not None
    assert [o.reference for o in read_file(result.file) if isinstance(o, DebitOrder)] == [
        first.reference
    ]
    _import(
        payment_spec(
            inbox,
            dt.date(2026, 12, 4),
            [(mandate.payer_number, first.reference, first.amount, "0")],
        ),
        dt.date(2026, 12, 4),
    )
    first.refresh_from_db()
    assert first.state == "paid"


def test_rule_b_adds_the_unpaid_premium_and_fee_then_ends_autogiro(
    payer: Payer, exchange: Path
) -> None:
    mandate = _active(payer, exchange)
    run_on(MON_30_NOV)
    dec, jan = Charge.objects.filter(policy=payer.policy).order_by("due_date")[:2]
    inbox = exchange / "from_bankgirot"
    for day in (dt.date(2026, 12, 3), dt.date(2026, 12, 4)):
        run_on(day) if day != dt.date(2026, 12, 3) else None
        _import(
            payment_spec(inbox, day, [(mandate.payer_number, dec.reference, dec.amount, "1")]),
            day,
        )
    run_on(dt.date(2026, 12, 7))
    dec.refresh_from_db()
    jan.refresh_from_db()
    assert dec.state == "carried"
    assert jan.carried == dec.amount and jan.fee == Decimal("25.00")
    assert jan.amount == jan.premium + dec.amount + Decimal("25.00")
    assert Notice.objects.filter(kind="plan", charges=jan).exists()
    # January's debit (with December's premium) fails too: autogiro ends, invoices follow.
    run_on(dt.date(2026, 12, 28))
    jan.refresh_from_db()
    assert jan.state == "ordered"
    _import(
        payment_spec(
            inbox, jan.order_date, [(mandate.payer_number, jan.reference, jan.amount, "2")]
        ),  # type: ignore[arg-type]
        dt.date(2027, 1, 4),
    )
    run_on(dt.date(2027, 1, 5))
    jan.refresh_from_db()
    mandate.refresh_from_db()
    assert mandate.state == "ended"
    # The rest of the term is one invoice under the insurance contract's terms: the year at the
    # yearly price (nothing of it was paid) and January's fee; the monthly premiums give way.
    assert jan.state == "carried"
    term = payer.policy.terms.get()
    invoice = Charge.objects.get(policy=payer.policy, method="invoice")
    assert (invoice.premium, invoice.fee) == (term.annual_price, Decimal("25.00"))
    assert invoice.state == "invoiced" and invoice.ocr and invoice.notice is not None
    assert invoice.notice.kind == "invoice" and invoice.notice.total == invoice.amount
    later = Charge.objects.filter(policy=payer.policy, period_start__gt=jan.period_start)
    assert set(later.exclude(pk=invoice.pk).values_list("state", flat=True)) == {"cancelled"}
    payer.policy.refresh_from_db()
    assert payer.policy.state == PolicyState.ACTIVE  # the insurance stays; it is invoiced


def test_stop_one_payment_until_2_bank_days_before(payer: Payer, exchange: Path) -> None:
    _active(payer, exchange)
    run_on(MON_30_NOV)
    first = Charge.objects.filter(policy=payer.policy).order_by("due_date").first()
    assert first is not None and first.order_date == dt.date(2026, 12, 3)
    # 3 December (Thu) − 2 bank days = 1 December (Tue): a stop on 2 December is too late.
    with clock.business_date(dt.date(2026, 12, 2)), pytest.raises(ValidationFailed) as late:
        charge_stop(ctx=SYSTEM, person=payer.customer.party, charge_id=first.pk)
    assert late.value.code == "stop.too_late" and "2026-12-01" in late.value.message
    with clock.business_date(dt.date(2026, 12, 1)):
        charge_stop(ctx=SYSTEM, person=payer.customer.party, charge_id=first.pk)
    first.refresh_from_db()
    assert first.state == "stopped"
    result = run_on(dt.date(2026, 12, 1))
    assert result.file is not None
    cancels = [r for r in read_file(result.file) if isinstance(r, CancelPayment)]
    assert [r.reference for r in cancels] == [first.reference]
    assert Mandate.objects.get().state == "active"  # stopping one debit keeps the mandate


def test_revocation_5_bank_days_before_stops_that_debit(payer: Payer, exchange: Path) -> None:
    mandate = _active(payer, exchange)
    # The January debit is due 4 January 2027. Counting back 5 bank days skips New Year's Eve,
    # Christmas Day and Christmas Eve: 30, 29, 28, 23, 22 December.
    with clock.business_date(dt.date(2026, 12, 22)):
        revoked = mandate_revoke(ctx=SYSTEM, person=payer.customer.party, mandate_id=mandate.pk)
    assert revoked.state == "revoked"
    assert revoked.ended_on == dt.date(2026, 12, 22)  # no debit is made after today
    run_on(dt.date(2026, 12, 28))
    jan = Charge.objects.get(
        policy=payer.policy, method="autogiro", period_start=dt.date(2027, 1, 1)
    )
    assert jan.state == "cancelled"  # not debited: the rest of the year is invoiced instead
    _assert_rest_of_term_invoiced(payer)


def test_deletion_answered_with_unknown_mandate_keeps_it_revoked(
    payer: Payer, exchange: Path
) -> None:
    """Bankgirot answers a deletion of a mandate it no longer holds with comment code 04; the
    revoked mandate stays revoked and the import books nothing else."""
    mandate = _active(payer, exchange)
    with clock.business_date(dt.date(2026, 12, 22)):
        mandate_revoke(ctx=SYSTEM, person=payer.customer.party, mandate_id=mandate.pk)
    run_on(dt.date(2026, 12, 22))
    mandate.refresh_from_db()
    assert mandate.deletion_sent_on == dt.date(2026, 12, 22)
    day = dt.date(2026, 12, 23)
    _import(mandate_notices(exchange / "from_bankgirot", day, [(mandate, "04")]), day)
    mandate.refresh_from_db()
    assert mandate.state == "revoked" and mandate.bgc_comment_code == "04"
    assert mandate.deletion_due is None


def test_revocation_too_late_for_the_next_debit_says_so(payer: Payer, exchange: Path) -> None:
    mandate = _active(payer, exchange)
    with clock.business_date(dt.date(2026, 12, 23)):
        revoked = mandate_revoke(ctx=SYSTEM, person=payer.customer.party, mandate_id=mandate.pk)
    assert revoked.ended_on == dt.date(2027, 1, 4)
    event = revoked.events.last()
    assert event is not None and "2026-12-22" in event.note
    result = run_on(dt.date(2027, 1, 4))
    assert result.file is not None
    assert any(isinstance(r, MandateDeletion) for r in read_file(result.file))


def test_nordea_personal_account_of_another_person_is_refused(payer: Payer) -> None:
    with pytest.raises(ValidationFailed) as refused:
        mandate_register(ctx=SYSTEM, data=payer.mandate_input(account="3300-1212121212"))
    assert refused.value.field == "account"
    assert refused.value.code == "mandate.account_not_payers"
    assert not Mandate.objects.exists()


def test_malformed_file_books_nothing(payer: Payer, exchange: Path) -> None:
    mandate = _active(payer, exchange)
    run_on(MON_30_NOV)
    first = Charge.objects.filter(policy=payer.policy).order_by("due_date").first()
    assert first is not None
    good = payment_spec(
        exchange / "from_bankgirot",
        dt.date(2026, 12, 3),
        [(mandate.payer_number, first.reference, first.amount, "0")],
    )
    bad = good.with_name("broken.txt")
    data = bytearray(good.read_bytes())
    data[82 + 82 + 40] = ord("X")  # inside the amount of the payment record
    bad.write_bytes(bytes(data))
    with pytest.raises(ValidationFailed) as refused:
        _import(bad, dt.date(2026, 12, 3))
    assert "line 3" in (refused.value.problems[0].field or "")
    first.refresh_from_db()
    assert first.state == "ordered"
    assert not BankgirotFile.objects.filter(direction="in", name="broken.txt").exists()


def _fail_first_debit_twice(payer: Payer, exchange: Path) -> tuple[Mandate, Charge]:
    mandate = _active(payer, exchange)
    run_on(MON_30_NOV)
    first = Charge.objects.filter(policy=payer.policy).order_by("due_date").first()
    assert first is not None
    inbox = exchange / "from_bankgirot"
    spec = [(mandate.payer_number, first.reference, first.amount, "1")]
    _import(payment_spec(inbox, dt.date(2026, 12, 3), spec), dt.date(2026, 12, 3))
    run_on(dt.date(2026, 12, 3))  # the second attempt
    _import(payment_spec(inbox, dt.date(2026, 12, 4), spec), dt.date(2026, 12, 4))
    return mandate, first


def test_rule_a_cancellation_notice_then_lapse(payer: Payer, exchange: Path) -> None:
    BillingTerms.objects.filter(product=payer.policy.product).update(non_payment="A")
    _mandate, first = _fail_first_debit_twice(payer, exchange)
    run_on(dt.date(2026, 12, 7))
    first.refresh_from_db()
    assert first.state == "failed" and first.attempts == 2
    notice = Notice.objects.get(kind="cancellation")
    assert notice.pay_by == dt.date(2026, 12, 21) and notice.ocr == first.ocr
    assert ocr_valid(notice.ocr)
    assert notice_pdf(notice).startswith(b"%PDF")
    run_on(dt.date(2026, 12, 21))  # the last day to pay: still in force
    payer.policy.refresh_from_db()
    assert payer.policy.state == PolicyState.ACTIVE
    run_on(dt.date(2026, 12, 22))
    payer.policy.refresh_from_db()
    assert payer.policy.state == PolicyState.LAPSED
    assert payer.policy.ended_on == dt.date(2026, 12, 21)


def test_rule_a_paid_with_the_slip_keeps_the_policy(payer: Payer, exchange: Path) -> None:
    BillingTerms.objects.filter(product=payer.policy.product).update(non_payment="A")
    _mandate, first = _fail_first_debit_twice(payer, exchange)
    run_on(dt.date(2026, 12, 7))
    first.refresh_from_db()
    with pytest.raises(ValidationFailed) as wrong:
        invoice_payment_register(
            ctx=SYSTEM, ocr=first.ocr, amount=first.amount - 1, paid_on=dt.date(2026, 12, 10)
        )
    assert wrong.value.field == "amount"
    invoice_payment_register(
        ctx=SYSTEM, ocr=first.ocr, amount=first.amount, paid_on=dt.date(2026, 12, 10)
    )
    first.refresh_from_db()
    assert first.state == "paid" and first.ledger is not None
    run_on(dt.date(2026, 12, 22))
    payer.policy.refresh_from_db()
    assert payer.policy.state == PolicyState.ACTIVE


def test_mandate_rejected_by_bankgirot_premiums_are_invoiced(payer: Payer, exchange: Path) -> None:
    mandate = register(payer)
    run_on(MON_23_NOV)
    inbox = exchange / "from_bankgirot"
    inbox.mkdir(parents=True)
    _import(mandate_notices(inbox, dt.date(2026, 11, 24), [(mandate, "05")]), dt.date(2026, 11, 24))
    mandate.refresh_from_db()
    assert mandate.state == "rejected" and mandate.bgc_comment_code == "05"
    assert "personuppgifter" in mandate.bgc_comment
    run_on(MON_30_NOV)
    # Autogiro never began: the year is invoiced under the insurance contract's terms.
    invoice = _assert_rest_of_term_invoiced(payer)
    assert invoice.premium == payer.policy.terms.get().annual_price and ocr_valid(invoice.ocr)
    assert Notice.objects.filter(kind="invoice", charges=invoice).exists()


def test_refund_reverses_the_booking(payer: Payer, exchange: Path) -> None:
    mandate = _active(payer, exchange)
    run_on(MON_30_NOV)
    first = Charge.objects.filter(policy=payer.policy).order_by("due_date").first()
    assert first is not None
    inbox = exchange / "from_bankgirot"
    day = dt.date(2026, 12, 3)
    _import(
        payment_spec(inbox, day, [(mandate.payer_number, first.reference, first.amount, "0")]),
        day,
    )
    refund = inbox / "refund.txt"
    write_file(
        refund,
        [
            ReportOpening(
                file_date=dt.date(2027, 1, 15),
                content="BET. SPEC & STOPP TK",
                customer_number="471117",
                bankgiro="9912346",
                file_time=dt.time(6, 0),
            ),
            RefundWithdrawal(
                payee_account="0" * 35,
                payment_date=dt.date(2027, 1, 15),
                serial_number=1,
                approved_amount=first.amount,
                approved_count=1,
            ),
            Refund(
                bankgiro="9912346",
                payer_number=mandate.payer_number,
                amount=first.amount,
                payment_date=day,
                period=0,
                repeats=None,
                reference=first.reference,
                refund_date=dt.date(2027, 1, 15),
                refund_code="03",
            ),
            PaymentSpecificationClosing(
                file_date=dt.date(2027, 1, 15),
                deposit_count=0,
                debit_count=0,
                withdrawal_count=0,
                credit_count=0,
                refund_withdrawal_count=1,
                refund_count=1,
            ),
        ],
    )
    _import(refund, dt.date(2027, 1, 15))
    first.refresh_from_db()
    assert first.state == "refunded"
    assert Account.objects.get(number="INT-PREMIUMS").balance == 0


def test_insurer_ends_autogiro_three_months_before_a_due_date(payer: Payer, exchange: Path) -> None:
    """§ 3: the insurer's notice reaches the payer at least three months before the due date on
    which the agreement ends (decision 0026: not the mandate text's thirty days)."""
    mandate = _active(payer, exchange)
    with clock.business_date(dt.date(2026, 12, 10)), pytest.raises(ValidationFailed) as late:
        # 1 March 2027 needed the notice by 1 December 2026.
        mandate_terminate(
            ctx=SYSTEM,
            mandate_id=mandate.pk,
            by="insurer",
            reason="Kunden ska inte ha autogiro.",
            ends_on=dt.date(2027, 3, 1),
        )
    assert late.value.code == "termination.too_late" and late.value.field == "ends_on"
    assert "2026-12-01" in late.value.message and "2027-04-01" in late.value.message
    mandate.refresh_from_db()
    assert mandate.state == "active" and mandate.ended_on is None  # nothing changed
    with clock.business_date(dt.date(2026, 12, 10)):
        ended = mandate_terminate(
            ctx=SYSTEM, mandate_id=mandate.pk, by="insurer", reason="Kunden ska inte ha autogiro."
        )
    # The earliest end is Thursday 1 April 2027: autogiro applies until the day before.
    assert ended.state == "ended" and ended.ended_on == dt.date(2027, 3, 31)
    run_on(dt.date(2027, 2, 25))  # the March debit falls before the end: still debited
    march = Charge.objects.get(
        policy=payer.policy, method="autogiro", period_start=dt.date(2027, 3, 1)
    )
    assert march.state == "ordered"
    run_on(dt.date(2027, 4, 6))
    april = Charge.objects.get(
        policy=payer.policy, method="autogiro", period_start=dt.date(2027, 4, 1)
    )
    assert april.state == "cancelled"
    _assert_rest_of_term_invoiced(payer)
    with pytest.raises(ValidationFailed) as once:
        mandate_terminate(ctx=SYSTEM, mandate_id=mandate.pk, by="holder", reason="", at_once=True)
    assert once.value.field == "reason"
