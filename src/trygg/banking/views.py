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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from trygg.banking.selectors import (
    account_postings,
    accounts_of,
    holdings_of,
    payee_of,
    payees_of,
    registrations_of,
    trade_orders_of,
)
from trygg.banking.services import (
    NewPaymentInput,
    PayeeInput,
    RegistrationInput,
    payee_register,
    payee_register_start,
    payment_new_execute,
    payment_new_start,
    payment_to_payee,
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
from trygg.kernel.errors import DomainError
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
    amount = forms.CharField(
        label=gettext_lazy("Amount (kr)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    message = forms.CharField(label=gettext_lazy("Message to the payee"), required=False)


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
    try:
        account, postings = account_postings(
            ctx=audit_context(request, AuditChannel.WEB),
            person=current_customer(request),
            account_id=account_id,
        )
    except DomainError:
        return render(request, "web/not_found.html", status=404)
    return render(request, "banking/account.html", {"account": account, "postings": postings})


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
    form = PaymentForm(request.POST or None)
    choices = _account_choices(request, accounts)
    form.fields["from_account"].choices = choices  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        payment = NewPaymentInput(
            from_account_id=data["from_account"],
            kind=data["kind"],
            number=data["number"],
            amount=data["amount"],
            message=data["message"],
        )
        try:
            order = payment_new_start(ctx=ctx, person=current_customer(request), data=payment)
        except DomainError as error:
            apply_problems(form, error)
        else:
            remember_order(request, order.public_id, {**data, "key": secrets.token_urlsafe(16)})
            return redirect("web:sign", public_id=order.public_id)
    return render(
        request, "banking/payment.html", {"form": form}, status=422 if form.errors else 200
    )


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


class PayeePaymentForm(forms.Form):
    from_account = forms.TypedChoiceField(label=gettext_lazy("From account"), coerce=int)
    amount = forms.CharField(
        label=gettext_lazy("Amount (kr)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    message = forms.CharField(label=gettext_lazy("Message to the payee"), required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)


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
                data=PayeeInput(data["name"], data["kind"], data["number"]),
            )
        except DomainError as error:
            apply_problems(form, error)
        else:
            remember_order(request, order.public_id, data)
            return redirect("web:sign", public_id=order.public_id)
    payees = payees_of(ctx=ctx, person=current_customer(request))
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
        data=PayeeInput(data["name"], data["kind"], data["number"]),
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
    form = PayeePaymentForm(
        request.POST or None, initial={"idempotency_key": secrets.token_urlsafe(16)}
    )
    choices = _account_choices(request, accounts)
    form.fields["from_account"].choices = choices  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            payment = payment_to_payee(
                ctx=ctx,
                person=me,
                from_account_id=data["from_account"],
                payee_id=payee.pk,
                amount=data["amount"],
                message=data["message"],
                idempotency_key=data["idempotency_key"] or None,
            )
        except DomainError as error:
            apply_problems(form, error)
        else:
            messages.success(
                request,
                _("The payment of %(amount)s is done.") % {"amount": money_text(payment.amount)},
            )
            return redirect("web:bank")
    return render(
        request,
        "banking/payee_pay.html",
        {"form": form, "payee": payee},
        status=422 if form.errors else 200,
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
    isin = forms.CharField(label="ISIN", required=False)
    instrument = forms.CharField(label=gettext_lazy("Share"), required=False)
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
        instrument=data["instrument"],
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
    form = TradeForm(request.POST or None)
    form.fields["account"].choices = _account_choices(  # type: ignore[attr-defined]
        request, accounts_of(ctx=ctx, person=me)
    )
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
        data=NewPaymentInput(
            from_account_id=data["from_account"],
            kind=data["kind"],
            number=data["number"],
            amount=data["amount"],
            message=data["message"],
        ),
        idempotency_key=data["key"],
    )
    done_order(request, order.public_id)
    messages.success(
        request,
        _("The payment of %(amount)s is done.") % {"amount": money_text(payment.amount)},
    )
    return redirect("web:bank")


def register_signing_completions() -> None:
    """The bank's signed orders, carried out by these pages once signed (see ``apps.py``)."""
    signing_completion_register(Function.PAYMENT_NEW_ACCOUNT, _pay_new_account)
    signing_completion_register(Function.PAYEE_REGISTER, _register_payee)
    signing_completion_register(Function.AUTOGIRO_REGISTER, _create_registration)
    signing_completion_register(Function.EINVOICE_REGISTER, _create_registration)
    signing_completion_register(Function.STOCK_TRADE, _place_trade)
