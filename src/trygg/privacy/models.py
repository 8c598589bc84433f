"""Privacy state: legal holds and the kept reports of retention runs. The register itself is
code (``register.py``); ``Processing`` is its entry in the back office and has no table."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from trygg.privacy import rules


class HoldState(models.TextChoices):
    ACTIVE = rules.HoldState.ACTIVE, _("Active")
    LIFTED = rules.HoldState.LIFTED, _("Lifted")


class HoldKind(models.TextChoices):
    POLICE_REPORT = rules.HoldKind.POLICE_REPORT, _("Police report")
    DISPUTE = rules.HoldKind.DISPUTE, _("Dispute")
    CLAIM = rules.HoldKind.CLAIM, _("Claim")
    AUTHORITY = rules.HoldKind.AUTHORITY, _("Request from an authority")


class LegalHold(models.Model):
    """Data kept past its retention because a legal claim needs it: every rule (or one) for a
    data subject, or one record. Placed and lifted once, each with who, why and when."""

    kind = models.CharField(_("kind"), max_length=16, choices=HoldKind.choices)
    state = models.CharField(
        _("state"), max_length=8, choices=HoldState.choices, default=HoldState.ACTIVE
    )
    subject_id = models.CharField(
        _("data subject"), max_length=64, blank=True, help_text=_("The person's id.")
    )
    model = models.CharField(
        _("record kind"), max_length=100, blank=True, help_text=_("app_label.Model")
    )
    object_id = models.CharField(_("record"), max_length=64, blank=True)
    rule = models.CharField(
        _("retention rule"), max_length=32, blank=True, help_text=_("Empty: every rule.")
    )
    reason = models.TextField(_("why"))
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    placed_by = models.CharField(_("placed by"), max_length=200)
    placed_at = models.DateTimeField(_("placed"))
    lifted_by = models.CharField(_("lifted by"), max_length=200, blank=True)
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lift_reason = models.TextField(_("why lifted"), blank=True)

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        ordering = ["-placed_at"]
        indexes = [models.Index(fields=["state", "rule"], name="hold_active_rule")]
        constraints = [
            models.CheckConstraint(
                name="hold_names_subject_or_record",
                condition=~Q(subject_id="") | (~Q(model="") & ~Q(object_id="")),
            ),
            models.CheckConstraint(
                name="hold_lifted_with_who_and_when",
                condition=Q(state="active", lifted_at__isnull=True, lifted_by="")
                | Q(state="lifted", lifted_at__isnull=False)
                & ~Q(lifted_by="")
                & ~Q(lift_reason=""),
            ),
            models.CheckConstraint(
                name="hold_state_valid", condition=Q(state__in=["active", "lifted"])
            ),
        ]

    def __str__(self) -> str:
        target = (
            f"person {self.subject_id}" if self.subject_id else f"{self.model} {self.object_id}"
        )
        return f"{self.get_kind_display()}: {target}"


class RetentionRun(models.Model):
    """The report of one retention run: rows deleted or anonymised per rule, kept as a record.
    A dry run is kept too, marked as such."""

    run_date = models.DateField(_("business date"))
    dry_run = models.BooleanField(_("dry run"), default=False)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    actor = models.CharField(_("by"), max_length=200)
    counts = models.JSONField(_("counts per rule"), default=dict)
    held = models.JSONField(_("kept under legal hold, per rule"), default=dict)

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.run_date}{' (dry run)' if self.dry_run else ''}"

    @property
    def total(self) -> int:
        return sum(sum(per_table.values()) for per_table in self.counts.values())


class Processing(models.Model):
    """The register of processing activities in the back office (no table: the register is
    code, ``trygg.privacy.register``)."""

    class Meta:
        managed = False
        default_permissions = ("view",)
        verbose_name = _("processing register")
        verbose_name_plural = _("processing register")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class BlockedRequest(models.Model):
    """A request the guard refused (blocklist or rate limit): the address, the device data (user
    agent) and the time, kept 3 months (rule ``blocked-request``). Allowed requests leave no
    record."""

    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("device (user agent)"), max_length=300, blank=True)
    reason = models.CharField(_("reason"), max_length=16)
    blocked_at = models.DateTimeField(_("blocked at"), db_index=True)

    class Meta:
        verbose_name = _("blocked request")
        verbose_name_plural = _("blocked requests")
        ordering = ("-blocked_at",)

    def __str__(self) -> str:
        return f"{self.ip} {self.reason} {self.blocked_at:%Y-%m-%d %H:%M}"


class RequestKind(models.TextChoices):
    ACCESS = rules.RequestKind.ACCESS, _("A copy of my data (access)")
    RECTIFICATION = rules.RequestKind.RECTIFICATION, _("Correct wrong data (rectification)")
    ERASURE = rules.RequestKind.ERASURE, _("Erase my data (erasure)")


class RequestChannel(models.TextChoices):
    PORTAL = rules.RequestChannel.PORTAL, _("My pages")
    POST = rules.RequestChannel.POST, _("Letter")
    PHONE = rules.RequestChannel.PHONE, _("Telephone")
    EMAIL = rules.RequestChannel.EMAIL, _("E-mail")


class RequestState(models.TextChoices):
    RECEIVED = rules.RequestState.RECEIVED, _("Received, identity to verify")
    VERIFIED = rules.RequestState.VERIFIED, _("Identity verified, being handled")
    EXTENDED = rules.RequestState.EXTENDED, _("Extended by two months")
    COMPLETED = rules.RequestState.COMPLETED, _("Answered")
    REFUSED = rules.RequestState.REFUSED, _("Refused")
    WITHDRAWN = rules.RequestState.WITHDRAWN, _("Withdrawn")


class SubjectRequest(models.Model):
    """A data subject's request (access, rectification, erasure): how it came and how the
    person's identity was verified, its deadline (one month, three when extended, with the
    reasons told to the person), and its answer. Changes state only through
    ``privacy.services`` and ``rules.REQUEST_TRANSITIONS``."""

    # Kept after the person's erasure (the record that the request was answered), the party
    # then gone: ``subject_ref`` still names the customer number it was about.
    party = models.ForeignKey(
        "parties.Party",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="subject_requests",
        verbose_name=_("party"),
    )
    subject_ref = models.CharField(_("customer number"), max_length=12)
    kind = models.CharField(_("kind"), max_length=16, choices=RequestKind.choices)
    channel = models.CharField(_("came by"), max_length=8, choices=RequestChannel.choices)
    state = models.CharField(_("state"), max_length=10, choices=RequestState.choices)
    received_on = models.DateField(_("received"))
    due_on = models.DateField(_("answer by"), db_index=True)
    details = models.TextField(_("what the person asks"), blank=True)
    verified_how = models.CharField(_("identity verified by"), max_length=200, blank=True)
    verified_by = models.CharField(_("verified by"), max_length=200, blank=True)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    extension_reason = models.TextField(_("reasons for the extension"), blank=True)
    free_copy = models.BooleanField(_("free copy"), default=True)
    fee = models.DecimalField(_("fee"), max_digits=10, decimal_places=2, default=0)
    answer = models.TextField(_("answer to the person"), blank=True)
    outcome = models.JSONField(_("outcome"), default=dict, blank=True)
    export = models.JSONField(_("export"), null=True, blank=True)
    registered_by = models.CharField(_("registered by"), max_length=200)
    created_at = models.DateTimeField(_("registered"))
    closed_by = models.CharField(_("closed by"), max_length=200, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("data subject request")
        verbose_name_plural = _("data subject requests")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="subject_request_state_valid",
                condition=Q(state__in=[s.value for s in rules.RequestState]),
            ),
            models.CheckConstraint(
                name="subject_request_verified_with_how",
                condition=Q(state="received")
                | Q(state="withdrawn")
                | Q(state="refused")
                | (~Q(verified_how="") & Q(verified_at__isnull=False)),
            ),
            models.CheckConstraint(
                name="subject_request_extended_with_reasons",
                condition=~Q(state="extended") | ~Q(extension_reason=""),
            ),
            models.CheckConstraint(
                name="subject_request_closed_with_who_and_when",
                condition=Q(state__in=["received", "verified", "extended"])
                | (Q(closed_at__isnull=False) & ~Q(closed_by="")),
            ),
            models.CheckConstraint(name="subject_request_fee", condition=Q(fee__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state in rules.OPEN_REQUEST_STATES


class NoticeState(models.TextChoices):
    QUEUED = rules.NoticeState.QUEUED, _("Being sent")
    SENT = rules.NoticeState.SENT, _("Sent")
    FAILED = rules.NoticeState.FAILED, _("Could not be delivered")
    NOT_POSSIBLE = rules.NoticeState.NOT_POSSIBLE, _("Not possible")


class NoticeReason(models.TextChoices):
    CATEGORY = (
        rules.NoticeReason.CATEGORY,
        _("A category of recipients, not one recipient: there is no one address to tell."),
    )
    NO_ADDRESS = rules.NoticeReason.NO_ADDRESS, _("No notice address is set for this recipient.")


class RecipientNotice(models.Model):
    """The notice of a rectification to one recipient of the corrected data (GDPR Art. 19),
    written with the answer: its e-mail queued in the outbox (``message``) and settled as the
    outbox sends it, or not possible, and why. Changes state only through
    ``privacy.notices`` and ``rules.NOTICE_TRANSITIONS``."""

    request = models.ForeignKey(SubjectRequest, on_delete=models.CASCADE, related_name="notices")
    recipient_key = models.CharField(_("recipient"), max_length=40)
    recipient = models.CharField(_("recipient's name"), max_length=200)
    address = models.EmailField(_("notice address"), blank=True)
    fields = models.JSONField(_("corrected fields told"), default=list)
    state = models.CharField(_("state"), max_length=12, choices=NoticeState.choices)
    reason = models.CharField(
        _("why not possible"), max_length=12, choices=NoticeReason.choices, blank=True
    )
    message = models.OneToOneField(
        "contact.OutboxMessage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notice",
        verbose_name=_("e-mail"),
    )
    created_at = models.DateTimeField(_("written"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice to a recipient")
        verbose_name_plural = _("notices to recipients")
        ordering = ["request", "pk"]
        constraints = [
            models.CheckConstraint(
                name="recipient_notice_state_valid",
                condition=Q(state__in=[s.value for s in rules.NoticeState]),
            ),
            models.CheckConstraint(
                name="recipient_notice_not_possible_with_reason",
                condition=Q(state="not-possible", address="") & ~Q(reason="")
                | ~Q(state="not-possible") & ~Q(address="") & Q(reason=""),
            ),
            models.CheckConstraint(
                name="recipient_notice_sent_with_when",
                condition=Q(state="sent", sent_at__isnull=False)
                | ~Q(state="sent") & Q(sent_at__isnull=True),
            ),
            models.UniqueConstraint(
                fields=["request", "recipient_key"], name="recipient_notice_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_name} ({self.get_state_display()})"

    @property
    def recipient_name(self) -> str:
        """The recipient's name in the active language (the register's), else as written."""
        from trygg.privacy.register import RECIPIENTS

        found = RECIPIENTS.get(self.recipient_key)
        return str(found) if found is not None else self.recipient


class DatabaseMark(models.Model):
    """Whether this database holds production data: one row, written by the first ``migrate``
    from the environment it runs in (``TRYGG_ENV``), changed only by ``trygg privacy scrub``
    (a scrubbed copy is no longer production data). A non-production environment refuses to
    start on a database marked production (``privacy.environment``)."""

    production = models.BooleanField(_("production data"))
    marked_at = models.DateTimeField(_("marked"))
    marked_by = models.CharField(_("marked by"), max_length=200)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("database mark")
        verbose_name_plural = _("database mark")
        constraints = [models.CheckConstraint(name="database_mark_single", condition=Q(pk=1))]

    def __str__(self) -> str:
        return "production" if self.production else "not production"
