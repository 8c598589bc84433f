"""Log-in with the security token: the identity number, then the challenge and the response."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from trygg.identity.actors import audit_context
from trygg.identity.models import LoginChannel, LoginMethod
from trygg.identity.otp.ocra import random_login_challenge
from trygg.identity.portal import current_customer, customer_required
from trygg.identity.requests import PortalRequest
from trygg.identity.sessions import (
    pending_challenge,
    pending_challenge_clear,
    pending_challenge_store,
)
from trygg.identity.tokens import (
    TokenChallenge,
    token_activate,
    token_login,
    token_login_start,
)
from trygg.kernel.errors import DomainError
from trygg.kernel.models import AuditChannel
from trygg.web.forms import TokenResponseForm, TokenStartForm, apply_problems
from trygg.web.views import logged_in


@require_http_methods(["GET", "POST"])
def token_start_view(request: PortalRequest) -> HttpResponseBase:
    form = TokenStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            started = token_login_start(id_number=form.cleaned_data["id_number"])
        except DomainError as error:
            apply_problems(form, error)
        else:
            pending_challenge_store(
                request,
                id_number=started.id_number,
                country=started.country,
                challenge=started.challenge,
            )
            return redirect("web:login_token_respond")
    status = 422 if form.errors else 200
    return render(request, "web/login_token.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def token_respond_view(request: PortalRequest) -> HttpResponseBase:
    pending = pending_challenge(request)
    if pending is None:
        messages.warning(request, _("The challenge has expired. Start again."))
        return redirect("web:login_token")
    started = TokenChallenge(pending["id_number"], pending["country"], pending["challenge"])
    form = TokenResponseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = token_login(
                ctx=audit_context(request, AuditChannel.WEB),
                started=started,
                response=form.cleaned_data["response"],
                channel=LoginChannel.WEB,
            )
        except DomainError as error:
            apply_problems(form, error)
            if error.status == 401:
                # A challenge answers one attempt: the next one gets a new challenge.
                renewed = token_login_start(id_number=started.id_number)
                pending_challenge_store(
                    request,
                    id_number=started.id_number,
                    country=started.country,
                    challenge=renewed.challenge,
                )
                started = TokenChallenge(started.id_number, started.country, renewed.challenge)
        else:
            pending_challenge_clear(request)
            return logged_in(request, result, method=LoginMethod.TOKEN, level=2)
    status = 401 if form.errors else 200
    return render(
        request,
        "web/login_token_respond.html",
        {"form": form, "challenge": started.challenge},
        status=status,
    )


ACTIVATION_KEY = "trygg.token_activation"


@require_http_methods(["GET", "POST"])
@customer_required()
def token_activate_view(request: PortalRequest) -> HttpResponseBase:
    """Activate a token that came by registered post: the challenge shown, the response typed."""
    if request.method == "GET" or ACTIVATION_KEY not in request.session:
        request.session[ACTIVATION_KEY] = random_login_challenge(8)
    challenge = request.session[ACTIVATION_KEY]
    form = TokenResponseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token_activate(
                ctx=audit_context(request, AuditChannel.WEB),
                party=current_customer(request),
                challenge=challenge,
                response=form.cleaned_data["response"],
            )
        except DomainError as error:
            apply_problems(form, error)
            request.session[ACTIVATION_KEY] = challenge = random_login_challenge(8)
        else:
            request.session.pop(ACTIVATION_KEY, None)
            messages.success(request, _("Your security token is activated."))
            return redirect("web:overview")
    return render(
        request,
        "web/token_activate.html",
        {"form": form, "challenge": challenge},
        status=422 if form.errors else 200,
    )
