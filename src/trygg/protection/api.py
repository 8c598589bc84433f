"""API of the blocking line for the telephony platform (the agents' desktop or an IVR): find the
customer, list the registry, open the call, register a lost item on the spot, close the call with
every item confirmed and the report's answers, and follow the blocks.

The platform authenticates with its key (``X-Telephony-Key``, as the telephone bank does) and
names the agent who speaks with the caller; the agent must be an active member of staff in the
blocking line's role. Every read and write is audited with the platform and the agent."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from trygg.identity.actors import client_ip
from trygg.identity.auth import TelephonyPlatformAuth
from trygg.kernel.audit import AuditContext
from trygg.kernel.errors import NotFound, PermissionDenied
from trygg.kernel.ids import Id
from trygg.kernel.models import AuditChannel
from trygg.parties.models import Party
from trygg.protection import rules, selectors, services
from trygg.protection.models import Block, BlockingCall, Item
from trygg.protection.services import ItemInput, ReportAnswers

router = Router(tags=["blocking line"], auth=TelephonyPlatformAuth())

AGENT_ROLE = "blocking_agent"


class AgentIn(Schema):
    agent: str = Field(max_length=150, description="The user name of the agent on the call")


class FindIn(AgentIn):
    number: str = Field(
        max_length=40, description="Personal identity, organisation or customer number"
    )


class CustomerOut(Schema):
    customer_id: int
    customer_number: str
    name: str
    country: str
    language: str


class ItemOut(Schema):
    item_id: int
    kind: str
    issuer: str
    issuer_name: str
    card_type: str
    ks: str
    imei: str
    document_kind: str
    company: str


class OpenIn(AgentIn):
    customer_id: Id
    spoke_with: str = Field(max_length=120)


class CallOut(Schema):
    call_id: int
    number: str
    state: str


class ItemIn(AgentIn):
    kind: str = Field(max_length=10)
    issuer: str = Field(max_length=40)
    card_type: str = Field("", max_length=60)
    ks: str = Field("", max_length=4)
    imei: str = Field("", max_length=20)
    document_kind: str = Field("", max_length=20)


class CloseIn(AgentIn):
    block: list[Id] = Field(description="The lost items to block")
    keep: list[Id] = Field(description="The registered items that were not lost")
    how_lost: str = Field("", max_length=2000)
    how_kept: str = Field("", max_length=2000)
    discovered_at: dt.datetime | None = None
    last_seen_at: dt.datetime | None = None
    place: str = Field("", max_length=120)
    country: str = Field("", max_length=2)
    police_report: bool | None = None
    id_data_lost: bool | None = None
    code_written_down: bool | None = None
    replacement_wanted: bool | None = None


class BlockOut(Schema):
    item_id: int
    issuer: str
    state: str
    answered_at: dt.datetime | None
    issuer_reference: str


class ClosedOut(CallOut):
    blocks: list[BlockOut]
    replacement_ordered: list[str] = Field(description="Issuers that send new cards")
    contact_yourself: list[str] = Field(description="Issuers the customer must contact")


def _agent_ctx(request: HttpRequest, username: str) -> tuple[AuditContext, int]:
    """The agent named by the platform, in the blocking line's role, and the audit context of
    what the platform does for them."""
    agent = (
        get_user_model()
        .objects.filter(username=username, is_active=True, is_staff=True, groups__name=AGENT_ROLE)
        .first()
    )
    if agent is None:
        raise PermissionDenied(
            _("No agent of the blocking line with that user name."), code="agent.unknown"
        )
    platform = getattr(request, "platform", "")
    return (
        AuditContext(
            actor_kind="staff",
            actor_id=str(agent.pk),
            actor_label=f"{agent.get_username()} via {platform}",
            channel=AuditChannel.PHONE,
            ip=client_ip(request),
        ),
        int(agent.pk),
    )


def _customer(customer_id: int) -> Party:
    party = Party.objects.filter(pk=customer_id).first()
    if party is None:
        raise NotFound(_("No such customer."), code="customer.not_found")
    return party


def _item_out(item: Item) -> ItemOut:
    return ItemOut(
        item_id=item.pk,
        kind=item.kind,
        issuer=item.issuer.code,
        issuer_name=item.issuer.name,
        card_type=item.card_type,
        ks=item.ks,
        imei=item.imei,
        document_kind=item.document_kind,
        company=item.company.display_name if item.company is not None else "",
    )


def _block_out(block: Block) -> BlockOut:
    return BlockOut(
        item_id=block.item_id,
        issuer=block.issuer.code,
        state=block.state,
        answered_at=block.answered_at,
        issuer_reference=block.issuer_reference,
    )


def _closed_out(call: BlockingCall) -> ClosedOut:
    blocks = selectors.blocks_of(call)
    advice = rules.closing_advice(
        ((rules.ItemKind(b.item.kind), b.issuer.terms()) for b in blocks),
        replacement_wanted=bool(call.replacement_wanted),
    )
    return ClosedOut(
        call_id=call.pk,
        number=call.number,
        state=call.state,
        blocks=[_block_out(b) for b in blocks],
        replacement_ordered=list(advice.replacement_ordered),
        contact_yourself=list(advice.contact_yourself),
    )


@router.post("/protection/line/find", response=CustomerOut, summary="Find the caller")
def line_find(request: HttpRequest, payload: FindIn) -> CustomerOut:
    ctx, _agent = _agent_ctx(request, payload.agent)
    party = selectors.customer_find(ctx=ctx, text=payload.number)
    return CustomerOut(
        customer_id=party.pk,
        customer_number=party.customer_number,
        name=party.display_name,
        country=party.country,
        language=party.preferred_language,
    )


@router.get(
    "/protection/line/customers/{customer_id}/items",
    response=list[ItemOut],
    summary="The caller's registered cards, phones and documents",
)
def line_items(request: HttpRequest, customer_id: Id, agent: str) -> list[ItemOut]:
    ctx, _agent = _agent_ctx(request, agent)
    return [_item_out(i) for i in selectors.items_of(ctx=ctx, customer=_customer(customer_id))]


@router.post(
    "/protection/line/calls",
    response={201: CallOut},
    summary="Open a blocking call",
)
def line_open(request: HttpRequest, payload: OpenIn) -> Status[CallOut]:
    ctx, agent_id = _agent_ctx(request, payload.agent)
    call = services.call_open(
        ctx=ctx,
        agent_id=agent_id,
        customer=_customer(payload.customer_id),
        spoke_with=payload.spoke_with,
    )
    return Status(201, CallOut(call_id=call.pk, number=call.number, state=call.state))


def _own_call(call_id: int) -> BlockingCall:
    call = BlockingCall.objects.select_related("customer").filter(pk=call_id).first()
    if call is None:
        raise NotFound(_("No such call."), code="call.not_found")
    return call


@router.post(
    "/protection/line/calls/{call_id}/items",
    response={201: ItemOut},
    summary="Register a lost item that was never registered",
)
def line_item(request: HttpRequest, call_id: Id, payload: ItemIn) -> Status[ItemOut]:
    ctx, _agent = _agent_ctx(request, payload.agent)
    call = _own_call(call_id)
    if call.state != rules.CallState.OPEN:
        raise NotFound(_("No such open call."), code="call.not_found")
    item = services.item_register(
        ctx=ctx,
        customer=call.customer,
        data=ItemInput(
            kind=payload.kind,
            issuer=payload.issuer,
            card_type=payload.card_type,
            ks=payload.ks,
            imei=payload.imei,
            document_kind=payload.document_kind,
        ),
        source="call",
    )
    return Status(201, _item_out(item))


@router.post(
    "/protection/line/calls/{call_id}/close",
    response=ClosedOut,
    summary="Close the call: block the lost items",
)
def line_close(request: HttpRequest, call_id: Id, payload: CloseIn) -> ClosedOut:
    ctx, _agent = _agent_ctx(request, payload.agent)
    outcome = services.call_close(
        ctx=ctx,
        call_id=_own_call(call_id).pk,
        block_item_ids=payload.block,
        kept_item_ids=payload.keep,
        answers=ReportAnswers(
            how_lost=payload.how_lost,
            how_kept=payload.how_kept,
            discovered_at=payload.discovered_at,
            last_seen_at=payload.last_seen_at,
            place=payload.place,
            country=payload.country.upper(),
            police_report=payload.police_report,
            id_data_lost=payload.id_data_lost,
            code_written_down=payload.code_written_down,
            replacement_wanted=payload.replacement_wanted,
        ),
    )
    return _closed_out(outcome.call)


@router.get(
    "/protection/line/calls/{call_id}",
    response=ClosedOut,
    summary="The call and how far its blocks have come",
)
def line_call(request: HttpRequest, call_id: Id, agent: str) -> ClosedOut:
    ctx, _agent = _agent_ctx(request, agent)
    call = selectors.call_read(ctx=ctx, call_id=_own_call(call_id).pk)
    return _closed_out(call)
