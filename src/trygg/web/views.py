"""Portal pages. They parse input and call services and selectors; nothing else."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trygg.identity.actors import audit_context
from trygg.identity.models import LoginChannel, LoginMethod, SecurityToken, TokenState
from trygg.identity.portal import current_customer, customer_required
from trygg.identity.requests import PortalRequest
from trygg.identity.sca import Function
from trygg.identity.services import LoginResult, pin_change, pin_login
from trygg.identity.sessions import (
    SERVICE_ONLY_METHODS,
    customer_session_end,
    customer_session_pin_changed,
    customer_session_start,
    session_is_service_only,
)
from trygg.kernel.audit import audit_record
from trygg.kernel.errors import DomainError
from trygg.kernel.models import AuditAction, AuditChannel
from trygg.overview.selectors import customer_overview, letters_inbox
from trygg.parties.models import Party
from trygg.parties.selectors import contact_details_read, party_for_viewer
from trygg.parties.services import ContactInput, contact_details_update
from trygg.web.forms import ContactForm, LoginForm, PinChangeForm, apply_problems
from trygg.web.overview_page import overview_content

AFTER_LOGIN_KEY = "trygg.after_login"


def _safe_next(request: HttpRequest, next_url: str) -> str:
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return ""


@require_GET
@customer_required()
def step_up_view(request: PortalRequest) -> HttpResponse:
    """Identify again with the token or BankID; the log-in then continues where the customer
    was going."""
    request.session[AFTER_LOGIN_KEY] = _safe_next(request, request.GET.get("next", ""))
    me = current_customer(request)
    return render(
        request,
        "web/step_up.html",
        {
            "id_number": me.id_number,
            "has_token": SecurityToken.objects.filter(party=me, state=TokenState.ACTIVE).exists(),
            "bankid": bool(settings.TRYGG_BANKID_URL),
        },
    )


@require_GET
def home(request: PortalRequest) -> HttpResponse:
    if session_is_service_only(request.customer_session):
        return redirect("web:protection")
    if request.customer_session is not None:
        return redirect("web:overview")
    return redirect("web:login")


@require_http_methods(["GET", "POST"])
def login_view(request: PortalRequest) -> HttpResponseBase:
    form = LoginForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.method == "POST" and form.is_valid():
        try:
            result = pin_login(
                ctx=audit_context(request, AuditChannel.WEB),
                id_number=form.cleaned_data["id_number"],
                pin=form.cleaned_data["pin"],
                channel=LoginChannel.WEB,
            )
        except DomainError as error:
            apply_problems(form, error)
        else:
            return logged_in(request, result, method=LoginMethod.PIN, level=1, next_url=next_url)
    status = 401 if request.method == "POST" else 200
    return render(request, "web/login.html", {"form": form, "next": next_url}, status=status)


def logged_in(
    request: PortalRequest, result: LoginResult, *, method: str, level: int, next_url: str = ""
) -> HttpResponseBase:
    """Start the customer's session after any log-in method, and go where they were going
    (after a step-up: the page that asked for it)."""
    next_url = next_url or request.session.pop(AFTER_LOGIN_KEY, "")
    customer_session_start(
        request,
        party=result.party,
        method=method,
        level=level,
        must_change_pin=result.must_change_pin,
    )
    if result.must_change_pin:
        return redirect("web:pin_change")
    target = _safe_next(request, next_url)
    if method in SERVICE_ONLY_METHODS:
        return redirect(target) if target else redirect("web:protection")
    return redirect(target) if target else redirect("web:overview")


@require_POST
def logout_view(request: PortalRequest) -> HttpResponseBase:
    session = request.customer_session
    if session is not None:
        audit_record(
            ctx=audit_context(request, AuditChannel.WEB),
            action=AuditAction.LOGOUT,
            subject_id=session.party_id,
            object_type="session",
        )
    customer_session_end(request)
    messages.success(
        request, _("You are logged out. Close the browser if others use this computer.")
    )
    return redirect("web:login")


@require_GET
@customer_required(function=Function.OVERVIEW)
def overview_view(request: PortalRequest) -> HttpResponse:
    overview = customer_overview(
        ctx=audit_context(request, AuditChannel.WEB), person=current_customer(request)
    )
    return render(
        request, "web/overview.html", {"overview": overview, "content": overview_content(overview)}
    )


@require_GET
@customer_required(function=Function.OVERVIEW)
def letters_view(request: PortalRequest) -> HttpResponse:
    """Every letter and document the customer has been sent, newest first."""
    letters = letters_inbox(
        ctx=audit_context(request, AuditChannel.WEB), person=current_customer(request)
    )
    return render(request, "web/letters.html", {"letters": letters})


def _contact_initial(request: PortalRequest, party: Party) -> dict[str, str]:
    details = contact_details_read(ctx=audit_context(request, AuditChannel.WEB), party=party)
    return {name: getattr(details, name) for name in ContactForm.base_fields}


@require_http_methods(["GET", "POST"])
@customer_required()
def profile_view(request: PortalRequest, party_id: int | None = None) -> HttpResponse:
    viewer = current_customer(request)
    try:
        party = party_for_viewer(viewer=viewer, party_id=party_id or viewer.pk)
    except DomainError:
        return render(request, "web/not_found.html", status=404)
    if request.method == "POST":
        form = ContactForm(request.POST)
        if form.is_valid():
            try:
                changes = contact_details_update(
                    ctx=audit_context(request, AuditChannel.WEB),
                    party=party,
                    data=ContactInput(**form.cleaned_data),
                )
            except DomainError as error:
                apply_problems(form, error)
            else:
                messages.success(
                    request,
                    _("Your contact details are saved.") if changes else _("Nothing was changed."),
                )
                if not request.htmx:
                    return redirect(request.path)
                form = ContactForm(initial=_contact_initial(request, party))
    else:
        form = ContactForm(initial=_contact_initial(request, party))
    template = "web/_contact_form.html" if request.htmx else "web/profile.html"
    status = 422 if form.errors else 200
    return render(request, template, {"form": form, "party": party}, status=status)


@require_http_methods(["GET", "POST"])
@customer_required(allow_pin_change_pending=True)
def pin_change_view(request: PortalRequest) -> HttpResponseBase:
    form = PinChangeForm(request.POST or None)
    session = request.customer_session
    if request.method == "POST" and form.is_valid():
        try:
            pin_change(
                ctx=audit_context(request, AuditChannel.WEB),
                party=current_customer(request),
                current_pin=form.cleaned_data["current_pin"],
                new_pin=form.cleaned_data["new_pin"],
                new_pin_repeat=form.cleaned_data["new_pin_repeat"],
            )
        except DomainError as error:
            apply_problems(form, error)
        else:
            customer_session_pin_changed(request)
            messages.success(
                request,
                _(
                    "Your new PIN is saved. Use it next time you log in, "
                    "on the web and in the telephone bank."
                ),
            )
            return redirect("web:overview")
    status = 422 if form.errors else 200
    return render(
        request,
        "web/pin_change.html",
        {"form": form, "forced": bool(session and session.must_change_pin)},
        status=status,
    )


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for load balancers: the process answers (nothing else is checked)."""
    return HttpResponse("ok", content_type="text/plain")


def csrf_failure(request: PortalRequest, reason: str = "") -> HttpResponse:
    return render(request, "web/csrf_failure.html", status=403)
