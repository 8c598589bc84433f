"""The intake of the contact records from the outside systems of seed 003 (decision 0095).

- The call-recording platform (the contact centre's) reports each interaction it records, with
  the purpose, the channel, the contact detail used, the employee, the kind of matter and whether
  the person said no, then uploads the file (multipart). It authenticates with its key in
  ``X-Recording-Key`` (``TRYGG_RECORDING_KEYS``) and names each interaction by its own id: a
  retried call creates nothing new.
- The door card system posts the passages of the visitor cards of a site in batches, each
  recorded on the visit that held the card at that time, or refused on its own. It
  authenticates with its key in ``X-Card-System-Key`` (``TRYGG_CARD_SYSTEM_KEYS``); a passage
  is recorded once per card, door and time.

Every write is audited with the platform's name; errors are problem+json naming the field."""

from __future__ import annotations

import datetime as dt
from typing import IO, cast

from django.http import HttpRequest
from django.utils.translation import gettext_lazy
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import AwareDatetime, Field

from trygg.contact import services
from trygg.contact.models import Interaction, RecordingFile
from trygg.identity.actors import client_ip
from trygg.identity.auth import Platform, PlatformKeyAuth
from trygg.kernel.audit import AuditContext
from trygg.kernel.models import AuditChannel

RECORDING_PLATFORM = Platform(
    setting="TRYGG_RECORDING_KEYS",
    header="X-Recording-Key",
    code="recording.unauthenticated",
    refusal=gettext_lazy(
        "Recorded interactions are taken only from the recording platform: send its key in the "
        "X-Recording-Key header."
    ),
)
CARD_SYSTEM = Platform(
    setting="TRYGG_CARD_SYSTEM_KEYS",
    header="X-Card-System-Key",
    code="card_system.unauthenticated",
    refusal=gettext_lazy(
        "Door passages are taken only from the door card system: send its key in the "
        "X-Card-System-Key header."
    ),
)


class RecordingPlatformAuth(PlatformKeyAuth):
    """The recording platform's key in ``X-Recording-Key``."""

    def __init__(self) -> None:
        super().__init__(RECORDING_PLATFORM)


class CardSystemAuth(PlatformKeyAuth):
    """The door card system's key in ``X-Card-System-Key``."""

    def __init__(self) -> None:
        super().__init__(CARD_SYSTEM)


recordings = Router(tags=["recording platform"], auth=RecordingPlatformAuth())
doors = Router(tags=["door card system"], auth=CardSystemAuth())
router = Router()
router.add_router("", recordings)
router.add_router("", doors)


def _ctx(request: HttpRequest, kind: str) -> tuple[AuditContext, str]:
    platform = str(getattr(request, "platform", ""))
    return (
        AuditContext(
            actor_kind="system",
            actor_id=platform,
            actor_label=f"{kind} {platform}",
            channel=AuditChannel.API,
            ip=client_ip(request),
        ),
        platform,
    )


class InteractionIn(Schema):
    platform_id: str = Field(max_length=100, description="The platform's own id of the interaction")
    purpose: str = Field(
        max_length=8, description="threat (a perceived threat) or quality (quality and training)"
    )
    channel: str = Field(max_length=8, description="phone, video, email or chat")
    matter: str = Field(max_length=16, description="banking, insurance or other")
    contact_detail: str = Field(
        max_length=200, description="The phone number, e-mail address or chat alias used"
    )
    employee: str = Field(max_length=150, description="The user name of the employee")
    opted_out: bool = Field(
        False, description="The person said no to a quality recording: its file is never kept"
    )
    started_at: AwareDatetime = Field(description="When the interaction started, with its offset")
    authenticated_id_number: str = Field(
        "",
        max_length=20,
        description="The person's identity number, only when they authenticated to the "
        "platform (BankID, the telephone bank's PIN) as a customer; empty otherwise",
    )


class InteractionOut(Schema):
    interaction_id: int
    platform_id: str
    state: str
    controller: str
    started_at: dt.datetime


class FileOut(Schema):
    interaction_id: int
    state: str
    size: int
    sha256: str


def _interaction_out(interaction: Interaction) -> InteractionOut:
    return InteractionOut(
        interaction_id=interaction.pk,
        platform_id=interaction.platform_id,
        state=interaction.state,
        controller=interaction.controller,
        started_at=interaction.started_at,
    )


@recordings.post(
    "/recordings/interactions",
    response={200: InteractionOut, 201: InteractionOut},
    summary="Report a recorded interaction",
)
def interaction_report(request: HttpRequest, payload: InteractionIn) -> Status[InteractionOut]:
    """The recording platform reports an interaction it records. 201 when it is new; 200 with
    the same interaction when the platform's id was reported before (a retry creates nothing;
    a retry saying the person said no declines it). A quality recording the person said no to
    is kept without its contact detail, and its file is refused."""
    ctx, platform = _ctx(request, "recording platform")
    interaction, created = services.interaction_receive(
        ctx=ctx, platform=platform, **payload.dict()
    )
    return Status(201 if created else 200, _interaction_out(interaction))


@recordings.post(
    "/recordings/interactions/{platform_id}/file",
    response={200: FileOut, 201: FileOut},
    summary="Upload the recording's file",
)
def interaction_file(
    request: HttpRequest, platform_id: str, file: File[UploadedFile]
) -> Status[FileOut]:
    """The file (audio, video or document) of an interaction the platform reported, as the
    multipart field ``file``, within 24 hours of the interaction's start. 201 when stored; 200
    when the same file was stored before. Refused, with nothing written: a recording the person
    said no to (422), an unknown interaction (404), a file too late (422), another file for a
    stored recording (409)."""
    ctx, platform = _ctx(request, "recording platform")
    stored, created = services.interaction_file_receive(
        ctx=ctx,
        platform=platform,
        platform_id=platform_id,
        content=cast("IO[bytes]", file),
        content_type=file.content_type or "",
    )
    return Status(201 if created else 200, _file_out(stored))


def _file_out(stored: RecordingFile) -> FileOut:
    interaction = stored.interaction
    return FileOut(
        interaction_id=stored.interaction_id or 0,
        state=interaction.state if interaction is not None else "",
        size=stored.size,
        sha256=stored.sha256,
    )


class PassageIn(Schema):
    card: str = Field(max_length=40, description="The visitor card's number")
    door: str = Field(max_length=100, description="The door, as the card system names it")
    direction: str = Field(max_length=3, description="in (into the premises) or out")
    passed_at: AwareDatetime = Field(description="When the card passed, with its offset")


class PassagesIn(Schema):
    site: str = Field(max_length=40, description="The site's code, e.g. tegeluddsvagen")
    passages: list[PassageIn] = Field(max_length=services.PASSAGES_AT_ONCE)


class PassageProblem(Schema):
    field: str | None
    code: str
    detail: str


class PassageOut(Schema):
    index: int = Field(description="The passage's place in the batch, from 0")
    outcome: str = Field(description="recorded, already-recorded or refused")
    passage_id: int | None
    problem: PassageProblem | None


class PassagesOut(Schema):
    recorded: int
    already_recorded: int
    refused: int
    passages: list[PassageOut]


@doors.post("/door-passages", response=PassagesOut, summary="Report door passages")
def door_passages(request: HttpRequest, payload: PassagesIn) -> PassagesOut:
    """A batch of the passages of a site's visitor cards. Each is recorded on the visit that
    held the card at that time, or found recorded before (the same card, door and time), or
    refused on its own with the rule that refused it: an unknown card
    (``passage.card_unknown``), a card whose visitor had signed out (``passage.signed_out``), a
    time in the future. One refused passage does not stop the others."""
    ctx, _platform = _ctx(request, "door card system")
    outcomes = services.door_passages_record(
        ctx=ctx,
        site=payload.site,
        passages=[
            services.PassageReport(p.card, p.door, p.direction, p.passed_at)
            for p in payload.passages
        ],
    )
    counts = {"recorded": 0, "already-recorded": 0, "refused": 0}
    for outcome in outcomes:
        counts[outcome.outcome] += 1
    return PassagesOut(
        recorded=counts["recorded"],
        already_recorded=counts["already-recorded"],
        refused=counts["refused"],
        passages=[
            PassageOut(
                index=index,
                outcome=outcome.outcome,
                passage_id=outcome.passage_id,
                problem=PassageProblem(
                    field=outcome.problem.field,
                    code=outcome.problem.code,
                    detail=str(outcome.problem.message),
                )
                if outcome.problem
                else None,
            )
            for index, outcome in enumerate(outcomes)
        ],
    )
