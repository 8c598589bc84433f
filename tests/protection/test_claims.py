"""Claims on the protection insurances: reported with documents (type and size checked, stored
through the storage API), the one-month handling time with its pause across the boundaries on
the business clock, the staff's queue of what is due and overdue, and the payout to the account
given in the claim booked once, even by two handlers at once."""

from __future__ import annotations

import datetime as dt
import importlib
import threading
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import translation

from trygg.banking import chart
from trygg.banking.ledger import internal_account
from trygg.kernel import clock, idnumbers
from trygg.kernel.audit import SYSTEM
from trygg.kernel.errors import DomainError, ValidationFailed
from trygg.kernel.models import AuditEvent
from trygg.parties.models import Party
from trygg.parties.services import person_register
from trygg.protection import claims, selectors
from trygg.protection.models import Agreement, ClaimDocument, ProtectionClaim
from trygg.protection.subscriptions import agreement_start

D = dt.date
pytestmark = pytest.mark.django_db
ACCOUNT = "8601 11 17947"
PDF = b"%PDF-1.4\n% kvittering\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf(name: str = "kvittering.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.fixture
def insurance(norwegian: Party) -> Agreement:
    with clock.business_date(D(2026, 1, 5)):
        return agreement_start(ctx=SYSTEM, customer=norwegian, product_code="kortforsikring")


def data(agreement: Agreement, **changes: Any) -> claims.ClaimInput:
    values: dict[str, Any] = {
        "agreement": agreement.number,
        "incident_on": D(2026, 1, 20),
        "description": "Lommeboka ble stjålet; kortet ble misbrukt.",
        "amount_claimed": "2 450,50",
        "payout_account": ACCOUNT,
    }
    values.update(changes)
    return claims.ClaimInput(**values)


def report(customer: Party, agreement: Agreement, on: dt.date, **changes: Any) -> ProtectionClaim:
    with clock.business_date(on):
        return claims.claim_report(
            ctx=SYSTEM, customer=customer, data=data(agreement, **changes), documents=[]
        )


def test_reported_with_a_document_stored_through_the_storage_api(
    norwegian: Party, insurance: Agreement
) -> None:
    with clock.business_date(D(2026, 3, 15)):
        claim = claims.claim_report(
            ctx=SYSTEM,
            customer=norwegian,
            data=data(insurance),
            documents=[("receipt", pdf())],
        )
    assert claim.number.startswith("K")
    assert (claim.state, claim.reported_on, claim.due_on) == (
        "reported",
        D(2026, 3, 15),
        D(2026, 4, 15),
    )
    assert claim.amount_claimed == Decimal("2450.50")
    assert claim.payout_account == "86011117947"
    document = claim.documents.get()
    assert (document.kind, document.content_type, document.size) == (
        "receipt",
        "application/pdf",
        len(PDF),
    )
    assert default_storage.exists(document.file.name)
    with default_storage.open(document.file.name) as stored:
        assert stored.read() == PDF
    assert AuditEvent.objects.filter(
        action="create", object_type="protection_claim", subject_id=str(norwegian.pk)
    ).exists()


def _refused(customer: Party, agreement: Agreement, **changes: Any) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as refused:
        report(customer, agreement, D(2026, 3, 15), **changes)
    assert not ProtectionClaim.objects.exists()
    return refused.value


def test_a_payout_account_with_a_wrong_check_digit_is_refused(
    norwegian: Party, insurance: Agreement
) -> None:
    error = _refused(norwegian, insurance, payout_account="8601 11 17948")
    assert (error.field, error.code) == ("payout_account", "account.invalid")
    with translation.override("nb"):
        error = _refused(norwegian, insurance, payout_account="8601 11 17948")
    assert "kontonummer" in error.message.lower()


def test_a_claim_on_another_customers_agreement_is_refused(insurance: Agreement) -> None:
    other = person_register(
        ctx=SYSTEM,
        id_number=idnumbers.generate_norwegian_personal(D(1970, 5, 17), 321),
        given_name="Ola",
        family_name="Nordmann",
        preferred_language="nb",
    )
    error = _refused(other, insurance)
    assert (error.field, error.code) == ("agreement", "agreement.not_yours")


def test_a_claim_on_a_service_that_is_no_insurance_is_refused(norwegian: Party) -> None:
    with clock.business_date(D(2026, 1, 5)):
        service = agreement_start(
            ctx=SYSTEM, customer=norwegian, product_code="sperreservice-maned"
        )
    error = _refused(norwegian, service)
    assert (error.field, error.code) == ("agreement", "agreement.not_insurance")


def test_a_loss_outside_the_cover_or_in_the_future_is_refused(
    norwegian: Party, insurance: Agreement
) -> None:
    error = _refused(norwegian, insurance, incident_on=D(2026, 1, 4))
    assert (error.field, error.code) == ("incident_on", "claim.not_in_cover")
    error = _refused(norwegian, insurance, incident_on=D(2026, 3, 16))
    assert (error.field, error.code) == ("incident_on", "claim.future")
    error = _refused(norwegian, insurance, amount_claimed="0")
    assert (error.field, error.code) == ("amount_claimed", "amount.range")
    error = _refused(norwegian, insurance, amount_claimed="12,345")
    assert (error.field, error.code) == ("amount_claimed", "amount.decimals")


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (SimpleUploadedFile("virus.exe", b"MZ\x90\x00"), "document.type"),
        # A name that lies about the content is refused too.
        (SimpleUploadedFile("kvittering.pdf", b"MZ\x90\x00 not a pdf"), "document.type"),
        (SimpleUploadedFile("bilde.png", b"%PDF-1.4"), "document.type"),
        (SimpleUploadedFile("tom.pdf", b""), "document.type"),
        (SimpleUploadedFile("stor.pdf", PDF + b"0" * (10 * 1024 * 1024)), "document.size"),
    ],
)
def test_upload_rules_refuse_the_claim_and_store_nothing(
    norwegian: Party, insurance: Agreement, upload: SimpleUploadedFile, code: str
) -> None:
    with clock.business_date(D(2026, 3, 15)), pytest.raises(ValidationFailed) as refused:
        claims.claim_report(
            ctx=SYSTEM, customer=norwegian, data=data(insurance), documents=[("receipt", upload)]
        )
    assert (refused.value.field, refused.value.code) == ("document", code)
    assert not ProtectionClaim.objects.exists()
    assert not ClaimDocument.objects.exists()
    folders = default_storage.listdir("")[0]
    assert "protection" not in folders


def test_accepted_types_and_the_exact_limit(norwegian: Party, insurance: Agreement) -> None:
    claim = report(norwegian, insurance, D(2026, 3, 15))
    limit = PDF + b"0" * (10 * 1024 * 1024 - len(PDF))
    for kind, upload in [
        ("photo", SimpleUploadedFile("bilde.PNG", PNG)),
        ("photo", SimpleUploadedFile("bilde.jpeg", b"\xff\xd8\xff\xe0 jfif")),
        ("police_report", SimpleUploadedFile("anmeldelse.pdf", limit)),
    ]:
        claims.document_add(
            ctx=SYSTEM, claim_id=claim.pk, kind=kind, upload=upload, customer=norwegian
        )
    assert claim.documents.count() == 3


def test_a_customer_cannot_add_to_another_customers_claim(
    norwegian: Party, insurance: Agreement
) -> None:
    claim = report(norwegian, insurance, D(2026, 3, 15))
    other = person_register(
        ctx=SYSTEM,
        id_number=idnumbers.generate_norwegian_personal(D(1970, 5, 17), 321),
        given_name="Ola",
        family_name="Nordmann",
    )
    with pytest.raises(DomainError) as refused:
        claims.document_add(
            ctx=SYSTEM, claim_id=claim.pk, kind="receipt", upload=pdf(), customer=other
        )
    assert refused.value.code == "claim.not_found"
    assert not claim.documents.exists()


def _status(claim: ProtectionClaim, on: dt.date) -> str:
    claim.refresh_from_db()
    queue = selectors.claim_queue(ctx=SYSTEM, today=on)
    for name in ("overdue", "due", "on_time", "waiting"):
        if any(row.claim.pk == claim.pk for row in getattr(queue, name)):
            return name
    return "none"


def test_the_month_stands_still_while_information_is_awaited(
    norwegian: Party, insurance: Agreement
) -> None:
    # Reported on 31 January: to be decided by 28 February (no 31 February).
    claim = report(norwegian, insurance, D(2026, 1, 31))
    assert claim.due_on == D(2026, 2, 28)
    assert _status(claim, D(2026, 2, 20)) == "on_time"
    assert _status(claim, D(2026, 2, 21)) == "due"  # 7 days before
    # Information asked for on the due date itself: the clock stops that day.
    with clock.business_date(D(2026, 2, 28)):
        claims.claim_ask_information(
            ctx=SYSTEM, claim_id=claim.pk, text="Send the police report, please."
        )
    # While waiting, the claim is never overdue, however long it takes.
    assert _status(claim, D(2026, 3, 4)) == "waiting"
    # The customer sends the report on 5 March: 5 days stood still, due on 5 March.
    with clock.business_date(D(2026, 3, 5)):
        claims.document_add(
            ctx=SYSTEM, claim_id=claim.pk, kind="police_report", upload=pdf(), customer=norwegian
        )
    claim.refresh_from_db()
    assert (claim.state, claim.paused_days, claim.due_on) == ("reported", 5, D(2026, 3, 5))
    assert _status(claim, D(2026, 3, 5)) == "due"
    assert _status(claim, D(2026, 3, 6)) == "overdue"
    # Asked again on 6 March (overdue by a day), answered by post on 6 March: no day added.
    with clock.business_date(D(2026, 3, 6)):
        claims.claim_ask_information(ctx=SYSTEM, claim_id=claim.pk, text="The receipt, please.")
        claims.claim_information_received(ctx=SYSTEM, claim_id=claim.pk)
    claim.refresh_from_db()
    assert (claim.paused_days, claim.due_on) == (5, D(2026, 3, 5))
    assert _status(claim, D(2026, 3, 6)) == "overdue"


def test_information_received_only_when_asked_for(norwegian: Party, insurance: Agreement) -> None:
    claim = report(norwegian, insurance, D(2026, 3, 15))
    with pytest.raises(ValidationFailed) as refused:
        claims.claim_information_received(ctx=SYSTEM, claim_id=claim.pk)
    assert refused.value.code == "protection_claim.transition"
    with pytest.raises(ValidationFailed) as empty:
        claims.claim_ask_information(ctx=SYSTEM, claim_id=claim.pk, text="  ")
    assert empty.value.field == "information"
    claim.refresh_from_db()
    assert claim.state == "reported" and claim.waiting_since is None


def test_the_queue_orders_by_due_date_and_lists_approved_claims_to_pay(
    norwegian: Party, insurance: Agreement
) -> None:
    late = report(norwegian, insurance, D(2026, 2, 1))  # due 1 March
    soon = report(norwegian, insurance, D(2026, 2, 20))  # due 20 March
    fresh = report(norwegian, insurance, D(2026, 3, 10))  # due 10 April
    approved = report(norwegian, insurance, D(2026, 3, 1))
    claims.claim_approve(ctx=SYSTEM, user=None, claim_id=approved.pk, amount="900")
    queue = selectors.claim_queue(ctx=SYSTEM, today=D(2026, 3, 14))
    assert [r.claim.number for r in queue.overdue] == [late.number]
    assert [r.claim.number for r in queue.due] == [soon.number]
    assert [r.claim.number for r in queue.on_time] == [fresh.number]
    assert [c.number for c in queue.to_pay] == [approved.number]
    assert AuditEvent.objects.filter(
        action="read", object_type="protection_claim", subject_id=str(norwegian.pk)
    ).exists()


def test_paid_once_to_the_account_in_the_claim(norwegian: Party, insurance: Agreement) -> None:
    claim = report(norwegian, insurance, D(2026, 3, 15))
    with pytest.raises(ValidationFailed) as early:
        claims.claim_pay(ctx=SYSTEM, claim_id=claim.pk)
    assert early.value.code == "claim.not_approved"
    with pytest.raises(ValidationFailed) as wrong:
        claims.claim_approve(ctx=SYSTEM, user=None, claim_id=claim.pk, amount="-5")
    assert (wrong.value.field, wrong.value.code) == ("amount", "amount.range")
    claims.claim_approve(ctx=SYSTEM, user=None, claim_id=claim.pk, amount="2000.00")
    paid = claims.claim_pay(ctx=SYSTEM, claim_id=claim.pk)
    assert paid.state == "paid" and paid.payout_transaction_id is not None
    with pytest.raises(ValidationFailed) as again:
        claims.claim_pay(ctx=SYSTEM, claim_id=claim.pk)
    assert (again.value.field, again.value.code) == ("claim", "claim.paid")
    outgoing = internal_account(chart.NOK_OUTGOING)
    source = internal_account(chart.PROTECTION_CLAIMS)
    assert (outgoing.balance, source.balance) == (Decimal("2000.00"), Decimal("-2000.00"))
    assert outgoing.postings.get().text == "86011117947"
    with pytest.raises(ValidationFailed) as closed:
        claims.claim_reject(ctx=SYSTEM, user=None, claim_id=claim.pk, reason="Too late")
    assert closed.value.code == "protection_claim.transition"


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="SQLite serialises writers; the race needs PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_two_handlers_paying_the_same_claim_at_once_pay_it_once(norwegian: Party) -> None:
    if not Agreement._meta.apps.get_model("protection", "Product").objects.exists():
        # An earlier transactional test's flush removed what the migration wrote.
        importlib.import_module("trygg.protection.migrations.0005_entities_and_products").load(
            django_apps, None
        )
    with clock.business_date(D(2026, 1, 5)):
        agreement = agreement_start(ctx=SYSTEM, customer=norwegian, product_code="kortforsikring")
    claim = report(norwegian, agreement, D(2026, 3, 15))
    claims.claim_approve(ctx=SYSTEM, user=None, claim_id=claim.pk, amount="750")
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def pay() -> None:
        try:
            start.wait()
            claims.claim_pay(ctx=SYSTEM, claim_id=claim.pk)
            outcomes.append("paid")
        except DomainError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=pay) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["claim.paid", "paid"]
    assert internal_account(chart.NOK_OUTGOING).balance == Decimal("750.00")
