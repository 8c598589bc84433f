"""Agreements through the business clock: each renewal path across its boundaries (three-month
terms, one month's notice, two reminders, lapse by non-payment, the prepaid offer and opt-out),
the entity change of 1 October 2019, and payments read from Nets OCR giro files."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from trygg.banking import chart
from trygg.banking.ledger import internal_account
from trygg.kernel import clock
from trygg.kernel.audit import SYSTEM
from trygg.kernel.errors import ValidationFailed
from trygg.parties.models import Party
from trygg.protection import subscriptions as subs
from trygg.protection.models import (
    Agreement,
    AgreementLetter,
    Invoice,
    OcrFile,
    Payment,
)
from trygg.protection.payments import ocr_import
from trygg.simulators.nets import OcrPayment, ocr_file

D = dt.date
pytestmark = pytest.mark.django_db


def start(customer: Party, product: str, on: dt.date) -> Agreement:
    with clock.business_date(on):
        return subs.agreement_start(ctx=SYSTEM, customer=customer, product_code=product)


def run(first: dt.date, last: dt.date, *, paying: bool = False) -> dict[str, int]:
    """The daily run for every day from ``first`` to ``last``; the counts summed. ``paying``:
    every invoice is paid the day it is issued (OCR payments are tested on their own)."""
    total: dict[str, int] = {}
    day = first
    while day <= last:
        if paying:
            Invoice.objects.filter(state="open", kind="claim").update(state="paid", paid_on=day)
        with clock.business_date(day):
            for name, count in subs.subscriptions_run(day=day).counts.items():
                total[name] = total.get(name, 0) + count
        day += dt.timedelta(days=1)
    return total


def pay(invoices: list[Invoice], *, paid_on: dt.date, nets_date: dt.date, number: int) -> Any:
    text = ocr_file(
        [OcrPayment(i.kid, i.amount, paid_on) for i in invoices],
        transmission=number,
        nets_date=nets_date,
    )
    with clock.business_date(nets_date):
        return ocr_import(ctx=SYSTEM, text=text, name=f"ocr-{number}.txt")


def fresh(agreement: Agreement) -> Agreement:
    agreement.refresh_from_db()
    return agreement


def test_monthly_renews_for_three_months_and_invoices_month_by_month(norwegian: Party) -> None:
    agreement = start(norwegian, "sperreservice-maned", D(2026, 1, 5))
    assert (agreement.term_start, agreement.term_end) == (D(2026, 1, 5), D(2026, 4, 4))
    first = agreement.invoices.get()
    assert (first.amount, first.period_end, first.kid[-1]) == (
        Decimal("49.00"),
        D(2026, 2, 4),
        first.kid[-1],
    )
    # The next month's invoice goes out 14 days before it is due: not on 21 Jan, on 22 Jan.
    run(D(2026, 1, 5), D(2026, 1, 21))
    assert agreement.invoices.count() == 1
    run(D(2026, 1, 22), D(2026, 1, 22))
    second = agreement.invoices.order_by("period_start").last()
    assert (second.period_start, second.due_on) == (D(2026, 2, 5), D(2026, 2, 5))
    # Paid in time, no reminders; the term renews on its last day + 1.
    paying = list(agreement.invoices.all())
    pay(paying, paid_on=D(2026, 1, 20), nets_date=D(2026, 1, 22), number=1)
    run(D(2026, 1, 23), D(2026, 3, 1))
    for invoice in agreement.invoices.filter(state="open"):
        pay(
            [invoice],
            paid_on=invoice.due_on,
            nets_date=invoice.due_on,
            number=invoice.number % 10**7,
        )
    run(D(2026, 3, 2), D(2026, 4, 4))
    assert fresh(agreement).term_end == D(2026, 4, 4)
    for invoice in agreement.invoices.filter(state="open"):
        pay(
            [invoice],
            paid_on=invoice.due_on,
            nets_date=invoice.due_on,
            number=invoice.number % 10**7,
        )
    run(D(2026, 4, 5), D(2026, 4, 5))
    agreement = fresh(agreement)
    assert (agreement.state, agreement.term_start, agreement.term_end) == (
        "active",
        D(2026, 4, 5),
        D(2026, 7, 4),
    )
    assert agreement.letters.filter(kind="reminder").count() == 0


def test_notice_in_the_first_term_ends_it_at_the_term_end(norwegian: Party) -> None:
    agreement = start(norwegian, "sperreservice-maned", D(2026, 1, 5))
    with clock.business_date(D(2026, 2, 10)):
        subs.agreement_cancel(ctx=SYSTEM, agreement_id=agreement.pk, customer=norwegian)
    assert fresh(agreement).end_on == D(2026, 4, 4)
    run(D(2026, 1, 6), D(2026, 4, 4), paying=True)
    assert fresh(agreement).state == "notice"
    assert not agreement.invoices.filter(period_start__gt=D(2026, 4, 4)).exists()
    run(D(2026, 4, 5), D(2026, 4, 5))
    assert fresh(agreement).state == "ended"


def test_notice_after_the_first_term_is_one_month_and_the_last_month_is_by_the_day(
    norwegian: Party,
) -> None:
    agreement = start(norwegian, "sperreservice-maned", D(2026, 1, 5))
    run(D(2026, 1, 6), D(2026, 5, 9), paying=True)
    with clock.business_date(D(2026, 5, 10)):
        with pytest.raises(ValidationFailed) as early:
            subs.agreement_cancel(ctx=SYSTEM, agreement_id=agreement.pk, end_on=D(2026, 6, 8))
        assert (early.value.code, early.value.field) == ("cancellation.notice", "end_on")
        assert fresh(agreement).state == "active"
        subs.agreement_cancel(ctx=SYSTEM, agreement_id=agreement.pk)
    assert fresh(agreement).end_on == D(2026, 6, 9)
    run(D(2026, 5, 10), D(2026, 6, 10), paying=True)
    last = agreement.invoices.order_by("period_start").last()
    # 5-9 June: 5 of June's 30 days of 49 kr.
    assert (last.period_start, last.period_end, last.amount) == (
        D(2026, 6, 5),
        D(2026, 6, 9),
        Decimal("8.17"),
    )
    assert fresh(agreement).state == "ended"


def test_two_reminders_then_lapse_never_while_a_payment_may_be_under_way(
    norwegian: Party,
) -> None:
    agreement = start(norwegian, "sperreservice-maned", D(2026, 1, 22))
    invoice = agreement.invoices.get()
    assert invoice.due_on == D(2026, 2, 5)  # 14 days after the order
    # Due Thu 5 Feb; a payment made that day is registered by Wed 11 Feb at the latest.
    run(D(2026, 1, 22), D(2026, 2, 11))
    invoice.refresh_from_db()
    assert invoice.reminders == 0
    run(D(2026, 2, 12), D(2026, 2, 12))
    invoice.refresh_from_db()
    assert (invoice.reminders, invoice.reminded_on) == (1, D(2026, 2, 12))
    # The reminder's deadline is 26 Feb; the second reminder waits for 4 bank days after it.
    run(D(2026, 2, 13), D(2026, 3, 4))
    invoice.refresh_from_db()
    assert invoice.reminders == 1
    run(D(2026, 3, 5), D(2026, 3, 5))
    invoice.refresh_from_db()
    assert invoice.reminders == 2
    run(D(2026, 3, 6), D(2026, 3, 25))
    assert fresh(agreement).state == "active"
    totals = run(D(2026, 3, 26), D(2026, 3, 26))
    agreement = fresh(agreement)
    assert (agreement.state, agreement.end_on, totals.get("lapsed")) == (
        "lapsed",
        D(2026, 1, 21),
        1,
    )
    assert list(
        agreement.letters.filter(invoice=invoice).values_list("kind", "seq").order_by("sent_on")
    ) == [("invoice", 0), ("reminder", 1), ("reminder", 2), ("lapse", 0)]
    assert not agreement.invoices.filter(state="open").exists()
    # Never a third reminder, and nothing more once it lapsed.
    letters = agreement.letters.count()
    run(D(2026, 3, 27), D(2026, 5, 1))
    assert agreement.letters.filter(kind="reminder", invoice=invoice).count() == 2
    assert agreement.letters.count() == letters


def test_a_payment_registered_before_the_reminder_day_stops_it(norwegian: Party) -> None:
    agreement = start(norwegian, "sperreservice-maned", D(2026, 1, 22))
    invoice = agreement.invoices.get()
    run(D(2026, 1, 22), D(2026, 2, 10))
    # Paid on the due date, registered 4 bank days later (Wed 11 Feb).
    pay([invoice], paid_on=D(2026, 2, 5), nets_date=D(2026, 2, 11), number=11)
    run(D(2026, 2, 11), D(2026, 3, 30))
    invoice.refresh_from_db()
    assert (invoice.state, invoice.reminders, invoice.paid_on) == ("paid", 0, D(2026, 2, 5))


def test_insurance_renewal_letter_starts_a_new_year_and_non_payment_cancels_it(
    norwegian: Party,
) -> None:
    agreement = start(norwegian, "kortforsikring", D(2026, 1, 5))
    pay(list(agreement.invoices.all()), paid_on=D(2026, 1, 6), nets_date=D(2026, 1, 8), number=21)
    run(D(2026, 12, 1), D(2026, 12, 5))
    assert not agreement.letters.filter(kind="renewal").exists()
    run(D(2026, 12, 6), D(2026, 12, 6))  # 30 days before the new year starts on 5 January
    renewal = agreement.letters.get(kind="renewal")
    assert (renewal.invoice.period_start, renewal.invoice.due_on) == (D(2027, 1, 5), D(2027, 1, 5))
    run(D(2026, 12, 7), D(2027, 1, 5))
    agreement = fresh(agreement)
    assert (agreement.state, agreement.term_start, agreement.term_end) == (
        "active",
        D(2027, 1, 5),
        D(2028, 1, 4),
    )
    totals = run(D(2027, 1, 6), D(2027, 3, 31))
    agreement = fresh(agreement)
    # Not paying the renewal cancels it: no cover in the new year, no separate notice.
    assert (agreement.state, agreement.end_on) == ("lapsed", D(2027, 1, 4))
    assert (totals["reminder_1"], totals["reminder_2"], totals["lapsed"]) == (1, 1, 1)


def test_renewals_and_new_agreements_from_1_october_2019_are_with_the_new_entity(
    norwegian: Party,
) -> None:
    before = start(norwegian, "kortforsikring", D(2019, 9, 30))
    on_the_day = start(norwegian, "id-beskyttelse", D(2019, 10, 1))
    assert before.entity.name == "mySafety AS"
    assert on_the_day.entity.name == "mySafety Försäkringar AB"
    assert before.invoices.get().entity.name == "mySafety AS"
    Invoice.objects.update(state="paid", paid_on=D(2019, 10, 1))
    # The first year runs to 29 September 2020; the renewal is for a year from 30 September.
    run(D(2020, 8, 30), D(2020, 9, 29), paying=True)
    renewal = before.letters.get(kind="renewal")
    assert renewal.entity.name == "mySafety Försäkringar AB"
    assert fresh(before).entity.name == "mySafety AS"  # until the new year starts
    run(D(2020, 9, 30), D(2020, 9, 30), paying=True)
    assert fresh(before).entity.name == "mySafety Försäkringar AB"
    supervision = fresh(before).entity.supervision
    assert "Finanstilsynet" in supervision and "Finansinspektionen" in supervision


def test_prepaid_ends_with_an_offer_never_a_claim(norwegian: Party) -> None:
    agreement = start(norwegian, "sperreservice-ar", D(2026, 1, 5))
    Invoice.objects.update(state="paid", paid_on=D(2026, 1, 6))
    run(D(2026, 12, 5), D(2026, 12, 5))
    assert not agreement.invoices.filter(kind="offer").exists()
    run(D(2026, 12, 6), D(2026, 12, 6))
    offer = agreement.invoices.get(kind="offer")
    assert offer.due_on == D(2027, 1, 5)
    run(D(2026, 12, 7), D(2027, 1, 4))
    assert fresh(agreement).state == "active"
    run(D(2027, 1, 5), D(2027, 3, 1))
    offer.refresh_from_db()
    agreement = fresh(agreement)
    assert (agreement.state, offer.state, offer.reminders) == ("expired", "withdrawn", 0)
    assert not agreement.letters.filter(kind__in=["reminder", "lapse"]).exists()


def test_prepaid_offer_paid_in_time_renews_and_opt_out_sends_none(norwegian: Party) -> None:
    paying = start(norwegian, "sperreservice-ar", D(2026, 1, 5))
    quiet = start(norwegian, "nokkelbrikke", D(2026, 1, 5))
    Invoice.objects.update(state="paid", paid_on=D(2026, 1, 6))
    with clock.business_date(D(2026, 3, 1)):
        subs.agreement_no_offers(ctx=SYSTEM, agreement_id=quiet.pk, customer=norwegian)
    run(D(2026, 12, 6), D(2026, 12, 6))
    assert not quiet.invoices.filter(kind="offer").exists()
    pay(
        [paying.invoices.get(kind="offer")],
        paid_on=D(2026, 12, 20),
        nets_date=D(2026, 12, 22),
        number=31,
    )
    run(D(2026, 12, 7), D(2027, 1, 5))
    paying, quiet = fresh(paying), fresh(quiet)
    assert (paying.state, paying.term_start, paying.term_end) == (
        "active",
        D(2027, 1, 5),
        D(2028, 1, 4),
    )
    assert quiet.state == "expired"


def test_due_date_moved_once_as_the_product_allows(norwegian: Party) -> None:
    agreement = start(norwegian, "sperreservice-maned", D(2026, 1, 22))
    invoice = agreement.invoices.get()
    with clock.business_date(D(2026, 1, 30)):
        moved = subs.invoice_move_due(
            ctx=SYSTEM, invoice_id=invoice.pk, new_due=D(2026, 2, 20), customer=norwegian
        )
        assert (moved.due_on, moved.due_moves) == (D(2026, 2, 20), 1)
        with pytest.raises(ValidationFailed) as again:
            subs.invoice_move_due(ctx=SYSTEM, invoice_id=invoice.pk, new_due=D(2026, 2, 25))
        assert (again.value.code, again.value.field) == ("due_on.moves_used", "due_on")
    # The reminder follows the moved date: 4 bank days after Fri 20 Feb is Thu 26 Feb.
    run(D(2026, 1, 30), D(2026, 2, 26))
    invoice.refresh_from_db()
    assert invoice.reminders == 0
    run(D(2026, 2, 27), D(2026, 2, 27))
    invoice.refresh_from_db()
    assert invoice.reminders == 1


def test_the_daily_run_twice_changes_nothing(norwegian: Party) -> None:
    start(norwegian, "sperreservice-maned", D(2026, 1, 5))
    start(norwegian, "kortforsikring", D(2026, 1, 5))
    run(D(2026, 1, 5), D(2026, 2, 15), paying=True)
    counts = (Invoice.objects.count(), AgreementLetter.objects.count())
    with clock.business_date(D(2026, 2, 15)):
        assert sum(subs.subscriptions_run(day=D(2026, 2, 15)).counts.values()) == 0
    assert (Invoice.objects.count(), AgreementLetter.objects.count()) == counts


# -- OCR giro ------------------------------------------------------------------------------


def test_ocr_import_books_once_and_matches_by_kid(norwegian: Party) -> None:
    agreement = start(norwegian, "sperreservice-maned", D(2026, 1, 22))
    invoice = agreement.invoices.get()
    text = ocr_file(
        [
            OcrPayment(invoice.kid, Decimal("49.00"), D(2026, 2, 3)),
            OcrPayment(invoice.kid, Decimal("49.00"), D(2026, 2, 3)),  # paid twice
            OcrPayment("1234567897", Decimal("10.00"), D(2026, 2, 3)),  # no such invoice
        ],
        transmission=41,
        nets_date=D(2026, 2, 5),
    )
    with clock.business_date(D(2026, 2, 5)):
        first = ocr_import(ctx=SYSTEM, text=text, name="a.txt")
        again = ocr_import(ctx=SYSTEM, text=text, name="a-again.txt")
    assert (first.imported_now, first.booked, first.unmatched) == (True, 1, 2)
    assert (again.imported_now, again.file.pk) == (False, first.file.pk)
    invoice.refresh_from_db()
    assert (invoice.state, invoice.paid_on, invoice.registered_on) == (
        "paid",
        D(2026, 2, 3),
        D(2026, 2, 5),
    )
    assert OcrFile.objects.count() == 1 and Payment.objects.count() == 3
    settlement = internal_account(chart.NETS_OCR_SETTLEMENT)
    income = internal_account(chart.PROTECTION_INCOME)
    suspense = internal_account(chart.PROTECTION_SUSPENSE)
    settlement.refresh_from_db()
    assert settlement.currency == "NOK"
    assert (settlement.balance, income.balance, suspense.balance) == (
        Decimal("108.00"),
        Decimal("-49.00"),
        Decimal("-59.00"),
    )


def test_the_same_transmission_in_other_bytes_books_nothing(norwegian: Party) -> None:
    invoice = start(norwegian, "sperreservice-maned", D(2026, 1, 22)).invoices.get()
    one = ocr_file(
        [OcrPayment(invoice.kid, invoice.amount, D(2026, 2, 3))],
        transmission=42,
        nets_date=D(2026, 2, 5),
    )
    with clock.business_date(D(2026, 2, 5)):
        ocr_import(ctx=SYSTEM, text=one, name="x")
        result = ocr_import(ctx=SYSTEM, text=one.rstrip("\n"), name="y")
    assert not result.imported_now and OcrFile.objects.count() == 1


@pytest.mark.parametrize(
    "damage",
    [
        lambda t: t.replace("NY000089", "NY000088", 1),  # no transmission end
        lambda t: t.replace("00000004900", "00000004800", 1),  # amounts that do not add up
        lambda t: t[:-40],  # cut short
        lambda t: "garbage\n",
    ],
)
def test_a_file_that_does_not_parse_is_refused_whole(norwegian: Party, damage: Any) -> None:
    invoice = start(norwegian, "sperreservice-maned", D(2026, 1, 22)).invoices.get()
    text = ocr_file(
        [OcrPayment(invoice.kid, Decimal("49.00"), D(2026, 2, 3))] * 2,
        transmission=43,
        nets_date=D(2026, 2, 5),
    )
    with clock.business_date(D(2026, 2, 5)), pytest.raises(ValidationFailed) as refused:
        ocr_import(ctx=SYSTEM, text=damage(text), name="bad.txt")
    assert (refused.value.code, refused.value.field) == ("ocr.unreadable", "file")
    invoice.refresh_from_db()
    assert invoice.state == "open"
    assert not OcrFile.objects.exists() and not Payment.objects.exists()
