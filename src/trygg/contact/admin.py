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


class CallForm(forms.Form):
    contact_detail = forms.CharField(
        label=gettext_lazy("Phone number"), max_length=40, required=False
    )
    customer_number = forms.CharField(
        label=gettext_lazy("Customer number"), required=False, max_length=12
    )
    matter = forms.CharField(label=gettext_lazy("Matter"), max_length=100, required=False)
    team = forms.CharField(label=gettext_lazy("Team"), max_length=100, required=False)
    controller = forms.CharField(
        label=gettext_lazy("Company that asks"), max_length=200, required=False
    )


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
            ),
            path(
                "call/",
                self.admin_site.admin_view(self.call_view),
                name="contact_survey_call",
            ),
            path(
                "<id:object_id>/answer/",
                self.admin_site.admin_view(self.answer_view),
                name="contact_survey_answer",
            ),
        ]
        return own + super().get_urls()

    def call_view(self, request: HttpRequest) -> HttpResponse:
        """A survey asked in a phone call: refused before the call for someone who objected."""
        if not request.user.has_perm("contact.add_survey"):
            raise DjangoPermissionDenied
        form = CallForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            number = form.cleaned_data["customer_number"].strip()
            party = Party.objects.filter(customer_number=number).first() if number else None
            if number and party is None:
                form.add_error("customer_number", _("There is no customer with that number."))
            else:
                try:
                    survey = services.survey_request(
                        ctx=staff_context(request),
                        matter=form.cleaned_data["matter"],
                        employee=request.user,  # type: ignore[arg-type]
                        team=form.cleaned_data["team"],
                        controller=form.cleaned_data["controller"],
                        channel="call",
                        contact_detail=form.cleaned_data["contact_detail"],
                        party=party,
                    )
                except DomainError as error:
                    apply_problems(form, error)
                else:
                    return HttpResponseRedirect(
                        reverse("admin:contact_survey_answer", args=[survey.pk])
                    )
        return admin_page(self, request, FORM, _("Ask for a survey by phone"), form=form)

    def answer_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """The answer given in the call, recorded by the employee who asked."""
        from trygg.contact.views import AnswerForm

        if not request.user.has_perm("contact.change_survey"):
            raise DjangoPermissionDenied
        survey = get_object_or_404(Survey, pk=object_id)
        if survey.channel != "call":
            messages.error(request, _("A survey sent by e-mail or SMS is answered from its link."))
            return HttpResponseRedirect(reverse("admin:contact_survey_change", args=[survey.pk]))
        audit_record(
            ctx=staff_context(request),
            action=AuditAction.READ,
            subject_id=survey.party_id,
            object_type="survey",
            object_id=survey.pk,
        )
        form = AnswerForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.survey_answer(
                    ctx=staff_context(request),
                    response_id=survey.response_id,
                    **form.cleaned_data,
                )
            except DomainError as error:
                apply_problems(form, error)
            else:
                messages.success(request, _("The answer is recorded."))
                return HttpResponseRedirect(
                    reverse("admin:contact_survey_change", args=[survey.pk])
                )
        title = _("The answer of %(contact)s") % {"contact": survey.contact_detail}
        return admin_page(self, request, FORM, title, form=form)

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

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """The list of visits leads to each site's reception desk."""
        return super().changelist_view(
            request, {**(extra_context or {}), "reception_sites": Site.objects.order_by("id")}
        )

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
        inside, left = selectors.reception_list(ctx=ctx, site_id=site.pk)
        return admin_page(
            self,
            request,
            "admin/contact/visit/reception.html",
            _("Reception, %(site)s") % {"site": site},
            site=site,
            form=form,
            inside=inside,
            left=left,
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


class ViewingForm(forms.Form):
    site = forms.ModelChoiceField(label=gettext_lazy("Site"), queryset=Site.objects.order_by("id"))
    recorded_on = forms.DateField(
        label=gettext_lazy("Footage of the day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    cameras = forms.CharField(label=gettext_lazy("Cameras"), max_length=200, required=False)
    reason = forms.CharField(
        label=gettext_lazy("The incident"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FootageExportForm(forms.Form):
    police_reference = forms.CharField(
        label=gettext_lazy("Police reference"), max_length=100, required=False
    )
    copy = forms.FileField(label=gettext_lazy("The exported copy"))


class CustodyForm(forms.Form):
    action = forms.ChoiceField(
        label=gettext_lazy("What happened"),
        choices=[
            ("handed-over", gettext_lazy("Handed over")),
            ("received", gettext_lazy("Received")),
        ],
    )
    by = forms.CharField(label=gettext_lazy("By"), max_length=200, required=False)
    to = forms.CharField(label=gettext_lazy("To"), max_length=200, required=False)


@admin.register(FootageViewing)
class FootageViewingAdmin(ReadOnlyAdminMixin, AuditedReadAdmin):
    """Footage is viewed after an incident only: the security officer records who, when, why
    and which cameras, and exports a copy for the police from the viewing."""

    audit_object_type = "footage"
    audit_subject_path = "party_id"  # footage names nobody by id: the read names the viewing
    list_display = ("viewed_at", "site", "cameras", "recorded_on", "viewed_by")
    list_filter = ("site",)

    def get_urls(self) -> list[Any]:
        own = [
            path(
                "record/",
                self.admin_site.admin_view(self.record_view),
                name="contact_footageviewing_record",
            ),
            path(
                "<id:object_id>/export/",
                self.admin_site.admin_view(self.export_view),
                name="contact_footageviewing_export",
            ),
        ]
        return own + super().get_urls()

    def record_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("contact.add_footageviewing"):
            raise DjangoPermissionDenied
        form = ViewingForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                viewing = services.footage_view(
                    ctx=staff_context(request),
                    site_id=form.cleaned_data["site"].pk,
                    cameras=form.cleaned_data["cameras"],
                    recorded_on=form.cleaned_data["recorded_on"],
                    reason=form.cleaned_data["reason"],
                    viewed_by=request.user,  # type: ignore[arg-type]
                )
            except DomainError as error:
                apply_problems(form, error)
            else:
                messages.success(request, _("The viewing is recorded."))
                return HttpResponseRedirect(
                    reverse("admin:contact_footageviewing_change", args=[viewing.pk])
                )
        return admin_page(self, request, FORM, _("Record a viewing of footage"), form=form)

    def export_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        if not request.user.has_perm("contact.add_footageexport"):
            raise DjangoPermissionDenied
        viewing = get_object_or_404(FootageViewing, pk=object_id)
        form = FootageExportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                export = services.footage_export(
                    ctx=staff_context(request),
                    viewing_id=viewing.pk,
                    police_reference=form.cleaned_data["police_reference"],
                    content=form.cleaned_data["copy"],
                    exported_by=request.user,  # type: ignore[arg-type]
                )
            except DomainError as error:
                apply_problems(form, error)
            else:
                messages.success(request, _("The copy for the police is recorded."))
                return HttpResponseRedirect(
                    reverse("admin:contact_footageexport_change", args=[export.pk])
                )
        title = _("Export a copy of %(v)s for the police") % {"v": viewing}
        return admin_page(self, request, FORM, title, form=form, multipart=True)


@admin.register(FootageExport)
class FootageExportAdmin(ReadOnlyAdminMixin, AuditedReadAdmin):
    audit_object_type = "footage-export"
    audit_subject_path = "party_id"
    list_display = ("exported_at", "site", "recorded_on", "police_reference", "state")
    inlines = [CustodyInline]

    def get_urls(self) -> list[Any]:
        own = [
            path(
                "<id:object_id>/custody/",
                self.admin_site.admin_view(self.custody_view),
                name="contact_footageexport_custody",
            )
        ]
        return own + super().get_urls()

    def custody_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """The next link of the chain of custody: handed over, then received."""
        if not request.user.has_perm("contact.change_footageexport"):
            raise DjangoPermissionDenied
        export = get_object_or_404(FootageExport, pk=object_id)
        form = CustodyForm(request.POST or None, initial={"by": request.user.get_username()})
        if request.method == "POST" and form.is_valid():
            try:
                services.custody_record(
                    ctx=staff_context(request), export_id=export.pk, **form.cleaned_data
                )
            except DomainError as error:
                apply_problems(form, error)
            else:
                messages.success(request, _("The chain of custody is recorded."))
                return HttpResponseRedirect(
                    reverse("admin:contact_footageexport_change", args=[export.pk])
                )
        title = _("Chain of custody of %(e)s") % {"e": export}
        return admin_page(self, request, FORM, title, form=form)


class HandlerInline(_ReadOnlyInline):
    model = TicketHandler
    fields = ("name", "processor", "country", "safeguard", "added_at")


class TicketForm(forms.Form):
    problem = forms.CharField(
        label=gettext_lazy("The problem"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    customer_number = forms.CharField(
        label=gettext_lazy("Customer number"), required=False, max_length=12
    )


class HandlerForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200, required=False)
    processor = forms.CharField(
        label=gettext_lazy("Processor"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Empty for our own staff."),
    )
    country = forms.CharField(
        label=gettext_lazy("Country (two letters)"), max_length=2, required=False, initial="SE"
    )
    safeguard = forms.CharField(
        label=gettext_lazy("Safeguard of the transfer"), max_length=300, required=False
    )


@admin.register(SupportTicket)
class SupportTicketAdmin(ReadOnlyAdminMixin, AuditedReadAdmin):
    """Support tickets (seed 002): opened, worked by our staff or a processor's, closed (their
    three years start) or reopened."""

    audit_object_type = "ticket"
    audit_subject_path = "party_id"
    list_display = ("id", "opened_at", "state", "closed_at", "party")
    list_filter = ("state",)
    inlines = [HandlerInline]

    def get_urls(self) -> list[Any]:
        own = [
            path(
                "open/",
                self.admin_site.admin_view(self.open_view),
                name="contact_supportticket_open",
            ),
            path(
                "<id:object_id>/handler/",
                self.admin_site.admin_view(self.handler_view),
                name="contact_supportticket_handler",
            ),
            path(
                "<id:object_id>/move/",
                self.admin_site.admin_view(self.move_view),
                name="contact_supportticket_move",
            ),
        ]
        return own + super().get_urls()

    def open_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("contact.add_supportticket"):
            raise DjangoPermissionDenied
        form = TicketForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            number = form.cleaned_data["customer_number"].strip()
            party = Party.objects.filter(customer_number=number).first() if number else None
            if number and party is None:
                form.add_error("customer_number", _("There is no customer with that number."))
            else:
                try:
                    ticket = services.ticket_open(
                        ctx=staff_context(request),
                        problem=form.cleaned_data["problem"],
                        party=party,
                    )
                except DomainError as error:
                    apply_problems(form, error)
                else:
                    return HttpResponseRedirect(
                        reverse("admin:contact_supportticket_change", args=[ticket.pk])
                    )
        return admin_page(self, request, FORM, _("Open a support ticket"), form=form)

    def handler_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        if not request.user.has_perm("contact.change_supportticket"):
            raise DjangoPermissionDenied
        ticket = get_object_or_404(SupportTicket, pk=object_id)
        audit_record(
            ctx=staff_context(request),
            action=AuditAction.READ,
            subject_id=ticket.party_id,
            object_type="ticket",
            object_id=ticket.pk,
        )
        form = HandlerForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.ticket_handler_add(
                    ctx=staff_context(request), ticket_id=ticket.pk, **form.cleaned_data
                )
            except DomainError as error:
                apply_problems(form, error)
            else:
                return HttpResponseRedirect(
                    reverse("admin:contact_supportticket_change", args=[ticket.pk])
                )
        title = _("A handler of ticket %(t)s") % {"t": ticket.pk}
        return admin_page(self, request, FORM, title, form=form)

    def move_view(self, request: HttpRequest, object_id: int) -> HttpResponseBase:
        """Close or reopen (a POST from the ticket's page)."""
        if not request.user.has_perm("contact.change_supportticket"):
            raise DjangoPermissionDenied
        ticket = get_object_or_404(SupportTicket, pk=object_id)
        if request.method != "POST":
            return HttpResponseRedirect(
                reverse("admin:contact_supportticket_change", args=[ticket.pk])
            )
        try:
            services.ticket_move(
                ctx=staff_context(request), ticket_id=ticket.pk, to=request.POST.get("to", "")
            )
        except DomainError as error:
            messages.error(request, error.message)
        return HttpResponseRedirect(reverse("admin:contact_supportticket_change", args=[ticket.pk]))
