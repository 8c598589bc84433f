"""Every write of banking: open accounts, transfer between own accounts, register payees
(signed), pay a registered payee (no signature, RTS Art. 13) or a new account (signed, Art. 5).

Each payment is idempotent per customer and key: a retried request returns the booking it made
the first time and never pays twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from stdnum import luhn

from trygg.banking import chart, rules
from trygg.banking.ledger import Leg, book, book_once, internal_account, replayed
from trygg.banking.models import (
    Account,
    AccountKind,
    Holding,
    LedgerTransaction,
    Payee,
    Payment,
    PaymentState,
    Registration,
    RegistrationKind,
)
from trygg.identity.models import SigningOrder
from trygg.identity.sca import Function
from trygg.identity.signing import SigningRequest, signed_execution, signing_start
from trygg.kernel import clock, statetable
from trygg.kernel.audit import AuditContext, audit_record
from trygg.kernel.bankdays import calendar_for
from trygg.kernel.counters import counter_next
from trygg.kernel.errors import NotFound, ValidationFailed
from trygg.kernel.ids import as_id
from trygg.kernel.models import AuditAction, AuditChannel
from trygg.kernel.money import round_amount
from trygg.kernel.numbertext import money_text
from trygg.kernel.validation import Problems, clean_text
from trygg.parties.models import Party
from trygg.parties.selectors import accessible_q

# The own bank's clearing number, from its clearing range in the banking rules' data.
CLEARING_NUMBER = str(rules.OWN_BANKS[0].first)


def _rule_message(code: str, fallback: str) -> str:
    """The translated text of a pure rule's refusal (the rules speak English)."""
    messages = {
        "bankgiro.format": _("A bankgiro number has 7 or 8 digits."),
        "bankgiro.checksum": _("The bankgiro number's check digit is wrong."),
        "plusgiro.format": _("A plusgiro number has 2 to 8 digits."),
        "plusgiro.checksum": _("The plusgiro number's check digit is wrong."),
        "account.format": _(
            "Give the clearing number (4 or 5 digits) and the account number, "
            "e.g. 8327-9, 123 456 789-0."
        ),
        "account.clearing_unknown": _("No Swedish bank has this clearing number."),
        "account.checksum": _("The account number's check digit is wrong for this bank."),
        "account.clearing_checksum": _("The clearing number's check digit is wrong."),
        "destination.kind": _("Choose bankgiro, plusgiro or bank account."),
        "destination.format": _("Give the number."),
        "amount.format": _(
            "Give the amount as a number with at most two decimals, e.g. 1500 or 99,50."
        ),
        "amount.positive": _("The amount must be more than zero."),
        "amount.maximum": _("The amount is above the largest allowed per payment."),
        "payment_date.format": _("Give the payment date as a date, e.g. 2026-12-24."),
        "payment_date.past": _("The payment date has passed. Choose today or a later bank day."),
        "payment_date.too_far": _("A payment can be dated at most 13 months ahead."),
        "payment_date.not_bank_day": _(
            "The payment date is not a bank day. Choose a weekday that is not a holiday."
        ),
        "ocr.format": _("An OCR number has 2 to 25 digits."),
        "ocr.checksum": _("The OCR number's check digit is wrong. Check the number on the bill."),
        "payment.ocr_and_message": _(
            "Give either an OCR number or a message, not both: the receiver gets only one."
        ),
        "trade.no_cover": _(
            "The available balance of the account does not cover the order "
            "(open buy orders are counted)."
        ),
        "trade.no_holding": _(
            "You do not hold that many units to sell (units in open sell orders are counted)."
        ),
    }
    return messages.get(code, fallback)


def rule_problem(problems: Problems, field: str, error: rules.RuleError) -> None:
    problems.add(field, error.code, _rule_message(error.code, error.message))


def account_open(
    *, ctx: AuditContext, party: Party, name: str, kind: str = AccountKind.TRANSACTION
) -> Account:
    problems = Problems()
    clean_name = clean_text(problems, "name", name, max_length=60)
    if kind not in (AccountKind.TRANSACTION, AccountKind.SAVINGS):
        problems.add("kind", "account.kind", _("Choose a transaction or a savings account."))
    problems.raise_if_any()
    with transaction.atomic():
        serial = str(counter_next(name="account_number", start=1000001))
        number = f"{CLEARING_NUMBER}-{serial}{luhn.calc_check_digit(CLEARING_NUMBER + serial)}"
        account = Account.objects.create(
            party=party, number=number, name=clean_name, kind=kind, opened_at=clock.now()
        )
        audit_record(
            ctx=ctx,
            action=AuditAction.CREATE,
            subject_id=party.pk,
            object_type="account",
            object_id=account.pk,
        )
    return account


def incoming_payment_book(*, account: Account, amount: Decimal, text: str) -> LedgerTransaction:
    """Money arriving from outside the bank (a salary, a deposit)."""
    funding = internal_account(chart.FUNDING)
    return book(
        kind="incoming",
        description=text,
        party=None,
        legs=[Leg(funding, -amount, text), Leg(account, amount, text)],
    )


def own_account(person: Party, account_id: object, field: str) -> Account:
    """An account of the person or of a firm they act for; NotFound otherwise."""
    account_pk = as_id(account_id)
    account = (
        Account.objects.filter(accessible_q(person), pk=account_pk).first()
        if account_pk is not None
        else None
    )
    if account is None:
        raise NotFound(_("No such account among yours."), code="account.not_found")
    return account


def _own_accounts(person: Party, first_id: object, second_id: object) -> tuple[Account, Account]:
    """Two accounts of the person (or of firms they act for), read in one query."""
    ids = [i for i in (as_id(first_id), as_id(second_id)) if i is not None]
    found = {a.pk: a for a in Account.objects.filter(accessible_q(person), pk__in=ids)}
    if first_id not in found or second_id not in found:
        raise NotFound(_("No such account among yours."), code="account.not_found")
    return found[first_id], found[second_id]


def _message(problems: Problems, value: object) -> str:
    return clean_text(problems, "message", value, max_length=35, required=False)


def _amount(problems: Problems, value: object) -> Decimal:
    try:
        return rules.parse_amount(value)
    except rules.RuleError as error:
        rule_problem(problems, "amount", error)
        return Decimal(0)


def transfer_own(
    *,
    ctx: AuditContext,
    person: Party,
    from_account_id: object,
    to_account_id: object,
    amount: object,
    message: object = "",
    idempotency_key: str | None = None,
) -> LedgerTransaction:
    """Between the customer's own accounts (and their firm's): no signature (RTS Art. 15)."""
    problems = Problems()
    value = _amount(problems, amount)
    text = _message(problems, message)
    problems.raise_if_any()
    source, target = _own_accounts(person, from_account_id, to_account_id)
    if source.pk == target.pk:
        raise ValidationFailed(
            code="transfer.same_account",
            field="to_account",
            message=_("Choose two different accounts."),
        )
    request = {
        "f": "transfer",
        "from": source.pk,
        "to": target.pk,
        "amount": str(value),
        "message": text,
    }
    with transaction.atomic():
        entry, booked = book_once(
            kind="transfer",
            description=text or _("Transfer"),
            party=person,
            idempotency_key=idempotency_key,
            request=request,
            legs=[Leg(source, -value, text), Leg(target, value, text)],
        )
        if not booked:
            return entry
        audit_record(
            ctx=ctx,
            action=AuditAction.CREATE,
            subject_id=person.pk,
            object_type="transfer",
            object_id=entry.pk,
        )
    return entry


def _destination(problems: Problems, kind: object, number: object) -> rules.Destination | None:
    try:
        return rules.parse_destination(str(kind), number if isinstance(number, str) else "")
    except rules.RuleError as error:
        rule_problem(problems, "number" if error.code != "destination.kind" else "kind", error)
        return None


@dataclass(frozen=True)
class PayeeInput:
    name: str
    kind: str
    number: str
    reference: str = ""
    replaces: object = None  # the payee whose number this registration changes


def _payee_payload(person: Party, data: PayeeInput) -> tuple[str, rules.Destination, str]:
    problems = Problems()
    name = clean_text(problems, "name", data.name, max_length=60)
    destination = _destination(problems, data.kind, data.number)
    reference = clean_text(problems, "reference", data.reference, max_length=35, required=False)
    problems.raise_if_any()
    assert destination is not None
    return name, destination, reference


def _own_payee(person: Party, payee_id: object) -> Payee:
    """One of the person's own payees; another customer's payee is not found (NotFound)."""
    payee_pk = as_id(payee_id)
    payee = (
        Payee.objects.filter(pk=payee_pk, party=person).first() if payee_pk is not None else None
    )
    if payee is None:
        raise NotFound(_("No such payee among yours."), code="payee.not_found")
    return payee


def _registration_payload(
    person: Party, data: PayeeInput
) -> tuple[str, rules.Destination, str, Payee | None, dict[str, Any]]:
    name, destination, reference = _payee_payload(person, data)
    replaced = _own_payee(person, data.replaces) if data.replaces is not None else None
    payload: dict[str, Any] = {"name": name, "to": destination.canonical()}
    if reference:
        payload["reference"] = reference
    if replaced is not None:
        payload["replaces"] = replaced.pk
    return name, destination, reference, replaced, payload


def payee_register_start(*, ctx: AuditContext, person: Party, data: PayeeInput) -> SigningOrder:
    """Ask for the signature that creates a pre-registered payee. A payee's new number is
    registered the same way, naming the payee it replaces (decision 0093)."""
    name, destination, _reference, replaced, payload = _registration_payload(person, data)
    if (
        Payee.objects.filter(party=person, kind=destination.kind, number=destination.number)
        .exclude(pk__in=[replaced.pk] if replaced is not None else [])
        .exists()
    ):
        raise ValidationFailed(
            code="payee.exists", field="number", message=_("This payee is already registered.")
        )
    if replaced is not None and (replaced.kind, replaced.number) == (
        destination.kind,
        destination.number,
    ):
        raise ValidationFailed(
            code="payee.same_number",
            field="number",
            message=_("The number is the same as before: change the name or reference instead."),
        )
    return signing_start(
        ctx=ctx,
        signer=person,
        acting_for=person,
        request=SigningRequest(
            function=Function.PAYEE_REGISTER,
            payload=payload,
            summary=_("Register the payee %(name)s, %(kind)s %(number)s")
            % {
                "name": name,
                "kind": _kind_text(destination.kind.value),
                "number": destination.display(),
            },
            amount_minor=0,
            payee=destination.canonical(),
        ),
    )


def payee_register(*, ctx: AuditContext, person: Party, signing_id: str, data: PayeeInput) -> Payee:
    name, destination, reference, replaced, payload = _registration_payload(person, data)
    with signed_execution(
        ctx=ctx,
        public_id=signing_id,
        signer=person,
        function=Function.PAYEE_REGISTER,
        payload=payload,
    ):
        if replaced is not None:
            _payee_delete(ctx=ctx, person=person, payee=replaced)
        payee = Payee.objects.create(
            party=person,
            name=name,
            kind=destination.kind,
            number=destination.number,
            reference=reference,
            signing_id=signing_id,
            created_at=clock.now(),
        )
        audit_record(
            ctx=ctx,
            action=AuditAction.CREATE,
            subject_id=person.pk,
            object_type="payee",
            object_id=payee.pk,
            detail={"replaces": replaced.pk} if replaced is not None else None,
        )
    return payee


def payee_change(
    *, ctx: AuditContext, person: Party, payee_id: object, name: object, reference: object
) -> Payee:
    """Change a payee's name and the customer's reference at the payee. The number, which the
    signature at registration vouched for, stays (a new number is a new payee)."""
    problems = Problems()
    clean_name = clean_text(problems, "name", name, max_length=60)
    clean_reference = clean_text(problems, "reference", reference, max_length=35, required=False)
    problems.raise_if_any()
    with transaction.atomic():
        payee = _own_payee(person, payee_id)
        payee = Payee.objects.select_for_update().get(pk=payee.pk)
        payee.name = clean_name
        payee.reference = clean_reference
        payee.save(update_fields=["name", "reference"])
        audit_record(
            ctx=ctx,
            action=AuditAction.UPDATE,
            subject_id=person.pk,
            object_type="payee",
            object_id=payee.pk,
        )
    return payee


def _payee_delete(*, ctx: AuditContext, person: Party, payee: Payee) -> None:
    """Remove a payee; its payments keep the number and the name they were made to."""
    scheduled = Payment.objects.filter(payee=payee, state=PaymentState.SCHEDULED)
    if scheduled.exists():
        raise ValidationFailed(
            code="payee.has_scheduled",
            field="payee",
            message=_("A payment to this payee is scheduled. Cancel it first, or let it be paid."),
        )
    removed = Payee.objects.filter(pk=payee.pk, party=person).delete()[0]
    if not removed:  # removed by another request meanwhile
        raise NotFound(_("No such payee among yours."), code="payee.not_found")
    audit_record(
        ctx=ctx,
        action=AuditAction.DELETE,
        subject_id=person.pk,
        object_type="payee",
        object_id=payee.pk,
    )


def payee_remove(*, ctx: AuditContext, person: Party, payee_id: object) -> None:
    """Remove a payee (no signature: removing trust asks for no proof, decision 0093)."""
    with transaction.atomic():
        payee = _own_payee(person, payee_id)
        _payee_delete(ctx=ctx, person=person, payee=payee)


@dataclass(frozen=True)
class PaymentTerms:
    """When a payment is made and what the receiver is told: an OCR number or a message."""

    execution_date: dt.date
    ocr: str
    message: str

    def signed(self) -> dict[str, str]:
        return {"date": self.execution_date.isoformat(), "ocr": self.ocr, "message": self.message}


def _date(problems: Problems, value: object) -> dt.date:
    today = clock.today()
    day: dt.date | None
    if value is None or value == "":
        day = today
    elif isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            day = None
    if day is None:
        problems.add(
            "execution_date", "payment_date.format", _rule_message("payment_date.format", "")
        )
        return today
    try:
        return rules.check_execution_date(day, today=today, bank_days=calendar_for("SE"))
    except rules.RuleError as error:
        rule_problem(problems, "execution_date", error)
        return today


def _terms(
    problems: Problems, execution_date: object, ocr: object, message: object
) -> PaymentTerms:
    day = _date(problems, execution_date)
    text = _message(problems, message)
    reference = ""
    raw = ocr.strip() if isinstance(ocr, str) else ""
    if raw:
        try:
            reference = rules.parse_ocr(raw)
        except rules.RuleError as error:
            rule_problem(problems, "ocr", error)
    try:
        rules.check_reference(raw, text)
    except rules.RuleError as error:
        rule_problem(problems, "ocr", error)
    return PaymentTerms(day, reference, text)


def _payment_move(payment: Payment, to: PaymentState) -> None:
    """The one place a payment changes state, along ``rules.PAYMENT_TRANSITIONS`` (the caller
    holds the row's lock and saves it)."""
    try:
        statetable.check_move(rules.PAYMENT_TRANSITIONS, payment.state, to, "payment")
    except statetable.RuleError as error:
        raise ValidationFailed(
            code=error.code,
            field="state",
            message=_("The payment is %(state)s and cannot become %(to)s.")
            % {"state": payment.get_state_display(), "to": PaymentState(to).label},
        ) from error
    payment.state = to


def _pay(
    *,
    ctx: AuditContext,
    person: Party,
    source: Account,
    destination: rules.Destination,
    value: Decimal,
    terms: PaymentTerms,
    receiver_name: str,
    payee: Payee | None,
    signing_id: str,
    idempotency_key: str | None,
    request: dict[str, Any],
) -> Payment:
    """Book the payment now (dated today) or keep it as scheduled for its date."""
    if idempotency_key:
        earlier = Payment.objects.filter(
            initiated_by=person, idempotency_key=idempotency_key
        ).first()
        if earlier is not None:
            replayed(party=person, idempotency_key=idempotency_key, request=request)
            return earlier
    entry = None
    if terms.execution_date <= clock.today():
        entry, booked = book_once(
            kind="payment",
            description=terms.message or terms.ocr or receiver_name or destination.display(),
            party=person,
            idempotency_key=idempotency_key,
            request=request,
            legs=_payment_legs(source, destination, value, terms, receiver_name),
        )
        if not booked:  # the same request again: its payment
            return Payment.objects.get(transaction=entry)
    payment = Payment.objects.create(
        transaction=entry,
        from_account=source,
        payee=payee,
        destination_kind=destination.kind,
        destination_number=destination.number,
        receiver_name=receiver_name,
        amount=value,
        message=terms.message,
        ocr=terms.ocr,
        execution_date=terms.execution_date,
        state=PaymentState.BOOKED if entry is not None else PaymentState.SCHEDULED,
        initiated_by=person,
        idempotency_key=idempotency_key or None,
        created_at=clock.now(),
        signing_id=signing_id,
    )
    audit_record(
        ctx=ctx,
        action=AuditAction.CREATE,
        subject_id=person.pk,
        object_type="payment",
        object_id=payment.pk,
        detail={"state": payment.state},
    )
    return payment


def _payment_legs(
    source: Account,
    destination: rules.Destination,
    value: Decimal,
    terms: PaymentTerms,
    receiver_name: str,
) -> list[Leg]:
    clearing = internal_account(chart.OUTGOING_CLEARING)
    text = (terms.message or terms.ocr or receiver_name)[:100]
    return [Leg(source, -value, text), Leg(clearing, value, destination.canonical())]


@dataclass(frozen=True)
class PayeePayment:
    """A payment to a registered payee, checked: what the review page shows."""

    source: Account
    payee: Payee
    amount: Decimal
    terms: PaymentTerms


def payment_to_payee_check(
    *,
    person: Party,
    from_account_id: object,
    payee_id: object,
    amount: object,
    message: object = "",
    ocr: object = "",
    execution_date: object = None,
) -> PayeePayment:
    """Check a payment to a registered payee without paying (the review step)."""
    problems = Problems()
    value = _amount(problems, amount)
    terms = _terms(problems, execution_date, ocr, message)
    problems.raise_if_any()
    source = own_account(person, from_account_id, "from_account")
    return PayeePayment(source, _own_payee(person, payee_id), value, terms)


def payment_to_payee(
    *,
    ctx: AuditContext,
    person: Party,
    from_account_id: object,
    payee_id: object,
    amount: object,
    message: object = "",
    ocr: object = "",
    execution_date: object = None,
    idempotency_key: str | None = None,
) -> Payment:
    """Pay a pre-registered payee: no signature (RTS Art. 13)."""
    checked = payment_to_payee_check(
        person=person,
        from_account_id=from_account_id,
        payee_id=payee_id,
        amount=amount,
        message=message,
        ocr=ocr,
        execution_date=execution_date,
    )
    payee = checked.payee
    destination = rules.Destination(rules.DestinationKind(payee.kind), payee.number)
    request = {
        "f": "payee",
        "from": checked.source.pk,
        "payee": payee.pk,
        "amount": str(checked.amount),
        **checked.terms.signed(),
    }
    with transaction.atomic():
        return _pay(
            ctx=ctx,
            person=person,
            source=checked.source,
            destination=destination,
            value=checked.amount,
            terms=checked.terms,
            receiver_name=payee.name,
            payee=payee,
            signing_id="",
            idempotency_key=idempotency_key,
            request=request,
        )


@dataclass(frozen=True)
class NewPaymentInput:
    from_account_id: object
    kind: str
    number: str
    amount: object
    message: object = ""
    ocr: object = ""
    execution_date: object = None
    receiver_name: object = ""


@dataclass(frozen=True)
class NewPayment:
    """A payment to a new account, checked: what the review page shows and the customer signs."""

    source: Account
    destination: rules.Destination
    amount: Decimal
    terms: PaymentTerms
    receiver_name: str
    payload: dict[str, Any]


def payment_new_check(*, person: Party, data: NewPaymentInput) -> NewPayment:
    """Check a payment to a new account without creating anything (the review step)."""
    problems = Problems()
    value = _amount(problems, data.amount)
    terms = _terms(problems, data.execution_date, data.ocr, data.message)
    destination = _destination(problems, data.kind, data.number)
    receiver = clean_text(
        problems, "receiver_name", data.receiver_name, max_length=60, required=False
    )
    problems.raise_if_any()
    assert destination is not None
    source = own_account(person, data.from_account_id, "from_account")
    payload = {
        "from": source.number,
        "to": destination.canonical(),
        "amount": str(value),
        "currency": source.currency,
        "name": receiver,
        **terms.signed(),
    }
    return NewPayment(source, destination, value, terms, receiver, payload)


def _kind_text(kind: str) -> str:
    """The kind of a payee as a signed text names it, in the customer's language."""
    texts = {
        "bankgiro": pgettext("payee kind in a sentence", "bankgiro"),
        "plusgiro": pgettext("payee kind in a sentence", "plusgiro"),
        "account": pgettext("payee kind in a sentence", "account"),
    }
    return texts.get(kind, kind)


def payment_new_start(*, ctx: AuditContext, person: Party, data: NewPaymentInput) -> SigningOrder:
    """A payment to an account that is not pre-registered needs a signature over amount and
    payee (RTS Art. 5): this creates the order to sign and tells what is signed."""
    checked = payment_new_check(person=person, data=data)
    destination = checked.destination
    to = f"{_kind_text(destination.kind.value)} {destination.display()}"
    if checked.receiver_name:
        to = f"{checked.receiver_name} ({to})"
    summary = _("Pay %(amount)s to %(to)s on %(date)s from %(account)s") % {
        "amount": money_text(checked.amount),
        "to": to,
        "date": checked.terms.execution_date.isoformat(),
        # By name: the summary is shown to a PIN session too (no account numbers after 180
        # days, RTS Art. 10); the signed payload holds the number.
        "account": checked.source.name,
    }
    if not destination.certain:
        # The account could only be checked partly (a clearing number newer than the rules):
        # the customer is warned before signing instead of being refused.
        summary += " " + _(
            "(the account number could only be checked in part: make sure it is right)"
        )
    return signing_start(
        ctx=ctx,
        signer=person,
        acting_for=checked.source.party or person,
        request=SigningRequest(
            function=Function.PAYMENT_NEW_ACCOUNT,
            payload=checked.payload,
            summary=summary,
            amount_minor=int(checked.amount * 100),
            payee=destination.canonical(),
        ),
    )


def payment_new_execute(
    *,
    ctx: AuditContext,
    person: Party,
    signing_id: str,
    data: NewPaymentInput,
    idempotency_key: str | None = None,
) -> Payment:
    """Carry out a signed payment: the data must be exactly what was signed."""
    checked = payment_new_check(person=person, data=data)
    request = {"f": "new", "signing": signing_id, **checked.payload}
    if idempotency_key:
        earlier = Payment.objects.filter(
            initiated_by=person, idempotency_key=idempotency_key
        ).first()
        if earlier is not None:
            replayed(party=person, idempotency_key=idempotency_key, request=request)
            return earlier
    with signed_execution(
        ctx=ctx,
        public_id=signing_id,
        signer=person,
        function=Function.PAYMENT_NEW_ACCOUNT,
        payload=checked.payload,
    ):
        return _pay(
            ctx=ctx,
            person=person,
            source=checked.source,
            destination=checked.destination,
            value=checked.amount,
            terms=checked.terms,
            receiver_name=checked.receiver_name,
            payee=None,
            signing_id=signing_id,
            idempotency_key=idempotency_key,
            request=request,
        )


def payment_cancel(*, ctx: AuditContext, person: Party, payment_id: object) -> Payment:
    """Cancel a scheduled payment before its date (a booked one is gone from the bank)."""
    pk = as_id(payment_id)
    with transaction.atomic():
        payment = (
            Payment.objects.select_for_update(of=("self",))
            .filter(accessible_payments_q(person), pk=pk)
            .first()
            if pk is not None
            else None
        )
        if payment is None:
            raise NotFound(_("No such payment among yours."), code="payment.not_found")
        _payment_move(payment, PaymentState.CANCELLED)
        payment.save(update_fields=["state"])
        audit_record(
            ctx=ctx,
            action=AuditAction.UPDATE,
            subject_id=person.pk,
            object_type="payment",
            object_id=payment.pk,
            detail={"to": "cancelled"},
        )
    return payment


def accessible_payments_q(person: Party) -> Q:
    """The payments out of accounts the person may use (their own and their firms')."""
    return Q(from_account__in=Account.objects.filter(accessible_q(person)))


SCHEDULER = AuditContext(
    actor_kind="system", actor_label="scheduled payments", channel=AuditChannel.BATCH
)


def payments_scheduled_book(*, ctx: AuditContext, on: dt.date) -> tuple[int, int]:
    """Book every scheduled payment dated ``on`` or earlier; one without cover fails. Each in
    its own transaction, so a crash leaves the rest scheduled and a re-run books them once.
    Returns (booked, failed)."""
    booked = failed = 0
    due = list(
        Payment.objects.filter(state=PaymentState.SCHEDULED, execution_date__lte=on)
        .order_by("execution_date", "pk")
        .values_list("pk", flat=True)
    )
    for pk in due:
        try:
            with transaction.atomic():
                payment = (
                    Payment.objects.select_for_update(of=("self",))
                    .select_related("from_account", "initiated_by")
                    .get(pk=pk)
                )
                if payment.state != PaymentState.SCHEDULED:
                    continue
                destination = rules.Destination(
                    rules.DestinationKind(payment.destination_kind), payment.destination_number
                )
                terms = PaymentTerms(payment.execution_date, payment.ocr, payment.message)
                payment.transaction = book(
                    kind="payment",
                    description=payment.message
                    or payment.ocr
                    or payment.receiver_name
                    or destination.display(),
                    party=payment.initiated_by,
                    legs=_payment_legs(
                        payment.from_account,
                        destination,
                        payment.amount,
                        terms,
                        payment.receiver_name,
                    ),
                )
                _payment_move(payment, PaymentState.BOOKED)
                payment.save(update_fields=["transaction", "state"])
                audit_record(
                    ctx=ctx,
                    action=AuditAction.UPDATE,
                    subject_id=payment.initiated_by_id,
                    object_type="payment",
                    object_id=payment.pk,
                    detail={"to": "booked"},
                )
            booked += 1
        except ValidationFailed as error:
            if error.code != "account.insufficient_funds":
                raise
            with transaction.atomic():
                payment = Payment.objects.select_for_update().get(pk=pk)
                _payment_move(payment, PaymentState.FAILED)
                payment.save(update_fields=["state"])
                audit_record(
                    ctx=ctx,
                    action=AuditAction.UPDATE,
                    subject_id=payment.initiated_by_id,
                    object_type="payment",
                    object_id=payment.pk,
                    detail={"to": "failed", "reason": "no cover"},
                )
            failed += 1
    return booked, failed


def holding_record(
    *,
    party: Party,
    kind: str,
    name: str,
    identifier: str,
    units: Decimal,
    price: Decimal,
    valued_on: dt.date,
) -> Holding:
    """Record a holding as the fund company or life insurer reports it (units × price, rounded
    to öre once); a new report for the same holding replaces the old figures."""
    value = round_amount(units * price)
    holding, _created = Holding.objects.update_or_create(
        party=party,
        kind=kind,
        identifier=identifier,
        defaults={
            "name": name,
            "units": units,
            "price": price,
            "value": value,
            "valued_on": valued_on,
        },
    )
    return holding


@dataclass(frozen=True)
class RegistrationInput:
    kind: str
    biller_name: str
    biller_bankgiro: str
    payer_reference: str
    account_id: object = None  # the account to debit (autogiro only)


def _registration(person: Party, data: RegistrationInput) -> tuple[dict[str, Any], Account | None]:
    problems = Problems()
    if data.kind not in (RegistrationKind.AUTOGIRO, RegistrationKind.EINVOICE):
        problems.add("kind", "registration.kind", _("Choose autogiro or e-invoice."))
    name = clean_text(problems, "biller_name", data.biller_name, max_length=60)
    reference = clean_text(problems, "payer_reference", data.payer_reference, max_length=35)
    bankgiro = None
    try:
        bankgiro = rules.parse_destination(
            rules.DestinationKind.BANKGIRO, data.biller_bankgiro or ""
        )
    except rules.RuleError as error:
        rule_problem(problems, "biller_bankgiro", error)
    problems.raise_if_any()
    assert bankgiro is not None
    account = None
    if data.kind == RegistrationKind.AUTOGIRO:
        account = own_account(person, data.account_id, "account_id")
    payload = {
        "kind": data.kind,
        "biller": name,
        "bankgiro": bankgiro.number,
        "reference": reference,
        "account": account.number if account else "",
    }
    return payload, account


def registration_start(
    *, ctx: AuditContext, person: Party, data: RegistrationInput
) -> SigningOrder:
    """Registering for autogiro or e-invoice is signed (the seed's second list)."""
    payload, account = _registration(person, data)
    if Registration.objects.filter(
        party=person,
        kind=payload["kind"],
        biller_bankgiro=payload["bankgiro"],
        payer_reference=payload["reference"],
    ).exists():
        raise ValidationFailed(
            code="registration.exists",
            field="payer_reference",
            message=_("You are already registered for this."),
        )
    function = (
        Function.AUTOGIRO_REGISTER
        if payload["kind"] == RegistrationKind.AUTOGIRO
        else Function.EINVOICE_REGISTER
    )
    if account is not None:
        summary = _(
            "Autogiro: %(biller)s (bankgiro %(bankgiro)s) may debit account "
            "%(account)s for payer number %(reference)s"
        ) % {
            "biller": payload["biller"],
            "bankgiro": payload["bankgiro"],
            "account": account.name,  # by name, as in the payment's summary
            "reference": payload["reference"],
        }
    else:
        summary = _(
            "E-invoices from %(biller)s (bankgiro %(bankgiro)s) for customer number %(reference)s"
        ) % {
            "biller": payload["biller"],
            "bankgiro": payload["bankgiro"],
            "reference": payload["reference"],
        }
    return signing_start(
        ctx=ctx,
        signer=person,
        acting_for=person,
        request=SigningRequest(
            function=function,
            payload=payload,
            summary=summary,
            amount_minor=0,
            payee=f"bankgiro:{payload['bankgiro']}:{payload['reference']}",
        ),
    )


def registration_create(
    *, ctx: AuditContext, person: Party, signing_id: str, data: RegistrationInput
) -> Registration:
    payload, account = _registration(person, data)
    function = (
        Function.AUTOGIRO_REGISTER
        if payload["kind"] == RegistrationKind.AUTOGIRO
        else Function.EINVOICE_REGISTER
    )
    with signed_execution(
        ctx=ctx, public_id=signing_id, signer=person, function=function, payload=payload
    ):
        registration = Registration.objects.create(
            party=person,
            kind=payload["kind"],
            biller_name=payload["biller"],
            biller_bankgiro=payload["bankgiro"],
            payer_reference=payload["reference"],
            account=account,
            signing_id=signing_id,
            created_at=clock.now(),
        )
        audit_record(
            ctx=ctx,
            action=AuditAction.CREATE,
            subject_id=person.pk,
            object_type="registration",
            object_id=registration.pk,
            detail={"kind": payload["kind"]},
        )
    return registration
