"""Key tags: batches of serials linked to their owner by identity number, the found-keys case
from the finder's call to the registered letter or the police, the finder's reward of 100 NOK
paid once, the return rate, and an unknown serial answered like any other."""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from trygg.banking import chart
from trygg.banking.ledger import internal_account
from trygg.kernel.audit import SYSTEM
from trygg.kernel.errors import DomainError, ValidationFailed
from trygg.parties.models import Party
from trygg.protection import keytags, rules, selectors
from trygg.protection.models import FoundKeysCase, KeyTag

pytestmark = pytest.mark.django_db
ACCOUNT = "8601 11 17947"


@pytest.fixture
def tag(norwegian: Party) -> KeyTag:
    batch = keytags.tag_batch_issue(ctx=SYSTEM, count=50)
    first = batch.tags.order_by("serial").first()
    assert first is not None
    return keytags.tag_link(ctx=SYSTEM, serial=first.serial, id_number=norwegian.id_number)


def test_batches_have_consecutive_serials_with_check_digits() -> None:
    one = keytags.tag_batch_issue(ctx=SYSTEM, count=3)
    two = keytags.tag_batch_issue(ctx=SYSTEM, count=2)
    serials = list(KeyTag.objects.values_list("serial", flat=True))
    assert serials == ["100000009", "100000017", "100000025", "100000033", "100000041"]
    assert (one.first, two.first) == (10_000_000, 10_000_003)
    for serial in serials:
        assert rules.clean_key_tag_serial(serial) == serial
    with pytest.raises(rules.RuleError):
        rules.clean_key_tag_serial("100000008")


def test_a_linked_tag_is_not_linked_again(tag: KeyTag, norwegian: Party) -> None:
    assert tag.owner == norwegian
    with pytest.raises(ValidationFailed) as taken:
        keytags.tag_link(ctx=SYSTEM, serial=tag.serial, id_number=norwegian.id_number)
    assert taken.value.code == "serial.taken"


def test_from_the_finders_call_to_the_registered_letter_and_the_reward(tag: KeyTag) -> None:
    report = keytags.found_report(
        ctx=SYSTEM,
        serial=tag.serial,
        source="call",
        finder_name="Per Finner",
        finder_phone="41234567",
    )
    case = report.case
    assert case is not None and case.state == "reported" and case.owner_id == tag.owner_id
    with pytest.raises(ValidationFailed) as early:
        keytags.reward_pay(ctx=SYSTEM, case_id=case.pk, account=ACCOUNT)
    assert early.value.code == "reward.keys_not_in"  # the keys must be with us first
    with pytest.raises(ValidationFailed):
        keytags.case_send(ctx=SYSTEM, case_id=case.pk, tracking_number="RR123456785NO")
    keytags.case_keys_received(ctx=SYSTEM, case_id=case.pk)
    keytags.case_owner_contacted(ctx=SYSTEM, case_id=case.pk)
    with pytest.raises(ValidationFailed) as no_tracking:
        keytags.case_send(ctx=SYSTEM, case_id=case.pk, tracking_number=" ")
    assert no_tracking.value.field == "tracking_number"
    sent = keytags.case_send(ctx=SYSTEM, case_id=case.pk, tracking_number="rr123456785no")
    assert (sent.state, sent.tracking_number) == ("sent", "RR123456785NO")
    paid = keytags.reward_pay(ctx=SYSTEM, case_id=case.pk, account=ACCOUNT)
    assert (paid.reward_account, paid.reward_paid_at is not None) == ("86011117947", True)
    outgoing = internal_account(chart.NOK_OUTGOING)
    outgoing.refresh_from_db()
    assert (outgoing.currency, outgoing.balance) == ("NOK", Decimal("100.00"))


def test_the_reward_is_paid_once(tag: KeyTag) -> None:
    case = keytags.found_report(ctx=SYSTEM, serial=tag.serial, source="post").case
    assert case is not None and case.state == "received"
    keytags.reward_pay(ctx=SYSTEM, case_id=case.pk, account=ACCOUNT)
    with pytest.raises(ValidationFailed) as again:
        keytags.reward_pay(ctx=SYSTEM, case_id=case.pk, account=ACCOUNT)
    assert (again.value.code, again.value.field) == ("reward.paid", "case")
    outgoing = internal_account(chart.NOK_OUTGOING)
    outgoing.refresh_from_db()
    assert outgoing.balance == Decimal("100.00")


@pytest.mark.django_db(transaction=True)
def test_two_clerks_paying_the_same_reward_at_once_pay_it_once(norwegian: Party) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    batch = keytags.tag_batch_issue(ctx=SYSTEM, count=1)
    serial = batch.tags.get().serial
    keytags.tag_link(ctx=SYSTEM, serial=serial, id_number=norwegian.id_number)
    case = keytags.found_report(ctx=SYSTEM, serial=serial, source="post").case
    assert case is not None
    outcomes: list[Any] = []

    def pay() -> None:
        try:
            outcomes.append(keytags.reward_pay(ctx=SYSTEM, case_id=case.pk, account=ACCOUNT))
        except DomainError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=pay) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(str(o) if isinstance(o, str) else "paid" for o in outcomes) == [
        "paid",
        "reward.paid",
    ]


def test_a_wrong_account_number_is_refused(tag: KeyTag) -> None:
    case = keytags.found_report(ctx=SYSTEM, serial=tag.serial, source="post").case
    assert case is not None
    with pytest.raises(ValidationFailed) as wrong:
        keytags.reward_pay(ctx=SYSTEM, case_id=case.pk, account="86011117948")
    assert (wrong.value.code, wrong.value.field) == ("account.invalid", "account")
    case.refresh_from_db()
    assert case.reward_paid_at is None


def test_picked_up_at_the_police_needs_identification(tag: KeyTag) -> None:
    case = keytags.found_report(ctx=SYSTEM, serial=tag.serial, source="police").case
    assert case is not None and case.state == "at_police"
    with pytest.raises(ValidationFailed) as unidentified:
        keytags.case_picked_up(ctx=SYSTEM, case_id=case.pk, identified_by="")
    assert unidentified.value.field == "identified_by"
    done = keytags.case_picked_up(ctx=SYSTEM, case_id=case.pk, identified_by="Pass")
    assert done.state == "picked_up"


def test_an_unknown_serial_is_answered_without_revealing_anything(
    tag: KeyTag, norwegian: Party
) -> None:
    free = KeyTag.objects.filter(owner__isnull=True).first()
    assert free is not None
    known = keytags.found_report(ctx=SYSTEM, serial=tag.serial, source="call")
    unlinked = keytags.found_report(ctx=SYSTEM, serial=free.serial, source="call")
    never_made = keytags.found_report(
        ctx=SYSTEM, serial=rules.key_tag_serial(99_999_999), source="call"
    )
    assert known.answer == unlinked.answer == never_made.answer
    assert norwegian.display_name not in known.answer
    assert FoundKeysCase.objects.count() == 1
    with pytest.raises(ValidationFailed) as typo:
        keytags.found_report(ctx=SYSTEM, serial="12345", source="call")
    assert (typo.value.code, typo.value.field) == ("serial.format", "serial")


def test_return_rate(norwegian: Party) -> None:
    batch = keytags.tag_batch_issue(ctx=SYSTEM, count=10)
    for i, serial in enumerate(batch.tags.values_list("serial", flat=True)):
        keytags.tag_link(ctx=SYSTEM, serial=serial, id_number=norwegian.id_number)
        case = keytags.found_report(ctx=SYSTEM, serial=serial, source="post").case
        assert case is not None
        if i == 0:
            keytags.case_close_unreturned(ctx=SYSTEM, case_id=case.pk)
        elif i < 9:
            keytags.case_send(ctx=SYSTEM, case_id=case.pk, tracking_number=f"RR{i:09d}NO")
    rate = selectors.key_tag_return_rate()
    assert (rate.returned, rate.closed, rate.open) == (8, 9, 1)
    assert rate.percent == Decimal("88.89")
