"""Sole traders' firm links: only the person's own registered firm, four eyes, audited under
both data subjects; the rules table-driven, the services and the back office end to end."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import Customer, make_customer
from trygg.identity.models import StaffUser
from trygg.kernel import idnumbers
from trygg.kernel.audit import SYSTEM, AuditContext
from trygg.kernel.errors import Conflict, PermissionDenied, ValidationFailed
from trygg.kernel.models import AuditEvent
from trygg.parties.models import FirmLinkState, Party, SoleTrader
from trygg.parties.rules import (
    FIRM_LINK_TRANSITIONS,
    Registration,
    firm_link_may_move,
    firm_link_problems,
    four_eyes_problem,
)
from trygg.parties.selectors import accessible_parties, party_for_viewer
from trygg.parties.services import (
    firm_link_approve,
    firm_link_propose,
    firm_link_reject,
    organisation_register,
    sole_trader_firm_register,
)

ANNA = AuditContext(actor_kind="staff", actor_id="11", actor_label="anna", channel="back-office")
BO = AuditContext(actor_kind="staff", actor_id="12", actor_label="bo", channel="back-office")
PERSON = Registration("person", "SE", "198112189876")

# -- the rules ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "firm", "codes"),
    [
        # A Swedish sole trader's firm, registered under the owner's own number.
        (PERSON, Registration("organisation", "SE", "198112189876", "198112189876"), []),
        # A Norwegian enkeltpersonforetak: its own number, the owner named in the register.
        (
            Registration("person", "NO", "14098851238"),
            Registration("organisation", "NO", "923609016", "14098851238"),
            [],
        ),
        # Another customer (a person) as "firm": the reported hole.
        (PERSON, Registration("person", "SE", "197505052384"), ["firm_link.not_a_firm"]),
        # A company with no registered owner.
        (PERSON, Registration("organisation", "SE", "5560360793"), ["firm_link.not_the_owners"]),
        # Somebody else's sole trader's firm.
        (
            PERSON,
            Registration("organisation", "SE", "197505052384", "197505052384"),
            ["firm_link.not_the_owners"],
        ),
        # The same digits in another country's register.
        (
            PERSON,
            Registration("organisation", "NO", "923609016", "198112189876"),
            ["firm_link.not_the_owners"],
        ),
        # An organisation cannot be the sole trader.
        (
            Registration("organisation", "SE", "5560360793"),
            Registration("organisation", "SE", "5560360793", "5560360793"),
            ["sole_trader.not_a_person"],
        ),
    ],
)
def test_which_firm_may_be_linked(
    person: Registration, firm: Registration, codes: list[str]
) -> None:
    assert [p.code for p in firm_link_problems(person=person, firm=firm)] == codes


@pytest.mark.parametrize(
    ("proposed_by", "decided_by", "code"),
    [
        ("staff:11", "staff:12", None),
        ("staff:11", "staff:11", "firm_link.four_eyes"),
        ("staff:11", "", "firm_link.no_decider"),
        ("", "system:trygg", None),
    ],
)
def test_four_eyes(proposed_by: str, decided_by: str, code: str | None) -> None:
    problem = four_eyes_problem(proposed_by=proposed_by, decided_by=decided_by)
    assert (problem.code if problem else None) == code


@pytest.mark.parametrize(
    ("now", "to", "allowed"),
    [
        ("proposed", "approved", True),
        ("proposed", "rejected", True),
        ("rejected", "proposed", True),
        ("approved", "rejected", False),
        ("approved", "proposed", False),
        ("rejected", "approved", False),
        ("proposed", "proposed", False),
        ("unknown", "approved", False),
    ],
)
def test_the_transition_table(now: str, to: str, allowed: bool) -> None:
    assert firm_link_may_move(now, to) is allowed
    assert set(FIRM_LINK_TRANSITIONS) == {s.value for s in FirmLinkState}


# -- the services -----------------------------------------------------------------------------


def _firm_of(customer: Customer) -> Party:
    """A firm under the customer's number, registered with its link waiting for approval."""
    firm = sole_trader_firm_register(
        ctx=ANNA, person=customer.party, firm_name="Bergs Bygg", since=dt.date(2019, 1, 1)
    )
    firm.refresh_from_db()
    return firm


@pytest.mark.django_db
def test_another_customer_cannot_be_linked_as_a_firm(
    customer: Customer, other_customer: Customer
) -> None:
    company = organisation_register(ctx=ANNA, id_number="556036-0793", legal_name="Volvo AB")
    someone_elses = _firm_of(other_customer)
    for candidate, code in (
        (other_customer.party, "firm_link.not_a_firm"),
        (company, "firm_link.not_the_owners"),
        (someone_elses, "firm_link.not_the_owners"),
    ):
        with pytest.raises(ValidationFailed) as refused:
            firm_link_propose(
                ctx=ANNA, person=customer.party, firm=candidate, since=dt.date(2020, 1, 1)
            )
        assert (refused.value.field, refused.value.code) == ("firm", code)
    assert accessible_parties(customer.party) == [customer.party]
    assert not SoleTrader.objects.filter(person=customer.party).exists()


@pytest.mark.django_db
def test_a_link_gives_access_only_after_another_staff_member_approves(
    customer: Customer,
) -> None:
    firm = _firm_of(customer)
    link = SoleTrader.objects.get(firm=firm)
    assert (link.state, link.proposed_by, link.proposed_by_label) == (
        "proposed",
        "staff:11",
        "anna",
    )
    assert accessible_parties(customer.party) == [customer.party]  # not yet
    with pytest.raises(PermissionDenied) as own:
        firm_link_approve(ctx=ANNA, link=link)
    assert own.value.code == "firm_link.four_eyes"
    firm_link_approve(ctx=BO, link=link)
    assert accessible_parties(customer.party) == [customer.party, firm]
    assert party_for_viewer(viewer=customer.party, party_id=firm.pk) == firm
    with pytest.raises(Conflict):
        firm_link_approve(ctx=BO, link=link)  # decided once
    # Recorded under both data subjects, naming both parties and what was linked.
    for subject in (customer.party.pk, firm.pk):
        events = AuditEvent.objects.filter(subject_id=str(subject), object_type="sole_trader")
        assert [e.action for e in events.order_by("id")] == ["create", "update"]
        approved = events.get(action="update")
        assert approved.actor_label == "bo" and approved.detail["decided"] == "approved"
        assert approved.detail["person"] == customer.party.customer_number
        assert approved.detail["firm"] == firm.customer_number
        assert approved.detail["firm_id_number"] == customer.party.id_number


@pytest.mark.django_db
def test_a_rejected_link_gives_nothing_and_may_be_proposed_again(customer: Customer) -> None:
    firm = _firm_of(customer)
    link = firm_link_reject(ctx=BO, link=SoleTrader.objects.get(firm=firm))
    assert link.state == "rejected" and accessible_parties(customer.party) == [customer.party]
    again = firm_link_propose(ctx=BO, person=customer.party, firm=firm, since=dt.date(2019, 1, 1))
    assert (again.pk, again.state, again.proposed_by) == (link.pk, "proposed", "staff:12")
    firm_link_approve(ctx=ANNA, link=again)
    assert accessible_parties(customer.party) == [customer.party, firm]


@pytest.mark.django_db
def test_a_norwegian_sole_proprietorship_names_its_owner(db: Any) -> None:
    number = idnumbers.generate_norwegian_personal(dt.date(1988, 9, 14), 512)
    from trygg.identity.services import pin_credential_set
    from trygg.parties.services import person_register

    owner = person_register(ctx=SYSTEM, id_number=number, given_name="Kari", family_name="Dahl")
    pin_credential_set(ctx=SYSTEM, party=owner, pin="8264", must_change=False)
    firm = organisation_register(
        ctx=ANNA, id_number="923609016", legal_name="Dahl Rørlegger", registered_owner=number
    )
    link = firm_link_propose(ctx=ANNA, person=owner, firm=firm, since=dt.date(2020, 3, 1))
    firm_link_approve(ctx=BO, link=link)
    assert accessible_parties(owner) == [owner, firm]


@pytest.mark.django_db
def test_the_database_refuses_an_approval_by_the_proposer(customer: Customer) -> None:
    firm = _firm_of(customer)
    with pytest.raises(IntegrityError), transaction.atomic():
        SoleTrader.objects.filter(firm=firm).update(state="approved", decided_by="staff:11")
    with pytest.raises(IntegrityError), transaction.atomic():
        Party.objects.filter(pk=firm.pk).update(registered_owner="197505052384")


@pytest.mark.django_db
def test_a_system_registration_is_approved_at_once(customer: Customer) -> None:
    firm = sole_trader_firm_register(
        ctx=SYSTEM, person=customer.party, firm_name="Bergs Bygg", since=dt.date(2019, 1, 1)
    )
    link = SoleTrader.objects.get(firm=firm)
    assert (link.state, link.proposed_by, link.decided_by) == ("approved", "", "system:trygg")


# -- the back office --------------------------------------------------------------------------


def _staff_client(username: str, address: str) -> Client:
    user = StaffUser.objects.create_user(
        username=username, password="correct horse 2026", is_staff=True
    )
    user.groups.add(Group.objects.get(name="customer_service"))
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    client = Client()
    response = client.post(
        "/backoffice/login/?next=/backoffice/",
        {
            "username": username,
            "password": "correct horse 2026",
            "otp_token": f"{totp.token():06d}",
        },
        REMOTE_ADDR=address,
    )
    assert response.status_code == 302
    return client


@pytest.mark.django_db
def test_back_office_proposal_by_one_approval_by_another(
    customer: Customer, other_customer: Customer
) -> None:
    anna = _staff_client("anna", "10.9.0.1")
    bo = _staff_client("bo", "10.9.0.2")
    firm = sole_trader_firm_register(
        ctx=SYSTEM,
        person=make_customer(born=dt.date(1966, 1, 2)).party,
        firm_name="X",
        since=dt.date(2019, 1, 1),
    )
    SoleTrader.objects.filter(firm=firm).delete()  # a firm not linked to anybody
    add = "/backoffice/parties/soletrader/add/"
    assert anna.get(add).status_code == 200
    # The reported misuse: somebody else's party as the customer's firm is refused.
    for candidate in (other_customer.party, firm):
        refused = anna.post(
            add,
            {
                "person": customer.party.customer_number,
                "firm": candidate.customer_number,
                "since": "2020-01-01",
            },
        )
        page = refused.content.decode()
        assert refused.status_code == 200
        assert "registrering anger inte" in page or "Bara en firma" in page  # Swedish
    assert not SoleTrader.objects.filter(person=customer.party).exists()
    own = _firm_of(customer)
    SoleTrader.objects.filter(firm=own).delete()
    proposed = anna.post(
        add,
        {
            "person": customer.party.customer_number,
            "firm": own.customer_number,
            "since": "2019-01-01",
        },
    )
    assert proposed.status_code == 302
    link = SoleTrader.objects.get(firm=own)
    changelist = "/backoffice/parties/soletrader/"
    action = {"action": "approve", "_selected_action": [str(link.pk)]}
    anna.post(changelist, action)
    link.refresh_from_db()
    assert link.state == "proposed"  # the proposer cannot approve
    bo.post(changelist, action)
    link.refresh_from_db()
    assert (link.state, link.decided_by_label) == ("approved", "bo")
    assert accessible_parties(customer.party) == [customer.party, own]
