"""The protection service's Mine sider log-in: identity number and password, one per family
member (seed 004), the first password chosen with the code from a letter, and changing it.
Norwegian Bokmål is these pages' language unless the visitor chose another."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseBase
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from trygg.identity.actors import audit_context
from trygg.identity.models import LoginChannel, LoginMethod
from trygg.identity.passwords import password_change, password_login, password_setup
from trygg.identity.portal import current_customer, customer_required
from trygg.identity.requests import PortalRequest
from trygg.identity.services import LoginResult
from trygg.kernel.errors import DomainError
from trygg.kernel.models import AuditChannel
from trygg.web.forms import apply_problems
from trygg.web.views import logged_in

SERVICE_LANGUAGE = "nb"


def _password_field(label: Any, autocomplete: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=200,
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
    )


def _id_number_field() -> forms.CharField:
    return forms.CharField(
        label=gettext_lazy("Personal identity number"),
        max_length=20,
        required=False,
        help_text=gettext_lazy("Norway: 11 digits. Sweden: YYYYMMDD-NNNN."),
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "inputmode": "numeric", "autofocus": True}
        ),
    )


class PasswordLoginForm(forms.Form):
    id_number = _id_number_field()
    password = _password_field(gettext_lazy("Password"), "current-password")


class PasswordSetupForm(forms.Form):
    id_number = _id_number_field()
    code = forms.CharField(
        label=gettext_lazy("Code from the letter"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )
    password = _password_field(gettext_lazy("New password"), "new-password")
    password_repeat = _password_field(gettext_lazy("New password again"), "new-password")
    password.help_text = gettext_lazy(
        "At least 10 characters; not a common password, not your identity number."
    )


class PasswordChangeForm(forms.Form):
    current_password = _password_field(gettext_lazy("Current password"), "current-password")
    new_password = _password_field(gettext_lazy("New password"), "new-password")
    new_password_repeat = _password_field(gettext_lazy("New password again"), "new-password")
    new_password.help_text = PasswordSetupForm.base_fields["password"].help_text


def _service_language(request: PortalRequest) -> None:
    """Norwegian Bokmål unless the visitor chose a language."""
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        translation.activate(SERVICE_LANGUAGE)
        request.LANGUAGE_CODE = SERVICE_LANGUAGE


def _logged_in(request: PortalRequest, result: LoginResult, next_url: str = "") -> HttpResponseBase:
    """Start the session; the pages then speak the person's own language (Norwegian by
    default) unless the visitor chose one."""
    response = logged_in(request, result, method=LoginMethod.PASSWORD, level=1, next_url=next_url)
    language = result.party.preferred_language or SERVICE_LANGUAGE
    cookie = settings.LANGUAGE_COOKIE_NAME
    if language in dict(settings.LANGUAGES) and cookie not in request.COOKIES:
        response.set_cookie(
            cookie,
            language,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


@require_http_methods(["GET", "POST"])
def password_login_view(request: PortalRequest) -> HttpResponseBase:
    _service_language(request)
    form = PasswordLoginForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.method == "POST" and form.is_valid():
        try:
            result = password_login(
                ctx=audit_context(request, AuditChannel.WEB),
                id_number=form.cleaned_data["id_number"],
                password=form.cleaned_data["password"],
                channel=LoginChannel.WEB,
            )
        except DomainError as error:
            apply_problems(form, error)
        else:
            return _logged_in(request, result, next_url)
    status = 401 if request.method == "POST" else 200
    return render(
        request, "web/login_password.html", {"form": form, "next": next_url}, status=status
    )


@require_http_methods(["GET", "POST"])
def password_setup_view(request: PortalRequest) -> HttpResponseBase:
    _service_language(request)
    form = PasswordSetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = password_setup(
                ctx=audit_context(request, AuditChannel.WEB),
                id_number=form.cleaned_data["id_number"],
                code=form.cleaned_data["code"],
                password=form.cleaned_data["password"],
                password_repeat=form.cleaned_data["password_repeat"],
            )
        except DomainError as error:
            apply_problems(form, error)
        else:
            messages.success(request, _("Your password is saved. You are logged in."))
            return _logged_in(request, result)
    status = 422 if form.errors else 200
    return render(request, "web/password_setup.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@customer_required(service_page=True)
def password_change_view(request: PortalRequest) -> HttpResponseBase:
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            password_change(
                ctx=audit_context(request, AuditChannel.WEB),
                party=current_customer(request),
                current_password=form.cleaned_data["current_password"],
                new_password=form.cleaned_data["new_password"],
                new_password_repeat=form.cleaned_data["new_password_repeat"],
            )
        except DomainError as error:
            apply_problems(form, error)
        else:
            messages.success(request, _("Your new password is saved."))
            form = PasswordChangeForm()
    status = 422 if form.errors else 200
    return render(request, "web/password_change.html", {"form": form}, status=status)
