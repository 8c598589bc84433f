"""ID theft cases: opened with the customer, claims disputed with their creditors, steps with
deadlines, closed when no claim is disputed any more; the case log on Mine sider."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from tests.conftest import portal_login
from trygg.identity.services import pin_credential_set
from trygg.kernel.audit import SYSTEM
from trygg.kernel.errors import ValidationFailed
from trygg.kernel.models import AuditEvent
from trygg.parties.models import Party
from trygg.protection import idtheft

pytestmark = pytest.mark.django_db


def test_a_case_from_opening_to_closing(norwegian: Party) -> None:
    case = idtheft.idtheft_open(
        ctx=SYSTEM, customer=norwegian, summary="Mobilabonnement tegnet i kundens navn"
    )
    claim = idtheft.idtheft_claim_add(
        ctx=SYSTEM,
        case_id=case.pk,
        creditor="Telefonselskapet AS",
        amount="1 249,50",
        reference="F-778812",
        deadline=dt.date(2027, 1, 15),
    )
    assert (claim.amount, claim.state) == (Decimal("1249.50"), "disputed")
    idtheft.idtheft_step_add(
        ctx=SYSTEM,
        case_id=case.pk,
        kind="letter",
        text="Innsigelse sendt til kreditor",
        claim_id=claim.pk,
        deadline=dt.date(2027, 1, 15),
    )
    idtheft.idtheft_step_add(ctx=SYSTEM, case_id=case.pk, kind="credit_block", text="Kredittsperre")
    with pytest.raises(ValidationFailed) as early:
        idtheft.idtheft_close(ctx=SYSTEM, case_id=case.pk)
    assert early.value.code == "case.claims_open"
    idtheft.idtheft_claim_move(ctx=SYSTEM, claim_id=claim.pk, to="upheld", note="Kreditor svarte")
    with pytest.raises(ValidationFailed):
        idtheft.idtheft_close(ctx=SYSTEM, case_id=case.pk)  # upheld: still ours to pursue
    idtheft.idtheft_claim_move(ctx=SYSTEM, claim_id=claim.pk, to="withdrawn")
    with pytest.raises(ValidationFailed) as final:
        idtheft.idtheft_claim_move(ctx=SYSTEM, claim_id=claim.pk, to="disputed")
    assert final.value.code == "dispute.transition"
    closed = idtheft.idtheft_close(ctx=SYSTEM, case_id=case.pk)
    assert closed.state == "closed" and closed.closed_at is not None
    with pytest.raises(ValidationFailed) as after:
        idtheft.idtheft_step_add(ctx=SYSTEM, case_id=case.pk, kind="note", text="x")
    assert after.value.code == "case.closed"


@pytest.mark.parametrize(
    ("amount", "creditor", "field"),
    [("0", "Kreditor", "amount"), ("abc", "Kreditor", "amount"), ("10", " ", "creditor")],
)
def test_bad_claims_are_refused(norwegian: Party, amount: str, creditor: str, field: str) -> None:
    case = idtheft.idtheft_open(ctx=SYSTEM, customer=norwegian, summary="Kreditt i mitt navn")
    with pytest.raises(ValidationFailed) as refused:
        idtheft.idtheft_claim_add(ctx=SYSTEM, case_id=case.pk, creditor=creditor, amount=amount)
    assert refused.value.field == field
    assert not case.claims.exists()


def test_a_card_number_in_the_log_is_refused(norwegian: Party) -> None:
    case = idtheft.idtheft_open(ctx=SYSTEM, customer=norwegian, summary="Kortmisbruk")
    with pytest.raises(ValidationFailed) as refused:
        idtheft.idtheft_step_add(
            ctx=SYSTEM, case_id=case.pk, kind="note", text="kort 4111 1111 1111 1111"
        )
    assert refused.value.code == "card_number.refused"
    assert not case.steps.exists()


def test_the_customer_reads_the_case_log_on_mine_sider(norwegian: Party) -> None:
    case = idtheft.idtheft_open(ctx=SYSTEM, customer=norwegian, summary="Lån tatt opp i mitt navn")
    idtheft.idtheft_claim_add(
        ctx=SYSTEM, case_id=case.pk, creditor="Forbrukslån ASA", amount="25000", reference="L-1"
    )
    idtheft.idtheft_step_add(ctx=SYSTEM, case_id=case.pk, kind="police_report", text="Anmeldt")
    pin_credential_set(ctx=SYSTEM, party=norwegian, pin="8264", must_change=False)
    client = Client(enforce_csrf_checks=True)
    assert portal_login(client, norwegian.id_number, "8264").status_code == 302
    page = client.get("/protection/").content.decode()
    assert case.number in page and "Forbrukslån ASA" in page and "25\xa0000,00" in page
    assert "Anmeldt" in page
    assert AuditEvent.objects.filter(
        subject_id=str(norwegian.pk), object_type="id_theft_cases", action="read"
    ).exists()
