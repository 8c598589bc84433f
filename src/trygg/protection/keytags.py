"""Every write of the key tag service: batches of tags, linking a tag to its owner, the
found-keys case from the finder's call (or the keys' arrival) to the owner, and the finder's
reward of 100 NOK paid once through the ledger. A case moves only through :func:`_move` and
:data:`rules.FOUND_TRANSITIONS`."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.banking import chart
from trygg.banking.ledger import Leg, book, internal_account
from trygg.kernel import clock, idnumbers
from trygg.kernel.audit import AuditContext, audit_record
from trygg.kernel.counters import counter_next
from trygg.kernel.errors import NotFound, ValidationFailed
from trygg.kernel.models import AuditAction
from trygg.parties.models import Party
from trygg.protection import rules
from trygg.protection.messages import rule_message
from trygg.protection.models import FoundKeysCase, FoundSource, FoundState, KeyTag, KeyTagBatch

BATCH_MAX = 100_000

# What a caller hears whether or not the number is one of ours, so that a caller who cannot
# identify the owner learns nothing of who has a tag.
FOUND_ANSWER = gettext_lazy(
    "Thank you. Please post the keys to us or hand them in at the nearest police station: if the "
    "tag is ours we will contact its owner, and you will receive the finder's reward."
)


def _failed(error: rules.RuleError) -> ValidationFailed:
    return ValidationFailed(code=error.code, field=error.field, message=rule_message(error))


def tag_batch_issue(*, ctx: AuditContext, count: int) -> KeyTagBatch:
    """A batch of ``count`` new tags with consecutive serials."""
    if not 1 <= count <= BATCH_MAX:
        raise ValidationFailed(
            code="count.range",
            field="count",
            message=_("A batch has 1 to %(max)s tags.") % {"max": BATCH_MAX},
        )
    with transaction.atomic():
        number = counter_next(name="key_tag_batch", start=1)
        last = KeyTagBatch.objects.order_by("-first").values_list("first", "count").first()
        first = (last[0] + last[1]) if last else 10_000_000
        batch = KeyTagBatch.objects.create(
            number=number, first=first, count=count, issued_at=clock.now()
        )
        KeyTag.objects.bulk_create(
            [KeyTag(serial=rules.key_tag_serial(first + i), batch=batch) for i in range(count)],
            batch_size=5000,
        )
        audit_record(
            ctx=ctx,
            action=AuditAction.CREATE,
            object_type="key_tag_batch",
            object_id=batch.pk,
            detail={"first": first, "count": count},
        )
    return batch


def tag_link(*, ctx: AuditContext, serial: str, id_number: str) -> KeyTag:
    """Link an unlinked tag to its owner, found by personal identity number."""
    try:
        serial = rules.clean_key_tag_serial(serial)
    except rules.RuleError as error:
        raise _failed(error) from error
    try:
        parsed = idnumbers.parse(id_number)
    except idnumbers.IdNumberError as error:
        raise ValidationFailed(code=error.code, field="id_number", message=str(error)) from error
    owner = Party.objects.filter(country=parsed.country, id_number=parsed.value).first()
    if owner is None:
        raise NotFound(_("No customer with that number."), code="customer.not_found")
    with transaction.atomic():
        linked = KeyTag.objects.filter(serial=serial, owner__isnull=True).update(
            owner=owner, linked_at=clock.now()
        )
        if not linked:
            raise ValidationFailed(
                code="serial.taken",
                field="serial",
                message=_("This tag is not free to link: check its number."),
            )
        tag = KeyTag.objects.get(serial=serial)
        audit_record(
            ctx=ctx,
            action=AuditAction.UPDATE,
            subject_id=owner.pk,
            object_type="key_tag",
            object_id=tag.pk,
            detail={"serial": serial},
        )
    return tag


@dataclass(frozen=True)
class FoundReport:
    """What the finder is told (the same whether or not the tag is ours) and, for the staff's
    case list only, the case opened."""

    answer: str
    case: FoundKeysCase | None


def found_report(
    *,
    ctx: AuditContext,
    serial: str,
    source: str,
    finder_name: str = "",
    finder_phone: str = "",
) -> FoundReport:
    """Found keys reported by their finder (a call), or arrived by post or from the police.
    A well-formed number that is no linked tag of ours opens nothing and gets the same answer."""
    try:
        serial = rules.clean_key_tag_serial(serial)
        rules.check_no_card_number("finder_name", finder_name)
        rules.check_no_card_number("finder_phone", finder_phone)
    except rules.RuleError as error:
        raise _failed(error) from error
    if source not in FoundSource.values:
        raise ValidationFailed(
            code="source.choice", field="source", message=_("Choose how the keys reached us.")
        )
    answer = str(FOUND_ANSWER)
    tag = KeyTag.objects.filter(serial=serial, owner__isnull=False).first()
    if tag is None or tag.owner is None:
        return FoundReport(answer, None)
    state = {
        FoundSource.CALL: FoundState.REPORTED,
        FoundSource.POST: FoundState.RECEIVED,
        FoundSource.POLICE: FoundState.AT_POLICE,
    }[FoundSource(source)]
    with transaction.atomic():
        case = FoundKeysCase.objects.create(
            number=f"N{counter_next(name='found_keys_case', start=300001)}",
            tag=tag,
            owner=tag.owner,
            source=source,
            state=state,
            finder_name=finder_name.strip()[:120],
            finder_phone=finder_phone.strip()[:30],
            opened_at=clock.now(),
        )
        audit_record(
            ctx=ctx,
            action=AuditAction.CREATE,
            subject_id=tag.owner.pk,
            object_type="found_keys_case",
            object_id=case.pk,
            detail={"serial": serial, "source": source},
        )
    return FoundReport(answer, case)


def _case(case_id: int) -> FoundKeysCase:
    case = FoundKeysCase.objects.select_for_update().filter(pk=case_id).first()
    if case is None:
        raise NotFound(_("No such case."), code="case.not_found")
    return case


def _move(case: FoundKeysCase, to: rules.FoundState, **changes: object) -> FoundKeysCase:
    """Move a case under a conditional update: a concurrent move of the same case loses."""
    try:
        rules.check_move(rules.FOUND_TRANSITIONS, case.state, to, "found_keys")
    except rules.RuleError as error:
        raise _failed(error) from error
    moved = FoundKeysCase.objects.filter(pk=case.pk, state=case.state).update(state=to, **changes)
    if not moved:
        raise ValidationFailed(
            code="case.changed", field="state", message=_("The case changed meanwhile.")
        )
    case.refresh_from_db()
    return case


def case_keys_received(*, ctx: AuditContext, case_id: int) -> FoundKeysCase:
    """The keys arrived at our office (by post, or forwarded by the police)."""
    with transaction.atomic():
        case = _move(_case(case_id), rules.FoundState.RECEIVED)
        _audit(ctx, case, "received")
    return case


def case_owner_contacted(*, ctx: AuditContext, case_id: int) -> FoundKeysCase:
    with transaction.atomic():
        case = _case(case_id)
        FoundKeysCase.objects.filter(pk=case.pk, owner_contacted_at__isnull=True).update(
            owner_contacted_at=clock.now()
        )
        case.refresh_from_db()
        _audit(ctx, case, "owner contacted")
    return case


def case_send(*, ctx: AuditContext, case_id: int, tracking_number: str) -> FoundKeysCase:
    """The keys sent to the owner by registered letter; its tracking number recorded."""
    tracking = tracking_number.strip().upper()
    if not tracking or len(tracking) > 30 or not tracking.isalnum():
        raise ValidationFailed(
            code="tracking_number.required",
            field="tracking_number",
            message=_("Give the registered letter's tracking number."),
        )
    with transaction.atomic():
        case = _move(
            _case(case_id),
            rules.FoundState.SENT,
            tracking_number=tracking,
            returned_at=clock.now(),
            closed_at=clock.now(),
        )
        _audit(ctx, case, "sent")
    return case


def case_picked_up(*, ctx: AuditContext, case_id: int, identified_by: str) -> FoundKeysCase:
    """The owner collected the keys at the police, having shown identification."""
    shown = identified_by.strip()
    if not shown:
        raise ValidationFailed(
            code="identified_by.required",
            field="identified_by",
            message=_("Record the identification the owner showed at the police."),
        )
    with transaction.atomic():
        case = _move(
            _case(case_id),
            rules.FoundState.PICKED_UP,
            identified_by=shown[:60],
            returned_at=clock.now(),
            closed_at=clock.now(),
        )
        _audit(ctx, case, "picked up")
    return case


def case_close_unreturned(*, ctx: AuditContext, case_id: int) -> FoundKeysCase:
    with transaction.atomic():
        case = _move(_case(case_id), rules.FoundState.UNRETURNED, closed_at=clock.now())
        _audit(ctx, case, "closed unreturned")
    return case


def reward_pay(*, ctx: AuditContext, case_id: int, account: str) -> FoundKeysCase:
    """The finder's reward of 100 NOK to the finder's Norwegian account, through the ledger,
    once per case: a conditional update on the unpaid case and a unique ledger transaction."""
    try:
        account = rules.clean_norwegian_account(account)
    except rules.RuleError as error:
        raise _failed(error) from error
    with transaction.atomic():
        case = _case(case_id)
        if case.reward_paid_at is not None:
            raise ValidationFailed(
                code="reward.paid",
                field="case",
                message=_("The finder's reward for this case is paid already."),
            )
        try:
            rules.check_reward(rules.FoundState(case.state))
        except rules.RuleError as error:
            raise _failed(error) from error
        amount = Decimal(rules.FINDER_REWARD)
        entry = book(
            kind="finder_reward",
            description=f"Finnerlønn {case.number}",
            legs=[
                Leg(internal_account(chart.FINDER_REWARDS), -amount),
                Leg(internal_account(chart.NOK_OUTGOING), amount, account),
            ],
            party=None,
            idempotency_key=f"finder-reward-{case.number}",
            request={"case": case.number, "account": account, "amount": str(amount)},
        )
        paid = FoundKeysCase.objects.filter(pk=case.pk, reward_paid_at__isnull=True).update(
            reward_paid_at=clock.now(), reward_account=account, reward_transaction_id=entry.pk
        )
        if not paid:
            raise ValidationFailed(
                code="reward.paid",
                field="case",
                message=_("The finder's reward for this case is paid already."),
            )
        case.refresh_from_db()
        _audit(ctx, case, "reward paid")
    return case


def _audit(ctx: AuditContext, case: FoundKeysCase, step: str) -> None:
    audit_record(
        ctx=ctx,
        action=AuditAction.UPDATE,
        subject_id=case.owner_id,
        object_type="found_keys_case",
        object_id=case.pk,
        detail={"step": step, "state": case.state},
    )
