"""The OCR import's set-based booking and the daily run's set-based invoices, at their edges:
a KID with a wrong check digit refuses the file, a payment without a KID waits in suspense,
and the invoices a run issues in one statement carry consecutive numbers, their KIDs and one
letter each, beside one charged by the day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from trygg.banking import chart
from trygg.banking.ledger import internal_account
from trygg.kernel import clock
from trygg.kernel.audit import SYSTEM
from trygg.kernel.errors import ValidationFailed
from trygg.parties.models import Party
from trygg.protection import rules
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


def start(customer: Party, on: dt.date) -> Agreement:
    with clock.business_date(on):
        return subs.agreement_start(
            ctx=SYSTEM, customer=customer, product_code="sperreservice-maned"
        )


def test_a_kid_with_a_wrong_check_digit_refuses_the_file(norwegian: Party) -> None:
    invoice = start(norwegian, D(2026, 1, 22)).invoices.get()
    wrong = "1234567890"  # neither MOD10 nor MOD11
    with pytest.raises(rules.RuleError):
        rules.kid_check(wrong)
    text = ocr_file(
        [
            OcrPayment(invoice.kid, invoice.amount, D(2026, 2, 3)),
            OcrPayment(wrong, Decimal("10.00"), D(2026, 2, 3)),
        ],
        transmission=51,
        nets_date=D(2026, 2, 5),
    )
    with clock.business_date(D(2026, 2, 5)), pytest.raises(ValidationFailed) as refused:
        ocr_import(ctx=SYSTEM, text=text, name="kid.txt")
    assert (refused.value.code, refused.value.field) == ("ocr.kid", "file")
    assert wrong in refused.value.message
    invoice.refresh_from_db()
    assert invoice.state == "open"
    assert not OcrFile.objects.exists() and not Payment.objects.exists()


def test_a_payment_without_a_kid_waits_in_suspense(norwegian: Party) -> None:
    invoice = start(norwegian, D(2026, 1, 22)).invoices.get()
    text = ocr_file(
        [
            OcrPayment(invoice.kid, invoice.amount, D(2026, 2, 3)),
            OcrPayment("1234567897", Decimal("25.00"), D(2026, 2, 3)),
        ],
        transmission=52,
        nets_date=D(2026, 2, 5),
    )
    # The second payment becomes a text giro (type 21): no KID, and a third record with a text.
    lines = text.splitlines()
    lines[4] = "NY092130" + lines[4][8:49] + " " * 25 + lines[4][74:]
    lines[5] = "NY092131" + lines[5][8:]
    lines.insert(6, f"NY0921320000002{'Innbetaling uten KID':<40}{'0' * 25}")
    lines[-2] = lines[-2][:16] + f"{7:08d}" + lines[-2][24:]
    lines[-1] = lines[-1][:16] + f"{9:08d}" + lines[-1][24:]
    with clock.business_date(D(2026, 2, 5)):
        result = ocr_import(ctx=SYSTEM, text="\n".join(lines) + "\n", name="text.txt")
    assert (result.booked, result.unmatched) == (1, 1)
    assert list(Payment.objects.order_by("seq").values_list("kid", "state")) == [
        (invoice.kid, "booked"),
        ("", "unmatched"),
    ]
    assert internal_account(chart.PROTECTION_SUSPENSE).balance == Decimal("-25.00")


def run(first: dt.date, last: dt.date) -> None:
    """The daily run for every day, every invoice paid the day it is issued."""
    day = first
    while day <= last:
        Invoice.objects.filter(state="open", kind="claim").update(state="paid", paid_on=day)
        with clock.business_date(day):
            subs.subscriptions_run(day=day)
        day += dt.timedelta(days=1)


def test_a_run_issues_numbered_invoices_with_kids_and_letters(norwegian: Party) -> None:
    ending, going_on = start(norwegian, D(2026, 1, 5)), start(norwegian, D(2026, 1, 5))
    run(D(2026, 1, 6), D(2026, 5, 9))
    with clock.business_date(D(2026, 5, 10)):
        subs.agreement_cancel(ctx=SYSTEM, agreement_id=ending.pk)
    run(D(2026, 5, 10), D(2026, 6, 10))
    invoices = list(Invoice.objects.order_by("number"))
    numbers = [i.number for i in invoices]
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))
    assert all(i.kid == subs.kid_for(i.number) == rules.kid_check(i.kid) for i in invoices)
    letters = AgreementLetter.objects.filter(invoice__isnull=False)
    assert sorted(letters.values_list("invoice_id", flat=True)) == sorted(i.pk for i in invoices)
    # June's invoices were issued in one run: one by the day (5 of 30 days), one at the price.
    june = {i.agreement_id: i for i in invoices if i.period_start == D(2026, 6, 5)}
    assert (june[ending.pk].period_end, june[ending.pk].amount) == (D(2026, 6, 9), Decimal("8.17"))
    assert (june[going_on.pk].period_end, june[going_on.pk].amount) == (
        D(2026, 7, 4),
        Decimal("49.00"),
    )


def _paid(customer: Party) -> tuple[Invoice, Payment]:
    invoice = start(customer, D(2026, 1, 22)).invoices.get()
    text = ocr_file(
        [OcrPayment(invoice.kid, invoice.amount, D(2026, 2, 3))],
        transmission=61,
        nets_date=D(2026, 2, 5),
    )
    with clock.business_date(D(2026, 2, 5)):
        ocr_import(ctx=SYSTEM, text=text, name="one.txt")
    return invoice, Payment.objects.get()


def _refused(statement: str, params: list[object]) -> None:
    """The statement is refused by the database, and nothing of it stays: at once by
    PostgreSQL's statement triggers; by SQLite's deferred foreign keys when they are checked
    (at commit, here at the end of the savepoint)."""

    def run() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, params)
            if connection.vendor == "sqlite":
                connection.check_constraints(table_names=["protection_payment"])

    with pytest.raises(IntegrityError):
        run()


def test_the_database_keeps_every_payment_with_its_file_and_invoice(norwegian: Party) -> None:
    """What the payments' references guarantee, checked per statement on PostgreSQL (decision
    0096) and by the ordinary foreign keys on SQLite: a payment names a file and an invoice that
    exist, neither can be deleted while it does, and one invoice is paid by one payment."""
    invoice, payment = _paid(norwegian)
    insert = (
        "INSERT INTO protection_payment (file_id, seq, kid, amount, paid_on, payer_account, "
        "invoice_id, state) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
    )
    row = [payment.file_id, 99, invoice.kid, "1.00", "2026-02-03", "", None, "unmatched"]
    _refused(insert, [*row[:6], invoice.pk + 1000, "booked"])  # no such invoice
    _refused(insert, [payment.file_id + 1000, *row[1:]])  # no such file
    _refused(insert, [*row[:6], invoice.pk, "booked"])  # the invoice is paid already
    _refused("UPDATE protection_payment SET invoice_id = %s", [invoice.pk + 1000])
    _refused("DELETE FROM protection_invoice WHERE id = %s", [invoice.pk])
    _refused("DELETE FROM protection_ocrfile WHERE id = %s", [payment.file_id])
    with transaction.atomic(), connection.cursor() as cursor:  # what is right still goes in
        cursor.execute(insert, row)
    assert Payment.objects.count() == 2
    assert Invoice.objects.filter(pk=invoice.pk, state="paid").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="work_mem is PostgreSQL's")
@pytest.mark.django_db(transaction=True)  # the import's own transaction, not a savepoint
def test_the_imports_working_memory_ends_with_its_transaction() -> None:
    text = ocr_file(
        [OcrPayment("1234567897", Decimal("25.00"), D(2026, 2, 3))],
        transmission=53,
        nets_date=D(2026, 2, 5),
    )
    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        before = cursor.fetchone()[0]
        seen: list[str] = []

        def during(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
            result = execute(sql, params, many, context)
            if sql.startswith("UPDATE protection_invoice SET state"):
                cursor.execute("SHOW work_mem")
                seen.append(cursor.fetchone()[0])
            return result

        with connection.execute_wrapper(during), clock.business_date(D(2026, 2, 5)):
            result = ocr_import(ctx=SYSTEM, text=text, name="memory.txt")
        cursor.execute("SHOW work_mem")
        assert (seen, cursor.fetchone()[0]) == (["64MB"], before)
    assert (result.booked, result.unmatched) == (0, 1)
