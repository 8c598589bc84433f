"""Demo data of contact and premises, through the services and idempotently: a recorded call
for quality and a threat reported to the police, a satisfaction survey sent to the first
customer (its link printed by the development e-mail backend), a support ticket, and two
visitors signed in today at the reception of Telegrafgatan, each with a visitor card."""

from __future__ import annotations

import io
import struct

from django.contrib.auth import get_user_model

from trygg.contact import services
from trygg.contact.models import Interaction, Site, SupportTicket, Survey, Visit
from trygg.kernel import clock
from trygg.kernel.audit import AuditContext
from trygg.parties.models import Party

DEMO_SITE = "telegrafgatan"
DEMO_CARDS = ("B-101", "B-102")


def silent_wav(seconds: float = 1.0, rate: int = 8000) -> bytes:
    """A silent mono 8 kHz 16-bit WAV file: a stand-in for the recording system's audio."""
    frames = int(seconds * rate)
    data = b"\x00\x00" * frames
    header = struct.pack(
        "<4sI4s4sIHHIIHH4sI",
        b"RIFF", 36 + len(data), b"WAVE", b"fmt ", 16, 1, 1, rate, rate * 2, 2, 16, b"data",
        len(data),
    )  # fmt: skip
    return header + data


def load_demo_contact(
    ctx: AuditContext, customer: Party, *, agent_username: str, security_username: str
) -> None:
    users = get_user_model().objects
    agent = users.filter(username=agent_username).first()
    security = users.filter(username=security_username).first()
    if agent is None or security is None:
        return
    if not agent.email:
        agent.email = f"{agent_username}@example.se"
        agent.save(update_fields=["email"])
    if not Interaction.objects.filter(party=customer).exists():
        for purpose, matter in (("quality", "insurance"), ("threat", "other")):
            interaction = services.interaction_start(
                ctx=ctx,
                purpose=purpose,
                channel="phone",
                matter=matter,
                contact_detail="+46 70 123 45 67",
                employee=agent,
                party=customer,
            )
            services.interaction_store(
                ctx=ctx,
                interaction_id=interaction.pk,
                content=io.BytesIO(silent_wav()),
                content_type="audio/wav",
            )
            if purpose == "threat":
                services.interaction_report_to_police(
                    ctx=ctx,
                    interaction_id=interaction.pk,
                    police_reference="5000-K123456-26",
                    reported_by=security,
                    reason="The caller threatened the agent; reported to the police.",
                )
    if not Survey.objects.filter(party=customer).exists():
        services.survey_request(
            ctx=ctx,
            matter="Skada 2026-0042",
            employee=agent,
            team="Kundtjänst Stockholm",
            controller="Länsförsäkringar Stockholm",
            channel="email",
            contact_detail="demo.kund@example.se",
            party=customer,
        )
    if not SupportTicket.objects.filter(party=customer).exists():
        services.ticket_open(
            ctx=ctx, problem="The BankID app does not open from the portal.", party=customer
        )
    site = Site.objects.filter(code=DEMO_SITE).first()
    if site is not None and not Visit.objects.filter(site=site, visited_on=clock.today()).exists():
        for (name, company), card in zip(
            (("Karin Konsult", "Konsultbolaget AB"), ("Erik Elektriker", "")),
            DEMO_CARDS,
            strict=True,
        ):
            visit = services.visit_sign_in(
                ctx=ctx,
                site_id=site.pk,
                name=name,
                phone="070-765 43 21",
                company=company,
                host=agent,
            )
            # The card system reports these cards' passages (trygg run's card system).
            services.visit_card_issue(ctx=ctx, visit_id=visit.pk, card=card)
    services.outbox_send()
