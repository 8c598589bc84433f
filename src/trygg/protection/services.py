"""Every write of the protection service: the registry, the blocking call and its blocks.

A block moves only through :func:`_move` and :data:`rules.BLOCK_TRANSITIONS`; a call through
:func:`_move_call` and :data:`rules.CALL_TRANSITIONS`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from trygg.kernel import clock
from trygg.kernel.audit import AuditContext, audit_record, audit_record_each
from trygg.kernel.counters import counter_next
from trygg.kernel.errors import FieldProblem, NotFound, ValidationFailed
from trygg.kernel.models import AuditAction
from trygg.kernel.statements import reused_cursor
from trygg.parties.models import Party, PartyKind
from trygg.protection import rules
from trygg.protection.messages import rule_message
from trygg.protection.models import (
    Block,
    BlockingCall,
    Callback,
    CallState,
    Issuer,
    Item,
    ItemKind,
    ItemSource,
)
from trygg.protection.report_letters import report_letter_queue


@dataclass(frozen=True)
class ItemInput:
    kind: str
    issuer: str  # the issuer's code
    card_type: str = ""
    ks: str = ""
    imei: str = ""
    document_kind: str = ""
    company_id: int | None = None
    note: str = ""


@dataclass(frozen=True)
class ReportAnswers:
    """The blocking report's questions (seed 004)."""

    how_lost: str = ""
    how_kept: str = ""
    discovered_at: dt.datetime | None = None
    last_seen_at: dt.datetime | None = None
    place: str = ""
    country: str = ""
    police_report: bool | None = None
    id_data_lost: bool | None = None
    code_written_down: bool | None = None
    replacement_wanted: bool | None = None


@dataclass
class CallOutcome:
    call: BlockingCall
    advice: rules.ClosingAdvice
    blocks: list[Block] = field(default_factory=list)


def _failed(error: rules.RuleError) -> ValidationFailed:
    message = rule_message(error)
    return ValidationFailed(code=error.code, field=error.field, message=message)


def _clean(customer: Party, data: ItemInput, *, item_id: int | None = None) -> dict[str, object]:
    """Check one item against the registry's rules; every problem is reported at once."""
    problems: list[FieldProblem] = []

    def guard(check: object) -> None:
        try:
            check()  # type: ignore[operator]
        except rules.RuleError as error:
            problems.append(FieldProblem(error.field, error.code, rule_message(error)))

    # No card number anywhere: the free fields are checked first and never echoed.
    for name in ("card_type", "note", "issuer", "document_kind"):
        guard(lambda name=name: rules.check_no_card_number(name, str(getattr(data, name))))
    if problems:
        raise ValidationFailed(
            code=problems[0].code,
            message=problems[0].message,
            field=problems[0].field,
            problems=problems,
        )
    try:
        kind = rules.ItemKind(data.kind)
    except ValueError:
        raise ValidationFailed(
            code="kind.choice", field="kind", message=_("Choose a card, a phone or a document.")
        ) from None
    issuer = Issuer.objects.filter(code=data.issuer, active=True).first()
    if issuer is None:
        raise ValidationFailed(
            code="issuer.unknown", field="issuer", message=_("Choose an issuer from the list.")
        )
    document_kind: rules.DocumentKind | None = None
    if kind == rules.ItemKind.DOCUMENT:
        try:
            document_kind = rules.DocumentKind(data.document_kind)
        except ValueError:
            problems.append(
                FieldProblem(
                    "document_kind", "document_kind.required", _("Choose the kind of document.")
                )
            )
    cleaned: dict[str, object] = {
        "kind": kind.value,
        "issuer": issuer,
        "card_type": "",
        "ks": "",
        "imei": "",
        "document_kind": document_kind.value if document_kind else "",
        "company": None,
        "note": data.note.strip()[:100],
    }
    if document_kind is not None or kind != rules.ItemKind.DOCUMENT:
        guard(
            lambda: rules.check_issuer_fits(
                kind=kind, document_kind=document_kind, issuer=issuer.terms()
            )
        )
    if kind == rules.ItemKind.CARD:
        cleaned["card_type"] = data.card_type.strip()[:60]
        if not cleaned["card_type"]:
            problems.append(
                FieldProblem("card_type", "card_type.required", _("Give the card type, e.g. Visa."))
            )
        company = None
        if data.company_id is not None:
            company = Party.objects.filter(pk=data.company_id, kind=PartyKind.ORGANISATION).first()
            if company is None:
                problems.append(FieldProblem("company", "company.unknown", _("No such company.")))
        cleaned["company"] = company
        ks = ""
        try:
            ks = rules.clean_ks(data.ks)
        except rules.RuleError as error:
            problems.append(FieldProblem(error.field, error.code, rule_message(error)))
        cleaned["ks"] = ks
        same_issuer = (
            Item.objects.filter(
                customer=customer, kind=ItemKind.CARD, issuer=issuer, removed_at__isnull=True
            )
            .exclude(pk=item_id or 0)
            .count()
            + 1
        )
        if not ks and rules.ks_required(
            company_card=company is not None, cards_from_same_issuer=same_issuer
        ):
            problems.append(
                FieldProblem(
                    "ks",
                    "ks.required",
                    _(
                        "Give KS, the last 4 digits of the card number: it is needed for a "
                        "company card or when you have several cards from the same issuer."
                    ),
                )
            )
    elif kind == rules.ItemKind.PHONE:
        try:
            cleaned["imei"] = rules.clean_imei(data.imei)
        except rules.RuleError as error:
            problems.append(FieldProblem(error.field, error.code, rule_message(error)))
        else:
            taken = (
                Item.objects.filter(
                    customer=customer,
                    kind=ItemKind.PHONE,
                    imei=cleaned["imei"],
                    removed_at__isnull=True,
                )
                .exclude(pk=item_id or 0)
                .exists()
            )
            if taken:
                problems.append(
                    FieldProblem("imei", "imei.registered", _("This phone is registered already."))
                )
    if problems:
        raise ValidationFailed(
            code=problems[0].code,
            message=problems[0].message,
            field=problems[0].field,
            problems=problems,
        )
    return cleaned


def _described(item: Item) -> dict[str, str]:
    """What an audit event says of an item: never more than the registry holds."""
    return {
        "kind": item.kind,
        "issuer": item.issuer.code,
        **({"ks": item.ks} if item.ks else {}),
        **({"imei": item.imei} if item.imei else {}),
        **({"document": item.document_kind} if item.document_kind else {}),
    }


def item_register(
    *, ctx: AuditContext, customer: Party, data: ItemInput, source: str = ItemSource.ONLINE
) -> Item:
    """Register one card, phone or ID document; nothing is stored when a rule is broken."""
    with transaction.atomic():
        Party.objects.select_for_update().filter(pk=customer.pk).first()  # one change at a time
        cleaned = _clean(customer, data)
        now = clock.now()
        item = Item.objects.create(
            customer=customer, source=source, created_at=now, updated_at=now, **cleaned
        )
        audit_record(
            ctx=ctx,
            action=AuditAction.CREATE,
            subject_id=customer.pk,
            object_type="protected_item",
            object_id=item.pk,
            detail=_described(item),
        )
    return item


def _own_item(customer: Party, item_id: int) -> Item:
    item = (
        Item.objects.select_for_update()
        .filter(pk=item_id, customer=customer, removed_at__isnull=True)
        .first()
    )
    if item is None:
        raise NotFound(_("No such item in your registry."), code="item.not_found")
    return item


def item_change(*, ctx: AuditContext, customer: Party, item_id: int, data: ItemInput) -> Item:
    with transaction.atomic():
        Party.objects.select_for_update().filter(pk=customer.pk).first()
        item = _own_item(customer, item_id)
        cleaned = _clean(customer, data, item_id=item.pk)
        before = _described(item)
        for name, value in cleaned.items():
            setattr(item, name, value)
        item.updated_at = clock.now()
        item.save()
        audit_record(
            ctx=ctx,
            action=AuditAction.UPDATE,
            subject_id=customer.pk,
            object_type="protected_item",
            object_id=item.pk,
            detail={"before": before, "after": _described(item)},
        )
    return item


def item_remove(*, ctx: AuditContext, customer: Party, item_id: int) -> None:
    """Take an item out of the registry. Its blocks stay in the calls' history."""
    with transaction.atomic():
        item = _own_item(customer, item_id)
        item.removed_at = clock.now()
        item.save(update_fields=["removed_at"])
        audit_record(
            ctx=ctx,
            action=AuditAction.DELETE,
            subject_id=customer.pk,
            object_type="protected_item",
            object_id=item.pk,
            detail=_described(item),
        )


# -- the blocking call --------------------------------------------------------------------


def _move_call(call: BlockingCall, to: rules.CallState) -> None:
    try:
        rules.check_move(rules.CALL_TRANSITIONS, call.state, to, "call")
    except rules.RuleError as error:
        raise _failed(error) from error
    call.state = to


def call_open(
    *, ctx: AuditContext, agent_id: int, customer: Party, spoke_with: str
) -> BlockingCall:
    """The agent opens a call for a customer found by number."""
    spoke_with = spoke_with.strip()
    if not spoke_with:
        raise ValidationFailed(
            code="spoke_with.required",
            field="spoke_with",
            message=_("Write the name of the person you are speaking with."),
        )
    try:
        rules.check_no_card_number("spoke_with", spoke_with)
    except rules.RuleError as error:
        raise _failed(error) from error
    with transaction.atomic():
        number = f"S{counter_next(name='blocking_call', start=700001)}"
        call = BlockingCall.objects.create(
            number=number,
            customer=customer,
            agent_id=agent_id,
            spoke_with=spoke_with[:120],
            state=CallState.OPEN,
            opened_at=clock.now(),
            language=customer.preferred_language or "nb",
        )
        audit_record(
            ctx=ctx,
            action=AuditAction.CREATE,
            subject_id=customer.pk,
            object_type="blocking_call",
            object_id=call.pk,
            detail={"number": number},
        )
    return call


def _open_call(call_id: int) -> BlockingCall:
    call = BlockingCall.objects.select_for_update().filter(pk=call_id).first()
    if call is None:
        raise NotFound(_("No such call."), code="call.not_found")
    if call.state != CallState.OPEN:
        raise ValidationFailed(
            code="call.state", field=None, message=_("This call is no longer open.")
        )
    return call


def _check_answers(answers: ReportAnswers) -> None:
    problems: list[FieldProblem] = []
    for name in ("how_lost", "how_kept", "place"):
        try:
            rules.check_no_card_number(name, getattr(answers, name))
        except rules.RuleError as error:
            problems.append(FieldProblem(name, error.code, rule_message(error)))
    now = clock.now()
    for name in ("discovered_at", "last_seen_at"):
        when = getattr(answers, name)
        if when is not None and when > now:
            problems.append(FieldProblem(name, f"{name}.future", _("This time has not come yet.")))
    if (
        answers.discovered_at is not None
        and answers.last_seen_at is not None
        and answers.last_seen_at > answers.discovered_at
    ):
        problems.append(
            FieldProblem(
                "last_seen_at",
                "last_seen_at.after_discovery",
                _("The items were last seen before the loss was discovered."),
            )
        )
    if problems:
        raise ValidationFailed(
            code=problems[0].code,
            field=problems[0].field,
            message=problems[0].message,
            problems=problems,
        )


def call_close(
    *,
    ctx: AuditContext,
    call_id: int,
    block_item_ids: Sequence[int],
    answers: ReportAnswers,
    kept_item_ids: Sequence[int] | None = None,
) -> CallOutcome:
    """Close the call: every chosen item becomes one block at its issuer, sent by the blocking
    dispatcher (:mod:`trygg.protection.dispatch`) as soon as this transaction commits. Tells
    the agent what to say about replacement cards. With ``kept_item_ids`` (the agent's desk and
    the telephony API), every registered item must be confirmed: blocked or kept."""
    _check_answers(answers)
    with transaction.atomic():
        call = _open_call(call_id)
        if kept_item_ids is not None:
            _check_every_item_confirmed(call, set(block_item_ids), set(kept_item_ids))
        chosen = list(
            Item.objects.select_related("issuer").filter(
                customer_id=call.customer_id, pk__in=set(block_item_ids), removed_at__isnull=True
            )
        )
        if len(chosen) != len(set(block_item_ids)):
            raise NotFound(_("No such item in the customer's registry."), code="item.not_found")
        if not chosen:
            raise ValidationFailed(
                code="block.none",
                field="items",
                message=_("Choose at least one lost item to block, or abandon the call."),
            )
        now = clock.now()
        for name, value in answers.__dict__.items():
            setattr(call, name, value)
        _move_call(call, rules.CallState.CLOSED)
        call.closed_at = now
        call.save()
        blocks = [
            Block(
                call=call,
                item=item,
                issuer=item.issuer,
                key=f"{call.number}-{item.pk}",
                state=rules.BlockState.REQUESTED,
                requested_at=now,
            )
            for item in chosen
        ]
        Block.objects.bulk_create(blocks)
        if any(block.pk is None for block in blocks):  # SQLite before 3.35 returns no ids
            blocks = list(Block.objects.filter(call=call).select_related("item", "issuer"))
        blocks.sort(key=lambda block: block.pk)  # as the call's blocks are read: by id
        advice = rules.closing_advice(
            ((rules.ItemKind(b.item.kind), b.issuer.terms()) for b in blocks),
            replacement_wanted=bool(answers.replacement_wanted),
        )
        audit_record(
            ctx=ctx,
            action=AuditAction.UPDATE,
            subject_id=call.customer_id,
            object_type="blocking_call",
            object_id=call.pk,
            detail={"closed": call.number, "blocks": [b.key for b in blocks]},
        )
    return CallOutcome(call=call, advice=advice, blocks=blocks)


def _check_every_item_confirmed(call: BlockingCall, blocked: set[int], kept: set[int]) -> None:
    registered = set(
        Item.objects.filter(customer_id=call.customer_id, removed_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    if blocked & kept:
        raise ValidationFailed(
            code="items.both",
            field="items",
            message=_("An item cannot be both blocked and kept."),
        )
    if registered - blocked - kept:
        raise ValidationFailed(
            code="items.unconfirmed",
            field="items",
            message=_("Confirm every registered item: block it or not."),
        )


def call_abandon(*, ctx: AuditContext, call_id: int) -> BlockingCall:
    with transaction.atomic():
        call = _open_call(call_id)
        _move_call(call, rules.CallState.ABANDONED)
        call.save(update_fields=["state"])
        audit_record(
            ctx=ctx,
            action=AuditAction.UPDATE,
            subject_id=call.customer_id,
            object_type="blocking_call",
            object_id=call.pk,
            detail={"abandoned": call.number},
        )
    return call


# -- blocks, as the worker moves them -----------------------------------------------------


def _move(block: Block, to: rules.BlockState) -> None:
    rules.check_move(rules.BLOCK_TRANSITIONS, block.state, to, "block")
    block.state = to


def _complete_calls_if_done(call_ids: set[int]) -> None:
    """Complete each of the calls whose blocks all have their final answer, and queue its
    report letter, in the caller's transaction. The calls are locked first (in id order, so
    that recorders working at once never wait for each other in a circle), then their blocks
    are looked at: the last of two answers recorded at once sees the other's."""
    if not call_ids:
        return
    calls = list(
        BlockingCall.objects.select_for_update()
        .filter(pk__in=call_ids, state=CallState.CLOSED)
        .order_by("pk")
    )
    if not calls:
        return
    finals = {str(s) for s in rules.FINAL_BLOCK_STATES}
    waiting = set(
        Block.objects.filter(call_id__in=[call.pk for call in calls])
        .exclude(state__in=finals)
        .values_list("call_id", flat=True)
        .distinct()
    )
    now = clock.now()
    for call in calls:
        if call.pk in waiting:
            continue
        _move_call(call, rules.CallState.COMPLETED)
        call.completed_at = now
        call.save(update_fields=["state", "completed_at"])
        report_letter_queue(call)


def blocks_claim(*, limit: int) -> list[Block]:
    """Claim up to ``limit`` due blocks for an attempt each (requested → sent), oldest first,
    in one transaction for all: of several dispatchers each block goes to exactly one (on
    PostgreSQL the rows another holds are skipped, ``FOR UPDATE SKIP LOCKED``, not waited for).
    The blocks come with what their request needs (item, issuer, customer, company)."""
    rules.check_move(
        rules.BLOCK_TRANSITIONS, rules.BlockState.REQUESTED, rules.BlockState.SENT, "block"
    )
    now = clock.now()
    with transaction.atomic():
        ids = list(
            Block.objects.select_for_update(skip_locked=True)
            .filter(state=rules.BlockState.REQUESTED)
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .order_by("requested_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        if not ids:
            return []
        Block.objects.filter(pk__in=ids).update(
            state=rules.BlockState.SENT, attempts=F("attempts") + 1, sent_at=now
        )
        return list(
            Block.objects.select_related("item", "issuer", "call__customer", "item__company")
            .filter(pk__in=ids)
            .order_by("requested_at", "pk")
        )


def block_take(block_id: int) -> Block | None:
    """Claim a block for one attempt (requested → sent) with one conditional update, so that
    of several workers exactly one gets it; ``None`` when it is not due: already answered,
    taken by another worker, or waiting for its back-off."""
    rules.check_move(
        rules.BLOCK_TRANSITIONS, rules.BlockState.REQUESTED, rules.BlockState.SENT, "block"
    )
    now = clock.now()
    claimed = (
        Block.objects.filter(pk=block_id, state=rules.BlockState.REQUESTED)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(state=rules.BlockState.SENT, attempts=F("attempts") + 1, sent_at=now)
    )
    if not claimed:
        return None
    return (
        Block.objects.select_related("item", "issuer", "call__customer", "item__company")
        .filter(pk=block_id)
        .first()
    )


def blocks_due(*, limit: int, exclude: set[int]) -> list[int]:
    """The blocks waiting for an attempt whose back-off has passed, oldest first."""
    rows = (
        Block.objects.filter(state=rules.BlockState.REQUESTED)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=clock.now()))
        .exclude(pk__in=exclude)
        .order_by("requested_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return list(rows)


@dataclass(frozen=True)
class AttemptResult:
    """What one attempt at the issuer gave: its answer, or (``error``) none."""

    block_id: int
    found: bool = False
    reference: str = ""
    replacement_ordered: bool = False
    error: str | None = None


# The columns an answer changes, as :func:`_store_answers` writes them.
_ANSWER_FIELDS = (
    "state",
    "answered_at",
    "issuer_reference",
    "replacement_ordered",
    "last_error",
    "next_attempt_at",
)


def _store_answers(blocks: list[Block]) -> None:
    """Write the answered blocks' changed columns: on PostgreSQL one statement for all."""
    if not blocks:
        return
    connection = connections[DEFAULT_DB_ALIAS]
    by_name = {f.name: f for f in Block._meta.concrete_fields}
    fields = [by_name[name] for name in _ANSWER_FIELDS]
    table = Block._meta.db_table
    cursor = reused_cursor(connection)
    if connection.vendor == "postgresql":
        types = ("varchar", "timestamptz", "varchar", "boolean", "varchar", "timestamptz")
        row = "(%s::bigint, " + ", ".join(f"%s::{t}" for t in types) + ")"
        names = ", ".join(_ANSWER_FIELDS)
        changes = ", ".join(f"{name} = v.{name}" for name in _ANSWER_FIELDS)
        cursor.execute(
            f"UPDATE {table} AS b SET {changes} "  # noqa: S608 (names from the model)
            f"FROM (VALUES {', '.join([row] * len(blocks))}) AS v(id, {names}) "
            "WHERE b.id = v.id",
            [
                value
                for block in blocks
                for value in (
                    block.pk,
                    *(f.get_db_prep_save(getattr(block, f.attname), connection) for f in fields),
                )
            ],
        )
    else:
        changes = ", ".join(f"{name} = %s" for name in _ANSWER_FIELDS)
        cursor.executemany(
            f"UPDATE {table} SET {changes} WHERE id = %s",  # noqa: S608
            [
                [f.get_db_prep_save(getattr(block, f.attname), connection) for f in fields]
                + [block.pk]
                for block in blocks
            ],
        )


def blocks_record(results: Sequence[AttemptResult]) -> list[Block]:
    """Record the attempts' results in one transaction: an answer moves its block to confirmed
    or not found ("not found" raises a callback task at once); no answer sends it back to
    requested after the back-off, or to failed after the last attempt (a callback task: the
    agent blocks by telephone). A block already past "sent" (a repeated attempt after a crash)
    is left as it is. Each answer is one audit event; a call whose blocks are all answered is
    completed and its report letter queued, in the same transaction. Returns the blocks."""
    by_id = {result.block_id: result for result in results}
    with transaction.atomic():
        blocks: list[Block] = list(
            Block.objects.select_for_update(of=("self",))
            .annotate(customer=F("item__customer_id"))
            .filter(pk__in=by_id)
            .order_by("pk")
        )
        if len(blocks) != len(by_id):
            raise Block.DoesNotExist(f"no block {sorted(set(by_id) - {b.pk for b in blocks})}")
        now = clock.now()
        moved: list[Block] = []
        callbacks: list[Callback] = []
        events: list[tuple[int, int, dict[str, Any] | None]] = []
        for block in blocks:
            if block.state != rules.BlockState.SENT:
                continue  # answered already (a repeated attempt after a crash)
            result = by_id[block.pk]
            if result.error is None:
                found = result.found
                _move(block, rules.BlockState.CONFIRMED if found else rules.BlockState.NOT_FOUND)
                block.answered_at = now
                block.issuer_reference = result.reference[:60]
                block.replacement_ordered = result.replacement_ordered
                block.last_error = ""
                detail = {
                    "key": block.key,
                    "state": block.state,
                    "reference": block.issuer_reference,
                }
                events.append((block.customer, block.pk, detail))  # type: ignore[attr-defined]
            else:
                _move(block, rules.after_no_answer(block.attempts))
                block.last_error = result.error[:200]
                if block.state == rules.BlockState.REQUESTED:
                    block.next_attempt_at = now + rules.retry_delay(block.attempts)
                else:
                    block.answered_at = now
            if block.state in (rules.BlockState.NOT_FOUND, rules.BlockState.FAILED):
                callbacks.append(Callback(block=block, created_at=now))
            moved.append(block)
        _store_answers(moved)
        Callback.objects.bulk_create(callbacks)
        audit_record_each(
            ctx=_worker_ctx(), action=AuditAction.UPDATE, object_type="block", events=events
        )
        _complete_calls_if_done({block.call_id for block in moved})
    return blocks


def block_answered(
    *, block_id: int, found: bool, reference: str = "", replacement_ordered: bool = False
) -> Block:
    """Record the issuer's answer. "Not found" raises a callback task at once."""
    result = AttemptResult(
        block_id=block_id,
        found=found,
        reference=reference,
        replacement_ordered=replacement_ordered,
    )
    return blocks_record([result])[0]


def block_unanswered(*, block_id: int, error: str) -> Block:
    """The attempt got no answer: try again after the back-off, or give up after the last
    attempt (the agent gets a callback task to block by telephone)."""
    return blocks_record([AttemptResult(block_id=block_id, error=error)])[0]


def blocks_stuck(*, older_than: dt.timedelta) -> list[tuple[int, dt.datetime | None]]:
    """Blocks a crashed worker left behind: sent without a recorded answer for longer than
    ``older_than`` go back to requested (their next attempt carries the same key, so the issuer
    answers it without blocking twice); returns every block that is due for an attempt."""
    now = clock.now()
    with transaction.atomic():
        for block in Block.objects.select_for_update().filter(
            state=rules.BlockState.SENT, sent_at__lt=now - older_than
        ):
            _move(block, rules.BlockState.REQUESTED)
            block.last_error = "no answer recorded (worker stopped)"
            block.next_attempt_at = None
            block.save(update_fields=["state", "last_error", "next_attempt_at"])
    return list(
        Block.objects.filter(state=rules.BlockState.REQUESTED).values_list("pk", "next_attempt_at")
    )


def _worker_ctx() -> AuditContext:
    from trygg.kernel.audit import SYSTEM

    return SYSTEM


def callback_done(
    *, ctx: AuditContext, callback_id: int, user_id: int, outcome: str, send_again: bool
) -> Callback:
    """The agent has called the customer back; the block is sent again when the data was
    corrected (the item changed in the registry) or the issuer is back."""
    outcome = outcome.strip()
    if not outcome:
        raise ValidationFailed(
            code="outcome.required", field="outcome", message=_("Write what the customer said.")
        )
    try:
        rules.check_no_card_number("outcome", outcome)
    except rules.RuleError as error:
        raise _failed(error) from error
    with transaction.atomic():
        callback = (
            Callback.objects.select_for_update()
            .select_related("block")
            .filter(pk=callback_id, done_at__isnull=True)
            .first()
        )
        if callback is None:
            raise NotFound(_("No such open callback."), code="callback.not_found")
        now = clock.now()
        callback.done_at, callback.done_by_id, callback.outcome = now, user_id, outcome
        callback.save(update_fields=["done_at", "done_by", "outcome"])
        block = Block.objects.select_for_update().get(pk=callback.block_id)
        if send_again:
            try:
                _move(block, rules.BlockState.REQUESTED)
            except rules.RuleError as error:
                raise _failed(error) from error
            block.attempts, block.next_attempt_at, block.answered_at = 0, None, None
            # A new key: the corrected request is a new one for the issuer.
            block.key = f"{block.key.split('/')[0]}/{callback.pk}"
            block.save()
            call = BlockingCall.objects.select_for_update().get(pk=block.call_id)
            if call.state == CallState.COMPLETED:
                _move_call(call, rules.CallState.CLOSED)
                call.completed_at = None
                call.save(update_fields=["state", "completed_at"])
        audit_record(
            ctx=ctx,
            action=AuditAction.UPDATE,
            subject_id=block.item.customer_id,
            object_type="callback",
            object_id=callback.pk,
            detail={"block": block.key, "send_again": send_again},
        )
    return callback


def block_lift(*, ctx: AuditContext, customer: Party, block_id: int) -> Block:
    """Lift a block on a mobile phone or an ID document at the customer's request; a card
    block is never lifted through the service ("av sikkerhetshensyn")."""
    from trygg.protection.issuers import IssuerUnavailable, client_for

    block = (
        Block.objects.select_related("item", "issuer")
        .filter(pk=block_id, item__customer=customer)
        .first()
    )
    if block is None:
        raise NotFound(_("No such block among yours."), code="block.not_found")
    try:
        rules.check_lift(rules.ItemKind(block.item.kind))
        rules.check_move(rules.BLOCK_TRANSITIONS, block.state, rules.BlockState.LIFTED, "block")
    except rules.RuleError as error:
        raise _failed(error) from error
    try:
        client_for(block.issuer.endpoint).lift(issuer=block.issuer.code, key=block.key)
    except IssuerUnavailable as error:
        raise ValidationFailed(
            code="issuer.unavailable",
            field=None,
            message=_("The issuer did not answer; the block is still in place. Try again later."),
        ) from error
    with transaction.atomic():
        block = Block.objects.select_for_update().get(pk=block.pk)
        if block.state == rules.BlockState.LIFTED:
            return block
        _move(block, rules.BlockState.LIFTED)
        block.lifted_at = clock.now()
        block.save(update_fields=["state", "lifted_at"])
        audit_record(
            ctx=ctx,
            action=AuditAction.UPDATE,
            subject_id=customer.pk,
            object_type="block",
            object_id=block.pk,
            detail={"lifted": block.key},
        )
    return block


def items_register_paper(
    *, ctx: AuditContext, customer: Party, items: Sequence[ItemInput]
) -> list[Item]:
    """A returned registration form, entered by staff: every line is registered, or none (each
    problem is reported with its line, ``items.N.field``)."""
    problems: list[FieldProblem] = []
    registered: list[Item] = []
    with transaction.atomic():
        for number, data in enumerate(items):
            try:
                with transaction.atomic():
                    registered.append(
                        item_register(
                            ctx=ctx, customer=customer, data=data, source=ItemSource.PAPER
                        )
                    )
            except ValidationFailed as error:
                problems += [
                    FieldProblem(f"items.{number}.{p.field or 'kind'}", p.code, p.message)
                    for p in error.problems
                ]
        if problems:
            transaction.set_rollback(True)
    if problems:
        raise ValidationFailed(
            code=problems[0].code,
            field=problems[0].field,
            message=problems[0].message,
            problems=problems,
        )
    return registered
