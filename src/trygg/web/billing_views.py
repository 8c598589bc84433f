"""Portal pages of premium billing: the customer's autogiro mandates, the payment plan and the
next debits; register a mandate online (signed), stop one debit, revoke a mandate, download the
payment plan, invoices and notices."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from trygg.billing.charges import charge_stop, is_stoppable, plan_of, stop_rule
from trygg.billing.letters import notice_pdf
from trygg.billing.mandates import (
    MandateInput,
    PolicyChoice,
    mandate_register_online,
    mandate_revoke,
    mandate_sign_start,
    mandates_of,
)
from trygg.billing.models import MandatePolicy, Notice
from trygg.identity.actors import audit_context
from trygg.identity.models import SigningOrder
from trygg.identity.requests import PortalRequest
from trygg.insurance.models import Policy, PolicyState
from trygg.kernel import clock
from trygg.kernel.audit import audit_read_batch, audit_record
from trygg.kernel.errors import DomainError
from trygg.kernel.models import AuditAction, AuditChannel
from trygg.web.forms import apply_problems
from trygg.web.orders import done_order, entered_order, remember_order
from trygg.web.views import current_customer, customer_required


class MandateForm(forms.Form):
    account = forms.CharField(
        label=gettext_lazy("Clearing and account number"),
        help_text=gettext_lazy(
            "A transaction account in your own name (e.g. a private, salary or personal "
            "account), not a savings account. Swedbank's five-digit clearing numbers are fine."
        ),
        required=False,
    )
    bank = forms.CharField(label=gettext_lazy("Bank"), required=False)
    policies = forms.MultipleChoiceField(
        label=gettext_lazy("Insurances to pay by autogiro"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


def _payable_policies(me: Any) -> list[Policy]:
    with_mandate = MandatePolicy.objects.filter(
        detached_on__isnull=True, mandate__state__in=["requested", "sent", "active"]
    ).values("policy_id")
    return list(
        Policy.objects.filter(policyholder=me, state=PolicyState.ACTIVE)
        .exclude(pk__in=with_mandate)
        .order_by("number")
    )


def _mandate_input(me: Any, data: dict[str, Any]) -> MandateInput:
    return MandateInput(
        payer_id_number=me.id_number,
        account=data.get("account", ""),
        bank=data.get("bank", ""),
        policies=[PolicyChoice(number) for number in data.get("policies", [])],
    )


@require_http_methods(["GET", "POST"])
@customer_required()
def autogiro_view(request: PortalRequest) -> HttpResponseBase:
    ctx = audit_context(request, AuditChannel.WEB)
    me = current_customer(request)
    payable = _payable_policies(me)
    form = MandateForm(request.POST or None)
    form.fields["policies"].choices = [  # type: ignore[attr-defined]
        (p.number, f"{p.number} ({p.get_period_display().lower()})") for p in payable
    ]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            order = mandate_sign_start(ctx=ctx, person=me, data=_mandate_input(me, data))
        except DomainError as error:
            apply_problems(form, error)
        else:
            remember_order(request, order.public_id, {"mandate": data})
            return redirect("web:sign", public_id=order.public_id)
    today = clock.today()
    with audit_read_batch():
        mandates = mandates_of(ctx=ctx, person=me)
        charges = plan_of(ctx=ctx, person=me)
    upcoming = [c for c in charges if c.due_date >= today or c.state in ("failed", "invoiced")]
    notices = Notice.objects.filter(payer=me).order_by("-sent_on", "-pk")[:20]
    return render(
        request,
        "web/autogiro.html",
        {
            "form": form,
            "payable": payable,
            "mandates": mandates,
            "charges": [(c, is_stoppable(c, today)) for c in upcoming],
            "stop_rule": stop_rule(upcoming[0]) if upcoming else "A",
            "history": [c for c in charges if c not in upcoming],
            "notices": notices,
        },
        status=422 if form.errors else 200,
    )


def register_signed_mandate(request: PortalRequest, order: SigningOrder) -> HttpResponseBase:
    """Carry out a signed online mandate registration."""
    data = entered_order(request, order.public_id)
    if data is None or "mandate" not in data:
        messages.info(request, _("There is nothing more to do for this order."))
        return redirect("web:autogiro")
    me = current_customer(request)
    try:
        mandate_register_online(
            ctx=audit_context(request, AuditChannel.WEB),
            person=me,
            signing_id=order.public_id,
            data=_mandate_input(me, data["mandate"]),
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("web:autogiro")
    done_order(request, order.public_id)
    messages.success(
        request,
        _(
            "Your autogiro mandate is signed and goes to Bankgirot with the next run. Setting it "
            "up can take a while; an invoice that comes meanwhile must be paid."
        ),
    )
    return redirect("web:autogiro")


@require_http_methods(["POST"])
@customer_required()
def charge_stop_view(request: PortalRequest, charge_id: int) -> HttpResponseBase:
    try:
        stopped = charge_stop(
            ctx=audit_context(request, AuditChannel.WEB),
            person=current_customer(request),
            charge_id=charge_id,
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        follow_up = stopped.follow_up
        if follow_up.method == "invoice":
            owed = _(
                "The premium is still owed: we send you an invoice with OCR reference %(ocr)s."
            ) % {"ocr": follow_up.ocr}
        else:
            owed = _(
                "The premium is still owed: it is debited on %(next)s, in a debit of %(amount)s kr."
            ) % {"next": follow_up.due_date.isoformat(), "amount": follow_up.amount}
        done = _("The debit of %(due)s is stopped. Your mandate remains.") % {
            "due": stopped.charge.due_date.isoformat()
        }
        messages.success(request, f"{done} {owed}")
    return redirect("web:autogiro")


@require_http_methods(["POST"])
@customer_required()
def mandate_revoke_view(request: PortalRequest, mandate_id: int) -> HttpResponseBase:
    try:
        mandate = mandate_revoke(
            ctx=audit_context(request, AuditChannel.WEB),
            person=current_customer(request),
            mandate_id=mandate_id,
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        last = mandate.events.last()
        messages.success(
            request,
            " ".join(
                x for x in (_("Your autogiro mandate is revoked."), last.note if last else "") if x
            ),
        )
    return redirect("web:autogiro")


@require_GET
@customer_required()
def notice_view(request: PortalRequest, notice_id: int) -> HttpResponse:
    me = current_customer(request)
    notice = Notice.objects.filter(pk=notice_id, payer=me).select_related("payer").first()
    if notice is None:
        return render(request, "web/not_found.html", status=404)
    audit_record(
        ctx=audit_context(request, AuditChannel.WEB),
        action=AuditAction.READ,
        subject_id=me.pk,
        object_type="billing_notice",
        object_id=notice.pk,
    )
    response = HttpResponse(notice_pdf(notice), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{notice.kind}-{notice.sent_on:%Y%m%d}-{notice.pk}.pdf"'
    )
    return response
