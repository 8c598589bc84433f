"""The back office: Django admin that requires a password and a TOTP code (django-otp).

The log-in form hands the whole check to ``identity.staff_login``: one answer for every
failure, back-off and lock-out per user name and per address, each code accepted once.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite

from trygg.identity.actors import audit_context
from trygg.identity.sessions import staff_session_replace_customer
from trygg.identity.staff_login import staff_login
from trygg.kernel.errors import AuthenticationFailed
from trygg.kernel.models import AuditChannel


class StaffLoginForm(AdminAuthenticationForm):
    """User name, password and code in one step, checked together by ``staff_login``."""

    otp_device = forms.CharField(required=False, widget=forms.HiddenInput)
    otp_token = forms.CharField(
        label=_("Code"),
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    otp_challenge = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = self.cleaned_data
        request = self.request
        assert request is not None  # the admin's log-in view always passes it
        try:
            self.user_cache = staff_login(
                ctx=audit_context(request, AuditChannel.BACK_OFFICE),
                username=data.get("username"),
                password=data.get("password"),
                code=data.get("otp_token"),
                device_id=data.get("otp_device") or "",
            )
        except AuthenticationFailed as refusal:
            raise forms.ValidationError(refusal.message, code="invalid_login") from refusal
        staff_session_replace_customer(request)
        return data


class TryggAdminSite(OTPAdminSite):  # type: ignore[misc]
    site_header = _("trygg back office")
    site_title = _("trygg back office")
    index_title = _("Back office")
    login_template = "admin/trygg_login.html"
    index_template = "admin/trygg_index.html"
    login_form = StaffLoginForm

    def index(self, request: Any, extra_context: dict[str, Any] | None = None) -> Any:
        """The first page opens on the work waiting for the user's roles."""
        from trygg.kernel.admin import work_queues_for  # a model module: not before apps load

        queues = work_queues_for(request.user)
        return super().index(request, {**(extra_context or {}), "work_queues": queues})
