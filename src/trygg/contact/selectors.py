"""Reads of the contact app; a read of a person's data is audited."""

from __future__ import annotations

from django.db.models import QuerySet

from trygg.contact.models import Interaction, Objection
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
