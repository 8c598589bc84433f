"""Log-in with BankID: on this device (the app opens) or another (animated QR code)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trygg.identity.actors import audit_context, client_ip
from trygg.identity.bankid.launch import launch_url
from trygg.identity.bankid_login import (
    PendingBankId,
    bankid_cancel,
    bankid_login_collect,
    bankid_login_start,
    bankid_qr_svg,
)
from trygg.identity.models import LoginChannel, LoginMethod
from trygg.identity.requests import PortalRequest
from trygg.kernel.errors import DomainError
from trygg.kernel.models import AuditChannel
from trygg.web.views import logged_in

SESSION_KEY = "trygg.bankid"


def _pending(request: PortalRequest) -> tuple[PendingBankId, bool] | None:
    data = request.session.get(SESSION_KEY)
    if not data:
        return None
    same_device = bool(data.pop("same_device", False))
    return PendingBankId(**data), same_device


@require_GET
def bankid_start_page(request: PortalRequest) -> HttpResponse:
    return render(request, "web/login_bankid.html", {"available": bool(settings.TRYGG_BANKID_URL)})


@require_POST
def bankid_start(request: PortalRequest) -> HttpResponseBase:
    try:
        pending = bankid_login_start(end_user_ip=client_ip(request) or "127.0.0.1")
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("web:login_bankid")
    request.session[SESSION_KEY] = {
        **pending.as_session(),
        "same_device": request.POST.get("mode") == "device",
    }
    return redirect("web:login_bankid_wait")


@require_GET
def bankid_wait(request: PortalRequest) -> HttpResponseBase:
    found = _pending(request)
    if found is None:
        return redirect("web:login_bankid")
    pending, same_device = found
    return render(
        request,
        "web/login_bankid_wait.html",
        {
            "same_device": same_device,
            "launch": launch_url(pending.auto_start_token) if same_device else "",
            "qr": "" if same_device else bankid_qr_svg(pending),
            "simulator": settings.TRYGG_BANKID_URL.rstrip("/") + "/app"
            if settings.TRYGG_BANKID_SIMULATOR
            else "",
        },
    )


@require_GET
def bankid_qr(request: PortalRequest) -> HttpResponse:
    """This second's QR frame, computed here: the secret never reaches the browser."""
    found = _pending(request)
    if found is None:
        return HttpResponse(status=204)
    return HttpResponse(bankid_qr_svg(found[0]), content_type="image/svg+xml")


@require_POST
def bankid_collect(request: PortalRequest) -> HttpResponseBase:
    found = _pending(request)
    if found is None:
        return _finish(request, "web:login_bankid")
    pending, same_device = found
    progress = bankid_login_collect(
        ctx=audit_context(request, AuditChannel.WEB),
        pending=pending,
        same_device=same_device,
        channel=LoginChannel.WEB,
    )
    if progress.status == "complete" and progress.result is not None:
        request.session.pop(SESSION_KEY, None)
        response = logged_in(request, progress.result, method=LoginMethod.BANKID, level=2)
        return _finish(request, response["Location"])
    if progress.status == "failed":
        request.session.pop(SESSION_KEY, None)
    if not request.htmx:
        if progress.status == "failed":
            messages.error(request, progress.message)
            return redirect("web:login_bankid")
        messages.info(request, progress.message)
        return redirect("web:login_bankid_wait")
    return render(
        request,
        "web/_bankid_status.html",
        {"message": progress.message, "failed": progress.status == "failed"},
    )


def _finish(request: PortalRequest, to: str) -> HttpResponseBase:
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = to if to.startswith("/") else redirect(to)["Location"]
        return response
    return redirect(to)


@require_http_methods(["POST"])
def bankid_cancel_view(request: PortalRequest) -> HttpResponseBase:
    found = _pending(request)
    if found is not None:
        bankid_cancel(found[0])
        request.session.pop(SESSION_KEY, None)
    messages.info(request, _("The BankID log-in was cancelled."))
    return redirect("web:login_bankid")
