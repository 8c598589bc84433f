"""The register of processing activities: one record per processing, complete, matching the
domain page's seeds, with its retention rules."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation

from trygg.kernel.datamap import Processing
from trygg.privacy import register, rules


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def test_one_record_per_processing() -> None:
    codes = [a.code for a in register.REGISTER]
    assert len(codes) == len(set(codes))
    assert set(codes) == set(Processing)


def test_every_retention_rule_belongs_to_its_processing_record() -> None:
    for code, rule in rules.RULES.items():
        assert code in register.BY_CODE[rule.processing].rules, code
    for activity in register.REGISTER:
        for code in activity.rules:
            assert code in rules.RULES


@pytest.mark.parametrize("activity", register.REGISTER, ids=lambda a: str(a.code))
def test_each_record_is_complete(activity: register.Activity) -> None:
    record = activity.as_dict()
    for key in ("name", "purpose", "legal_basis", "data", "subjects", "retention", "source"):
        assert record[key], key
    assert record["controllers"]
    assert record["categories"]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        # seed 002: joint controllers of the group's common IT systems; staff in India.
        (Processing.IT_SUPPORT, {"joint": True, "transfer": "India"}),
        (Processing.BACKUP, {"joint": True, "transfer": "India"}),
        (Processing.ACCESS_LOG, {"joint": True, "transfer": None}),
        # seed 003: a controller per site, not joint.
        (Processing.CAMERA, {"joint": False, "transfer": None}),
        (Processing.VISITORS, {"joint": False, "transfer": None}),
        # seed 001: the payer's bank, Länsförsäkringar and its payment provider together.
        (Processing.AUTOGIRO, {"joint": True, "transfer": None}),
    ],
)
def test_controllers_and_transfers_as_the_seeds_say(code: Processing, expected: dict) -> None:
    record = register.BY_CODE[code].as_dict()
    assert record["joint_controllers"] is expected["joint"]
    countries = [t["country"] for t in record["transfers"]]
    assert countries == ([expected["transfer"]] if expected["transfer"] else [])


def test_the_transfer_to_india_names_its_safeguards() -> None:
    (transfer,) = register.BY_CODE[Processing.IT_SUPPORT].as_dict()["transfers"]
    assert "46(2)" in transfer["safeguard"]
    assert "VPN" in transfer["measures"] and "multi-factor" in transfer["measures"]


def test_controller_per_site_and_per_kind_of_matter() -> None:
    camera = register.BY_CODE[Processing.CAMERA].as_dict()["controllers"]
    assert {c["name"]: c["scope"] for c in camera} == {
        "Länsförsäkringar Stockholm": register.STOCKHOLM_SITES,
        "Länsförsäkringar AB": register.TEGELUDDSVAGEN,
    }
    quality = register.BY_CODE[Processing.RECORDING_QUALITY].as_dict()["controllers"]
    assert [c["name"] for c in quality] == [
        "Länsförsäkringar Bank AB (publ)",
        "Länsförsäkringar Stockholm",
    ]


def test_surveys_are_direct_marketing() -> None:
    assert [a.code for a in register.REGISTER if a.direct_marketing] == [Processing.SURVEY]


def test_the_seeds_periods() -> None:
    periods = {code: str(rule.period) for code, rule in rules.RULES.items()}
    assert periods == {
        "ticket": "3 years",
        "test-data": "0 days",
        "backup": "13 months",
        "access-log": "13 months",
        "blocked-request": "3 months",
        "camera": "14 days",
        "camera-30": "30 days",
        "visitor": "1 day",
        "visitor-30": "30 days",
        "recording-threat": "30 days",
        "recording-quality": "30 days",
        "survey": "18 months",
        "survey-free-text": "12 months",
        "bookkeeping": "7 years",
        "application-archive": "10 years",
        "blocking-report": "3 years",
        "notice-text": "30 days",  # not the seeds': a notice's text (decision 0099)
    }
