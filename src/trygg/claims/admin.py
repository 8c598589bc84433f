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
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.claims.letters import decision_letter, item_label
from trygg.claims.messages import basis_text, line_basis
from trygg.claims.models import Claim, ClaimState
from trygg.claims.selectors import policy_to_report_on
from trygg.claims.services import (
    FactsInput,
    benefits_for,
    claim_decide,
    claim_pay,
    claim_reject,
    claim_report_staff,
    lines_explained,
)
from trygg.kernel import clock
from trygg.kernel.admin import (
    AuditedReadAdmin,
    IdNumberSearchMixin,
    WorkQueue,
    admin_page,
    carried_out_if_confirmed,
    confirmed,
    work_queue_register,
)
from trygg.kernel.audit import staff_context
from trygg.kernel.errors import DomainError
from trygg.kernel.forms import apply_problems
from trygg.kernel.numbertext import money_text

SCAR_LOCATIONS = {
    "face": gettext_lazy("face"),
    "other_visible": gettext_lazy("other visible part of the body"),
    "other": gettext_lazy("other part of the body"),
}
SCAR_SIZES = {
    "small": gettext_lazy("small"),
    "medium": gettext_lazy("medium"),
    "large": gettext_lazy("large"),
}


def scar_label(location: str, size: str) -> str:
    """A scar class in words ("face, small") rather than the terms' codes."""
    return f"{SCAR_LOCATIONS.get(location, location)}, {SCAR_SIZES.get(size, size)}"


SCAR_CHOICES = [("", "–")] + [
    (f"{location}:{size}", format_lazy("{}, {}", place, grade))
    for location, place in SCAR_LOCATIONS.items()
    for size, grade in SCAR_SIZES.items()
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


def facts_shown(facts: dict[str, Any]) -> list[tuple[Any, str]]:
    """The facts a decision was made on, each under the label the handler entered it with."""
    fields = FactsForm.base_fields
    shown: list[tuple[Any, str]] = []
    for name, value in facts.items():
        if name not in fields or value in (None, "", [], 0, "0", "0.00", False):
            continue
        if name == "occupational":
            text = str(dict(fields[name].choices).get(value, value))  # type: ignore[attr-defined]
        elif name == "scar":
            text = scar_label(*value)
        elif name == "costs":
            text = "; ".join(
                f"{day} {money_text(Decimal(amount))} {what}" for day, amount, what in value
            )
        elif name == "clothes_glasses":
            text = money_text(Decimal(value))
        elif name == "died":
            text = _("Yes")
        else:
            text = str(value)
        shown.append((fields[name].label, text))
    return shown


class ReportForm(forms.Form):
    accident_date = forms.DateField(label=gettext_lazy("Accident date"))
    description = forms.CharField(
        label=gettext_lazy("What happened"), widget=forms.Textarea(attrs={"rows": 4})
    )
    payout_destination = forms.CharField(
        label=gettext_lazy("Payout to account (clearing and account number)")
    )


class PayForm(forms.Form):
    """Nothing to enter: the payout is shown and confirmed."""


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
    # The facts and benefits are shown in words below the fields (``facts_shown``, ``lines``),
    # never as the stored JSON.
    exclude = ("facts", "lines")
    readonly_fields = [f.name for f in Claim._meta.fields if f.name not in ("facts", "lines")]
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
            (item_label(line["item"]), line["amount"], line_basis(line))
            for line in (lines_explained(claim) if claim else [])
        ]
        facts = facts_shown(claim.facts) if claim else []
        return super().change_view(
            request,
            object_id,
            form_url,
            {**(extra_context or {}), "lines": lines, "facts": facts},
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
                    assessment = benefits_for(claim, facts)
                    if form.cleaned_data["action"] == "decide":
                        kept, _decided = carried_out_if_confirmed(
                            request,
                            form,
                            lambda: claim_decide(
                                ctx=staff_context(request),
                                user=request.user,
                                claim_id=claim.pk,
                                facts=facts,
                            ),
                            lambda _done: self._decision_consequence(claim, assessment),
                        )
                        if kept:
                            messages.success(request, _("The claim is decided."))
                            return self._back(claim)
                except DomainError as error:
                    assessment = None
                    apply_problems(form, error)
        return self._page(
            request,
            _("Decide claim %(number)s") % {"number": claim.number},
            form=form,
            claim=claim,
            assessment=assessment,
            lines=[
                (item_label(x.item), x.amount, basis_text(x.reasons, x.basis))
                for x in assessment.benefits.lines
            ]
            if assessment
            else [],
        )

    @staticmethod
    def _decision_consequence(claim: Claim, assessment: Any) -> str:
        return _(
            "Claim %(number)s is decided at %(total)s as calculated above, each amount with its "
            "reason; the insured is sent the decision letter, and the amount can then be paid "
            "to %(account)s."
        ) % {
            "number": claim.number,
            "total": money_text(assessment.benefits.total),
            "account": claim.payout_destination,
        }

    def pay_view(self, request: HttpRequest, claim_id: int) -> HttpResponse:
        if not request.user.has_perm("claims.decide_claim"):
            raise DjangoPermissionDenied
        claim = get_object_or_404(Claim, pk=claim_id)
        self.audit_read(request, claim, view="pay")
        form = PayForm(request.POST)  # no fields: bound on GET too, to show what will happen
        consequence = _(
            "%(total)s is paid out for claim %(number)s to account %(account)s. A payment "
            "cannot be called back."
        ) % {
            "total": money_text(claim.total),
            "number": claim.number,
            "account": claim.payout_destination,
        }
        if request.method == "POST" and form.is_valid():
            try:
                kept, paid = carried_out_if_confirmed(
                    request,
                    form,
                    lambda: claim_pay(ctx=staff_context(request), claim_id=claim.pk),
                    lambda _done: consequence,
                )
            except DomainError as error:
                messages.error(request, str(error.message))
                return self._back(claim)
            if kept:
                messages.success(
                    request, _("%(total)s is paid.") % {"total": money_text(paid.total)}
                )
                return self._back(paid)
        if request.method == "GET" and form.is_valid():
            confirmed(request, form, consequence=consequence)
        return self._page(
            request, _("Pay claim %(number)s") % {"number": claim.number}, form=form, claim=claim
        )

    def reject_view(self, request: HttpRequest, claim_id: int) -> HttpResponse:
        if not request.user.has_perm("claims.decide_claim"):
            raise DjangoPermissionDenied
        claim = get_object_or_404(Claim, pk=claim_id)
        self.audit_read(request, claim, view="reject")
        form = RejectForm(request.POST or None)
        consequence = _(
            "Claim %(number)s is rejected and nothing is paid; the insured is sent a letter "
            "with the reason written above."
        ) % {"number": claim.number}
        if request.method == "POST" and form.is_valid():
            try:
                kept, _rejected = carried_out_if_confirmed(
                    request,
                    form,
                    lambda: claim_reject(
                        ctx=staff_context(request),
                        user=request.user,
                        claim_id=claim.pk,
                        reason=form.cleaned_data["reason"],
                    ),
                    lambda _done: consequence,
                )
            except DomainError as error:
                apply_problems(form, error)
            else:
                if kept:
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


work_queue_register(
    WorkQueue(
        gettext_lazy("Claims to decide"),
        "claims.decide_claim",
        Claim,
        {"state__exact": ClaimState.REPORTED},
    )
)
work_queue_register(
    WorkQueue(
        gettext_lazy("Decided claims to pay"),
        "claims.decide_claim",
        Claim,
        {"state__exact": ClaimState.DECIDED},
    )
)
