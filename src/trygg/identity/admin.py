"""Back office for staff users and PIN letters."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from trygg.identity import customer_admin  # noqa: F401  (registers the customer admin)
from trygg.identity.models import PinLetter, PinLetterStatus, SecurityToken, StaffUser
from trygg.identity.services import pin_letter_dispatch
from trygg.identity.tokens import token_dispatch, token_hand_over, token_report_lost, token_revoke
from trygg.kernel.admin import (
    AuditedReadAdmin,
    IdNumberSearchMixin,
    WorkQueue,
    admin_page,
    work_queue_register,
)
from trygg.kernel.audit import staff_context
from trygg.kernel.errors import DomainError

PERMISSION_ACTIONS = {
    "add": _("add"),
    "change": _("change"),
    "delete": _("delete"),
    "view": _("view"),
}


def permission_label(permission: Permission) -> str:
    """A permission in the staff member's language: Django stores its name in English when the
    permission is created, so the label is made from the translated model name (the four
    default permissions) or the translated text of the model's own permission."""
    model = permission.content_type.model_class()
    if model is None:
        return permission.name
    opts = model._meta
    action, _sep, model_name = permission.codename.partition("_")
    if model_name == opts.model_name and action in PERMISSION_ACTIONS:
        text = gettext("Can %(action)s %(what)s") % {
            "action": PERMISSION_ACTIONS[action],
            "what": opts.verbose_name,
        }
    else:
        text = gettext(permission.name)
    return f"{capfirst(opts.app_config.verbose_name)} | {text}"


class TranslatedPermissionsMixin:
    """The permission choices of a role or a user, each in the staff member's language, in a
    plain list of check boxes (Django's two-box filter widget marks up its icons with ARIA
    attributes their element may not carry: a serious accessibility finding)."""

    filter_horizontal: Sequence[str] = ()

    def formfield_for_manytomany(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        if db_field.name in ("permissions", "user_permissions", "groups"):
            kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        field = super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]
        if db_field.name in ("permissions", "user_permissions") and field is not None:
            field.label_from_instance = permission_label
        return field


@admin.register(StaffUser)
class StaffUserAdmin(TranslatedPermissionsMixin, UserAdmin):  # type: ignore[type-arg,misc]
    pass


if admin.site.is_registered(Group):  # Django's own, replaced by one in the user's language
    admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(TranslatedPermissionsMixin, GroupAdmin):  # type: ignore[misc]
    pass


@admin.register(PinLetter)
class PinLetterAdmin(IdNumberSearchMixin, AuditedReadAdmin):
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
    search_fields = ("=party__customer_number",)
    id_number_search_fields = ("party__id_number",)
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
                "<id:letter_id>/print/",
                self.admin_site.admin_view(self.print_view),
                name="identity_pinletter_print",
            ),
            *super().get_urls(),
        ]

    def print_view(self, request: HttpRequest, letter_id: int) -> HttpResponseBase:
        """GET asks (changes nothing); POST hands the PDF over once and wipes it."""
        if not request.user.has_perm("identity.issue_pin_letter"):
            raise DjangoPermissionDenied
        letter = get_object_or_404(PinLetter.objects.select_related("party"), pk=letter_id)
        if request.method != "POST":
            return admin_page(
                self,
                request,
                "admin/identity/pinletter/print.html",
                _("Print PIN letter %(id)s") % {"id": letter.pk},
                letter=letter,
            )
        try:
            document = pin_letter_dispatch(ctx=staff_context(request), letter=letter)
        except DomainError as error:
            messages.error(request, str(error.message))
            return redirect("admin:identity_pinletter_changelist")
        response = HttpResponse(document, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="pin-letter-{letter.pk}.pdf"'
        return response


class TokenDispatchForm(forms.Form):
    tracking_number = forms.CharField(
        label=_("Registered post number"),
        max_length=32,
        required=False,
        help_text=_("Leave empty to keep the token at the office for collection."),
    )


@admin.register(SecurityToken)
class SecurityTokenAdmin(IdNumberSearchMixin, AuditedReadAdmin):
    audit_object_type = "security_token"
    audit_subject_path = "party_id"
    list_display = ("serial", "party", "kind", "state", "ordered_at", "sent_at", "activated_at")
    list_filter = ("state", "kind")
    search_fields = ("=serial", "=party__customer_number")
    id_number_search_fields = ("party__id_number",)
    readonly_fields = (
        "party",
        "serial",
        "kind",
        "suite",
        "state",
        "ordered_at",
        "sent_at",
        "tracking_number",
        "activated_at",
        "closed_at",
    )
    fields = readonly_fields
    list_select_related = ("party",)
    actions = ["hand_over", "report_lost", "revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def _each(self, request: HttpRequest, queryset: Any, service: Any, done: str) -> None:
        for token in queryset:
            try:
                service(ctx=staff_context(request), token=token)
            except DomainError as error:
                messages.error(request, f"{token.serial}: {error.message}")
            else:
                messages.success(request, f"{token.serial}: {done}")

    @admin.action(
        description=_("Hand over at the office (identity checked)"), permissions=["change"]
    )
    def hand_over(self, request: HttpRequest, queryset: Any) -> None:
        self._each(request, queryset, token_hand_over, str(_("active")))

    @admin.action(description=_("Report lost"), permissions=["change"])
    def report_lost(self, request: HttpRequest, queryset: Any) -> None:
        self._each(request, queryset, token_report_lost, str(_("reported lost")))

    @admin.action(description=_("Revoke"), permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: Any) -> None:
        self._each(request, queryset, token_revoke, str(_("revoked")))

    def get_urls(self) -> list[Any]:
        return [
            path(
                "<id:token_id>/dispatch/",
                self.admin_site.admin_view(self.dispatch_view),
                name="identity_securitytoken_dispatch",
            ),
            *super().get_urls(),
        ]

    def dispatch_view(self, request: HttpRequest, token_id: int) -> HttpResponseBase:
        if not request.user.has_perm("identity.change_securitytoken"):
            raise DjangoPermissionDenied
        token = get_object_or_404(SecurityToken, pk=token_id)
        self.audit_read(request, token, view="dispatch")
        form = TokenDispatchForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            tracking = form.cleaned_data["tracking_number"]
            try:
                token_dispatch(
                    ctx=staff_context(request),
                    token=token,
                    by_post=bool(tracking),
                    tracking_number=tracking,
                )
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                return redirect("admin:identity_securitytoken_change", token.pk)
        return admin_page(
            self,
            request,
            "admin/identity/securitytoken/dispatch.html",
            _("Send security token %(serial)s") % {"serial": token.serial},
            token=token,
            form=form,
        )


work_queue_register(
    WorkQueue(
        _("PIN letters to print"),
        "identity.issue_pin_letter",
        PinLetter,
        {"status__exact": PinLetterStatus.WAITING},
    )
)
