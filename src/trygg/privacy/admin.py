"""Back office for privacy: the register of processing activities (read by all staff), legal
holds (placed and lifted by the privacy officer, with who, why and when), and the kept reports
of retention runs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from trygg.kernel.admin import AuditedReadAdmin, ReadOnlyAdminMixin, admin_page
from trygg.kernel.audit import staff_context
from trygg.kernel.errors import DomainError
from trygg.kernel.forms import apply_problems
from trygg.privacy import export, rules
from trygg.privacy.models import HoldKind, HoldState, LegalHold, Processing, RetentionRun
from trygg.privacy.services import hold_lift, hold_place


@admin.register(Processing)
class ProcessingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    """The register as one page, in the staff member's language, with the exports."""

    def get_urls(self) -> list[Any]:
        """The register page and its exports; the register has no rows to open one by one."""
        return [
            path(
                "export/<str:kind>/",
                self.admin_site.admin_view(self.export_view),
                name="privacy_processing_export",
            ),
            path(
                "",
                self.admin_site.admin_view(self.changelist_view),
                name="privacy_processing_changelist",
            ),
        ]

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        if not self.has_view_permission(request):
            raise DjangoPermissionDenied
        language = get_language() or "en"
        return admin_page(
            self,
            request,
            "admin/privacy/processing/register.html",
            _("Register of processing activities"),
            records=export.records(language),
            formats=export.FORMATS,
        )

    def export_view(self, request: HttpRequest, kind: str) -> HttpResponse:
        if not self.has_view_permission(request) or kind not in export.FORMATS:
            raise DjangoPermissionDenied
        language = get_language() or "en"
        if kind == "pdf":
            content: bytes = export.register_pdf(language)
            mime = "application/pdf"
        elif kind == "csv":
            content, mime = export.register_csv(language).encode(), "text/csv; charset=utf-8"
        else:
            content, mime = export.register_json(language).encode(), "application/json"
        response = HttpResponse(content, content_type=mime)
        response["Content-Disposition"] = f'attachment; filename="processing-register.{kind}"'
        return response


class HoldForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=HoldKind.choices)
    subject_id = forms.CharField(
        label=gettext_lazy("Data subject (person's id)"), required=False, max_length=64
    )
    model = forms.CharField(
        label=gettext_lazy("Or one record: kind (app_label.Model)"), required=False, max_length=100
    )
    object_id = forms.CharField(label=gettext_lazy("Record id"), required=False, max_length=64)
    rule = forms.ChoiceField(
        label=gettext_lazy("Retention rule"),
        required=False,
        choices=[("", gettext_lazy("Every rule"))] + [(code, code) for code in rules.RULES],
    )
    reason = forms.CharField(label=gettext_lazy("Why"), widget=forms.Textarea(attrs={"rows": 3}))
    reference = forms.CharField(
        label=gettext_lazy("Reference (police report, case number)"),
        required=False,
        max_length=100,
    )


class LiftForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is the hold lifted?"), widget=forms.Textarea(attrs={"rows": 3})
    )


@admin.register(LegalHold)
class LegalHoldAdmin(AuditedReadAdmin):
    audit_object_type = "legal-hold"
    audit_subject_path = "subject_id"
    list_display = ("placed_at", "kind", "state", "subject_id", "model", "object_id", "rule")
    list_filter = ("state", "kind", "rule")
    search_fields = ("=subject_id", "=object_id", "reference")
    readonly_fields = [f.name for f in LegalHold._meta.fields]
    change_form_template = "admin/privacy/legalhold/change_form.html"

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # placed and lifted through their own pages, never edited

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[Any]:
        return [
            path(
                "<id:hold_id>/lift/",
                self.admin_site.admin_view(self.lift_view),
                name="privacy_legalhold_lift",
            ),
            *super().get_urls(),
        ]

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        if not self.has_add_permission(request):
            raise DjangoPermissionDenied
        form = HoldForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                hold = hold_place(ctx=staff_context(request), **form.cleaned_data)
            except DomainError as error:
                apply_problems(form, error)
            else:
                messages.success(request, _("The legal hold is placed."))
                return HttpResponseRedirect(
                    reverse("admin:privacy_legalhold_change", args=[hold.pk])
                )
        return self._page(request, _("Place a legal hold"), form=form)

    def lift_view(self, request: HttpRequest, hold_id: int) -> HttpResponse:
        if not request.user.has_perm("privacy.change_legalhold"):
            raise DjangoPermissionDenied
        hold = get_object_or_404(LegalHold, pk=hold_id)
        form = LiftForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                hold_lift(
                    ctx=staff_context(request), hold_id=hold.pk, reason=form.cleaned_data["reason"]
                )
            except DomainError as error:
                apply_problems(form, error)
            else:
                messages.success(request, _("The legal hold is lifted."))
                return HttpResponseRedirect(
                    reverse("admin:privacy_legalhold_change", args=[hold.pk])
                )
        return self._page(request, _("Lift the legal hold %(hold)s") % {"hold": hold}, form=form)

    def _page(self, request: HttpRequest, title: str, **context: Any) -> TemplateResponse:
        return admin_page(self, request, "admin/privacy/legalhold/form.html", title, **context)

    def render_change_form(
        self, request: HttpRequest, context: Any, *args: Any, **kwargs: Any
    ) -> Any:
        obj = context.get("original")
        context["can_lift"] = (
            obj is not None
            and obj.state == HoldState.ACTIVE
            and request.user.has_perm("privacy.change_legalhold")
        )
        return super().render_change_form(request, context, *args, **kwargs)


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("run_date", "dry_run", "total", "actor", "started_at", "finished_at")
    list_filter = ("dry_run",)
    date_hierarchy = "run_date"
    readonly_fields = [f.name for f in RetentionRun._meta.fields]

    @admin.display(description=gettext_lazy("rows"))
    def total(self, obj: RetentionRun) -> int:
        return obj.total
