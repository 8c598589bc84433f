"""Every write of the contact app: sites' controllers, recorded interactions (stored, declined,
reported to the police, released, reviewed) and objections to direct marketing.

An interaction moves only through :func:`_move` (a conditional UPDATE on the state it had, so
two clerks or a clerk and the recording system cannot both win) and ``rules.check_move``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import uuid
from typing import IO, Any

from django.core.files.base import File
from django.core.files.storage import storages
from django.db import transaction
from django.utils.translation import gettext as _

from trygg.contact import rules
from trygg.contact.messages import rule_message
from trygg.contact.models import (
    Interaction,
    InteractionState,
    Objection,
    ObjectionSource,
    PoliceRelease,
    PoliceReport,
    RecordingFile,
    Review,
    Site,
    SiteController,
)
from trygg.identity.models import StaffUser
from trygg.kernel import clock, holds
from trygg.kernel.audit import AuditContext, audit_record
from trygg.kernel.errors import NotFound, ValidationFailed
from trygg.kernel.models import AuditAction
from trygg.parties.models import Party

RECORDINGS = "recordings"


def _failed(error: rules.RuleError) -> ValidationFailed:
    return ValidationFailed(code=error.code, field=error.field, message=rule_message(error))


def recordings_storage() -> Any:
    return storages[RECORDINGS]


# -- sites -------------------------------------------------------------------------------------


def site_controller_change(
    *, ctx: AuditContext, site_id: int, processing: str, controller: str, valid_from: dt.date
) -> SiteController:
    """A new controller of a site's processing from a date (today or later)."""
    with transaction.atomic():
        site = Site.objects.select_for_update().filter(pk=site_id).first()
        if site is None:
            raise NotFound(_("There is no such site."), code="site.not_found")
        if processing not in rules.SITE_RULES:
            raise ValidationFailed(
                code="site.processing",
                field="processing",
                message=_("Choose camera surveillance or visitor registration."),
            )
        changes = list(
            site.controllers.filter(processing=processing).values_list("valid_from", "controller")
        )
        try:
            rules.check_controller_change(changes, valid_from, controller, clock.today())
        except rules.RuleError as error:
            raise _failed(error) from error
        change = SiteController.objects.create(
            site=site, processing=processing, controller=controller.strip(), valid_from=valid_from
        )
        audit_record(
            ctx=ctx,
            action=AuditAction.CREATE,
            object_type="site-controller",
            object_id=change.pk,
            detail={"site": site.code, "processing": processing, "from": valid_from.isoformat()},
        )
    return change


# -- recorded interactions ---------------------------------------------------------------------


def _move(interaction: Interaction, to: str) -> None:
    try:
        rules.check_move(interaction.purpose, interaction.state, to)
    except rules.RuleError as error:
        raise _failed(error) from error
    changed = Interaction.objects.filter(pk=interaction.pk, state=interaction.state).update(
        state=to
    )
    if not changed:
        raise ValidationFailed(
            code="interaction.changed",
            field="state",
            message=_("The recording was changed by someone else meanwhile: look at it again."),
        )
    interaction.state = to


def interaction_start(
    *,
    ctx: AuditContext,
    purpose: str | None,
    channel: str,
    matter: str,
    contact_detail: str,
    employee: StaffUser,
    party: Party | None = None,
    started_at: dt.datetime | None = None,
) -> Interaction:
    """The recording system starts recording an interaction, for a purpose (never none)."""
    try:
        checked = rules.check_purpose(purpose)
    except rules.RuleError as error:
        raise _failed(error) from error
    if channel not in rules.Channel.__members__.values():
        raise ValidationFailed(
            code="interaction.channel",
            field="channel",
            message=_("Choose the channel: phone, video, e-mail or chat."),
        )
    if matter not in rules.Matter.__members__.values():
        raise ValidationFailed(
            code="interaction.matter",
            field="matter",
            message=_("Choose the kind of matter: banking, insurance or other."),
        )
    contact_detail = (contact_detail or "").strip()
    if not contact_detail:
        raise ValidationFailed(
            code="interaction.contact_detail",
            field="contact_detail",
            message=_("Give the phone number, e-mail address or chat alias used."),
        )
    with transaction.atomic():
        interaction = Interaction.objects.create(
            purpose=checked,
            channel=channel,
            matter=matter,
            controller=rules.interaction_controller(checked, rules.Matter(matter)),
            contact_detail=contact_detail,
            party=party,
            employee=employee,
            started_at=started_at or clock.now(),
        )
        audit_record(
            ctx=ctx,
            action=AuditAction.CREATE,
            subject_id=party.pk if party else None,
            object_type="interaction",
            object_id=interaction.pk,
            detail={"purpose": checked, "channel": channel, "matter": matter},
        )
    return interaction


def interaction_decline(*, ctx: AuditContext, interaction_id: int) -> None:
    """The person said no to a quality recording: the employee marks it during the interaction.
    Nothing of it is kept: the record goes, and a file sent later is refused."""
    with transaction.atomic():
        interaction = Interaction.objects.filter(pk=interaction_id).first()
        if interaction is None:
            raise NotFound(_("There is no such recording."), code="interaction.not_found")
        _move(interaction, InteractionState.DECLINED)
        Interaction.objects.filter(pk=interaction.pk).update(contact_detail="", party=None)
        audit_record(
            ctx=ctx,
            action=AuditAction.UPDATE,
            object_type="interaction",
            object_id=interaction.pk,
            detail={"declined": True},
        )


def interaction_store(
    *, ctx: AuditContext, interaction_id: int, content: IO[bytes], content_type: str
) -> RecordingFile:
    """The recording system hands over the file when the interaction ends. Refused for a
    recording the person declined: the file is then never written anywhere."""
    with transaction.atomic():
        interaction = Interaction.objects.filter(pk=interaction_id).first()
        if interaction is None:
            raise NotFound(_("There is no such recording."), code="interaction.not_found")
        _move(interaction, InteractionState.STORED)
        digest = hashlib.sha256()
        size = 0
        for chunk in iter(lambda: content.read(1 << 16), b""):
            digest.update(chunk)
            size += len(chunk)
        content.seek(0)
        storage = recordings_storage()
        name = storage.save(f"{clock.today():%Y/%m}/{uuid.uuid4().hex}", File(content))
        try:
            stored = RecordingFile.objects.create(
                interaction=interaction,
                name=name,
                content_type=content_type or "application/octet-stream",
                size=size,
                sha256=digest.hexdigest(),
                stored_at=clock.now(),
            )
            audit_record(
                ctx=ctx,
                action=AuditAction.CREATE,
                subject_id=interaction.party_id,
                object_type="recording-file",
                object_id=stored.pk,
                detail={"interaction": interaction.pk, "size": size},
            )
        except BaseException:
            storage.delete(name)
            raise
    return stored


def interaction_report_to_police(
    *,
    ctx: AuditContext,
    interaction_id: int,
    police_reference: str,
    reported_by: StaffUser,
    reason: str = "",
) -> PoliceReport:
    """A threat reported to the police: a legal hold keeps the recording past its 30 days,
    until the privacy officer lifts it."""
    police_reference = (police_reference or "").strip()
    if not police_reference:
        raise ValidationFailed(
            code="interaction.police_reference",
            field="police_reference",
            message=_("Give the police's reference of the report."),
        )
    with transaction.atomic():
        interaction = Interaction.objects.filter(pk=interaction_id).first()
        if interaction is None:
            raise NotFound(_("There is no such recording."), code="interaction.not_found")
        _move(interaction, InteractionState.REPORTED)
        hold_id = holds.place(
            ctx=ctx,
            kind="police-report",
            reason=reason.strip() or _("A threat reported to the police."),
            model="contact.Interaction",
            object_id=interaction.pk,
            rule="recording-threat",
            reference=police_reference,
        )
        report = PoliceReport.objects.create(
            interaction=interaction,
            police_reference=police_reference,
            reported_by=reported_by,
            reported_at=clock.now(),
            hold_id=hold_id,
        )
        audit_record(
            ctx=ctx,
            action=AuditAction.UPDATE,
            subject_id=interaction.party_id,
            object_type="interaction",
            object_id=interaction.pk,
            detail={"police_report": police_reference, "hold": hold_id},
        )
    return report


def interaction_release_to_police(
    *,
    ctx: AuditContext,
    interaction_id: int,
    police_reference: str,
    handed_over: str,
    released_by: StaffUser,
) -> PoliceRelease:
    """Record what was handed over to the police (the file, time, circumstances, participants)."""
    police_reference = (police_reference or "").strip()
    handed_over = (handed_over or "").strip()
    if not police_reference:
        raise ValidationFailed(
            code="interaction.police_reference",
            field="police_reference",
            message=_("Give the police's reference of the report."),
        )
    if not handed_over:
        raise ValidationFailed(
            code="interaction.handed_over",
            field="handed_over",
            message=_("Say what was handed over to the police."),
        )
    with transaction.atomic():
        interaction = Interaction.objects.select_for_update().filter(pk=interaction_id).first()
        if interaction is None:
            raise NotFound(_("There is no such recording."), code="interaction.not_found")
        if interaction.state != InteractionState.REPORTED:
            raise ValidationFailed(
                code="interaction.release_needs_report",
                field="police_reference",
                message=_("Only a threat reported to the police is handed over to the police."),
            )
        release = PoliceRelease.objects.create(
            interaction=interaction,
            police_reference=police_reference,
            handed_over=handed_over,
            released_by=released_by,
            released_at=clock.now(),
        )
        audit_record(
            ctx=ctx,
            action=AuditAction.EXPORT,
            subject_id=interaction.party_id,
            object_type="interaction",
            object_id=interaction.pk,
            detail={"police_reference": police_reference, "release": release.pk},
        )
    return release


def review_draw(
    *,
    ctx: AuditContext,
    employee: StaffUser,
    coach: StaffUser,
    count: int,
    rng: random.Random | None = None,
) -> list[Review]:
    """Draw stored quality recordings of one employee at random for review with their coach."""
    if coach.pk == employee.pk:
        raise ValidationFailed(
            code="review.coach", field="coach", message=_("The coach is not the employee.")
        )
    with transaction.atomic():
        candidates = list(
            Interaction.objects.filter(
                purpose=rules.Purpose.QUALITY,
                state=InteractionState.STORED,
                employee=employee,
                review__isnull=True,
            ).values_list("pk", flat=True)
        )
        try:
            drawn = rules.draw_for_review(candidates, count, rng or random.SystemRandom())
        except rules.RuleError as error:
            raise _failed(error) from error
        now = clock.now()
        reviews = [Review(interaction_id=pk, coach=coach, drawn_at=now) for pk in drawn]
        Review.objects.bulk_create(reviews)
        audit_record(
            ctx=ctx,
            action=AuditAction.CREATE,
            object_type="review-draw",
            object_id=employee.pk,
            detail={"drawn": drawn, "coach": coach.pk},
        )
    return reviews


def review_record(*, ctx: AuditContext, review_id: int, notes: str) -> Review:
    """The employee and the coach went through the recording: what they discussed."""
    notes = (notes or "").strip()
    if not notes:
        raise ValidationFailed(
            code="review.notes", field="notes", message=_("Write what was discussed.")
        )
    with transaction.atomic():
        changed = Review.objects.filter(pk=review_id, reviewed_at__isnull=True).update(
            reviewed_at=clock.now(), notes=notes
        )
        if not changed:
            if not Review.objects.filter(pk=review_id).exists():
                raise NotFound(_("There is no such review."), code="review.not_found")
            raise ValidationFailed(
                code="review.done", field="notes", message=_("This review is already recorded.")
            )
        review = Review.objects.get(pk=review_id)
        audit_record(
            ctx=ctx,
            action=AuditAction.UPDATE,
            object_type="review",
            object_id=review.pk,
            detail={"interaction": review.interaction_id},
        )
    return review


def recording_files_expire(on: dt.date, dry_run: bool) -> int:
    """The files whose interaction the retention run has deleted: removed from storage once the
    run commits, then their rows. A file that cannot be removed keeps its row for the next run."""
    orphans = RecordingFile.objects.filter(interaction__isnull=True)
    rows = list(orphans.values_list("pk", "name"))
    if dry_run or not rows:
        return len(rows)

    def remove() -> None:
        storage = recordings_storage()
        for pk, name in rows:
            storage.delete(name)
            RecordingFile.objects.filter(pk=pk, interaction__isnull=True).delete()

    transaction.on_commit(remove)
    return len(rows)


# -- objection to direct marketing -------------------------------------------------------------


def normalise_contact(detail: str) -> str:
    detail = (detail or "").strip()
    return (
        detail.lower() if "@" in detail else "".join(c for c in detail if c.isdigit() or c == "+")
    )


def objection_record(
    *,
    ctx: AuditContext,
    source: str,
    party: Party | None = None,
    contact_detail: str = "",
) -> Objection:
    """Record an objection to direct marketing, from My pages, customer service or the signed
    link of a survey. A second objection changes nothing and is not an error."""
    if source not in ObjectionSource.values:
        raise ValidationFailed(
            code="objection.source", field="source", message=_("Say where the objection came from.")
        )
    contact = normalise_contact(contact_detail)
    if party is None and not contact:
        raise ValidationFailed(
            code="objection.who",
            field="contact_detail",
            message=_("Name the customer or the contact detail the objection is about."),
        )
    with transaction.atomic():
        existing = (
            Objection.objects.filter(party=party).first()
            if party is not None
            else Objection.objects.filter(contact_detail=contact).first()
        )
        if existing is not None:
            return existing
        objection = Objection.objects.create(
            party=party,
            contact_detail="" if party is not None else contact,
            source=source,
            received_at=clock.now(),
            recorded_by=ctx.actor_label or ctx.actor_kind,
        )
        audit_record(
            ctx=ctx,
            action=AuditAction.CREATE,
            subject_id=party.pk if party else None,
            object_type="objection",
            object_id=objection.pk,
            detail={"source": source},
        )
    return objection
