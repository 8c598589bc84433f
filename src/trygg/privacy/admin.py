"""Back office for privacy: the register of processing activities (read by all staff), legal
holds (placed and lifted by the privacy officer, with who, why and when), and the kept reports
of retention runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from trygg.kernel import clock
from trygg.kernel.admin import (
    AuditedReadAdmin,
    ReadOnlyAdminMixin,
    WorkQueue,
    admin_page,
    work_queue_register,
)
from trygg.kernel.audit import staff_context
from trygg.kernel.errors import DomainError
from trygg.kernel.forms import apply_problems
from trygg.privacy import export, rules, subject
from trygg.privacy.explain import kept_reason
from trygg.privacy.models import (
    HoldKind,
    HoldState,
    LegalHold,
    Processing,
    RecipientNotice,
    RequestChannel,
    RequestKind,
    RetentionRun,
    SubjectRequest,
)
from trygg.privacy.services import (
    hold_lift,
    hold_place,
    subject_request_complete,
    subject_request_extend,
    subject_request_refuse,
    subject_request_register,
    subject_request_verify,
)


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


class UrgencyFilter(admin.SimpleListFilter):
    """Open requests by their deadline: overdue, due within a week, on time."""

    title = gettext_lazy("deadline")
    parameter_name = "due"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            (rules.Urgency.OVERDUE, gettext_lazy("Overdue")),
            (rules.Urgency.DUE_SOON, gettext_lazy("Due within a week")),
            ("open", gettext_lazy("All open")),
        ]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        today = clock.today()
        open_ = queryset.filter(state__in=list(rules.OPEN_REQUEST_STATES))
        if self.value() == rules.Urgency.OVERDUE:
            return open_.filter(due_on__lt=today)
        if self.value() == rules.Urgency.DUE_SOON:
            return open_.filter(
                due_on__gte=today, due_on__lte=today + dt.timedelta(days=rules.DUE_SOON_DAYS)
            )
        if self.value() == "open":
            return open_
        return queryset


class RegisterForm(forms.Form):
    id_number = forms.CharField(label=gettext_lazy("Personal identity number"), max_length=20)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=RequestKind.choices)
    channel = forms.ChoiceField(
        label=gettext_lazy("Came by"),
        choices=[c for c in RequestChannel.choices if c[0] != RequestChannel.PORTAL],
    )
    received_on = forms.DateField(label=gettext_lazy("Received (YYYY-MM-DD)"))
    details = forms.CharField(
        label=gettext_lazy("What the person asks"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    verified_how = forms.CharField(
        label=gettext_lazy("Identity verified by (empty: not yet)"), required=False, max_length=200
    )


class VerifyForm(forms.Form):
    how = forms.CharField(
        label=gettext_lazy("How was the identity verified?"),
        max_length=200,
        help_text=gettext_lazy(
            "For instance: a call-back to the registered number, a letter to the registered "
            "address, BankID."
        ),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reasons, as the person will read them"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CompleteForm(forms.Form):
    answer = forms.CharField(
        label=gettext_lazy("Answer to the person"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    corrected = forms.CharField(
        label=gettext_lazy("Corrected fields (rectification), one per line: app.Model.field"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _notice_line(notice: RecipientNotice) -> str:
    """One recipient's notice as staff read it: whether, when and where it was told, or why
    it could not be."""
    values = {
        "recipient": notice.recipient_name,
        "address": notice.address,
        "state": notice.get_state_display(),
        "reason": notice.get_reason_display(),
        "sent": timezone.localtime(notice.sent_at).strftime("%Y-%m-%d %H:%M")
        if notice.sent_at
        else "",
        "error": notice.message.error if notice.message else "",
    }
    if notice.state == rules.NoticeState.SENT:
        return _("%(recipient)s: sent to %(address)s on %(sent)s") % values
    if notice.state == rules.NoticeState.NOT_POSSIBLE:
        return _("%(recipient)s: not possible. %(reason)s") % values
    if notice.state == rules.NoticeState.FAILED:
        return _("%(recipient)s: not delivered to %(address)s (%(error)s)") % values
    return _("%(recipient)s: %(state)s, to %(address)s") % values


@admin.register(SubjectRequest)
class SubjectRequestAdmin(AuditedReadAdmin):
    """The queue of data subject requests: what is due and overdue first; each step on its
    own page (verify, extend, answer, refuse), through the services."""

    audit_object_type = "subject-request"
    audit_subject_path = "party_id"
    list_display = (
        "due_on",
        "urgency",
        "kind",
        "state",
        "channel",
        "subject_ref",
        "received_on",
        "free_copy",
    )
    list_filter = (UrgencyFilter, "state", "kind", "channel")
    search_fields = ("=subject_ref",)
    ordering = ("due_on", "pk")
    exclude = ("export",)
    readonly_fields = [
        f.name for f in SubjectRequest._meta.fields if f.name not in ("export", "id")
    ] + ["export_summary", "recipient_notices"]
    change_form_template = "admin/privacy/subjectrequest/change_form.html"

    @admin.display(description=gettext_lazy("notices to the recipients (Art. 19)"))
    def recipient_notices(self, obj: SubjectRequest) -> SafeString | str:
        found = list(obj.notices.select_related("message"))
        if not found:
            return "-"
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li>{}</li>", ((_notice_line(n),) for n in found)),
        )

    @admin.display(description=gettext_lazy("deadline"))
    def urgency(self, obj: SubjectRequest) -> str:
        if not obj.is_open:
            return "-"
        labels = {
            rules.Urgency.OVERDUE: _("Overdue"),
            rules.Urgency.DUE_SOON: _("Due within a week"),
            rules.Urgency.ON_TIME: _("On time"),
        }
        return str(labels[rules.urgency(obj.due_on, clock.today())])

    @admin.display(description=gettext_lazy("export"))
    def export_summary(self, obj: SubjectRequest) -> str:
        if not obj.export:
            return "-"
        return _("%(sections)s kinds of data, %(rows)s records") % {
            "sections": obj.outcome.get("sections", 0),
            "rows": obj.outcome.get("rows", 0),
        }

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # moved through its own pages, never edited

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[Any]:
        return [
            *(
                path(
                    f"<id:object_id>/{step}/",
                    self.admin_site.admin_view(self.step_view),
                    {"step": step},
                    name=f"privacy_subjectrequest_{step}",
                )
                for step in self.STEPS
            ),
            *super().get_urls(),
        ]

    STEPS = ("verify", "extend", "complete", "refuse")

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        if not self.has_add_permission(request):
            raise DjangoPermissionDenied
        form = RegisterForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                found = subject_request_register(ctx=staff_context(request), **form.cleaned_data)
            except DomainError as error:
                apply_problems(form, error)
            else:
                messages.success(request, _("The request is registered."))
                return HttpResponseRedirect(
                    reverse("admin:privacy_subjectrequest_change", args=[found.pk])
                )
        return admin_page(
            self,
            request,
            "admin/privacy/legalhold/form.html",
            _("Register a request that came by letter, telephone or e-mail"),
            form=form,
        )

    def step_view(self, request: HttpRequest, object_id: int, step: str) -> HttpResponse:
        if step not in self.STEPS or not request.user.has_perm("privacy.change_subjectrequest"):
            raise DjangoPermissionDenied
        found = get_object_or_404(SubjectRequest, pk=object_id)
        self.audit_read(request, found, view=step)
        form_class: type[forms.Form] = {
            "verify": VerifyForm,
            "extend": ReasonForm,
            "complete": CompleteForm,
            "refuse": ReasonForm,
        }[step]
        form = form_class(request.POST or None)
        if request.method == "POST" and form.is_valid():
            ctx = staff_context(request)
            data = form.cleaned_data
            try:
                if step == "verify":
                    subject_request_verify(ctx=ctx, request_id=found.pk, how=data["how"])
                elif step == "extend":
                    subject_request_extend(ctx=ctx, request_id=found.pk, reason=data["reason"])
                elif step == "refuse":
                    subject_request_refuse(ctx=ctx, request_id=found.pk, reason=data["reason"])
                else:
                    subject_request_complete(
                        ctx=ctx,
                        request_id=found.pk,
                        answer=data["answer"],
                        corrected=data["corrected"].split(),
                    )
            except DomainError as error:
                apply_problems(form, error)
            else:
                messages.success(request, _("The request is updated."))
                return HttpResponseRedirect(
                    reverse("admin:privacy_subjectrequest_change", args=[found.pk])
                )
        titles = {
            "verify": _("Verify the identity"),
            "extend": _("Extend the deadline by two months"),
            "complete": _("Answer the request"),
            "refuse": _("Refuse the request"),
        }
        context: dict[str, Any] = {"form": form, "original": found}
        if step == "complete" and found.kind == RequestKind.ERASURE and found.party_id:
            plan = subject.erasure_plan(found.party_id, clock.today())
            context["plan"] = plan
            context["plan_kept"] = [
                (kept_reason(reason), sorted(per)) for reason, per in sorted(plan.kept.items())
            ]
        return admin_page(
            self,
            request,
            "admin/privacy/subjectrequest/step.html",
            f"{titles[step]}: {found}",
            **context,
        )

    def render_change_form(
        self, request: HttpRequest, context: Any, *args: Any, **kwargs: Any
    ) -> Any:
        obj = context.get("original")
        steps: list[str] = []
        if obj is not None and request.user.has_perm("privacy.change_subjectrequest"):
            allowed = rules.REQUEST_TRANSITIONS[rules.RequestState(obj.state)]
            targets = {
                "verify": rules.RequestState.VERIFIED,
                "extend": rules.RequestState.EXTENDED,
                "complete": rules.RequestState.COMPLETED,
                "refuse": rules.RequestState.REFUSED,
            }
            steps = [s for s, to in targets.items() if to in allowed]
        context["steps"] = steps
        return super().render_change_form(request, context, *args, **kwargs)


work_queue_register(
    WorkQueue(
        gettext_lazy("Data subject requests: identity to verify"),
        "privacy.change_subjectrequest",
        SubjectRequest,
        {"state__exact": rules.RequestState.RECEIVED.value},
    )
)
work_queue_register(
    WorkQueue(
        gettext_lazy("Data subject requests being handled"),
        "privacy.change_subjectrequest",
        SubjectRequest,
        {"state__in": [rules.RequestState.VERIFIED.value, rules.RequestState.EXTENDED.value]},
        {"state__in": f"{rules.RequestState.VERIFIED.value},{rules.RequestState.EXTENDED.value}"},
    )
)
