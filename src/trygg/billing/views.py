"""Portal pages of premium billing: the customer's autogiro mandates, the payment plan and the
next debits; register a mandate online (signed), stop one debit, revoke a mandate, download the
payment plan, invoices and notices."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from trygg.billing.charges import Stopped, charge_stop, is_stoppable, plan_of, stop_rule
from trygg.billing.letters import notice_pdf
from trygg.billing.mandates import (
    PREMIUM_MANDATE,
    AttachInput,
    MandateInput,
    PolicyChoice,
    mandate_add_online,
    mandate_add_sign_start,
    mandate_register_online,
    mandate_revoke,
    mandate_sign_start,
    mandates_of,
)
from trygg.billing.selectors import notice_of, notices_of, payable_policies
from trygg.identity.actors import audit_context
from trygg.identity.models import SigningOrder
from trygg.identity.portal import (
    current_customer,
    customer_required,
    done_order,
    entered_order,
    remember_order,
)
from trygg.identity.requests import PortalRequest
from trygg.identity.sca import Function
from trygg.identity.signing import signing_completion_register
from trygg.kernel import clock
from trygg.kernel.audit import audit_read_batch
from trygg.kernel.errors import DomainError
from trygg.kernel.forms import apply_problems, portal_confirmation
from trygg.kernel.models import AuditChannel
from trygg.kernel.numbertext import account_text, money_text

if TYPE_CHECKING:
    from trygg.billing.models import Mandate
    from trygg.insurance.models import Policy

PERIODS = [
    ("", gettext_lazy("As now")),
    ("monthly", gettext_lazy("Monthly")),
    ("half_yearly", gettext_lazy("Half-yearly")),
    ("yearly", gettext_lazy("Yearly")),
]


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
    period = forms.ChoiceField(
        label=gettext_lazy("I want to pay these insurances"),
        choices=PERIODS,
        widget=forms.RadioSelect,
        required=False,
        initial="",
        help_text=gettext_lazy(
            "Some insurances cost more paid monthly or half-yearly. A new period begins at the "
            "start of a period not yet paid; the payment plan shows the new amounts."
        ),
    )


class AddPoliciesForm(forms.Form):
    """Insurances the payer adds to a mandate in force ("senare anmäls av mig")."""

    policies = forms.MultipleChoiceField(
        label=gettext_lazy("Insurances to add"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    period = MandateForm.base_fields["period"]


def _mandate_input(me: Any, data: dict[str, Any]) -> MandateInput:
    return MandateInput(
        payer_id_number=me.id_number,
        account=data.get("account", ""),
        bank=data.get("bank", ""),
        policies=[PolicyChoice(number) for number in data.get("policies", [])],
        period=data.get("period", ""),
    )


def _attach_input(data: dict[str, Any]) -> AttachInput:
    return AttachInput(
        policies=[PolicyChoice(number) for number in data.get("policies", [])],
        period=data.get("period", ""),
    )


def _policy_choices(payable: list[Policy]) -> list[tuple[str, str]]:
    return [(p.number, f"{p.number} ({p.get_period_display().lower()})") for p in payable]


@require_http_methods(["GET", "POST"])
@customer_required()
def autogiro_view(request: PortalRequest) -> HttpResponseBase:
    ctx = audit_context(request, AuditChannel.WEB)
    me = current_customer(request)
    payable = payable_policies(ctx=ctx, payer=me)
    form = MandateForm(request.POST or None)
    form.fields["policies"].choices = _policy_choices(payable)  # type: ignore[attr-defined]
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
        notices = notices_of(ctx=ctx, payer=me)
    upcoming = [c for c in charges if c.due_date >= today or c.state in ("failed", "invoiced")]
    add_form = AddPoliciesForm(auto_id="add_%s")
    add_form.fields["policies"].choices = _policy_choices(payable)  # type: ignore[attr-defined]
    return render(
        request,
        "billing/autogiro.html",
        {
            "form": form,
            "add_form": add_form,
            "payable": payable,
            "mandates": mandates,
            "charges": [(c, is_stoppable(c, today)) for c in upcoming],
            "stop_rule": stop_rule(upcoming[0]) if upcoming else "A",
            "history": [c for c in charges if c not in upcoming],
            "notices": notices,
        },
        status=422 if form.errors else 200,
    )


@require_http_methods(["POST"])
@customer_required()
def mandate_add_view(request: PortalRequest, mandate_id: int) -> HttpResponseBase:
    """The payer adds insurances to their mandate in force: signed, like the mandate."""
    me = current_customer(request)
    form = AddPoliciesForm(request.POST)
    form.fields["policies"].choices = _policy_choices(  # type: ignore[attr-defined]
        payable_policies(ctx=audit_context(request, AuditChannel.WEB), payer=me)
    )
    if not form.is_valid():
        messages.error(request, _("Choose the insurances to add from the list."))
        return redirect("web:autogiro")
    data = {**form.cleaned_data, "mandate_id": mandate_id}
    try:
        order = mandate_add_sign_start(
            ctx=audit_context(request, AuditChannel.WEB),
            person=me,
            mandate_id=mandate_id,
            data=_attach_input(data),
        )
    except DomainError as error:
        messages.error(request, " ".join(p.message for p in error.problems) or error.message)
        return redirect("web:autogiro")
    remember_order(request, order.public_id, {"add": data})
    return redirect("web:sign", public_id=order.public_id)


def _carry_out(
    request: PortalRequest, order: SigningOrder, action: Callable[[], object], done: str
) -> HttpResponseBase:
    """Carry out a signed order's action; its refusal or ``done`` is told on the autogiro page."""
    try:
        action()
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("web:autogiro")
    done_order(request, order.public_id)
    messages.success(request, done)
    return redirect("web:autogiro")


def _register_signed_mandate(request: PortalRequest, order: SigningOrder) -> HttpResponseBase:
    """Carry out a signed online mandate registration, or insurances added to a mandate."""
    data = entered_order(request, order.public_id)
    ctx = audit_context(request, AuditChannel.WEB)
    me = current_customer(request)
    if data is not None and "add" in data:
        added = data["add"]
        return _carry_out(
            request,
            order,
            lambda: mandate_add_online(
                ctx=ctx,
                person=me,
                mandate_id=int(added["mandate_id"]),
                signing_id=order.public_id,
                data=_attach_input(added),
            ),
            _(
                "The insurances are added to your autogiro mandate. A new payment plan with the "
                "amounts and due dates comes before the first debit."
            ),
        )
    if data is None or "mandate" not in data:
        messages.info(request, _("There is nothing more to do for this order."))
        return redirect("web:autogiro")
    return _carry_out(
        request,
        order,
        lambda: mandate_register_online(
            ctx=ctx, person=me, signing_id=order.public_id, data=_mandate_input(me, data["mandate"])
        ),
        _(
            "Your autogiro mandate is signed and goes to Bankgirot with the next run. Setting it "
            "up can take a while; an invoice that comes meanwhile must be paid."
        ),
    )


def _owed_text(stopped: Stopped) -> str:
    follow_up = stopped.follow_up
    if follow_up.method == "invoice":
        return _(
            "The premium is still owed: we send you an invoice with OCR reference %(ocr)s."
        ) % {"ocr": follow_up.ocr}
    return _("The premium is still owed: it is debited on %(next)s, in a debit of %(amount)s.") % {
        "next": follow_up.due_date.isoformat(),
        "amount": money_text(follow_up.amount),
    }


def _stop_consequence(stopped: Stopped) -> str:
    charge = stopped.charge
    will = _(
        "The debit of %(amount)s on %(due)s for insurance %(policy)s will be stopped. Your "
        "mandate remains."
    ) % {
        "amount": money_text(charge.amount),
        "due": charge.due_date.isoformat(),
        "policy": charge.policy.number,
    }
    return f"{will} {_owed_text(stopped)}"


@require_http_methods(["POST"])
@customer_required()
def charge_stop_view(request: PortalRequest, charge_id: int) -> HttpResponseBase:
    """Stop one debit: the first POST shows what will happen, the confirmation stops it."""
    ctx = audit_context(request, AuditChannel.WEB)
    me = current_customer(request)
    try:
        stopped, preview = portal_confirmation(
            request,
            action=lambda: charge_stop(ctx=ctx, person=me, charge_id=charge_id),
            consequence=_stop_consequence,
            title=_("Stop a debit"),
            confirm_label=_("Stop the debit"),
            back=reverse("web:autogiro"),
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("web:autogiro")
    if preview is not None:
        return preview
    done = _("The debit of %(due)s is stopped. Your mandate remains.") % {
        "due": stopped.charge.due_date.isoformat()
    }
    messages.success(request, f"{done} {_owed_text(stopped)}")
    return redirect("web:autogiro")


def _revoke_note(mandate: Mandate) -> str:
    last = mandate.events.last()
    return last.note if last else ""


def _revoke_consequence(mandate: Mandate) -> str:
    will = _(
        "Your autogiro mandate for account %(account)s will be revoked: no further premiums are "
        "debited from it. Your insurances stay in force; their premiums are then invoiced."
    ) % {"account": account_text(mandate.clearing, mandate.account)}
    return " ".join(x for x in (will, _revoke_note(mandate)) if x)


@require_http_methods(["POST"])
@customer_required()
def mandate_revoke_view(request: PortalRequest, mandate_id: int) -> HttpResponseBase:
    """Revoke a mandate: the first POST shows what will happen, the confirmation revokes it."""
    ctx = audit_context(request, AuditChannel.WEB)
    me = current_customer(request)
    try:
        mandate, preview = portal_confirmation(
            request,
            action=lambda: mandate_revoke(ctx=ctx, person=me, mandate_id=mandate_id),
            consequence=_revoke_consequence,
            title=_("Revoke the autogiro mandate"),
            confirm_label=_("Revoke the mandate"),
            back=reverse("web:autogiro"),
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("web:autogiro")
    if preview is not None:
        return preview
    messages.success(
        request,
        " ".join(x for x in (_("Your autogiro mandate is revoked."), _revoke_note(mandate)) if x),
    )
    return redirect("web:autogiro")


@require_GET
@customer_required()
def notice_view(request: PortalRequest, notice_id: int) -> HttpResponse:
    notice = notice_of(
        ctx=audit_context(request, AuditChannel.WEB),
        payer=current_customer(request),
        notice_id=notice_id,
    )
    if notice is None:
        return render(request, "web/not_found.html", status=404)
    response = HttpResponse(notice_pdf(notice), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{notice.kind}-{notice.sent_on:%Y%m%d}-{notice.pk}.pdf"'
    )
    return response


def register_signing_completions() -> None:
    """A premium mandate with the insurer (or insurances added to one), carried out here once
    signed; the bank's own autogiro registration with a biller is the bank's (see ``apps.py``)."""
    signing_completion_register(
        Function.AUTOGIRO_REGISTER, _register_signed_mandate, kind=PREMIUM_MANDATE
    )
