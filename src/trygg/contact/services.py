"""Every write of the contact app: sites' controllers, recorded interactions (stored, declined,
reported to the police, released, reviewed) and objections to direct marketing.

An interaction moves only through :func:`_move` (a conditional UPDATE on the state it had, so
two clerks or a clerk and the recording system cannot both win) and ``rules.check_move``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import re
import uuid
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.dispatch import Signal
from django.utils import translation
from django.utils.translation import gettext as _

from trygg.contact import links, messaging, rules, selectors
from trygg.contact.messages import rule_message
from trygg.contact.messaging import to_e164
from trygg.contact.models import (
    CallbackTask,
    CustodyEvent,
    DoorPassage,
    FootageExport,
    FootageViewing,
    Interaction,
    InteractionState,
    Objection,
    ObjectionSource,
    OutboxMessage,
    OutboxState,
    PoliceRelease,
    PoliceReport,
    RecordingFile,
    ReleasedVisit,
    Review,
    Site,
    SiteController,
    SupportTicket,
    Survey,
    TicketHandler,
    Visit,
    VisitRelease,
)
from trygg.identity.models import StaffUser
from trygg.kernel import clock, holds, idnumbers
from trygg.kernel.audit import AuditContext, audit_record
from trygg.kernel.errors import (
    Conflict,
    DomainError,
    FieldProblem,
    NotFound,
    ValidationFailed,
)
from trygg.kernel.idnumber_messages import id_number_message
from trygg.kernel.models import AuditAction
from trygg.parties.models import Party
from trygg.parties.selectors import person_by_id_number

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
    platform: str = "",
    platform_id: str = "",
) -> Interaction:
    """The recording system starts recording an interaction, for a purpose (never none). An
    interaction the recording platform reports carries the platform's name and its own id."""
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
    if not contact_detail or not contact_detail.isprintable():
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
            platform=platform,
            platform_id=platform_id,
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
    The contact detail and the person are emptied at once, and a file sent later is refused."""
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


# -- the recording platform's intake (decision 0095) -----------------------------------------


def _platform_id(platform_id: str) -> str:
    platform_id = (platform_id or "").strip()
    if not platform_id or not platform_id.isprintable():
        raise ValidationFailed(
            code="interaction.platform_id",
            field="platform_id",
            message=_("Give the platform's own id of the interaction."),
        )
    return platform_id


def interaction_receive(
    *,
    ctx: AuditContext,
    platform: str,
    platform_id: str,
    purpose: str | None,
    channel: str,
    matter: str,
    contact_detail: str,
    employee: str,
    opted_out: bool,
    started_at: dt.datetime,
    authenticated_id_number: str | None = None,
) -> tuple[Interaction, bool]:
    """The recording platform reports an interaction it records: started as staff start one,
    and declined at once when the person said no to a quality recording. Once per platform and
    its own id: a retried report creates nothing and gives the interaction back (``False``);
    a retry that now says the person said no declines it (never the other way). The person is
    named (by identity number) only when they authenticated to the platform; the identity
    number must be a customer's."""
    platform_id = _platform_id(platform_id)
    person = _authenticated_person(authenticated_id_number)
    try:
        rules.check_started(started_at, clock.now())
    except rules.RuleError as error:
        raise _failed(error) from error
    if opted_out and purpose == rules.Purpose.THREAT:
        raise _failed(
            rules.RuleError(
                "interaction.declined_needs_quality",
                "opted_out",
                "Only a quality recording can be declined; a threat is recorded.",
            )
        )
    handler = (
        StaffUser.objects.filter(username=employee, is_active=True, is_staff=True).first()
        if employee.isprintable()
        else None
    )
    with transaction.atomic():
        existing = (
            Interaction.objects.select_for_update()
            .filter(platform=platform, platform_id=platform_id)
            .first()
        )
        if existing is None:
            if handler is None:
                raise ValidationFailed(
                    code="interaction.employee",
                    field="employee",
                    message=_("No member of staff has that user name."),
                )
            try:
                with transaction.atomic():
                    interaction = interaction_start(
                        ctx=ctx,
                        purpose=purpose,
                        channel=channel,
                        matter=matter,
                        contact_detail=contact_detail,
                        employee=handler,
                        party=person,
                        started_at=started_at,
                        platform=platform,
                        platform_id=platform_id,
                    )
            except IntegrityError:  # the same report, at the same moment: that one stands
                existing = Interaction.objects.get(platform=platform, platform_id=platform_id)
            else:
                if opted_out:
                    interaction_decline(ctx=ctx, interaction_id=interaction.pk)
                    interaction.refresh_from_db()
                return interaction, True
        same = (existing.purpose, existing.channel, existing.matter) == (purpose, channel, matter)
        if existing.state != InteractionState.DECLINED:  # a declined one forgot the person
            same = same and existing.party_id == (person.pk if person else None)
        if not same or handler is None or existing.employee_id != handler.pk:
            raise Conflict(
                _(
                    "The platform already reported an interaction with this id, with other "
                    "details: give each interaction its own id."
                ),
                code="interaction.platform_id_reused",
                field="platform_id",
            )
        if opted_out and existing.state == InteractionState.RECORDING:
            interaction_decline(ctx=ctx, interaction_id=existing.pk)
            existing.refresh_from_db()
    return existing, False


def _authenticated_person(id_number: str | None) -> Party | None:
    """The customer who authenticated to the recording platform (BankID, the telephone bank's
    PIN), by the identity number the platform gives; none when they did not."""
    text = (id_number or "").strip()
    if not text:
        return None
    try:
        parsed = idnumbers.parse(text, person_only=True)
    except idnumbers.IdNumberError as error:
        raise ValidationFailed(
            code=error.code, field="authenticated_id_number", message=id_number_message(error)
        ) from error
    person = person_by_id_number(country=parsed.country, id_number=parsed.value)
    if person is None:
        raise ValidationFailed(
            code="interaction.person_unknown",
            field="authenticated_id_number",
            message=_(
                "No customer has this identity number: give it only for a person who "
                "authenticated as a customer."
            ),
        )
    return person


def interaction_file_receive(
    *,
    ctx: AuditContext,
    platform: str,
    platform_id: str,
    content: IO[bytes],
    content_type: str,
) -> tuple[RecordingFile, bool]:
    """The recording platform hands over the file of an interaction it reported, within
    ``rules.FILE_WINDOW`` of its start. Stored as staff store one (a declined recording's file
    is refused before anything is written); the same file again gives the stored one back
    (``False``), another file for a stored recording is a conflict."""
    platform_id = _platform_id(platform_id)
    interaction = (
        Interaction.objects.filter(platform=platform, platform_id=platform_id)
        .select_related("file")
        .first()
    )
    if interaction is None:
        raise NotFound(_("There is no such recording."), code="interaction.not_found")
    stored = RecordingFile.objects.filter(interaction=interaction).first()
    if stored is not None:
        digest = hashlib.sha256()
        for chunk in iter(lambda: content.read(1 << 16), b""):
            digest.update(chunk)
        if digest.hexdigest() != stored.sha256:
            raise Conflict(
                _("The recording's file is already stored, and this is another file."),
                code="interaction.file_stored",
                field="file",
            )
        return stored, False
    if interaction.state == InteractionState.RECORDING:
        try:
            rules.check_file_in_time(interaction.started_at, clock.now())
        except rules.RuleError as error:
            raise _failed(error) from error
    return (
        interaction_store(
            ctx=ctx, interaction_id=interaction.pk, content=content, content_type=content_type
        ),
        True,
    )


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
    orphans = RecordingFile.objects.filter(interaction__isnull=True, export__isnull=True)
    if dry_run:
        return orphans.count()
    # One storage call per file is the storage's own cost; the names are read once.
    rows = list(orphans.values_list("pk", "name"))
    if not rows:
        return 0

    def remove() -> None:
        storage = recordings_storage()
        for pk, name in rows:
            storage.delete(name)
            RecordingFile.objects.filter(
                pk=pk, interaction__isnull=True, export__isnull=True
            ).delete()

    transaction.on_commit(remove)
    return len(rows)


# -- objection to direct marketing -------------------------------------------------------------


def normalise_contact(detail: str) -> str:
    """One form per contact detail: an e-mail address in lower case, a phone number in E.164
    (070-123 45 67 and +46 70 123 45 67 are one number)."""
    detail = (detail or "").strip()
    return detail.lower() if "@" in detail else to_e164(detail)


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
    mine = Q(pk__in=[])
    if party is not None:
        mine |= Q(party=party)
    if contact:
        mine |= Q(contact_detail=contact)
    with transaction.atomic():
        existing = list(Objection.objects.select_for_update().filter(mine).order_by("id")[:2])
        if existing:
            objection = existing[0]
            # One objection covers the person and the address a survey reached them at: the
            # one recorded adds what it lacks, unless another objection already names it.
            widen: dict[str, Any] = {}
            if len(existing) == 1 and party is not None and objection.party_id is None:
                widen["party"] = party
            if len(existing) == 1 and contact and not objection.contact_detail:
                widen["contact_detail"] = contact
            if widen:
                Objection.objects.filter(pk=objection.pk).update(**widen)
                objection.refresh_from_db()
                audit_record(
                    ctx=ctx,
                    action=AuditAction.UPDATE,
                    subject_id=objection.party_id,
                    object_type="objection",
                    object_id=objection.pk,
                    detail={"source": source, "added": sorted(widen)},
                )
                surveys_stop(party=party, contact=contact)
            return objection
        try:
            with transaction.atomic():
                objection = Objection.objects.create(
                    party=party,
                    contact_detail=contact,
                    source=source,
                    received_at=clock.now(),
                    recorded_by=ctx.actor_label or ctx.actor_kind,
                )
        except IntegrityError:
            # Recorded by another hand at the same moment: that one stands.
            return Objection.objects.filter(mine).order_by("id")[0]
        audit_record(
            ctx=ctx,
            action=AuditAction.CREATE,
            subject_id=party.pk if party else None,
            object_type="objection",
            object_id=objection.pk,
            detail={"source": source},
        )
        surveys_stop(party=party, contact=contact)
    return objection


# -- satisfaction surveys ----------------------------------------------------------------------


def _objected(party_id: int | None, contact_key: str) -> Q:
    """Surveys of a person or contact detail that objected (for a set-based UPDATE)."""
    condition = Q(pk__in=[])
    if party_id is not None:
        condition |= Q(party_id=party_id)
    if contact_key:
        condition |= Q(contact_key=contact_key)
    return condition


def surveys_stop(*, party: Party | None, contact: str) -> int:
    """Every queued survey of the person or contact detail stopped, in one statement each."""
    key = normalise_contact(contact)
    if party is None and not key:
        return 0
    stopped = list(
        Survey.objects.filter(
            _objected(party.pk if party else None, key), state=rules.SurveyState.QUEUED
        ).values_list("pk", flat=True)
    )
    if not stopped:
        return 0
    Survey.objects.filter(pk__in=stopped, state=rules.SurveyState.QUEUED).update(
        state=rules.SurveyState.STOPPED
    )
    OutboxMessage.objects.filter(survey_id__in=stopped, state=OutboxState.QUEUED).update(
        state=OutboxState.STOPPED
    )
    return len(stopped)


def _objection_url(response_id: uuid.UUID) -> str:
    return f"{settings.TRYGG_PUBLIC_URL}/contact/objection/link/?t=" + links.objection_token(
        response_id=response_id
    )


def _one_click(survey_id: int | None) -> dict[str, str] | None:
    """The headers of a survey e-mail that let the reader's mail program object in one click
    (RFC 8058: a POST of ``List-Unsubscribe=One-Click`` to the signed link)."""
    if survey_id is None:
        return None
    response_id = Survey.objects.filter(pk=survey_id).values_list("response_id", flat=True)[0]
    return {
        "List-Unsubscribe": f"<{_objection_url(response_id)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _survey_text(survey: Survey, language: str) -> tuple[str, str]:
    answer = f"{settings.TRYGG_PUBLIC_URL}/contact/survey/?t=" + links.answer_token(
        response_id=survey.response_id
    )
    objection = _objection_url(survey.response_id)
    with translation.override(language):
        subject = _("How did we handle your matter?")
        body = _(
            "Hello,\n\n%(controller)s would like to know how satisfied you are with how we "
            "handled your matter %(matter)s. Three questions, one minute:\n%(answer)s\n\n"
            "Surveys like this are direct marketing. To get no more of them:\n%(objection)s\n"
        ) % {
            "controller": survey.controller,
            "matter": survey.matter,
            "answer": answer,
            "objection": objection,
        }
    return str(subject), str(body)


def survey_request(
    *,
    ctx: AuditContext,
    matter: str,
    employee: StaffUser,
    team: str,
    controller: str,
    channel: str,
    contact_detail: str,
    party: Party | None = None,
) -> Survey:
    """Ask how satisfied the person was with a closed matter: by e-mail or SMS, through the
    outbox, or in a phone call (asked at once; the employee then records the answer). Refused
    for a person or contact detail that objected."""
    problems = []
    contact_detail = (contact_detail or "").strip()
    if channel not in rules.SurveyChannel.__members__.values():
        problems.append(("survey.channel", "channel", _("Choose e-mail, SMS or a phone call.")))
    elif channel == rules.SurveyChannel.EMAIL and "@" not in contact_detail:
        problems.append(("survey.email", "contact_detail", _("Give an e-mail address.")))
    elif channel == rules.SurveyChannel.SMS and not re.fullmatch(
        r"\+[1-9]\d{6,14}", to_e164(contact_detail)
    ):
        problems.append(("survey.phone", "contact_detail", _("Give a mobile phone number.")))
    elif channel == rules.SurveyChannel.CALL and not re.fullmatch(
        r"\+[1-9]\d{6,14}", to_e164(contact_detail)
    ):
        problems.append(("survey.phone", "contact_detail", _("Give a phone number.")))
    for value, field, text in (
        (matter, "matter", _("Name the matter.")),
        (team, "team", _("Name the employee's team.")),
        (controller, "controller", _("Name the company that asks.")),
    ):
        if not (value or "").strip():
            problems.append((f"survey.{field}", field, text))
    if problems:
        raise ValidationFailed(
            code=problems[0][0],
            field=problems[0][1],
            message=str(problems[0][2]),
            problems=[FieldProblem(field, code, str(text)) for code, field, text in problems],
        )
    key = normalise_contact(contact_detail)
    with transaction.atomic():
        if selectors.has_objected(party_id=party.pk if party else None, contact=key):
            raise ValidationFailed(
                code="survey.objected",
                field="contact_detail",
                message=_("The person has objected to surveys: none is sent."),
            )
        called = channel == rules.SurveyChannel.CALL
        survey = Survey.objects.create(
            response_id=uuid.uuid4(),
            matter=matter.strip(),
            employee=employee,
            team=team.strip(),
            controller=controller.strip(),
            party=party,
            channel=channel,
            contact_detail=contact_detail,
            contact_key=key,
            created_at=clock.now(),
            # A call asks at once: no message, the employee records the answer given.
            state=rules.SurveyState.SENT if called else rules.SurveyState.QUEUED,
            sent_at=clock.now() if called else None,
        )
        if not called:
            subject, body = _survey_text(survey, party.preferred_language if party else "sv")
            OutboxMessage.objects.create(
                channel=channel,
                recipient=contact_detail if channel == "email" else to_e164(contact_detail),
                subject=subject,
                body=body,
                survey=survey,
                created_at=clock.now(),
            )
        audit_record(
            ctx=ctx,
            action=AuditAction.CREATE,
            subject_id=party.pk if party else None,
            object_type="survey",
            object_id=survey.pk,
            detail={"channel": channel, "matter": survey.matter},
        )
        transaction.on_commit(_enqueue_outbox)
    return survey


# Sent in the transaction that writes a message's final state (sent, or failed after its last
# attempt), with ``message_id``, ``state`` and ``at``: a higher layer that queued the message
# (privacy's notices to recipients) follows it without the outbox knowing that layer.
outbox_settled = Signal()


def outbox_enqueue() -> None:
    """Have the worker send the outbox after the current transaction commits."""
    transaction.on_commit(_enqueue_outbox)


def _enqueue_outbox() -> None:
    from trygg.contact.tasks import send_outbox

    send_outbox.enqueue()


def outbox_send(*, limit: int = 500) -> dict[str, int]:
    """Send what the outbox holds. First, in one statement, stop every queued survey of a person
    or contact detail that has objected (the check at send time); then claim each message with a
    conditional UPDATE, so that two senders never send one message twice."""
    objected_parties = Objection.objects.filter(party__isnull=False).values("party_id")
    objected_contacts = Objection.objects.exclude(contact_detail="").values("contact_detail")
    with transaction.atomic():
        stopped = Survey.objects.filter(
            Q(party_id__in=objected_parties) | Q(contact_key__in=objected_contacts),
            state=rules.SurveyState.QUEUED,
        ).update(state=rules.SurveyState.STOPPED)
        OutboxMessage.objects.filter(
            state=OutboxState.QUEUED, survey__state=rules.SurveyState.STOPPED
        ).update(state=OutboxState.STOPPED)
    counts = {"stopped": stopped, "sent": 0, "failed": 0, "retry": 0}
    queue = list(
        OutboxMessage.objects.filter(state=OutboxState.QUEUED)
        .order_by("id")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in queue:
        if not OutboxMessage.objects.filter(pk=pk, state=OutboxState.QUEUED).update(
            state=OutboxState.SENDING, attempts=F("attempts") + 1
        ):
            continue  # another sender has it
        message = OutboxMessage.objects.get(pk=pk)
        try:
            if message.channel == rules.SurveyChannel.EMAIL:
                provider_id = messaging.send_email(
                    to=message.recipient,
                    subject=message.subject,
                    body=message.body,
                    headers=_one_click(message.survey_id),
                )
            else:
                provider_id = messaging.send_sms(to=message.recipient, body=message.body)
        except messaging.SendFailed as error:
            final = message.attempts >= rules.SEND_ATTEMPTS
            with transaction.atomic():
                OutboxMessage.objects.filter(pk=pk).update(
                    state=OutboxState.FAILED if final else OutboxState.QUEUED,
                    error=str(error)[:300],
                )
                if final and message.survey_id:
                    Survey.objects.filter(
                        pk=message.survey_id, state=rules.SurveyState.QUEUED
                    ).update(state=rules.SurveyState.FAILED)
                if final:
                    outbox_settled.send(
                        OutboxMessage, message_id=pk, state=OutboxState.FAILED, at=clock.now()
                    )
            counts["failed" if final else "retry"] += 1
            continue
        now = clock.now()
        with transaction.atomic():
            OutboxMessage.objects.filter(pk=pk).update(
                state=OutboxState.SENT, sent_at=now, provider_id=provider_id, error=""
            )
            if message.survey_id:
                Survey.objects.filter(pk=message.survey_id, state=rules.SurveyState.QUEUED).update(
                    state=rules.SurveyState.SENT, sent_at=now
                )
            outbox_settled.send(OutboxMessage, message_id=pk, state=OutboxState.SENT, at=now)
        counts["sent"] += 1
    return counts


def survey_answer(
    *,
    ctx: AuditContext,
    response_id: uuid.UUID,
    nps: object,
    satisfaction: object,
    resolved: object,
    free_text: str = "",
) -> Survey:
    """Record the answer, once. A very dissatisfied answer opens a callback task."""
    try:
        checked_nps, checked_satisfaction, checked_resolved = rules.check_answer(
            nps, satisfaction, resolved
        )
    except rules.RuleErrors as errors:
        first = errors.problems[0]
        raise ValidationFailed(
            code=first.code,
            field=first.field,
            message=rule_message(first),
            problems=[FieldProblem(p.field, p.code, rule_message(p)) for p in errors.problems],
        ) from errors
    except rules.RuleError as error:
        raise _failed(error) from error
    with transaction.atomic():
        survey = Survey.objects.filter(response_id=response_id).first()
        if survey is None:
            raise NotFound(_("There is no such survey."), code="survey.not_found")
        try:
            rules.check_survey_move(survey.state, rules.SurveyState.ANSWERED)
        except rules.RuleError as error:
            raise ValidationFailed(
                code="survey.answered" if survey.state == "answered" else error.code,
                field="state",
                message=_("This survey is already answered. Thank you!")
                if survey.state == "answered"
                else _("This survey cannot be answered."),
            ) from error
        now = clock.now()
        changed = Survey.objects.filter(pk=survey.pk, state=rules.SurveyState.SENT).update(
            state=rules.SurveyState.ANSWERED,
            answered_at=now,
            nps=checked_nps,
            satisfaction=checked_satisfaction,
            resolved=checked_resolved,
            free_text=(free_text or "").strip()[:4000],
        )
        if not changed:
            raise ValidationFailed(
                code="survey.answered",
                field="state",
                message=_("This survey is already answered. Thank you!"),
            )
        if checked_satisfaction == rules.VERY_DISSATISFIED:
            CallbackTask.objects.create(survey=survey, opened_at=now)
        audit_record(
            ctx=ctx,
            action=AuditAction.UPDATE,
            subject_id=survey.party_id,
            object_type="survey",
            object_id=survey.pk,
            detail={"answered": True, "callback": checked_satisfaction == 1},
        )
    survey.refresh_from_db()
    return survey


def callback_done(
    *, ctx: AuditContext, callback_id: int, user: StaffUser, outcome: str
) -> CallbackTask:
    """The person was called back after a very dissatisfied answer: what came of it."""
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValidationFailed(
            code="callback.outcome", field="outcome", message=_("Write what came of the call.")
        )
    with transaction.atomic():
        changed = CallbackTask.objects.filter(pk=callback_id, done_at__isnull=True).update(
            done_at=clock.now(), done_by=user, outcome=outcome
        )
        if not changed:
            if not CallbackTask.objects.filter(pk=callback_id).exists():
                raise NotFound(_("There is no such callback."), code="callback.not_found")
            raise ValidationFailed(
                code="callback.done", field="outcome", message=_("This callback is already done.")
            )
        task = CallbackTask.objects.select_related("survey").get(pk=callback_id)
        audit_record(
            ctx=ctx,
            action=AuditAction.UPDATE,
            subject_id=task.survey.party_id,
            object_type="survey-callback",
            object_id=task.pk,
        )
    return task


# -- visitors ----------------------------------------------------------------------------------


def _visit_failed(error: rules.RuleError) -> ValidationFailed:
    problems = error.problems if isinstance(error, rules.RuleErrors) else [error]
    return ValidationFailed(
        code=problems[0].code,
        field=problems[0].field,
        message=rule_message(problems[0]),
        problems=[FieldProblem(p.field, p.code, rule_message(p)) for p in problems],
    )


def visit_sign_in(
    *,
    ctx: AuditContext,
    site_id: int,
    name: str,
    phone: str,
    company: str,
    host: StaffUser | None,
    car: str = "",
) -> Visit:
    """A visitor signs in at the reception; the host is told at once (outbox)."""
    site = Site.objects.filter(pk=site_id).first()
    if site is None:
        raise NotFound(_("There is no such site."), code="site.not_found")
    try:
        clean_name, plate = rules.check_sign_in(
            name=name or "",
            phone=phone or "",
            host_given=host is not None,
            car=car or "",
            parking=site.parking,
        )
    except rules.RuleError as error:
        raise _visit_failed(error) from error
    assert host is not None
    if not host.email:
        raise ValidationFailed(
            code="visit.host_unreachable",
            field="host",
            message=_("The host has no e-mail address to be told: call them, or choose another."),
        )
    now = clock.now()
    with transaction.atomic():
        visit = Visit.objects.create(
            site=site,
            name=clean_name,
            phone=phone.strip(),
            company=(company or "").strip(),
            host=host,
            car=plate,
            visited_on=clock.today(),
            signed_in_at=now,
        )
        OutboxMessage.objects.create(
            channel=rules.SurveyChannel.EMAIL,
            recipient=host.email,
            subject=_("Your visitor has arrived"),
            body=_("%(name)s (%(company)s) is waiting for you at the reception, %(site)s.")
            % {"name": visit.name, "company": visit.company or "-", "site": site.address},
            visit=visit,
            created_at=now,
        )
        audit_record(
            ctx=ctx,
            action=AuditAction.CREATE,
            object_type="visit",
            object_id=visit.pk,
            detail={"site": site.code},
        )
        transaction.on_commit(_enqueue_outbox)
    return visit


def visit_host_coming(*, ctx: AuditContext, visit_id: int) -> Visit:
    """The host is on the way: the visitor is told by SMS (once)."""
    with transaction.atomic():
        if not Visit.objects.filter(
            pk=visit_id, state=rules.VisitState.SIGNED_IN, host_coming_at__isnull=True
        ).update(host_coming_at=clock.now()):
            raise ValidationFailed(
                code="visit.host_coming",
                field="state",
                message=_("The visitor is already told, or has left."),
            )
        visit = Visit.objects.select_related("host").get(pk=visit_id)
        OutboxMessage.objects.create(
            channel=rules.SurveyChannel.SMS,
            recipient=to_e164(visit.phone),
            body=_("%(host)s is on the way to meet you.")
            % {"host": visit.host.get_full_name() or visit.host.get_username()},
            visit=visit,
            created_at=clock.now(),
        )
        audit_record(ctx=ctx, action=AuditAction.UPDATE, object_type="visit", object_id=visit.pk)
        transaction.on_commit(_enqueue_outbox)
    return visit


def visit_card_issue(*, ctx: AuditContext, visit_id: int, card: str) -> Visit:
    card = (card or "").strip()
    if not card:
        raise ValidationFailed(
            code="visit.card", field="card", message=_("Give the visitor card's number.")
        )
    with transaction.atomic():
        if Visit.objects.filter(
            site__visits__pk=visit_id, card=card, state=rules.VisitState.SIGNED_IN
        ).exists():
            raise ValidationFailed(
                code="visit.card_in_use",
                field="card",
                message=_("That card is with another visitor who has not signed out."),
            )
        if not Visit.objects.filter(pk=visit_id, state=rules.VisitState.SIGNED_IN).update(
            card=card, card_issued_at=clock.now()
        ):
            raise ValidationFailed(
                code="visit.signed_out", field="card", message=_("The visitor has left.")
            )
        audit_record(ctx=ctx, action=AuditAction.UPDATE, object_type="visit", object_id=visit_id)
    return Visit.objects.get(pk=visit_id)


def door_passage_record(
    *,
    ctx: AuditContext,
    site_id: int,
    card: str,
    door: str,
    direction: str,
    passed_at: dt.datetime,
) -> tuple[DoorPassage, bool]:
    """The card system reports a door a visitor card passed, in or out: recorded on the visit
    that held the card at that time, once per card, door and time (a repeat gives the recorded
    passage back, ``False``). Unknown when no visitor held the card then (404); refused when its
    holder had signed out by then."""
    try:
        card, door, way = rules.check_passage(
            card=card, door=door, direction=direction, passed_at=passed_at, now=clock.now()
        )
    except rules.RuleError as error:
        raise _failed(error) from error
    with transaction.atomic():
        recorded = DoorPassage.objects.filter(
            visit__site_id=site_id, card=card, door=door, passed_at=passed_at
        ).first()
        if recorded is None:
            holders = Visit.objects.filter(
                site_id=site_id, card=card, card_issued_at__lte=passed_at
            ).order_by("-card_issued_at", "-pk")[:1]
            try:
                visit_id = rules.holding_visit(
                    [
                        (pk, since, left)
                        for pk, since, left in holders.values_list(
                            "pk", "card_issued_at", "signed_out_at"
                        )
                        if since is not None
                    ],
                    passed_at,
                )
            except rules.RuleError as error:
                if error.code == "passage.card_unknown":
                    raise DomainError(
                        code=error.code, message=rule_message(error), field=error.field, status=404
                    ) from error
                raise _failed(error) from error
            try:
                with transaction.atomic():
                    passage = DoorPassage.objects.create(
                        visit_id=visit_id, card=card, door=door, direction=way, passed_at=passed_at
                    )
            except IntegrityError:  # the same passage, at the same moment: that one stands
                recorded = DoorPassage.objects.get(
                    visit_id=visit_id, card=card, door=door, passed_at=passed_at
                )
            else:
                audit_record(
                    ctx=ctx,
                    action=AuditAction.CREATE,
                    object_type="door-passage",
                    object_id=passage.pk,
                    detail={"visit": visit_id, "door": door, "direction": way},
                )
                return passage, True
        if recorded.direction != way:
            raise Conflict(
                _("That card's passage of that door at that time is recorded the other way."),
                code="passage.direction_changed",
                field="direction",
            )
    return recorded, False


@dataclass(frozen=True)
class PassageReport:
    card: str
    door: str
    direction: str
    passed_at: dt.datetime


@dataclass(frozen=True)
class PassageOutcome:
    """What became of one passage of a batch: ``recorded``, ``already-recorded`` or
    ``refused`` (with the rule's code, the field and the message)."""

    outcome: str
    passage_id: int | None = None
    problem: FieldProblem | None = None


PASSAGES_AT_ONCE = 1000


def door_passages_record(
    *, ctx: AuditContext, site: str, passages: list[PassageReport]
) -> list[PassageOutcome]:
    """A batch of passages from the card system of a site: each recorded, found already
    recorded or refused on its own (one bad passage does not stop the others)."""
    found = Site.objects.filter(code=site).first() if site.isprintable() else None
    if found is None:
        raise NotFound(_("There is no such site."), code="site.not_found")
    if not 1 <= len(passages) <= PASSAGES_AT_ONCE:
        raise ValidationFailed(
            code="passage.batch_size",
            field="passages",
            message=_("Send from 1 to %(most)s passages at a time.") % {"most": PASSAGES_AT_ONCE},
        )
    outcomes: list[PassageOutcome] = []
    for report in passages:
        try:
            passage, created = door_passage_record(
                ctx=ctx,
                site_id=found.pk,
                card=report.card,
                door=report.door,
                direction=report.direction,
                passed_at=report.passed_at,
            )
        except DomainError as error:
            outcomes.append(
                PassageOutcome(
                    "refused", problem=FieldProblem(error.field, error.code, error.message)
                )
            )
        else:
            outcomes.append(
                PassageOutcome("recorded" if created else "already-recorded", passage.pk)
            )
    return outcomes


def visit_sign_out(*, ctx: AuditContext, visit_id: int) -> Visit:
    with transaction.atomic():
        visit = Visit.objects.filter(pk=visit_id).first()
        if visit is None:
            raise NotFound(_("There is no such visit."), code="visit.not_found")
        try:
            rules.check_visit_move(visit.state, rules.VisitState.SIGNED_OUT)
        except rules.RuleError as error:
            raise ValidationFailed(
                code=error.code, field="state", message=_("The visitor has already signed out.")
            ) from error
        if not Visit.objects.filter(pk=visit_id, state=rules.VisitState.SIGNED_IN).update(
            state=rules.VisitState.SIGNED_OUT, signed_out_at=clock.now()
        ):
            raise ValidationFailed(
                code="visit.signed_out",
                field="state",
                message=_("The visitor has already signed out."),
            )
        audit_record(ctx=ctx, action=AuditAction.UPDATE, object_type="visit", object_id=visit_id)
    visit.refresh_from_db()
    return visit


def visit_release(
    *,
    ctx: AuditContext,
    site_id: int,
    recipient: str,
    reference: str,
    handed_over: str,
    visit_ids: list[int],
    released_by: StaffUser,
) -> VisitRelease:
    """Record visitors' data handed to the rescue service or an authority."""
    reference, handed_over = (reference or "").strip(), (handed_over or "").strip()
    problems = []
    if recipient not in rules.Recipient.__members__.values():
        problems.append(("visit.recipient", "recipient", _("Choose who receives the data.")))
    if recipient == rules.Recipient.POLICE and not reference:
        problems.append(
            ("visit.reference", "reference", _("Give the authority's reference of the matter."))
        )
    if not handed_over:
        problems.append(("visit.handed_over", "handed_over", _("Say what was handed over.")))
    if problems:
        raise ValidationFailed(
            code=problems[0][0],
            field=problems[0][1],
            message=str(problems[0][2]),
            problems=[FieldProblem(f, c, str(t)) for c, f, t in problems],
        )
    with transaction.atomic():
        visits = list(Visit.objects.filter(site_id=site_id, pk__in=visit_ids))
        release = VisitRelease.objects.create(
            site_id=site_id,
            recipient=recipient,
            reference=reference,
            handed_over=handed_over,
            released_by=released_by,
            released_at=clock.now(),
        )
        ReleasedVisit.objects.bulk_create(ReleasedVisit(release=release, visit=v) for v in visits)
        audit_record(
            ctx=ctx,
            action=AuditAction.EXPORT,
            object_type="visit-release",
            object_id=release.pk,
            detail={"recipient": recipient, "visits": [v.pk for v in visits]},
        )
    return release


# -- camera footage register -------------------------------------------------------------------


def footage_view(
    *,
    ctx: AuditContext,
    site_id: int,
    cameras: str,
    recorded_on: dt.date,
    reason: str,
    viewed_by: StaffUser,
) -> FootageViewing:
    """Footage is viewed only after an incident: record who, when, why, which cameras."""
    reason, cameras = (reason or "").strip(), (cameras or "").strip()
    if not reason:
        raise ValidationFailed(
            code="footage.reason",
            field="reason",
            message=_("Say which incident makes it necessary to view the footage."),
        )
    if not cameras:
        raise ValidationFailed(
            code="footage.cameras", field="cameras", message=_("Say which cameras are viewed.")
        )
    if not Site.objects.filter(pk=site_id).exists():
        raise NotFound(_("There is no such site."), code="site.not_found")
    with transaction.atomic():
        viewing = FootageViewing.objects.create(
            site_id=site_id,
            cameras=cameras,
            recorded_on=recorded_on,
            reason=reason,
            viewed_by=viewed_by,
            viewed_at=clock.now(),
        )
        audit_record(
            ctx=ctx,
            action=AuditAction.READ,
            object_type="footage",
            object_id=viewing.pk,
            detail={"site": site_id, "day": recorded_on.isoformat()},
        )
    return viewing


def footage_export(
    *,
    ctx: AuditContext,
    viewing_id: int,
    police_reference: str,
    content: IO[bytes],
    exported_by: StaffUser,
) -> FootageExport:
    """A copy of the viewed footage for the police: refused without the police's reference."""
    police_reference = (police_reference or "").strip()
    if not police_reference:
        raise ValidationFailed(
            code="footage.police_reference",
            field="police_reference",
            message=_("Footage is exported only to the police, with their reference."),
        )
    viewing = FootageViewing.objects.filter(pk=viewing_id).first()
    if viewing is None:
        raise NotFound(_("There is no such viewing."), code="footage.not_found")
    digest = hashlib.sha256()
    size = 0
    for chunk in iter(lambda: content.read(1 << 16), b""):
        digest.update(chunk)
        size += len(chunk)
    content.seek(0)
    storage = recordings_storage()
    with transaction.atomic():
        now = clock.now()
        export = FootageExport.objects.create(
            viewing=viewing,
            site_id=viewing.site_id,
            recorded_on=viewing.recorded_on,
            police_reference=police_reference,
            exported_by=exported_by,
            exported_at=now,
        )
        name = storage.save(f"footage/{uuid.uuid4().hex}", File(content))
        try:
            RecordingFile.objects.create(
                export=export,
                name=name,
                content_type="video/mp4",
                size=size,
                sha256=digest.hexdigest(),
                stored_at=now,
            )
            CustodyEvent.objects.create(
                export=export,
                action=rules.Custody.EXPORTED,
                by=exported_by.get_username(),
                at=now,
                sha256=digest.hexdigest(),
            )
            audit_record(
                ctx=ctx,
                action=AuditAction.EXPORT,
                object_type="footage-export",
                object_id=export.pk,
                detail={"police_reference": police_reference, "sha256": digest.hexdigest()},
            )
        except BaseException:
            storage.delete(name)
            raise
    return export


def custody_record(
    *, ctx: AuditContext, export_id: int, action: str, by: str, to: str = ""
) -> CustodyEvent:
    """The next link of the chain of custody (handed over, received)."""
    by, to = (by or "").strip(), (to or "").strip()
    if not by or (action == rules.Custody.HANDED_OVER and not to):
        raise ValidationFailed(
            code="custody.who",
            field="to" if by else "by",
            message=_("Say who handed the copy over and to whom."),
        )
    with transaction.atomic():
        export = FootageExport.objects.select_related("file").filter(pk=export_id).first()
        if export is None:
            raise NotFound(_("There is no such export."), code="footage.not_found")
        try:
            rules.check_custody(export.state, action)
        except rules.RuleError as error:
            raise _failed(error) from error
        if not FootageExport.objects.filter(pk=export.pk, state=export.state).update(state=action):
            raise ValidationFailed(
                code="custody.changed",
                field="action",
                message=_("The copy was changed by someone else meanwhile: look at it again."),
            )
        stored = getattr(export, "file", None)
        event = CustodyEvent.objects.create(
            export=export,
            action=action,
            by=by,
            to=to,
            at=clock.now(),
            sha256=stored.sha256 if stored else "",
        )
        audit_record(
            ctx=ctx,
            action=AuditAction.UPDATE,
            object_type="footage-export",
            object_id=export.pk,
            detail={"custody": action},
        )
    return event


# -- support tickets ---------------------------------------------------------------------------


def ticket_open(*, ctx: AuditContext, problem: str, party: Party | None = None) -> SupportTicket:
    problem = (problem or "").strip()
    if not problem:
        raise ValidationFailed(
            code="ticket.problem", field="problem", message=_("Describe the problem.")
        )
    with transaction.atomic():
        ticket = SupportTicket.objects.create(party=party, problem=problem, opened_at=clock.now())
        audit_record(
            ctx=ctx,
            action=AuditAction.CREATE,
            subject_id=party.pk if party else None,
            object_type="ticket",
            object_id=ticket.pk,
        )
    return ticket


def ticket_handler_add(
    *,
    ctx: AuditContext,
    ticket_id: int,
    name: str,
    country: str,
    processor: str = "",
    safeguard: str = "",
) -> TicketHandler:
    """A handler of the ticket; a processor's staff outside the EU/EEA named with the safeguard."""
    if not (name or "").strip():
        raise ValidationFailed(code="ticket.handler", field="name", message=_("Name the handler."))
    try:
        code = rules.check_handler(processor=processor, country=country, safeguard=safeguard)
    except rules.RuleError as error:
        raise _failed(error) from error
    with transaction.atomic():
        ticket = SupportTicket.objects.filter(pk=ticket_id).first()
        if ticket is None:
            raise NotFound(_("There is no such ticket."), code="ticket.not_found")
        handler = TicketHandler.objects.create(
            ticket=ticket,
            name=name.strip(),
            processor=processor.strip(),
            country=code,
            safeguard=safeguard.strip(),
            added_at=clock.now(),
        )
        audit_record(
            ctx=ctx,
            action=AuditAction.UPDATE,
            subject_id=ticket.party_id,
            object_type="ticket",
            object_id=ticket.pk,
            detail={"handler": handler.pk, "country": code},
        )
    return handler


def ticket_move(*, ctx: AuditContext, ticket_id: int, to: str) -> SupportTicket:
    """Close a ticket (its three years start), or reopen it when the problem returns."""
    with transaction.atomic():
        ticket = SupportTicket.objects.filter(pk=ticket_id).first()
        if ticket is None:
            raise NotFound(_("There is no such ticket."), code="ticket.not_found")
        try:
            rules.check_ticket_move(ticket.state, to)
        except rules.RuleError as error:
            raise _failed(error) from error
        closed_at = clock.now() if to == rules.TicketState.CLOSED else None
        if not SupportTicket.objects.filter(pk=ticket.pk, state=ticket.state).update(
            state=to, closed_at=closed_at
        ):
            raise ValidationFailed(
                code="ticket.changed",
                field="state",
                message=_("The ticket was changed by someone else meanwhile."),
            )
        audit_record(
            ctx=ctx,
            action=AuditAction.UPDATE,
            subject_id=ticket.party_id,
            object_type="ticket",
            object_id=ticket.pk,
            detail={"state": to},
        )
    ticket.refresh_from_db()
    return ticket
