"""The admin app, configured to use the back office site with a second factor; and the
third-party apps the back office lists, named in the staff's language (their own names are
English and not translatable)."""

from __future__ import annotations

from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_otp.plugins.otp_static.apps import DefaultConfig as OtpStaticConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as OtpTotpConfig
from django_tasks_db.apps import TasksAppConfig


class TryggAdminConfig(AdminConfig):
    default_site = "trygg.web.admin_site.TryggAdminSite"


def _name_model(config: AppConfig, model: str, one: Promise, many: Promise) -> None:
    """Give a third-party model translated names. The migration state reads a model's own Meta
    (``original_attrs``), so no migration follows from it."""
    meta = config.get_model(model)._meta
    meta.verbose_name = one  # type: ignore[assignment]
    meta.verbose_name_plural = many  # type: ignore[assignment]


class TotpDevicesConfig(OtpTotpConfig):  # type: ignore[misc]
    verbose_name = _("Authenticator apps (TOTP)")

    def ready(self) -> None:
        super().ready()
        _name_model(
            self,
            "TOTPDevice",
            _("authenticator app"),
            _("authenticator apps"),
        )


class BackupCodesConfig(OtpStaticConfig):  # type: ignore[misc]
    verbose_name = _("Backup codes")

    def ready(self) -> None:
        super().ready()
        _name_model(
            self,
            "StaticDevice",
            _("backup code list"),
            _("backup code lists"),
        )
        _name_model(
            self,
            "StaticToken",
            pgettext_lazy("one-time", "backup code"),
            pgettext_lazy("one-time", "backup codes"),
        )


class BackgroundTasksConfig(TasksAppConfig):
    verbose_name = _("Background tasks")  # type: ignore[assignment]

    def ready(self) -> None:
        super().ready()
        _name_model(
            self,
            "DBTaskResult",
            _("task result"),
            _("task results"),
        )
