"""Back office for premium billing: autogiro mandates (the paper form entered, terminations),
premium charges (invoice payments registered by OCR), notices, the billing terms per product,
the daily runs and the file log of Bankgirot, and the billing dashboard where staff run the
billing of a date and import a file from Bankgirot. Mandates and charges change only through the
services; every view of a payer's data is an audited read."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from trygg.billing import jobs, rules
from trygg.billing.charges import invoice_payment_register
from trygg.billing.jobs import import_submit, run_submit
from trygg.billing.mandates import (
    AttachInput,
    MandateInput,
    PolicyChoice,
    Terminator,
    mandate_add,
    mandate_register,
    mandate_terminate,
)
from trygg.billing.models import (
    BankgirotFile,
    BillingRun,
    BillingTerms,
    Charge,
    ChargeState,
    Direction,
    Mandate,
    MandateEvent,
    MandatePolicy,
    MandateState,
    Notice,
)
from trygg.billing.runs import run_date_check
from trygg.insurance.selectors import PERIOD_CHOICES as POLICY_PERIODS
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
from trygg.kernel.errors import DomainError, FieldProblem
from trygg.kernel.forms import apply_problems
from trygg.kernel.idnumbers import IdNumber
from trygg.kernel.jobs import job_progress
from trygg.kernel.models import Job, JobState
from trygg.kernel.moneydb import MoneySum
from trygg.kernel.numbertext import account_text, money_text

POLICY_SLOTS = 3

# What a running job is doing (the phases ``billing_run`` and ``autogiro_import`` report).
PHASES: dict[str, Any] = {
    "renewal": gettext_lazy("Renewing the insurances due"),
    "charges": gettext_lazy("Planning premiums and payment plans"),
    "non-payment": gettext_lazy("Handling unpaid premiums"),
    "invoices": gettext_lazy("Invoicing"),
    "orders": gettext_lazy("Ordering the debits due"),
    "commit": gettext_lazy("Saving"),
    "file": gettext_lazy("Writing the file to Bankgirot"),
    "reading": gettext_lazy("Reading the file"),
    "booking": gettext_lazy("Matching and booking the payments"),
}
RUNS_SHOWN = 30
FILES_SHOWN = 10

# What a run's summary counts, in the order the dashboard shows them.
SUMMARY_LABELS: dict[str, Any] = {
    "orders": gettext_lazy("Debits ordered"),
    "retries": gettext_lazy("Debits retried"),
    "mandates_sent": gettext_lazy("Mandates sent"),
    "deletions": gettext_lazy("Mandate deletions sent"),
    "cancellations": gettext_lazy("Debit cancellations sent"),
    "charges_planned": gettext_lazy("Premiums planned"),
    "payment_plans": gettext_lazy("Payment plans"),
    "invoices": gettext_lazy("Invoices"),
    "to_invoice": gettext_lazy("Premiums moved to invoice"),
    "to_autogiro": gettext_lazy("Premiums moved to autogiro"),
    "carried": gettext_lazy("Added to the next debit"),
    "cancellation_notices": gettext_lazy("Cancellation notices"),
    "invoiced": gettext_lazy("Autogiro ended, invoiced"),
    "lapsed": gettext_lazy("Policies lapsed"),
    "charges_cancelled": gettext_lazy("Premiums cancelled"),
    "renewed": gettext_lazy("Policies renewed"),
}

# A run's detail page also shows why renewal was held back.
RUN_LABELS: dict[str, Any] = {
    **SUMMARY_LABELS,
    "renewal_blocked": gettext_lazy("Renewal blocked"),
}

# What an imported file's summary counts, beside its records.
FILE_LABELS: dict[str, Any] = {
    "status_0": pgettext_lazy("state of a charge", "Paid"),
    "status_1": gettext_lazy("Failed: insufficient funds"),
    "status_2": gettext_lazy("Failed: no mandate or account closed"),
    "status_9": gettext_lazy("Retrying (renewed balance check)"),
    "rejected": gettext_lazy("Orders rejected"),
    "refunds": gettext_lazy("Refunds"),
    "mandate_active": gettext_lazy("Mandates activated"),
    "mandate_rejected": gettext_lazy("Mandates rejected"),
    "mandate_ended": gettext_lazy("Mandates ended"),
    "amendment_answers": gettext_lazy("Cancellation and amendment answers"),
    "unmatched_count": gettext_lazy("Unmatched"),
    "unmatched": gettext_lazy("Unmatched references and payer numbers"),
    "paid_sum": gettext_lazy("Paid (kr)"),
    "refunded_sum": gettext_lazy("Refunded (kr)"),
}

# The dashboard's columns of a run's debits: the charges' states counted in each.
RUN_COLUMNS: list[tuple[str, Any, set[str] | None]] = [
    ("due", gettext_lazy("Due"), None),
    ("ordered", gettext_lazy("Awaiting answer"), {ChargeState.ORDERED}),
    ("paid", pgettext_lazy("state of a charge", "Paid"), {ChargeState.PAID}),
    (
        "failed",
        gettext_lazy("Failed (unpaid, carried over or invoiced)"),
        {ChargeState.FAILED, ChargeState.CARRIED, ChargeState.INVOICED},
    ),
    ("retrying", gettext_lazy("Retrying"), {ChargeState.RETRYING}),
]


def _summary_table(summary: dict[str, Any], labels: dict[str, Any]) -> SafeString:
    """A summary (JSON) as a table: the known counts first, in order, then anything else."""
    if not summary:
        return format_html("{}", "–")

    def shown(value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(map(str, value)) or "–"
        return value

    known = [(labels[key], shown(summary[key])) for key in labels if key in summary]
    other = [(key, shown(value)) for key, value in summary.items() if key not in labels]
    rows = format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", known + other)
    return format_html("<table><tbody>{}</tbody></table>", rows)


class ReadOnlyAdmin(AuditedReadAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# -- mandates ----------------------------------------------------------------------------------


class _MandateInline(admin.TabularInline):  # type: ignore[type-arg]
    """Read-only rows of a mandate, shown to whoever may view the mandate."""

    extra = 0
    can_delete = False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("billing.view_mandate")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MandatePolicyInline(_MandateInline):
    model = MandatePolicy
    verbose_name = gettext_lazy("insurance paid")
    verbose_name_plural = gettext_lazy("insurances paid")
    fields = ("policy", "period", "attached_on", "detached_on")
    readonly_fields = fields


class MandateEventInline(_MandateInline):
    model = MandateEvent
    verbose_name = gettext_lazy("event")
    verbose_name_plural = gettext_lazy("case record")
    fields = ("at", "actor", "state_from", "state_to", "note")
    readonly_fields = fields


PERIOD_CHOICES = [("", gettext_lazy("The policy's own")), *POLICY_PERIODS]


class PolicyRowsForm(forms.Form):
    """The form's "Försäkringar": the payer's period for all of them ("Jag vill betala
    nedanstående försäkringar via autogiro Månadsvis / Halvårsvis / Helårsvis"), then one row
    per insurance with the holder's number where it is not the payer's."""

    period = forms.ChoiceField(
        label=gettext_lazy("Payment period of the insurances below"),
        choices=PERIOD_CHOICES,
        required=False,
    )
    period_from = forms.DateField(
        label=gettext_lazy("New period from"),
        required=False,
        help_text=gettext_lazy(
            "Where the period changes: the start of a period not yet collected. Empty: the "
            "earliest possible."
        ),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for slot in range(1, POLICY_SLOTS + 1):
            self.fields[f"policy_{slot}"] = forms.CharField(
                label=gettext_lazy("Policy number %(n)s") % {"n": slot}, required=False
            )
            self.fields[f"holder_{slot}"] = forms.CharField(
                label=gettext_lazy(
                    "Personal or organisation number %(n)s (if other than the payer's)"
                )
                % {"n": slot},
                required=False,
            )

    def slots(self) -> list[int]:
        """The form's rows with a policy number, in order: the service's ``policies.N``."""
        return [
            n
            for n in range(1, POLICY_SLOTS + 1)
            if (self.cleaned_data.get(f"policy_{n}") or "").strip()
        ]

    def choices(self) -> list[PolicyChoice]:
        data = self.cleaned_data
        return [
            PolicyChoice(
                data[f"policy_{n}"].strip(), holder_id_number=data.get(f"holder_{n}") or ""
            )
            for n in self.slots()
        ]

    def attach_input(self) -> AttachInput:
        return AttachInput(
            policies=self.choices(),
            period=self.cleaned_data.get("period") or "",
            period_from=self.cleaned_data.get("period_from"),
        )

    def show(self, error: DomainError) -> None:
        """The service's problems beside their fields: ``policies.N.number`` and
        ``policies.N.period`` are the N-th filled row's policy number and the period."""
        slots = self.slots()

        def field_of(name: str | None) -> str | None:
            parts = (name or "").split(".")
            if parts[0] == "policies" and len(parts) == 3 and parts[1].isdigit():
                index = int(parts[1])
                if parts[2] == "period":
                    return "period"
                if index < len(slots):
                    return f"policy_{slots[index]}"
            if name == "policies":
                return "policy_1"
            return name

        apply_problems(
            self,
            DomainError(
                code=error.code,
                message=error.message,
                field=field_of(error.field),
                problems=[
                    FieldProblem(field_of(p.field), p.code, p.message) for p in error.problems
                ],
            ),
        )


class PaperMandateForm(PolicyRowsForm):
    """The paper form of an autogiro mandate."""

    payer_id_number = forms.CharField(label=gettext_lazy("Payer: personal or organisation number"))
    account = forms.CharField(
        label=gettext_lazy("Clearing and account number"),
        help_text=gettext_lazy("As written on the form, e.g. 8327-9, 123 456 789-0."),
    )
    bank = forms.CharField(label=gettext_lazy("Bank"), required=False)
    field_order = ["payer_id_number", "account", "bank", "period", "period_from"]

    def mandate_input(self) -> MandateInput:
        data = self.cleaned_data
        return MandateInput(
            payer_id_number=data["payer_id_number"],
            account=data["account"],
            bank=data.get("bank") or "",
            policies=self.choices(),
            period=data.get("period") or "",
            period_from=data.get("period_from"),
        )


class AddPoliciesForm(PolicyRowsForm):
    """Insurances the payer adds to a mandate in force ("senare anmäls av mig")."""


class TerminateForm(forms.Form):
    by = forms.ChoiceField(
        label=gettext_lazy("Terminated by"),
        choices=[
            (
                Terminator.INSURER,
                gettext_lazy("The insurer (at least three months before the due date)"),
            ),
            (
                Terminator.HOLDER,
                gettext_lazy("The account holder (at least one month before the due date)"),
            ),
        ],
        widget=forms.RadioSelect,
    )
    ends_on = forms.DateField(
        label=gettext_lazy("Ends on the due date"),
        required=False,
        help_text=gettext_lazy(
            "The first bank day of a month (§ 3). Empty: the earliest the notice allows."
        ),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    at_once = forms.BooleanField(
        label=gettext_lazy(
            "At once (insurer only: repeated failed debits, a closed account, or the payer "
            "should not use autogiro)"
        ),
        required=False,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


@admin.register(Mandate)
class MandateAdmin(IdNumberSearchMixin, AuditedReadAdmin):
    audit_object_type = "mandate"
    audit_subject_path = "payer_id"
    list_display = (
        "payer_number",
        "payer",
        "bank_account",
        "state",
        "channel",
        "requested_on",
        "sent_on",
        "active_from",
        "bgc_comment_code",
    )
    list_filter = ("state", "channel")
    search_fields = ("=payer_number", "=payer__customer_number", "=id_number")
    id_number_search_fields = ("id_number", "payer__id_number")
    list_select_related = ("payer",)
    inlines = [MandatePolicyInline, MandateEventInline]
    readonly_fields = [f.name for f in Mandate._meta.fields]
    change_form_template = "billing/admin/mandate_change_form.html"

    @admin.display(description=gettext_lazy("account"))
    def bank_account(self, obj: Mandate) -> str:
        return account_text(obj.clearing, obj.account)

    def id_number_search_values(self, parsed: IdNumber) -> list[str]:
        """Bankgirot writes an organisation number with two leading zeros."""
        return [parsed.value, "00" + parsed.value]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("billing.add_mandate")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[Any]:
        own = [
            path(
                "paper/",
                self.admin_site.admin_view(self.paper_view),
                name="billing_mandate_paper",
            ),
            path(
                "<id:mandate_id>/terminate/",
                self.admin_site.admin_view(self.terminate_view),
                name="billing_mandate_terminate",
            ),
            path(
                "<id:mandate_id>/add-policies/",
                self.admin_site.admin_view(self.add_policies_view),
                name="billing_mandate_add_policies",
            ),
        ]
        return own + super().get_urls()

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        return HttpResponseRedirect(reverse("admin:billing_mandate_paper"))

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        mandate = Mandate.objects.filter(pk=object_id).first()
        terminable = mandate is not None and rules.MandateState.ENDED in (
            rules.MANDATE_TRANSITIONS.get(rules.MandateState(mandate.state), frozenset())
        )
        return super().change_view(
            request,
            object_id,
            form_url,
            {
                **(extra_context or {}),
                "terminable": terminable,
                "extendable": mandate is not None and mandate.is_open,
            },
        )

    def _page(self, request: HttpRequest, title: str, **context: Any) -> TemplateResponse:
        return admin_page(self, request, "billing/admin/form.html", title, **context)

    def _back(self, mandate: Mandate) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:billing_mandate_change", args=[mandate.pk]))

    def paper_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise DjangoPermissionDenied
        form = PaperMandateForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                mandate = mandate_register(ctx=staff_context(request), data=form.mandate_input())
            except DomainError as error:
                form.show(error)
            else:
                messages.success(
                    request,
                    _(
                        "Autogiro mandate %(number)s is registered; the next billing run sends "
                        "it to Bankgirot."
                    )
                    % {"number": mandate.payer_number},
                )
                if not mandate.account_certain:
                    messages.warning(request, _("The account number could not be fully checked."))
                return self._back(mandate)
        return self._page(
            request, _("Register a paper autogiro mandate"), form=form, submit=_("Register")
        )

    def add_policies_view(self, request: HttpRequest, mandate_id: int) -> HttpResponse:
        """The payer's later notice of insurances to pay with the mandate, on paper."""
        if not request.user.has_perm("billing.change_mandate"):
            raise DjangoPermissionDenied
        mandate = get_object_or_404(Mandate.objects.select_related("payer"), pk=mandate_id)
        self.audit_read(request, mandate, view="add-policies")
        form = AddPoliciesForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                mandate = mandate_add(
                    ctx=staff_context(request), mandate_id=mandate.pk, data=form.attach_input()
                )
            except DomainError as error:
                form.show(error)
            else:
                messages.success(
                    request,
                    _(
                        "The insurances are added to autogiro mandate %(number)s; the next "
                        "billing run sends the payer a new payment plan."
                    )
                    % {"number": mandate.payer_number},
                )
                return self._back(mandate)
        return self._page(
            request,
            _("Add insurances to autogiro mandate %(number)s") % {"number": mandate.payer_number},
            form=form,
            mandate=mandate,
            submit=_("Add"),
        )

    def terminate_view(self, request: HttpRequest, mandate_id: int) -> HttpResponse:
        if not request.user.has_perm("billing.change_mandate"):
            raise DjangoPermissionDenied
        mandate = get_object_or_404(Mandate.objects.select_related("payer"), pk=mandate_id)
        self.audit_read(request, mandate, view="terminate")
        form = TerminateForm(request.POST or None, initial={"by": Terminator.INSURER})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data

            def terminate() -> Mandate:
                return mandate_terminate(
                    ctx=staff_context(request),
                    mandate_id=mandate.pk,
                    by=data["by"],
                    reason=data["reason"],
                    at_once=data["at_once"],
                    ends_on=data["ends_on"],
                )

            def consequence(ended: Mandate) -> str:
                return _(
                    "Autogiro mandate %(number)s of %(payer)s ends: its last debit day is "
                    "%(date)s and Bankgirot is told so; later premiums are invoiced under the "
                    "insurance contract. An ended mandate cannot be taken up again: the payer "
                    "would have to give a new one."
                ) % {
                    "number": ended.payer_number,
                    "payer": ended.payer,
                    "date": ended.ended_on.isoformat() if ended.ended_on else "",
                }

            try:
                kept, ended = carried_out_if_confirmed(request, form, terminate, consequence)
            except DomainError as error:
                apply_problems(form, error)
            else:
                if kept:
                    messages.success(
                        request,
                        _(
                            "Autogiro mandate %(number)s applies until %(date)s; later "
                            "premiums are invoiced under the insurance contract."
                        )
                        % {
                            "number": ended.payer_number,
                            "date": ended.ended_on.isoformat() if ended.ended_on else "",
                        },
                    )
                    return self._back(ended)
        return self._page(
            request,
            _("Terminate autogiro mandate %(number)s") % {"number": mandate.payer_number},
            form=form,
            mandate=mandate,
            submit=_("Terminate"),
        )


# -- charges and notices -----------------------------------------------------------------------


class InvoicePaymentForm(forms.Form):
    ocr = forms.CharField(label=gettext_lazy("OCR reference"))
    amount = forms.DecimalField(
        label=gettext_lazy("Amount (kr)"), min_value=Decimal("0.01"), decimal_places=2
    )
    paid_on = forms.DateField(label=gettext_lazy("Paid on"))


@admin.register(Charge)
class ChargeAdmin(IdNumberSearchMixin, ReadOnlyAdmin):
    audit_object_type = "charge"
    audit_subject_path = "payer_id"
    list_display = (
        "policy_number",
        "payer",
        "method",
        "period_start",
        "due_date",
        "premium",
        "fee",
        "carried",
        "amount",
        "state",
        "attempts",
        "status_code",
        "reason",
        "reference",
        "ocr",
    )
    list_filter = ("state", "method", "due_date")
    search_fields = ("=reference", "=ocr", "=policy__number")
    id_number_search_fields = ("payer__id_number",)
    list_select_related = ("policy", "payer")
    # Bankgirot's reason and the settling file as the model gives them: a paid debit stores
    # neither (the reason follows from the status code, the file from the ledger transaction).
    exclude = ("status_text", "settled_by")
    readonly_fields = [
        {"status_text": "reason", "settled_by": "settling_file"}.get(f.name, f.name)
        for f in Charge._meta.fields
    ]
    change_list_template = "billing/admin/charge_change_list.html"

    @admin.display(description=gettext_lazy("policy"), ordering="policy__number")
    def policy_number(self, obj: Charge) -> str:
        return obj.policy.number

    @admin.display(description=Charge._meta.get_field("status_text").verbose_name)
    def reason(self, obj: Charge) -> str:
        return obj.reason

    @admin.display(description=Charge._meta.get_field("settled_by").verbose_name)
    def settling_file(self, obj: Charge) -> SafeString | None:
        file = obj.settling_file
        if file is None:
            return None
        url = reverse("admin:billing_bankgirotfile_change", args=[file.pk])
        return format_html('<a href="{}">{}</a>', url, file)

    def get_urls(self) -> list[Any]:
        own = [
            path(
                "payment/",
                self.admin_site.admin_view(self.payment_view),
                name="billing_charge_payment",
            )
        ]
        return own + super().get_urls()

    def payment_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("billing.run_billing"):
            raise DjangoPermissionDenied
        form = InvoicePaymentForm(request.POST or None, initial={"paid_on": clock.today()})
        if request.method == "POST" and form.is_valid():
            try:
                charge = invoice_payment_register(ctx=staff_context(request), **form.cleaned_data)
            except DomainError as error:
                apply_problems(form, error)
            else:
                messages.success(
                    request,
                    _("The payment of %(amount)s for %(reference)s is registered.")
                    % {"amount": money_text(charge.amount), "reference": charge.reference},
                )
                return HttpResponseRedirect(
                    reverse("admin:billing_charge_change", args=[charge.pk])
                )
        return admin_page(
            self,
            request,
            "billing/admin/form.html",
            _("Register an invoice payment"),
            form=form,
            submit=_("Register"),
        )


@admin.register(Notice)
class NoticeAdmin(IdNumberSearchMixin, ReadOnlyAdmin):
    audit_object_type = "notice"
    audit_subject_path = "payer_id"
    list_display = ("sent_on", "kind", "payer", "mandate", "pay_by", "ocr", "total")
    list_filter = ("kind", "sent_on")
    search_fields = ("=ocr", "=payer__customer_number", "=mandate__payer_number")
    id_number_search_fields = ("payer__id_number",)
    list_select_related = ("payer", "mandate")
    readonly_fields = [f.name for f in Notice._meta.fields]


# -- terms, runs and files ---------------------------------------------------------------------


@admin.register(BillingTerms)
class BillingTermsAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("product", "non_payment", "notice_fee", "invoice_days", "max_attempts")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["product"] if obj is not None else []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RunForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("Business date"))

    def clean_on(self) -> Any:
        on = self.cleaned_data["on"]
        try:
            run_date_check(on)
        except DomainError as error:
            raise forms.ValidationError(error.message, code=error.code) from error
        return on


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File from Bankgirot"),
        help_text=gettext_lazy(
            "A payment specification, mandate notices or rejected orders. The next page shows "
            "how far the import has come."
        ),
    )


class _ReadOnlyPlain(admin.ModelAdmin):  # type: ignore[type-arg]
    """Runs and files hold no one's personal data to audit; they change only by the services."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(BankgirotFile)
class BankgirotFileAdmin(_ReadOnlyPlain):
    list_display = ("at", "direction", "name", "content", "records", "run", "by")
    list_filter = ("direction", "content")
    search_fields = ("name", "=sha256")
    list_select_related = ("run", "by")
    fields = (
        "direction",
        "name",
        "content",
        "records",
        "summary_table",
        "ledger",
        "at",
        "by",
        "run",
        "sha256",
    )
    readonly_fields = fields

    @admin.display(description=gettext_lazy("summary"))
    def summary_table(self, obj: BankgirotFile) -> SafeString:
        labels = FILE_LABELS if obj.direction == Direction.IN else RUN_LABELS
        return _summary_table(obj.summary, labels)


def _money(value: Any) -> Decimal:
    """A sum in kronor and öre (None over no rows)."""
    return value if value is not None else Decimal("0.00")


def _shown_keys(runs: list[BillingRun]) -> list[str]:
    """The counts that occur in any of the runs shown (a column of zeros says nothing)."""
    return [key for key in SUMMARY_LABELS if any(run.summary.get(key) for run in runs)]


@admin.register(BillingRun)
class BillingRunAdmin(_ReadOnlyPlain):
    list_display = ("run_date", "started_at", "finished_at", "orders", "mandates_sent")
    fields = ("run_date", "started_at", "finished_at", "summary_table", "files")
    readonly_fields = fields
    change_list_template = "billing/admin/billingrun_change_list.html"

    @admin.display(description=gettext_lazy("Debits ordered"))
    def orders(self, obj: BillingRun) -> int:
        return int(obj.summary.get("orders", 0))

    @admin.display(description=gettext_lazy("Mandates sent"))
    def mandates_sent(self, obj: BillingRun) -> int:
        return int(obj.summary.get("mandates_sent", 0))

    @admin.display(description=gettext_lazy("summary"))
    def summary_table(self, obj: BillingRun) -> SafeString:
        return _summary_table(obj.summary, RUN_LABELS)

    @admin.display(description=gettext_lazy("files"))
    def files(self, obj: BillingRun) -> SafeString:
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (reverse("admin:billing_bankgirotfile_change", args=[f.pk]), f.name)
                for f in obj.files.all()
            ),
        )

    def get_urls(self) -> list[Any]:
        own = [
            path(
                "dashboard/",
                self.admin_site.admin_view(self.dashboard_view),
                name="billing_dashboard",
            ),
            path(
                "dashboard/job/<uuid:public_id>/",
                self.admin_site.admin_view(self.job_view),
                name="billing_job",
            ),
        ]
        return own + super().get_urls()

    # -- the dashboard -------------------------------------------------------------------------

    def dashboard_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("billing.view_billingrun"):
            raise DjangoPermissionDenied
        may_run = request.user.has_perm("billing.run_billing")
        run_form = RunForm(initial={"on": clock.today()}, prefix="run")
        import_form = ImportForm(prefix="import")
        refusal: list[FieldProblem] = []
        if request.method == "POST":
            if not may_run:
                raise DjangoPermissionDenied
            if "run" in request.POST:
                run_form = RunForm(request.POST, prefix="run")
                if run_form.is_valid():
                    job = run_submit(
                        ctx=staff_context(request), on=run_form.cleaned_data["on"].isoformat()
                    )
                    return HttpResponseRedirect(reverse("admin:billing_job", args=[job.public_id]))
            elif "import" in request.POST:
                import_form = ImportForm(request.POST, request.FILES, prefix="import")
                if import_form.is_valid():
                    upload = import_form.cleaned_data["file"]
                    job = import_submit(
                        ctx=staff_context(request),
                        name=upload.name or "",
                        chunks=upload.chunks(),
                        by_user_id=request.user.pk,
                    )
                    return HttpResponseRedirect(reverse("admin:billing_job", args=[job.public_id]))
        return admin_page(
            self,
            request,
            "billing/admin/dashboard.html",
            _("Billing dashboard"),
            may_run=may_run,
            run_form=run_form,
            import_form=import_form,
            refusal=refusal,
            **self._figures(),
        )

    def _figures(self) -> dict[str, Any]:
        runs = list(BillingRun.objects.order_by("-run_date")[:RUNS_SHOWN])
        debits: dict[int, dict[str, list[Any]]] = defaultdict(
            lambda: {key: [0, Decimal(0)] for key, _label, _states in RUN_COLUMNS}
        )
        for row in (
            Charge.objects.filter(run__in=runs)
            .values("run_id", "state")
            .annotate(count=Count("id"), total=MoneySum("amount"))
            .order_by()
        ):
            for key, _label, states in RUN_COLUMNS:
                if states is None or row["state"] in states:
                    cell = debits[row["run_id"]][key]
                    cell[0] += row["count"]
                    cell[1] += _money(row["total"])
        by_state: dict[str, tuple[int, Decimal]] = {
            row["state"]: (row["count"], _money(row["total"]))
            for row in Charge.objects.values("state")
            .annotate(count=Count("id"), total=MoneySum("amount"))
            .order_by()
        }
        keys = _shown_keys(runs)
        return {
            "summary_labels": [SUMMARY_LABELS[key] for key in keys],
            "debit_labels": [label for _key, label, _states in RUN_COLUMNS],
            "runs": [
                {
                    "run": run,
                    "counts": [run.summary.get(key, 0) for key in keys],
                    "blocked": run.summary.get("renewal_blocked", ""),
                    "debits": [debits[run.pk][key] for key, _label, _states in RUN_COLUMNS],
                }
                for run in runs
            ],
            "by_state": [
                (label, *by_state.get(value, (0, Decimal(0))))
                for value, label in ChargeState.choices
            ],
            "files": list(
                BankgirotFile.objects.filter(direction=Direction.IN)
                .select_related("by")
                .order_by("-at")[:FILES_SHOWN]
            ),
            "open_mandates": Mandate.objects.filter(
                state__in=[MandateState.REQUESTED, MandateState.SENT]
            ).count(),
        }

    def job_view(self, request: HttpRequest, public_id: Any) -> HttpResponse:
        """A run or an import under way (the page reloads every second), then its outcome."""
        if not request.user.has_perm("billing.view_billingrun"):
            raise DjangoPermissionDenied
        job = get_object_or_404(Job, public_id=public_id, kind__in=[jobs.RUN, jobs.IMPORT])
        if job.state == JobState.DONE and job.kind == jobs.IMPORT:
            file = BankgirotFile.objects.get(pk=job.result["file_id"])
            return self._import_result(request, file, already=bool(job.result.get("already")))
        progress = job_progress(job)
        run = (
            BillingRun.objects.filter(pk=job.result.get("run_id")).first()
            if job.state == JobState.DONE
            else None
        )
        return admin_page(
            self,
            request,
            "billing/admin/job.html",
            _("Billing run") if job.kind == jobs.RUN else _("Import from Bankgirot"),
            job=job,
            running=job.state in (JobState.QUEUED, JobState.RUNNING),
            done=progress.get("done"),
            total=progress.get("total"),
            phase=PHASES.get(str(progress.get("phase", "")), ""),
            run=run,
        )

    def _import_result(
        self, request: HttpRequest, file: BankgirotFile, *, already: bool
    ) -> HttpResponse:
        summary = file.summary
        if already:
            messages.warning(
                request,
                _("%(name)s was already imported on %(at)s; nothing was booked again.")
                % {"name": file.name, "at": f"{file.at:%Y-%m-%d %H:%M}"},
            )
        else:
            messages.success(
                request,
                _("%(name)s is imported: %(records)s records.")
                % {"name": file.name, "records": file.records},
            )
        failed = int(summary.get("status_1", 0)) + int(summary.get("status_2", 0))
        return admin_page(
            self,
            request,
            "billing/admin/import_result.html",
            _("Import from Bankgirot: %(name)s") % {"name": file.name},
            file=file,
            already=already,
            counts=[
                (_("Records"), file.records),
                (pgettext("state of a charge", "Paid"), summary.get("status_0", 0)),
                (
                    _("Paid (kr)"),
                    number_format(_money(summary.get("paid_sum")), 2, force_grouping=True),
                ),
                (_("Failed"), failed + int(summary.get("rejected", 0))),
                (_("Retrying"), summary.get("status_9", 0)),
                (_("Unmatched"), summary.get("unmatched_count", 0)),
            ],
            details=_summary_table(summary, FILE_LABELS),
        )


work_queue_register(
    WorkQueue(
        gettext_lazy("Autogiro mandates awaiting Bankgirot"),
        "billing.change_mandate",
        Mandate,
        {"state__exact": MandateState.SENT},
    )
)
work_queue_register(
    WorkQueue(
        gettext_lazy("Debits not paid"),
        "billing.run_billing",
        Charge,
        {"state__exact": ChargeState.FAILED},
    )
)
