"""Portal pages of the protection service ("Mine sider"): the customer's registry of cards,
phones and ID documents (added, changed and removed as often as wanted), the blocking calls with
their reports, and lifting a block on a phone or an ID document."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trygg.identity.actors import audit_context
from trygg.identity.portal import current_customer, customer_required
from trygg.identity.requests import PortalRequest
from trygg.kernel.audit import audit_read_batch
from trygg.kernel.errors import DomainError
from trygg.kernel.forms import portal_confirmation
from trygg.kernel.models import AuditChannel
from trygg.parties.selectors import accessible_parties
from trygg.protection import claims, selectors, services, subscriptions
from trygg.protection.forms import refuse
from trygg.protection.letters import registration_form_pdf, report_of, report_pdf
from trygg.protection.models import (
    Agreement,
    BlockingCall,
    CallState,
    ClaimDocumentKind,
    ClaimState,
    DocumentKind,
    ItemKind,
)
from trygg.protection.report_letters import report_letters
from trygg.protection.services import ItemInput


class RegistryForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What"), choices=ItemKind.choices)
    issuer = forms.ChoiceField(label=gettext_lazy("Issuer"), choices=())
    card_type = forms.CharField(
        label=gettext_lazy("Card type"),
        required=False,
        max_length=60,
        help_text=gettext_lazy("E.g. Visa or Mastercard. Never the card number."),
    )
    ks = forms.CharField(
        label=gettext_lazy("KS (the last 4 digits of the card number)"),
        required=False,
        max_length=4,
        help_text=gettext_lazy(
            "Needed for a company card, or when you have several cards from the same issuer."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    company = forms.ChoiceField(label=gettext_lazy("Company card of"), required=False)
    imei = forms.CharField(
        label=gettext_lazy("IMEI"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("15 digits: dial *#06# on the phone to see them."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    document_kind = forms.ChoiceField(
        label=gettext_lazy("Document"), choices=[("", "–"), *DocumentKind.choices], required=False
    )
    note = forms.CharField(label=gettext_lazy("Your note"), required=False, max_length=100)

    def __init__(self, *args: Any, companies: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issuer"].choices = [  # type: ignore[attr-defined]
            (i.code, f"{i.name} ({i.get_kind_display()})") for i in selectors.issuers()
        ]
        self.fields["company"].choices = [("", _("No, my own card"))] + [  # type: ignore[attr-defined]
            (str(c.pk), c.display_name) for c in companies
        ]
        if not companies:
            del self.fields["company"]

    def item(self) -> ItemInput:
        data = self.cleaned_data
        company = data.get("company") or ""
        return ItemInput(
            kind=data["kind"],
            issuer=data["issuer"],
            card_type=data["card_type"],
            ks=data["ks"],
            imei=data["imei"],
            document_kind=data["document_kind"],
            company_id=int(company) if company.isdigit() else None,
            note=data["note"],
        )


def _companies(me: Any) -> list[Any]:
    return [p for p in accessible_parties(me) if p.pk != me.pk]


@require_http_methods(["GET", "POST"])
@customer_required(service_page=True)
def protection_view(request: PortalRequest) -> HttpResponseBase:
    me = current_customer(request)
    ctx = audit_context(request, AuditChannel.WEB)
    form = RegistryForm(request.POST or None, companies=_companies(me))
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_register(ctx=ctx, customer=me, data=form.item())
        except DomainError as error:
            refuse(form, error)
        else:
            messages.success(request, _("%(item)s is registered.") % {"item": item})
            return redirect("web:protection")
    with audit_read_batch():
        engagement = selectors.engagement_of(ctx=ctx, customer=me)
        letters = report_letters(ctx=ctx, customer=me) if engagement.calls else {}
    for call in engagement.calls:
        call.report_letter = letters.get(call.number)  # type: ignore[attr-defined]
    return render(
        request,
        "protection/protection.html",
        {
            "form": form,
            "items": engagement.items,
            "calls": engagement.calls,
            "agreements": engagement.agreements,
            "id_theft_cases": engagement.id_theft_cases,
            "key_tags": engagement.key_tags,
            "found_cases": engagement.found_cases,
            "payments": engagement.payments,
            "claims": engagement.claims,
            "can_claim": any(a.product.kind == "insurance" for a in engagement.agreements),
            "due_form": DueDateForm(),
        },
        status=422 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@customer_required(service_page=True)
def protection_item_view(request: PortalRequest, item_id: int) -> HttpResponseBase:
    me = current_customer(request)
    ctx = audit_context(request, AuditChannel.WEB)
    item = selectors.item_of(ctx=ctx, customer=me, item_id=item_id)
    if item is None:
        raise Http404
    initial = {
        "kind": item.kind,
        "issuer": item.issuer.code,
        "card_type": item.card_type,
        "ks": item.ks,
        "company": str(item.company_id or ""),
        "imei": item.imei,
        "document_kind": item.document_kind,
        "note": item.note,
    }
    form = RegistryForm(request.POST or None, initial=initial, companies=_companies(me))
    if request.method == "POST" and form.is_valid():
        try:
            services.item_change(ctx=ctx, customer=me, item_id=item.pk, data=form.item())
        except DomainError as error:
            refuse(form, error)
        else:
            messages.success(request, _("Your change is saved."))
            return redirect("web:protection")
    return render(
        request,
        "protection/protection_item.html",
        {"form": form, "item": item},
        status=422 if form.errors else 200,
    )


@require_POST
@customer_required(service_page=True)
def protection_item_remove_view(request: PortalRequest, item_id: int) -> HttpResponseBase:
    me = current_customer(request)
    try:
        services.item_remove(
            ctx=audit_context(request, AuditChannel.WEB), customer=me, item_id=item_id
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The item is removed from your registry."))
    return redirect("web:protection")


@require_POST
@customer_required(service_page=True)
def protection_lift_view(request: PortalRequest, block_id: int) -> HttpResponseBase:
    me = current_customer(request)
    try:
        services.block_lift(
            ctx=audit_context(request, AuditChannel.WEB), customer=me, block_id=block_id
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The block is lifted."))
    return redirect("web:protection")


class DueDateForm(forms.Form):
    due_on = forms.DateField(
        label=gettext_lazy("New due date"), widget=forms.DateInput(attrs={"type": "date"})
    )


def _cancel_consequence(agreement: Agreement) -> str:
    return _(
        "Agreement %(number)s (%(product)s) will end on %(end)s, as early as the notice allows. "
        "Invoices for periods after that day are cancelled, and no renewal offer is sent."
    ) % {
        "number": agreement.number,
        "product": agreement.product.name,
        "end": agreement.end_on.isoformat() if agreement.end_on else "",
    }


@require_POST
@customer_required(service_page=True)
def protection_agreement_cancel_view(request: PortalRequest, agreement_id: int) -> HttpResponseBase:
    """The customer cancels an agreement: it ends as early as the notice allows. The first POST
    shows the day it ends; the confirmation cancels it."""
    me = current_customer(request)
    try:
        agreement, preview = portal_confirmation(
            request,
            action=lambda: subscriptions.agreement_cancel(
                ctx=audit_context(request, AuditChannel.WEB),
                agreement_id=agreement_id,
                customer=me,
            ),
            consequence=_cancel_consequence,
            title=_("Cancel the agreement"),
            confirm_label=_("Cancel the agreement"),
            back=reverse("web:protection"),
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("web:protection")
    if preview is not None:
        return preview
    messages.success(
        request,
        _("Cancelled: the agreement ends on %(end)s.")
        % {"end": agreement.end_on.isoformat() if agreement.end_on else ""},
    )
    return redirect("web:protection")


@require_POST
@customer_required(service_page=True)
def protection_invoice_move_view(request: PortalRequest, invoice_id: int) -> HttpResponseBase:
    """The customer moves an invoice's due date, as often and as far as the product allows."""
    me = current_customer(request)
    form = DueDateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the new due date as a date."))
        return redirect("web:protection")
    try:
        invoice = subscriptions.invoice_move_due(
            ctx=audit_context(request, AuditChannel.WEB),
            invoice_id=invoice_id,
            new_due=form.cleaned_data["due_on"],
            customer=me,
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The new due date is %(due)s.") % {"due": invoice.due_on.isoformat()}
        )
    return redirect("web:protection")


@require_GET
@customer_required(service_page=True)
def protection_report_view(request: PortalRequest, number: str) -> HttpResponseBase:
    me = current_customer(request)
    call = BlockingCall.objects.filter(number=number, customer=me).first()
    if call is None or call.state not in (CallState.CLOSED, CallState.COMPLETED):
        raise Http404
    call = selectors.call_read(
        ctx=audit_context(request, AuditChannel.WEB), call_id=call.pk, customer=me
    )
    language = request.LANGUAGE_CODE if request.LANGUAGE_CODE in ("sv", "nb", "en") else "nb"
    pdf = report_pdf(report_of(call, selectors.blocks_of(call), language=language))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{call.number}.pdf"'
    return response


@require_GET
def protection_form_view(request: PortalRequest) -> HttpResponseBase:
    """The registration form to print and post; anyone may download it."""
    language = request.LANGUAGE_CODE if request.LANGUAGE_CODE in ("sv", "nb", "en") else "nb"
    response = HttpResponse(
        registration_form_pdf(language=language), content_type="application/pdf"
    )
    response["Content-Disposition"] = 'inline; filename="registration-form.pdf"'
    return response


# -- claims on the protection insurances ----------------------------------------------------------


class DocumentForm(forms.Form):
    document_kind = forms.ChoiceField(
        label=gettext_lazy("Kind of document"), choices=ClaimDocumentKind.choices
    )
    document = forms.FileField(
        label=gettext_lazy("Document"),
        help_text=gettext_lazy("A PDF, JPEG or PNG file of at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class ClaimForm(forms.Form):
    """The claim form ("skadeanmeldelse"), on Mine sider and as staff type in a paper one."""

    agreement = forms.ChoiceField(label=gettext_lazy("Insurance"), choices=())
    incident_on = forms.DateField(
        label=gettext_lazy("Date of the loss"), widget=forms.DateInput(attrs={"type": "date"})
    )
    description = forms.CharField(
        label=gettext_lazy("What happened"),
        max_length=claims.DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    amount_claimed = forms.CharField(
        label=gettext_lazy("Amount claimed (NOK)"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    payout_account = forms.CharField(
        label=gettext_lazy("Account number for the payout"),
        max_length=20,
        help_text=gettext_lazy(
            "A Norwegian account number, 11 digits. We pay to this account: check that it is right."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    document_kind = forms.ChoiceField(
        label=gettext_lazy("Kind of document"), choices=ClaimDocumentKind.choices, required=False
    )
    document = forms.FileField(
        label=gettext_lazy("Document"),
        required=False,
        help_text=gettext_lazy(
            "A PDF, JPEG or PNG file of at most 10 MB: a receipt, a police report ... You can "
            "send more documents once the claim is reported."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args: Any, agreements: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agreement"].choices = [  # type: ignore[attr-defined]
            (a.number, f"{a.product.name} ({a.number})") for a in agreements
        ]

    def claim(self) -> claims.ClaimInput:
        data = self.cleaned_data
        return claims.ClaimInput(
            agreement=data["agreement"],
            incident_on=data["incident_on"],
            description=data["description"],
            amount_claimed=data["amount_claimed"],
            payout_account=data["payout_account"],
        )

    def documents(self) -> list[tuple[str, Any]]:
        upload = self.cleaned_data.get("document")
        if not upload:
            return []
        return [(self.cleaned_data.get("document_kind") or ClaimDocumentKind.OTHER, upload)]


@require_http_methods(["GET", "POST"])
@customer_required(service_page=True)
def protection_claim_new_view(request: PortalRequest) -> HttpResponseBase:
    """Report a loss on one of the customer's insurances, with a first document."""
    me = current_customer(request)
    ctx = audit_context(request, AuditChannel.WEB)
    form = ClaimForm(
        request.POST or None,
        request.FILES or None,
        agreements=selectors.insurance_agreements_of(ctx=ctx, customer=me),
    )
    if request.method == "POST" and form.is_valid():
        try:
            claim = claims.claim_report(
                ctx=ctx,
                customer=me,
                data=form.claim(),
                documents=form.documents(),
            )
        except DomainError as error:
            refuse(form, error)
        else:
            messages.success(
                request,
                _(
                    "Claim %(number)s is reported. We decide it by %(due)s at the latest, unless "
                    "we need more information from you."
                )
                % {"number": claim.number, "due": claim.due_on.isoformat()},
            )
            return redirect("web:protection_claim", number=claim.number)
    return render(
        request,
        "protection/claim_new.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@customer_required(service_page=True)
def protection_claim_view(request: PortalRequest, number: str) -> HttpResponseBase:
    """One of the customer's claims: where it stands, what we asked for, its documents; a
    document sent here while we wait for information lets the handling time run again."""
    me = current_customer(request)
    ctx = audit_context(request, AuditChannel.WEB)
    try:
        claim = selectors.claim_read(ctx=ctx, number=number, customer=me)
    except DomainError:
        raise Http404 from None
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            claims.document_add(
                ctx=ctx,
                claim_id=claim.pk,
                kind=form.cleaned_data["document_kind"],
                upload=form.cleaned_data["document"],
                customer=me,
            )
        except DomainError as error:
            refuse(form, error)
        else:
            messages.success(request, _("Thank you: the document is received."))
            return redirect("web:protection_claim", number=claim.number)
    return render(
        request,
        "protection/claim.html",
        {
            "claim": claim,
            "documents": list(claim.documents.all()),
            "form": form,
            "open": claim.state not in (ClaimState.PAID, ClaimState.REJECTED),
        },
        status=422 if form.errors else 200,
    )


@require_GET
@customer_required(service_page=True)
def protection_claim_document_view(
    request: PortalRequest, number: str, document_id: int
) -> HttpResponseBase:
    me = current_customer(request)
    ctx = audit_context(request, AuditChannel.WEB)
    try:
        claim = selectors.claim_read(ctx=ctx, number=number, customer=me)
        document = selectors.claim_document_read(ctx=ctx, claim=claim, document_id=document_id)
    except DomainError:
        raise Http404 from None
    return document_response(document)


def document_response(document: Any) -> FileResponse:
    """A claim document as a download, with the type it was checked to be."""
    response = FileResponse(
        document.file.open("rb"), content_type=document.content_type, filename=document.name
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


__all__ = [
    "protection_agreement_cancel_view",
    "protection_claim_document_view",
    "protection_claim_new_view",
    "protection_claim_view",
    "protection_form_view",
    "protection_invoice_move_view",
    "protection_item_remove_view",
    "protection_item_view",
    "protection_lift_view",
    "protection_report_view",
    "protection_view",
]
