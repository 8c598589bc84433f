"""The signing hub of the portal: every order that needs a signature (RTS Art. 5) is shown,
signed with the security token or BankID, and then carried out by the domain that registered
the order's function and kind (``signing_completion_register`` in each app's ``ready``)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from trygg.identity.actors import audit_context, client_ip
from trygg.identity.bankid.launch import launch_url
from trygg.identity.bankid_login import PendingBankId, bankid_qr_svg
from trygg.identity.models import SigningState, TokenKind
from trygg.identity.portal import current_customer, customer_required
from trygg.identity.requests import PortalRequest
from trygg.identity.sca import time_code_may_sign
from trygg.identity.selectors import (
    active_token_kind,
    signing_order_of,
    signing_order_to_collect,
)
from trygg.identity.signing import (
    signing_collect_bankid,
    signing_complete_with_token,
    signing_completion,
    signing_start_bankid,
)
from trygg.kernel.errors import DomainError
from trygg.kernel.forms import apply_problems
from trygg.kernel.models import AuditChannel


class SignForm(forms.Form):
    response = forms.CharField(
        label=gettext_lazy("Response from the security token"),
        required=False,
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


@require_http_methods(["GET", "POST"])
@customer_required()
def sign_view(request: PortalRequest, public_id: str) -> HttpResponseBase:
    """Show what is signed and the challenge; take the token's response; carry out the order."""
    ctx = audit_context(request, AuditChannel.WEB)
    order = signing_order_of(ctx=ctx, person=current_customer(request), public_id=public_id)
    if order is None:
        return render(request, "web/not_found.html", status=404)
    form = SignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            # Who carries the order out is known before it is signed: an order nobody can
            # carry out is refused with nothing signed.
            completion = signing_completion(order)
            if order.state == SigningState.PENDING:
                order = signing_complete_with_token(
                    ctx=ctx, order=order, response=form.cleaned_data["response"]
                )
            return completion(request, order)
        except DomainError as error:
            apply_problems(form, error)
    token_kind = active_token_kind(current_customer(request))
    if token_kind == TokenKind.TOTP:
        form.fields["response"].label = _("Code from the security token")
    return render(
        request,
        "identity/sign.html",
        {
            "order": order,
            "form": form,
            "token_kind": token_kind,
            "time_code_may_sign": time_code_may_sign(order.function),
        },
        status=422 if form.errors else 200,
    )


SIGNING_BANKID = "trygg.signing_bankid"


@require_http_methods(["POST"])
@customer_required()
def sign_bankid_start(request: PortalRequest, public_id: str) -> HttpResponseBase:
    ctx = audit_context(request, AuditChannel.WEB)
    order = signing_order_of(ctx=ctx, person=current_customer(request), public_id=public_id)
    if order is None:
        return render(request, "web/not_found.html", status=404)
    try:
        pending = signing_start_bankid(
            ctx=ctx,
            order=order,
            end_user_ip=client_ip(request) or "127.0.0.1",
        )
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("web:sign", public_id=public_id)
    request.session[SIGNING_BANKID] = {"public_id": public_id, **pending.as_session()}
    same_device = request.POST.get("mode") == "device"
    return render(
        request,
        "identity/sign_bankid.html",
        {
            "order": order,
            "launch": launch_url(pending.auto_start_token) if same_device else "",
            "qr": "" if same_device else bankid_qr_svg(pending),
            "simulator": settings.TRYGG_BANKID_URL.rstrip("/") + "/app"
            if settings.TRYGG_BANKID_SIMULATOR
            else "",
        },
    )


def _signing_pending(request: PortalRequest, public_id: str) -> PendingBankId | None:
    data = dict(request.session.get(SIGNING_BANKID) or {})
    if data.pop("public_id", None) != public_id:
        return None
    return PendingBankId(**data)


@require_GET
@customer_required()
def sign_bankid_qr(request: PortalRequest, public_id: str) -> HttpResponse:
    pending = _signing_pending(request, public_id)
    if pending is None:
        return HttpResponse(status=204)
    return HttpResponse(bankid_qr_svg(pending), content_type="image/svg+xml")


@require_http_methods(["POST"])
@customer_required()
def sign_bankid_collect(request: PortalRequest, public_id: str) -> HttpResponseBase:
    order = signing_order_to_collect(person=current_customer(request), public_id=public_id)
    pending = _signing_pending(request, public_id)
    if order is None or pending is None:
        return redirect("web:bank")
    try:
        state, message = signing_collect_bankid(
            ctx=audit_context(request, AuditChannel.WEB), order=order, pending=pending
        )
        if state == "signed":
            request.session.pop(SIGNING_BANKID, None)
            order.refresh_from_db()
            response = signing_completion(order)(request, order)
            if request.htmx:
                done = HttpResponse(status=204)
                done["HX-Redirect"] = response["Location"]
                return done
            return response
    except DomainError as error:
        state, message = "failed", str(error.message)
    if state == "failed":
        request.session.pop(SIGNING_BANKID, None)
    if not request.htmx:
        messages.info(request, message)
        return redirect("web:sign", public_id=public_id)
    return render(
        request,
        "web/_bankid_status.html",
        {"message": message, "failed": state == "failed", "collect_url": request.path},
    )
