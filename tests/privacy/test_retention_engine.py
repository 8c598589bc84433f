"""The retention run on the database: the business clock moved across each boundary, what
remains checked; legal holds; dry runs; a run for a future date refused; the report kept."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.billing.conftest import Payer, exchange, payer, register, run_on  # noqa: F401
from tests.conftest import Customer
from tests.insurance.conftest import apply_online, no_to_all, online_input, underwriter
from trygg.billing.models import BankgirotFile, Charge, ChargeState, Notice
from trygg.identity.models import LoginChannel, LoginEvent, LoginMethod, StaffUser
from trygg.insurance import underwriting
from trygg.insurance.applications import AnswerInput
from trygg.insurance.models import Application, ApplicationEvent, HealthAnswer
from trygg.kernel import clock
from trygg.kernel.audit import SYSTEM, AuditContext
from trygg.kernel.datamap import Purge
from trygg.kernel.errors import NotFound, ValidationFailed
from trygg.kernel.models import AuditEvent
from trygg.privacy import discovery
from trygg.privacy.models import HoldKind, HoldState, LegalHold, RetentionRun
from trygg.privacy.services import hold_lift, hold_place, retention_run

D = dt.date
UTC = dt.UTC
STAFF = AuditContext(actor_kind="staff", actor_id="7", actor_label="dpo", channel="back-office")


def run(on: D, **kwargs: Any) -> RetentionRun:
    with clock.business_date(on):
        return retention_run(ctx=SYSTEM, on=on, **kwargs)


def declined(applicant: Customer) -> Application:
    """An application declined on 22 November 2026 (the frozen clock), with a health answer
    and its history."""
    answers = {**no_to_all(), "disability": AnswerInput(True, "Invaliditet 15 % 2019")}
    application = apply_online(applicant, online_input(applicant, answers=answers))
    first, second = (
        StaffUser.objects.filter(username=name).first() or underwriter(name)
        for name in ("uw1", "uw2")
    )
    underwriting.application_decline_propose(
        ctx=SYSTEM, user=first, application_id=application.pk, reasons="Tidigare invaliditet."
    )
    underwriting.application_decline_confirm(ctx=SYSTEM, user=second, application_id=application.pk)
    application.refresh_from_db()
    assert application.decided_at is not None
    assert application.decided_at.date() == D(2026, 11, 22)
    return application


@pytest.fixture
def applicant(customer: Customer, frozen: Any) -> Customer:
    from tests.banking.conftest import with_token

    with_token(customer)
    return customer


# -- applications: archived when declined, kept 10 years from the decision ---------------------


def test_a_declined_application_is_archived_ten_years_then_deleted(applicant: Customer) -> None:
    application = declined(applicant)
    accepted = apply_online(applicant, online_input(applicant, level=20))
    assert accepted.policy is not None
    assert HealthAnswer.objects.filter(application=application).exists()

    report = run(D(2036, 11, 21))
    assert Application.objects.filter(pk=application.pk).exists()  # archived, kept
    assert report.counts["application-archive"] == {"insurance.Application": 0}

    report = run(D(2036, 11, 22))
    assert not Application.objects.filter(pk=application.pk).exists()
    assert not HealthAnswer.objects.filter(application_id=application.pk).exists()
    assert not ApplicationEvent.objects.filter(application_id=application.pk).exists()
    assert report.counts["application-archive"] == {"insurance.Application": 1}
    # The application that became a policy stays with the policy.
    assert Application.objects.filter(pk=accepted.pk).exists()
    # The report is kept, and the run is in the audit log.
    kept = RetentionRun.objects.get(pk=report.pk)
    assert kept.run_date == D(2036, 11, 22) and not kept.dry_run
    assert kept.counts == report.counts
    event = AuditEvent.objects.filter(object_type="retention-run", object_id=str(report.pk)).get()
    assert event.detail["counts"]["application-archive"] == {"insurance.Application": 1}


def test_a_second_run_on_the_same_date_deletes_nothing_more(applicant: Customer) -> None:
    declined(applicant)
    first = run(D(2036, 11, 22))
    assert first.counts["application-archive"] == {"insurance.Application": 1}
    assert first.total >= 1  # the log-ins of the application's signing went too
    again = run(D(2036, 11, 22))
    # Only the audit event of the first run, written ten business years "ago", goes now.
    removed = {
        code: {table: n for table, n in per.items() if n}
        for code, per in again.counts.items()
        if any(per.values())
    }
    assert removed in ({}, {"access-log": {"kernel.AuditEvent": 1}})


def test_a_dry_run_counts_and_deletes_nothing(applicant: Customer) -> None:
    application = declined(applicant)
    report = run(D(2036, 11, 22), dry_run=True)
    assert report.dry_run
    assert report.counts["application-archive"] == {"insurance.Application": 1}
    assert Application.objects.filter(pk=application.pk).exists()


# -- legal holds --------------------------------------------------------------------------------


def test_a_hold_on_the_person_keeps_the_data_until_lifted(applicant: Customer) -> None:
    application = declined(applicant)
    hold = hold_place(
        ctx=STAFF,
        kind=HoldKind.DISPUTE,
        reason="The applicant has taken the decline to the National Board (ARN 2036-123).",
        subject_id=str(applicant.party.pk),
    )
    report = run(D(2037, 1, 10))
    assert Application.objects.filter(pk=application.pk).exists()
    assert report.held["application-archive"] == {"insurance.Application": 1}

    lifted = hold_lift(ctx=STAFF, hold_id=hold.pk, reason="ARN decided 2037-02-01.")
    assert lifted.state == HoldState.LIFTED and lifted.lifted_by == "dpo"
    assert lifted.lifted_at is not None
    run(D(2037, 2, 2))
    assert not Application.objects.filter(pk=application.pk).exists()


def test_a_hold_on_one_record_keeps_only_that_record(applicant: Customer) -> None:
    held = declined(applicant)
    hold_place(
        ctx=STAFF,
        kind=HoldKind.CLAIM,
        reason="Claim 2036-77 refers to this declaration.",
        model="insurance.Application",
        object_id=str(held.pk),
    )
    other = declined(applicant)
    run(D(2036, 11, 22))
    assert Application.objects.filter(pk=held.pk).exists()
    assert not Application.objects.filter(pk=other.pk).exists()


def test_a_hold_for_another_rule_does_not_keep(applicant: Customer) -> None:
    application = declined(applicant)
    hold_place(
        ctx=STAFF,
        kind=HoldKind.POLICE_REPORT,
        reason="Threat reported to the police, K-2036-1.",
        subject_id=str(applicant.party.pk),
        rule="recording-threat",
    )
    run(D(2036, 11, 22))
    assert not Application.objects.filter(pk=application.pk).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reason": "  "}, "reason"),
        ({"kind": "whim"}, "kind"),
        ({"rule": "forever"}, "rule"),
        ({"subject_id": ""}, "subject_id"),
        ({"subject_id": "", "model": "nowhere.Nothing", "object_id": "1"}, "model"),
    ],
)
def test_a_hold_needs_kind_reason_and_target(db: Any, changes: dict, field: str) -> None:
    values: dict[str, Any] = {"kind": "dispute", "reason": "ARN 1", "subject_id": "1"}
    with pytest.raises(ValidationFailed) as refused:
        hold_place(ctx=STAFF, **{**values, **changes})
    assert refused.value.field == field
    assert not LegalHold.objects.exists()


def test_a_hold_is_lifted_once_with_a_reason(db: Any) -> None:
    hold = hold_place(ctx=STAFF, kind="claim", reason="Claim 1", subject_id="1")
    with pytest.raises(ValidationFailed) as refused:
        hold_lift(ctx=STAFF, hold_id=hold.pk, reason="")
    assert refused.value.field == "lift_reason"
    hold_lift(ctx=STAFF, hold_id=hold.pk, reason="Claim settled.")
    with pytest.raises(ValidationFailed) as refused:
        hold_lift(ctx=STAFF, hold_id=hold.pk, reason="Again.")
    assert refused.value.code == "hold.transition"
    with pytest.raises(NotFound):
        hold_lift(ctx=STAFF, hold_id=hold.pk + 1, reason="No such.")


# -- the log-in history: an access log, 13 months ----------------------------------------------


def test_the_login_history_is_kept_13_months(customer: Customer) -> None:
    def login(at: dt.datetime) -> LoginEvent:
        return LoginEvent.objects.create(
            party=customer.party,
            occurred_at=at,
            method=LoginMethod.PIN,
            channel=LoginChannel.WEB,
            success=True,
            ip="192.0.2.1",
        )

    # 23:30 in Stockholm on 14 March 2026 is 22:30 UTC: the business date is the 14th.
    late = login(dt.datetime(2026, 3, 14, 22, 30, tzinfo=UTC))
    next_day = login(dt.datetime(2026, 3, 14, 23, 30, tzinfo=UTC))  # the 15th in Stockholm
    run(D(2027, 4, 13))
    assert LoginEvent.objects.filter(pk__in=[late.pk, next_day.pk]).count() == 2
    run(D(2027, 4, 14))
    assert not LoginEvent.objects.filter(pk=late.pk).exists()
    assert LoginEvent.objects.filter(pk=next_day.pk).exists()
    run(D(2027, 4, 15))
    assert not LoginEvent.objects.filter(pk=next_day.pk).exists()


# -- bookkeeping: to the end of the seventh year after the record's year -----------------------


def test_bookkeeping_records_kept_to_the_end_of_the_seventh_year(payer: Payer) -> None:  # noqa: F811
    register(payer)
    run_on(D(2026, 11, 22))
    charges = list(Charge.objects.filter(payer=payer.customer.party).order_by("due_date"))
    assert len(charges) >= 2
    settled, open_one = charges[0], charges[1]
    # Move them back to 2019, one paid and one still open.
    Charge.objects.filter(pk=settled.pk).update(due_date=D(2019, 3, 1), state=ChargeState.PAID)
    Charge.objects.filter(pk=open_one.pk).update(due_date=D(2019, 4, 1))
    notices = Notice.objects.filter(payer=payer.customer.party)
    notices.update(sent_on=D(2019, 2, 15))
    files = BankgirotFile.objects.all()
    files.update(at=dt.datetime(2019, 2, 20, 12, tzinfo=UTC))
    file_count = files.count()

    run(D(2026, 12, 31))
    assert Charge.objects.filter(pk=settled.pk).exists()

    report = run(D(2027, 1, 1))
    assert not Charge.objects.filter(pk=settled.pk).exists()
    assert Charge.objects.filter(pk=open_one.pk).exists()  # not settled: not a closed record
    assert report.counts["bookkeeping"]["billing.Charge"] == 1
    # A notice the open premium still refers to stays; so does a file it refers to.
    for notice in Notice.objects.filter(pk__in=[c.notice_id for c in charges if c.notice_id]):
        assert notice.charges.exists()
    assert report.counts["bookkeeping"]["billing.BankgirotFile"] <= file_count


# -- rules whose data later issues create ------------------------------------------------------


def test_declared_rules_without_data_are_in_the_report(db: Any) -> None:
    report = run(D(2026, 12, 7))
    # Tickets, cameras, visitors and surveys exist since the contact app keeps them (tests/contact).
    assert report.counts["ticket"] == {"contact.SupportTicket": 0}
    assert report.counts["camera-30"] == {"contact.FootageExport": 0}
    assert report.counts["visitor"] == {"contact.Visit": 0, "contact.VisitRelease": 0}
    assert report.counts["survey-free-text"] == {"contact.Survey": 0}
    # Blocked requests exist since the guard records them (tests/privacy/test_guard.py).
    assert report.counts["blocked-request"] == {"privacy.BlockedRequest": 0}


def test_a_declared_rule_applies_as_soon_as_a_table_is_tied_to_it(
    customer: Customer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The visitor rule (1 day from the day of the visit) on a stand-in table."""
    current = discovery.data_map()
    stand_in = Purge("visitor", "identity.LoginEvent", "occurred_at", subjects=("party",))
    monkeypatch.setattr(
        discovery,
        "data_map",
        lambda: discovery.DataMap(current.models, current.owners, (stand_in,)),
    )
    import trygg.privacy.services as services

    monkeypatch.setattr(services, "data_map", discovery.data_map)
    visit = LoginEvent.objects.create(
        party=customer.party,
        occurred_at=dt.datetime(2026, 12, 1, 8, tzinfo=UTC),
        method=LoginMethod.PIN,
        channel=LoginChannel.WEB,
        success=True,
    )
    run(D(2026, 12, 1))
    assert LoginEvent.objects.filter(pk=visit.pk).exists()
    report = run(D(2026, 12, 2))
    assert not LoginEvent.objects.filter(pk=visit.pk).exists()
    assert report.counts["visitor"] == {"identity.LoginEvent": 1}


# -- bad input ----------------------------------------------------------------------------------


def test_a_run_for_a_future_date_is_refused_and_deletes_nothing(applicant: Customer) -> None:
    application = declined(applicant)
    with clock.business_date(D(2036, 11, 21)), pytest.raises(ValidationFailed) as refused:
        retention_run(ctx=SYSTEM, on=D(2036, 11, 22))
    assert refused.value.field == "date"
    assert refused.value.code == "retention.future_date"
    assert Application.objects.filter(pk=application.pk).exists()
    assert not RetentionRun.objects.exists()
