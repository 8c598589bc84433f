"""The shared failure counter of every log-in method and channel, and the log-in record.

An attempt is counted as a failure *before* the secret is checked (in its own short
transaction) and cleared after a success, so no number of parallel requests can try more than
five secrets. The counter is keyed by an HMAC of the identity number, unknown numbers included.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from trygg.identity import rules
from trygg.identity.hashing import pin_hasher
from trygg.identity.models import LoginEvent, LoginThrottle
from trygg.kernel import clock
from trygg.kernel.audit import AuditContext, audit_record
from trygg.kernel.errors import AuthenticationFailed
from trygg.kernel.models import AuditAction
from trygg.parties.models import Party


class LoginRefused(AuthenticationFailed):
    """Wrong number or PIN (the same answer for both), or a locked credential."""

    def __init__(self, *, code: str, message: str, attempts_left: int | None) -> None:
        super().__init__(message=message, code=code)
        self.attempts_left = attempts_left


def failure_message(failures: int, *, kind: str = "pin") -> LoginRefused:
    """The one answer to every failed log-in (unknown number or wrong secret alike) with
    ``kind`` of secret "pin" or "password"."""
    if rules.is_locked(failures):
        return LoginRefused(
            code="login.locked",
            message=(
                _(
                    "Your log-in is locked after five failed attempts. Call customer service "
                    "to have it unlocked, or order a new set-up code."
                )
                if kind == "password"
                else _(
                    "Your PIN is locked after five failed attempts. Call customer service to "
                    "have it unlocked, or order a new PIN."
                )
            ),
            attempts_left=0,
        )
    if kind == "password":
        message = _("The personal identity number or the password is wrong.")
        if rules.must_warn(failures):
            message += " " + _("One attempt remains: after one more failure log-in is locked.")
    else:
        message = _("The personal identity number or the PIN is wrong.")
        if rules.must_warn(failures):
            message += " " + _("One attempt remains: after one more wrong PIN it will be locked.")
    return LoginRefused(
        code="login.failed", message=message, attempts_left=rules.attempts_left(failures)
    )


@dataclass(frozen=True)
class Attempt:
    failures: int  # consecutive failures, this attempt counted as one until it succeeds
    refused_unchecked: bool  # the counter was already at the limit: the PIN is not checked


def attempt_count(key: str) -> Attempt:
    """Count one attempt against ``key`` before checking it. At most five attempts can ever be
    in flight or failed in a row, whatever the concurrency."""
    with transaction.atomic():
        throttle, _created = LoginThrottle.objects.select_for_update().get_or_create(key=key)
        if rules.is_locked(throttle.failures):
            return Attempt(throttle.failures, refused_unchecked=True)
        throttle.failures = throttle.failures + 1
        throttle.last_failure_at = clock.now()
        throttle.save(update_fields=["failures", "last_failure_at"])
        return Attempt(throttle.failures, refused_unchecked=False)


def attempt_failed(key: str, attempt: Attempt) -> bool:
    """Settle a failed attempt; True if it is the one that locked the credential."""
    if attempt.refused_unchecked or not rules.is_locked(attempt.failures):
        return False
    return bool(
        LoginThrottle.objects.filter(key=key, locked_at__isnull=True).update(locked_at=clock.now())
    )


def attempt_succeeded(key: str) -> None:
    LoginThrottle.objects.filter(key=key).update(failures=0, locked_at=None, last_failure_at=None)


def login_record(
    party: Party | None,
    *,
    ctx: AuditContext,
    method: str,
    channel: str,
    success: bool,
    detail: dict[str, object],
) -> None:
    if party is not None:
        LoginEvent.objects.create(
            party=party,
            occurred_at=clock.now(),
            method=method,
            channel=channel,
            success=success,
            ip=ctx.ip,
        )
    audit_record(
        ctx=ctx,
        action=AuditAction.LOGIN if success else AuditAction.FAILED_LOGIN,
        subject_id=party.pk if party else None,
        object_type="login",
        detail={"method": method, "channel": channel, **detail},
    )


def secret_check(
    *,
    ctx: AuditContext,
    key: str,
    party: Party | None,
    encoded: str | None,
    secret: str,
    method: str,
    channel: str,
) -> None:
    """Check a log-in secret (PIN or password) against ``encoded`` on the shared counter:
    counted before the check, the hash always verified (an unknown number takes the same time),
    the success or failure recorded and audited. Returns on success; raises the one generic
    ``LoginRefused`` otherwise."""
    attempt = attempt_count(key)
    # The hash is checked whatever happened above, so every refusal takes the same time.
    matches = pin_hasher().verify(encoded, secret)
    if matches and not attempt.refused_unchecked and party is not None:
        with transaction.atomic():
            attempt_succeeded(key)
            login_record(party, ctx=ctx, method=method, channel=channel, success=True, detail={})
        return
    refusal = failure_message(attempt.failures, kind=method)
    with transaction.atomic():
        just_locked = attempt_failed(key, attempt)
        login_record(
            party,
            ctx=ctx,
            method=method,
            channel=channel,
            success=False,
            detail={"reason": refusal.code, "key": key[:16]},
        )
        if just_locked:
            audit_record(
                ctx=ctx,
                action=AuditAction.LOCKED,
                subject_id=party.pk if party else None,
                object_type="credential",
                detail={"key": key[:16]},
            )
    raise refusal
