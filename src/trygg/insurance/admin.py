"""Back office for the accident insurance: the product's data (price base amounts, tariff
versions, health questions), paper applications, the underwriters' queue and decisions, and
policies with their letters. Applications and policies change only through the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.insurance import underwriting
from trygg.insurance.applications import (
    AnswerInput,
    ApplicationInput,
    PaperInput,
    paper_application_register,
    paper_application_supplement,
    questions,
)
from trygg.insurance.letters import decline_letter, policy_letter, return_letter
from trygg.insurance.models import (
    Application,
    ApplicationEvent,
    ApplicationKind,
    ApplicationState,
    HealthAnswer,
    HealthQuestion,
    PaymentMethodChoice,
    PeriodChoice,
    Policy,
    PolicyTerm,
    PriceBaseAmount,
    Tariff,
    TariffPrice,
)
from trygg.insurance.tariffs import catalogue_forget
from trygg.kernel import clock
from trygg.kernel.admin import (
    AuditedReadAdmin,
    IdNumberSearchMixin,
    WorkQueue,
    admin_page,
    carried_out_if_confirmed,
    work_queue_register,
)
from trygg.kernel.audit import staff_context
from trygg.kernel.errors import DomainError
from trygg.kernel.forms import apply_problems


@admin.register(PriceBaseAmount)
class PriceBaseAmountAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("year", "amount")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        catalogue_forget()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TariffPriceInline(admin.TabularInline):  # type: ignore[type-arg]
    model = TariffPrice
    extra = 0


@admin.register(Tariff)
class TariffAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A new version is a new row; a version that policies used is never changed."""

    list_display = (
        "product",
        "version",
        "valid_from",
        "surcharge_monthly",
        "surcharge_half_yearly",
    )
    inlines = [TariffPriceInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and PolicyTerm.objects.filter(tariff=obj).exists():
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        catalogue_forget()


@admin.register(HealthQuestion)
class HealthQuestionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("position", "code", "text_sv", "refers_on_yes", "detail_on_yes", "active")
    list_display_links = ("code",)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class HealthAnswerInline(admin.TabularInline):  # type: ignore[type-arg]
    model = HealthAnswer
    extra = 0
    can_delete = False
    fields = ("question", "yes", "detail", "corrected", "correction_signed")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EventInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ApplicationEvent
    extra = 0
    can_delete = False
    fields = ("at", "actor", "state_from", "state_to", "note")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PaperForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=ApplicationKind.choices)
    policy_number = forms.CharField(
        label=gettext_lazy("Policy number (increase, re-examination, change)"), required=False
    )
    received_on = forms.DateField(label=gettext_lazy("Arrival stamp"))
    holder_id_number = forms.CharField(label=gettext_lazy("Policyholder: personal identity number"))
    holder_given_name = forms.CharField(
        label=gettext_lazy("Policyholder: first name"), required=False
    )
    holder_family_name = forms.CharField(
        label=gettext_lazy("Policyholder: surname"), required=False
    )
    holder_street = forms.CharField(label=gettext_lazy("Postal address"), required=False)
    holder_postal_code = forms.CharField(label=gettext_lazy("Postal code"), required=False)
    holder_city = forms.CharField(label=gettext_lazy("City"), required=False)
    holder_phone_home = forms.CharField(label=gettext_lazy("Phone, home"), required=False)
    holder_phone_work = forms.CharField(label=gettext_lazy("Phone, work"), required=False)
    holder_mobile = forms.CharField(label=gettext_lazy("Mobile phone"), required=False)
    holder_email = forms.CharField(label=gettext_lazy("E-mail"), required=False)
    insured_id_number = forms.CharField(label=gettext_lazy("Insured: personal identity number"))
    insured_given_name = forms.CharField(label=gettext_lazy("Insured: first name"), required=False)
    insured_family_name = forms.CharField(label=gettext_lazy("Insured: surname"), required=False)
    insured_street = forms.CharField(
        label=gettext_lazy("Insured: address (if other than the policyholder's)"), required=False
    )
    insured_postal_code = forms.CharField(
        label=gettext_lazy("Insured: postal code"), required=False
    )
    insured_city = forms.CharField(label=gettext_lazy("Insured: city"), required=False)
    level = forms.TypedChoiceField(
        label=gettext_lazy("Insured level (PBB)"),
        choices=[(str(n), str(n)) for n in (10, 20, 30, 40, 50)],
        coerce=int,
    )
    payment_method = forms.ChoiceField(
        label=gettext_lazy("Payment"), choices=PaymentMethodChoice.choices
    )
    period = forms.ChoiceField(label=gettext_lazy("Payment period"), choices=PeriodChoice.choices)
    start_date = forms.DateField(label=gettext_lazy("Other start date"), required=False)
    replaces_other = forms.NullBooleanField(
        label=gettext_lazy("Replaces another insurance"),
        widget=forms.Select(
            choices=[("unknown", "–"), ("true", gettext_lazy("Yes")), ("false", gettext_lazy("No"))]
        ),
    )
    replaced_policy_number = forms.CharField(
        label=gettext_lazy("Replaced policy's number (if with us)"), required=False
    )
    signed_on = forms.DateField(label=gettext_lazy("Application signed on"), required=False)
    health_signed_on = forms.DateField(
        label=gettext_lazy("Health declaration signed on"), required=False
    )
    seller_code = forms.CharField(label=gettext_lazy("Seller code"), required=False)
    seller_name = forms.CharField(label=gettext_lazy("Seller's name"), required=False)
    seller_phone = forms.CharField(label=gettext_lazy("Seller's phone"), required=False)
    letter_via_seller = forms.BooleanField(
        label=gettext_lazy("Policy letter via the seller"), required=False
    )
    seller_address = forms.CharField(label=gettext_lazy("Seller's address"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        answer = [("", "–"), ("no", gettext_lazy("No")), ("yes", gettext_lazy("Yes"))]
        for question in questions():
            self.fields[f"q_{question.code}"] = forms.ChoiceField(
                label=question.text_sv, choices=answer, required=False
            )
            self.fields[f"q_{question.code}_detail"] = forms.CharField(
                label=gettext_lazy("Details"), required=False
            )
            self.fields[f"q_{question.code}_corrected"] = forms.BooleanField(
                label=gettext_lazy("Answer corrected on the form"), required=False
            )
            self.fields[f"q_{question.code}_correction_signed"] = forms.BooleanField(
                label=gettext_lazy("Correction signed"), required=False
            )

    def answers(self) -> dict[str, AnswerInput]:
        data = self.cleaned_data
        return {
            q.code: AnswerInput(
                yes={"yes": True, "no": False}.get(data.get(f"q_{q.code}") or ""),
                detail=data.get(f"q_{q.code}_detail") or "",
                corrected=bool(data.get(f"q_{q.code}_corrected")),
                correction_signed=bool(data.get(f"q_{q.code}_correction_signed")),
            )
            for q in questions()
        }


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            ("accept", gettext_lazy("Accept")),
            ("accept_exclusion", gettext_lazy("Accept with an exclusion clause")),
            ("ask", gettext_lazy("Ask the applicant for more")),
            ("info_received", gettext_lazy("The applicant has answered")),
            ("decline", gettext_lazy("Propose to decline")),
            ("confirm_decline", gettext_lazy("Confirm the proposed decline (second underwriter)")),
            ("reject_decline", gettext_lazy("Do not confirm the proposed decline")),
        ],
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=gettext_lazy("Exclusion clause, question, reasons or note"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )


@admin.register(Application)
class ApplicationAdmin(IdNumberSearchMixin, AuditedReadAdmin):
    audit_object_type = "application"
    audit_subject_path = "policyholder_id"
    list_display = (
        "number",
        "kind",
        "channel",
        "state",
        "holder_id_number",
        "level",
        "received_on",
    )
    list_filter = ("state", "channel", "kind")
    search_fields = ("=number", "=holder_id_number", "=insured_id_number")
    id_number_search_fields = ("holder_id_number", "insured_id_number")
    inlines = [HealthAnswerInline, EventInline]
    readonly_fields = [f.name for f in Application._meta.fields]
    change_form_template = "admin/insurance/application/change_form.html"

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Application]:
        return super().get_queryset(request).select_related("policy")

    def get_urls(self) -> list[Any]:
        own = [
            path(
                "paper/",
                self.admin_site.admin_view(self.paper_view),
                name="insurance_application_paper",
            ),
            path(
                "<id:application_id>/decide/",
                self.admin_site.admin_view(self.decide_view),
                name="insurance_application_decide",
            ),
            path(
                "<id:application_id>/supplement/",
                self.admin_site.admin_view(self.supplement_view),
                name="insurance_application_supplement",
            ),
            path(
                "<id:application_id>/letter/",
                self.admin_site.admin_view(self.letter_view),
                name="insurance_application_letter",
            ),
        ]
        return own + super().get_urls()

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        return HttpResponseRedirect(reverse("admin:insurance_application_paper"))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("insurance.add_application")

    def paper_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise DjangoPermissionDenied
        form = PaperForm(request.POST or None, initial={"received_on": clock.today()})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            application_input = ApplicationInput(
                kind=data["kind"],
                level=data["level"],
                payment_method=data["payment_method"],
                period=data["period"],
                start_date=data["start_date"],
                replaces_other=data["replaces_other"],
                insured_id_number=data["insured_id_number"],
                insured_given_name=data["insured_given_name"],
                insured_family_name=data["insured_family_name"],
                insured_street=data["insured_street"],
                insured_postal_code=data["insured_postal_code"],
                insured_city=data["insured_city"],
                replaced_policy_number=data["replaced_policy_number"],
                policy_number=data["policy_number"],
                answers=form.answers(),
                privacy_notice_shown=True,
            )
            try:
                application = paper_application_register(
                    ctx=staff_context(request),
                    data=PaperInput(
                        application=application_input,
                        received_on=data["received_on"],
                        signed_on=data["signed_on"],
                        health_signed_on=data["health_signed_on"],
                        **{
                            k: data[k]
                            for k in (
                                "holder_id_number",
                                "holder_given_name",
                                "holder_family_name",
                                "holder_street",
                                "holder_postal_code",
                                "holder_city",
                                "holder_phone_home",
                                "holder_phone_work",
                                "holder_mobile",
                                "holder_email",
                                "seller_code",
                                "seller_name",
                                "seller_phone",
                                "letter_via_seller",
                                "seller_address",
                            )
                        },
                    ),
                )
            except DomainError as error:
                apply_problems(form, error)
            else:
                self._report(request, application)
                return HttpResponseRedirect(
                    reverse("admin:insurance_application_change", args=[application.pk])
                )
        return admin_page(
            self,
            request,
            "admin/insurance/application/paper.html",
            _("Register a paper application"),
            form=form,
        )

    def _report(self, request: HttpRequest, application: Application) -> None:
        state = ApplicationState(application.state)
        if state == ApplicationState.RETURNED:
            messages.warning(
                request,
                _("Application %(number)s is incomplete and returned; print the letter.")
                % {"number": application.number},
            )
        else:
            messages.success(
                request,
                _("Application %(number)s: %(state)s.")
                % {"number": application.number, "state": state.label},
            )

    def decide_view(self, request: HttpRequest, application_id: int) -> HttpResponse:
        if not request.user.has_perm("insurance.underwrite_application"):
            raise DjangoPermissionDenied
        application = get_object_or_404(Application, pk=application_id)
        self.audit_read(request, application, view="decide")
        form = DecisionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            ctx = staff_context(request)
            decision, text = form.cleaned_data["decision"], form.cleaned_data["text"]

            def decide() -> Any:
                if decision in ("accept", "accept_exclusion"):
                    return underwriting.application_accept(
                        ctx=ctx,
                        user=request.user,
                        application_id=application.pk,
                        exclusion=text if decision == "accept_exclusion" else "",
                    )
                if decision == "ask":
                    underwriting.application_request_info(
                        ctx=ctx, user=request.user, application_id=application.pk, question=text
                    )
                elif decision == "info_received":
                    underwriting.application_info_received(
                        ctx=ctx, user=request.user, application_id=application.pk, note=text
                    )
                elif decision == "decline":
                    underwriting.application_decline_propose(
                        ctx=ctx, user=request.user, application_id=application.pk, reasons=text
                    )
                elif decision == "confirm_decline":
                    underwriting.application_decline_confirm(
                        ctx=ctx, user=request.user, application_id=application.pk
                    )
                else:
                    underwriting.application_decline_reject(
                        ctx=ctx, user=request.user, application_id=application.pk, note=text
                    )
                return None

            if decision == "accept_exclusion" and not text.strip():
                form.add_error("text", _("Write the exclusion clause."))
            else:
                try:
                    kept, policy = carried_out_if_confirmed(
                        request,
                        form,
                        decide,
                        lambda _done: _decision_consequence(application, form.cleaned_data),
                    )
                except DomainError as error:
                    form.add_error(
                        "text"
                        if error.field in {"exclusion", "info_request", "decline_reasons", "note"}
                        else None,
                        str(error.message),
                    )
                else:
                    if kept:
                        if policy is not None:
                            messages.success(
                                request,
                                _("Accepted; policy %(number)s is issued.")
                                % {"number": policy.number},
                            )
                        return HttpResponseRedirect(
                            reverse("admin:insurance_application_change", args=[application.pk])
                        )
        return admin_page(
            self,
            request,
            "admin/insurance/application/decide.html",
            _("Decide on application %(number)s") % {"number": application.number},
            form=form,
            application=application,
            answers=application.answers.select_related("question"),
        )

    def supplement_view(self, request: HttpRequest, application_id: int) -> HttpResponse:
        """The returned form came back: the arrival date, new signatures, answers given."""
        if not self.has_add_permission(request):
            raise DjangoPermissionDenied
        application = get_object_or_404(Application, pk=application_id)
        self.audit_read(request, application, view="supplement")
        form = PaperForm(request.POST or None)
        for name in list(form.fields):
            keep = name.startswith("q_") or name in {
                "received_on",
                "signed_on",
                "health_signed_on",
                "replaces_other",
                "holder_given_name",
                "holder_family_name",
                "holder_street",
                "holder_postal_code",
                "holder_city",
                "insured_given_name",
                "insured_family_name",
            }
            if not keep:
                del form.fields[name]
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            fields = {
                k: data[k]
                for k in (
                    "holder_given_name",
                    "holder_family_name",
                    "holder_street",
                    "holder_postal_code",
                    "holder_city",
                    "insured_given_name",
                    "insured_family_name",
                )
                if data.get(k)
            }
            try:
                application = paper_application_supplement(
                    ctx=staff_context(request),
                    application_id=application.pk,
                    received_on=data["received_on"],
                    signed_on=data["signed_on"],
                    health_signed_on=data["health_signed_on"],
                    answers={k: v for k, v in form.answers().items() if v.yes is not None},
                    fields=fields,
                    replaces_other=data["replaces_other"],
                )
            except DomainError as error:
                apply_problems(form, error)
            else:
                self._report(request, application)
                return HttpResponseRedirect(
                    reverse("admin:insurance_application_change", args=[application.pk])
                )
        return admin_page(
            self,
            request,
            "admin/insurance/application/paper.html",
            _("Supplement application %(number)s") % {"number": application.number},
            form=form,
        )

    def letter_view(self, request: HttpRequest, application_id: int) -> HttpResponse:
        if not request.user.has_perm("insurance.view_application"):
            raise DjangoPermissionDenied
        application = get_object_or_404(Application, pk=application_id)
        if application.state == ApplicationState.RETURNED:
            content = return_letter(application, on=clock.today())
        elif application.state == ApplicationState.DECLINED:
            content = decline_letter(application, on=clock.today())
        else:
            messages.error(request, _("This application has no letter to print."))
            return HttpResponseRedirect(
                reverse("admin:insurance_application_change", args=[application.pk])
            )
        self.audit_read(request, application, view="letter")
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{application.number}.pdf"'
        return response


def _decision_consequence(application: Application, data: dict[str, Any]) -> str:
    """What the underwriter's decision will do, in words, shown before it is confirmed."""
    number = application.number
    consequences = {
        "accept": _("Application %(number)s is accepted and the policy is issued."),
        "accept_exclusion": _(
            "Application %(number)s is accepted with the exclusion written above and the "
            "policy is issued."
        ),
        "ask": _("The applicant of %(number)s is asked the question written above."),
        "info_received": _("Application %(number)s goes back to underwriting."),
        "decline": _(
            "A decline of application %(number)s is proposed with the reasons written above; "
            "a second underwriter confirms it before the applicant is told."
        ),
        "confirm_decline": _(
            "Application %(number)s is declined; the applicant is sent the decline letter "
            "with its reasons."
        ),
    }
    text = consequences.get(
        data["decision"], _("The proposed decline of application %(number)s is set aside.")
    )
    return text % {"number": number}


class PolicyTermInline(admin.TabularInline):  # type: ignore[type-arg]
    model = PolicyTerm
    extra = 0
    can_delete = False
    fields = ("starts_on", "ends_on", "tariff", "pbb_year", "pbb", "base_amount", "year_total")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Policy)
class PolicyAdmin(IdNumberSearchMixin, AuditedReadAdmin):
    audit_object_type = "policy"
    audit_subject_path = "policyholder_id"
    list_display = (
        "number",
        "policyholder",
        "insured",
        "level",
        "state",
        "start_date",
        "renewal_date",
    )
    list_filter = ("state", "period", "payment_method")
    search_fields = ("=number", "=policyholder__id_number", "=insured__id_number")
    id_number_search_fields = ("policyholder__id_number", "insured__id_number")
    list_select_related = ("policyholder", "insured")
    inlines = [PolicyTermInline]
    readonly_fields = [f.name for f in Policy._meta.fields]
    change_form_template = "admin/insurance/policy/change_form.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[Any]:
        own = [
            path(
                "<id:policy_id>/letter/",
                self.admin_site.admin_view(self.letter_view),
                name="insurance_policy_letter",
            )
        ]
        return own + super().get_urls()

    def letter_view(self, request: HttpRequest, policy_id: int) -> HttpResponse:
        if not request.user.has_perm("insurance.view_policy"):
            raise DjangoPermissionDenied
        policy = get_object_or_404(Policy, pk=policy_id)
        self.audit_read(request, policy, view="letter")
        response = HttpResponse(
            policy_letter(policy, on=clock.today()), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'inline; filename="{policy.number}.pdf"'
        return response


work_queue_register(
    WorkQueue(
        gettext_lazy("Applications with an underwriter"),
        "insurance.underwrite_application",
        Application,
        {"state__exact": ApplicationState.REFERRED},
    )
)
work_queue_register(
    WorkQueue(
        gettext_lazy("Declines awaiting a second underwriter"),
        "insurance.underwrite_application",
        Application,
        {"state__exact": ApplicationState.DECLINE_PROPOSED},
    )
)
work_queue_register(
    WorkQueue(
        gettext_lazy("Applications received on paper, to check"),
        "insurance.add_application",
        Application,
        {"state__exact": ApplicationState.RECEIVED},
    )
)
