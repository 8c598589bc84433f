"""Back office of contact and premises: sites with their controllers (a change on a date),
recorded interactions (reported to and handed over to the police by the security officer; the
police hold is lifted only by the privacy officer, on the legal hold's own page), reviews drawn
for the coach, and objections to direct marketing registered by customer service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.contact import selectors, services
from trygg.contact.models import (
    CallbackTask,
    Camera,
    CustodyEvent,
    FootageExport,
    FootageViewing,
    Interaction,
    Objection,
    ObjectionSource,
    Recipient,
    Review,
    Site,
    SiteController,
    SiteProcessing,
    SiteProcessor,
    SupportTicket,
    Survey,
    TicketHandler,
    Visit,
)
from trygg.identity.models import StaffUser
from trygg.kernel.admin import AuditedReadAdmin, ReadOnlyAdminMixin, admin_page
from trygg.kernel.audit import audit_record, staff_context
from trygg.kernel.errors import DomainError
from trygg.kernel.forms import apply_problems
from trygg.kernel.models import AuditAction
from trygg.parties.models import Party

FORM = "admin/contact/form.html"


class _ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ControllerInline(_ReadOnlyInline):
    model = SiteController
    fields = ("processing", "controller", "valid_from")


class ProcessorInline(_ReadOnlyInline):
    model = SiteProcessor
    fields = ("processing", "role")


class ControllerChangeForm(forms.Form):
    processing = forms.ChoiceField(label=gettext_lazy("Processing"), choices=SiteProcessing.choices)
    controller = forms.CharField(label=gettext_lazy("Controller"), max_length=200)
    valid_from = forms.DateField(
        label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"})
    )


@admin.register(Site)
class SiteAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("address", "visitor_rule", "camera_rule", "parking")
    fields = ("code", "address", "visitor_rule", "camera_rule", "parking")
    inlines = [ControllerInline, ProcessorInline]

    def get_urls(self) -> list[Any]:
        own = [
            path(
                "<id:object_id>/controller/",
                self.admin_site.admin_view(self.controller_view),
                name="contact_site_controller",
            )
        ]
        return own + super().get_urls()

    def controller_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        if not request.user.has_perm("contact.change_site"):
            raise DjangoPermissionDenied
        site = get_object_or_404(Site, pk=object_id)
        form = ControllerChangeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.site_controller_change(
                    ctx=staff_context(request), site_id=site.pk, **form.cleaned_data
                )
            except DomainError as error:
                apply_problems(form, error)
            else:
                messages.success(request, _("The change of controller is recorded."))
                return HttpResponseRedirect(reverse("admin:contact_site_change", args=[site.pk]))
        return admin_page(
            self, request, FORM, _("Change of controller at %(site)s") % {"site": site}, form=form
        )


class ReportForm(forms.Form):
    police_reference = forms.CharField(label=gettext_lazy("Police reference"), max_length=100)
    reason = forms.CharField(
        label=gettext_lazy("Why"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["police_reference"].required = False  # the service names the rule


class ReleaseForm(forms.Form):
    police_reference = forms.CharField(
        label=gettext_lazy("Police reference"), max_length=100, required=False
    )
    handed_over = forms.CharField(
        label=gettext_lazy("What was handed over"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("The file and the time, circumstances and participants given."),
    )


@admin.register(Interaction)
class InteractionAdmin(ReadOnlyAdminMixin, AuditedReadAdmin):
    audit_object_type = "interaction"
    audit_subject_path = "party_id"
    list_display = ("started_at", "purpose", "channel", "matter", "state", "employee")
    list_filter = ("purpose", "state", "channel")
    fields = (
        "purpose",
        "channel",
        "matter",
        "controller",
        "state",
        "contact_detail",
        "party",
        "employee",
        "started_at",
    )

    def get_urls(self) -> list[Any]:
        own = [
            path(
                "<id:object_id>/report/",
                self.admin_site.admin_view(self.report_view),
                name="contact_interaction_report",
            ),
            path(
                "<id:object_id>/release/",
                self.admin_site.admin_view(self.release_view),
                name="contact_interaction_release",
            ),
            path(
                "<id:object_id>/file/",
                self.admin_site.admin_view(self.file_view),
                name="contact_interaction_file",
            ),
        ]
        return own + super().get_urls()

    def _read(self, request: HttpRequest, object_id: int) -> Interaction:
        try:
            return selectors.interaction_get(ctx=staff_context(request), interaction_id=object_id)
        except DomainError:
            raise DjangoPermissionDenied from None

    def report_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        if not request.user.has_perm("contact.report_interaction"):
            raise DjangoPermissionDenied
        interaction = self._read(request, object_id)
        form = ReportForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.interaction_report_to_police(
                    ctx=staff_context(request),
                    interaction_id=interaction.pk,
                    reported_by=request.user,  # type: ignore[arg-type]
                    **form.cleaned_data,
                )
            except DomainError as error:
                apply_problems(form, error)
            else:
                messages.success(
                    request, _("Reported: a legal hold keeps the recording until it is lifted.")
                )
                return HttpResponseRedirect(
                    reverse("admin:contact_interaction_change", args=[interaction.pk])
                )
        return admin_page(
            self, request, FORM, _("Report %(i)s to the police") % {"i": interaction}, form=form
        )

    def release_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        if not request.user.has_perm("contact.release_interaction"):
            raise DjangoPermissionDenied
        interaction = self._read(request, object_id)
        form = ReleaseForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.interaction_release_to_police(
                    ctx=staff_context(request),
                    interaction_id=interaction.pk,
                    released_by=request.user,  # type: ignore[arg-type]
                    **form.cleaned_data,
                )
            except DomainError as error:
                apply_problems(form, error)
            else:
                messages.success(request, _("The release to the police is recorded."))
                return HttpResponseRedirect(
                    reverse("admin:contact_interaction_change", args=[interaction.pk])
                )
        return admin_page(
            self, request, FORM, _("Hand %(i)s over to the police") % {"i": interaction}, form=form
        )

    def file_view(self, request: HttpRequest, object_id: int) -> HttpResponseBase:
        if not request.user.has_perm("contact.view_interaction"):
            raise DjangoPermissionDenied
        interaction = self._read(request, object_id)
        stored = getattr(interaction, "file", None)
        if stored is None:
            raise DjangoPermissionDenied
        return FileResponse(
            services.recordings_storage().open(stored.name, "rb"),
            content_type=stored.content_type,
            as_attachment=True,
            filename=f"recording-{interaction.pk}",
        )


class DrawForm(forms.Form):
    employee = forms.ModelChoiceField(
        label=gettext_lazy("Employee"), queryset=StaffUser.objects.filter(is_active=True)
    )
    count = forms.IntegerField(label=gettext_lazy("How many"), min_value=1, initial=2)


class ReviewForm(forms.Form):
    notes = forms.CharField(
        label=gettext_lazy("What was discussed"), widget=forms.Textarea(attrs={"rows": 4})
    )


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdminMixin, AuditedReadAdmin):
    audit_object_type = "review"
    audit_subject_path = "interaction__party_id"
    list_display = ("interaction", "coach", "drawn_at", "reviewed_at")

    def get_urls(self) -> list[Any]:
        own = [
            path(
                "draw/",
                self.admin_site.admin_view(self.draw_view),
                name="contact_review_draw",
            ),
            path(
                "<id:object_id>/record/",
                self.admin_site.admin_view(self.record_view),
                name="contact_review_record",
            ),
        ]
        return own + super().get_urls()

    def draw_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("contact.add_review"):
            raise DjangoPermissionDenied
        form = DrawForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                drawn = services.review_draw(
                    ctx=staff_context(request),
                    employee=form.cleaned_data["employee"],
                    coach=request.user,  # type: ignore[arg-type]
                    count=form.cleaned_data["count"],
                )
            except DomainError as error:
                apply_problems(form, error)
            else:
                messages.success(
                    request, _("%(n)d recordings drawn for review.") % {"n": len(drawn)}
                )
                return HttpResponseRedirect(reverse("admin:contact_review_changelist"))
        return admin_page(self, request, FORM, _("Draw recordings for review"), form=form)

    def record_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        if not request.user.has_perm("contact.change_review"):
            raise DjangoPermissionDenied
        review = get_object_or_404(Review.objects.select_related("interaction"), pk=object_id)
        audit_record(
            ctx=staff_context(request),
            action=AuditAction.READ,
            subject_id=review.interaction.party_id,
            object_type="review",
            object_id=review.pk,
        )
        form = ReviewForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.review_record(
                    ctx=staff_context(request), review_id=review.pk, **form.cleaned_data
                )
            except DomainError as error:
                apply_problems(form, error)
            else:
                return HttpResponseRedirect(reverse("admin:contact_review_changelist"))
        return admin_page(self, request, FORM, _("Review of %(r)s") % {"r": review}, form=form)


class ObjectionForm(forms.Form):
    customer_number = forms.CharField(
        label=gettext_lazy("Customer number"), required=False, max_length=12
    )
    contact_detail = forms.CharField(
        label=gettext_lazy("Or the e-mail address or phone number"),
        required=False,
        max_length=200,
    )


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdminMixin, AuditedReadAdmin):
    audit_object_type = "objection"
    audit_subject_path = "party_id"
    list_display = ("received_at", "party", "contact_detail", "source", "recorded_by")
    list_filter = ("source",)

    def get_urls(self) -> list[Any]:
        own = [
            path(
                "register/",
                self.admin_site.admin_view(self.register_view),
                name="contact_objection_register",
            )
        ]
        return own + super().get_urls()

    def register_view(self, request: HttpRequest) -> HttpResponse:
        """An objection that came to customer service (phone, letter, e-mail)."""
        if not request.user.has_perm("contact.add_objection"):
            raise DjangoPermissionDenied
        form = ObjectionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            number = form.cleaned_data["customer_number"].strip()
            party = Party.objects.filter(customer_number=number).first() if number else None
            if number and party is None:
                form.add_error("customer_number", _("There is no customer with that number."))
            else:
                try:
                    services.objection_record(
                        ctx=staff_context(request),
                        source=ObjectionSource.CUSTOMER_SERVICE,
                        party=party,
                        contact_detail=form.cleaned_data["contact_detail"],
                    )
                except DomainError as error:
                    apply_problems(form, error)
                else:
                    messages.success(request, _("The objection is recorded."))
                    return HttpResponseRedirect(reverse("admin:contact_objection_changelist"))
        return admin_page(self, request, FORM, _("Register an objection"), form=form)


@admin.register(Survey)
class SurveyAdmin(ReadOnlyAdminMixin, AuditedReadAdmin):
    audit_object_type = "survey"
    audit_subject_path = "party_id"
    list_display = ("created_at", "team", "channel", "state", "nps", "satisfaction")
    list_filter = ("state", "channel", "team")
    exclude = ("contact_key",)

    def get_urls(self) -> list[Any]:
        own = [
            path(
                "statistics/",
                self.admin_site.admin_view(self.statistics_view),
                name="contact_survey_statistics",
            )
        ]
        return own + super().get_urls()

    def statistics_view(self, request: HttpRequest) -> HttpResponse:
        """Satisfaction per team and month (no person in the figures)."""
        if not request.user.has_perm("contact.view_survey"):
            raise DjangoPermissionDenied
        return admin_page(
            self,
            request,
            "admin/contact/survey/statistics.html",
            _("Satisfaction per team and month"),
            rows=selectors.survey_statistics(),
        )


class CallbackForm(forms.Form):
    outcome = forms.CharField(
        label=gettext_lazy("What came of the call"), widget=forms.Textarea(attrs={"rows": 4})
    )


@admin.register(CallbackTask)
class CallbackTaskAdmin(ReadOnlyAdminMixin, AuditedReadAdmin):
    audit_object_type = "survey-callback"
    audit_subject_path = "survey__party_id"
    list_display = ("opened_at", "survey", "done_at", "done_by")
    list_filter = ("done_at",)

    def get_urls(self) -> list[Any]:
        own = [
            path(
                "<id:object_id>/done/",
                self.admin_site.admin_view(self.done_view),
                name="contact_callbacktask_done",
            )
        ]
        return own + super().get_urls()

    def done_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        if not request.user.has_perm("contact.change_callbacktask"):
            raise DjangoPermissionDenied
        task = get_object_or_404(CallbackTask.objects.select_related("survey"), pk=object_id)
        audit_record(
            ctx=staff_context(request),
            action=AuditAction.READ,
            subject_id=task.survey.party_id,
            object_type="survey-callback",
            object_id=task.pk,
        )
        form = CallbackForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.callback_done(
                    ctx=staff_context(request),
                    callback_id=task.pk,
                    user=request.user,  # type: ignore[arg-type]
                    outcome=form.cleaned_data["outcome"],
                )
            except DomainError as error:
                apply_problems(form, error)
            else:
                return HttpResponseRedirect(reverse("admin:contact_callbacktask_changelist"))
        title = _("Call back %(contact)s") % {"contact": task.survey.contact_detail}
        return admin_page(self, request, FORM, title, form=form)


class SignInForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200, required=False)
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=40, required=False)
    company = forms.CharField(label=gettext_lazy("Company"), max_length=200, required=False)
    host = forms.ModelChoiceField(
        label=gettext_lazy("Host"),
        queryset=StaffUser.objects.filter(is_active=True).order_by("username"),
        required=False,
    )
    car = forms.CharField(
        label=gettext_lazy("Car registration (parking)"), max_length=10, required=False
    )


class VisitReleaseForm(forms.Form):
    recipient = forms.ChoiceField(label=gettext_lazy("To"), choices=Recipient.choices)
    reference = forms.CharField(label=gettext_lazy("Their reference"), required=False)
    handed_over = forms.CharField(
        label=gettext_lazy("What was handed over"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdminMixin, AuditedReadAdmin):
    """The reception desk: sign a visitor in (the host is told), tell the visitor the host is on
    the way, issue a card, sign out; the evacuation list of who is inside now; a release to the
    rescue service or an authority."""

    audit_object_type = "visit"
    audit_subject_path = "party_id"  # visitors are not customers: the read names the visit
    list_display = ("signed_in_at", "name", "company", "site", "host", "state")
    list_filter = ("site", "state")

    def get_urls(self) -> list[Any]:
        own = [
            path(
                "reception/<id:site_id>/",
                self.admin_site.admin_view(self.reception_view),
                name="contact_visit_reception",
            ),
            path(
                "reception/<id:site_id>/release/",
                self.admin_site.admin_view(self.release_view),
                name="contact_visit_release",
            ),
        ]
        return own + super().get_urls()

    def reception_view(self, request: HttpRequest, site_id: int) -> HttpResponse:
        if not request.user.has_perm("contact.add_visit"):
            raise DjangoPermissionDenied
        site = get_object_or_404(Site, pk=site_id)
        ctx = staff_context(request)
        form = SignInForm(request.POST if "sign_in" in request.POST else None)
        if request.method == "POST":
            try:
                if "sign_in" in request.POST and form.is_valid():
                    services.visit_sign_in(ctx=ctx, site_id=site.pk, **form.cleaned_data)
                    messages.success(request, _("Signed in: the host is told."))
                    return HttpResponseRedirect(request.path)
                for action, service in (
                    ("sign_out", services.visit_sign_out),
                    ("host_coming", services.visit_host_coming),
                ):
                    if action in request.POST:
                        service(ctx=ctx, visit_id=int(request.POST[action]))
                        return HttpResponseRedirect(request.path)
                if "card" in request.POST:
                    services.visit_card_issue(
                        ctx=ctx,
                        visit_id=int(request.POST.get("visit", "0") or 0),
                        card=request.POST["card"],
                    )
                    return HttpResponseRedirect(request.path)
            except DomainError as error:
                if "sign_in" in request.POST:
                    apply_problems(form, error)
                else:
                    messages.error(request, error.message)
            except ValueError:
                messages.error(request, _("There is no such visit."))
        return admin_page(
            self,
            request,
            "admin/contact/visit/reception.html",
            _("Reception, %(site)s") % {"site": site},
            site=site,
            form=form,
            inside=selectors.evacuation_list(ctx=ctx, site_id=site.pk),
        )

    def release_view(self, request: HttpRequest, site_id: int) -> HttpResponse:
        if not request.user.has_perm("contact.add_visitrelease"):
            raise DjangoPermissionDenied
        site = get_object_or_404(Site, pk=site_id)
        ctx = staff_context(request)
        inside = selectors.evacuation_list(ctx=ctx, site_id=site.pk)
        form = VisitReleaseForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.visit_release(
                    ctx=ctx,
                    site_id=site.pk,
                    visit_ids=[v.pk for v in inside],
                    released_by=request.user,  # type: ignore[arg-type]
                    **form.cleaned_data,
                )
            except DomainError as error:
                apply_problems(form, error)
            else:
                messages.success(request, _("The release is recorded."))
                return HttpResponseRedirect(
                    reverse("admin:contact_visit_reception", args=[site.pk])
                )
        return admin_page(
            self,
            request,
            FORM,
            _("Hand the evacuation list of %(site)s over") % {"site": site},
            form=form,
        )


@admin.register(Camera)
class CameraAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Cameras and their signs per site (no personal data): kept by the security officer."""

    list_display = ("site", "place", "signage", "active")
    list_filter = ("site", "active")


class CustodyInline(_ReadOnlyInline):
    model = CustodyEvent
    fields = ("action", "by", "to", "at", "sha256")


@admin.register(FootageViewing)
class FootageViewingAdmin(ReadOnlyAdminMixin, AuditedReadAdmin):
    audit_object_type = "footage"
    audit_subject_path = "party_id"  # footage names nobody by id: the read names the viewing
    list_display = ("viewed_at", "site", "cameras", "recorded_on", "viewed_by")
    list_filter = ("site",)


@admin.register(FootageExport)
class FootageExportAdmin(ReadOnlyAdminMixin, AuditedReadAdmin):
    audit_object_type = "footage-export"
    audit_subject_path = "party_id"
    list_display = ("exported_at", "site", "recorded_on", "police_reference", "state")
    inlines = [CustodyInline]


class HandlerInline(_ReadOnlyInline):
    model = TicketHandler
    fields = ("name", "processor", "country", "safeguard", "added_at")


@admin.register(SupportTicket)
class SupportTicketAdmin(ReadOnlyAdminMixin, AuditedReadAdmin):
    audit_object_type = "ticket"
    audit_subject_path = "party_id"
    list_display = ("id", "opened_at", "state", "closed_at", "party")
    list_filter = ("state",)
    inlines = [HandlerInline]
