"""Claims in the portal: report an accident, follow the claims and download their decisions."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from trygg.banking.selectors import accounts_of
from trygg.claims.letters import decision_letter
from trygg.claims.selectors import claims_of
from trygg.claims.services import claim_report
from trygg.identity.actors import audit_context
from trygg.identity.portal import current_customer, customer_required
from trygg.identity.requests import PortalRequest
from trygg.identity.sca import Function
from trygg.insurance.selectors import policies_of
from trygg.kernel import clock
from trygg.kernel.audit import audit_read_batch
from trygg.kernel.errors import DomainError
from trygg.kernel.forms import apply_problems
from trygg.kernel.models import AuditChannel


class ClaimForm(forms.Form):
    policy_number = forms.ChoiceField(label=gettext_lazy("Policy"))
    accident_date = forms.DateField(
        label=gettext_lazy("Date of the accident"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    description = forms.CharField(
        label=gettext_lazy("What happened, and which injuries"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    payout_account = forms.TypedChoiceField(
        label=gettext_lazy("Pay to my account"), coerce=int, required=False, empty_value=None
    )
    payout_destination = forms.CharField(
        label=gettext_lazy("... or to an account at another bank (clearing and account number)"),
        required=False,
    )


@require_http_methods(["GET", "POST"])
@customer_required(function=Function.INSURANCE)
def claims_view(request: PortalRequest) -> HttpResponseBase:
    """Report an accident; follow the claims and their decisions."""
    me = current_customer(request)
    ctx = audit_context(request, AuditChannel.WEB)
    with audit_read_batch():
        policies = policies_of(ctx=ctx, person=me)
        accounts = accounts_of(ctx=ctx, person=me)
        claims = claims_of(ctx=ctx, person=me)
    form = ClaimForm(request.POST or None)
    form.fields["policy_number"].choices = [  # type: ignore[attr-defined]
        (p.number, f"{p.number} ({p.insured.display_name})") for p in policies
    ]
    form.fields["payout_account"].choices = [("", "–")] + [  # type: ignore[attr-defined]
        (a.pk, f"{a.name} {a.number}") for a in accounts
    ]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            claim = claim_report(
                ctx=ctx,
                person=me,
                policy_number=data["policy_number"],
                accident_date=data["accident_date"],
                description=data["description"],
                payout_account=data["payout_account"],
                payout_destination=data["payout_destination"],
            )
        except DomainError as error:
            apply_problems(form, error)
        else:
            messages.success(
                request,
                _("Your claim %(number)s is registered. We will contact you.")
                % {"number": claim.number},
            )
            return redirect("web:claims")
    return render(
        request,
        "claims/claims.html",
        {"form": form, "claims": claims, "has_policies": bool(policies)},
        status=422 if form.errors else 200,
    )


@require_GET
@customer_required(function=Function.INSURANCE)
def claim_letter_view(request: PortalRequest, number: str) -> HttpResponse:
    me = current_customer(request)
    claim = next(
        (
            c
            for c in claims_of(ctx=audit_context(request, AuditChannel.WEB), person=me)
            if c.number == number and c.state != "reported"
        ),
        None,
    )
    if claim is None:
        return render(request, "web/not_found.html", status=404)
    response = HttpResponse(
        decision_letter(claim, on=clock.today()), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="beslut-{claim.number}.pdf"'
    return response
