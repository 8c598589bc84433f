"""Portal pages of the protection service ("Mine sider"): the customer's registry of cards,
phones and ID documents (added, changed and removed as often as wanted), the blocking calls with
their reports, and lifting a block on a phone or an ID document."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trygg.identity.actors import audit_context
from trygg.identity.portal import current_customer, customer_required
from trygg.identity.requests import PortalRequest
from trygg.kernel.audit import audit_read_batch
from trygg.kernel.errors import DomainError
from trygg.kernel.models import AuditChannel
from trygg.parties.selectors import accessible_parties
from trygg.protection import selectors, services, subscriptions
from trygg.protection.forms import refuse
from trygg.protection.letters import registration_form_pdf, report_of, report_pdf
from trygg.protection.models import BlockingCall, CallState, DocumentKind, ItemKind
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
        items = selectors.items_of(ctx=ctx, customer=me)
        calls = selectors.calls_of(ctx=ctx, customer=me)
        agreements = selectors.agreements_of(ctx=ctx, customer=me)
        id_theft_cases = selectors.id_theft_cases_of(ctx=ctx, customer=me)
        letters = report_letters(ctx=ctx, customer=me) if calls else {}
    for call in calls:
        call.report_letter = letters.get(call.number)  # type: ignore[attr-defined]
    return render(
        request,
        "protection/protection.html",
        {
            "form": form,
            "items": items,
            "calls": calls,
            "agreements": agreements,
            "id_theft_cases": id_theft_cases,
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


@require_POST
@customer_required(service_page=True)
def protection_agreement_cancel_view(request: PortalRequest, agreement_id: int) -> HttpResponseBase:
    """The customer cancels an agreement: it ends as early as the notice allows."""
    me = current_customer(request)
    try:
        agreement = subscriptions.agreement_cancel(
            ctx=audit_context(request, AuditChannel.WEB), agreement_id=agreement_id, customer=me
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
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


__all__ = [
    "protection_agreement_cancel_view",
    "protection_form_view",
    "protection_invoice_move_view",
    "protection_item_remove_view",
    "protection_item_view",
    "protection_lift_view",
    "protection_report_view",
    "protection_view",
]
