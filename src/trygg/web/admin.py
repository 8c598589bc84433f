"""The third-party model admins the back office lists (the staff's authenticator apps and backup
codes from django-otp, the background tasks' results), registered again so that every column,
filter, fieldset and field reads in the staff member's language.

Their packages name most fields by the field's attribute name, which Django shows as is, and
title their fieldsets in English. The labels are given here: a field's ``verbose_name`` is set
on the field (its ``_verbose_name``, which migrations compare, stays the package's, so no
migration follows); help texts, which migrations do compare, and the rest through the admin
classes below.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

DEVICE_FIELDS: dict[str, tuple[Promise, Promise | None]] = {
    "user": (_("staff member"), _("The member of staff the device belongs to.")),
    "name": (_("device name"), _("A name the member of staff knows the device by.")),
    "confirmed": (_("ready for use"), _("Whether the device may be used to log in.")),
    "created_at": (_("added"), None),
    "last_used_at": (_("last used"), None),
    "throttling_failure_timestamp": (
        _("last failed attempt"),
        _("When the last wrong code was given; new attempts wait longer after each."),
    ),
    "throttling_failure_count": (
        _("failed attempts in a row"),
        _("How many wrong codes were given one after the other."),
    ),
}
TOTP_FIELDS: dict[str, tuple[Promise, Promise | None]] = {
    "key": (_("secret key"), _("The shared secret, hex-encoded, up to 40 bytes.")),
    "step": (_("time step (seconds)"), _("How many seconds each code is valid for.")),
    "t0": (_("start time (Unix time)"), _("The moment the time steps are counted from.")),
    "digits": (_("digits per code"), _("How many digits a code from the app has.")),
    "tolerance": (
        _("tolerance (time steps)"),
        _("How many time steps before or after the current one a code is accepted."),
    ),
    "drift": (
        _("clock drift (time steps)"),
        _("How many time steps the device's clock is known to be off."),
    ),
    "last_t": (_("last time step used"), _("A code must be of a later time step than this.")),
}
TOKEN_FIELDS: dict[str, tuple[Promise, Promise | None]] = {
    "device": (_("backup code list"), None),
    "token": (pgettext_lazy("one-time", "backup code"), None),
}
ERROR_TRACE = _("error trace")
NOT_BEFORE = _("not before")
TASK_FIELDS: dict[str, Promise] = {
    "id": _("task ID"),
    "status": _("state"),
    "enqueued_at": _("queued"),
    "started_at": _("started"),
    "finished_at": _("finished"),
    "args_kwargs": _("arguments"),
    "priority": _("priority"),
    "task_path": _("task"),
    "worker_ids": _("workers"),
    "queue_name": _("queue"),
    "backend_name": _("task backend"),
    "run_after": NOT_BEFORE,
    "return_value": _("result"),
    "exception_class_path": _("error"),
    "traceback": ERROR_TRACE,
}


def _name_fields(model: type[Model], labels: dict[str, tuple[Promise, Promise | None]]) -> None:
    for name, (label, _help_text) in labels.items():
        model._meta.get_field(name).verbose_name = label  # type: ignore[union-attr]


def _help_texts(labels: dict[str, tuple[Promise, Promise | None]]) -> dict[str, Promise]:
    return {name: help_text for name, (_label, help_text) in labels.items() if help_text}


_name_fields(TOTPDevice, {**DEVICE_FIELDS, **TOTP_FIELDS})
_name_fields(StaticDevice, DEVICE_FIELDS)
_name_fields(StaticToken, TOKEN_FIELDS)
_name_fields(DBTaskResult, {name: (label, None) for name, label in TASK_FIELDS.items()})

DEVICE_SEARCH_HELP = _("Search by the member of staff's user name or e-mail address.")
IDENTITY = _("Device")
TIMES = _("Times")


class _DeviceFieldsets:
    """The packages' fieldsets with the staff's words for their titles, and the form fields'
    help texts in the staff's words (given to the form field: set on the model field they would
    change the package's migration state)."""

    HELP: dict[str, Promise] = {}

    TITLES = {
        "Identity": IDENTITY,
        "Timestamps": TIMES,
        "Configuration": _("Settings"),
        "State": _("Clock"),
        "Throttling": _("Failed attempts"),
    }

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)  # type: ignore[misc]
        return [(self.TITLES.get(title, title), options) for title, options in fieldsets]

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]
        if formfield is not None and db_field.name in self.HELP:
            formfield.help_text = self.HELP[db_field.name]
        return formfield


admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)
admin.site.unregister(DBTaskResult)


@admin.register(TOTPDevice)
class AuthenticatorAppAdmin(_DeviceFieldsets, TOTPDeviceAdmin):  # type: ignore[misc]
    search_help_text = DEVICE_SEARCH_HELP
    HELP = _help_texts({**DEVICE_FIELDS, **TOTP_FIELDS})

    @admin.display(description=_("QR code"))
    def qrcode_link(self, device: TOTPDevice) -> SafeString | str:
        href = reverse("admin:otp_totp_totpdevice_config", kwargs={"pk": device.pk})
        return format_html('<a href="{}">{}</a>', href, _("Show the QR code"))


@admin.register(StaticDevice)
class BackupCodeListAdmin(_DeviceFieldsets, StaticDeviceAdmin):  # type: ignore[misc]
    search_help_text = DEVICE_SEARCH_HELP
    HELP = _help_texts(DEVICE_FIELDS)


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    list_display = (
        "id",
        "task",
        "status",
        "enqueued_at",
        "started_at",
        "finished_at",
        "priority",
        "queue_name",
    )

    @admin.display(description=_("task"), ordering="task_path")
    def task(self, obj: DBTaskResult[Any, Any]) -> str:
        return str(obj.task_name)

    @admin.display(description=ERROR_TRACE)
    def formatted_traceback(self, obj: DBTaskResult[Any, Any]) -> str:
        return super().formatted_traceback(obj)

    @admin.display(description=NOT_BEFORE)
    def display_run_after(self, obj: DBTaskResult[Any, Any]) -> Any:
        return super().display_run_after(obj)
