"""Back office for claims: report one from a policy, establish the facts and decide with the
benefit calculator, pay through the ledger, reject with a reason, print the decision letter."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.claims.letters import decision_letter, item_label
from trygg.claims.models import Claim, ClaimState
from trygg.claims.selectors import policy_to_report_on
from trygg.claims.services import (
    FactsInput,
    benefits_for,
    claim_decide,
    claim_pay,
    claim_reject,
    claim_report_staff,
)
from trygg.kernel import clock
from trygg.kernel.admin import AuditedReadAdmin, IdNumberSearchMixin, admin_page
from trygg.kernel.audit import staff_context
from trygg.kernel.errors import DomainError
from trygg.kernel.forms import apply_problems
from trygg.kernel.numbertext import money_text

SCAR_CHOICES = [("", "–")] + [
    (f"{location}:{size}", f"{location} / {size}")
    for location in ("face", "other_visible", "other")
    for size in ("small", "medium", "large")
]


class FactsForm(forms.Form):
    medical_degree = forms.IntegerField(
        label=gettext_lazy("Medical disability (%)"), min_value=0, max_value=100, initial=0
    )
    occupational = forms.ChoiceField(
        label=gettext_lazy("Occupational disability"),
        choices=[
            ("none", gettext_lazy("None")),
            ("less_than_half", gettext_lazy("Less than half")),
            ("half", gettext_lazy("At least half")),
            ("three_quarters", gettext_lazy("Three quarters")),
            ("full", gettext_lazy("Full")),
        ],
    )
    hospital_nights = forms.IntegerField(
        label=gettext_lazy("Hospital nights"), min_value=0, initial=0
    )
    costs = forms.CharField(
        label=gettext_lazy("Costs, one per line: DATE AMOUNT TEXT"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    clothes_glasses = forms.DecimalField(
        label=gettext_lazy("Clothes and glasses (kr)"), min_value=0, initial=0, decimal_places=2
    )
    scar = forms.ChoiceField(label=gettext_lazy("Scar"), choices=SCAR_CHOICES, required=False)
    pain_months = forms.IntegerField(
        label=gettext_lazy("Months of acute illness (pain and suffering)"),
        min_value=0,
        max_value=120,
        initial=0,
    )
    died = forms.BooleanField(
        label=gettext_lazy("The insured died of the accident"), required=False
    )
    action = forms.ChoiceField(
        choices=[("preview", "preview"), ("decide", "decide")], widget=forms.HiddenInput
    )

    def facts(self) -> FactsInput:
        data = self.cleaned_data
        costs = []
        for number, line in enumerate((data.get("costs") or "").splitlines(), start=1):
            if not line.strip():
                continue
            parts = line.split(maxsplit=2)
            try:
                costs.append(
                    (
                        dt.date.fromisoformat(parts[0]),
                        Decimal(parts[1].replace(",", ".")),
                        parts[2] if len(parts) > 2 else "",
                    )
                )
            except (IndexError, ValueError, ArithmeticError):
                self.add_error(
                    "costs",
                    _("Line %(n)s: write DATE AMOUNT TEXT, e.g. 2026-12-03 850 Läkarbesök")
                    % {"n": number},
                )
        scar = data.get("scar") or ""
        return FactsInput(
            medical_degree=data["medical_degree"],
            occupational=data["occupational"],
            hospital_nights=data["hospital_nights"],
            costs=costs,
            clothes_glasses=data["clothes_glasses"],
            scar=tuple(scar.split(":", 1)) if scar else None,
            pain_months=data["pain_months"],
            died=data["died"],
        )


class ReportForm(forms.Form):
    accident_date = forms.DateField(label=gettext_lazy("Accident date"))
    description = forms.CharField(
        label=gettext_lazy("What happened"), widget=forms.Textarea(attrs={"rows": 4})
    )
    payout_destination = forms.CharField(
        label=gettext_lazy("Payout to account (clearing and account number)")
    )


class RejectForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 4}))


@admin.register(Claim)
class ClaimAdmin(IdNumberSearchMixin, AuditedReadAdmin):
    audit_object_type = "claim"
    audit_subject_path = "policy__insured_id"
    list_display = ("number", "policy", "accident_date", "state", "total", "reported_at")
    list_filter = ("state", "channel")
    search_fields = ("=number", "=policy__number")
    id_number_search_fields = ("policy__policyholder__id_number", "policy__insured__id_number")
    list_select_related = ("policy",)
    readonly_fields = [f.name for f in Claim._meta.fields]
    change_form_template = "admin/claims/claim/change_form.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[Any]:
        own = [
            path(
                "report/<id:policy_id>/",
                self.admin_site.admin_view(self.report_view),
                name="claims_claim_report",
            ),
            path(
                "<id:claim_id>/decide/",
                self.admin_site.admin_view(self.decide_view),
                name="claims_claim_decide",
            ),
            path(
                "<id:claim_id>/pay/",
                self.admin_site.admin_view(self.pay_view),
                name="claims_claim_pay",
            ),
            path(
                "<id:claim_id>/reject/",
                self.admin_site.admin_view(self.reject_view),
                name="claims_claim_reject",
            ),
            path(
                "<id:claim_id>/letter/",
                self.admin_site.admin_view(self.letter_view),
                name="claims_claim_letter",
            ),
        ]
        return own + super().get_urls()

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        claim = Claim.objects.filter(pk=object_id).first()
        lines = [
            (item_label(line["item"]), line["amount"], line["basis"])
            for line in (claim.lines if claim else [])
        ]
        return super().change_view(
            request, object_id, form_url, {**(extra_context or {}), "lines": lines}
        )

    def _page(self, request: HttpRequest, title: str, **context: Any) -> TemplateResponse:
        return admin_page(self, request, "admin/claims/claim/form.html", title, **context)

    def _back(self, claim: Claim) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[claim.pk]))

    def report_view(self, request: HttpRequest, policy_id: int) -> HttpResponse:
        if not request.user.has_perm("claims.add_claim"):
            raise DjangoPermissionDenied
        policy = policy_to_report_on(ctx=staff_context(request), policy_id=policy_id)
        if policy is None:
            raise Http404
        form = ReportForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                claim = claim_report_staff(
                    ctx=staff_context(request), policy_id=policy.pk, **form.cleaned_data
                )
            except DomainError as error:
                apply_problems(form, error)
            else:
                messages.success(
                    request, _("Claim %(number)s is registered.") % {"number": claim.number}
                )
                return self._back(claim)
        return self._page(
            request, _("Report a claim on policy %(number)s") % {"number": policy.number}, form=form
        )

    def decide_view(self, request: HttpRequest, claim_id: int) -> HttpResponse:
        if not request.user.has_perm("claims.decide_claim"):
            raise DjangoPermissionDenied
        claim = get_object_or_404(Claim.objects.select_related("policy__insured"), pk=claim_id)
        self.audit_read(request, claim, view="decide")
        form = FactsForm(request.POST or None, initial={"action": "preview"})
        assessment = None
        if request.method == "POST" and form.is_valid():
            facts = form.facts()
            if not form.errors:
                try:
                    if form.cleaned_data["action"] == "decide":
                        claim_decide(
                            ctx=staff_context(request),
                            user=request.user,
                            claim_id=claim.pk,
                            facts=facts,
                        )
                        messages.success(request, _("The claim is decided."))
                        return self._back(claim)
                    assessment = benefits_for(claim, facts)
                except DomainError as error:
                    apply_problems(form, error)
        return self._page(
            request,
            _("Decide claim %(number)s") % {"number": claim.number},
            form=form,
            claim=claim,
            assessment=assessment,
            lines=[(item_label(x.item), x.amount, x.basis) for x in assessment.benefits.lines]
            if assessment
            else [],
        )

    def pay_view(self, request: HttpRequest, claim_id: int) -> HttpResponse:
        if not request.user.has_perm("claims.decide_claim") or request.method != "POST":
            raise DjangoPermissionDenied
        claim = get_object_or_404(Claim, pk=claim_id)
        try:
            claim = claim_pay(ctx=staff_context(request), claim_id=claim.pk)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("%(total)s is paid.") % {"total": money_text(claim.total)})
        return self._back(claim)

    def reject_view(self, request: HttpRequest, claim_id: int) -> HttpResponse:
        if not request.user.has_perm("claims.decide_claim"):
            raise DjangoPermissionDenied
        claim = get_object_or_404(Claim, pk=claim_id)
        self.audit_read(request, claim, view="reject")
        form = RejectForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                claim_reject(
                    ctx=staff_context(request),
                    user=request.user,
                    claim_id=claim.pk,
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as error:
                apply_problems(form, error)
            else:
                return self._back(claim)
        return self._page(
            request, _("Reject claim %(number)s") % {"number": claim.number}, form=form, claim=claim
        )

    def letter_view(self, request: HttpRequest, claim_id: int) -> HttpResponse:
        if not request.user.has_perm("claims.view_claim"):
            raise DjangoPermissionDenied
        claim = get_object_or_404(Claim, pk=claim_id)
        if claim.state not in (ClaimState.DECIDED, ClaimState.PAID, ClaimState.REJECTED):
            messages.error(request, _("The claim is not decided yet."))
            return self._back(claim)
        self.audit_read(request, claim, view="letter")
        response = HttpResponse(
            decision_letter(claim, on=clock.today()), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'inline; filename="{claim.number}.pdf"'
        return response
