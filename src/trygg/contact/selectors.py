"""Reads of the contact app; a read of a person's data is audited."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber, TruncMonth

from trygg.contact import rules
from trygg.contact.models import DoorPassage, Interaction, Objection, Survey, Visit
from trygg.kernel import clock
from trygg.kernel.audit import AuditContext, audit_record
from trygg.kernel.errors import NotFound
from trygg.kernel.models import AuditAction
from trygg.kernel.statements import PreparedRows, TimeText, time_of
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


class ListedVisit(NamedTuple):
    """A visit as the reception's lists show it, with the last door its card passed (none when
    it has no card or the card has passed no door)."""

    pk: int
    name: str
    company: str
    phone: str
    host: str  # the host's full name, or their user name when they have none
    signed_in_at: dt.datetime
    card: str
    car: str
    host_coming_at: dt.datetime | None
    last_door: str | None
    last_direction: str | None
    last_passed_at: dt.datetime | None


# Who is signed in at a site on a day, with the host's names: the columns the lists show (the
# times as text, which costs a tenth of Django's reading of them).
_SIGNED_IN = PreparedRows(
    lambda site_id, day: (
        Visit.objects.filter(site_id=site_id, visited_on=day, state="signed-in")
        .annotate(signed_in=TimeText("signed_in_at"), coming=TimeText("host_coming_at"))
        .order_by("name", "id")
        .values_list(
            "pk",
            "name",
            "company",
            "phone",
            "host__first_name",
            "host__last_name",
            "host__username",
            "signed_in",
            "card",
            "car",
            "coming",
        )
    )
)
# The last passage of the card of each of them (the latest time; of two at once, the later
# recorded), ranked in the database: one row per visit whose card has passed a door.
_LAST_PASSAGES = PreparedRows(
    lambda site_id, day: (
        DoorPassage.objects.filter(
            visit__site_id=site_id, visit__visited_on=day, visit__state="signed-in"
        )
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("visit_id"),
                order_by=(F("passed_at").desc(), F("pk").desc()),
            ),
            passed=TimeText("passed_at"),
        )
        .filter(rank=1)
        .order_by()
        .values_list("visit_id", "door", "direction", "passed")
    )
)
_NO_PASSAGE = (None, None, None)


def reception_list(
    *, ctx: AuditContext, site_id: int
) -> tuple[list[ListedVisit], list[ListedVisit]]:
    """Who is signed in at the site today and not signed out, each with the last door their
    card passed: those inside now, and those whose card last went out (left without signing
    out). Two statements, each compiled once: the visits' shown columns (no model instances),
    and the last passage of each of their cards; then one pass splits them by the rule."""
    today = clock.today()
    last = {
        visit: (door, way, time_of(at)) for visit, door, way, at in _LAST_PASSAGES(site_id, today)
    }
    inside: list[ListedVisit] = []
    left: list[ListedVisit] = []
    for row in _SIGNED_IN(site_id, today):
        pk, name, company, phone, first, surname, username, signed_in, card, car, coming = row
        door, way, at = last.get(pk, _NO_PASSAGE)
        visit = ListedVisit(
            pk,
            name,
            company,
            phone,
            f"{first} {surname}".strip() or username,
            dt.datetime.fromisoformat(signed_in),
            card,
            car,
            time_of(coming),
            door,
            way,
            at,
        )
        (inside if rules.is_inside(way) else left).append(visit)
    audit_record(
        ctx=ctx,
        action=AuditAction.READ,
        object_type="evacuation-list",
        object_id=site_id,
        detail={"visits": len(inside) + len(left)},
    )
    return inside, left


def evacuation_list(*, ctx: AuditContext, site_id: int) -> list[ListedVisit]:
    """Everyone inside the site now: signed in today, not signed out, and not gone out through
    a door by their card's last passage."""
    return reception_list(ctx=ctx, site_id=site_id)[0]
