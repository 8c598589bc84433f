"""Security tokens: their life cycle in the back office, and log-in with a token.

An OCRA token (RFC 6287, suite ``OCRA-1:HOTP-SHA256-8:QN08``) answers a numeric challenge shown
on screen, at log-in and when an order is signed (the challenge is then derived from the order:
dynamic linking). A TOTP token (RFC 6238) shows a code every 30 seconds; it logs in but cannot
sign, since its code covers no order. Failed token log-ins count on the same counter as PINs.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from trygg.identity import rules
from trygg.identity.attempts import (
    LoginRefused,
    attempt_count,
    attempt_failed,
    attempt_succeeded,
    failure_message,
    login_record,
)
from trygg.identity.hashing import throttle_key
from trygg.identity.models import (
    LoginChannel,
    LoginMethod,
    SecurityToken,
    TokenKind,
    TokenState,
)
from trygg.identity.otp.ocra import ocra_response, ocra_verify, random_login_challenge
from trygg.identity.otp.totp import totp_verify
from trygg.identity.services import LoginResult, parse_id_number
from trygg.identity.tokenseeds import seed_decrypt, seed_encrypt
from trygg.kernel import clock
from trygg.kernel.audit import AuditContext, audit_record
from trygg.kernel.counters import counter_next
from trygg.kernel.errors import ValidationFailed
from trygg.kernel.models import AuditAction
from trygg.parties.models import Party
from trygg.parties.selectors import person_by_id_number

OCRA_SUITE = "OCRA-1:HOTP-SHA256-8:QN08"
OPEN_STATES = (TokenState.ORDERED, TokenState.SENT, TokenState.AT_OFFICE, TokenState.ACTIVE)
_DUMMY_SEED = secrets.token_bytes(32)


def _move(ctx: AuditContext, token: SecurityToken, target: str, **fields: object) -> None:
    if not rules.token_may_move(token.state, target):
        raise ValidationFailed(
            code="token.transition",
            field="state",
            message=_("A token that is %(state)s cannot become %(target)s.")
            % {"state": token.get_state_display(), "target": TokenState(target).label},
        )
    before = token.state
    token.state = target
    for name, value in fields.items():
        setattr(token, name, value)
    token.save()
    audit_record(
        ctx=ctx,
        action=AuditAction.UPDATE,
        subject_id=token.party_id,
        object_type="security_token",
        object_id=token.pk,
        detail={"from": before, "to": target},
    )


def token_order(*, ctx: AuditContext, party: Party, kind: str = TokenKind.OCRA) -> SecurityToken:
    """Order a personal token for a person: a new seed, a serial number, state "ordered"."""
    if not party.is_person:
        raise ValidationFailed(
            code="token.person_only",
            field="party",
            message=_("Only a person can have a security token."),
        )
    if kind not in TokenKind.values:
        raise ValidationFailed(code="token.kind", field="kind", message=_("Unknown token kind."))
    with transaction.atomic():
        if SecurityToken.objects.filter(party=party, state__in=OPEN_STATES).exists():
            raise ValidationFailed(
                code="token.open_exists",
                field="party",
                message=_("This customer already has a token; report it lost or revoke it first."),
            )
        seed = secrets.token_bytes(32 if kind == TokenKind.OCRA else 20)
        serial = f"TRG{counter_next(name='token_serial', start=1):08d}"
        token = SecurityToken.objects.create(
            party=party,
            serial=serial,
            kind=kind,
            suite=OCRA_SUITE if kind == TokenKind.OCRA else "",
            seed_encrypted=seed_encrypt(seed),
            ordered_at=clock.now(),
        )
        audit_record(
            ctx=ctx,
            action=AuditAction.CREATE,
            subject_id=party.pk,
            object_type="security_token",
            object_id=token.pk,
        )
    return token


def token_dispatch(
    *, ctx: AuditContext, token: SecurityToken, by_post: bool, tracking_number: str = ""
) -> None:
    """Send the token by registered post (with its number) or keep it at an office."""
    tracking = tracking_number.strip()
    if by_post and not tracking:
        raise ValidationFailed(
            code="token.tracking_required",
            field="tracking_number",
            message=_("Give the registered post number."),
        )
    with transaction.atomic():
        if by_post:
            _move(ctx, token, TokenState.SENT, sent_at=clock.now(), tracking_number=tracking)
        else:
            _move(ctx, token, TokenState.AT_OFFICE, sent_at=clock.now())


def token_hand_over(*, ctx: AuditContext, token: SecurityToken) -> None:
    """Staff hand the token to its owner at the office, after checking identification."""
    with transaction.atomic():
        _move(ctx, token, TokenState.ACTIVE, activated_at=clock.now())


def token_report_lost(*, ctx: AuditContext, token: SecurityToken) -> None:
    with transaction.atomic():
        _move(ctx, token, TokenState.LOST, closed_at=clock.now())


def token_revoke(*, ctx: AuditContext, token: SecurityToken) -> None:
    with transaction.atomic():
        _move(ctx, token, TokenState.REVOKED, closed_at=clock.now())


def token_seed_b32(token: SecurityToken) -> str:
    """The seed in base32, as a TOTP app or a token personalisation file takes it."""
    return base64.b32encode(seed_decrypt(token.seed_encrypted)).decode().rstrip("=")


def token_expected_response(token: SecurityToken, challenge: str) -> str:
    """What the token shows for ``challenge`` (demo tooling and tests only)."""
    return ocra_response(token.suite, seed_decrypt(token.seed_encrypted), challenge=challenge)


@dataclass(frozen=True)
class TokenChallenge:
    id_number: str  # normalised
    country: str
    challenge: str


def token_login_start(*, id_number: object) -> TokenChallenge:
    """Step one: the identity number; the answer is a challenge, whether or not the number has a
    token (nothing is revealed here)."""
    parsed = parse_id_number(id_number)
    return TokenChallenge(parsed.value, parsed.country, random_login_challenge(8))


def _check(token: SecurityToken | None, response: str, challenge: str) -> int | None:
    """The matched time step (TOTP), 0 (OCRA), or None; the same work without a token."""
    if token is None or token.kind == TokenKind.OCRA:
        key = seed_decrypt(token.seed_encrypted) if token else _DUMMY_SEED
        match = ocra_verify(OCRA_SUITE, key, response, challenge=challenge)
        return 0 if match is not None and token is not None else None
    secret = base64.b32encode(seed_decrypt(token.seed_encrypted)).decode()
    return totp_verify(
        secret, response, at=clock.now(), window=1, last_accepted_step=token.last_step
    )


def _response_take(token: SecurityToken, *, step: int, challenge: str) -> bool:
    """Take an accepted response for this log-in: True for the one request that does, False
    for every other one that sent the same response (another session, the same moment). A
    conditional update: a TOTP step must lie above the last accepted one, an OCRA challenge
    must differ from the last accepted one; no row changed means refused."""
    rows = SecurityToken.objects.filter(pk=token.pk, state=TokenState.ACTIVE)
    if token.kind == TokenKind.TOTP:
        fresh = rows.filter(Q(last_step__isnull=True) | Q(last_step__lt=step))
        return fresh.update(last_step=step) == 1
    return rows.exclude(last_challenge=challenge).update(last_challenge=challenge) == 1


def time_code_take(token: SecurityToken, code: str) -> int | None:
    """A time-code token's current code, checked and taken once (the time step must lie above
    the last accepted one, at log-in or signing alike): the step, or None when refused."""
    if token.kind != TokenKind.TOTP:
        return None
    step = _check(token, code, "")
    if step is None or not _response_take(token, step=step, challenge=""):
        return None
    return step


def token_login(
    *, ctx: AuditContext, started: TokenChallenge, response: object, channel: str = LoginChannel.WEB
) -> LoginResult:
    """Step two: the token's response to the challenge (or its current code, for a TOTP token).
    Counts on the shared failure counter; the same answer whether the number, the token or the
    code is wrong."""
    if (
        not isinstance(response, str)
        or not response.strip().isdigit()
        or not (6 <= len(response.strip()) <= 8)
    ):
        raise ValidationFailed(
            code="token.response_format",
            field="response",
            message=_("Type the 6 or 8 digits the token shows."),
        )
    code = response.strip()
    key = throttle_key(started.country, started.id_number)
    party = person_by_id_number(country=started.country, id_number=started.id_number)
    token = (
        SecurityToken.objects.filter(party=party, state=TokenState.ACTIVE).first()
        if party
        else None
    )
    attempt = attempt_count(key)
    step = _check(token, code, started.challenge)
    if step is not None and not attempt.refused_unchecked:
        assert party is not None and token is not None
        with transaction.atomic():
            if _response_take(token, step=step, challenge=started.challenge):
                attempt_succeeded(key)
                login_record(
                    party,
                    ctx=ctx,
                    method=LoginMethod.TOKEN,
                    channel=channel,
                    success=True,
                    detail={"token": token.serial},
                )
                return LoginResult(party=party, must_change_pin=False)
    refusal: LoginRefused = failure_message(attempt.failures)
    with transaction.atomic():
        just_locked = attempt_failed(key, attempt)
        login_record(
            party,
            ctx=ctx,
            method=LoginMethod.TOKEN,
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


def token_activate(*, ctx: AuditContext, party: Party, challenge: str, response: object) -> None:
    """The customer activates a token that came by registered post, proving possession with a
    response (OCRA: to the challenge shown; TOTP: the current code). Counts on the shared
    failure counter."""
    token = SecurityToken.objects.filter(party=party, state=TokenState.SENT).first()
    if token is None:
        raise ValidationFailed(
            code="token.nothing_to_activate",
            field="response",
            message=_("You have no security token waiting to be activated."),
        )
    if not isinstance(response, str) or not response.strip().isdigit():
        raise ValidationFailed(
            code="token.response_format",
            field="response",
            message=_("Type the 6 or 8 digits the token shows."),
        )
    key = throttle_key(party.country, party.id_number)
    attempt = attempt_count(key)
    step = _check(token, response.strip(), challenge)
    if step is None or attempt.refused_unchecked:
        with transaction.atomic():
            attempt_failed(key, attempt)
            audit_record(
                ctx=ctx,
                action=AuditAction.FAILED_LOGIN,
                subject_id=party.pk,
                object_type="security_token",
                object_id=token.pk,
            )
        refusal = failure_message(attempt.failures)
        raise ValidationFailed(
            code="token.wrong_code",
            field="response",
            message=refusal.message
            if refusal.code == "login.locked"
            else _("The code is not right. Check the challenge and try again."),
        )
    with transaction.atomic():
        attempt_succeeded(key)
        _move(
            ctx,
            token,
            TokenState.ACTIVE,
            activated_at=clock.now(),
            last_step=step if token.kind == TokenKind.TOTP else None,
        )
