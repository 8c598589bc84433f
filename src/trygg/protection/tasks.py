"""The worker's side of blocking: one task per block, retried with back-off."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from trygg.protection import rules, services
from trygg.protection.issuers import BlockRequest, IssuerUnavailable, client_for
from trygg.protection.models import Block

STUCK_AFTER = dt.timedelta(seconds=60)


def request_for(block: Block) -> BlockRequest:
    item, call = block.item, block.call
    return BlockRequest(
        key=block.key,
        issuer=block.issuer.code,
        kind=item.kind,
        id_number=call.customer.id_number,
        country=call.customer.country,
        card_type=item.card_type,
        ks=item.ks,
        company_number=item.company.id_number if item.company_id else "",  # type: ignore[union-attr]
        imei=item.imei,
        document_kind=item.document_kind,
        order_replacement=bool(call.replacement_wanted) and block.issuer.can_order_replacement,
    )


def block_attempt(block_id: int) -> Block | None:
    """One attempt at the issuer; returns the block after it, or None when it was not due."""
    block = services.block_take(block_id)
    if block is None:
        return None
    try:
        answer = client_for(block.issuer.endpoint).block(request_for(block))
    except IssuerUnavailable as error:
        return services.block_unanswered(block_id=block_id, error=str(error))
    return services.block_answered(
        block_id=block_id,
        found=answer.found,
        reference=answer.reference,
        replacement_ordered=answer.replacement_ordered,
    )


@task()
def block_send(block_id: int) -> str:
    """Send one block; a block left without an answer is queued again after its back-off."""
    block = block_attempt(block_id)
    if block is None:
        return "not due"
    if block.state == rules.BlockState.REQUESTED and block.next_attempt_at is not None:
        block_send.using(run_after=block.next_attempt_at).enqueue(block_id)
    return str(block.state)


@task()
def blocks_resume() -> int:
    """After a crash: queue every block that waits for an attempt. Returns how many."""
    due = services.blocks_stuck(older_than=STUCK_AFTER)
    for block_id, run_after in due:
        (block_send.using(run_after=run_after) if run_after else block_send).enqueue(block_id)
    return len(due)
