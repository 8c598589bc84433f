"""The protection service's state: the issuer directory, each customer's registry of cards,
phones and ID documents, blocking calls with the blocking report's answers, one block per item
and issuer, and the agent's callback tasks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
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

    customer = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="protected_items")
    company = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="protected_company_items",
        verbose_name=_("company (company card)"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    issuer = models.ForeignKey(Issuer, on_delete=models.PROTECT, related_name="items")
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
    customer = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="blocking_calls")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
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

    block = models.ForeignKey(Block, on_delete=models.PROTECT, related_name="callbacks")
    created_at = models.DateTimeField(_("raised"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
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
