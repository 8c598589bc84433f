"""The protection service's state: the issuer directory, each customer's registry of cards,
phones and ID documents, blocking calls with the blocking report's answers, one block per item
and issuer, and the agent's callback tasks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from trygg.parties.models import Party
from trygg.protection import rules


class IssuerKind(models.TextChoices):
    CARD_ISSUER = rules.IssuerKind.CARD_ISSUER, _("card issuer")
    MOBILE_OPERATOR = rules.IssuerKind.MOBILE_OPERATOR, _("mobile operator")
    ROAD_AUTHORITY = rules.IssuerKind.ROAD_AUTHORITY, _("road authority")
    POLICE = rules.IssuerKind.POLICE, _("police")


class Issuer(models.Model):
    """One issuer in the directory: how a block reaches it and what it does for the customer."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    country = models.CharField(_("country"), max_length=2, default="NO")
    kind = models.CharField(_("kind"), max_length=20, choices=IssuerKind.choices)
    endpoint = models.CharField(
        _("blocking service"),
        max_length=40,
        help_text=_("The name under TRYGG_ISSUERS that holds the service's URL and key."),
    )
    can_order_replacement = models.BooleanField(_("we can order a replacement"), default=False)
    phone = models.CharField(_("the customer's number for the issuer"), max_length=30, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("issuer")
        verbose_name_plural = _("issuers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def terms(self) -> rules.IssuerTerms:
        return rules.IssuerTerms(
            code=self.code,
            kind=rules.IssuerKind(self.kind),
            can_order_replacement=self.can_order_replacement,
        )


class ItemKind(models.TextChoices):
    CARD = rules.ItemKind.CARD, _("payment card")
    PHONE = rules.ItemKind.PHONE, _("mobile phone")
    DOCUMENT = rules.ItemKind.DOCUMENT, _("ID document")


class DocumentKind(models.TextChoices):
    DRIVING_LICENCE = rules.DocumentKind.DRIVING_LICENCE, _("driving licence")
    PASSPORT = rules.DocumentKind.PASSPORT, _("passport")
    ID_CARD = rules.DocumentKind.ID_CARD, _("ID card")


class ItemSource(models.TextChoices):
    ONLINE = "online", _("registered on Mine sider")
    PAPER = "paper", _("registration form by post")
    CALL = "call", _("registered during a blocking call")


class Item(models.Model):
    """A card, phone or ID document the customer may lose. Never a card number: a card is its
    issuer and type (and the last 4 digits where needed)."""

    customer = models.ForeignKey(
        Party, on_delete=models.CASCADE, related_name="protected_items", verbose_name=_("customer")
    )
    company = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="protected_company_items",
        verbose_name=_("company (company card)"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    issuer = models.ForeignKey(
        Issuer, on_delete=models.PROTECT, related_name="items", verbose_name=_("issuer")
    )
    card_type = models.CharField(_("card type"), max_length=60, blank=True)
    ks = models.CharField(_("KS (last 4 digits)"), max_length=4, blank=True)
    imei = models.CharField(_("IMEI"), max_length=15, blank=True)
    document_kind = models.CharField(
        _("document"), max_length=20, choices=DocumentKind.choices, blank=True
    )
    note = models.CharField(_("your note"), max_length=100, blank=True)
    source = models.CharField(_("registered"), max_length=10, choices=ItemSource.choices)
    created_at = models.DateTimeField(_("registered at"))
    updated_at = models.DateTimeField(_("changed at"))
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("registered item")
        verbose_name_plural = _("registered items")
        ordering = ["kind", "issuer__name", "id"]
        constraints = [
            models.CheckConstraint(
                name="item_kind_fields",
                condition=(
                    Q(kind="card", imei="", document_kind="")
                    | Q(kind="phone", ks="", card_type="", document_kind="", company__isnull=True)
                    & ~Q(imei="")
                    | Q(kind="document", ks="", imei="", card_type="", company__isnull=True)
                    & ~Q(document_kind="")
                ),
            ),
            models.CheckConstraint(
                name="item_company_card_has_ks", condition=Q(company__isnull=True) | ~Q(ks="")
            ),
            models.CheckConstraint(
                name="item_ks_four_digits", condition=Q(ks="") | Q(ks__regex=r"^[0-9]{4}$")
            ),
            models.UniqueConstraint(
                fields=["customer", "imei"],
                condition=Q(kind="phone", removed_at__isnull=True),
                name="item_one_phone_per_imei",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.issuer.name}"


class CallState(models.TextChoices):
    OPEN = rules.CallState.OPEN, _("open")
    CLOSED = rules.CallState.CLOSED, _("blocking")
    COMPLETED = rules.CallState.COMPLETED, _("completed")
    ABANDONED = rules.CallState.ABANDONED, _("abandoned")


class BlockingCall(models.Model):
    """A call to the blocking line, with the blocking report's answers."""

    number = models.CharField(_("call number"), max_length=12, unique=True)
    customer = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="blocking_calls", verbose_name=_("customer")
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("agent"),
    )
    spoke_with = models.CharField(_("spoke with"), max_length=120)
    state = models.CharField(_("state"), max_length=10, choices=CallState.choices)
    opened_at = models.DateTimeField(_("opened"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    completed_at = models.DateTimeField(_("all answered"), null=True, blank=True)
    # The blocking report's questions (seed 004, "Sperrerapport").
    how_lost = models.TextField(_("how did the items go astray?"), blank=True)
    how_kept = models.TextField(_("how were they kept?"), blank=True)
    discovered_at = models.DateTimeField(_("loss discovered"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)
    place = models.CharField(_("place of the loss"), max_length=120, blank=True)
    country = models.CharField(_("country of the loss"), max_length=2, blank=True)
    police_report = models.BooleanField(_("reported to the police"), null=True, blank=True)
    id_data_lost = models.BooleanField(_("ID data lost with them"), null=True, blank=True)
    code_written_down = models.BooleanField(
        _("a card's code was written down"), null=True, blank=True
    )
    replacement_wanted = models.BooleanField(
        _("replacement cards to be ordered where possible"), null=True, blank=True
    )
    language = models.CharField(_("language of the report"), max_length=5, default="nb")

    class Meta:
        verbose_name = _("blocking call")
        verbose_name_plural = _("blocking calls")
        ordering = ["-opened_at"]
        constraints = [
            models.CheckConstraint(
                name="call_closed_has_time",
                condition=Q(state__in=["open", "abandoned"]) | Q(closed_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.number


class BlockState(models.TextChoices):
    REQUESTED = rules.BlockState.REQUESTED, _("requested")
    SENT = rules.BlockState.SENT, _("sent")
    CONFIRMED = rules.BlockState.CONFIRMED, _("blocked")
    NOT_FOUND = rules.BlockState.NOT_FOUND, _("not found at the issuer")
    FAILED = rules.BlockState.FAILED, _("issuer not reached")
    LIFTED = rules.BlockState.LIFTED, _("lifted")


class Block(models.Model):
    """One item blocked at its issuer in one call. The issuer receives ``key`` with every
    attempt, so an attempt repeated after a crash never blocks twice."""

    call = models.ForeignKey(BlockingCall, on_delete=models.PROTECT, related_name="blocks")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="blocks")
    issuer = models.ForeignKey(Issuer, on_delete=models.PROTECT, related_name="blocks")
    key = models.CharField(_("request key"), max_length=40, unique=True)
    state = models.CharField(_("state"), max_length=10, choices=BlockState.choices)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    requested_at = models.DateTimeField(_("requested"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    issuer_reference = models.CharField(_("issuer's reference"), max_length=60, blank=True)
    replacement_ordered = models.BooleanField(_("replacement ordered"), default=False)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        ordering = ["call", "id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "item"], name="block_once_per_call"),
            models.CheckConstraint(
                name="block_confirmed_has_time",
                condition=~Q(state="confirmed") | Q(answered_at__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="block_due_idx")]

    def __str__(self) -> str:
        return self.key


class Callback(models.Model):
    """The agent calls the customer back: an issuer found no such item."""

    block = models.ForeignKey(
        Block, on_delete=models.PROTECT, related_name="callbacks", verbose_name=_("block")
    )
    created_at = models.DateTimeField(_("raised"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        verbose_name = _("callback")
        verbose_name_plural = _("callbacks")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["block"], condition=Q(done_at__isnull=True), name="callback_one_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.block.key} {self.created_at:%Y-%m-%d %H:%M}"


# -- agreements, products and invoices (issue 19, points 3-5) -----------------------------------


class LegalEntity(models.Model):
    """The intermediary's legal entity in force from a date (seed: mySafety AS, from 2019-10-01
    mySafety Försäkringar AB), shown with its supervisory authorities on every agreement and
    letter."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    org_number = models.CharField(_("organisation number"), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=2)
    address = models.CharField(_("address"), max_length=200, blank=True)
    role = models.CharField(
        _("role"),
        max_length=200,
        help_text=_("E.g. insurance intermediary, tied agent of an insurer."),
    )
    supervision = models.CharField(_("supervisory authorities"), max_length=200)
    valid_from = models.DateField(_("in force from"), unique=True)

    class Meta:
        verbose_name = _("legal entity")
        verbose_name_plural = _("legal entities")
        ordering = ["valid_from"]

    def __str__(self) -> str:
        return self.name

    def terms(self) -> rules.EntityTerms:
        return rules.EntityTerms(code=self.code, valid_from=self.valid_from)


class ProductKind(models.TextChoices):
    BLOCKING = rules.ProductKind.BLOCKING, _("blocking service")
    ID_PROTECTION = rules.ProductKind.ID_PROTECTION, _("ID protection")
    KEY_TAG = rules.ProductKind.KEY_TAG, _("key tag")
    INSURANCE = rules.ProductKind.INSURANCE, _("insurance (as tied agent)")


class PaymentPlan(models.TextChoices):
    MONTHLY = rules.PaymentPlan.MONTHLY, _("monthly, three-month terms")
    PREPAID = rules.PaymentPlan.PREPAID, _("prepaid period")
    ANNUAL = rules.PaymentPlan.ANNUAL, _("agreement year")


class Product(models.Model):
    """A product the provider sells, with its payment plan and price (per invoice)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=ProductKind.choices)
    plan = models.CharField(_("payment plan"), max_length=10, choices=PaymentPlan.choices)
    period_months = models.PositiveSmallIntegerField(
        _("months paid by one invoice"), help_text=_("1 for a monthly plan, else the period.")
    )
    price = models.DecimalField(_("price per invoice"), max_digits=10, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="NOK")
    insurer = models.CharField(
        _("insurer"), max_length=100, blank=True, help_text=_("For an insurance: whose it is.")
    )
    due_date_moves = models.PositiveSmallIntegerField(
        _("due date moves allowed per invoice"), default=1
    )
    due_date_max_days = models.PositiveSmallIntegerField(
        _("due date moved at most (days)"), default=30
    )
    active = models.BooleanField(_("on sale"), default=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                name="product_insurance_has_insurer",
                condition=~Q(kind="insurance") | ~Q(insurer=""),
            ),
            models.CheckConstraint(
                name="product_insurance_is_annual",
                condition=~Q(kind="insurance") | Q(plan="annual"),
            ),
            models.CheckConstraint(
                name="product_monthly_one_month",
                condition=~Q(plan="monthly") | Q(period_months=1),
            ),
            models.CheckConstraint(name="product_price_positive", condition=Q(price__gt=0)),
        ]

    def __str__(self) -> str:
        return self.name

    def due_move_rule(self) -> rules.DueMoveRule:
        return rules.DueMoveRule(moves=self.due_date_moves, max_days=self.due_date_max_days)


class AgreementState(models.TextChoices):
    ACTIVE = rules.AgreementState.ACTIVE, _("active")
    NOTICE = rules.AgreementState.NOTICE, _("cancelled, running to its end")
    ENDED = rules.AgreementState.ENDED, _("ended")
    EXPIRED = rules.AgreementState.EXPIRED, _("period ended")
    LAPSED = rules.AgreementState.LAPSED, _("ended for non-payment")


class Agreement(models.Model):
    """One customer's agreement for one product; ``entity`` is the intermediary's entity of the
    current term (a renewal from 2019-10-01 is with the new entity)."""

    number = models.CharField(_("agreement number"), max_length=12, unique=True)
    customer = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("customer")
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("product")
    )
    plan = models.CharField(_("payment plan"), max_length=10, choices=PaymentPlan.choices)
    entity = models.ForeignKey(
        LegalEntity, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("entity")
    )
    state = models.CharField(_("state"), max_length=10, choices=AgreementState.choices)
    started_on = models.DateField(_("started"))
    first_term_end = models.DateField(_("end of the first term"))
    term_start = models.DateField(_("current term from"))
    term_end = models.DateField(_("current term to"))
    invoiced_until = models.DateField(_("invoiced until"))
    no_offers = models.BooleanField(_("no renewal offers"), default=False)
    notice_on = models.DateField(_("cancelled on"), null=True, blank=True)
    end_on = models.DateField(_("ends on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-started_on", "number"]
        constraints = [
            models.CheckConstraint(
                name="agreement_term_ordered", condition=Q(term_start__lte=F("term_end"))
            ),
            models.CheckConstraint(
                name="agreement_notice_has_end",
                condition=~Q(state="notice") | Q(end_on__isnull=False, notice_on__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["plan", "state", "term_end"], name="agreement_term_idx"),
            models.Index(fields=["plan", "state", "invoiced_until"], name="agreement_invoice_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class InvoiceKind(models.TextChoices):
    CLAIM = rules.InvoiceKind.CLAIM, _("invoice")
    OFFER = rules.InvoiceKind.OFFER, _("renewal offer")


class InvoiceState(models.TextChoices):
    OPEN = rules.InvoiceState.OPEN, _("open")
    PAID = rules.InvoiceState.PAID, _("paid")
    CANCELLED = rules.InvoiceState.CANCELLED, _("cancelled")
    WITHDRAWN = rules.InvoiceState.WITHDRAWN, _("offer withdrawn")


class Invoice(models.Model):
    """A Norwegian invoice with its KID, for one period of an agreement."""

    number = models.PositiveBigIntegerField(_("invoice number"), unique=True)
    # Indexed by ``invoice_once_per_period``, which leads with it.
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        related_name="invoices",
        db_index=False,
        verbose_name=_("agreement"),
    )
    # A handful of entities: an index would only be read when one is deleted, which PROTECT
    # refuses anyway.
    entity = models.ForeignKey(
        LegalEntity,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        verbose_name=_("entity"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=InvoiceKind.choices)
    state = models.CharField(_("state"), max_length=10, choices=InvoiceState.choices)
    # Unique by the constraint ``invoice_kid_once`` (no pattern index: a KID is matched whole).
    kid = models.CharField(_("KID"), max_length=25)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="NOK")
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    issued_on = models.DateField(_("issued"))
    original_due_on = models.DateField(_("first due date"))
    due_on = models.DateField(_("due date"))
    due_moves = models.PositiveSmallIntegerField(_("due date moves"), default=0)
    reminders = models.PositiveSmallIntegerField(_("reminders"), default=0)
    reminded_on = models.DateField(_("last reminded"), null=True, blank=True)
    action_on = models.DateField(_("next step on"), null=True, blank=True)
    paid_on = models.DateField(_("paid"), null=True, blank=True)
    registered_on = models.DateField(_("payment registered"), null=True, blank=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-due_on", "-number"]
        constraints = [
            models.CheckConstraint(
                name="invoice_reminders_at_most_two",
                condition=Q(reminders__lte=rules.MAX_REMINDERS),
            ),
            models.CheckConstraint(
                name="invoice_offer_never_reminded", condition=~Q(kind="offer") | Q(reminders=0)
            ),
            models.CheckConstraint(
                name="invoice_paid_has_date",
                condition=~Q(state="paid") | Q(paid_on__isnull=False),
            ),
            models.CheckConstraint(name="invoice_amount_positive", condition=Q(amount__gt=0)),
            models.UniqueConstraint(
                fields=["agreement", "period_start", "kind"], name="invoice_once_per_period"
            ),
            models.UniqueConstraint(fields=["kid"], name="invoice_kid_once"),
        ]
        # No index on a column that payments, reminders and lapses write (``state``,
        # ``reminders``, ``action_on``, ``paid_on``): with none, and the room the table's fill
        # factor leaves on each page (migration 0011), those updates stay on their page and touch
        # no index (HOT). The daily run reads the due invoices in one scan instead.

    def __str__(self) -> str:
        return str(self.number)


class LetterKind(models.TextChoices):
    AGREEMENT = rules.LetterKind.AGREEMENT, _("agreement")
    INVOICE = rules.LetterKind.INVOICE, _("invoice")
    RENEWAL = rules.LetterKind.RENEWAL, _("renewal letter")
    OFFER = rules.LetterKind.OFFER, _("renewal offer")
    REMINDER = rules.LetterKind.REMINDER, _("reminder")
    LAPSE = rules.LetterKind.LAPSE, _("ended for non-payment")
    NOTICE = rules.LetterKind.NOTICE, _("cancellation confirmed")


class AgreementLetter(models.Model):
    """A letter sent about an agreement, rendered on demand in Bokmål with the entity of its
    day. ``seq`` numbers the reminders of one invoice (1, 2)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="letters")
    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, null=True, blank=True, related_name="letters"
    )
    entity = models.ForeignKey(LegalEntity, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=LetterKind.choices)
    seq = models.PositiveSmallIntegerField(_("number"), default=0)
    sent_on = models.DateField(_("sent"))

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "invoice", "kind", "seq"], name="agreement_letter_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.sent_on}"


class PaymentState(models.TextChoices):
    BOOKED = "booked", _("booked to its invoice")
    UNMATCHED = "unmatched", _("no open invoice with this KID and amount")


class OcrFile(models.Model):
    """An incoming Nets OCR giro file, read once: the same transmission again books nothing."""

    transmission = models.CharField(_("transmission number"), max_length=7, unique=True)
    sha256 = models.CharField(_("content hash"), max_length=64, unique=True)
    name = models.CharField(_("file name"), max_length=200)
    nets_date = models.DateField(_("Nets date"))
    received_at = models.DateTimeField(_("read"))
    payments = models.PositiveIntegerField(_("payments"))
    total = models.DecimalField(_("total"), max_digits=16, decimal_places=2)
    booked_total = models.DecimalField(_("booked to invoices"), max_digits=16, decimal_places=2)
    ledger_transaction_id = models.BigIntegerField(_("ledger transaction"), null=True)

    class Meta:
        verbose_name = _("OCR giro file")
        verbose_name_plural = _("OCR giro files")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return self.name


class Payment(models.Model):
    """One payment of an OCR file, matched to its invoice by KID."""

    # Indexed by ``payment_line_once``, which leads with it. On PostgreSQL both references are
    # checked statement by statement rather than row by row (migration 0012, decision 0096).
    file = models.ForeignKey(
        OcrFile,
        on_delete=models.PROTECT,
        related_name="lines",
        db_index=False,
        verbose_name=_("file"),
    )
    seq = models.PositiveIntegerField(_("line"))
    kid = models.CharField(_("KID"), max_length=25)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    paid_on = models.DateField(_("paid"))
    payer_account = models.CharField(_("payer's account"), max_length=11, blank=True)
    # Indexed by ``payment_pays_once`` (every non-null invoice, once).
    invoice = models.ForeignKey(
        Invoice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        db_index=False,
        verbose_name=_("invoice"),
    )
    state = models.CharField(_("state"), max_length=10, choices=PaymentState.choices)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["file", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["file", "seq"], name="payment_line_once"),
            models.UniqueConstraint(
                fields=["invoice"], condition=Q(invoice__isnull=False), name="payment_pays_once"
            ),
        ]
        indexes = [models.Index(fields=["kid"], name="payment_kid_idx")]

    def __str__(self) -> str:
        return f"{self.kid} {self.amount}"


# -- key tags (issue 19, point 1) -------------------------------------------------------------


class KeyTagBatch(models.Model):
    """A batch of key tags produced with consecutive serials."""

    number = models.PositiveIntegerField(_("batch"), unique=True)
    first = models.PositiveIntegerField(_("first serial number"))
    count = models.PositiveIntegerField(_("tags"))
    issued_at = models.DateTimeField(_("issued"))

    class Meta:
        verbose_name = _("key tag batch")
        verbose_name_plural = _("key tag batches")
        ordering = ["-number"]

    def __str__(self) -> str:
        return str(self.number)


class KeyTag(models.Model):
    """One tag; linked to its owner by the owner's personal identity number."""

    serial = models.CharField(_("serial"), max_length=9, unique=True)
    batch = models.ForeignKey(
        KeyTagBatch, on_delete=models.PROTECT, related_name="tags", verbose_name=_("batch")
    )
    owner = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="key_tags",
        verbose_name=_("owner"),
    )
    linked_at = models.DateTimeField(_("linked"), null=True, blank=True)

    class Meta:
        verbose_name = _("key tag")
        verbose_name_plural = _("key tags")
        ordering = ["serial"]
        constraints = [
            models.CheckConstraint(
                name="keytag_linked_has_time",
                condition=Q(owner__isnull=True) | Q(linked_at__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.serial


class FoundSource(models.TextChoices):
    CALL = "call", _("the finder phoned")
    POST = "post", _("the keys came by post")
    POLICE = "police", _("the police")


class FoundState(models.TextChoices):
    REPORTED = rules.FoundState.REPORTED, _("reported, keys not here yet")
    RECEIVED = rules.FoundState.RECEIVED, _("keys received")
    AT_POLICE = rules.FoundState.AT_POLICE, _("keys at the police")
    SENT = rules.FoundState.SENT, _("sent by registered letter")
    PICKED_UP = rules.FoundState.PICKED_UP, _("picked up at the police")
    UNRETURNED = rules.FoundState.UNRETURNED, _("closed, not returned")


class FoundKeysCase(models.Model):
    """Found keys with one of our tags, from the finder's call (or the keys' arrival) to the
    owner; the finder's reward paid once."""

    number = models.CharField(_("case number"), max_length=12, unique=True)
    tag = models.ForeignKey(
        KeyTag, on_delete=models.PROTECT, related_name="cases", verbose_name=_("tag")
    )
    owner = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="found_keys_cases", verbose_name=_("owner")
    )
    source = models.CharField(_("how it reached us"), max_length=10, choices=FoundSource.choices)
    state = models.CharField(_("state"), max_length=10, choices=FoundState.choices)
    finder_name = models.CharField(_("finder's name"), max_length=120, blank=True)
    finder_phone = models.CharField(_("finder's phone"), max_length=30, blank=True)
    opened_at = models.DateTimeField(_("opened"))
    owner_contacted_at = models.DateTimeField(_("owner contacted"), null=True, blank=True)
    tracking_number = models.CharField(_("registered letter number"), max_length=30, blank=True)
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    identified_by = models.CharField(
        _("identification shown at the police"), max_length=60, blank=True
    )
    reward_account = models.CharField(_("finder's account"), max_length=11, blank=True)
    reward_paid_at = models.DateTimeField(_("reward paid"), null=True, blank=True)
    reward_transaction_id = models.BigIntegerField(_("ledger transaction"), null=True, blank=True)

    class Meta:
        verbose_name = _("found keys case")
        verbose_name_plural = _("found keys cases")
        ordering = ["-opened_at"]
        constraints = [
            models.CheckConstraint(
                name="foundkeys_sent_has_tracking",
                condition=~Q(state="sent") | ~Q(tracking_number=""),
            ),
            models.CheckConstraint(
                name="foundkeys_pickup_identified",
                condition=~Q(state="picked_up") | ~Q(identified_by=""),
            ),
            models.CheckConstraint(
                name="foundkeys_reward_has_account",
                condition=Q(reward_paid_at__isnull=True) | ~Q(reward_account=""),
            ),
            # One reward per case: the ledger transaction of a reward is one case's only.
            models.UniqueConstraint(
                fields=["reward_transaction_id"],
                condition=Q(reward_transaction_id__isnull=False),
                name="foundkeys_reward_once",
            ),
        ]

    def __str__(self) -> str:
        return self.number


# -- ID theft (issue 19, point 2) ---------------------------------------------------------------


class IdTheftState(models.TextChoices):
    OPEN = rules.IdTheftState.OPEN, _("open")
    CLOSED = rules.IdTheftState.CLOSED, _("closed")


class IdTheftCase(models.Model):
    """An investigation by the ID-protection department with the customer."""

    number = models.CharField(_("case number"), max_length=12, unique=True)
    customer = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="id_theft_cases", verbose_name=_("customer")
    )
    state = models.CharField(_("state"), max_length=10, choices=IdTheftState.choices)
    summary = models.TextField(_("what happened"))
    opened_at = models.DateTimeField(_("opened"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("ID theft case")
        verbose_name_plural = _("ID theft cases")
        ordering = ["-opened_at"]
        constraints = [
            models.CheckConstraint(
                name="idtheft_closed_has_time",
                condition=~Q(state="closed") | Q(closed_at__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.number


class DisputeState(models.TextChoices):
    DISPUTED = rules.DisputeState.DISPUTED, _("disputed")
    WITHDRAWN = rules.DisputeState.WITHDRAWN, _("withdrawn by the creditor")
    UPHELD = rules.DisputeState.UPHELD, _("upheld by the creditor")


class DisputedClaim(models.Model):
    """A claim or invoice someone ran up in the customer's name."""

    case = models.ForeignKey(IdTheftCase, on_delete=models.CASCADE, related_name="claims")
    creditor = models.CharField(_("creditor"), max_length=120)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="NOK")
    reference = models.CharField(_("creditor's reference"), max_length=60, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=DisputeState.choices)
    deadline = models.DateField(_("answer due"), null=True, blank=True)
    updated_at = models.DateTimeField(_("changed"))

    class Meta:
        verbose_name = _("disputed claim")
        verbose_name_plural = _("disputed claims")
        ordering = ["case", "id"]
        constraints = [
            models.CheckConstraint(name="disputedclaim_amount_positive", condition=Q(amount__gt=0))
        ]

    def __str__(self) -> str:
        return f"{self.creditor} {self.reference}"


class StepKind(models.TextChoices):
    LETTER = rules.StepKind.LETTER, _("letter disputing a claim")
    CREDIT_BLOCK = rules.StepKind.CREDIT_BLOCK, _("credit-reference block")
    POLICE_REPORT = rules.StepKind.POLICE_REPORT, _("police report")
    CALL = rules.StepKind.CALL, _("call")
    NOTE = rules.StepKind.NOTE, _("note")


class CaseStep(models.Model):
    """One step of an ID theft case, in the case log the customer reads on Mine sider."""

    case = models.ForeignKey(IdTheftCase, on_delete=models.CASCADE, related_name="steps")
    claim = models.ForeignKey(
        DisputedClaim, on_delete=models.CASCADE, null=True, blank=True, related_name="steps"
    )
    kind = models.CharField(_("kind"), max_length=15, choices=StepKind.choices)
    text = models.TextField(_("what was done"))
    at = models.DateTimeField(_("when"))
    deadline = models.DateField(_("follow up by"), null=True, blank=True)

    class Meta:
        verbose_name = _("case step")
        verbose_name_plural = _("case steps")
        ordering = ["case", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"


# -- claims on the protection insurances (issue 19, point 6) ------------------------------------


class ClaimState(models.TextChoices):
    REPORTED = rules.ClaimState.REPORTED, _("being handled")
    WAITING = rules.ClaimState.WAITING, _("waiting for information")
    APPROVED = rules.ClaimState.APPROVED, _("approved, payout pending")
    PAID = rules.ClaimState.PAID, _("paid")
    REJECTED = rules.ClaimState.REJECTED, _("rejected")


class ClaimChannel(models.TextChoices):
    WEB = "web", _("Mine sider")
    PAPER = "paper", _("paper form")


class ProtectionClaim(models.Model):
    """A claim on one of the insurances the provider distributes (a card insurance ...): the
    loss in the customer's words, the documents, the account to pay to, and the handling time
    of one month that stands still while information is awaited."""

    number = models.CharField(_("claim number"), max_length=12, unique=True)
    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="claims", verbose_name=_("agreement")
    )
    customer = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        related_name="protection_claims",
        verbose_name=_("customer"),
    )
    channel = models.CharField(_("reported through"), max_length=5, choices=ClaimChannel.choices)
    incident_on = models.DateField(_("date of the loss"))
    description = models.TextField(_("what happened"))
    amount_claimed = models.DecimalField(_("amount claimed"), max_digits=12, decimal_places=2)
    payout_account = models.CharField(_("account for the payout"), max_length=11)
    state = models.CharField(_("state"), max_length=10, choices=ClaimState.choices)
    reported_at = models.DateTimeField(_("reported"))
    reported_on = models.DateField(_("reported on"))
    due_on = models.DateField(_("to be decided by"), db_index=True)
    waiting_since = models.DateField(_("information asked for on"), null=True, blank=True)
    paused_days = models.PositiveIntegerField(_("days waiting for information"), default=0)
    information_asked = models.TextField(_("information asked for"), blank=True)
    amount_approved = models.DecimalField(
        _("amount approved"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    payout_transaction_id = models.BigIntegerField(_("ledger transaction"), null=True, blank=True)

    class Meta:
        verbose_name = _("insurance claim")
        verbose_name_plural = _("insurance claims")
        ordering = ["-reported_at"]
        permissions = [("decide_protectionclaim", "Can decide and pay protection claims")]
        constraints = [
            models.CheckConstraint(
                name="protectionclaim_amount_positive", condition=Q(amount_claimed__gt=0)
            ),
            models.CheckConstraint(
                name="protectionclaim_waiting_has_date",
                condition=~Q(state="waiting") | Q(waiting_since__isnull=False),
            ),
            models.CheckConstraint(
                name="protectionclaim_approved_has_amount",
                condition=~Q(state__in=["approved", "paid"]) | Q(amount_approved__gt=0),
            ),
            models.CheckConstraint(
                name="protectionclaim_paid_has_payout",
                condition=~Q(state="paid") | Q(payout_transaction_id__isnull=False),
            ),
            # One payout per claim: the ledger transaction of a payout is one claim's only.
            models.UniqueConstraint(
                fields=["payout_transaction_id"],
                condition=Q(payout_transaction_id__isnull=False),
                name="protectionclaim_paid_once",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class ClaimDocumentKind(models.TextChoices):
    CLAIM_FORM = "claim_form", _("claim form")
    RECEIPT = "receipt", _("receipt or invoice")
    POLICE_REPORT = "police_report", _("police report")
    PHOTO = "photo", _("photograph")
    OTHER = "other", _("other document")


def _document_path(instance: ClaimDocument, filename: str) -> str:
    return f"protection/claims/{instance.claim.number}/{filename}"


class ClaimDocument(models.Model):
    """A document sent with a claim, stored through Django's storage API."""

    claim = models.ForeignKey(
        ProtectionClaim, on_delete=models.CASCADE, related_name="documents", verbose_name=_("claim")
    )
    kind = models.CharField(_("kind"), max_length=15, choices=ClaimDocumentKind.choices)
    file = models.FileField(_("file"), upload_to=_document_path, max_length=200)
    name = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_at = models.DateTimeField(_("received"))
    by_customer = models.BooleanField(_("sent by the customer"), default=True)

    class Meta:
        verbose_name = _("claim document")
        verbose_name_plural = _("claim documents")
        ordering = ["claim", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name
