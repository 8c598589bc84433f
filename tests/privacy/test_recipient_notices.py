"""A rectification told to the recipients of the corrected data (GDPR Art. 19): one notice per
recipient, an e-mail through the outbox to each recipient with an address, "not possible" with
the reason for the others; the notice follows its e-mail (sent, failed); the person and staff
see them; nothing is told for a copy or an erasure. And the fee of a further copy, shown before
it is asked for."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone, translation

from tests.conftest import Customer, portal_login
from tests.privacy.test_privacy_pages import staff_client
from trygg.billing.models import Mandate
from trygg.contact import messaging
from trygg.contact import rules as contact_rules
from trygg.contact.models import OutboxMessage
from trygg.contact.services import outbox_send
from trygg.kernel import clock
from trygg.kernel.audit import SYSTEM
from trygg.privacy import register, rules
from trygg.privacy.models import RecipientNotice, SubjectRequest
from trygg.privacy.services import (
    retention_run,
    subject_request_ask,
    subject_request_complete,
)

pytestmark = pytest.mark.django_db

FIELDS = ["billing.Mandate.account", "parties.Party.family_name"]


def _mandate(customer: Customer) -> Mandate:
    return Mandate.objects.create(
        payer_number="5550001",
        payer=customer.party,
        id_number=customer.party.id_number,
        clearing="9020",
        account="4417123",
        state="active",
        channel="paper",
        requested_on=clock.today(),
        created_at=clock.now(),
    )


def _rectified(customer: Customer, fields: list[str] = FIELDS) -> SubjectRequest:
    asked = subject_request_ask(
        ctx=SYSTEM, party=customer.party, kind="rectification", details="Fel konto och efternamn."
    )
    return subject_request_complete(ctx=SYSTEM, request_id=asked.pk, corrected=fields)


def _notices(request: SubjectRequest) -> dict[str, RecipientNotice]:
    return {n.recipient_key: n for n in RecipientNotice.objects.filter(request=request)}


@pytest.fixture
def addressed_group(settings: Any) -> None:
    # The group's companies get a joint address in this installation: a category made
    # addressable by the setting.
    settings.TRYGG_PRIVACY_NOTICE_ADDRESSES = {"lf-group": "dataskydd@lf-gruppen.example.org"}


# -- the rules ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "is_category", "expected"),
    [
        ("dpo@x.example.org", False, (rules.NoticeState.QUEUED, "")),
        ("dpo@x.example.org", True, (rules.NoticeState.QUEUED, "")),
        ("", True, (rules.NoticeState.NOT_POSSIBLE, rules.NoticeReason.CATEGORY)),
        ("", False, (rules.NoticeState.NOT_POSSIBLE, rules.NoticeReason.NO_ADDRESS)),
    ],
)
def test_a_notice_starts_queued_or_not_possible(
    address: str, is_category: bool, expected: tuple[str, str]
) -> None:
    assert rules.notice_start(address=address, is_category=is_category) == expected


@pytest.mark.parametrize(
    ("now", "to", "ok"),
    [
        ("queued", "sent", True),
        ("queued", "failed", True),
        ("sent", "failed", False),
        ("failed", "sent", False),
        ("not-possible", "sent", False),
        ("queued", "not-possible", False),
    ],
)
def test_the_notice_table(now: str, to: str, ok: bool) -> None:
    if ok:
        rules.check_notice_move(now, to)
    else:
        with pytest.raises(rules.RuleError) as caught:
            rules.check_notice_move(now, to)
        assert caught.value.code == "notice.transition"


def test_the_register_names_an_address_or_why_there_is_none(settings: Any) -> None:
    for recipient in register.RECIPIENTS.values():
        assert bool(recipient.address) != bool(recipient.no_address), recipient.key
    assert register.BANKGIROT.notice_address() == "dataskydd@bankgirot.example.org"
    settings.TRYGG_PRIVACY_NOTICE_ADDRESSES = {"bankgirot": "dpo@bgc.example.net"}
    assert register.BANKGIROT.notice_address() == "dpo@bgc.example.net"
    assert register.GROUP_COMPANIES.notice_address() == ""


# -- writing and sending -----------------------------------------------------------------------


def test_a_rectification_queues_one_email_per_addressed_recipient(
    customer: Customer, addressed_group: None
) -> None:
    _mandate(customer)
    done = _rectified(customer)
    notices = _notices(done)
    # Autogiro: the payer's bank (a category), our payment service provider, Bankgirot;
    # the customer register: the group's companies (addressed by the setting).
    assert set(notices) == {"payers-psp", "lf-psp", "bankgirot", "lf-group"}
    assert notices["payers-psp"].state == "not-possible"
    assert notices["payers-psp"].reason == "category" and notices["payers-psp"].message is None
    queued = {k: n for k, n in notices.items() if n.state == "queued"}
    assert set(queued) == {"lf-psp", "bankgirot", "lf-group"}
    assert OutboxMessage.objects.count() == 3
    assert len(mail.outbox) == 0  # sent after the transaction, by the outbox
    to_bgc = queued["bankgirot"].message
    assert to_bgc is not None and to_bgc.recipient == "dataskydd@bankgirot.example.org"
    assert customer.party.customer_number in to_bgc.body
    assert customer.party.id_number not in to_bgc.body
    assert "4417123" in to_bgc.body and "Berg" not in to_bgc.body  # only its own fields
    assert queued["bankgirot"].fields == ["billing.Mandate.account"]
    to_group = queued["lf-group"].message
    assert to_group is not None and "Berg" in to_group.body and "4417123" not in to_group.body
    assert "rättat" in to_group.body  # in the organisation's language


def test_a_recipient_whose_address_is_unset_cannot_be_told(
    customer: Customer, settings: Any
) -> None:
    settings.TRYGG_PRIVACY_NOTICE_ADDRESSES = {"bankgirot": ""}
    _mandate(customer)
    notices = _notices(_rectified(customer))
    assert notices["bankgirot"].state == "not-possible"
    assert notices["bankgirot"].reason == "no-address"
    assert notices["lf-group"].reason == "category"
    assert OutboxMessage.objects.count() == 1  # our payment service provider only


def test_the_outbox_sending_marks_the_notice_sent(customer: Customer, frozen: Any) -> None:
    _mandate(customer)
    done = _rectified(customer)
    assert outbox_send()["sent"] == 2
    assert sorted(m.to[0] for m in mail.outbox) == [
        "dataskydd@bankgirot.example.org",
        "dataskydd@betaltjanst.example.org",
    ]
    notices = _notices(done)
    for key in ("bankgirot", "lf-psp"):
        assert notices[key].state == "sent" and notices[key].sent_at == clock.now()
    assert notices["lf-group"].state == "not-possible" and notices["lf-group"].sent_at is None
    assert outbox_send()["sent"] == 0  # once


def test_a_failed_send_marks_the_notice_failed(customer: Customer, monkeypatch: Any) -> None:
    def refuse(**kwargs: Any) -> str:
        raise messaging.SendFailed("e-mail: connection refused")

    monkeypatch.setattr(messaging, "send_email", refuse)
    done = _rectified(customer, ["billing.Mandate.account"])
    assert outbox_send()["retry"] == 2
    assert {n.state for n in _notices(done).values() if n.address} == {"queued"}
    for _ in range(contact_rules.SEND_ATTEMPTS):
        outbox_send()
    notices = _notices(done)
    assert notices["bankgirot"].state == "failed" and notices["lf-psp"].state == "failed"
    assert notices["bankgirot"].sent_at is None


@pytest.mark.parametrize("kind", ["access", "erasure"])
def test_nothing_is_told_for_a_copy_or_an_erasure(customer: Customer, kind: str) -> None:
    asked = subject_request_ask(ctx=SYSTEM, party=customer.party, kind=kind)
    done = subject_request_complete(ctx=SYSTEM, request_id=asked.pk)
    assert done.state == "completed"
    assert not RecipientNotice.objects.exists()
    assert not OutboxMessage.objects.exists()


# -- the pages ---------------------------------------------------------------------------------


def test_the_customers_page_lists_the_recipients_and_what_they_were_told(
    customer: Customer, frozen: Any
) -> None:
    _mandate(customer)
    _rectified(customer)
    outbox_send()
    client = Client()
    assert portal_login(client, customer.id_number, customer.pin).status_code == 302
    text = client.get("/my-data/").content.decode()
    with translation.override("sv"):
        for key in ("lf-group", "payers-psp", "lf-psp", "bankgirot"):
            assert str(register.RECIPIENTS[key]) in text
        reason = str(RecipientNotice(reason="category").get_reason_display())
    assert f"underrättad {clock.today().isoformat()}" in text
    assert reason in text
    assert "Who received" not in text  # no English on a Swedish page


def test_staff_see_the_notices_on_the_request(customer: Customer, frozen: Any) -> None:
    _mandate(customer)
    done = _rectified(customer)
    outbox_send()
    client = staff_client("privacy_officer", "dso")
    text = client.get(f"/backoffice/privacy/subjectrequest/{done.pk}/change/").content.decode()
    assert "dataskydd@bankgirot.example.org" in text
    assert timezone.localtime(clock.now()).strftime("%Y-%m-%d %H:%M") in text
    with translation.override("sv"):
        assert str(RecipientNotice(reason="category").get_reason_display()) in text


def test_the_fee_of_a_further_copy_is_shown_before_it_is_asked_for(
    customer: Customer, frozen: Any
) -> None:
    client = Client()
    assert portal_login(client, customer.id_number, customer.pin).status_code == 302
    assert "150,00" in client.get("/my-data/").content.decode()
    subject_request_ask(ctx=SYSTEM, party=customer.party, kind="access")
    text = client.get("/my-data/").content.decode()
    assert "150,00" in text
    free_again = rules.months_after(clock.today(), rules.FREE_COPY_MONTHS).isoformat()
    assert free_again in text


def test_a_notice_text_goes_30_days_after_it_was_written(customer: Customer) -> None:
    """The e-mail's text (the corrected values) is emptied by the retention run 30 days after
    it was written, once sent; the notice (who was told, when) stays."""
    _mandate(customer)
    done = _rectified(customer)
    outbox_send()
    written = timezone.make_aware(dt.datetime(2026, 3, 2, 10, 0))
    OutboxMessage.objects.update(created_at=written)
    sent = {k: n for k, n in _notices(done).items() if n.message is not None}
    assert sent and all(n.message and n.message.body for n in sent.values())
    retention_run(ctx=SYSTEM, on=dt.date(2026, 3, 31))
    assert all(m.body for m in OutboxMessage.objects.all())  # the 29th day: kept
    retention_run(ctx=SYSTEM, on=dt.date(2026, 4, 2))
    assert not any(m.body or m.subject for m in OutboxMessage.objects.filter(notice__isnull=False))
    assert RecipientNotice.objects.filter(state="sent").count() == len(sent)
