"""The walk over every portal page and API endpoint, for a seeded demo customer: the pages and
endpoints are found from the URL patterns and the OpenAPI document, so a new one is walked
without being named anywhere (tests of audited reads and of RTS Art. 10's step-up use it)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, reverse

from tests.banking.conftest import sign, with_token
from tests.conftest import Customer
from trygg.api.api import api as ninja_api
from trygg.banking.models import Account, Registration, TradeOrder
from trygg.banking.services import (
    PayeeInput,
    RegistrationInput,
    payee_register,
    payee_register_start,
    payment_to_payee,
    registration_create,
    registration_start,
)
from trygg.banking.trading import TradeInput, trade_place, trade_start
from trygg.billing.models import Charge, Mandate, Notice
from trygg.claims.models import Claim
from trygg.claims.services import FactsInput, claim_decide, claim_report_staff
from trygg.identity.models import StaffUser
from trygg.insurance.models import Policy
from trygg.kernel import clock, idnumbers
from trygg.kernel.audit import SYSTEM
from trygg.parties.selectors import person_by_id_number
from trygg.privacy.selectors import download_token
from trygg.privacy.services import subject_request_ask, subject_request_complete
from trygg.protection.models import ClaimDocument, ProtectionClaim
from trygg.web import urls as portal_urls
from trygg.web.demo import load_demo


@dataclass
class Seeded:
    customer: Customer
    objects: dict[str, Any]  # None where the customer has no such thing


def seed_demo_customer(index: int) -> Seeded:
    """The demo (everything its customers hold: accounts, funds, policies, a claim, autogiro),
    and for its customer ``index`` a payee, an autogiro registration, a stock order, a pending
    signing order and, with a policy, a decided claim besides."""
    customers, _staff, _tokens = load_demo()
    chosen = customers[index]
    parsed = idnumbers.parse(chosen.id_number)
    party = person_by_id_number(country=parsed.country, id_number=parsed.value)
    assert party is not None
    customer = Customer(party=party, id_number=chosen.id_number, pin=chosen.pin)
    if not party.security_tokens.filter(state="active").exists():
        with_token(customer)
    account = Account.objects.filter(party=party).order_by("pk").first()
    assert account is not None
    payee_data = PayeeInput("Elbolaget", "bankgiro", "5050-1055")
    order = payee_register_start(ctx=SYSTEM, person=party, data=payee_data)
    sign(customer, order)
    payee = payee_register(ctx=SYSTEM, person=party, signing_id=order.public_id, data=payee_data)
    payment = payment_to_payee(
        ctx=SYSTEM,
        person=party,
        from_account_id=account.pk,
        payee_id=payee.pk,
        amount="120",
        ocr="1234567897",
    )
    account.refresh_from_db()
    registration_data = RegistrationInput(
        "autogiro", "Elbolaget", "5050-1055", "778899", account.pk
    )
    order = registration_start(ctx=SYSTEM, person=party, data=registration_data)
    sign(customer, order)
    registration_create(
        ctx=SYSTEM, person=party, signing_id=order.public_id, data=registration_data
    )
    trade_data = TradeInput(account.pk, "SE0000108656", "Ericsson B", "buy", "1", "50")
    order = trade_start(ctx=SYSTEM, person=party, data=trade_data)
    sign(customer, order)
    trade_place(ctx=SYSTEM, person=party, signing_id=order.public_id, data=trade_data)
    pending = payee_register_start(
        ctx=SYSTEM, person=party, data=PayeeInput("Hyran", "bankgiro", "5402-9681")
    )
    policy = Policy.objects.filter(policyholder=party).order_by("pk").first()
    claim = Claim.objects.filter(policy__policyholder=party).order_by("pk").first()
    decided = None
    if policy is not None:
        decided = claim_report_staff(
            ctx=SYSTEM,
            policy_id=policy.pk,
            accident_date=clock.today() - dt.timedelta(days=3),
            description="Skar mig i handen; en natt på sjukhus.",
            payout_destination="6000-123456789",
        )
        handler = StaffUser.objects.create_user(username="handler", password="x", is_staff=True)
        facts = FactsInput(hospital_nights=1)
        claim_decide(ctx=SYSTEM, user=handler, claim_id=decided.pk, facts=facts)
    mandate = Mandate.objects.filter(payer=party).first()
    item, call, block = _protection(party)
    agreement = _agreement(party)
    copy = subject_request_complete(
        ctx=SYSTEM,
        request_id=subject_request_ask(ctx=SYSTEM, party=party, kind="access").pk,
    )
    interaction = _contact(party)
    return Seeded(
        customer,
        {
            "account": account,
            "payee": payee,
            "payment": payment,
            "policy": policy,
            "claim": claim,
            "decided_claim": decided,
            "mandate": mandate,
            "charge": Charge.objects.filter(mandate=mandate).order_by("pk").first(),
            "notice": Notice.objects.filter(mandate=mandate).order_by("pk").first(),
            "signing": pending,
            "registration": Registration.objects.get(party=party),
            "trade": TradeOrder.objects.get(party=party),
            "protected_item": item,
            "blocking_call": call,
            "block": block,
            "protection_agreement": agreement,
            "protection_invoice": agreement.invoices.first(),
            "protection_claim": ProtectionClaim.objects.filter(customer=party).first(),
            "protection_claim_document": ClaimDocument.objects.filter(
                claim__customer=party
            ).first(),
            "subject_request": copy,
            "export_token": download_token(copy),
            "interaction": interaction,
        },
    )


def _agreement(party: Any) -> Any:
    """A monthly blocking service with its first invoice, and a key tag whose keys were found."""
    from trygg.protection import keytags
    from trygg.protection.subscriptions import agreement_start

    batch = keytags.tag_batch_issue(ctx=SYSTEM, count=1)
    serial = batch.tags.get().serial
    keytags.tag_link(ctx=SYSTEM, serial=serial, id_number=party.id_number)
    keytags.found_report(ctx=SYSTEM, serial=serial, source="post")
    from trygg.protection import idtheft

    case = idtheft.idtheft_open(ctx=SYSTEM, customer=party, summary="Lån i kundens navn")
    idtheft.idtheft_claim_add(ctx=SYSTEM, case_id=case.pk, creditor="Långivaren", amount="100")
    insurance = agreement_start(ctx=SYSTEM, customer=party, product_code="kortforsikring")
    _protection_claim(party, insurance)
    return agreement_start(ctx=SYSTEM, customer=party, product_code="sperreservice-maned")


def _protection_claim(party: Any, insurance: Any) -> Any:
    """A claim on the card insurance, reported on Mine sider with a receipt."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from trygg.protection import claims

    return claims.claim_report(
        ctx=SYSTEM,
        customer=party,
        data=claims.ClaimInput(
            agreement=insurance.number,
            incident_on=clock.today(),
            description="Kortet ble misbrukt etter tyveri.",
            amount_claimed="1200",
            payout_account="86011117947",
        ),
        documents=[("receipt", SimpleUploadedFile("kvittering.pdf", b"%PDF-1.4 walk"))],
    )


def _contact(party: Any) -> Any:
    """A recorded threat with the person authenticated, reported and reviewed; an objection."""
    import io

    from trygg.contact import services as contact

    agent, _ = StaffUser.objects.get_or_create(
        username="contact.agent", defaults={"is_staff": True}
    )
    coach, _ = StaffUser.objects.get_or_create(
        username="contact.coach", defaults={"is_staff": True}
    )
    interaction = contact.interaction_start(
        ctx=SYSTEM,
        purpose="quality",
        channel="phone",
        matter="insurance",
        contact_detail="+46701234567",
        employee=agent,
        party=party,
    )
    contact.interaction_store(
        ctx=SYSTEM, interaction_id=interaction.pk, content=io.BytesIO(b"RIFF"), content_type=""
    )
    contact.review_draw(ctx=SYSTEM, employee=agent, coach=coach, count=1)
    survey = contact.survey_request(
        ctx=SYSTEM,
        matter="Skada",
        employee=agent,
        team="Skador",
        controller="Länsförsäkringar Stockholm",
        channel="email",
        contact_detail="walk@example.se",
        party=party,
    )
    contact.outbox_send()
    contact.survey_answer(
        ctx=SYSTEM, response_id=survey.response_id, nps=1, satisfaction=1, resolved=False
    )
    contact.objection_record(ctx=SYSTEM, source="my-pages", party=party)
    contact.ticket_open(ctx=SYSTEM, problem="The PIN letter never came.", party=party)
    return interaction


def _protection(party: Any) -> tuple[Any, Any, Any]:
    """A card in the protection service's registry and a closed blocking call for it."""
    from trygg.protection import services as protection
    from trygg.protection.services import ItemInput, ReportAnswers

    item = protection.item_register(
        ctx=SYSTEM, customer=party, data=ItemInput(kind="card", issuer="swedbank", card_type="Visa")
    )
    agent, _ = StaffUser.objects.get_or_create(username="sparrvakt", defaults={"is_staff": True})
    call = protection.call_open(ctx=SYSTEM, agent_id=agent.pk, customer=party, spoke_with="X")
    outcome = protection.call_close(
        ctx=SYSTEM, call_id=call.pk, block_item_ids=[item.pk], answers=ReportAnswers()
    )
    return item, outcome.call, outcome.blocks[0]


def _or_absent(value: Any, what: str, absent: str | None) -> str:
    if value is not None:
        return str(value)
    if absent is None:
        pytest.fail(f"The walk has no value for {what}: give it one.")
    return absent


def _portal_value(seeded: Seeded, name: str, param: str, absent: str | None) -> str:
    o = seeded.objects

    def pk(key: str) -> Any:
        return o[key].pk if o[key] is not None else None

    def number(key: str) -> Any:
        return o[key].number if o[key] is not None else None

    values: dict[tuple[str, str], Any] = {
        ("account", "account_id"): pk("account"),
        ("payee_pay", "payee_id"): pk("payee"),
        ("payee_change", "payee_id"): pk("payee"),
        ("payee_remove", "payee_id"): pk("payee"),
        ("receipt", "payment_id"): pk("payment"),
        ("payment_cancel", "payment_id"): pk("payment"),
        # A review lives in the session that made it: another token is told to start again.
        ("payment_review", "token"): "no-such-review",
        ("charge_stop", "charge_id"): pk("charge"),
        ("mandate_revoke", "mandate_id"): pk("mandate"),
        ("billing_notice", "notice_id"): pk("notice"),
        ("claim_letter", "number"): number("decided_claim"),
        ("policy_letter", "number"): number("policy"),
        ("policy_cancel", "number"): number("policy"),
        ("profile_party", "party_id"): seeded.customer.party.pk,
        ("mandate_add", "mandate_id"): pk("mandate"),
        ("protection_item", "item_id"): pk("protected_item"),
        ("protection_item_remove", "item_id"): pk("protected_item"),
        ("protection_lift", "block_id"): pk("block"),
        ("protection_report", "number"): number("blocking_call"),
        ("protection_agreement_cancel", "agreement_id"): pk("protection_agreement"),
        ("protection_invoice_move", "invoice_id"): pk("protection_invoice"),
        ("protection_claim", "number"): number("protection_claim"),
        ("protection_claim_document", "number"): number("protection_claim"),
        ("protection_claim_document", "document_id"): pk("protection_claim_document"),
        ("privacy_download", "token"): o["export_token"],
        ("privacy_download", "fmt"): "json",
    }
    if param == "public_id":
        return o["signing"].public_id  # type: ignore[no-any-return]
    if (name, param) not in values:
        pytest.fail(f"The walk has no value for web:{name}'s <{param}>: give it one.")
    return _or_absent(values[(name, param)], f"web:{name}'s <{param}>", absent)


def _flat(patterns: list[Any]) -> Iterator[URLPattern]:
    """The portal's own patterns and those each domain's ``urls.py`` adds under ``web:``."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            assert not str(pattern.pattern), "the domains' pages keep the portal's paths"
            yield from _flat(pattern.url_patterns)
        else:
            assert isinstance(pattern, URLPattern)
            yield pattern


def portal_pages(
    seeded: Seeded,
    skip: dict[str, str],
    patterns: list[Any] | None = None,
    *,
    absent: str | None = None,
) -> Iterator[str]:
    """The path of every portal page but those in ``skip``; a page of something the customer
    does not hold gets ``absent`` (or fails the test when None)."""
    for pattern in _flat(patterns if patterns is not None else portal_urls.urlpatterns):
        name = pattern.name or ""
        if name in skip:
            continue
        kwargs = {p: _portal_value(seeded, name, p, absent) for p in pattern.pattern.converters}
        yield reverse(f"web:{name}", kwargs=kwargs)


def _api_value(seeded: Seeded, path: str, param: str, absent: str | None) -> str:
    o = seeded.objects
    value: Any
    if param == "account_id":
        value = o["account"].pk
    elif param == "signing_id":
        value = o["signing"].public_id
    elif param in ("party_id", "customer_id"):
        value = seeded.customer.party.pk
    elif param == "call_id":
        value = o["blocking_call"].pk
    elif param == "number" and "/claims/" in path:
        value = o["claim"].number if o["claim"] is not None else None
    elif param == "number" and "/policies/" in path:
        value = o["policy"].number if o["policy"] is not None else None
    else:
        pytest.fail(f"The walk has no value for {path}'s {{{param}}}: give it one.")
    return _or_absent(value, f"{path}'s {{{param}}}", absent)


def api_endpoints(
    seeded: Seeded, skip: dict[str, str], *, absent: str | None = None
) -> Iterator[tuple[str, str]]:
    """(path template, path with query) of every GET endpoint of the API but those in
    ``skip``, from its OpenAPI document."""
    schema = ninja_api.get_openapi_schema(path_prefix="/api/v1")
    for template, operations in schema["paths"].items():
        if "get" not in operations or template in skip:
            continue
        url = re.sub(
            r"\{(\w+)\}",
            lambda m, t=template: _api_value(seeded, t, m.group(1), absent),
            template,
        )
        yield template, url + {"/api/v1/holdings": "?kind=fund"}.get(template, "")


def backoffice_pages(seeded: Seeded) -> Iterator[str]:
    """The path of every back-office page a superuser can open for the seeded person: the
    index, each model's change list and, where the person has an object of the model, every
    page of that object and the model admin's own pages (found from the admin site's registry
    and each model admin's URLs, so a new page is walked unnamed)."""
    from django.contrib import admin

    from tests.test_personal_data_reads import _admin_object, _object_of

    yield reverse("admin:index")
    for model, model_admin in admin.site._registry.items():
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        obj = _object_of(model, seeded.customer.party)
        for pattern in model_admin.get_urls():
            if isinstance(pattern, URLResolver) or not pattern.name:
                continue
            if pattern.name.removeprefix(prefix) in ("delete", "history", "autocomplete"):
                continue
            if pattern.pattern.converters and obj is None:
                continue
            try:
                kwargs = {
                    p: _admin_object(seeded, p, model, obj) for p in pattern.pattern.converters
                }
            except pytest.fail.Exception:
                continue  # a page of something else than the person's records (a job, a file)
            yield reverse(f"admin:{pattern.name}", kwargs=kwargs)
