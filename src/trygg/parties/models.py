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
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.customer_number})"

    @property
    def is_person(self) -> bool:
        return self.kind == PartyKind.PERSON

    @property
    def display_name(self) -> str:
        if self.is_person:
            return f"{self.given_name} {self.family_name}"
        return self.legal_name


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


class SoleTrader(models.Model):
    """A sole trader (enskild näringsidkare): the person owns and answers for the firm, so after
    log-in the person sees and acts for both the private and the firm's engagements."""

    person = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="firms")
    firm = models.OneToOneField(Party, on_delete=models.CASCADE, related_name="sole_trader")
    since = models.DateField(_("since"))

    class Meta:
        verbose_name = _("sole trader")
        verbose_name_plural = _("sole traders")
        constraints = [
            models.CheckConstraint(
                name="sole_trader_not_self", condition=~Q(person=models.F("firm"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.firm}"
