"""State of identity: staff users, customers' PIN credentials, the shared failure counter,
log-in history and PIN letters."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from trygg.kernel.translated import label
from trygg.parties.models import Party


class StaffUser(AbstractUser):
    """A member of staff (back office). Customers never log in as a StaffUser."""

    class Meta:
        verbose_name = _("staff user")
        verbose_name_plural = _("staff users")
        permissions = [
            ("issue_pin_letter", "Can issue a PIN letter"),
            ("unlock_pin", "Can unlock a locked PIN"),
            ("view_customer_audit", "Can see the audit trail of a customer"),
        ]


class PinCredential(models.Model):
    party = models.OneToOneField(Party, on_delete=models.CASCADE, related_name="pin_credential")
    pin_hash = models.CharField(max_length=200)
    must_change = models.BooleanField(
        _("must change at next log-in"),
        default=True,
        help_text=_("Set when staff issue a PIN letter; cleared when the customer chooses a PIN."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("PIN")
        verbose_name_plural = _("PINs")

    def __str__(self) -> str:
        return f"PIN of {self.party.customer_number}"


class PasswordCredential(models.Model):
    """The password of the protection service's Mine sider (seed 004): one per person, hashed
    like the PIN (argon2id over the pepper). A session it opens reaches only the protection
    service's pages."""

    party = models.OneToOneField(
        Party, on_delete=models.CASCADE, related_name="password_credential"
    )
    password_hash = models.CharField(max_length=200)
    set_at = models.DateTimeField()

    class Meta:
        verbose_name = _("password")
        verbose_name_plural = _("passwords")

    def __str__(self) -> str:
        return f"password of {self.party_id}"


class PasswordSetupCode(models.Model):
    """A one-time code, posted to the person's registered address, with which they choose
    their first password (or a new one after forgetting it). Used once: taken by a
    conditional update."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="password_codes")
    code_hash = models.CharField(max_length=200)
    issued_at = models.DateTimeField()
    issued_by = models.CharField(max_length=150)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    void = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("password set-up code")
        verbose_name_plural = _("password set-up codes")
        constraints = [
            models.UniqueConstraint(
                fields=["party"],
                condition=Q(used_at__isnull=True, void=False),
                name="password_code_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"set-up code {self.pk} of {self.party_id}"


class LoginThrottle(models.Model):
    """Consecutive failed authentications for one identity number, shared by every channel and
    method (web, API, telephone; PIN, token). Kept for unknown numbers too, so they behave
    exactly like known ones. ``key`` is an HMAC of the identity number, never the number itself."""

    key = models.CharField(max_length=64, unique=True)
    failures = models.PositiveSmallIntegerField(default=0)
    locked_at = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    # Staff log-in only: a lock that lifts by itself at this time (back-off); customers' locks
    # are lifted by staff or a new PIN letter, never by time.
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="throttle_locked_means_five",
                condition=Q(locked_at__isnull=True) | Q(failures__gte=5),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key[:8]}… {self.failures}"


class LoginMethod(models.TextChoices):
    PIN = "pin", _("PIN")
    TOKEN = "token", _("Security token")
    BANKID = "bankid", _("BankID")
    PASSWORD = "password", _("Password")


class LoginChannel(models.TextChoices):
    WEB = "web", _("Internet service")
    API = "api", _("App / API")
    PHONE = "phone", _("Telephone bank")


class LoginEvent(models.Model):
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="login_events")
    occurred_at = models.DateTimeField(db_index=True)
    method = models.CharField(max_length=16, choices=LoginMethod.choices)
    channel = models.CharField(max_length=16, choices=LoginChannel.choices)
    success = models.BooleanField()
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["party", "-occurred_at"], name="login_party_time")]

    def __str__(self) -> str:
        return f"{self.party_id} {self.method} {self.success}"

    @property
    def method_label(self) -> str:
        """The method's name in the current language (the log-in tables show it on every row:
        looked up once per language)."""
        return label(LoginMethod(self.method))

    @property
    def channel_label(self) -> str:
        return label(LoginChannel(self.channel))


class PinLetterStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting to be printed")
    DISPATCHED = "dispatched", _("Printed and sent")
    VOID = "void", _("Replaced by a newer letter")


class PinLetter(models.Model):
    """A letter carrying an initial PIN. The PDF is kept only until it is printed for dispatch;
    then the content (which holds the PIN) is wiped and only the record remains."""

    party = models.ForeignKey(
        Party, on_delete=models.CASCADE, related_name="pin_letters", verbose_name=_("party")
    )
    issued_at = models.DateTimeField(verbose_name=_("issued at"))
    issued_by = models.CharField(max_length=150, verbose_name=_("issued by"))
    status = models.CharField(
        max_length=16, choices=PinLetterStatus.choices, default=PinLetterStatus.WAITING
    )
    document = models.BinaryField(null=True, blank=True, editable=False)
    dispatched_at = models.DateTimeField(null=True, blank=True, verbose_name=_("dispatched at"))
    dispatched_by = models.CharField(max_length=150, blank=True, verbose_name=_("dispatched by"))

    class Meta:
        verbose_name = _("PIN letter")
        verbose_name_plural = _("PIN letters")
        ordering = ["-issued_at"]
        constraints = [
            models.CheckConstraint(
                name="pin_letter_content_only_while_waiting",
                condition=Q(status="waiting") | Q(document__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"PIN letter {self.pk} ({self.status})"


class TokenState(models.TextChoices):
    ORDERED = "ordered", _("Ordered")
    SENT = "sent", _("Sent by registered post")
    AT_OFFICE = "at_office", _("Ready for collection at an office")
    ACTIVE = "active", _("Active")
    LOST = "lost", _("Reported lost")
    REVOKED = "revoked", _("Revoked")


class TokenKind(models.TextChoices):
    OCRA = "ocra", _("Challenge-response token (OCRA)")
    TOTP = "totp", _("Time-based code token (TOTP)")


class SecurityToken(models.Model):
    """A personal security token (säkerhetsdosa): it belongs to the person who signed for it.
    The seed is stored encrypted; ``last_counter`` / ``last_step`` refuse replayed codes."""

    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="security_tokens", verbose_name=_("party")
    )
    serial = models.CharField(_("serial number"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=TokenKind.choices)
    suite = models.CharField(_("OCRA suite"), max_length=64, blank=True)
    seed_encrypted = models.BinaryField(editable=False)
    state = models.CharField(
        _("state"), max_length=12, choices=TokenState.choices, default=TokenState.ORDERED
    )
    ordered_at = models.DateTimeField(_("ordered"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    tracking_number = models.CharField(_("registered post number"), max_length=32, blank=True)
    activated_at = models.DateTimeField(_("activated"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    last_step = models.BigIntegerField(null=True, blank=True, editable=False)
    # The challenge of the last accepted OCRA response: taken by a conditional update, so a
    # response is accepted once even when sent from several sessions at the same moment.
    last_challenge = models.CharField(max_length=16, blank=True, editable=False)

    class Meta:
        verbose_name = _("security token")
        verbose_name_plural = _("security tokens")
        constraints = [
            models.UniqueConstraint(
                fields=["party"],
                condition=Q(state__in=["ordered", "sent", "at_office", "active"]),
                name="token_one_open_per_person",
            ),
            models.CheckConstraint(
                name="token_state_valid",
                condition=Q(
                    state__in=["ordered", "sent", "at_office", "active", "lost", "revoked"]
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.serial} ({self.state})"


class SigningState(models.TextChoices):
    PENDING = "pending", _("Waiting for signature")
    SIGNED = "signed", _("Signed")
    USED = "used", _("Carried out")
    FAILED = "failed", _("Not signed")
    EXPIRED = "expired", _("Expired")


class SigningOrder(models.Model):
    """One order to be signed: what it is (the function and its canonical data, hashed), what
    the customer is shown, and the proof once signed. A signature is used once, by the very
    order it covers; any change to the order's data voids it."""

    public_id = models.CharField(max_length=32, unique=True)
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="signing_orders")
    acting_for = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    function = models.CharField(max_length=32)
    # Which of the function's orders (one function may have several, each carried out by its
    # own domain); empty when the function has one.
    kind = models.CharField(max_length=32, blank=True, default="")
    payload = models.JSONField()
    payload_hash = models.CharField(max_length=64)
    summary = models.TextField()
    challenge = models.CharField(max_length=16)
    method = models.CharField(max_length=16, choices=LoginMethod.choices, blank=True)
    state = models.CharField(
        max_length=10, choices=SigningState.choices, default=SigningState.PENDING
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    signed_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    evidence = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("signing order")
        verbose_name_plural = _("signing orders")
        constraints = [
            models.CheckConstraint(
                name="signing_used_was_signed",
                condition=Q(state__in=["pending", "failed", "expired"])
                | Q(signed_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.function} {self.public_id} ({self.state})"


class BankIdOrderState(models.TextChoices):
    PENDING = "pending", _("Waiting for BankID")
    USED = "used", _("Used for a log-in")


class BankIdOrder(models.Model):
    """A BankID order started by trygg for a log-in (web, app or telephone bank). A completed
    order logs in once: the pending row is taken by a conditional update, and an order that
    was never started here, or has been used, logs in nobody."""

    order_ref = models.CharField(max_length=64, unique=True)
    channel = models.CharField(max_length=16, choices=LoginChannel.choices)
    state = models.CharField(
        max_length=10, choices=BankIdOrderState.choices, default=BankIdOrderState.PENDING
    )
    created_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="bankid_order_used_has_time",
                condition=Q(state="pending", used_at__isnull=True)
                | Q(state="used", used_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"BankID {self.order_ref[:8]}… ({self.state})"
