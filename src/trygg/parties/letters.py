"""The outbox of letters by post: any domain queues a letter (a PDF) to a party's registered
address; the sender hands it to the print-and-post service once, and the tracker follows the
carrier's tracking number to delivery. Every state change goes through
``rules.LETTER_TRANSITIONS`` and is made by a conditional update, so two senders never print
one letter twice and a sender that dies loses none (``letters_send`` puts a letter left
"sending" back in the queue; the service answers a repeated key as the first time).

Run by ``trygg post`` (``trygg run`` does it every few seconds).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable

from django.db import IntegrityError, close_old_connections, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from trygg.kernel import clock
from trygg.kernel.audit import SYSTEM, AuditContext, audit_record
from trygg.kernel.errors import NotFound, ValidationFailed
from trygg.kernel.models import AuditAction
from trygg.parties import rules
from trygg.parties.models import Address, AddressKind, Letter, LetterEvent, LetterState, Party
from trygg.parties.post import PostClient, PostRequest, PostUnavailable, post_client

logger = logging.getLogger(__name__)

STUCK_AFTER = dt.timedelta(seconds=60)


def _address_fields(party: Party) -> dict[str, str] | None:
    address: Address | None = party.addresses.filter(kind=AddressKind.POSTAL).first()
    if address is None:
        return None
    return {
        "recipient": party.display_name,
        "care_of": address.care_of,
        "street": address.street,
        "postal_code": address.postal_code,
        "city": address.city,
        "country": address.country,
    }


def letter_queue(
    *,
    ctx: AuditContext,
    party: Party,
    purpose: str,
    reference: str,
    title: str,
    document: bytes,
    language: str,
    secret: bool = False,
) -> Letter:
    """Queue a letter to ``party``'s registered postal address (copied now). Once per
    ``purpose`` and ``reference``: queuing again returns the letter already queued. Without an
    address the letter is held until the party has one."""
    existing = Letter.objects.filter(purpose=purpose, reference=reference).first()
    if existing is not None:
        return existing
    address = _address_fields(party)
    try:
        with transaction.atomic():
            letter = Letter.objects.create(
                party=party,
                purpose=purpose,
                reference=reference,
                title=title[:120],
                language=language,
                secret=secret,
                document=document,
                state=LetterState.QUEUED if address else LetterState.HELD,
                created_at=clock.now(),
                **(address or {}),
            )
            audit_record(
                ctx=ctx,
                action=AuditAction.CREATE,
                subject_id=party.pk,
                object_type="letter",
                object_id=letter.pk,
                detail={"purpose": purpose, "reference": reference, "state": letter.state},
            )
    except IntegrityError:  # queued by someone else at the same moment
        return Letter.objects.get(purpose=purpose, reference=reference)
    return letter


def _move(letter_id: int, current: str, target: str, **changes: object) -> bool:
    """Move one letter ``current`` → ``target`` if it is still ``current``: of several
    workers at once exactly one changes the row."""
    if not rules.letter_may_move(current, target):
        raise ValidationFailed(
            code="letter.transition",
            field="state",
            message=_("A letter cannot go from %(from)s to %(to)s.")
            % {"from": current, "to": target},
        )
    return bool(Letter.objects.filter(pk=letter_id, state=current).update(state=target, **changes))


def letter_cancel(*, ctx: AuditContext, letter_id: int) -> Letter:
    """Cancel a letter not yet handed to the printer."""
    letter = Letter.objects.filter(pk=letter_id).first()
    if letter is None:
        raise NotFound(_("No such letter."), code="letter.not_found")
    with transaction.atomic():
        if letter.state not in (LetterState.HELD, LetterState.QUEUED) or not _move(
            letter.pk, letter.state, LetterState.CANCELLED, document=None
        ):
            raise ValidationFailed(
                code="letter.not_cancellable",
                field="letter",
                message=_("The letter has already been handed to the printer."),
            )
        audit_record(
            ctx=ctx,
            action=AuditAction.UPDATE,
            subject_id=letter.party_id,
            object_type="letter",
            object_id=letter.pk,
            detail={"cancelled": True},
        )
    letter.refresh_from_db()
    return letter


def letters_release() -> int:
    """Held letters whose party now has a registered address are queued to it."""
    released = 0
    for letter in Letter.objects.filter(state=LetterState.HELD).select_related("party")[:500]:
        address = _address_fields(letter.party)
        if address and _move(letter.pk, LetterState.HELD, LetterState.QUEUED, **address):
            released += 1
    return released


def letters_resume(*, older_than: dt.timedelta = STUCK_AFTER) -> int:
    """Letters left "sending" (the sender died during the hand-over) go back to the queue."""
    count = 0
    for pk in Letter.objects.filter(
        state=LetterState.SENDING, status_at__lt=clock.now() - older_than
    ).values_list("pk", flat=True):
        count += _move(pk, LetterState.SENDING, LetterState.QUEUED)
    return count


def letter_send(letter_id: int, *, client: PostClient | None = None) -> Letter | None:
    """Hand one queued letter to the print-and-post service; None when another sender took it
    or it is no longer queued."""
    if not _move(
        letter_id,
        LetterState.QUEUED,
        LetterState.SENDING,
        status_at=clock.now(),
        attempts=F("attempts") + 1,
    ):
        return None
    letter = Letter.objects.get(pk=letter_id)
    request = PostRequest(
        key=f"letter-{letter.pk}",
        recipient=letter.recipient,
        care_of=letter.care_of,
        street=letter.street,
        postal_code=letter.postal_code,
        city=letter.city,
        country=letter.country,
        pdf=bytes(letter.document or b""),
    )
    try:
        posted = (client or post_client()).post(request)
        if not rules.is_tracking_number(posted.tracking_number):
            raise PostUnavailable(f"not a tracking number: {posted.tracking_number[:20]!r}")
    except PostUnavailable as error:
        _move(letter.pk, LetterState.SENDING, LetterState.QUEUED, last_error=str(error)[:200])
        return Letter.objects.get(pk=letter_id)
    now = clock.now()
    with transaction.atomic():
        changes: dict[str, object] = {
            "tracking_number": posted.tracking_number,
            "carrier": posted.carrier[:40],
            "posted_at": now,
            "status_at": now,
            "status_text": _("Handed to the carrier"),
            "last_error": "",
        }
        if letter.secret:
            changes["document"] = None
        if _move(letter.pk, LetterState.SENDING, LetterState.POSTED, **changes):
            audit_record(
                ctx=SYSTEM,
                action=AuditAction.EXPORT,
                subject_id=letter.party_id,
                object_type="letter",
                object_id=letter.pk,
                detail={"tracking_number": posted.tracking_number},
            )
    return Letter.objects.get(pk=letter_id)


def letters_send(*, limit: int = 100, client: PostClient | None = None) -> int:
    """Release held letters, resume stuck ones, and hand every queued letter over; the
    number handed over."""
    letters_release()
    letters_resume()
    posted = 0
    for pk in (
        Letter.objects.filter(state=LetterState.QUEUED)
        .order_by("created_at", "id")[:limit]
        .values_list("pk", flat=True)
    ):
        letter = letter_send(pk, client=client)
        posted += bool(letter is not None and letter.state == LetterState.POSTED)
    return posted


def letter_track(letter_id: int, *, client: PostClient | None = None) -> Letter:
    """Record the carrier's new tracking events of one posted letter and move it to the
    latest one's state."""
    letter = Letter.objects.get(pk=letter_id)
    if letter.state not in rules.LETTER_TRACKED or not letter.tracking_number:
        return letter
    try:
        events = (client or post_client()).tracking(letter.tracking_number)
    except PostUnavailable as error:
        Letter.objects.filter(pk=letter.pk).update(last_error=str(error)[:200])
        return letter
    known = {str(s) for s in LetterState}
    events = sorted((e for e in events if e.state in known), key=lambda e: e.at)
    with transaction.atomic():
        LetterEvent.objects.bulk_create(
            [
                LetterEvent(
                    letter=letter, occurred_at=e.at, state=e.state, text=e.text, place=e.place
                )
                for e in events
            ],
            ignore_conflicts=True,
        )
        current = letter.state
        for event in events:
            if rules.letter_may_move(current, event.state) and _move(
                letter.pk,
                current,
                event.state,
                status_at=event.at,
                status_text=event.text or event.state,
            ):
                current = event.state
    letter.refresh_from_db()
    return letter


def letters_track(*, limit: int = 200, client: PostClient | None = None) -> int:
    """Follow every letter on its way; the number that changed state."""
    moved = 0
    for letter in Letter.objects.filter(state__in=rules.LETTER_TRACKED).order_by("status_at")[
        :limit
    ]:
        moved += letter_track(letter.pk, client=client).state != letter.state
    return moved


def letters_of(*, ctx: AuditContext, party: Party, purpose: str | None = None) -> list[Letter]:
    """A party's letters (newest first) with their tracking events; an audited read."""
    rows = Letter.objects.filter(party=party).prefetch_related("events").defer("document")
    if purpose:
        rows = rows.filter(purpose=purpose)
    letters = list(rows)
    if letters:
        audit_record(
            ctx=ctx,
            action=AuditAction.READ,
            subject_id=party.pk,
            object_type="letters",
            detail={"letters": [letter.pk for letter in letters]},
        )
    return letters


def letter_for(*, ctx: AuditContext, purpose: str, reference: str) -> Letter | None:
    """The letter of one purpose and reference (e.g. a blocking call's report); audited."""
    letter = (
        Letter.objects.filter(purpose=purpose, reference=reference)
        .prefetch_related("events")
        .defer("document")
        .first()
    )
    if letter is not None:
        audit_record(
            ctx=ctx,
            action=AuditAction.READ,
            subject_id=letter.party_id,
            object_type="letter",
            object_id=letter.pk,
        )
    return letter


def post_desk(*, every: float = 5.0, stop: Callable[[], bool] = lambda: False) -> None:
    """Send and track, every ``every`` seconds, until ``stop`` (``trygg run``'s thread;
    ``trygg post`` does one round)."""
    while not stop():
        try:
            letters_send()
            letters_track()
        except Exception:  # a round that fails is tried again; the process goes on
            logger.exception("the letter outbox round failed")
        finally:
            close_old_connections()
        time.sleep(every)
