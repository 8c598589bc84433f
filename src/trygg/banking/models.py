"""Accounts and the double-entry ledger; payees and payments."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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
        Party,
        on_delete=models.PROTECT,
        related_name="accounts",
        null=True,
        blank=True,
        verbose_name=_("party"),
    )
    number = models.CharField(_("account number"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=12, choices=AccountKind.choices)
    currency = models.CharField(max_length=3, default="SEK", verbose_name=_("currency"))
    balance = models.DecimalField(
        max_digits=18, decimal_places=2, default=0, verbose_name=_("balance")
    )
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
    """A pre-registered payee (RTS Art. 13: created with signing, then paid without). Its name
    and the customer's reference at the payee may be changed without signing; its number may
    not (a new number is a new payee, registered with signing)."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="payees")
    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(max_length=10)
    number = models.CharField(max_length=24)
    reference = models.CharField(_("your reference at the payee"), max_length=35, blank=True)
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


class PaymentState(models.TextChoices):
    SCHEDULED = "scheduled", pgettext_lazy("payment state", "Scheduled")
    BOOKED = "booked", pgettext_lazy("payment state", "Paid")
    FAILED = "failed", pgettext_lazy("payment state", "Not paid")
    CANCELLED = "cancelled", pgettext_lazy("payment state", "Cancelled")


class Payment(models.Model):
    """A payment out of the bank (to a payee or a new account). Dated today it is booked in the
    ledger at once; dated ahead it waits as ``scheduled`` and is booked on its date."""

    transaction = models.OneToOneField(
        LedgerTransaction,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("transaction"),
    )
    from_account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="payments", verbose_name=_("from account")
    )
    payee = models.ForeignKey(
        Payee, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("payee")
    )
    destination_kind = models.CharField(max_length=10, verbose_name=_("destination kind"))
    destination_number = models.CharField(max_length=24, verbose_name=_("destination number"))
    receiver_name = models.CharField(_("receiver"), max_length=60, blank=True)
    amount = models.DecimalField(max_digits=18, decimal_places=2, verbose_name=_("amount"))
    message = models.CharField(max_length=35, blank=True, verbose_name=_("message"))
    ocr = models.CharField(_("OCR number"), max_length=25, blank=True)
    execution_date = models.DateField(_("payment date"))
    state = models.CharField(
        max_length=10,
        choices=PaymentState.choices,
        default=PaymentState.BOOKED,
        verbose_name=_("state"),
    )
    initiated_by = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("initiated by"),
    )
    idempotency_key = models.CharField(
        max_length=80, null=True, blank=True, verbose_name=_("idempotency key")
    )
    created_at = models.DateTimeField(verbose_name=_("created at"))
    signing_id = models.CharField(max_length=32, blank=True, verbose_name=_("signing order"))

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(name="payment_positive", condition=Q(amount__gt=0)),
            models.CheckConstraint(
                name="payment_booked_in_ledger",
                condition=~Q(state="booked") | Q(transaction__isnull=False),
            ),
            models.CheckConstraint(
                name="payment_ocr_or_message", condition=Q(ocr="") | Q(message="")
            ),
            models.UniqueConstraint(
                fields=["initiated_by", "idempotency_key"], name="payment_idempotent_per_party"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} to {self.destination_kind} {self.destination_number}"

    @property
    def reference(self) -> str:
        """The receipt's reference: the payment's number, as the customer quotes it."""
        return f"B{self.pk:08d}"


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

    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("party")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=RegistrationKind.choices)
    biller_name = models.CharField(_("biller"), max_length=60)
    biller_bankgiro = models.CharField(_("biller's bankgiro"), max_length=8)
    payer_reference = models.CharField(
        _("your customer or payer number at the biller"), max_length=35
    )
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("account")
    )
    state = models.CharField(max_length=12, default="requested", verbose_name=_("state"))
    signing_id = models.CharField(max_length=32, verbose_name=_("signing order"))
    created_at = models.DateTimeField(verbose_name=_("created at"))

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

    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="trade_orders", verbose_name=_("party")
    )
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="trade_orders", verbose_name=_("account")
    )
    isin = models.CharField(max_length=12)
    instrument = models.CharField(max_length=60, verbose_name=_("instrument"))
    side = models.CharField(max_length=4, choices=TradeSide.choices, verbose_name=_("side"))
    quantity = models.PositiveIntegerField(verbose_name=_("quantity"))
    limit_price = models.DecimalField(
        max_digits=18, decimal_places=2, verbose_name=_("limit price")
    )
    state = models.CharField(
        max_length=10,
        choices=TradeState.choices,
        default=TradeState.PLACED,
        verbose_name=_("state"),
    )
    signing_id = models.CharField(max_length=32, verbose_name=_("signing order"))
    placed_at = models.DateTimeField(verbose_name=_("placed at"))
    closed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("closed at"))
    fill_price = models.DecimalField(
        max_digits=18, decimal_places=2, null=True, blank=True, verbose_name=_("fill price")
    )

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


class InstrumentKind(models.TextChoices):
    SHARE = "share", _("Share")
    FUND = "fund", _("Fund")


class Instrument(models.Model):
    """A share or fund the bank's customers can trade, by its ISIN."""

    isin = models.CharField("ISIN", max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=10, choices=InstrumentKind.choices)
    currency = models.CharField(max_length=3, default="SEK")

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.isin})"


class InstrumentPrice(models.Model):
    """An instrument's closing price on one day (the market data feed, or the demo's)."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="prices")
    on = models.DateField(_("date"))
    price = models.DecimalField(_("price"), max_digits=18, decimal_places=4)

    class Meta:
        verbose_name = _("instrument price")
        verbose_name_plural = _("instrument prices")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "on"], name="instrument_price_once"),
            models.CheckConstraint(name="instrument_price_positive", condition=Q(price__gt=0)),
        ]
        indexes = [models.Index(fields=["instrument", "-on"], name="instrument_price_recent")]

    def __str__(self) -> str:
        return f"{self.instrument_id} {self.on} {self.price}"
