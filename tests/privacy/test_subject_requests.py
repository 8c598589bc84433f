"""Data subject requests end to end on the database: the export holds every classified field of
a person seeded across every app; erasure leaves only what a rule keeps (history and audit
included); deadlines with the business clock; the bad inputs change nothing."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.test import Client

from tests.conftest import Customer, make_customer, portal_login
from tests.privacy.test_privacy_pages import staff_client
from tests.walk import Seeded, seed_demo_customer
from trygg.identity.models import LoginEvent, PinCredential
from trygg.kernel import clock
from trygg.kernel.audit import SYSTEM
from trygg.kernel.datamap import Category
from trygg.kernel.errors import Conflict, DomainError, ValidationFailed
from trygg.kernel.models import AuditAction, AuditEvent
from trygg.parties.models import Address, ContactMethod, Party
from trygg.privacy import export, rules, selectors, subject
from trygg.privacy.discovery import data_map
from trygg.privacy.models import LegalHold, RequestState, SubjectRequest
from trygg.privacy.services import (
    hold_lift,
    hold_place,
    subject_request_ask,
    subject_request_complete,
    subject_request_extend,
    subject_request_register,
    subject_request_verify,
)

pytestmark = pytest.mark.django_db


def _complete(request: SubjectRequest, **kwargs: Any) -> SubjectRequest:
    return subject_request_complete(ctx=SYSTEM, request_id=request.pk, **kwargs)


# -- access --------------------------------------------------------------------------------


@pytest.fixture
def seeded(frozen: Any) -> Seeded:
    return seed_demo_customer(0)


def test_the_export_holds_every_classified_field_of_the_person_in_every_app(
    seeded: Seeded,
) -> None:
    person = seeded.customer.party
    asked = subject_request_ask(ctx=SYSTEM, party=person, kind="access")
    about = subject.rows_about(person.pk)  # as the export finds it (its own audit comes after)
    done = _complete(asked)
    document = done.export
    assert document is not None
    sections = {s["model"]: s for s in document["data"]}
    dm = data_map()
    for label, keys in about.items():
        personal = dm.models[label].personal()
        if not personal:
            continue
        assert label in sections, label
        section = sections[label]
        assert {str(r["id"]) for r in section["rows"]} == {str(k) for k in keys}, label
        for row in section["rows"]:
            assert set(row["fields"]) == set(personal), label
            for name, p in personal.items():
                if p.category is Category.CREDENTIAL:
                    assert row["fields"][name] == subject.WITHHELD
    # The person was seeded across every app that holds personal data about customers.
    assert {label.split(".")[0] for label in sections} >= {
        "parties",
        "identity",
        "banking",
        "insurance",
        "claims",
        "billing",
        "protection",
        "kernel",
        "privacy",
    }
    party_row = sections["parties.Party"]["rows"][0]["fields"]
    assert party_row["id_number"] == person.id_number
    assert party_row["family_name"] == person.family_name
    # The Art. 15 information of each processing the data is under.
    processings = {p["code"] for p in document["processing"]}
    assert {"customer", "banking", "application", "claims", "access-log"} <= processings
    for info in document["processing"]:
        assert info["purpose"] and info["legal_basis"] and info["retention"]
    json.dumps(document)  # machine-readable as it is


@pytest.mark.parametrize("language", ["sv", "nb", "en"])
def test_the_readable_copy_is_a_pdf_in_the_persons_language(seeded: Seeded, language: str) -> None:
    document = subject.person_export(seeded.customer.party.pk, language)
    pdf = export.person_pdf(document)
    assert pdf.startswith(b"%PDF")
    titles = {"sv": "Dina personuppgifter", "nb": "Dine personopplysninger", "en": "Your personal"}
    assert titles[language].encode("latin-1") in pdf


def test_a_further_copy_within_the_year_costs_the_fee(customer: Customer, settings: Any) -> None:
    settings.TRYGG_PRIVACY_COPY_FEE = "95.00"
    first = _complete(subject_request_ask(ctx=SYSTEM, party=customer.party, kind="access"))
    assert first.free_copy and first.fee == 0
    second = subject_request_ask(ctx=SYSTEM, party=customer.party, kind="access")
    assert not second.free_copy and second.fee == Decimal("95.00")


def test_one_open_request_of_a_kind_at_a_time(customer: Customer) -> None:
    subject_request_ask(ctx=SYSTEM, party=customer.party, kind="access")
    with pytest.raises(ValidationFailed) as caught:
        subject_request_ask(ctx=SYSTEM, party=customer.party, kind="access")
    assert caught.value.field == "kind"
    assert SubjectRequest.objects.count() == 1


def test_an_answered_request_is_answered_once(customer: Customer) -> None:
    asked = subject_request_ask(ctx=SYSTEM, party=customer.party, kind="access")
    _complete(asked)
    with pytest.raises(DomainError) as caught:
        _complete(asked)
    assert caught.value.code == "request.transition"


def test_a_request_moved_by_another_hand_meanwhile_is_refused(
    customer: Customer, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = subject_request_ask(ctx=SYSTEM, party=customer.party, kind="access")
    real = rules.check_request_move

    def meanwhile(now: str, to: str) -> None:
        real(now, to)  # read as verified; another hand withdraws it before the update
        SubjectRequest.objects.filter(pk=asked.pk).update(
            state=RequestState.WITHDRAWN, closed_by="kundtjanst", closed_at=clock.now()
        )

    monkeypatch.setattr(rules, "check_request_move", meanwhile)
    with pytest.raises(Conflict):
        _complete(asked)
    assert SubjectRequest.objects.get(pk=asked.pk).export is None


# -- registered by staff, identity, deadlines ------------------------------------------------


def test_staff_register_a_letter_and_the_deadline_runs_from_receipt(
    customer: Customer, frozen: Any
) -> None:
    # Received Tuesday 24 November 2026: a month later is Christmas Eve, then Christmas, Boxing
    # Day and a Sunday: the answer is due Monday 28 December.
    with clock.business_date(dt.date(2026, 11, 24)):
        letter = subject_request_register(
            ctx=SYSTEM,
            id_number=customer.id_number,
            kind="access",
            channel="post",
            received_on=dt.date(2026, 11, 24),
            details="Brev: vill ha ett registerutdrag.",
        )
    assert letter.state == RequestState.RECEIVED
    assert letter.due_on == dt.date(2026, 12, 28)
    with pytest.raises(ValidationFailed):
        subject_request_verify(ctx=SYSTEM, request_id=letter.pk, how=" ")
    verified = subject_request_verify(
        ctx=SYSTEM, request_id=letter.pk, how="Svar till folkbokföringsadressen"
    )
    assert verified.state == RequestState.VERIFIED and verified.verified_at is not None
    with clock.business_date(dt.date(2026, 12, 28)):  # within the first month (to the 24th)?
        with pytest.raises(ValidationFailed) as caught:
            subject_request_extend(ctx=SYSTEM, request_id=letter.pk, reason="Arkiv.")
        assert caught.value.code == "request.extension_late"
    with clock.business_date(dt.date(2026, 12, 24)):
        extended = subject_request_extend(
            ctx=SYSTEM, request_id=letter.pk, reason="Uppgifter i pappersarkiv."
        )
    assert extended.state == RequestState.EXTENDED
    assert extended.due_on == dt.date(2027, 2, 24)


def test_an_unknown_person_is_named_and_nothing_is_registered(db: Any) -> None:
    for number in ("19121212-1212", "not a number"):
        with pytest.raises(ValidationFailed) as caught:
            subject_request_register(
                ctx=SYSTEM,
                id_number=number,
                kind="access",
                channel="phone",
                received_on=clock.today(),
            )
        assert caught.value.field == "id_number"
    assert not SubjectRequest.objects.exists()


def test_the_queue_shows_what_is_due_and_overdue(customer: Customer, frozen: Any) -> None:
    asked = subject_request_ask(ctx=SYSTEM, party=customer.party, kind="access")
    client = staff_client("privacy_officer", "dso")
    url = "/backoffice/privacy/subjectrequest/"
    assert asked.pk in _listed(client.get(url + "?due=open"))
    assert asked.pk not in _listed(client.get(url + "?due=overdue"))
    with clock.business_date(asked.due_on):
        assert asked.pk in _listed(client.get(url + "?due=due-soon"))
        assert asked.pk not in _listed(client.get(url + "?due=overdue"))
    with clock.business_date(asked.due_on + dt.timedelta(days=1)):
        assert asked.pk in _listed(client.get(url + "?due=overdue"))


def _listed(response: Any) -> set[int]:
    assert response.status_code == 200
    return {o.pk for o in response.context["cl"].result_list}


# -- erasure -------------------------------------------------------------------------------


def test_erasure_leaves_only_what_a_rule_keeps(frozen: Any) -> None:
    person = make_customer(given="Eva", family="Lind")
    client = Client()
    assert portal_login(client, person.id_number, person.pin).status_code == 302
    client.get("/profile/")
    party = person.party
    before = subject.rows_about(party.pk)
    assert Address.objects.filter(party=party).exists()
    asked = subject_request_ask(ctx=SYSTEM, party=party, kind="erasure")
    done = _complete(asked)
    outcome = done.outcome
    assert "parties.Address" in outcome["erased"] and "parties.ContactMethod" in outcome["erased"]
    assert not Address.objects.filter(party=party).exists()
    assert not ContactMethod.objects.filter(party=party).exists()
    assert not PinCredential.objects.filter(party=party).exists()
    # Kept, each by its rule: the log-ins and the audit log (13 months), the request record,
    # the customer row they refer to.
    assert set(outcome["kept"]) >= {"access-log", "privacy-rights", "referenced"}
    assert LoginEvent.objects.filter(party=party).exists()
    plan = subject.erasure_plan(party.pk, clock.today())
    for label, keys in subject.rows_about(party.pk).items():
        for key in keys:
            assert plan.reason_of(label, key) is not None, (label, key)
    # Nothing the map calls contact data or free text survives outside what is kept.
    for label, keys in before.items():
        model = apps.get_model(label)
        left = set(model._default_manager.filter(pk__in=keys).values_list("pk", flat=True))
        kept_here = {k for per in plan.kept.values() for k in per.get(label, set())}
        assert left <= kept_here, label
    # The history and the audit keep no copy of the erased contact details.
    for event in AuditEvent.objects.filter(subject_id=str(party.pk)):
        text = json.dumps(event.detail, ensure_ascii=False)
        assert "Storgatan" not in text and "anna@example.org" not in text
    erased = AuditEvent.objects.filter(object_type="erasure", action=AuditAction.DELETE)
    assert erased.count() == 1


def test_erasure_of_data_under_a_hold_is_refused_and_nothing_changes(customer: Customer) -> None:
    party = customer.party
    hold_place(ctx=SYSTEM, kind="dispute", reason="ARN-ärende", subject_id=str(party.pk))
    asked = subject_request_ask(ctx=SYSTEM, party=party, kind="erasure")
    before = subject.rows_about(party.pk)
    with pytest.raises(ValidationFailed) as caught:
        _complete(asked)
    assert caught.value.code == "erasure.held"
    assert subject.rows_about(party.pk) == before
    assert SubjectRequest.objects.get(pk=asked.pk).state == RequestState.VERIFIED


def test_erasure_waits_for_a_contract_in_force(seeded: Seeded) -> None:
    party = seeded.customer.party
    # The seeded person's recorded threat is under a police hold: lifted, so that the contracts
    # are what stops the erasure.
    for held in LegalHold.objects.filter(lifted_at__isnull=True):
        hold_lift(ctx=SYSTEM, hold_id=held.pk, reason="Polisens utredning avslutad")
    asked = subject_request_ask(ctx=SYSTEM, party=party, kind="erasure")
    before = subject.rows_about(party.pk)
    with pytest.raises(ValidationFailed) as caught:
        _complete(asked)
    assert caught.value.code == "erasure.contract"
    assert subject.rows_about(party.pk) == before


# -- rectification -------------------------------------------------------------------------


def test_rectification_names_the_recipients_notified(customer: Customer) -> None:
    asked = subject_request_ask(
        ctx=SYSTEM, party=customer.party, kind="rectification", details="Fel gatuadress."
    )
    with pytest.raises(ValidationFailed) as caught:
        _complete(asked, corrected=["parties.Address.nope"])
    assert caught.value.field == "corrected"
    done = _complete(asked, corrected=["parties.Address.street"])
    assert done.outcome["corrected"] == ["parties.Address.street"]
    assert done.notices.exists()  # what each recipient was told: test_recipient_notices.py
    with pytest.raises(ValidationFailed):
        subject_request_ask(ctx=SYSTEM, party=customer.party, kind="rectification", details=" ")


# -- the portal ----------------------------------------------------------------------------


def test_the_customer_asks_and_downloads_the_copy(customer: Customer, frozen: Any) -> None:
    client = Client()
    assert portal_login(client, customer.id_number, customer.pin).status_code == 302
    page = client.get("/my-data/")
    assert page.status_code == 200
    token = client.cookies["trygg_csrftoken"].value
    response = client.post("/my-data/", {"kind": "access", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    asked = SubjectRequest.objects.get(party=customer.party)
    assert asked.channel == "portal" and asked.state == RequestState.VERIFIED
    _complete(asked)
    page = client.get("/my-data/")
    link = selectors.download_token(SubjectRequest.objects.get(pk=asked.pk))
    assert link in page.content.decode()
    got = client.get(f"/my-data/copy/{link}/json/")
    assert got.status_code == 200
    assert json.loads(got.content)["party_id"] == customer.party.pk
    assert client.get(f"/my-data/copy/{link}/pdf/").content.startswith(b"%PDF")
    exports = AuditEvent.objects.filter(
        action=AuditAction.EXPORT, subject_id=str(customer.party.pk)
    )
    assert exports.count() == 2
    # A link changed by hand, and one past its days.
    assert client.get(f"/my-data/copy/{link[:-2]}xx/json/").status_code == 404
    frozen(dt.timedelta(days=31))
    assert portal_login(client, customer.id_number, customer.pin).status_code == 302
    expired = client.get(f"/my-data/copy/{link}/json/")
    assert expired.status_code == 410
    assert "expired" in expired.content.decode() or "gått ut" in expired.content.decode()


def test_another_persons_link_is_not_found(customer: Customer, other_customer: Customer) -> None:
    asked = subject_request_ask(ctx=SYSTEM, party=customer.party, kind="access")
    link = selectors.download_token(_complete(asked))
    client = Client()
    assert portal_login(client, other_customer.id_number, other_customer.pin).status_code == 302
    assert client.get(f"/my-data/copy/{link}/json/").status_code == 404


def test_a_bad_request_on_the_portal_names_the_field(customer: Customer) -> None:
    client = Client()
    assert portal_login(client, customer.id_number, customer.pin).status_code == 302
    client.get("/my-data/")
    token = client.cookies["trygg_csrftoken"].value
    response = client.post(
        "/my-data/", {"kind": "rectification", "details": "", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 422
    assert not SubjectRequest.objects.exists()
    assert Party.objects.filter(pk=customer.party.pk).exists()
