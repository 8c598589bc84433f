"""Accident insurance in the portal: quotes (open to anyone), applications with the health
declaration signed through the signing service, the customer's policies and claims."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from trygg.identity.actors import audit_context
from trygg.identity.models import SigningOrder
from trygg.identity.portal import (
    current_customer,
    customer_required,
    done_order,
    entered_order,
    remember_order,
)
from trygg.identity.requests import PortalRequest
from trygg.identity.sca import Function
from trygg.identity.sessions import account_information_shown
from trygg.identity.signing import signing_completion_register
from trygg.insurance.applications import (
    AnswerInput,
    ApplicationInput,
    application_start,
    application_submit,
    applications_of,
    questions,
)
from trygg.insurance.autogiro import autogiro_billing
from trygg.insurance.letters import policy_letter
from trygg.insurance.policies import current_term, policy_cancel
from trygg.insurance.selectors import (
    PERIOD_CHOICES,
    autogiro_in_force,
    held_policy_id,
    period_label,
    policies_of,
    policy_of,
)
from trygg.insurance.tariffs import QuoteResult, price_list, quote_for
from trygg.kernel import clock
from trygg.kernel.audit import AuditContext, audit_read_batch
from trygg.kernel.errors import DomainError
from trygg.kernel.forms import apply_problems
from trygg.kernel.models import AuditChannel
from trygg.kernel.numbertext import account_text

if TYPE_CHECKING:
    from trygg.insurance.models import Application, HealthQuestion

LEVEL_CHOICES = [
    (str(n), gettext_lazy("%(n)s price base amounts") % {"n": n}) for n in (10, 20, 30, 40, 50)
]


class QuoteForm(forms.Form):
    insured = forms.CharField(
        label=gettext_lazy("The insured's personal identity number or birth date"),
        help_text=gettext_lazy("YYYYMMDD-NNNN or YYYY-MM-DD"),
        max_length=20,
        required=False,
    )
    level = forms.TypedChoiceField(
        label=gettext_lazy("Insured level"), choices=LEVEL_CHOICES, coerce=int, initial="20"
    )
    period = forms.ChoiceField(label=gettext_lazy("Payment period"), choices=PERIOD_CHOICES)
    date = forms.DateField(
        label=gettext_lazy("Start date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


@require_http_methods(["GET", "POST"])
def quote_view(request: PortalRequest) -> HttpResponse:
    """What the insurance costs and pays, for anyone, logged in or not."""
    tomorrow = clock.today() + dt.timedelta(days=1)
    form = QuoteForm(request.POST or None, initial={"date": tomorrow})
    result: QuoteResult | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = quote_for(
                insured=data["insured"],
                level=data["level"],
                period=data["period"],
                on=data["date"] or tomorrow,
            )
        except DomainError as error:
            apply_problems(form, error)
    return render(
        request,
        "insurance/insurance_quote.html",
        {
            "form": form,
            "result": result,
            "period_label": period_label(result.quote.period.value) if result else "",
        },
        status=422 if form.errors else 200,
    )


class PriceDateForm(forms.Form):
    date = forms.DateField(
        label=gettext_lazy("Start date"),
        required=False,
        help_text=gettext_lazy("At the earliest tomorrow. Empty: tomorrow."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


@require_GET
def prices_view(request: PortalRequest) -> HttpResponse:
    """Every level side by side in kronor, for anyone: reached from the log-in page."""
    tomorrow = clock.today() + dt.timedelta(days=1)
    form = PriceDateForm(request.GET or None, initial={"date": tomorrow})
    on = tomorrow
    if form.is_bound and form.is_valid() and form.cleaned_data["date"]:
        on = form.cleaned_data["date"]
        if on < tomorrow:
            form.add_error(
                "date",
                _("An insurance can start tomorrow at the earliest (%(date)s).")
                % {"date": tomorrow.isoformat()},
            )
            on = tomorrow
    try:
        prices = price_list(on)
    except DomainError as error:
        apply_problems(form, error)
        prices = None
    return render(
        request,
        "insurance/insurance_prices.html",
        {"form": form, "prices": prices},
        status=422 if form.errors else 200,
    )


class ApplyForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of application"),
        choices=[
            ("new", gettext_lazy("New insurance")),
            ("increase", gettext_lazy("Increase")),
            ("reexamination", gettext_lazy("Re-examination")),
            ("change", gettext_lazy("Change (lower level or payment)")),
        ],
    )
    policy_number = forms.ChoiceField(
        label=gettext_lazy("Policy (for an increase, a re-examination or a change)"),
        required=False,
    )
    insured_id_number = forms.CharField(
        label=gettext_lazy("The insured's personal identity number"), max_length=20, required=False
    )
    insured_given_name = forms.CharField(
        label=gettext_lazy("The insured's first name"), max_length=100, required=False
    )
    insured_family_name = forms.CharField(
        label=gettext_lazy("The insured's surname"), max_length=100, required=False
    )
    level = forms.TypedChoiceField(
        label=gettext_lazy("Insured level"), choices=LEVEL_CHOICES, coerce=int, initial="20"
    )
    payment = forms.ChoiceField(
        label=gettext_lazy("I want to pay by"),
        choices=[
            ("invoice:yearly", gettext_lazy("Invoice, yearly")),
            ("invoice:half_yearly", gettext_lazy("Invoice, half-yearly")),
            ("autogiro:monthly", gettext_lazy("Autogiro, monthly")),
            ("autogiro:half_yearly", gettext_lazy("Autogiro, half-yearly")),
            ("autogiro:yearly", gettext_lazy("Autogiro, yearly")),
            ("existing_autogiro:monthly", gettext_lazy("My existing autogiro, monthly")),
            ("existing_autogiro:half_yearly", gettext_lazy("My existing autogiro, half-yearly")),
            ("existing_autogiro:yearly", gettext_lazy("My existing autogiro, yearly")),
        ],
    )
    autogiro_own = forms.ChoiceField(
        label=gettext_lazy("One of my accounts with you"), required=False
    )
    autogiro_account = forms.CharField(
        label=gettext_lazy("Or an account in my name at another bank: clearing and account number"),
        max_length=30,
        required=False,
        help_text=gettext_lazy(
            "A transaction account, not a savings account. The autogiro mandate is created when "
            "the insurance is issued. Empty: you register the mandate on the autogiro page later."
        ),
    )
    start_date = forms.DateField(
        label=gettext_lazy("Start date"),
        required=False,
        help_text=gettext_lazy(
            "At the earliest tomorrow, at the latest three months from today. Empty: tomorrow."
        ),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    replaces_other = forms.ChoiceField(
        label=gettext_lazy("Shall this insurance replace another insurance?"),
        choices=[("", "–"), ("no", gettext_lazy("No")), ("yes", gettext_lazy("Yes"))],
        required=False,
        help_text=gettext_lazy(
            "If it replaces an insurance with another company, do not cancel that insurance "
            "before you have our decision and policy letter."
        ),
    )
    replaced_policy_number = forms.CharField(
        label=gettext_lazy("If it is with us, its policy number"), max_length=20, required=False
    )
    privacy_notice = forms.BooleanField(
        label=gettext_lazy("I have read how my personal data are processed."), required=False
    )

    def __init__(self, *args: Any, questions: list[HealthQuestion], language: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for q in questions:
            self.fields[f"health.{q.code}"] = forms.ChoiceField(
                label=q.text(language),
                choices=[("no", gettext_lazy("No")), ("yes", gettext_lazy("Yes"))],
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"health.{q.code}.detail"] = forms.CharField(
                label=gettext_lazy("If yes: what, when, and the treatment"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def health_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"health.{q.code}"], self[f"health.{q.code}.detail"]) for q in self.questions]


def application_input(data: dict[str, Any]) -> ApplicationInput:
    """The form's data (as posted, kept in the session until signed) as the service's input."""
    method, _sep, period = str(data.get("payment", "")).partition(":")
    start = data.get("start_date") or ""
    try:
        start_date = dt.date.fromisoformat(start) if start else None
    except ValueError:
        start_date = None
    level = str(data.get("level", ""))
    answers = {}
    for key, value in data.items():
        if key.startswith("health.") and not key.endswith(".detail"):
            code = key.removeprefix("health.")
            answers[code] = AnswerInput(
                yes={"yes": True, "no": False}.get(value),
                detail=str(data.get(f"health.{code}.detail", "")),
            )
    return ApplicationInput(
        kind=str(data.get("kind", "")),
        level=int(level) if level.isdigit() else level,
        payment_method=method,
        period=period,
        start_date=start_date,
        replaces_other={"yes": True, "no": False}.get(str(data.get("replaces_other", ""))),
        insured_id_number=str(data.get("insured_id_number", "")),
        insured_given_name=str(data.get("insured_given_name", "")),
        insured_family_name=str(data.get("insured_family_name", "")),
        replaced_policy_number=str(data.get("replaced_policy_number", "")),
        policy_number=str(data.get("policy_number", "")),
        answers=answers,
        privacy_notice_shown=data.get("privacy_notice") in ("on", True, "true"),
        autogiro_account=str(data.get("autogiro_account", "")),
    )


def _posted(request: PortalRequest, own_accounts: list[tuple[int, str, str]]) -> dict[str, str]:
    """The form as posted; one of the customer's own accounts chosen for autogiro is kept as
    its number, which the signature covers (the list shows it by name only without the
    account information check, and the form sends its id)."""
    data = {k: str(v) for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
    chosen = data.pop("autogiro_own", "")
    numbers = {str(pk): number for pk, number, _name in own_accounts}
    if chosen in numbers:
        data["autogiro_account"] = numbers[chosen]
    return data


@require_http_methods(["GET", "POST"])
@customer_required()
def apply_view(request: PortalRequest) -> HttpResponseBase:
    """The online application with the health declaration; it is signed before it is sent."""
    me = current_customer(request)
    ctx = audit_context(request, AuditChannel.WEB)
    initial = {
        "insured_id_number": f"{me.id_number[:8]}-{me.id_number[8:]}",
        "insured_given_name": me.given_name,
        "insured_family_name": me.family_name,
        "level": request.GET.get("level", "20"),
    }
    if request.GET.get("period") in {"monthly", "half_yearly", "yearly"}:
        initial["payment"] = f"autogiro:{request.GET['period']}"
    form = ApplyForm(
        request.POST or None,
        initial=initial,
        questions=questions(),
        language=get_language() or "sv",
    )
    own = [
        p
        for p in policies_of(ctx=ctx, person=me)
        if p.policyholder_id == me.pk and p.state == "active"
    ]
    form.fields["policy_number"].choices = [("", "–")] + [  # type: ignore[attr-defined]
        (p.number, f"{p.number} ({p.level} PBB, {p.insured.display_name})") for p in own
    ]
    billing = autogiro_billing()
    own_accounts = billing.own_accounts(ctx, me) if billing is not None else []
    shown = account_information_shown(request.customer_session)
    form.fields["autogiro_own"].choices = [("", "–")] + [  # type: ignore[attr-defined]
        (str(pk), f"{name} {number}" if shown else name) for pk, number, name in own_accounts
    ]
    if request.method == "POST" and form.is_valid():
        data = _posted(request, own_accounts)
        if str(data.get("payment", "")).startswith("existing_autogiro:") and not autogiro_in_force(
            me
        ):
            # "Betala med befintligt autogiro": the new insurance goes on the mandate in force.
            form.add_error(
                "payment",
                _(
                    "You have no autogiro mandate in force to pay with: choose autogiro (a new "
                    "mandate) or an invoice."
                ),
            )
    if request.method == "POST" and form.is_valid():
        data = _posted(request, own_accounts)
        try:
            order = application_start(ctx=ctx, person=me, data=application_input(data))
        except DomainError as error:
            apply_problems(form, error)
        else:
            remember_order(request, order.public_id, data)
            return redirect("web:sign", public_id=order.public_id)
    return render(
        request,
        "insurance/insurance_apply.html",
        {"form": form, "autogiro_asked": billing is not None},
        status=422 if form.errors else 200,
    )


def _submit_signed_application(request: PortalRequest, order: SigningOrder) -> HttpResponseBase:
    """Carried out once the application is signed: recorded and assessed at once."""
    data = entered_order(request, order.public_id)
    if data is None:
        messages.error(request, _("There is nothing to carry out for this signature."))
        return redirect("web:insurance")
    application = application_submit(
        ctx=audit_context(request, AuditChannel.WEB),
        person=current_customer(request),
        signing_id=order.public_id,
        data=application_input(data),
    )
    done_order(request, order.public_id)
    if application.state == "accepted" and application.policy is not None:
        messages.success(
            request,
            _("Your application %(number)s is accepted. Policy %(policy)s starts on %(start)s.")
            % {
                "number": application.number,
                "policy": application.policy.number,
                "start": application.start_date,
            },
        )
    else:
        messages.success(
            request,
            _(
                "Your application %(number)s is signed and sent. An underwriter will assess your "
                "health declaration; we will write to you."
            )
            % {"number": application.number},
        )
    return redirect("web:insurance")


WITHDRAWAL_DAYS = 14
"""The right of withdrawal of a distance contract (the policy letter tells it in full)."""


def _next_steps(
    ctx: AuditContext, application: Application, *, accounts_shown: bool
) -> dict[str, Any] | None:
    """What happens after an accepted application, while its right of withdrawal runs: the
    policy letter, the first premium (debited by autogiro, or invoiced) and the withdrawal."""
    policy = application.policy
    if application.state != "accepted" or policy is None or application.kind != "new":
        return None
    # Taken out when accepted: by an underwriter, or at once when signed.
    if application.decided_at is not None:
        taken_out = timezone.localdate(application.decided_at)
    else:
        taken_out = application.signed_on or application.applied_on
    until = taken_out + dt.timedelta(days=WITHDRAWAL_DAYS)
    if clock.today() > until:
        return None
    billing = autogiro_billing()
    first = billing.first_debit(ctx, policy) if billing is not None else None
    account = ""
    if application.autogiro_account and accounts_shown:
        account = account_text(application.autogiro_clearing, application.autogiro_account)
    return {
        "application": application,
        "policy": policy,
        "first": first,
        "account": account,
        "taken_out": taken_out,
        "until": until,
    }


@require_GET
@customer_required(function=Function.INSURANCE)
def insurance_view(request: PortalRequest) -> HttpResponse:
    me = current_customer(request)
    ctx = audit_context(request, AuditChannel.WEB)
    with audit_read_batch():
        policies = policies_of(ctx=ctx, person=me)
        applications = applications_of(ctx=ctx, person=me)
        rows = [(p, current_term(p)) for p in policies]
        shown = account_information_shown(request.customer_session)
        steps = [
            step
            for step in (_next_steps(ctx, a, accounts_shown=shown) for a in applications)
            if step is not None
        ]
    return render(
        request,
        "insurance/insurance.html",
        {"policies": rows, "applications": applications, "me": me, "next_steps": steps},
    )


@require_GET
@customer_required(function=Function.INSURANCE)
def policy_letter_view(request: PortalRequest, number: str) -> HttpResponse:
    try:
        policy = policy_of(
            ctx=audit_context(request, AuditChannel.WEB),
            person=current_customer(request),
            number=number,
        )
    except DomainError:
        return render(request, "web/not_found.html", status=404)
    response = HttpResponse(policy_letter(policy, on=clock.today()), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="forsakringsbrev-{policy.number}.pdf"'
    return response


@require_http_methods(["POST"])
@customer_required()
def policy_cancel_view(request: PortalRequest, number: str) -> HttpResponseBase:
    me = current_customer(request)
    policy_id = held_policy_id(holder=me, number=number)
    if policy_id is None:
        return render(request, "web/not_found.html", status=404)
    try:
        on = dt.date.fromisoformat(request.POST.get("on", ""))
    except ValueError:
        messages.error(request, _("Give the date the insurance shall end, as YYYY-MM-DD."))
        return redirect("web:insurance")
    if request.POST.get("confirm") != "yes":
        messages.error(
            request,
            _(
                "Policy %(number)s is not cancelled: tick the box to confirm that you "
                "understand the cancellation."
            )
            % {"number": number},
        )
        return redirect("web:insurance")
    try:
        policy_cancel(
            ctx=audit_context(request, AuditChannel.WEB), person=me, policy_id=policy_id, on=on
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            _("Policy %(number)s ends on %(date)s.") % {"number": number, "date": on.isoformat()},
        )
    return redirect("web:insurance")


def register_signing_completions() -> None:
    """A signed application is recorded and assessed here (see ``apps.py``)."""
    signing_completion_register(Function.INSURANCE_APPLICATION, _submit_signed_application)
