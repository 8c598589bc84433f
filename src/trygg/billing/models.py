"""Premium billing: autogiro mandates, the premiums charged per period, the notices and payment
plans sent, the daily runs and every file exchanged with Bankgirot."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from autogiro import codes
from trygg.banking.models import LedgerTransaction
from trygg.billing import rules
from trygg.insurance.models import PeriodChoice, Policy, PolicyTerm, Product
from trygg.parties.models import Party


class NonPaymentChoice(models.TextChoices):
    CANCELLATION_NOTICE = "A", _("(A) Cancellation notice with a payment slip; cover ends")
    ADD_TO_NEXT = "B", _("(B) Unpaid premium and fee added to the next debit")


class BillingTerms(models.Model):
    """A product's billing terms: which rule of § 2 applies and the fees."""

    product = models.OneToOneField(
        Product, on_delete=models.PROTECT, related_name="billing", verbose_name=_("product")
    )
    non_payment = models.CharField(
        _("non-payment (§ 2)"), max_length=1, choices=NonPaymentChoice.choices
    )
    notice_fee = models.DecimalField(_("notice fee (kr)"), max_digits=8, decimal_places=2)
    invoice_days = models.PositiveSmallIntegerField(
        _("days to pay an invoice or cancellation notice"), default=14
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("debit attempts on insufficient funds"), default=2
    )

    class Meta:
        verbose_name = _("billing terms")
        verbose_name_plural = _("billing terms")
        constraints = [
            models.CheckConstraint(name="terms_fee_not_negative", condition=Q(notice_fee__gte=0)),
            models.CheckConstraint(name="terms_attempts", condition=Q(max_attempts__gte=1)),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} {self.non_payment}"


class MandateState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    SENT = "sent", _("Sent to Bankgirot")
    ACTIVE = "active", _("Active")
    REJECTED = "rejected", _("Rejected")
    REVOKED = "revoked", _("Revoked by the payer")
    ENDED = "ended", pgettext_lazy("state of a mandate", "Ended")


class MandateChannel(models.TextChoices):
    PAPER = "paper", _("Paper form")
    WEB = "web", _("Internet service")


class Mandate(models.Model):
    """The payer's consent that the insurer debits one bank account by autogiro."""

    payer_number = models.CharField(_("payer number"), max_length=16, unique=True)
    payer = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="mandates", verbose_name=_("payer")
    )
    id_number = models.CharField(_("personal or organisation number"), max_length=12)
    clearing = models.CharField(_("clearing number"), max_length=4)
    account = models.CharField(_("account number"), max_length=12)
    bank = models.CharField(_("bank"), max_length=60, blank=True)
    account_certain = models.BooleanField(_("account number fully checked"), default=True)
    state = models.CharField(_("state"), max_length=10, choices=MandateState.choices, db_index=True)
    channel = models.CharField(_("channel"), max_length=8, choices=MandateChannel.choices)
    signing_id = models.CharField(max_length=32, blank=True, verbose_name=_("signing order"))
    requested_on = models.DateField(_("requested on"))
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    active_from = models.DateField(_("active from"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("reason"), max_length=200, blank=True)
    deletion_due = models.DateField(
        _("deletion to send on"),
        null=True,
        blank=True,
        help_text=_("The day the deletion (TK03) goes to Bankgirot; empty once sent."),
    )
    deletion_sent_on = models.DateField(_("deletion sent on"), null=True, blank=True)
    bgc_comment_code = models.CharField(_("Bankgirot's comment code"), max_length=2, blank=True)
    bgc_comment = models.CharField(_("Bankgirot's comment"), max_length=200, blank=True)
    failures_in_row = models.PositiveSmallIntegerField(_("failed debits in a row"), default=0)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("autogiro mandate")
        verbose_name_plural = _("autogiro mandates")
        ordering = ["-created_at"]
        permissions = [("run_billing", "Can run billing and import Bankgirot files")]

    def __str__(self) -> str:
        return self.payer_number

    @property
    def is_open(self) -> bool:
        """Requested, sent or active: it pays (or will pay) its policies."""
        return self.state in rules.OPEN_MANDATE_STATES


class MandatePolicy(models.Model):
    """A policy paid through a mandate, with its payment period."""

    mandate = models.ForeignKey(Mandate, on_delete=models.PROTECT, related_name="policies")
    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("payment period"), max_length=12, choices=PeriodChoice.choices)
    attached_on = models.DateField(_("attached on"))
    detached_on = models.DateField(_("detached on"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["policy"],
                condition=Q(detached_on__isnull=True),
                name="policy_on_one_mandate",
            )
        ]

    def __str__(self) -> str:
        return f"{self.mandate_id}: {self.policy_id}"


class MandateEvent(models.Model):
    """The mandate's case record: every change, with who and why."""

    mandate = models.ForeignKey(Mandate, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.CharField(max_length=150)
    state_from = models.CharField(max_length=10, blank=True)
    state_to = models.CharField(max_length=10)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.state_from} → {self.state_to}"


class NoticeKind(models.TextChoices):
    PLAN = "plan", _("Payment plan")
    INVOICE = "invoice", _("Invoice")
    CANCELLATION = "cancellation", _("Cancellation notice")
    TERMINATION = "termination", _("Autogiro termination")


class Notice(models.Model):
    """A document sent to the payer: a payment plan (the notice of amount, due date and method
    at least 8 bank days before the first due date), an invoice with an OCR reference, a
    cancellation notice with a payment slip, or notice that autogiro ends."""

    payer = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="billing_notices", verbose_name=_("payer")
    )
    mandate = models.ForeignKey(
        Mandate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("mandate"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=NoticeKind.choices)
    sent_on = models.DateField(_("sent on"))
    pay_by = models.DateField(_("pay by"), null=True, blank=True)
    ocr = models.CharField(_("OCR reference"), max_length=25, blank=True)
    total = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    text = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(verbose_name=_("created at"))

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-sent_on", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.sent_on}"


class ChargeMethod(models.TextChoices):
    AUTOGIRO = "autogiro", _("Autogiro")
    INVOICE = "invoice", _("Invoice")


class ChargeState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ORDERED = "ordered", _("Ordered from Bankgirot")
    RETRYING = "retrying", _("New balance check")
    PAID = "paid", pgettext_lazy("state of a charge", "Paid")
    FAILED = "failed", _("Not paid")
    STOPPED = "stopped", _("Stopped by the payer")
    CARRIED = "carried", _("Added to the next debit")
    INVOICED = "invoiced", _("Moved to an invoice")
    CANCELLED = "cancelled", pgettext_lazy("state of a charge", "Cancelled")
    REFUNDED = "refunded", _("Refunded")


class BillingRun(models.Model):
    """One day's run: at most one per business date (a re-run returns the first)."""

    run_date = models.DateField(_("date"), unique=True)
    started_at = models.DateTimeField(verbose_name=_("started at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))
    summary = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("billing run")
        verbose_name_plural = _("billing runs")
        ordering = ["-run_date"]

    def __str__(self) -> str:
        return str(self.run_date)


class Charge(models.Model):
    """The premium of one period of one policy, and how it is collected.

    The table is built for the monthly run and the payment import, which update a million rows
    each: no index covers a column those updates write (state, run, order date, attempts, status,
    settlement, ledger), so PostgreSQL updates the rows in place (HOT, with room left on each
    page: see migrations 0003 and 0005) instead of adding an entry to every index for every row.
    The foreign keys they write have no index of their own; nothing looks charges up by them in
    bulk and their parents (runs, files, ledger transactions) are never deleted.

    A paid debit grows its row as little as possible, so that the new version fits in the room
    left on its page: Bankgirot's reason for a payment status is not stored (``reason`` gives it
    from the status code), and the file that paid the debit is not stored either, since the
    charge names the file's ledger transaction (``settling_file`` gives it). ``status_text``
    holds only reasons that do not follow from the code (rejected orders, refunds, unpaid
    invoices); ``settled_by`` only the file that refused a debit or rejected an order.
    """

    # Indexed by charge_policy_period, which begins with it.
    policy = models.ForeignKey(
        Policy, on_delete=models.PROTECT, related_name="+", db_index=False, verbose_name=_("policy")
    )
    term = models.ForeignKey(
        PolicyTerm,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("term"),
    )
    payer = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="+", verbose_name=_("payer")
    )
    mandate = models.ForeignKey(
        Mandate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="charges",
        verbose_name=_("mandate"),
    )
    method = models.CharField(_("method"), max_length=8, choices=ChargeMethod.choices)
    period_start = models.DateField(_("period from"))
    due_date = models.DateField(_("due date"))
    premium = models.DecimalField(_("premium"), max_digits=10, decimal_places=2)
    fee = models.DecimalField(_("fee"), max_digits=8, decimal_places=2, default=0)
    carried = models.DecimalField(
        _("unpaid amount carried over"), max_digits=10, decimal_places=2, default=0
    )
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    state = models.CharField(_("state"), max_length=10, choices=ChargeState.choices)
    reference = models.CharField(_("reference"), max_length=16)
    ocr = models.CharField(_("OCR reference"), max_length=25, blank=True)
    notice = models.ForeignKey(
        Notice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="charges",
        verbose_name=_("notice"),
    )
    run = models.ForeignKey(
        BillingRun,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="charges",
        db_index=False,
        verbose_name=_("run"),
    )
    order_date = models.DateField(_("debit ordered for"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("debit attempts"), default=0)
    status_code = models.CharField(_("Bankgirot's status"), max_length=2, blank=True)
    status_text = models.CharField(_("Bankgirot's reason"), max_length=200, blank=True)
    cancel_sent_on = models.DateField(_("cancellation sent on"), null=True, blank=True)
    settled_on = models.DateField(_("settled on"), null=True, blank=True)
    settled_by = models.ForeignKey(
        "BankgirotFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("settled by"),
    )
    ledger = models.ForeignKey(
        LedgerTransaction,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("ledger"),
    )
    created_at = models.DateTimeField(verbose_name=_("created at"))

    class Meta:
        verbose_name = _("premium charge")
        verbose_name_plural = _("premium charges")
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["due_date"], name="charge_due_date"),
            models.Index(fields=["policy", "period_start"], name="charge_policy_period"),
        ]
        constraints = [
            # A constraint rather than unique=True: PostgreSQL gets no second, pattern index.
            models.UniqueConstraint(fields=["reference"], name="charge_reference_unique"),
            # Within half an öre: SQLite keeps decimals as binary floating point.
            models.CheckConstraint(
                name="charge_amount_adds_up",
                condition=Q(
                    amount__gt=models.F("premium")
                    + models.F("fee")
                    + models.F("carried")
                    - Decimal("0.005"),
                    amount__lt=models.F("premium")
                    + models.F("fee")
                    + models.F("carried")
                    + Decimal("0.005"),
                ),
            ),
            models.CheckConstraint(name="charge_amount_positive", condition=Q(amount__gt=0)),
            models.CheckConstraint(
                name="charge_autogiro_has_mandate",
                condition=~Q(method="autogiro") | Q(mandate__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reason(self) -> str:
        """Bankgirot's reason: the text stored with the charge, else the text of its payment
        status code."""
        return self.status_text or codes.PAYMENT_STATUS_CODES.get(self.status_code, "")

    @property
    def settling_file(self) -> BankgirotFile | None:
        """The file from Bankgirot that settled the charge: the one named (a refused debit, a
        rejected order), or for a debit paid by autogiro the file whose ledger transaction the
        charge names."""
        if self.settled_by_id is not None:
            return self.settled_by
        if self.ledger_id is None:
            return None
        return BankgirotFile.objects.filter(ledger_id=self.ledger_id).first()


class Direction(models.TextChoices):
    OUT = "out", _("To Bankgirot")
    IN = "in", _("From Bankgirot")


class BankgirotFile(models.Model):
    """Every file exchanged with Bankgirot: written by a run, or imported."""

    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(max_length=64, unique=True, verbose_name=_("SHA-256 checksum"))
    content = models.CharField(_("content"), max_length=40)
    records = models.PositiveIntegerField(_("records"))
    run = models.ForeignKey(
        BillingRun,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="files",
        verbose_name=_("run"),
    )
    summary = models.JSONField(default=dict)
    # The ledger transaction of the debits the file reports paid; each of them names it.
    ledger = models.OneToOneField(
        LedgerTransaction,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ledger"),
    )
    at = models.DateTimeField(_("written or imported"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )

    class Meta:
        verbose_name = _("Bankgirot file")
        verbose_name_plural = _("Bankgirot files")
        ordering = ["-at"]

    def __str__(self) -> str:
        return self.name
