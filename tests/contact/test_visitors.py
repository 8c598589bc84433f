"""Visitors (seed 003): signed in with a host (required), the host told, the visitor told the
host is coming, a visitor card with its door passages, the car kept only where the site has
parking, the evacuation list of who is inside now, visitors gone after 1 day or 30 days by their
site's rule, releases to the rescue service or the police recorded."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail

from tests.contact.conftest import staff, staff_client
from trygg.contact import selectors, services
from trygg.contact.models import DoorPassage, OutboxMessage, ReleasedVisit, Site, Visit
from trygg.identity.models import StaffUser
from trygg.kernel import clock
from trygg.kernel.audit import SYSTEM
from trygg.kernel.errors import ValidationFailed
from trygg.privacy.services import retention_run

D = dt.date


@pytest.fixture
def host(db: Any) -> StaffUser:
    user = staff("host.hanna")
    user.email, user.first_name, user.last_name = "hanna@example.se", "Hanna", "Värd"
    user.save()
    return user


def site(code: str) -> Site:
    return Site.objects.get(code=code)


def sign_in(host: StaffUser | None, where: str = "telegrafgatan", **kwargs: Any) -> Visit:
    values = {"name": "Kalle Besök", "phone": "070-1234567", "company": "Bygg AB", "car": ""}
    return services.visit_sign_in(
        ctx=SYSTEM, site_id=site(where).pk, host=host, **{**values, **kwargs}
    )


def test_signed_in_the_host_told_and_the_visitor_told_the_host_is_coming(
    host: StaffUser, settings: Any
) -> None:
    visit = sign_in(host)
    services.outbox_send()
    (to_host,) = mail.outbox
    assert to_host.to == ["hanna@example.se"]
    assert "Kalle Besök" in to_host.body and "Telegrafgatan 8A" in to_host.body
    services.visit_host_coming(ctx=SYSTEM, visit_id=visit.pk)
    sms = OutboxMessage.objects.get(visit=visit, channel="sms")
    assert sms.recipient == "+46701234567" and "Hanna Värd" in sms.body
    with pytest.raises(ValidationFailed):
        services.visit_host_coming(ctx=SYSTEM, visit_id=visit.pk)  # told once


def test_a_visitor_without_a_host_is_refused(db: Any) -> None:
    with pytest.raises(ValidationFailed) as error:
        sign_in(None, name="")
    assert {p.field for p in error.value.problems} == {"host", "name"}
    assert not Visit.objects.exists() and not OutboxMessage.objects.exists()


def test_the_car_is_kept_only_where_the_site_has_parking(host: StaffUser) -> None:
    with pytest.raises(ValidationFailed) as error:
        sign_in(host, "telegrafgatan", car="ABC 123")
    assert error.value.field == "car"
    visit = sign_in(host, "tegeluddsvagen", car="abc 12d")
    assert visit.car == "ABC12D"
    with pytest.raises(ValidationFailed):
        sign_in(host, "tegeluddsvagen", car="ABCD 1")


def test_a_card_records_the_doors_it_passes(host: StaffUser) -> None:
    visit = sign_in(host)
    services.visit_card_issue(ctx=SYSTEM, visit_id=visit.pk, card="B-17")
    other = sign_in(host, name="Lisa")
    with pytest.raises(ValidationFailed) as error:
        services.visit_card_issue(ctx=SYSTEM, visit_id=other.pk, card="B-17")
    assert error.value.code == "visit.card_in_use"
    at = clock.now()
    services.door_passage_record(
        ctx=SYSTEM, site_id=visit.site_id, card="B-17", door="Plan 3", direction="in", passed_at=at
    )
    assert [p.door for p in DoorPassage.objects.filter(visit=visit)] == ["Plan 3"]


def test_the_evacuation_list_is_who_is_inside_now(host: StaffUser, frozen: Any) -> None:
    kalle = sign_in(host)
    lisa = sign_in(host, name="Lisa Lund")
    sign_in(host, "humlegardsgatan", name="Elsewhere")
    services.visit_sign_out(ctx=SYSTEM, visit_id=kalle.pk)
    inside = selectors.evacuation_list(ctx=SYSTEM, site_id=site("telegrafgatan").pk)
    assert [v.pk for v in inside] == [lisa.pk]
    with pytest.raises(ValidationFailed):
        services.visit_sign_out(ctx=SYSTEM, visit_id=kalle.pk)


def test_the_lists_show_each_visit_as_it_is_held(host: StaffUser, frozen: Any) -> None:
    frozen(dt.timedelta(seconds=1, microseconds=250))
    kalle = sign_in(host, "tegeluddsvagen", car="ABC123")
    nameless = staff("host.utan.namn")
    nameless.email = "utan@example.se"
    nameless.save()
    lisa = sign_in(nameless, "tegeluddsvagen", name="Lisa Lund", company="")
    services.visit_card_issue(ctx=SYSTEM, visit_id=kalle.pk, card="B-17")
    services.visit_card_issue(ctx=SYSTEM, visit_id=lisa.pk, card="B-18")
    services.visit_host_coming(ctx=SYSTEM, visit_id=kalle.pk)
    frozen(dt.timedelta(minutes=5))
    at = clock.now() - dt.timedelta(microseconds=500)
    for card, door, way in (("B-17", "Plan 3", "in"), ("B-18", "Garage", "out")):
        services.door_passage_record(
            ctx=SYSTEM, site_id=kalle.site_id, card=card, door=door, direction=way, passed_at=at
        )
    inside, left = selectors.reception_list(ctx=SYSTEM, site_id=kalle.site_id)
    kalle.refresh_from_db()
    lisa.refresh_from_db()
    (listed,) = inside
    assert listed.pk == kalle.pk and listed.host == "Hanna Värd" and listed.car == "ABC123"
    assert (listed.name, listed.company, listed.phone, listed.card) == (
        kalle.name,
        kalle.company,
        kalle.phone,
        "B-17",
    )
    assert listed.signed_in_at == kalle.signed_in_at and listed.signed_in_at.microsecond == 250
    assert listed.host_coming_at == kalle.host_coming_at is not None
    assert (listed.last_door, listed.last_direction, listed.last_passed_at) == ("Plan 3", "in", at)
    (gone,) = left
    assert gone.pk == lisa.pk and gone.host == "host.utan.namn" and gone.host_coming_at is None
    assert (gone.last_door, gone.last_direction, gone.last_passed_at) == ("Garage", "out", at)


@pytest.mark.parametrize(
    ("where", "kept_until", "gone_on"),
    [
        # "1 dag från dagen för besöket": a visit on 22 November is gone in the run of the 23rd.
        ("telegrafgatan", D(2026, 11, 22), D(2026, 11, 23)),
        # Tegeluddsvägen: 30 days.
        ("tegeluddsvagen", D(2026, 12, 21), D(2026, 12, 22)),
    ],
)
def test_visitors_gone_by_their_sites_rule(
    host: StaffUser, frozen: Any, where: str, kept_until: D, gone_on: D
) -> None:
    visit = sign_in(host, where)
    services.visit_card_issue(ctx=SYSTEM, visit_id=visit.pk, card="B-1")
    services.door_passage_record(
        ctx=SYSTEM,
        site_id=visit.site_id,
        card="B-1",
        door="Entré",
        direction="in",
        passed_at=clock.now(),
    )
    officer = staff("sakerhet.sven", "security_officer")
    services.visit_release(
        ctx=SYSTEM,
        site_id=visit.site_id,
        recipient="rescue-service",
        reference="",
        handed_over="The evacuation list at the fire alarm 10:02.",
        visit_ids=[visit.pk],
        released_by=officer,
    )

    def run(on: D) -> None:
        with clock.business_date(on):
            retention_run(ctx=SYSTEM, on=on)

    run(kept_until)
    assert Visit.objects.filter(pk=visit.pk).exists()
    run(gone_on)
    assert not Visit.objects.filter(pk=visit.pk).exists()
    assert not DoorPassage.objects.exists() and not ReleasedVisit.objects.exists()
    assert not OutboxMessage.objects.filter(visit_id=visit.pk).exists()


def test_a_release_to_the_police_needs_their_reference(host: StaffUser) -> None:
    visit = sign_in(host)
    officer = staff("sakerhet.sven", "security_officer")
    with pytest.raises(ValidationFailed) as error:
        services.visit_release(
            ctx=SYSTEM,
            site_id=visit.site_id,
            recipient="police",
            reference="",
            handed_over="The visit.",
            visit_ids=[visit.pk],
            released_by=officer,
        )
    assert error.value.field == "reference"
    release = services.visit_release(
        ctx=SYSTEM,
        site_id=visit.site_id,
        recipient="police",
        reference="5000-K123-26",
        handed_over="Name, phone and door passages of the visit.",
        visit_ids=[visit.pk],
        released_by=officer,
    )
    assert list(release.visits.values_list("visit_id", flat=True)) == [visit.pk]


def test_the_reception_desk(host: StaffUser) -> None:
    desk = staff_client(staff("reception.rita", "reception"))
    url = f"/backoffice/contact/visit/reception/{site('tegeluddsvagen').pk}/"
    assert desk.get(url).status_code == 200
    refused = desk.post(url, {"sign_in": "1", "name": "Kalle", "phone": "0701234567"})
    assert refused.status_code == 200 and "host" in refused.content.decode()
    assert not Visit.objects.exists()
    done = desk.post(
        url,
        {
            "sign_in": "1",
            "name": "Kalle Besök",
            "phone": "0701234567",
            "company": "Bygg AB",
            "host": host.pk,
            "car": "ABC123",
        },
    )
    assert done.status_code == 302
    page = desk.get(url).content.decode()
    assert "Kalle Besök" in page and "ABC123" in page and "Inside now: 1 visitor" in page
    visit = Visit.objects.get()
    desk.post(url, {"sign_out": visit.pk})
    assert "Nobody is signed in" in desk.get(url).content.decode()
    assert staff_client(staff("other", "customer_service")).get(url).status_code == 403
