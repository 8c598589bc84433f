"""Every write of customer authentication: PIN log-in, PIN change, PIN letters, unlocking.

The failure counter is shared by every channel and method. An attempt is counted as a failure
*before* the PIN is checked (in its own short transaction) and cleared after a success, so no
number of parallel requests can try more than five PINs.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from trygg.identity import rules
from trygg.identity.attempts import (
    attempt_count,
    attempt_failed,
    attempt_succeeded,
    failure_message,
    secret_check,
)
from trygg.identity.hashing import pin_hasher, throttle_key
from trygg.identity.letters import render_pin_letter
from trygg.identity.models import (
    LoginChannel,
    LoginMethod,
    LoginThrottle,
    PinCredential,
    PinLetter,
    PinLetterStatus,
)
from trygg.identity.pin_messages import pin_message
from trygg.identity.pins import generate_initial_pin
from trygg.kernel import clock, idnumbers
from trygg.kernel.audit import AuditContext, audit_record
from trygg.kernel.errors import ValidationFailed
from trygg.kernel.idnumber_messages import id_number_message
from trygg.kernel.models import AuditAction
from trygg.kernel.validation import Problems
from trygg.parties.models import Party
from trygg.parties.selectors import person_by_id_number


@dataclass(frozen=True)
class LoginResult:
    party: Party
    must_change_pin: bool


def parse_id_number(id_number: object) -> idnumbers.IdNumber:
    """A person's identity number from log-in input, or ValidationFailed naming the field."""
    problems = Problems()
    parsed: idnumbers.IdNumber | None = None
    if not isinstance(id_number, str) or not id_number.strip():
        problems.add("id_number", "id_number.required", _("Enter your personal identity number."))
    else:
        try:
            parsed = idnumbers.parse(id_number, person_only=True)
        except idnumbers.IdNumberError as exc:
            problems.add("id_number", exc.code, id_number_message(exc))
    problems.raise_if_any()
    assert parsed is not None
    return parsed


def _parse_login_input(id_number: object, pin: object) -> idnumbers.IdNumber:
    problems = Problems()
    parsed: idnumbers.IdNumber | None = None
    if not isinstance(id_number, str) or not id_number.strip():
        problems.add("id_number", "id_number.required", _("Enter your personal identity number."))
    else:
        try:
            parsed = idnumbers.parse(id_number, person_only=True)
        except idnumbers.IdNumberError as exc:
            problems.add("id_number", exc.code, id_number_message(exc))
    if not isinstance(pin, str) or not pin:
        problems.add("pin", "pin.required", _("Enter your PIN."))
    elif not (
        pin.isascii() and pin.isdigit() and rules.PIN_MIN_LENGTH <= len(pin) <= rules.PIN_MAX_LENGTH
    ):
        problems.add("pin", "pin.format", _("A PIN has 4, 5 or 6 digits."))
    problems.raise_if_any()
    assert parsed is not None
    return parsed


def pin_login(
    *, ctx: AuditContext, id_number: object, pin: object, channel: str = LoginChannel.WEB
) -> LoginResult:
    """Authenticate with personal identity number and PIN.

    Raises ValidationFailed for malformed input (nothing counted), LoginRefused for a wrong
    number or PIN (the same answer and the same work for an unknown number) or a lock.
    """
    parsed = _parse_login_input(id_number, pin)
    assert isinstance(pin, str)
    key = throttle_key(parsed.country, parsed.value)
    party = person_by_id_number(country=parsed.country, id_number=parsed.value)
    credential = PinCredential.objects.filter(party=party).first() if party else None
    secret_check(
        ctx=ctx,
        key=key,
        party=party,
        encoded=credential.pin_hash if credential else None,
        secret=pin,
        method=LoginMethod.PIN,
        channel=channel,
    )
    assert party is not None and credential is not None
    if pin_hasher().needs_rehash(credential.pin_hash):
        credential.pin_hash = pin_hasher().hash(pin)
        credential.save(update_fields=["pin_hash"])
    return LoginResult(party=party, must_change_pin=credential.must_change)


def _new_pin_problems(problems: Problems, party: Party, new_pin: object, repeat: object) -> str:
    if not isinstance(new_pin, str) or not new_pin:
        problems.add("new_pin", "pin.required", _("Choose a new PIN."))
        return ""
    for problem in rules.pin_problems(
        new_pin, birth_date=party.birth_date, id_number=party.id_number
    ):
        problems.add("new_pin", problem.code, pin_message(problem))
    if new_pin != repeat:
        problems.add("new_pin_repeat", "pin.repeat_mismatch", _("The two new PINs differ."))
    return new_pin


def pin_change(
    *, ctx: AuditContext, party: Party, current_pin: object, new_pin: object, new_pin_repeat: object
) -> None:
    """The customer chooses a new PIN, proving the current one (a wrong one counts as a failed
    attempt on the shared counter)."""
    problems = Problems()
    if not isinstance(current_pin, str) or not current_pin:
        problems.add("current_pin", "pin.required", _("Enter your current PIN."))
    chosen = _new_pin_problems(problems, party, new_pin, new_pin_repeat)
    if isinstance(current_pin, str) and chosen and chosen == current_pin:
        problems.add("new_pin", "pin.unchanged", _("The new PIN must differ from the current one."))
    problems.raise_if_any()
    assert isinstance(current_pin, str)
    credential = PinCredential.objects.get(party=party)
    key = throttle_key(party.country, party.id_number)
    attempt = attempt_count(key)
    matches = pin_hasher().verify(credential.pin_hash, current_pin)
    if attempt.refused_unchecked or not matches:
        refusal = failure_message(attempt.failures)
        with transaction.atomic():
            attempt_failed(key, attempt)
            audit_record(
                ctx=ctx,
                action=AuditAction.FAILED_LOGIN,
                subject_id=party.pk,
                object_type="pin_change",
                detail={"reason": refusal.code},
            )
        message = _("The current PIN is wrong.")
        if refusal.code == "login.locked" or rules.must_warn(attempt.failures):
            message = refusal.message
        raise ValidationFailed(code="pin.current_wrong", field="current_pin", message=message)
    with transaction.atomic():
        # Conditional on the PIN proven above: a letter PIN (or any PIN) is replaced once,
        # even by two sessions at the same moment; the second finds the row changed.
        replaced = PinCredential.objects.filter(
            pk=credential.pk, pin_hash=credential.pin_hash
        ).update(pin_hash=pin_hasher().hash(chosen), must_change=False, changed_at=clock.now())
        if not replaced:
            raise ValidationFailed(
                code="pin.current_wrong",
                field="current_pin",
                message=_("The current PIN is wrong."),
            )
        attempt_succeeded(key)
        audit_record(
            ctx=ctx,
            action=AuditAction.UPDATE,
            subject_id=party.pk,
            object_type="pin",
            object_id=credential.pk,
        )


def pin_letter_issue(*, ctx: AuditContext, party: Party) -> PinLetter:
    """Issue an initial PIN: a new credential that must be changed at first log-in, a letter
    to print and post, and the shared counter unlocked (a new PIN is how a lock is lifted)."""
    if not party.is_person:
        raise ValidationFailed(
            code="pin.person_only", field="party", message=_("Only a person can have a PIN.")
        )
    pin = generate_initial_pin()
    document = render_pin_letter(
        party=party, pin=pin, issued_on=clock.today(), company=settings.TRYGG_COMPANY_NAME
    )
    with transaction.atomic():
        PinCredential.objects.update_or_create(
            party=party,
            defaults={
                "pin_hash": pin_hasher().hash(pin),
                "must_change": True,
                "changed_at": clock.now(),
            },
        )
        PinLetter.objects.filter(party=party, status=PinLetterStatus.WAITING).update(
            status=PinLetterStatus.VOID, document=None
        )
        letter = PinLetter.objects.create(
            party=party, issued_at=clock.now(), issued_by=ctx.actor_label, document=document
        )
        attempt_succeeded(throttle_key(party.country, party.id_number))
        audit_record(
            ctx=ctx,
            action=AuditAction.CREATE,
            subject_id=party.pk,
            object_type="pin_letter",
            object_id=letter.pk,
        )
    return letter


def pin_letter_dispatch(*, ctx: AuditContext, letter: PinLetter) -> bytes:
    """Hand the letter's PDF to the printer once; its content is wiped in the same step."""
    with transaction.atomic():
        waiting = PinLetter.objects.filter(
            pk=letter.pk, status=PinLetterStatus.WAITING, document__isnull=False
        )
        content = waiting.values_list("document", flat=True).first()
        # The conditional update takes the letter: of several requests at the same moment,
        # exactly one changes the row and gets the PDF; the others change nothing.
        taken = content is not None and (
            waiting.update(
                status=PinLetterStatus.DISPATCHED,
                document=None,
                dispatched_at=clock.now(),
                dispatched_by=ctx.actor_label,
            )
            == 1
        )
        if not taken:
            raise ValidationFailed(
                code="pin_letter.not_waiting",
                field="letter",
                message=_("This letter has already been printed or replaced."),
            )
        assert content is not None
        audit_record(
            ctx=ctx,
            action=AuditAction.EXPORT,
            subject_id=letter.party_id,
            object_type="pin_letter",
            object_id=letter.pk,
        )
    return bytes(content)


def pin_unlock(*, ctx: AuditContext, party: Party, reason: object) -> None:
    """Staff lift a lock after confirming the customer's identity; the reason is audited."""
    problems = Problems()
    text = reason.strip() if isinstance(reason, str) else ""
    if len(text) < 10:
        problems.add(
            "reason",
            "unlock.reason_required",
            _("Give the reason for unlocking (at least 10 characters)."),
        )
    if len(text) > 500:
        problems.add("reason", "text.too_long", _("At most 500 characters."))
    problems.raise_if_any()
    key = throttle_key(party.country, party.id_number)
    with transaction.atomic():
        updated = LoginThrottle.objects.filter(key=key).update(
            failures=0, locked_at=None, last_failure_at=None
        )
        audit_record(
            ctx=ctx,
            action=AuditAction.UNLOCK,
            subject_id=party.pk,
            object_type="credential",
            detail={"reason": text, "was_counted": bool(updated)},
        )


def credential_is_locked(party: Party) -> bool:
    return LoginThrottle.objects.filter(
        key=throttle_key(party.country, party.id_number), locked_at__isnull=False
    ).exists()


def pin_credential_set(*, ctx: AuditContext, party: Party, pin: str, must_change: bool) -> None:
    """Give a person a chosen PIN directly (demo data, migrations from another system); the PIN
    obeys the same rules as one the customer chooses."""
    problems = Problems()
    for problem in rules.pin_problems(pin, birth_date=party.birth_date, id_number=party.id_number):
        problems.add("pin", problem.code, pin_message(problem))
    problems.raise_if_any()
    with transaction.atomic():
        PinCredential.objects.update_or_create(
            party=party,
            defaults={
                "pin_hash": pin_hasher().hash(pin),
                "must_change": must_change,
                "changed_at": clock.now(),
            },
        )
        audit_record(ctx=ctx, action=AuditAction.UPDATE, subject_id=party.pk, object_type="pin")
