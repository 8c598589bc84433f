"""The back office: Django admin that requires a password and a TOTP code (django-otp)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


class StaffLoginForm(OTPAdminAuthenticationForm):  # type: ignore[misc]
    """Log-in in one step for staff with one authenticator: their only device is the one the
    code is checked against (django-otp asks to choose only when there are several)."""

    def _chosen_device(self, user: Any) -> Any:
        chosen = super()._chosen_device(user)
        if chosen is None:
            devices = list(devices_for_user(user, for_verify=True))
            if len(devices) == 1:
                return devices[0]
        return chosen


class TryggAdminSite(OTPAdminSite):  # type: ignore[misc]
    site_header = _("trygg back office")
    site_title = _("trygg back office")
    index_title = _("Back office")
    login_template = "admin/trygg_login.html"
    login_form = StaffLoginForm
