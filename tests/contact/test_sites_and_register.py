"""Sites and their controllers as data (seed 003), feeding the processing register; a change of
controller on a date applies from that date."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import translation

from tests.contact.conftest import staff, staff_client
from trygg.contact import services
from trygg.contact.models import Site
from trygg.kernel import clock
from trygg.kernel.audit import SYSTEM
from trygg.kernel.errors import ValidationFailed
from trygg.privacy import export, register
from trygg.privacy.discovery import data_map

D = dt.date
STOCKHOLM_SITES = (
    "Telegrafgatan 8A, Solna; Humlegårdsgatan 20, Stockholm; Stora Brogatan 7, Norrtälje"
)


def controllers(code: str, on: D) -> dict[str, str]:
    with clock.business_date(on), translation.override("en"):
        record = next(r for r in export.records("en") if r["code"] == code)
    return {c["name"]: c["scope"] for c in record["controllers"]}


@pytest.mark.django_db
def test_the_seed_sites_with_their_retention_and_parking() -> None:
    sites = {s.address: s for s in Site.objects.all()}
    assert set(sites) == {
        "Telegrafgatan 8A, Solna",
        "Humlegårdsgatan 20, Stockholm",
        "Stora Brogatan 7, Norrtälje",
        "Tegeluddsvägen 11-13, Stockholm",
    }
    tegel = sites["Tegeluddsvägen 11-13, Stockholm"]
    assert (tegel.visitor_rule, tegel.camera_rule, tegel.parking) == (
        "visitor-30",
        "camera-30",
        True,
    )
    solna = sites["Telegrafgatan 8A, Solna"]
    assert (solna.visitor_rule, solna.camera_rule, solna.parking) == ("visitor", "camera", False)
    assert set(tegel.processors.values_list("role", flat=True)) >= {
        "Camera vendor",
        "Provider of the access-card system",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["camera", "visitors"])
def test_the_register_takes_the_controllers_from_the_sites(code: str) -> None:
    assert controllers(code, D(2026, 11, 22)) == {
        "Länsförsäkringar Stockholm": STOCKHOLM_SITES,
        "Länsförsäkringar AB": "Tegeluddsvägen 11-13, Stockholm",
    }
    # The same as the register's text, so nothing is duplicated or contradicted.
    written = register.BY_CODE[register.P(code)].as_dict()["controllers"]
    assert {c["name"]: c["scope"] for c in written} == controllers(code, D(2026, 11, 22))


@pytest.mark.django_db
def test_a_change_of_controller_applies_from_its_date() -> None:
    site = Site.objects.get(code="stora-brogatan")
    with clock.business_date(D(2026, 11, 22)):
        services.site_controller_change(
            ctx=SYSTEM,
            site_id=site.pk,
            processing="camera",
            controller="Länsförsäkringar AB",
            valid_from=D(2027, 1, 1),
        )
    assert controllers("camera", D(2026, 12, 31))["Länsförsäkringar Stockholm"] == STOCKHOLM_SITES
    after = controllers("camera", D(2027, 1, 1))
    assert after == {
        "Länsförsäkringar Stockholm": "Telegrafgatan 8A, Solna; Humlegårdsgatan 20, Stockholm",
        "Länsförsäkringar AB": "Stora Brogatan 7, Norrtälje; Tegeluddsvägen 11-13, Stockholm",
    }
    # Visitors at the site keep their controller: the change was for the cameras.
    assert (
        "Stora Brogatan 7, Norrtälje"
        in controllers("visitors", D(2027, 1, 1))["Länsförsäkringar Stockholm"]
    )


@pytest.mark.django_db
def test_a_back_dated_change_is_refused_and_changes_nothing() -> None:
    site = Site.objects.get(code="tegeluddsvagen")
    with clock.business_date(D(2026, 11, 22)), pytest.raises(ValidationFailed) as error:
        services.site_controller_change(
            ctx=SYSTEM,
            site_id=site.pk,
            processing="visitors",
            controller="Länsförsäkringar Stockholm",
            valid_from=D(2026, 11, 1),
        )
    assert error.value.field == "valid_from"
    assert site.controllers.count() == 2


@pytest.mark.django_db
def test_the_privacy_officer_changes_a_controller_in_the_back_office(settings: Any) -> None:
    site = Site.objects.get(code="telegrafgatan")
    url = f"/backoffice/contact/site/{site.pk}/controller/"
    clerk = staff_client(staff("kundtjanst.anna", "customer_service"))
    assert clerk.get(url).status_code == 403
    dpo = staff_client(staff("dpo.disa", "privacy_officer"))
    assert dpo.get(url).status_code == 200
    refused = dpo.post(url, {"processing": "camera", "controller": "X", "valid_from": "2000-01-01"})
    assert refused.status_code == 200 and site.controllers.count() == 2
    day = (clock.today() + dt.timedelta(days=10)).isoformat()
    done = dpo.post(
        url, {"processing": "camera", "controller": "Länsförsäkringar AB", "valid_from": day}
    )
    assert done.status_code == 302
    assert site.controllers.filter(controller="Länsförsäkringar AB").exists()


def test_the_contact_tables_are_tied_to_the_seed_rules() -> None:
    tied = {(p.rule, p.model) for p in data_map().purges}
    assert {
        ("recording-threat", "contact.Interaction"),
        ("recording-quality", "contact.Interaction"),
        ("recording-quality", "contact.RecordingFile"),
    } <= tied


def record(code: str, language: str = "en") -> dict[str, Any]:
    with clock.business_date(D(2026, 12, 7)):
        return next(r for r in export.records(language) if r["code"] == code)


@pytest.mark.django_db
def test_the_register_takes_processors_and_retention_from_the_sites() -> None:
    camera = record("camera")
    assert camera["processors"] == [
        f"Security company (guards) ({STOCKHOLM_SITES})",
        "Camera vendor (Tegeluddsvägen 11-13, Stockholm)",
    ]
    assert camera["retention"] == (
        f"14 days: {STOCKHOLM_SITES}. 30 days: Tegeluddsvägen 11-13, Stockholm."
    )
    visitors = record("visitors", "sv")
    assert "Leverantör av besökssystemet (" in visitors["processors"][0]
    assert "1 dag från besöket: Telegrafgatan 8A, Solna" in visitors["retention"]
    # A site that keeps its images 30 days from now on: the register says so at once.
    Site.objects.filter(code="stora-brogatan").update(camera_rule="camera-30")
    assert record("camera")["retention"] == (
        "14 days: Telegrafgatan 8A, Solna; Humlegårdsgatan 20, Stockholm. "
        "30 days: Stora Brogatan 7, Norrtälje; Tegeluddsvägen 11-13, Stockholm."
    )
