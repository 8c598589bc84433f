"""Demo data of the protection service, through the services and idempotently: a Norwegian
customer's registry (two cards from the same bank, a phone, a driving licence) and a completed
blocking call for a lost wallet, its blocks answered by the issuer simulator."""

from __future__ import annotations

import datetime as dt
import threading

from django.conf import settings
from django.contrib.auth import get_user_model

from trygg.identity.passwords import has_password, password_credential_set
from trygg.kernel import clock
from trygg.kernel.audit import AuditContext
from trygg.parties.models import Party
from trygg.protection import services
from trygg.protection.dispatch import block_attempt
from trygg.protection.models import BlockingCall, Item
from trygg.protection.services import ItemInput, ReportAnswers
from trygg.simulators.issuers import make_server

DEMO_IMEI = "490154203237518"
# The customer's log-in to the protection service's Mine sider (/login/password/).
DEMO_PASSWORD = "Sperreservice-2026"  # noqa: S105 (fictitious demo data)


def load_demo_protection(ctx: AuditContext, customer: Party, *, agent_username: str) -> None:
    if not has_password(customer):
        password_credential_set(ctx=ctx, party=customer, password=DEMO_PASSWORD)
    if not Item.objects.filter(customer=customer).exists():
        for data in (
            ItemInput(kind="card", issuer="dnb", card_type="Visa", ks="4417"),
            ItemInput(kind="card", issuer="dnb", card_type="Mastercard", ks="8820"),
            ItemInput(kind="card", issuer="amex-no", card_type="American Express Gold"),
            ItemInput(kind="phone", issuer="telenor", imei=DEMO_IMEI, note="iPhone"),
            ItemInput(kind="document", issuer="statens-vegvesen", document_kind="driving_licence"),
        ):
            services.item_register(ctx=ctx, customer=customer, data=data)
    if BlockingCall.objects.filter(customer=customer).exists():
        return
    agent = get_user_model().objects.filter(username=agent_username).first()
    if agent is None:
        return
    items = {
        (i.issuer.code, i.card_type or i.kind): i for i in Item.objects.filter(customer=customer)
    }
    call = services.call_open(
        ctx=ctx, agent_id=agent.pk, customer=customer, spoke_with=customer.display_name
    )
    now = clock.now()
    outcome = services.call_close(
        ctx=ctx,
        call_id=call.pk,
        block_item_ids=[
            items[("dnb", "Visa")].pk,
            items[("amex-no", "American Express Gold")].pk,
            items[("statens-vegvesen", "document")].pk,
        ],
        answers=ReportAnswers(
            how_lost="Lommeboka ble stjålet på trikken",
            how_kept="I jakkelomma",
            discovered_at=now - dt.timedelta(hours=1),
            last_seen_at=now - dt.timedelta(hours=3),
            place="Oslo",
            country="NO",
            police_report=True,
            id_data_lost=True,
            code_written_down=False,
            replacement_wanted=True,
        ),
    )
    # The blocks go through the issuer simulator, in this process, as the worker sends them.
    server = make_server(port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    saved = settings.TRYGG_ISSUERS
    settings.TRYGG_ISSUERS = {"simulator": {"url": server.base_url, "key": "demo", "timeout": 5}}
    try:
        for block in outcome.blocks:
            block_attempt(block.pk)
    finally:
        settings.TRYGG_ISSUERS = saved
        server.shutdown()
        server.server_close()
