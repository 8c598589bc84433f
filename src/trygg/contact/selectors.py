"""Reads of the contact app; a read of a person's data is audited."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import TruncMonth

from trygg.contact import rules
from trygg.contact.models import DoorPassage, Interaction, Objection, Survey, Visit
from trygg.kernel import clock
from trygg.kernel.audit import AuditContext, audit_record
from trygg.kernel.errors import NotFound
from trygg.kernel.models import AuditAction
from trygg.parties.models import Party


def interaction_get(*, ctx: AuditContext, interaction_id: int) -> Interaction:
    interaction = (
        Interaction.objects.select_related("party", "employee", "file")
        .filter(pk=interaction_id)
        .first()
    )
    if interaction is None:
        raise NotFound("There is no such recording.", code="interaction.not_found")
    audit_record(
        ctx=ctx,
        action=AuditAction.READ,
        subject_id=interaction.party_id,
        object_type="interaction",
        object_id=interaction.pk,
    )
    return interaction


def objection_of(*, ctx: AuditContext, party: Party) -> Objection | None:
    """The person's objection to direct marketing, if any (My pages)."""
    objection = Objection.objects.filter(party=party).first()
    audit_record(
        ctx=ctx,
        action=AuditAction.READ,
        subject_id=party.pk,
        object_type="objection",
        object_id=objection.pk if objection else None,
    )
    return objection


def has_objected(*, party_id: int | None, contact: str) -> bool:
    """Whether a person or contact detail objected (no audit: a check, not a read of data)."""
    found: QuerySet[Objection] = Objection.objects.none()
    if party_id is not None:
        found = found | Objection.objects.filter(party_id=party_id)
    if contact:
        found = found | Objection.objects.filter(contact_detail=contact)
    return found.exists()


@dataclass(frozen=True)
class SurveyFigures:
    team: str
    month: str  # YYYY-MM
    answers: int
    nps: int | None
    satisfaction_tenths: int  # the average satisfaction (1-5) in tenths, rounded half up
    resolved: int

    @property
    def satisfaction(self) -> str:
        return f"{self.satisfaction_tenths // 10},{self.satisfaction_tenths % 10}"


def survey_statistics() -> list[SurveyFigures]:
    """Answers per team and month (of the answer, business time zone): count, net promoter
    score, average satisfaction, matters resolved; one grouped query, no person in it."""
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    rows = (
        Survey.objects.filter(state="answered")
        .annotate(month=TruncMonth("answered_at", tzinfo=tz))
        .values("team", "month")
        .annotate(
            answers=Count("id"),
            promoters=Count("id", filter=Q(nps__gte=9)),
            detractors=Count("id", filter=Q(nps__lte=6)),
            satisfaction_sum=Sum("satisfaction"),
            resolved_count=Count("id", filter=Q(resolved=True)),
        )
        .order_by("-month", "team")
    )
    return [
        SurveyFigures(
            team=row["team"],
            month=f"{row['month']:%Y-%m}",
            answers=row["answers"],
            nps=rules.net_promoter_score(row["promoters"], row["detractors"], row["answers"]),
            satisfaction_tenths=(20 * row["satisfaction_sum"] + row["answers"])
            // (2 * row["answers"]),
            resolved=row["resolved_count"],
        )
        for row in rows
    ]


def reception_list(*, ctx: AuditContext, site_id: int) -> tuple[list[Visit], list[Visit]]:
    """Who is signed in at the site today and not signed out, each with the last door their
    card passed (``last_door``, ``last_direction``, ``last_passed_at``): those inside now, and
    those whose card last went out (left without signing out). Two queries: the visits, and
    their hosts, each host built once however many visitors it has (a join would build one per
    visit)."""
    latest = DoorPassage.objects.filter(visit=OuterRef("pk")).order_by("-passed_at", "-pk")
    visits: list[Visit] = list(
        Visit.objects.filter(site_id=site_id, visited_on=clock.today(), state="signed-in")
        .prefetch_related("host")
        .annotate(
            last_door=Subquery(latest.values("door")[:1]),
            last_direction=Subquery(latest.values("direction")[:1]),
            last_passed_at=Subquery(latest.values("passed_at")[:1]),
        )
        .order_by("name", "id")
    )
    audit_record(
        ctx=ctx,
        action=AuditAction.READ,
        object_type="evacuation-list",
        object_id=site_id,
        detail={"visits": len(visits)},
    )
    inside: list[Visit] = []
    left: list[Visit] = []
    for visit in visits:
        (inside if rules.is_inside(getattr(visit, "last_direction", None)) else left).append(visit)
    return inside, left


def evacuation_list(*, ctx: AuditContext, site_id: int) -> list[Visit]:
    """Everyone inside the site now: signed in today, not signed out, and not gone out through
    a door by their card's last passage."""
    return reception_list(ctx=ctx, site_id=site_id)[0]
