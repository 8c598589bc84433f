"""Claims on the accident insurance: the report, the decision with its benefit lines, the payout
booked in the ledger."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from trygg.banking.models import Account, LedgerTransaction
from trygg.insurance.models import Policy
from trygg.parties.models import Party


class ClaimState(models.TextChoices):
    REPORTED = "reported", _("Reported, being assessed")
    DECIDED = "decided", _("Decided, payout pending")
    PAID = "paid", _("Paid")
    REJECTED = "rejected", _("Rejected")


class ClaimChannel(models.TextChoices):
    """Where the claim was reported: by the customer online, or by staff from a call or a
    letter."""

    WEB = "web", _("Internet service")
    BACK_OFFICE = "back-office", _("Back office")


class Claim(models.Model):
    number = models.CharField(_("claim number"), max_length=12, unique=True)
    policy = models.ForeignKey(
        Policy, on_delete=models.PROTECT, related_name="claims", verbose_name=_("policy")
    )
    reported_by = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    channel = models.CharField(_("reported through"), max_length=12, choices=ClaimChannel.choices)
    accident_date = models.DateField(_("accident date"))
    description = models.TextField(_("what happened"))
    reported_at = models.DateTimeField(_("reported"))
    state = models.CharField(_("state"), max_length=10, choices=ClaimState.choices, db_index=True)
    payout_account = models.ForeignKey(
        Account,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("payout account"),
    )
    payout_destination = models.CharField(
        _("payout to account at another bank"), max_length=30, blank=True
    )
    facts = models.JSONField(_("facts established"), default=dict, blank=True)
    pbb_year = models.PositiveSmallIntegerField(_("PBB year"), null=True, blank=True)
    pbb = models.DecimalField(_("PBB"), max_digits=10, decimal_places=2, null=True, blank=True)
    lines = models.JSONField(_("benefits"), default=list, blank=True)
    total = models.DecimalField(_("total"), max_digits=12, decimal_places=2, default=0)
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
    payout = models.OneToOneField(
        LedgerTransaction,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("payout"),
    )

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-reported_at"]
        permissions = [("decide_claim", "Can decide and pay claims")]
        constraints = [
            models.CheckConstraint(name="claim_total_not_negative", condition=Q(total__gte=0)),
            models.CheckConstraint(
                name="claim_paid_has_payout", condition=~Q(state="paid") | Q(payout__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return self.number
