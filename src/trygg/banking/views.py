"""The bank in the portal: accounts, transfers between own accounts (no token), payments to new
accounts, payees, registrations and trades (signed on the signing pages, then carried out here)."""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods
from stdnum import luhn

from trygg.banking.rules import Destination, DestinationKind, RuleError, parse_destination
from trygg.banking.selectors import (
    account_postings,
    accounts_of,
    depot_of,
    holdings_of,
    instrument_quotes,
    payee_of,
    payees_of,
    payment_of,
    payments_scheduled,
    registrations_of,
    trade_orders_of,
)
from trygg.banking.services import (
    NewPaymentInput,
    PayeeInput,
    RegistrationInput,
    payee_change,
    payee_register,
    payee_register_start,
    payee_remove,
    payment_cancel,
    payment_new_check,
    payment_new_execute,
    payment_new_start,
    payment_to_payee,
    payment_to_payee_check,
    registration_create,
    registration_start,
    transfer_own,
)
from trygg.banking.trading import TradeInput, trade_cancel, trade_place, trade_start
from trygg.identity.actors import audit_context
from trygg.identity.models import SigningOrder
from trygg.identity.portal import (
    current_customer,
    customer_required,
    done_order,
    entered_order,
    nothing_to_do,
    remember_order,
)
from trygg.identity.requests import PortalRequest
from trygg.identity.sca import Function
from trygg.identity.sessions import account_information_shown
from trygg.identity.signing import signing_completion_register
from trygg.kernel import clock
from trygg.kernel.errors import DomainError, NotFound
from trygg.kernel.forms import apply_problems
from trygg.kernel.models import AuditChannel
from trygg.kernel.numbertext import money_text

if TYPE_CHECKING:
    from trygg.banking.models import Account


def _account_choices(request: PortalRequest, accounts: list[Account]) -> list[tuple[int, str]]:
    """The accounts of a form's select: with number and balance within 180 days of a
    two-factor log-in (RTS Art. 10), by name alone after that (forms open to a PIN session)."""
    if account_information_shown(request.customer_session):
        return [(a.pk, f"{a.name} {a.number} ({money_text(a.balance)})") for a in accounts]
    return [(a.pk, a.name) for a in accounts]


class TransferForm(forms.Form):
    from_account = forms.TypedChoiceField(label=gettext_lazy("From account"), coerce=int)
    to_account = forms.TypedChoiceField(label=gettext_lazy("To account"), coerce=int)
    amount = forms.CharField(
        label=gettext_lazy("Amount (kr)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    message = forms.CharField(label=gettext_lazy("Message"), required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)


class PaymentForm(forms.Form):
    from_account = forms.TypedChoiceField(label=gettext_lazy("From account"), coerce=int)
    kind = forms.ChoiceField(
        label=gettext_lazy("To"),
        choices=[
            ("bankgiro", gettext_lazy("Bankgiro")),
            ("plusgiro", gettext_lazy("Plusgiro")),
            ("account", gettext_lazy("Bank account (clearing and account number)")),
        ],
    )
    number = forms.CharField(label=gettext_lazy("Number"), required=False)
    receiver_name = forms.CharField(
        label=gettext_lazy("Receiver's name (shown on your receipt)"), required=False
    )
    amount = forms.CharField(
        label=gettext_lazy("Amount (kr)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    execution_date = forms.CharField(
        label=gettext_lazy("Payment date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    ocr = forms.CharField(
        label=gettext_lazy("OCR number"),
        required=False,
        help_text=gettext_lazy("From the bill. Give an OCR number or a message, not both."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    message = forms.CharField(label=gettext_lazy("Message to the payee"), required=False)


REVIEWS = "trygg.payment_reviews"


def _review_keep(request: PortalRequest, data: dict[str, Any]) -> str:
    """Keep a checked payment server-side for its review page; the token names it once."""
    token = secrets.token_urlsafe(12)
    reviews: dict[str, Any] = request.session.get(REVIEWS, {})
    reviews[token] = {**data, "key": secrets.token_urlsafe(16)}
    request.session[REVIEWS] = reviews
    return token


def _review_take(request: PortalRequest, token: str) -> dict[str, Any] | None:
    reviews: dict[str, Any] = request.session.get(REVIEWS, {})
    data: dict[str, Any] | None = reviews.pop(token, None)
    request.session[REVIEWS] = reviews
    return data


def _review_initial(request: PortalRequest) -> dict[str, Any]:
    """What the customer entered, when they come back from its review to change it."""
    reviews: dict[str, Any] = request.session.get(REVIEWS, {})
    data: dict[str, Any] = reviews.get(request.GET.get("review", ""), {})
    return {k: v for k, v in data.items() if k not in ("flow", "key", "payee_id")}


def _with_today(data: dict[str, Any]) -> dict[str, Any]:
    """The form's data with an empty payment date read as today (shown so on the review)."""
    return {**data, "execution_date": data.get("execution_date") or clock.today().isoformat()}


@require_GET
@customer_required(function=Function.OVERVIEW)
def bank_view(request: PortalRequest) -> HttpResponse:
    accounts = accounts_of(
        ctx=audit_context(request, AuditChannel.WEB), person=current_customer(request)
    )
    return render(request, "banking/bank.html", {"accounts": accounts})


@require_GET
@customer_required(function=Function.OVERVIEW)
def account_view(request: PortalRequest, account_id: int) -> HttpResponse:
    ctx = audit_context(request, AuditChannel.WEB)
    try:
        account, postings = account_postings(
            ctx=ctx, person=current_customer(request), account_id=account_id
        )
    except DomainError:
        return render(request, "web/not_found.html", status=404)
    scheduled = payments_scheduled(ctx=ctx, account=account)
    return render(
        request,
        "banking/account.html",
        {"account": account, "postings": postings, "scheduled": scheduled},
    )


@require_http_methods(["GET", "POST"])
@customer_required()
def transfer_view(request: PortalRequest) -> HttpResponseBase:
    ctx = audit_context(request, AuditChannel.WEB)
    accounts = accounts_of(ctx=ctx, person=current_customer(request))
    form = TransferForm(
        request.POST or None, initial={"idempotency_key": secrets.token_urlsafe(16)}
    )
    choices = _account_choices(request, accounts)
    form.fields["from_account"].choices = choices  # type: ignore[attr-defined]
    form.fields["to_account"].choices = choices  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            transfer_own(
                ctx=ctx,
                person=current_customer(request),
                from_account_id=data["from_account"],
                to_account_id=data["to_account"],
                amount=data["amount"],
                message=data["message"],
                idempotency_key=data["idempotency_key"] or None,
            )
        except DomainError as error:
            apply_problems(form, error)
        else:
            messages.success(request, _("The transfer is done."))
            return redirect("web:bank")
    return render(
        request, "banking/transfer.html", {"form": form}, status=422 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
@customer_required()
def payment_view(request: PortalRequest) -> HttpResponseBase:
    ctx = audit_context(request, AuditChannel.WEB)
    accounts = accounts_of(ctx=ctx, person=current_customer(request))
    form = PaymentForm(request.POST or None, initial=_review_initial(request))
    choices = _account_choices(request, accounts)
    form.fields["from_account"].choices = choices  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        data = _with_today(form.cleaned_data)
        try:
            payment_new_check(person=current_customer(request), data=_new_payment_input(data))
        except DomainError as error:
            apply_problems(form, error)
        else:
            token = _review_keep(request, {"flow": "new", **data})
            return redirect("web:payment_review", token=token)
    return render(
        request, "banking/payment.html", {"form": form}, status=422 if form.errors else 200
    )


def _new_payment_input(data: dict[str, Any]) -> NewPaymentInput:
    return NewPaymentInput(
        from_account_id=data["from_account"],
        kind=data["kind"],
        number=data["number"],
        amount=data["amount"],
        message=data["message"],
        ocr=data.get("ocr", ""),
        execution_date=data.get("execution_date") or None,
        receiver_name=data.get("receiver_name", ""),
    )


def _payee_payment_check(request: PortalRequest, data: dict[str, Any]) -> Any:
    return payment_to_payee_check(
        person=current_customer(request),
        from_account_id=data["from_account"],
        payee_id=data["payee_id"],
        amount=data["amount"],
        message=data["message"],
        ocr=data.get("ocr", ""),
        execution_date=data.get("execution_date") or None,
    )


@require_http_methods(["GET", "POST"])
@customer_required()
def payment_review_view(request: PortalRequest, token: str) -> HttpResponseBase:
    """What will be paid, to whom, from which account and when: confirmed before the payment
    is signed (a new account) or made (a registered payee)."""
    reviews: dict[str, Any] = request.session.get(REVIEWS, {})
    data = reviews.get(token)
    if data is None:
        messages.error(request, _("This payment is no longer waiting for review. Start again."))
        return redirect("web:bank")
    me = current_customer(request)
    ctx = audit_context(request, AuditChannel.WEB)
    try:
        # The review shows the customer's account and payee: reads recorded as on their pages.
        accounts_of(ctx=ctx, person=me)
        if (
            data["flow"] == "payee"
            and payee_of(ctx=ctx, person=me, payee_id=data["payee_id"]) is None
        ):
            raise NotFound(_("No such payee among yours."), code="payee.not_found")
        if data["flow"] == "new":
            checked = payment_new_check(person=me, data=_new_payment_input(data))
            review = {
                "source": checked.source,
                "amount": checked.amount,
                "terms": checked.terms,
                "receiver": checked.receiver_name,
                "kind": checked.destination.kind.value,
                "number": checked.destination.display(),
                "signed": True,
            }
        else:
            paying = _payee_payment_check(request, data)
            review = {
                "source": paying.source,
                "amount": paying.amount,
                "terms": paying.terms,
                "receiver": paying.payee.name,
                "kind": paying.payee.kind,
                "number": payee_number(paying.payee.kind, paying.payee.number),
                "signed": False,
            }
    except DomainError as error:
        _review_take(request, token)
        messages.error(request, error.message)
        return redirect("web:bank")
    if request.method == "POST":
        data = _review_take(request, token)
        if data is None:
            return redirect("web:bank")
        try:
            if data["flow"] == "new":
                order = payment_new_start(ctx=ctx, person=me, data=_new_payment_input(data))
                remember_order(request, order.public_id, data)
                return redirect("web:sign", public_id=order.public_id)
            payment = payment_to_payee(
                ctx=ctx,
                person=me,
                from_account_id=data["from_account"],
                payee_id=data["payee_id"],
                amount=data["amount"],
                message=data["message"],
                ocr=data.get("ocr", ""),
                execution_date=data.get("execution_date") or None,
                idempotency_key=data["key"],
            )
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("web:bank")
        _payment_done_message(request, payment)
        return redirect("web:receipt", payment_id=payment.pk)
    change = (
        reverse("web:payment")
        if data["flow"] == "new"
        else reverse("web:payee_pay", args=[data["payee_id"]])
    ) + f"?review={token}"
    return render(
        request,
        "banking/payment_review.html",
        {
            **review,
            "today": clock.today(),
            "change_url": change,
            "show_number": account_information_shown(request.customer_session),
        },
    )


def payee_number(kind: str, number: str) -> str:
    """A payee's number as it is written (bankgiro 5050-1055, account 3300-8112189876)."""
    return Destination(DestinationKind(kind), number).display()


def _same_destination(payee: Any, kind: str, number: str) -> bool:
    try:
        entered = parse_destination(kind, number)
    except RuleError:
        return False  # the service names what is wrong with it
    return (entered.kind.value, entered.number) == (payee.kind, payee.number)


def _payment_done_message(request: PortalRequest, payment: Any) -> None:
    if payment.state == "scheduled":
        messages.success(
            request,
            _("The payment of %(amount)s is scheduled for %(date)s.")
            % {"amount": money_text(payment.amount), "date": payment.execution_date.isoformat()},
        )
    else:
        messages.success(
            request,
            _("The payment of %(amount)s is done.") % {"amount": money_text(payment.amount)},
        )


@require_GET
@customer_required()
def receipt_view(request: PortalRequest, payment_id: int) -> HttpResponse:
    """A payment's receipt, printable, reached after paying and from the account's history."""
    try:
        payment = payment_of(
            ctx=audit_context(request, AuditChannel.WEB),
            person=current_customer(request),
            payment_id=payment_id,
        )
    except DomainError:
        return render(request, "web/not_found.html", status=404)
    return render(
        request,
        "banking/receipt.html",
        {
            "payment": payment,
            "number": payee_number(payment.destination_kind, payment.destination_number),
            "show_number": account_information_shown(request.customer_session),
        },
    )


@require_http_methods(["POST"])
@customer_required()
def payment_cancel_view(request: PortalRequest, payment_id: int) -> HttpResponseBase:
    try:
        payment_cancel(
            ctx=audit_context(request, AuditChannel.WEB),
            person=current_customer(request),
            payment_id=payment_id,
        )
    except DomainError as error:
        if error.status == 404:
            return render(request, "web/not_found.html", status=404)
        messages.error(request, error.message)
    else:
        messages.success(request, _("The scheduled payment is cancelled."))
    return redirect("web:receipt", payment_id=payment_id)


class PayeeForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), required=False)
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        choices=[
            ("bankgiro", gettext_lazy("Bankgiro")),
            ("plusgiro", gettext_lazy("Plusgiro")),
            ("account", gettext_lazy("Bank account (clearing and account number)")),
        ],
    )
    number = forms.CharField(label=gettext_lazy("Number"), required=False)
    reference = forms.CharField(
        label=gettext_lazy("Your reference at the payee (optional)"),
        required=False,
        help_text=gettext_lazy("An OCR or customer number, filled in when you pay."),
    )


class PayeeChangeForm(PayeeForm):
    pass


class PayeePaymentForm(forms.Form):
    from_account = forms.TypedChoiceField(label=gettext_lazy("From account"), coerce=int)
    amount = forms.CharField(
        label=gettext_lazy("Amount (kr)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    execution_date = forms.CharField(
        label=gettext_lazy("Payment date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    ocr = forms.CharField(
        label=gettext_lazy("OCR number"),
        required=False,
        help_text=gettext_lazy("From the bill. Give an OCR number or a message, not both."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    message = forms.CharField(label=gettext_lazy("Message to the payee"), required=False)


@require_http_methods(["GET", "POST"])
@customer_required()
def payees_view(request: PortalRequest) -> HttpResponseBase:
    """Registered payees, and a new one registered with a signature (RTS Art. 13)."""
    ctx = audit_context(request, AuditChannel.WEB)
    form = PayeeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            order = payee_register_start(
                ctx=ctx,
                person=current_customer(request),
                data=PayeeInput(data["name"], data["kind"], data["number"], data["reference"]),
            )
        except DomainError as error:
            apply_problems(form, error)
        else:
            remember_order(request, order.public_id, data)
            return redirect("web:sign", public_id=order.public_id)
    payees = [
        (p, payee_number(p.kind, p.number))
        for p in payees_of(ctx=ctx, person=current_customer(request))
    ]
    return render(
        request,
        "banking/payees.html",
        {"form": form, "payees": payees},
        status=422 if form.errors else 200,
    )


def _register_payee(request: PortalRequest, order: SigningOrder) -> HttpResponseBase:
    data = entered_order(request, order.public_id)
    if data is None:
        return nothing_to_do(request, "web:payees")
    payee = payee_register(
        ctx=audit_context(request, AuditChannel.WEB),
        person=current_customer(request),
        signing_id=order.public_id,
        data=PayeeInput(
            data["name"],
            data["kind"],
            data["number"],
            data.get("reference", ""),
            data.get("replaces"),
        ),
    )
    done_order(request, order.public_id)
    messages.success(request, _("%(name)s is registered as a payee.") % {"name": payee.name})
    return redirect("web:payees")


@require_http_methods(["GET", "POST"])
@customer_required()
def payee_pay_view(request: PortalRequest, payee_id: int) -> HttpResponseBase:
    """Pay a registered payee: no signature needed."""
    ctx = audit_context(request, AuditChannel.WEB)
    me = current_customer(request)
    payee = payee_of(ctx=ctx, person=me, payee_id=payee_id)
    if payee is None:
        return render(request, "web/not_found.html", status=404)
    accounts = accounts_of(ctx=ctx, person=me)
    initial: dict[str, Any] = {}
    if payee.reference:
        digits = payee.reference.replace(" ", "")
        initial["ocr" if digits.isdigit() and luhn.is_valid(digits) else "message"] = (
            payee.reference
        )
    form = PayeePaymentForm(request.POST or None, initial={**initial, **_review_initial(request)})
    choices = _account_choices(request, accounts)
    form.fields["from_account"].choices = choices  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        data = _with_today({**form.cleaned_data, "payee_id": payee.pk})
        try:
            _payee_payment_check(request, data)
        except DomainError as error:
            apply_problems(form, error)
        else:
            token = _review_keep(request, {"flow": "payee", **data})
            return redirect("web:payment_review", token=token)
    return render(
        request,
        "banking/payee_pay.html",
        {"form": form, "payee": payee, "number": payee_number(payee.kind, payee.number)},
        status=422 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@customer_required()
def payee_change_view(request: PortalRequest, payee_id: int) -> HttpResponseBase:
    """Change a payee's name or reference at once; a new number is registered with a
    signature, as a new payee that takes this one's place (decision 0093)."""
    ctx = audit_context(request, AuditChannel.WEB)
    me = current_customer(request)
    payee = payee_of(ctx=ctx, person=me, payee_id=payee_id)
    if payee is None:
        return render(request, "web/not_found.html", status=404)
    form = PayeeChangeForm(
        request.POST or None,
        initial={
            "name": payee.name,
            "kind": payee.kind,
            "number": payee_number(payee.kind, payee.number),
            "reference": payee.reference,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if _same_destination(payee, data["kind"], data["number"]):
                payee_change(
                    ctx=ctx,
                    person=me,
                    payee_id=payee.pk,
                    name=data["name"],
                    reference=data["reference"],
                )
            else:
                entered = {**data, "replaces": payee.pk}
                order = payee_register_start(
                    ctx=ctx,
                    person=me,
                    data=PayeeInput(
                        data["name"], data["kind"], data["number"], data["reference"], payee.pk
                    ),
                )
                remember_order(request, order.public_id, entered)
                return redirect("web:sign", public_id=order.public_id)
        except DomainError as error:
            apply_problems(form, error)
        else:
            messages.success(request, _("The payee is changed."))
            return redirect("web:payees")
    return render(
        request,
        "banking/payee_change.html",
        {"form": form, "payee": payee},
        status=422 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@customer_required()
def payee_remove_view(request: PortalRequest, payee_id: int) -> HttpResponseBase:
    """Remove a payee after the customer confirms it (no signature, decision 0093)."""
    ctx = audit_context(request, AuditChannel.WEB)
    me = current_customer(request)
    payee = payee_of(ctx=ctx, person=me, payee_id=payee_id)
    if payee is None:
        return render(request, "web/not_found.html", status=404)
    error_message = ""
    if request.method == "POST":
        try:
            payee_remove(ctx=ctx, person=me, payee_id=payee.pk)
        except DomainError as error:
            error_message = error.message
        else:
            messages.success(request, _("%(name)s is removed.") % {"name": payee.name})
            return redirect("web:payees")
    return render(
        request,
        "banking/payee_remove.html",
        {
            "payee": payee,
            "number": payee_number(payee.kind, payee.number),
            "error": error_message,
        },
        status=422 if error_message else 200,
    )


def _holdings_page(request: PortalRequest, kind: str, title: str) -> HttpResponse:
    rows = holdings_of(
        ctx=audit_context(request, AuditChannel.WEB), person=current_customer(request), kind=kind
    )
    total = sum((h.value for h in rows), Decimal(0))
    return render(
        request,
        "banking/holdings.html",
        {"holdings": rows, "total": total, "title": title, "kind": kind},
    )


@require_GET
@customer_required(function=Function.FUNDS)
def funds_view(request: PortalRequest) -> HttpResponse:
    return _holdings_page(request, "fund", _("Funds"))


@require_GET
@customer_required(function=Function.LIFE_PENSION)
def pension_view(request: PortalRequest) -> HttpResponse:
    return _holdings_page(request, "pension", _("Life & pension"))


class RegistrationForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        choices=[
            ("autogiro", gettext_lazy("Autogiro (direct debit)")),
            ("einvoice", gettext_lazy("E-invoice")),
        ],
    )
    biller_name = forms.CharField(label=gettext_lazy("Biller"), required=False)
    biller_bankgiro = forms.CharField(label=gettext_lazy("Biller's bankgiro"), required=False)
    payer_reference = forms.CharField(
        label=gettext_lazy("Your customer or payer number at the biller"), required=False
    )
    account = forms.TypedChoiceField(
        label=gettext_lazy("Account to debit (autogiro)"),
        coerce=int,
        required=False,
        empty_value=None,
    )


@require_http_methods(["GET", "POST"])
@customer_required()
def registrations_view(request: PortalRequest) -> HttpResponseBase:
    ctx = audit_context(request, AuditChannel.WEB)
    me = current_customer(request)
    form = RegistrationForm(request.POST or None)
    choices = [("", "–"), *_account_choices(request, accounts_of(ctx=ctx, person=me))]
    form.fields["account"].choices = choices  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            order = registration_start(ctx=ctx, person=me, data=_registration_input(data))
        except DomainError as error:
            apply_problems(form, error)
        else:
            remember_order(request, order.public_id, data)
            return redirect("web:sign", public_id=order.public_id)
    rows = registrations_of(ctx=ctx, person=me)
    return render(
        request,
        "banking/registrations.html",
        {"form": form, "registrations": rows},
        status=422 if form.errors else 200,
    )


def _registration_input(data: dict[str, Any]) -> RegistrationInput:
    return RegistrationInput(
        kind=data["kind"],
        biller_name=data["biller_name"],
        biller_bankgiro=data["biller_bankgiro"],
        payer_reference=data["payer_reference"],
        account_id=data.get("account"),
    )


def _create_registration(request: PortalRequest, order: SigningOrder) -> HttpResponseBase:
    data = entered_order(request, order.public_id)
    if data is None:
        return nothing_to_do(request, "web:registrations")
    registration_create(
        ctx=audit_context(request, AuditChannel.WEB),
        person=current_customer(request),
        signing_id=order.public_id,
        data=_registration_input(data),
    )
    done_order(request, order.public_id)
    messages.success(request, _("Your registration is signed and sent on to the biller."))
    return redirect("web:registrations")


class TradeForm(forms.Form):
    account = forms.TypedChoiceField(label=gettext_lazy("Account"), coerce=int)
    side = forms.ChoiceField(
        label=gettext_lazy("Buy or sell"),
        choices=[("buy", gettext_lazy("Buy")), ("sell", gettext_lazy("Sell"))],
    )
    isin = forms.ChoiceField(label=gettext_lazy("Share"))
    quantity = forms.CharField(
        label=gettext_lazy("Number of shares"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    limit_price = forms.CharField(
        label=gettext_lazy("Limit price (kr)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


def _trade_input(data: dict[str, Any]) -> TradeInput:
    return TradeInput(
        account_id=data["account"],
        isin=data["isin"],
        instrument=data.get("instrument", ""),
        side=data["side"],
        quantity=data["quantity"],
        limit_price=data["limit_price"],
    )


@require_http_methods(["GET", "POST"])
@customer_required()
def trade_view(request: PortalRequest) -> HttpResponseBase:
    """Stock orders: placing one is signed (the seed's second list); open ones can be cancelled."""
    ctx = audit_context(request, AuditChannel.WEB)
    me = current_customer(request)
    form = TradeForm(request.POST or None, initial={"isin": request.GET.get("isin", "")})
    form.fields["account"].choices = _account_choices(  # type: ignore[attr-defined]
        request, accounts_of(ctx=ctx, person=me)
    )
    form.fields["isin"].choices = [  # type: ignore[attr-defined]
        (q.instrument.isin, _quote_label(q)) for q in instrument_quotes() if q.price is not None
    ]
    if request.method == "POST" and "cancel" in request.POST:
        try:
            trade_cancel(ctx=ctx, person=me, order_id=int(request.POST["cancel"]))
        except (DomainError, ValueError):
            messages.error(request, _("The order could not be cancelled."))
        else:
            messages.success(request, _("The order is cancelled."))
        return redirect("web:trade")
    if request.method == "POST" and form.is_valid():
        try:
            order = trade_start(ctx=ctx, person=me, data=_trade_input(form.cleaned_data))
        except DomainError as error:
            apply_problems(form, error)
        else:
            remember_order(request, order.public_id, form.cleaned_data)
            return redirect("web:sign", public_id=order.public_id)
    orders = trade_orders_of(ctx=ctx, person=me, limit=50)
    return render(
        request,
        "banking/trade.html",
        {"form": form, "orders": orders},
        status=422 if form.errors else 200,
    )


def _quote_label(quote: Any) -> str:
    return f"{quote.instrument.name} ({money_text(quote.price)})"


@require_GET
@customer_required()
def market_view(request: PortalRequest) -> HttpResponse:
    """The instruments that can be traded, with their latest prices (market data)."""
    return render(request, "banking/market.html", {"quotes": instrument_quotes()})


@require_GET
@customer_required(function=Function.FUNDS)
def depot_view(request: PortalRequest) -> HttpResponse:
    """The share depot: value per holding and in total, the trades and the value over time."""
    depot = depot_of(ctx=audit_context(request, AuditChannel.WEB), person=current_customer(request))
    return render(request, "banking/depot.html", {"depot": depot})


def _place_trade(request: PortalRequest, order: SigningOrder) -> HttpResponseBase:
    data = entered_order(request, order.public_id)
    if data is None:
        return nothing_to_do(request, "web:trade")
    trade_place(
        ctx=audit_context(request, AuditChannel.WEB),
        person=current_customer(request),
        signing_id=order.public_id,
        data=_trade_input(data),
    )
    done_order(request, order.public_id)
    messages.success(request, _("Your order is placed."))
    return redirect("web:trade")


def _pay_new_account(request: PortalRequest, order: SigningOrder) -> HttpResponseBase:
    data = entered_order(request, order.public_id)
    if data is None:
        return nothing_to_do(request, "web:bank")
    payment = payment_new_execute(
        ctx=audit_context(request, AuditChannel.WEB),
        person=current_customer(request),
        signing_id=order.public_id,
        data=_new_payment_input(data),
        idempotency_key=data["key"],
    )
    done_order(request, order.public_id)
    _payment_done_message(request, payment)
    return redirect("web:receipt", payment_id=payment.pk)


def register_signing_completions() -> None:
    """The bank's signed orders, carried out by these pages once signed (see ``apps.py``)."""
    signing_completion_register(Function.PAYMENT_NEW_ACCOUNT, _pay_new_account)
    signing_completion_register(Function.PAYEE_REGISTER, _register_payee)
    signing_completion_register(Function.AUTOGIRO_REGISTER, _create_registration)
    signing_completion_register(Function.EINVOICE_REGISTER, _create_registration)
    signing_completion_register(Function.STOCK_TRADE, _place_trade)
