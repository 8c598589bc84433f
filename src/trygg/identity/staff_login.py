"""Staff log-in to the back office: user name, password and the TOTP code of their own device.

Every failure gets the same answer, whatever was wrong (user name, password, code, a lock).
Failures are counted per user name and per address (``LoginThrottle``, keys are HMACs), each
attempt counted *before* anything is checked, in its own short transaction: the count makes
the next attempt wait (back-off) and the fifth failure in a row locks for a while
(``rules.staff_wait_seconds``), so parallel requests cannot try more than one secret at a time
per user name or per address. Failures, locks and successes go into the audit log. A code is
accepted once: the device's last used time step is taken by a conditional update.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from trygg.identity import rules
from trygg.identity.hashing import staff_throttle_key
from trygg.identity.models import LoginThrottle, StaffUser
from trygg.kernel import clock
from trygg.kernel.audit import AuditContext, audit_record
from trygg.kernel.errors import AuthenticationFailed
from trygg.kernel.models import AuditAction


def staff_login_refused() -> AuthenticationFailed:
    """The one answer to every failed staff log-in."""
    return AuthenticationFailed(
        _(
            "The log-in did not succeed. Check your user name, password and code. After "
            "repeated failures log-in pauses for a while."
        ),
        code="staff_login.failed",
    )


@dataclass(frozen=True)
class StaffAttempt:
    user_key: str
    address_key: str
    refused_unchecked: bool  # a key is waiting or locked: nothing is checked
    failures: dict[str, int]  # per key, this attempt counted


def staff_attempt_count(*, username: str, address: str) -> StaffAttempt:
    """Count one attempt on the user name's and the address's counters before checking it, as
    if it failed (the wait it would cause starts now): a parallel attempt on either key finds
    it waiting and is refused unchecked."""
    user_key = staff_throttle_key("user", username)
    address_key = staff_throttle_key("address", address)
    now = clock.now()
    failures: dict[str, int] = {}
    with transaction.atomic():
        rows = [
            LoginThrottle.objects.select_for_update().get_or_create(key=key)[0]
            for key in sorted({user_key, address_key})
        ]
        if any(row.locked_until is not None and row.locked_until > now for row in rows):
            return StaffAttempt(user_key, address_key, True, {r.key: r.failures for r in rows})
        for row in rows:
            row.failures += 1
            row.last_failure_at = now
            row.locked_until = now + dt.timedelta(seconds=rules.staff_wait_seconds(row.failures))
            if rules.is_locked(row.failures) and row.locked_at is None:
                row.locked_at = now
            row.save(update_fields=["failures", "last_failure_at", "locked_until", "locked_at"])
            failures[row.key] = row.failures
    return StaffAttempt(user_key, address_key, False, failures)


def _attempt_succeeded(attempt: StaffAttempt) -> None:
    """The user name's counter is cleared; the address's loses this attempt's count (other
    user names' failures from the same address still count)."""
    LoginThrottle.objects.filter(key=attempt.user_key).update(
        failures=0, locked_at=None, locked_until=None, last_failure_at=None
    )
    if attempt.address_key == attempt.user_key:
        return
    address = LoginThrottle.objects.filter(key=attempt.address_key)
    address.update(failures=Greatest(F("failures") - 1, 0))
    address.filter(failures__lt=rules.MAX_CONSECUTIVE_FAILURES).update(
        locked_at=None, locked_until=None
    )


def staff_code_take(device: Any, token: str) -> bool:
    """Check a code against a staff member's device and take it: a TOTP code's time step must
    lie above the device's last used one, and is stored by a conditional update, so of several
    requests with the same code (other sessions, the same moment) exactly one succeeds."""
    if not token.isdigit():
        return False
    if not isinstance(device, TOTPDevice):
        return bool(device.verify_token(token))  # e.g. single-use backup codes, deleted on use
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if not totp.verify(int(token), device.tolerance, device.last_t + 1):
        return False
    step: int = totp.t()
    return bool(
        TOTPDevice.objects.filter(pk=device.pk, last_t__lt=step).update(
            last_t=step, drift=totp.drift, last_used_at=clock.now()
        )
        == 1
    )


def _device(user: StaffUser, device_id: str) -> Any:
    """The device the code is checked against: the one chosen (if it is the user's), else the
    user's only confirmed device."""
    devices = list(devices_for_user(user, confirmed=True))
    chosen = [d for d in devices if device_id and d.persistent_id == device_id]
    if chosen:
        return chosen[0]
    return devices[0] if len(devices) == 1 else None


def staff_login(
    *, ctx: AuditContext, username: object, password: object, code: object, device_id: str = ""
) -> StaffUser:
    """Authenticate a member of staff; the user with ``otp_device`` set (django-otp marks the
    session verified at log-in). Raises the one ``staff_login_refused()`` on every failure."""
    name = username.strip() if isinstance(username, str) else ""
    secret = password if isinstance(password, str) else ""
    token = code.strip() if isinstance(code, str) else ""
    attempt = staff_attempt_count(username=name, address=ctx.ip or "unknown")
    # The password is checked whatever happened above, so a refusal takes the same time.
    user = authenticate(None, username=name, password=secret) if name and secret else None
    device = None
    if isinstance(user, StaffUser) and user.is_active and user.is_staff:
        device = _device(user, device_id)
    accepted = (
        not attempt.refused_unchecked
        and device is not None
        and bool(token)
        and staff_code_take(device, token)
    )
    if accepted:
        assert isinstance(user, StaffUser)
        with transaction.atomic():
            _attempt_succeeded(attempt)
            audit_record(
                ctx=AuditContext(
                    actor_kind="staff",
                    actor_id=str(user.pk),
                    actor_label=user.get_username(),
                    channel=ctx.channel,
                    ip=ctx.ip,
                ),
                action=AuditAction.LOGIN,
                object_type="staff_login",
                object_id=user.pk,
            )
        user.otp_device = device  # type: ignore[attr-defined]
        return user
    known = StaffUser.objects.filter(username=name).values_list("pk", flat=True).first()
    reason = "waiting_or_locked" if attempt.refused_unchecked else "wrong_credentials"
    with transaction.atomic():
        audit_record(
            ctx=ctx,
            action=AuditAction.FAILED_LOGIN,
            object_type="staff_login",
            object_id=known,
            detail={"reason": reason, "user_key": attempt.user_key[:16]},
        )
        for key, count in attempt.failures.items():
            if not attempt.refused_unchecked and rules.is_locked(count):
                audit_record(
                    ctx=ctx,
                    action=AuditAction.LOCKED,
                    object_type="staff_login",
                    object_id=known if key == attempt.user_key else None,
                    detail={
                        "counter": "user" if key == attempt.user_key else "address",
                        "key": key[:16],
                        "seconds": rules.staff_wait_seconds(count),
                    },
                )
    raise staff_login_refused()
