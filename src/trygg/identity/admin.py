"""Back office for staff users and PIN letters."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _

from trygg.identity import customer_admin  # noqa: F401  (registers the customer admin)
from trygg.identity.models import PinLetter, PinLetterStatus, StaffUser
from trygg.identity.services import pin_letter_dispatch
from trygg.kernel.admin import AuditedReadAdmin
from trygg.kernel.audit import staff_context
from trygg.kernel.errors import DomainError


@admin.register(StaffUser)
class StaffUserAdmin(UserAdmin):  # type: ignore[type-arg]
    pass


@admin.register(PinLetter)
class PinLetterAdmin(AuditedReadAdmin):
    audit_object_type = "pin_letter"
    audit_subject_path = "party_id"
    list_display = (
        "id",
        "party",
        "issued_at",
        "issued_by",
        "status",
        "dispatched_at",
        "print_link",
    )
    list_filter = ("status",)
    readonly_fields = (
        "party",
        "issued_at",
        "issued_by",
        "status",
        "dispatched_at",
        "dispatched_by",
    )
    fields = readonly_fields
    list_select_related = ("party",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("Print"))
    def print_link(self, obj: PinLetter) -> str:
        from django.utils.html import format_html

        if obj.status != PinLetterStatus.WAITING:
            return "–"
        return format_html('<a href="{}/print/">{}</a>', obj.pk, _("Print and mark sent"))

    def get_urls(self) -> list[Any]:
        return [
            path(
                "<int:letter_id>/print/",
                self.admin_site.admin_view(self.print_view),
                name="identity_pinletter_print",
            ),
            *super().get_urls(),
        ]

    def print_view(self, request: HttpRequest, letter_id: int) -> HttpResponseBase:
        if not request.user.has_perm("identity.issue_pin_letter"):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        letter = get_object_or_404(PinLetter, pk=letter_id)
        try:
            document = pin_letter_dispatch(ctx=staff_context(request), letter=letter)
        except DomainError as error:
            messages.error(request, str(error.message))
            from django.shortcuts import redirect

            return redirect("admin:identity_pinletter_changelist")
        response = HttpResponse(document, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="pin-letter-{letter.pk}.pdf"'
        return response
