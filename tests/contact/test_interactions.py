"""Recorded interactions: stored in the storage "recordings", kept 30 days by the retention run
(file and row), a threat under a police hold kept until the privacy officer lifts it, a quality
recording the person refused never stored, a recording without a purpose refused, releases to
the police and reviews recorded."""

from __future__ import annotations

import datetime as dt
import io
import random
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Customer
from tests.contact.conftest import at, files_in, staff, staff_client
from trygg.contact import services
from trygg.contact.models import (
    Interaction,
    PoliceRelease,
    PoliceReport,
    RecordingFile,
    Review,
    Site,
)
from trygg.identity.models import StaffUser
from trygg.kernel import clock
from trygg.kernel.audit import SYSTEM, AuditContext
from trygg.kernel.errors import ValidationFailed
from trygg.kernel.models import AuditEvent
from trygg.privacy.models import HoldState, LegalHold, RetentionRun
from trygg.privacy.services import hold_lift, retention_run

D = dt.date
DPO = AuditContext(actor_kind="staff", actor_id="9", actor_label="dpo", channel="back-office")
NOVEMBER_1 = D(2026, 11, 1)
AUDIO = b"RIFF....WAVEfmt " + bytes(range(256)) * 8


@pytest.fixture
def agent(db: Any) -> StaffUser:
    return staff("kundtjanst.anna", "customer_service")


def recorded(
    agent: StaffUser,
    purpose: str = "quality",
    *,
    day: D = NOVEMBER_1,
    matter: str = "insurance",
    party: Any = None,
) -> Interaction:
    interaction = services.interaction_start(
        ctx=SYSTEM,
        purpose=purpose,
        channel="phone",
        matter=matter,
        contact_detail="+46 70 123 45 67",
        employee=agent,
        party=party,
        started_at=at(day),
    )
    services.interaction_store(
        ctx=SYSTEM,
        interaction_id=interaction.pk,
        content=io.BytesIO(AUDIO),
        content_type="audio/wav",
    )
    interaction.refresh_from_db()
    return interaction


def run(on: D, capture: Any) -> RetentionRun:
    with clock.business_date(on), capture(execute=True):
        return retention_run(ctx=SYSTEM, on=on)


def test_the_file_is_in_storage_with_its_checksum(agent: StaffUser, recordings_dir: Path) -> None:
    interaction = recorded(agent)
    stored = RecordingFile.objects.get(interaction=interaction)
    (path,) = files_in(recordings_dir)
    assert path.read_bytes() == AUDIO
    assert stored.size == len(AUDIO) and len(stored.sha256) == 64
    assert interaction.state == "stored"
    assert interaction.controller == "Länsförsäkringar Stockholm"


def test_a_banking_matter_has_the_bank_as_controller(agent: StaffUser) -> None:
    interaction = recorded(agent, matter="banking")
    assert interaction.controller == "Länsförsäkringar Bank AB (publ)"


@pytest.mark.parametrize("purpose", ["quality", "threat"])
def test_kept_30_days_then_row_and_file_gone(
    agent: StaffUser,
    recordings_dir: Path,
    purpose: str,
    django_capture_on_commit_callbacks: Any,
) -> None:
    interaction = recorded(agent, purpose, day=D(2026, 11, 1))
    rule = f"recording-{purpose}"

    report = run(D(2026, 11, 30), django_capture_on_commit_callbacks)
    assert Interaction.objects.filter(pk=interaction.pk).exists()
    assert report.counts[rule]["contact.Interaction"] == 0
    assert len(files_in(recordings_dir)) == 1

    report = run(D(2026, 12, 1), django_capture_on_commit_callbacks)
    assert not Interaction.objects.filter(pk=interaction.pk).exists()
    assert report.counts[rule]["contact.Interaction"] == 1
    assert files_in(recordings_dir) == []
    assert not RecordingFile.objects.exists()


def test_a_threat_reported_to_the_police_is_held_until_the_hold_is_lifted(
    agent: StaffUser,
    customer: Customer,
    recordings_dir: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    officer = staff("sakerhet.sven", "security_officer")
    threat = recorded(agent, "threat", day=D(2026, 11, 1), party=customer.party)
    report = services.interaction_report_to_police(
        ctx=SYSTEM,
        interaction_id=threat.pk,
        police_reference="K-12345-26",
        reported_by=officer,
    )
    hold = LegalHold.objects.get(pk=report.hold_id)
    assert hold.state == HoldState.ACTIVE and hold.kind == "police-report"
    assert (hold.model, hold.object_id, hold.rule) == (
        "contact.Interaction",
        str(threat.pk),
        "recording-threat",
    )
    assert hold.reference == "K-12345-26"

    # Months past its 30 days: kept, and counted as held.
    kept = run(D(2027, 3, 1), django_capture_on_commit_callbacks)
    assert Interaction.objects.filter(pk=threat.pk, state="reported").exists()
    assert kept.held["recording-threat"] == {"contact.Interaction": 1}
    assert len(files_in(recordings_dir)) == 1

    hold_lift(ctx=DPO, hold_id=hold.pk, reason="The prosecutor closed the case.")
    run(D(2027, 3, 2), django_capture_on_commit_callbacks)
    assert not Interaction.objects.filter(pk=threat.pk).exists()
    assert not PoliceReport.objects.exists()
    assert files_in(recordings_dir) == []


def test_a_quality_recording_refused_is_never_stored(
    agent: StaffUser, recordings_dir: Path, tmp_path: Path
) -> None:
    interaction = services.interaction_start(
        ctx=SYSTEM,
        purpose="quality",
        channel="video",
        matter="insurance",
        contact_detail="anna@example.se",
        employee=agent,
    )
    services.interaction_decline(ctx=SYSTEM, interaction_id=interaction.pk)
    with pytest.raises(ValidationFailed) as error:
        services.interaction_store(
            ctx=SYSTEM,
            interaction_id=interaction.pk,
            content=io.BytesIO(AUDIO),
            content_type="video/mp4",
        )
    assert error.value.field == "state"
    interaction.refresh_from_db()
    assert interaction.state == "declined"
    assert interaction.contact_detail == "" and interaction.party_id is None
    assert not RecordingFile.objects.exists()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []  # no file anywhere


def test_a_threat_cannot_be_declined(agent: StaffUser) -> None:
    interaction = services.interaction_start(
        ctx=SYSTEM,
        purpose="threat",
        channel="phone",
        matter="other",
        contact_detail="+46701234567",
        employee=agent,
    )
    with pytest.raises(ValidationFailed) as error:
        services.interaction_decline(ctx=SYSTEM, interaction_id=interaction.pk)
    assert error.value.code == "interaction.declined_needs_quality"
    assert "quality" in error.value.message


@pytest.mark.parametrize("purpose", [None, "", "sales"])
def test_a_recording_without_a_purpose_is_refused(agent: StaffUser, purpose: Any) -> None:
    with pytest.raises(ValidationFailed) as error:
        services.interaction_start(
            ctx=SYSTEM,
            purpose=purpose,
            channel="phone",
            matter="other",
            contact_detail="+46701234567",
            employee=agent,
        )
    assert error.value.field == "purpose"
    assert not Interaction.objects.exists()


def test_a_file_is_stored_once(agent: StaffUser, recordings_dir: Path) -> None:
    interaction = recorded(agent)
    with pytest.raises(ValidationFailed):
        services.interaction_store(
            ctx=SYSTEM, interaction_id=interaction.pk, content=io.BytesIO(b"x"), content_type=""
        )
    assert len(files_in(recordings_dir)) == 1


def test_a_police_report_needs_a_reference_and_a_threat(agent: StaffUser) -> None:
    officer = staff("sakerhet.sven", "security_officer")
    threat = recorded(agent, "threat")
    with pytest.raises(ValidationFailed) as error:
        services.interaction_report_to_police(
            ctx=SYSTEM, interaction_id=threat.pk, police_reference=" ", reported_by=officer
        )
    assert error.value.field == "police_reference"
    quality = recorded(agent, "quality")
    with pytest.raises(ValidationFailed) as error:
        services.interaction_report_to_police(
            ctx=SYSTEM, interaction_id=quality.pk, police_reference="K-1", reported_by=officer
        )
    assert error.value.field == "purpose"
    assert not LegalHold.objects.exists() and not PoliceReport.objects.exists()


def test_the_release_to_the_police_is_recorded(agent: StaffUser, customer: Customer) -> None:
    officer = staff("sakerhet.sven", "security_officer")
    threat = recorded(agent, "threat", party=customer.party)
    with pytest.raises(ValidationFailed) as error:
        services.interaction_release_to_police(
            ctx=SYSTEM,
            interaction_id=threat.pk,
            police_reference="K-1",
            handed_over="The file.",
            released_by=officer,
        )
    assert error.value.code == "interaction.release_needs_report"
    services.interaction_report_to_police(
        ctx=SYSTEM, interaction_id=threat.pk, police_reference="K-1", reported_by=officer
    )
    release = services.interaction_release_to_police(
        ctx=SYSTEM,
        interaction_id=threat.pk,
        police_reference="K-1",
        handed_over="The audio file, the time 10:00-10:12, the caller's number and the agent.",
        released_by=officer,
    )
    assert PoliceRelease.objects.get(pk=release.pk).released_by == officer
    event = AuditEvent.objects.filter(object_type="interaction", action="export").get()
    assert event.subject_id == str(customer.party.pk)


def test_reviews_drawn_at_random_and_recorded(agent: StaffUser) -> None:
    coach = staff("coach.karin", "team_coach")
    for day in (1, 2, 3):
        recorded(agent, "quality", day=D(2026, 11, day))
    recorded(agent, "threat")  # never drawn for quality review
    drawn = services.review_draw(
        ctx=SYSTEM, employee=agent, coach=coach, count=2, rng=random.Random(7)
    )
    assert len(drawn) == 2
    assert {r.interaction.purpose for r in Review.objects.all()} == {"quality"}
    review = Review.objects.first()
    assert review is not None
    with pytest.raises(ValidationFailed):
        services.review_record(ctx=SYSTEM, review_id=review.pk, notes="  ")
    services.review_record(ctx=SYSTEM, review_id=review.pk, notes="Greeting; summary at the end.")
    with pytest.raises(ValidationFailed) as error:
        services.review_record(ctx=SYSTEM, review_id=review.pk, notes="Again.")
    assert error.value.code == "review.done"
    # Drawing again finds only the recording not yet drawn.
    again = services.review_draw(ctx=SYSTEM, employee=agent, coach=coach, count=5)
    assert len(again) == 1


# -- back office: roles ------------------------------------------------------------------------


def test_only_the_security_officer_reports_and_only_the_privacy_officer_lifts(
    agent: StaffUser,
) -> None:
    threat = recorded(agent, "threat")
    officer = staff_client(staff("sakerhet.sven", "security_officer"))
    service = staff_client(agent)
    url = f"/backoffice/contact/interaction/{threat.pk}/report/"
    assert service.post(url, {"police_reference": "K-9"}).status_code == 403
    refused = officer.post(url, {"police_reference": ""})
    assert refused.status_code == 200
    assert "police" in refused.content.decode().lower()
    assert not LegalHold.objects.exists()
    assert officer.post(url, {"police_reference": "K-9"}).status_code == 302
    hold = LegalHold.objects.get()

    lift = f"/backoffice/privacy/legalhold/{hold.pk}/lift/"
    assert officer.post(lift, {"reason": "Done."}).status_code == 403
    dpo = staff_client(staff("dpo.disa", "privacy_officer"))
    assert dpo.post(lift, {"reason": "Case closed."}).status_code == 302
    hold.refresh_from_db()
    assert hold.state == HoldState.LIFTED and hold.lifted_by == "dpo.disa"


def test_each_page_leads_to_what_its_reader_may_do(agent: StaffUser) -> None:
    """The back office pages link to their actions, each for the role that may take it."""
    threat = recorded(agent, "threat")
    page = f"/backoffice/contact/interaction/{threat.pk}/change/"
    report = f"/backoffice/contact/interaction/{threat.pk}/report/"
    release = f"/backoffice/contact/interaction/{threat.pk}/release/"
    download = f"/backoffice/contact/interaction/{threat.pk}/file/"
    officer = staff_client(staff("sakerhet.sven", "security_officer"))
    shown = officer.get(page).content.decode()
    assert report in shown and download in shown and release not in shown
    officer.post(report, {"police_reference": "K-9"})
    shown = officer.get(page).content.decode()
    assert release in shown and report not in shown
    coach = staff_client(staff("coach.cia", "team_coach"))
    shown = coach.get(page).content.decode()
    assert download in shown and report not in shown and release not in shown
    assert (
        "/backoffice/contact/review/draw/"
        in coach.get("/backoffice/contact/review/").content.decode()
    )
    desk = staff_client(staff("reception.rita", "reception"))
    visits = desk.get("/backoffice/contact/visit/").content.decode()
    assert visits.count("/backoffice/contact/visit/reception/") == 4  # the four sites
    clerk = staff_client(staff("kundtjanst.klas", "customer_service"))
    objections = clerk.get("/backoffice/contact/objection/").content.decode()
    assert "/backoffice/contact/objection/register/" in objections
    surveys = clerk.get("/backoffice/contact/survey/").content.decode()
    assert "/backoffice/contact/survey/call/" in surveys
    assert "/backoffice/contact/survey/statistics/" in surveys
    dpo = staff_client(staff("dpo.disa", "privacy_officer"))
    site = Site.objects.get(code="telegrafgatan")
    site_page = dpo.get(f"/backoffice/contact/site/{site.pk}/change/").content.decode()
    assert f"/backoffice/contact/site/{site.pk}/controller/" in site_page
