"""Kernel state: the append-only audit log and its chain head, counters, background jobs."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    READ = "read", "read"
    CREATE = "create", "create"
    UPDATE = "update", "update"
    DELETE = "delete", "delete"
    LOGIN = "login", "login"
    LOGOUT = "logout", "logout"
    FAILED_LOGIN = "failed-login", "failed login"
    LOCKED = "locked", "locked"
    UNLOCK = "unlock", "unlock"
    EXPORT = "export", "export"
    SIGN = "sign", "sign"


class AuditChannel(models.TextChoices):
    WEB = "web", "web"
    API = "api", "api"
    PHONE = "phone", "phone"
    BACK_OFFICE = "back-office", "back office"
    BATCH = "batch", "batch"
    SYSTEM = "system", "system"


class AuditEvent(models.Model):
    """One audited event. ``hash`` covers its content from the moment it is written; sealing
    gives it ``seq`` and ``chain`` once, and database triggers refuse every other update and
    every delete."""

    seq = models.BigIntegerField(
        unique=True, null=True, blank=True, verbose_name=_("sequence number")
    )
    occurred_at = models.DateTimeField(verbose_name=_("occurred at"))
    actor_kind = models.CharField(max_length=16, verbose_name=_("actor kind"))
    actor_id = models.CharField(max_length=64, blank=True, verbose_name=_("actor ID"))
    actor_label = models.CharField(max_length=200, blank=True, verbose_name=_("actor label"))
    action = models.CharField(max_length=16, choices=AuditAction.choices, verbose_name=_("action"))
    channel = models.CharField(
        max_length=16, choices=AuditChannel.choices, verbose_name=_("channel")
    )
    # Looked up by equality, newest first: the index (subject_id, -id) below serves that; a
    # second and third index on the column would only cost every append and every seal.
    subject_id = models.CharField(
        max_length=64,
        blank=True,
        help_text=_("The data subject (a person's id)."),
        verbose_name=_("data subject"),
    )
    object_type = models.CharField(max_length=64, blank=True, verbose_name=_("object type"))
    object_id = models.CharField(max_length=64, blank=True, verbose_name=_("object ID"))
    ip = models.GenericIPAddressField(null=True, blank=True, verbose_name=_("IP address"))
    detail = models.JSONField(default=dict, blank=True, verbose_name=_("details"))
    hash = models.CharField(max_length=64, verbose_name=_("hash value"))
    chain = models.CharField(max_length=64, blank=True, verbose_name=_("chain value"))

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["subject_id", "-id"], name="audit_subject_id"),
            models.Index(
                fields=["id"], condition=models.Q(seq__isnull=True), name="audit_unsealed"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"


class AuditChainHead(models.Model):
    """The single row holding the last sealed sequence number and chain value; locked while
    sealing, so the chain stays linear, and compared by verification, so removing the newest
    rows is detected."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="audit_head_single_row")
        ]

    def __str__(self) -> str:
        return f"audit head #{self.seq}"


class Counter(models.Model):
    """A named gap-free counter (customer numbers, policy numbers, ...), advanced under a lock."""

    name = models.CharField(max_length=64, primary_key=True)
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class JobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    """A long piece of work staff start (a billing run, a file import): run by the background
    worker, its progress shown while it runs, its outcome kept."""

    public_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=64)
    state = models.CharField(
        _("state"), max_length=16, choices=JobState.choices, default=JobState.QUEUED
    )
    params = models.JSONField(default=dict)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    problems = models.JSONField(default=list, blank=True)
    actor_id = models.CharField(max_length=64, blank=True)
    actor_label = models.CharField(_("by"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"))
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        indexes = [models.Index(fields=["kind", "-created_at"], name="job_kind_created")]

    def __str__(self) -> str:
        return f"{self.kind} {self.public_id} {self.state}"


class AuditAnchor(models.Model):
    """Where the chain resumes after expired rows were removed: the rows ``gap_from`` to
    ``seq - 1`` went by expiry, and the row ``seq`` links to ``previous_chain``, the chain value
    of the last row removed. ``mac`` (HMAC under the audit key) seals the anchor, so a removed
    month is told apart from rows removed by anyone else."""

    seq = models.BigIntegerField(unique=True)
    gap_from = models.BigIntegerField()
    previous_chain = models.CharField(max_length=64)
    expired_before = models.DateTimeField()
    removed = models.BigIntegerField()
    mac = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(gap_from__lt=models.F("seq")), name="audit_anchor_gap_before"
            )
        ]

    def __str__(self) -> str:
        return f"rows {self.gap_from}..{self.seq - 1} expired"
