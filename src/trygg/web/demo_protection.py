"""Demo data of the protection service, through the services and idempotently: a Norwegian
customer's registry (two cards from the same bank, a phone, a driving licence), a key tag whose
lost keys came home by registered letter with the finder's reward paid, an ID theft case with
two disputed claims, a completed
blocking call for a lost wallet, its blocks answered by the issuer simulator, and agreements:
a monthly SperreService and a card insurance (as the insurer's tied agent) started 40 days ago,
the days since played through the daily run, the invoices paid by an OCR giro file that the
payment partner's simulator writes to ``var/nets/`` and trygg reads; two claims on the card
insurance, one paid after the police report was asked for, one still being handled."""

from __future__ import annotations

import datetime as dt
import threading

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from trygg.identity.passwords import has_password, password_credential_set
from trygg.kernel import clock
from trygg.kernel.audit import AuditContext
from trygg.parties.models import Party
from trygg.protection import claims, idtheft, keytags, services, subscriptions
from trygg.protection.dispatch import block_attempt
from trygg.protection.models import (
    Agreement,
    BlockingCall,
    IdTheftCase,
    Invoice,
    Item,
    KeyTag,
    ProtectionClaim,
)
from trygg.protection.payments import ocr_import
from trygg.protection.services import ItemInput, ReportAnswers
from trygg.simulators.issuers import make_server
from trygg.simulators.nets import OcrPayment, write_ocr_file

DEMO_IMEI = "490154203237518"
# The customer's log-in to the protection service's Mine sider (/login/password/).
DEMO_PASSWORD = "Sperreservice-2026"  # noqa: S105 (fictitious demo data)


def load_demo_protection(ctx: AuditContext, customer: Party, *, agent_username: str) -> None:
    if not has_password(customer):
        password_credential_set(ctx=ctx, party=customer, password=DEMO_PASSWORD)
    _agreements(ctx, customer)
    _claims(ctx, customer, agent_username=agent_username)
    _key_tag(ctx, customer)
    _id_theft(ctx, customer)
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


DEMO_AGREEMENT_DAYS = 40


def _agreements(ctx: AuditContext, customer: Party) -> None:
    """A monthly SperreService and a card insurance, 40 days of daily runs, and the payment
    partner's OCR giro file paying the invoices as due (one paid 3 bank days later)."""
    if Agreement.objects.filter(customer=customer).exists():
        return
    today = clock.today()
    start = today - dt.timedelta(days=DEMO_AGREEMENT_DAYS)
    with clock.business_date(start):
        for product in ("sperreservice-maned", "kortforsikring"):
            subscriptions.agreement_start(ctx=ctx, customer=customer, product_code=product)
    day = start
    while day < today:
        with clock.business_date(day):
            subscriptions.subscriptions_run(ctx=ctx, day=day)
        if day in (start + dt.timedelta(days=3), start + dt.timedelta(days=33)):
            _pay(ctx, customer, paid_on=day - dt.timedelta(days=2), nets_date=day)
        day += dt.timedelta(days=1)


def _pay(ctx: AuditContext, customer: Party, *, paid_on: dt.date, nets_date: dt.date) -> None:
    invoices = Invoice.objects.filter(agreement__customer=customer, state="open")
    if not invoices:
        return
    path = write_ocr_file(
        settings.VAR_DIR / "nets",
        [OcrPayment(i.kid, i.amount, paid_on) for i in invoices],
        transmission=int(nets_date.strftime("%y%m%d")),
        nets_date=nets_date,
    )
    with clock.business_date(nets_date):
        ocr_import(ctx=ctx, text=path.read_text(), name=path.name)


# A one-page PDF, as a scanned receipt would be (the demo's documents go to the default storage,
# var/documents/).
_DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _claims(ctx: AuditContext, customer: Party, *, agent_username: str) -> None:
    """Two claims on the card insurance, reported on Mine sider with a receipt: one where the
    police report was asked for (the clock stood still 4 days), then approved and paid to the
    account in the claim; one still being handled, due within the week."""
    if ProtectionClaim.objects.filter(customer=customer).exists():
        return
    insurance = Agreement.objects.filter(customer=customer, product__code="kortforsikring").first()
    if insurance is None:
        return
    handler = get_user_model().objects.filter(username=agent_username).first()
    today = clock.today()

    def report(days_ago: int, text: str, amount: str) -> ProtectionClaim:
        with clock.business_date(today - dt.timedelta(days=days_ago)):
            return claims.claim_report(
                ctx=ctx,
                customer=customer,
                data=claims.ClaimInput(
                    agreement=insurance.number,
                    incident_on=today - dt.timedelta(days=days_ago + 2),
                    description=text,
                    amount_claimed=amount,
                    payout_account="86011117947",
                ),
                documents=[("receipt", SimpleUploadedFile("kvittering.pdf", _DEMO_PDF))],
            )

    paid = report(
        20, "Kortet ble misbrukt i en nettbutikk etter at lommeboka ble stjålet.", "2450.50"
    )
    with clock.business_date(today - dt.timedelta(days=15)):
        claims.claim_ask_information(
            ctx=ctx, claim_id=paid.pk, text="Send oss politianmeldelsen, takk."
        )
    with clock.business_date(today - dt.timedelta(days=11)):
        claims.document_add(
            ctx=ctx,
            claim_id=paid.pk,
            kind="police_report",
            upload=SimpleUploadedFile("politianmeldelse.pdf", _DEMO_PDF),
            customer=customer,
        )
    with clock.business_date(today - dt.timedelta(days=5)):
        claims.claim_approve(ctx=ctx, user=handler, claim_id=paid.pk, amount="2450.50")
        claims.claim_pay(ctx=ctx, claim_id=paid.pk)
    report(26, "Nytt bankkort måtte bestilles etter tyveri; gebyr fra banken.", "350")


def _key_tag(ctx: AuditContext, customer: Party) -> None:
    """A batch of key tags, one linked to the customer, whose lost keys a finder phoned in,
    posted to us and got the reward for; the keys went home by registered letter."""
    if KeyTag.objects.filter(owner=customer).exists():
        return
    batch = keytags.tag_batch_issue(ctx=ctx, count=20)
    serial = batch.tags.order_by("serial").values_list("serial", flat=True)[0]
    keytags.tag_link(ctx=ctx, serial=serial, id_number=customer.id_number)
    case = keytags.found_report(
        ctx=ctx, serial=serial, source="call", finder_name="Per Hansen", finder_phone="41234567"
    ).case
    assert case is not None
    keytags.case_keys_received(ctx=ctx, case_id=case.pk)
    keytags.case_owner_contacted(ctx=ctx, case_id=case.pk)
    keytags.case_send(ctx=ctx, case_id=case.pk, tracking_number="RR123456785NO")
    keytags.reward_pay(ctx=ctx, case_id=case.pk, account="86011117947")


def _id_theft(ctx: AuditContext, customer: Party) -> None:
    """An ID theft case: a phone subscription and a loan taken in the customer's name, both
    disputed, a credit-reference block, the police report; the phone company withdrew."""
    if IdTheftCase.objects.filter(customer=customer).exists():
        return
    case = idtheft.idtheft_open(
        ctx=ctx,
        customer=customer,
        summary="Noen har tegnet mobilabonnement og tatt opp forbrukslån i kundens navn.",
    )
    phone = idtheft.idtheft_claim_add(
        ctx=ctx,
        case_id=case.pk,
        creditor="Mobilselskapet AS",
        amount="1249.50",
        reference="F-778812",
    )
    loan = idtheft.idtheft_claim_add(
        ctx=ctx,
        case_id=case.pk,
        creditor="Forbrukslån ASA",
        amount="25000",
        reference="L-40021",
        deadline=clock.today() + dt.timedelta(days=21),
    )
    idtheft.idtheft_step_add(
        ctx=ctx,
        case_id=case.pk,
        kind="police_report",
        text="Identitetstyveri anmeldt til politiet.",
    )
    idtheft.idtheft_step_add(
        ctx=ctx, case_id=case.pk, kind="credit_block", text="Kredittsperre registrert."
    )
    for claim in (phone, loan):
        idtheft.idtheft_step_add(
            ctx=ctx,
            case_id=case.pk,
            kind="letter",
            text=f"Innsigelse sendt til {claim.creditor}.",
            claim_id=claim.pk,
            deadline=clock.today() + dt.timedelta(days=21),
        )
    idtheft.idtheft_claim_move(
        ctx=ctx, claim_id=phone.pk, to="withdrawn", note="Mobilselskapet har frafalt kravet."
    )
