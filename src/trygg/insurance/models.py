"""Accident insurance: the price base amount, products and tariffs as data, applications with
their health declaration, underwriting decisions, policies with their yearly terms and premium
the premium schedule of each term."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from trygg.parties.models import Party


class PriceBaseAmount(models.Model):
    """The price base amount (prisbasbelopp) the government sets for a year. Staff add each
    new year's value; a computation for a year without one is refused."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    amount = models.DecimalField(_("amount (kr)"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("price base amount")
        verbose_name_plural = _("price base amounts")
        ordering = ["-year"]
        constraints = [models.CheckConstraint(name="pbb_positive", condition=Q(amount__gt=0))]

    def __str__(self) -> str:
        return f"{self.year}: {self.amount}"


class Product(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    company_code = models.CharField(_("company code"), max_length=4, default="10")

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self) -> str:
        return self.name


class Tariff(models.Model):
    """One version of the product's price sheet and cover, valid from a date. A quote and every
    policy term record the version they used."""

    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="tariffs", verbose_name=_("product")
    )
    version = models.CharField(_("version"), max_length=20)
    valid_from = models.DateField(_("valid from"))
    price_from_age = models.PositiveSmallIntegerField(_("price applies from age"), default=19)
    limited_from_age = models.PositiveSmallIntegerField(_("level limited from age"), default=46)
    limited_max_level = models.PositiveSmallIntegerField(
        _("highest level from that age"), default=40
    )
    surcharge_monthly = models.DecimalField(
        _("surcharge for monthly payment (%)"), max_digits=5, decimal_places=2, default=0
    )
    surcharge_half_yearly = models.DecimalField(
        _("surcharge for half-yearly payment (%)"), max_digits=5, decimal_places=2, default=0
    )
    acute_care_once = models.DecimalField(
        _("acute care, once (kr)"), max_digits=10, decimal_places=2
    )
    hospital_per_day = models.DecimalField(
        _("hospital, per day (kr)"), max_digits=10, decimal_places=2
    )
    hospital_max_days = models.PositiveSmallIntegerField(_("hospital, at most days"))
    costs_years = models.PositiveSmallIntegerField(_("costs covered for years"))
    clothes_cap_pbb = models.DecimalField(
        _("clothes and glasses, at most (PBB)"), max_digits=5, decimal_places=3
    )
    death_pbb = models.DecimalField(_("death benefit (PBB)"), max_digits=5, decimal_places=3)
    pain_from_age = models.PositiveSmallIntegerField(_("pain and suffering from age"))
    pain_bands = models.JSONField(_("pain and suffering per month"), default=list)
    scar_table = models.JSONField(_("scar table (share of PBB)"), default=dict)

    class Meta:
        verbose_name = _("tariff")
        verbose_name_plural = _("tariffs")
        ordering = ["product", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["product", "version"], name="tariff_version_once"),
            models.UniqueConstraint(fields=["product", "valid_from"], name="tariff_from_once"),
        ]

    def __str__(self) -> str:
        return f"{self.product.code} {self.version} ({self.valid_from})"


class TariffPrice(models.Model):
    tariff = models.ForeignKey(
        Tariff, on_delete=models.CASCADE, related_name="prices", verbose_name=_("tariff")
    )
    level = models.PositiveSmallIntegerField(_("insured level (PBB)"))
    annual_price = models.DecimalField(_("annual price (kr)"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = pgettext_lazy("tariff", "price")
        verbose_name_plural = pgettext_lazy("tariff", "prices")
        ordering = ["tariff", "level"]
        constraints = [
            models.UniqueConstraint(fields=["tariff", "level"], name="tariff_price_once"),
            models.CheckConstraint(name="tariff_price_positive", condition=Q(annual_price__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.level} PBB: {self.annual_price}"


class HealthQuestion(models.Model):
    """A question of the health declaration "Min hälsa", as data with its underwriting rule."""

    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="questions", verbose_name=_("product")
    )
    code = models.CharField(_("code"), max_length=30)
    position = models.PositiveSmallIntegerField(_("position"))
    text_sv = models.TextField(_("question (Swedish)"))
    text_nb = models.TextField(_("question (Norwegian)"), blank=True)
    text_en = models.TextField(_("question (English)"), blank=True)
    refers_on_yes = models.BooleanField(_("a yes goes to an underwriter"), default=True)
    detail_on_yes = models.BooleanField(_("a yes must be explained"), default=True)
    active = models.BooleanField(_("asked"), default=True)

    class Meta:
        verbose_name = _("health question")
        verbose_name_plural = _("health questions")
        ordering = ["product", "position"]
        constraints = [
            models.UniqueConstraint(fields=["product", "code"], name="health_question_once")
        ]

    def __str__(self) -> str:
        return self.text_sv[:60]

    def text(self, language: str) -> str:
        return {"nb": self.text_nb, "en": self.text_en}.get(language[:2], "") or self.text_sv


class ApplicationKind(models.TextChoices):
    NEW = "new", _("New insurance")
    INCREASE = "increase", _("Increase")
    REEXAMINATION = "reexamination", _("Re-examination")
    CHANGE = "change", pgettext_lazy("kind of application", "Change")


class ApplicationState(models.TextChoices):
    RECEIVED = "received", _("Received")
    RETURNED = "returned", _("Returned as incomplete")
    SUBMITTED = "submitted", _("Complete, awaiting assessment")
    REFERRED = "referred", _("With an underwriter")
    INFO_REQUESTED = "info_requested", _("More information requested")
    DECLINE_PROPOSED = "decline_proposed", _("Decline proposed, awaiting a second underwriter")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Channel(models.TextChoices):
    WEB = "web", _("Internet service")
    PAPER = "paper", _("Paper form")


class PaymentMethodChoice(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    AUTOGIRO = "autogiro", _("Autogiro (new)")
    EXISTING_AUTOGIRO = "existing_autogiro", _("Existing autogiro")


class PeriodChoice(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    HALF_YEARLY = "half_yearly", _("Half-yearly")
    YEARLY = "yearly", _("Yearly")


class Application(models.Model):
    """An application as entered (online or from paper). It is never deleted: incomplete ones
    are returned and kept, declined ones archived."""

    number = models.CharField(_("application number"), max_length=12, unique=True)
    product = models.ForeignKey(Product, on_delete=models.PROTECT, verbose_name=_("product"))
    kind = models.CharField(_("kind"), max_length=16, choices=ApplicationKind.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    state = models.CharField(
        _("state"), max_length=20, choices=ApplicationState.choices, db_index=True
    )
    policy = models.ForeignKey(
        "Policy",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("policy"),
    )
    policyholder = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("policyholder"),
    )
    insured = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("insured"),
    )
    # The form's personal fields as written (the parties are found or registered on issue).
    holder_id_number = models.CharField(_("policyholder's personal identity number"), max_length=12)
    holder_given_name = models.CharField(_("policyholder's first name"), max_length=100, blank=True)
    holder_family_name = models.CharField(_("policyholder's surname"), max_length=100, blank=True)
    holder_street = models.CharField(_("postal address"), max_length=100, blank=True)
    holder_postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    holder_city = models.CharField(_("city"), max_length=60, blank=True)
    holder_phone_home = models.CharField(_("phone, home"), max_length=30, blank=True)
    holder_phone_work = models.CharField(_("phone, work"), max_length=30, blank=True)
    holder_mobile = models.CharField(_("mobile phone"), max_length=30, blank=True)
    holder_email = models.EmailField(_("e-mail"), blank=True)
    insured_id_number = models.CharField(_("insured's personal identity number"), max_length=12)
    insured_given_name = models.CharField(_("insured's first name"), max_length=100, blank=True)
    insured_family_name = models.CharField(_("insured's surname"), max_length=100, blank=True)
    insured_street = models.CharField(
        _("insured's address (if other than the policyholder's)"), max_length=100, blank=True
    )
    insured_postal_code = models.CharField(_("insured's postal code"), max_length=10, blank=True)
    insured_city = models.CharField(_("insured's city"), max_length=60, blank=True)
    insured_birth_date = models.DateField(_("insured's birth date"))
    level = models.PositiveSmallIntegerField(_("insured level (PBB)"))
    payment_method = models.CharField(
        _("payment"), max_length=20, choices=PaymentMethodChoice.choices
    )
    period = models.CharField(_("payment period"), max_length=12, choices=PeriodChoice.choices)
    # Autogiro (a new mandate): the account the mandate created at the policy's issue debits.
    autogiro_clearing = models.CharField(_("autogiro clearing number"), max_length=5, blank=True)
    autogiro_account = models.CharField(_("autogiro account number"), max_length=15, blank=True)
    autogiro_bank = models.CharField(_("autogiro bank"), max_length=60, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    replaces_other = models.BooleanField(_("replaces another insurance"), null=True, blank=True)
    replaced_policy_number = models.CharField(
        _("replaced policy's number (if with us)"), max_length=20, blank=True
    )
    applied_on = models.DateField(_("applied on"))
    received_on = models.DateField(_("arrival stamp"))
    signed_on = models.DateField(_("application signed on"), null=True, blank=True)
    health_signed_on = models.DateField(_("health declaration signed on"), null=True, blank=True)
    signing_method = models.CharField(_("signed with"), max_length=10, blank=True)
    signing_id = models.CharField(max_length=32, blank=True, verbose_name=_("signing order"))
    privacy_notice_shown = models.BooleanField(_("personal-data notice shown"), default=False)
    seller_code = models.CharField(_("seller code"), max_length=20, blank=True)
    seller_name = models.CharField(_("seller's name"), max_length=100, blank=True)
    seller_phone = models.CharField(_("seller's phone"), max_length=30, blank=True)
    letter_via_seller = models.BooleanField(_("policy letter via the seller"), default=False)
    seller_address = models.CharField(_("seller's address"), max_length=200, blank=True)
    company_code = models.CharField(_("company code"), max_length=4)
    tariff = models.ForeignKey(
        Tariff, on_delete=models.PROTECT, related_name="+", verbose_name=_("tariff")
    )
    annual_price = models.DecimalField(_("annual price (kr)"), max_digits=10, decimal_places=2)
    missing = models.JSONField(_("missing"), default=list, blank=True)
    referrals = models.JSONField(_("answers for an underwriter"), default=list, blank=True)
    exclusion = models.TextField(_("exclusion clause"), blank=True)
    decline_reasons = models.TextField(_("reasons for the decline"), blank=True)
    info_request = models.TextField(_("information asked for"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decline proposed by"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        permissions = [("underwrite_application", "Can decide on applications")]
        constraints = [
            models.CheckConstraint(
                name="application_level", condition=Q(level__in=[10, 20, 30, 40, 50])
            ),
            models.CheckConstraint(
                name="application_invoice_period",
                condition=~Q(payment_method="invoice", period="monthly"),
            ),
            models.CheckConstraint(
                name="application_four_eyes",
                condition=~Q(state="declined")
                | (
                    Q(proposed_by__isnull=False)
                    & Q(decided_by__isnull=False)
                    & ~Q(proposed_by=models.F("decided_by"))
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.number


class HealthAnswer(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(HealthQuestion, on_delete=models.PROTECT, related_name="+")
    yes = models.BooleanField(_("yes"), null=True)
    detail = models.TextField(_("details"), blank=True)
    corrected = models.BooleanField(_("answer corrected"), default=False)
    correction_signed = models.BooleanField(_("correction signed"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "question"], name="answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.question.code}: {self.yes}"


class ApplicationEvent(models.Model):
    """The case record: every state change, letter and decision, with who and why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.CharField(max_length=150)
    state_from = models.CharField(max_length=20, blank=True)
    state_to = models.CharField(max_length=20)
    note = models.TextField(blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.state_from} → {self.state_to}"


class PolicyState(models.TextChoices):
    ACTIVE = "active", _("In force")
    CANCELLED = "cancelled", pgettext_lazy("state of a policy", "Cancelled")
    LAPSED = "lapsed", _("Lapsed for non-payment")


class Policy(models.Model):
    number = models.CharField(_("policy number"), max_length=12, unique=True)
    product = models.ForeignKey(Product, on_delete=models.PROTECT, verbose_name=_("product"))
    policyholder = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        related_name="policies_held",
        verbose_name=_("policyholder"),
    )
    insured = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="policies_insured", verbose_name=_("insured")
    )
    level = models.PositiveSmallIntegerField(_("insured level (PBB)"))
    start_date = models.DateField(_("start date"))
    # Not indexed: the yearly renewal moves every policy's date, and a change of an indexed
    # column writes a new entry in every index of the table (see ``renewal``).
    renewal_date = models.DateField(_("next renewal"))
    payment_method = models.CharField(
        _("payment"), max_length=20, choices=PaymentMethodChoice.choices
    )
    period = models.CharField(_("payment period"), max_length=12, choices=PeriodChoice.choices)
    exclusion = models.TextField(_("exclusion clause"), blank=True)
    state = models.CharField(_("state"), max_length=12, choices=PolicyState.choices)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    created_at = models.DateTimeField(_("issued"))

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                name="policy_level", condition=Q(level__in=[10, 20, 30, 40, 50])
            ),
        ]

    def __str__(self) -> str:
        return self.number


class PolicyTerm(models.Model):
    """One insurance year: the amounts follow that year's price base amount, the premium the
    tariff valid at its start. The term is the premium schedule: ``year_total`` paid in
    instalments of ``period`` from ``starts_on`` (see ``rules.schedule``); a term cut short
    (cancellation, lapse, an amendment) charges the instalments of periods begun before it ends.
    """

    # The unique (policy, starts_on) index serves every lookup by policy.
    policy = models.ForeignKey(
        Policy, on_delete=models.CASCADE, related_name="terms", db_index=False
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    tariff = models.ForeignKey(Tariff, on_delete=models.PROTECT, related_name="+")
    pbb_year = models.PositiveSmallIntegerField(_("PBB year"))
    pbb = models.DecimalField(_("PBB"), max_digits=10, decimal_places=2)
    base_amount = models.DecimalField(_("base amount"), max_digits=12, decimal_places=2)
    annual_price = models.DecimalField(_("annual price"), max_digits=10, decimal_places=2)
    year_total = models.DecimalField(_("premium for the year"), max_digits=10, decimal_places=2)
    period = models.CharField(_("payment period"), max_length=12, choices=PeriodChoice.choices)

    class Meta:
        ordering = ["policy", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "starts_on"], name="policy_term_once"),
            models.CheckConstraint(
                name="policy_term_dates", condition=Q(ends_on__gt=models.F("starts_on"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.policy_id} {self.starts_on}–{self.ends_on}"
