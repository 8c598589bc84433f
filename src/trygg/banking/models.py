"""Accounts and the double-entry ledger; payees and payments."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from trygg.parties.models import Party


class AccountKind(models.TextChoices):
    TRANSACTION = "transaction", _("Transaction account")
    SAVINGS = "savings", _("Savings account")
    INTERNAL = "internal", _("Internal account")


class Account(models.Model):
    """A customer's account, or one of the bank's internal accounts (clearing, suspense).
    ``balance`` is the sum of the account's postings, kept in the same transaction as they are
    written; a customer account cannot go below zero (no overdraft)."""

    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="accounts", null=True, blank=True
    )
    number = models.CharField(_("account number"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=12, choices=AccountKind.choices)
    currency = models.CharField(max_length=3, default="SEK")
    balance = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    opened_at = models.DateTimeField(_("opened"))

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                name="account_no_overdraft", condition=Q(kind="internal") | Q(balance__gte=0)
            ),
            models.CheckConstraint(
                name="account_owner_unless_internal",
                condition=Q(kind="internal") | Q(party__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.number}"


class LedgerTransaction(models.Model):
    """One business event in the ledger; its postings add up to zero."""

    kind = models.CharField(max_length=24)
    description = models.CharField(max_length=200)
    initiated_by = models.ForeignKey(
        Party, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    idempotency_key = models.CharField(max_length=80, null=True, blank=True)
    request_hash = models.CharField(max_length=64, blank=True)
    booked_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["initiated_by", "idempotency_key"], name="ledger_idempotent_per_party"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"


class Posting(models.Model):
    transaction = models.ForeignKey(
        LedgerTransaction, on_delete=models.PROTECT, related_name="postings"
    )
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="postings")
    amount = models.DecimalField(max_digits=18, decimal_places=2)
    text = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(name="posting_not_zero", condition=~Q(amount=0))]
        indexes = [models.Index(fields=["account", "-id"], name="posting_account_recent")]

    def __str__(self) -> str:
        return f"{self.account_id} {self.amount}"


class Payee(models.Model):
    """A pre-registered payee (RTS Art. 13: created with signing, then paid without)."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="payees")
    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(max_length=10)
    number = models.CharField(max_length=24)
    signing_id = models.CharField(max_length=32)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("payee")
        verbose_name_plural = _("payees")
        constraints = [
            models.UniqueConstraint(fields=["party", "kind", "number"], name="payee_once_per_party")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.kind} {self.number})"


class Payment(models.Model):
    """A payment out of the bank (to a payee or a new account), booked in the ledger."""

    transaction = models.OneToOneField(LedgerTransaction, on_delete=models.PROTECT)
    from_account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="payments")
    payee = models.ForeignKey(Payee, on_delete=models.PROTECT, null=True, blank=True)
    destination_kind = models.CharField(max_length=10)
    destination_number = models.CharField(max_length=24)
    amount = models.DecimalField(max_digits=18, decimal_places=2)
    message = models.CharField(max_length=35, blank=True)
    signing_id = models.CharField(max_length=32, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [models.CheckConstraint(name="payment_positive", condition=Q(amount__gt=0))]

    def __str__(self) -> str:
        return f"{self.amount} to {self.destination_kind} {self.destination_number}"


class HoldingKind(models.TextChoices):
    FUND = "fund", _("Fund")
    PENSION = "pension", _("Life & pension")
    SHARE = "share", _("Shares")


class Holding(models.Model):
    """A position the customer holds: fund units, or a life or pension insurance's value, as
    recorded by the fund company or the life insurer (valued on ``valued_on``)."""

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="holdings")
    kind = models.CharField(_("kind"), max_length=10, choices=HoldingKind.choices)
    name = models.CharField(_("name"), max_length=100)
    identifier = models.CharField(_("ISIN or policy number"), max_length=20)
    units = models.DecimalField(_("units"), max_digits=18, decimal_places=4, default=0)
    price = models.DecimalField(_("price"), max_digits=18, decimal_places=4, default=0)
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=2)
    valued_on = models.DateField(_("valued on"))

    class Meta:
        verbose_name = _("holding")
        verbose_name_plural = _("holdings")
        constraints = [
            models.UniqueConstraint(
                fields=["party", "kind", "identifier"], name="holding_once_per_party"
            ),
            models.CheckConstraint(name="holding_value_not_negative", condition=Q(value__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.value}"


class RegistrationKind(models.TextChoices):
    AUTOGIRO = "autogiro", _("Autogiro (direct debit)")
    EINVOICE = "einvoice", _("E-invoice")


class Registration(models.Model):
    """The customer's signed consent to pay a biller by autogiro or to receive its e-invoices.
    Billing takes ``requested`` registrations on to Bankgirot (mandate) or the e-invoice network."""

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="registrations")
    kind = models.CharField(_("kind"), max_length=10, choices=RegistrationKind.choices)
    biller_name = models.CharField(_("biller"), max_length=60)
    biller_bankgiro = models.CharField(_("biller's bankgiro"), max_length=8)
    payer_reference = models.CharField(
        _("your customer or payer number at the biller"), max_length=35
    )
    account = models.ForeignKey(Account, on_delete=models.PROTECT, null=True, blank=True)
    state = models.CharField(max_length=12, default="requested")
    signing_id = models.CharField(max_length=32)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["party", "kind", "biller_bankgiro", "payer_reference"],
                name="registration_once",
            ),
            models.CheckConstraint(
                name="autogiro_has_account", condition=Q(kind="einvoice") | Q(account__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.biller_name} {self.payer_reference}"


class TradeSide(models.TextChoices):
    BUY = "buy", _("Buy")
    SELL = "sell", _("Sell")


class TradeState(models.TextChoices):
    PLACED = "placed", _("Placed")
    FILLED = "filled", _("Filled")
    CANCELLED = "cancelled", _("Cancelled")


class TradeOrder(models.Model):
    """A stock order, placed with a signature; filled (booked) or cancelled afterwards."""

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="trade_orders")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="trade_orders")
    isin = models.CharField(max_length=12)
    instrument = models.CharField(max_length=60)
    side = models.CharField(max_length=4, choices=TradeSide.choices)
    quantity = models.PositiveIntegerField()
    limit_price = models.DecimalField(max_digits=18, decimal_places=2)
    state = models.CharField(max_length=10, choices=TradeState.choices, default=TradeState.PLACED)
    signing_id = models.CharField(max_length=32)
    placed_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    fill_price = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("stock order")
        verbose_name_plural = _("stock orders")
        constraints = [
            models.CheckConstraint(name="trade_quantity_positive", condition=Q(quantity__gt=0)),
            models.CheckConstraint(name="trade_limit_positive", condition=Q(limit_price__gt=0)),
            models.CheckConstraint(
                name="trade_fill_price_when_filled",
                condition=~Q(state="filled") | Q(fill_price__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.side} {self.quantity} {self.isin} ({self.state})"
