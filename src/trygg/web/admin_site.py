"""The back office: Django admin that requires a password and a TOTP code (django-otp)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite


class TryggAdminSite(OTPAdminSite):  # type: ignore[misc]
    site_header = _("trygg back office")
    site_title = _("trygg back office")
    index_title = _("Back office")
    login_template = "admin/trygg_login.html"
