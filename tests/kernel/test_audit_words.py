"""The back office reads the audit log in words: every action and every object type the code
writes has its phrase, translated; the audit pages show the phrases, not the codes."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from tests.conftest import Customer
from tests.privacy.test_privacy_pages import staff_client
from trygg.kernel import auditwords
from trygg.kernel.audit import SYSTEM, audit_record
from trygg.kernel.models import AuditAction

SRC = Path(__file__).resolve().parents[2] / "src" / "trygg"


def _object_types_in_the_code() -> set[str]:
    found: set[str] = set()
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r'object_type\s*=\s*"([a-z_-]+)"', text))
        found |= set(re.findall(r'audit_object_type\s*=\s*"([a-z_-]+)"', text))
    return found


def test_every_object_type_the_code_writes_has_words() -> None:
    types = _object_types_in_the_code()
    assert len(types) > 30
    missing = sorted(t for t in types if t not in auditwords._OBJECTS)
    assert missing == [], f"object types without words in kernel.auditwords: {missing}"


@pytest.mark.parametrize("action", AuditAction.values)
def test_every_action_reads_as_words_in_each_language(action: str) -> None:
    for language in ("sv", "nb"):
        with translation.override(language):
            phrase = auditwords.action_words(action, "policy")
            english = None
            with translation.override("en"):
                english = auditwords.action_words(action, "policy")
            assert phrase != english, (language, action)
            assert action not in phrase.split()


@pytest.mark.parametrize(
    ("action", "object_type", "sv", "nb", "en"),
    [
        ("read", "policy", "Läste en försäkring", "Leste en forsikring", "Read a policy"),
        (
            "update",
            "contact_details",
            "Ändrade kontaktuppgifterna",
            "Endret kontaktopplysningene",
            "Changed the contact details",
        ),
        (
            "login",
            "session",
            "Loggade in (sessionen)",
            "Logget inn (økten)",
            "Logged in (the session)",
        ),
    ],
)
def test_phrases(action: str, object_type: str, sv: str, nb: str, en: str) -> None:
    for language, expected in (("sv", sv), ("nb", nb), ("en", en)):
        with translation.override(language):
            assert auditwords.action_words(action, object_type) == expected


@pytest.mark.django_db
def test_the_audit_pages_show_words_not_codes(customer: Customer, settings: Any) -> None:
    audit_record(
        ctx=SYSTEM,
        action=AuditAction.READ,
        subject_id=customer.party.pk,
        object_type="policy",
        object_id="P1",
    )
    client = staff_client("customer_service", "kundtjanst")
    trail = client.get(
        f"/backoffice/parties/party/{customer.party.pk}/audit/", HTTP_ACCEPT_LANGUAGE="sv"
    )
    assert trail.status_code == 200
    assert "Läste en försäkring" in trail.content.decode()
    log = staff_client("privacy_officer", "dso").get(
        "/backoffice/kernel/auditevent/", HTTP_ACCEPT_LANGUAGE="sv"
    )
    assert log.status_code == 200
    page = log.content.decode()
    assert "Läste en försäkring" in page
