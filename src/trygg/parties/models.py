"""Parties (persons and organisations) and their contact details."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PartyKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")


class Party(models.Model):
    """A customer: a natural person or an organisation (company, sole trader's firm)."""

    kind = models.CharField(_("kind"), max_length=16, choices=PartyKind.choices)
    customer_number = models.CharField(_("customer number"), max_length=12, unique=True)
    country = models.CharField(_("country"), max_length=2, default="SE")
    id_number = models.CharField(
        _("identity number"),
        max_length=12,
        help_text=_(
            "Normalised: 12 digits for a Swedish person, 10 for a Swedish organisation, "
            "11 for a Norwegian person, 9 for a Norwegian organisation."
        ),
    )
    id_kind = models.CharField(_("identity number kind"), max_length=20)
    given_name = models.CharField(_("given name"), max_length=100, blank=True)
    family_name = models.CharField(_("family name"), max_length=100, blank=True)
    legal_name = models.CharField(_("legal name"), max_length=200, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    preferred_language = models.CharField(_("language"), max_length=5, default="sv")
    registered_owner = models.CharField(
        _("registered owner"),
        max_length=12,
        blank=True,
        help_text=_(
            "A sole proprietorship's owner as the business register records them: their "
            "normalised personal identity number (a Swedish sole trader's firm is registered "
            "under it)."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["customer_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "kind", "id_number"], name="party_unique_id_number"
            ),
            models.CheckConstraint(
                name="party_person_has_names",
                condition=Q(kind="organisation") | (~Q(given_name="") & ~Q(family_name="")),
            ),
            models.CheckConstraint(
                name="party_organisation_has_legal_name",
                condition=Q(kind="person") | ~Q(legal_name=""),
            ),
            models.CheckConstraint(
                name="party_kind_valid", condition=Q(kind__in=["person", "organisation"])
            ),
            models.CheckConstraint(
                name="party_sole_trader_owned_by_its_number",
                condition=~Q(id_kind="sole_trader") | Q(registered_owner=models.F("id_number")),
            ),
            models.CheckConstraint(
                name="party_only_organisations_have_owners",
                condition=Q(kind="organisation") | Q(registered_owner=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.customer_number})"

    @property
    def is_person(self) -> bool:
        return self.kind == PartyKind.PERSON

    @property
    def display_name(self) -> str:
        return Party.name_of(self.kind, self.given_name, self.family_name, self.legal_name)

    @staticmethod
    def name_of(kind: str, given_name: str, family_name: str, legal_name: str) -> str:
        """A party's name as shown: a person's given and family name, an organisation's legal
        name (for a read of the columns without the instance)."""
        if kind == PartyKind.PERSON:
            return f"{given_name} {family_name}"
        return legal_name


class AddressKind(models.TextChoices):
    POSTAL = "postal", _("Postal address")
    VISITING = "visiting", _("Visiting address")


class Address(models.Model):
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="addresses")
    kind = models.CharField(
        _("kind"), max_length=16, choices=AddressKind.choices, default=AddressKind.POSTAL
    )
    care_of = models.CharField(_("c/o"), max_length=100, blank=True)
    street = models.CharField(_("street address"), max_length=100)
    postal_code = models.CharField(_("postal code"), max_length=10)
    city = models.CharField(_("city"), max_length=60)
    country = models.CharField(_("country"), max_length=2, default="SE")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        constraints = [
            models.UniqueConstraint(fields=["party", "kind"], name="address_one_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.street}, {self.postal_code} {self.city}"


class ContactKind(models.TextChoices):
    EMAIL = "email", _("E-mail")
    MOBILE = "mobile", _("Mobile phone")
    HOME_PHONE = "home_phone", _("Home phone")
    WORK_PHONE = "work_phone", _("Work phone")


class ContactMethod(models.Model):
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="contact_methods")
    kind = models.CharField(_("kind"), max_length=16, choices=ContactKind.choices)
    value = models.CharField(_("value"), max_length=254)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("contact method")
        verbose_name_plural = _("contact methods")
        constraints = [
            models.UniqueConstraint(fields=["party", "kind"], name="contact_one_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class FirmLinkState(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class SoleTrader(models.Model):
    """A sole trader (enskild näringsidkare): the person owns and answers for the firm, so after
    log-in the person sees and acts for both the private and the firm's engagements.

    A link is proposed by one member of staff and gives access only once another has approved
    it (``state`` approved); the database refuses an approval by the proposer. ``proposed_by``
    and ``decided_by`` are actors (``staff:<id>``, or ``system:<label>`` for registrations by
    trygg itself, where ``proposed_by`` stays empty)."""

    person = models.ForeignKey(
        Party, on_delete=models.CASCADE, related_name="firms", verbose_name=_("person")
    )
    firm = models.OneToOneField(
        Party, on_delete=models.CASCADE, related_name="sole_trader", verbose_name=_("firm")
    )
    since = models.DateField(_("since"))
    state = models.CharField(
        _("state"), max_length=10, choices=FirmLinkState.choices, default=FirmLinkState.PROPOSED
    )
    proposed_by = models.CharField(max_length=64, blank=True)
    proposed_by_label = models.CharField(_("proposed by"), max_length=150, blank=True)
    proposed_at = models.DateTimeField(_("proposed"), null=True, blank=True)
    decided_by = models.CharField(max_length=64, blank=True)
    decided_by_label = models.CharField(_("decided by"), max_length=150, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("sole trader's firm link")
        verbose_name_plural = _("sole traders' firm links")
        permissions = [("approve_soletrader", "Can approve a sole trader's firm link")]
        constraints = [
            models.CheckConstraint(
                name="sole_trader_not_self", condition=~Q(person=models.F("firm"))
            ),
            models.CheckConstraint(
                name="sole_trader_state_valid",
                condition=Q(state__in=["proposed", "approved", "rejected"]),
            ),
            models.CheckConstraint(
                name="sole_trader_four_eyes",
                condition=Q(state="proposed")
                | (~Q(decided_by="") & ~Q(decided_by=models.F("proposed_by"))),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.firm}"


class LetterState(models.TextChoices):
    HELD = "held", _("Held: no registered address")
    QUEUED = "queued", _("Waiting to be printed")
    SENDING = "sending", _("Being handed to the printer")
    POSTED = "posted", _("Posted")
    IN_TRANSIT = "in_transit", _("On its way")
    DELIVERED = "delivered", _("Delivered")
    RETURNED = "returned", _("Returned to us")
    CANCELLED = "cancelled", _("Cancelled")


class Letter(models.Model):
    """A letter by post to a party's registered address, in the outbox until the
    print-and-post service has it, then followed by the carrier's tracking number. The address
    is copied when the letter is queued: the letter goes where the register said then. A letter
    carrying a secret (``secret``) keeps no copy once handed over."""

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="letters")
    purpose = models.CharField(_("purpose"), max_length=40)
    reference = models.CharField(_("reference"), max_length=60)
    title = models.CharField(_("title"), max_length=120)
    language = models.CharField(_("language"), max_length=5)
    secret = models.BooleanField(_("carries a secret"), default=False)
    document = models.BinaryField(null=True, blank=True, editable=False)
    recipient = models.CharField(_("recipient"), max_length=200, blank=True)
    care_of = models.CharField(_("c/o"), max_length=100, blank=True)
    street = models.CharField(_("street address"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=60, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=LetterState.choices)
    attempts = models.PositiveSmallIntegerField(_("hand-over attempts"), default=0)
    created_at = models.DateTimeField(_("created"))
    posted_at = models.DateTimeField(_("posted"), null=True, blank=True)
    carrier = models.CharField(_("carrier"), max_length=40, blank=True)
    tracking_number = models.CharField(
        _("tracking number"), max_length=13, null=True, blank=True, unique=True
    )
    status_at = models.DateTimeField(_("latest tracking event"), null=True, blank=True)
    status_text = models.CharField(_("latest tracking event"), max_length=120, blank=True)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["purpose", "reference"], name="letter_once"),
            models.CheckConstraint(
                name="letter_state_valid",
                condition=Q(
                    state__in=[
                        "held",
                        "queued",
                        "sending",
                        "posted",
                        "in_transit",
                        "delivered",
                        "returned",
                        "cancelled",
                    ]
                ),
            ),
            models.CheckConstraint(
                name="letter_posted_is_tracked",
                condition=Q(state__in=["held", "queued", "sending", "cancelled"])
                | Q(tracking_number__isnull=False, posted_at__isnull=False),
            ),
            models.CheckConstraint(
                name="letter_queued_has_address",
                condition=Q(state__in=["held", "cancelled"]) | ~Q(street=""),
            ),
        ]
        indexes = [models.Index(fields=["state", "created_at"], name="letter_state_idx")]

    def __str__(self) -> str:
        return f"{self.title} ({self.state})"


class LetterEvent(models.Model):
    """One event in a letter's journey, as the carrier's tracking reported it."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="events")
    occurred_at = models.DateTimeField(_("when"))
    state = models.CharField(_("state"), max_length=12, choices=LetterState.choices)
    text = models.CharField(_("event"), max_length=120)
    place = models.CharField(_("place"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("tracking event")
        verbose_name_plural = _("tracking events")
        ordering = ["occurred_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["letter", "occurred_at", "state"], name="letter_event_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.letter_id} {self.state} {self.occurred_at:%Y-%m-%d %H:%M}"
