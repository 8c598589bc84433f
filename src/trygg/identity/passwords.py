"""The protection service's Mine sider log-in: personal identity number and password, one per
person (seed 004: "hver person logge inn med sitt eget personnummer og passord").

A password is hashed like the PIN (argon2id over the pepper) and checked on the same failure
counter (:mod:`trygg.identity.attempts`): five failures in a row lock every log-in of the
number, unknown numbers behave like known ones, and every refusal gives one answer. The first
password (and a new one after forgetting it) is chosen with a one-time set-up code posted to
the person's registered address through the letter outbox; a code is used once, even by two
requests at the same moment. A session opened by a password reaches only the protection
service's pages (no bank, no insurance): see ``sessions.session_is_service_only``.
"""

from __future__ import annotations

import datetime as dt
import secrets
import unicodedata

from django.conf import settings
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.identity import rules
from trygg.identity.attempts import (
    attempt_count,
    attempt_failed,
    attempt_succeeded,
    failure_message,
    secret_check,
)
from trygg.identity.hashing import pin_hasher, throttle_key
from trygg.identity.letters import render_password_code_letter
from trygg.identity.models import (
    LoginChannel,
    LoginMethod,
    PasswordCredential,
    PasswordSetupCode,
)
from trygg.identity.services import LoginResult, parse_id_number
from trygg.kernel import clock
from trygg.kernel.audit import AuditContext, audit_record
from trygg.kernel.errors import ValidationFailed
from trygg.kernel.models import AuditAction
from trygg.kernel.validation import Problems
from trygg.parties.letters import letter_queue
from trygg.parties.models import Letter, Party
from trygg.parties.selectors import person_by_id_number

LETTER_PURPOSE = "identity.password_setup"
# The pure rules' messages, in the user's language.
_RULE_MESSAGES = {
    "password.too_short": gettext_lazy("A password has at least 10 characters."),
    "password.too_long": gettext_lazy("A password has at most 128 characters."),
    "password.repeated": gettext_lazy("A password must not repeat one character."),
    "password.id_number": gettext_lazy("A password must not contain your identity number."),
    "password.birth_date": gettext_lazy("A password must not contain your birth date."),
}
_COMMON = CommonPasswordValidator()


def _normalised(password: str) -> str:
    return unicodedata.normalize("NFKC", password)


def _password_problems(
    problems: Problems, party: Party, password: object, repeat: object, *, field: str
) -> str:
    if not isinstance(password, str) or not password:
        problems.add(field, "password.required", _("Choose a password."))
        return ""
    chosen = _normalised(password)
    found = rules.password_problems(chosen, birth_date=party.birth_date, id_number=party.id_number)
    for problem in found:
        problems.add(field, problem.code, str(_RULE_MESSAGES.get(problem.code, problem.message)))
    if not found:
        try:
            _COMMON.validate(chosen)
        except DjangoValidationError:
            problems.add(
                field,
                "password.common",
                _("This password is among the most common ones; choose another."),
            )
    if not isinstance(repeat, str) or _normalised(repeat) != chosen:
        problems.add(f"{field}_repeat", "password.repeat_mismatch", _("The two passwords differ."))
    return chosen


def password_login(
    *, ctx: AuditContext, id_number: object, password: object, channel: str = LoginChannel.WEB
) -> LoginResult:
    """Authenticate with personal identity number and password: LoginRefused (one answer for
    an unknown number, a person without a password and a wrong password) or a lock."""
    parsed = parse_id_number(id_number)
    if not isinstance(password, str) or not password:
        raise ValidationFailed(
            code="password.required", field="password", message=_("Enter your password.")
        )
    party = person_by_id_number(country=parsed.country, id_number=parsed.value)
    credential = PasswordCredential.objects.filter(party=party).first() if party else None
    secret_check(
        ctx=ctx,
        key=throttle_key(parsed.country, parsed.value),
        party=party,
        encoded=credential.password_hash if credential else None,
        secret=_normalised(password)[: rules.PASSWORD_MAX_LENGTH],
        method=LoginMethod.PASSWORD,
        channel=channel,
    )
    assert party is not None
    return LoginResult(party=party, must_change_pin=False)


def password_code_issue(*, ctx: AuditContext, party: Party) -> tuple[PasswordSetupCode, Letter]:
    """Issue a one-time set-up code and queue its letter to the person's registered address.
    An earlier unused code becomes void; the shared counter is unlocked (a new code is how a
    forgotten password or a lock is dealt with, as a PIN letter is)."""
    if not party.is_person:
        raise ValidationFailed(
            code="password.person_only",
            field="party",
            message=_("Only a person logs in: a company's cards are registered by a person."),
        )
    code = "".join(
        secrets.choice(rules.SETUP_CODE_ALPHABET) for _ in range(rules.SETUP_CODE_LENGTH)
    )
    now = clock.now()
    document = render_password_code_letter(
        party=party, code=code, issued_on=clock.today(), company=settings.TRYGG_COMPANY_NAME
    )
    with transaction.atomic():
        PasswordSetupCode.objects.filter(party=party, used_at__isnull=True, void=False).update(
            void=True
        )
        setup = PasswordSetupCode.objects.create(
            party=party,
            code_hash=pin_hasher().hash(code),
            issued_at=now,
            issued_by=ctx.actor_label,
            expires_at=now + dt.timedelta(days=rules.SETUP_CODE_VALID_DAYS),
        )
        letter = letter_queue(
            ctx=ctx,
            party=party,
            purpose=LETTER_PURPOSE,
            reference=str(setup.pk),
            title=_("Your code for Mine sider"),
            document=document,
            language=party.preferred_language or "nb",
            secret=True,
        )
        attempt_succeeded(throttle_key(party.country, party.id_number))
        audit_record(
            ctx=ctx,
            action=AuditAction.CREATE,
            subject_id=party.pk,
            object_type="password_code",
            object_id=setup.pk,
            detail={"letter": letter.pk},
        )
    return setup, letter


def password_setup(
    *,
    ctx: AuditContext,
    id_number: object,
    code: object,
    password: object,
    password_repeat: object,
    channel: str = LoginChannel.WEB,
) -> LoginResult:
    """Choose a password with the one-time code from the letter, and log in. A wrong or used
    code counts as a failed log-in on the shared counter and gets the one generic answer."""
    parsed = parse_id_number(id_number)
    typed = rules.normalise_setup_code(code) if isinstance(code, str) else ""
    problems = Problems()
    if not typed:
        problems.add("code", "code.required", _("Enter the code from the letter."))
    party = person_by_id_number(country=parsed.country, id_number=parsed.value)
    # The rules are checked against the number typed, not the person found: the answer (rules
    # broken or not) is the same whether the number is a customer's or nobody's.
    typed_person = Party(kind="person", id_number=parsed.value, birth_date=parsed.birth_date)
    chosen = _password_problems(problems, typed_person, password, password_repeat, field="password")
    problems.raise_if_any()
    key = throttle_key(parsed.country, parsed.value)
    setup = (
        PasswordSetupCode.objects.filter(
            party=party, used_at__isnull=True, void=False, expires_at__gt=clock.now()
        ).first()
        if party
        else None
    )
    attempt = attempt_count(key)
    matches = pin_hasher().verify(setup.code_hash if setup else None, typed)
    taken = False
    if matches and not attempt.refused_unchecked:
        assert setup is not None and party is not None
        with transaction.atomic():
            # The code is taken by a conditional update: of two requests at once, one wins.
            taken = bool(
                PasswordSetupCode.objects.filter(
                    pk=setup.pk, used_at__isnull=True, void=False
                ).update(used_at=clock.now())
            )
            if taken:
                PasswordCredential.objects.update_or_create(
                    party=party,
                    defaults={"password_hash": pin_hasher().hash(chosen), "set_at": clock.now()},
                )
                attempt_succeeded(key)
                audit_record(
                    ctx=ctx,
                    action=AuditAction.UPDATE,
                    subject_id=party.pk,
                    object_type="password",
                    detail={"code": setup.pk},
                )
                audit_record(
                    ctx=ctx,
                    action=AuditAction.LOGIN,
                    subject_id=party.pk,
                    object_type="login",
                    detail={"method": LoginMethod.PASSWORD, "channel": channel, "setup": True},
                )
    if taken:
        assert party is not None
        return LoginResult(party=party, must_change_pin=False)
    refusal = failure_message(attempt.failures, kind=LoginMethod.PASSWORD)
    with transaction.atomic():
        attempt_failed(key, attempt)
        audit_record(
            ctx=ctx,
            action=AuditAction.FAILED_LOGIN,
            subject_id=party.pk if party else None,
            object_type="password_setup",
            detail={"reason": refusal.code, "key": key[:16]},
        )
    raise ValidationFailed(
        code="password.setup_refused",
        field="code",
        message=_(
            "The personal identity number or the code is wrong, or the code has been used or "
            "has expired."
        )
        + (" " + refusal.message if refusal.code == "login.locked" else ""),
    )


def password_change(
    *,
    ctx: AuditContext,
    party: Party,
    current_password: object,
    new_password: object,
    new_password_repeat: object,
) -> None:
    """Choose a new password, proving the current one (a wrong one counts on the shared
    counter). The same password for the whole family is allowed (the seed's own tip)."""
    problems = Problems()
    if not isinstance(current_password, str) or not current_password:
        problems.add("current_password", "password.required", _("Enter your current password."))
    chosen = _password_problems(
        problems, party, new_password, new_password_repeat, field="new_password"
    )
    problems.raise_if_any()
    assert isinstance(current_password, str)
    credential = PasswordCredential.objects.get(party=party)
    key = throttle_key(party.country, party.id_number)
    attempt = attempt_count(key)
    matches = pin_hasher().verify(credential.password_hash, _normalised(current_password))
    if attempt.refused_unchecked or not matches:
        refusal = failure_message(attempt.failures, kind=LoginMethod.PASSWORD)
        with transaction.atomic():
            attempt_failed(key, attempt)
            audit_record(
                ctx=ctx,
                action=AuditAction.FAILED_LOGIN,
                subject_id=party.pk,
                object_type="password_change",
                detail={"reason": refusal.code},
            )
        message = _("The current password is wrong.")
        if refusal.code == "login.locked" or rules.must_warn(attempt.failures):
            message = refusal.message
        raise ValidationFailed(
            code="password.current_wrong", field="current_password", message=message
        )
    with transaction.atomic():
        replaced = PasswordCredential.objects.filter(
            pk=credential.pk, password_hash=credential.password_hash
        ).update(password_hash=pin_hasher().hash(chosen), set_at=clock.now())
        if not replaced:
            raise ValidationFailed(
                code="password.current_wrong",
                field="current_password",
                message=_("The current password is wrong."),
            )
        attempt_succeeded(key)
        audit_record(
            ctx=ctx,
            action=AuditAction.UPDATE,
            subject_id=party.pk,
            object_type="password",
            object_id=credential.pk,
        )


def has_password(party: Party) -> bool:
    return PasswordCredential.objects.filter(party=party).exists()


def password_credential_set(*, ctx: AuditContext, party: Party, password: str) -> None:
    """Give a person a chosen password directly (demo data, migrations from another system);
    it obeys the same rules as one the person chooses."""
    problems = Problems()
    chosen = _password_problems(problems, party, password, password, field="password")
    problems.raise_if_any()
    with transaction.atomic():
        PasswordCredential.objects.update_or_create(
            party=party,
            defaults={"password_hash": pin_hasher().hash(chosen), "set_at": clock.now()},
        )
        audit_record(
            ctx=ctx, action=AuditAction.UPDATE, subject_id=party.pk, object_type="password"
        )
