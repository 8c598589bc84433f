"""The back office of premium billing: a paper autogiro mandate entered (and refused beside the
wrong field), a mandate terminated, the billing dashboard where staff run the billing of a date
and import Bankgirot's files (once; a broken file is refused whole), and the roles."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests.backoffice.test_backoffice import _login, _staff
from tests.banking.conftest import with_token
from tests.billing.answers import mandate_notices, payment_spec
from tests.billing.conftest import Payer, register, run_on
from tests.conftest import Customer, post_confirmed
from tests.insurance.conftest import apply_online, online_input
from trygg.billing.imports import autogiro_import
from trygg.billing.models import BankgirotFile, BillingRun, Charge, Mandate
from trygg.kernel import clock
from trygg.kernel.audit import SYSTEM
from trygg.kernel.jobs import Progress, job_run
from trygg.kernel.models import AuditEvent, Job

pytestmark = pytest.mark.django_db

PAPER = "/backoffice/billing/mandate/paper/"
DASHBOARD = "/backoffice/billing/billingrun/dashboard/"
JOBS = DASHBOARD + "job/"
MON_23_NOV = dt.date(2026, 11, 23)
TUE_24_NOV = dt.date(2026, 11, 24)


def _client(role: str, username: str) -> Client:
    user, device = _staff(role, username)
    client = Client()
    assert _login(client, user, device).status_code == 302
    return client


@pytest.fixture
def exchange(tmp_path: Path, settings: Any) -> Path:
    settings.TRYGG_BANKGIROT_DIR = tmp_path / "bankgirot"
    return tmp_path / "bankgirot"


@pytest.fixture
def payer(customer: Customer, frozen: Any, exchange: Path) -> Payer:
    with_token(customer)
    policy = apply_online(customer, online_input(customer, level=30)).policy
    assert policy is not None
    return Payer(customer, policy)


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "downloaded"
    folder.mkdir()
    return folder


def _worked(client: Client, started: Any) -> Any:
    """The page of the job a dashboard form started, after the background worker ran it."""
    assert started.status_code == 302, getattr(started, "context", None)
    location = started["Location"]
    assert location.startswith(JOBS)
    job = Job.objects.get(public_id=location.removeprefix(JOBS).strip("/"))
    waiting = client.get(location)
    assert waiting.status_code == 200 and 'http-equiv="refresh"' in waiting.content.decode()
    job_run(job.pk)
    return client.get(location)


def _upload(client: Client, path: Path) -> Any:
    with path.open("rb") as stream:
        return _worked(client, client.post(DASHBOARD, {"import": "1", "import-file": stream}))


def test_paper_mandate_is_registered_and_a_wrong_account_is_shown_beside_its_field(
    payer: Payer,
) -> None:
    billing = _client("billing_clerk", "premie.ett")
    assert billing.get("/backoffice/billing/mandate/add/")["Location"] == PAPER
    assert billing.get(PAPER).status_code == 200
    form = {
        "payer_id_number": payer.customer.id_number,
        "account": "3300-1212121212",  # a Nordea personal account of someone else
        "bank": "Nordea",
        "policy_1": "",
        "policy_2": "AO-0000000",
        "period_2": "",
        "policy_3": payer.policy.number,
        "period_3": "monthly",
    }
    refused = billing.post(PAPER, form)
    assert refused.status_code == 200
    errors = refused.context["form"].errors
    # The service's "policies.0.number" is the first filled row: the second on the form.
    assert set(errors) == {"account", "policy_2"}
    assert 'class="form-row errors"' in refused.content.decode()
    assert not Mandate.objects.exists()

    form.update(account=payer.nordea_account, policy_2="")
    done = billing.post(PAPER, form)
    assert done.status_code == 302
    mandate = Mandate.objects.get()
    assert done["Location"] == f"/backoffice/billing/mandate/{mandate.pk}/change/"
    assert (mandate.state, mandate.channel, mandate.clearing) == ("requested", "paper", "3300")
    assert [p.policy_id for p in mandate.policies.all()] == [payer.policy.pk]
    page = billing.get(done["Location"])
    assert page.status_code == 200
    shown = page.content.decode()
    assert mandate.payer_number in shown and payer.policy.number in shown
    # Only an active mandate can be terminated.
    assert f"/backoffice/billing/mandate/{mandate.pk}/terminate/" not in shown
    assert AuditEvent.objects.filter(
        object_type="mandate", action="read", subject_id=str(payer.customer.party.pk)
    ).exists()
    listed = billing.get("/backoffice/billing/mandate/", {"q": payer.customer.id_number})
    assert mandate.payer_number in listed.content.decode()


def _activate(payer: Payer, inbox: Path, mandate: Mandate | None = None) -> Mandate:
    mandate = mandate or register(payer)
    run_on(MON_23_NOV)
    with clock.business_date(TUE_24_NOV):
        autogiro_import(ctx=SYSTEM, path=mandate_notices(inbox, TUE_24_NOV, [(mandate, "32")]))
    mandate.refresh_from_db()
    assert mandate.state == "active"
    return mandate


def test_termination_shows_the_services_refusal_then_ends_the_mandate(
    payer: Payer, inbox: Path
) -> None:
    billing = _client("billing_clerk", "premie.ett")
    requested = register(payer)
    url = f"/backoffice/billing/mandate/{requested.pk}/terminate/"
    refused = billing.post(url, {"by": "insurer", "reason": "Kontot avslutat."})
    assert refused.status_code == 200 and refused.context["form"].non_field_errors()
    requested.refresh_from_db()
    assert requested.state == "requested"

    mandate = _activate(payer, inbox, requested)
    assert url in billing.get(f"/backoffice/billing/mandate/{mandate.pk}/change/").content.decode()
    with clock.business_date(dt.date(2026, 11, 25)):
        holder = billing.post(url, {"by": "holder", "at_once": "on", "reason": "Egen begäran."})
        assert holder.status_code == 200 and "at_once" in holder.context["form"].errors
        done = post_confirmed(
            billing, url, {"by": "insurer", "at_once": "on", "reason": "Kontot avslutat."}
        )
    assert done.status_code == 302, done.context["form"].errors
    mandate.refresh_from_db()
    assert mandate.state == "ended" and mandate.end_reason == "Kontot avslutat."
    assert mandate.events.filter(state_to="ended").exists()


def test_dashboard_runs_billing_and_imports_mandate_notices_once(
    payer: Payer, exchange: Path, inbox: Path
) -> None:
    mandate = register(payer)
    billing = _client("billing_clerk", "premie.ett")
    page = billing.get(DASHBOARD)
    assert page.status_code == 200
    assert page.context["run_form"].initial["on"] == clock.today()
    assert DASHBOARD in billing.get("/backoffice/billing/billingrun/").content.decode()

    with clock.business_date(MON_23_NOV):
        future = billing.post(DASHBOARD, {"run": "1", "run-on": "2026-11-24"})
        assert "on" in future.context["run_form"].errors
        # Seven days back is a catch-up; eight is refused beside the date, in Swedish.
        old = billing.post(DASHBOARD, {"run": "1", "run-on": "2026-11-15"})
        assert old.status_code == 200
        assert "högst 7 dagar bakåt, till 2026-11-16" in old.context["run_form"].errors["on"][0]
        assert not BillingRun.objects.exists() and not Job.objects.exists()
        ran = _worked(billing, billing.post(DASHBOARD, {"run": "1", "run-on": "2026-11-23"}))
    run = BillingRun.objects.get()
    assert run.run_date == MON_23_NOV and run.summary["mandates_sent"] == 1
    shown = ran.content.decode()
    assert "2026-11-23" in shown and 'http-equiv="refresh"' not in shown
    written = list((exchange / "to_bankgirot").iterdir())
    assert len(written) == 1 and written[0].name in shown
    assert str(exchange) not in shown  # the file's name, not where the server keeps it
    assert ran.context["run"] == run
    row = billing.get(DASHBOARD).context["runs"][0]
    assert row["run"] == run and 1 in row["counts"]
    mandate.refresh_from_db()
    assert mandate.state == "sent"

    notices = mandate_notices(inbox, TUE_24_NOV, [(mandate, "32")], name="AG-MEDAVI-1124.txt")
    with clock.business_date(TUE_24_NOV):
        imported = _upload(billing, notices)
    assert imported.status_code == 200 and not imported.context["already"]
    mandate.refresh_from_db()
    assert mandate.state == "active" and mandate.active_from == TUE_24_NOV
    logged = BankgirotFile.objects.get(direction="in")
    assert logged.name == "AG-MEDAVI-1124.txt" and logged.by is not None
    assert logged.by.username == "premie.ett" and logged.records == 3
    assert imported.context["counts"][0][1] == 3  # the file's records
    assert f"/backoffice/billing/bankgirotfile/{logged.pk}/change/" in imported.content.decode()

    again = _upload(billing, notices)
    assert again.status_code == 200 and again.context["already"]
    assert 'id="already"' in again.content.decode()
    assert BankgirotFile.objects.filter(direction="in").count() == 1
    dashboard = billing.get(DASHBOARD)
    assert dashboard.context["files"] == [logged]
    assert billing.get(f"/backoffice/billing/bankgirotfile/{logged.pk}/change/").status_code == 200
    assert billing.get(f"/backoffice/billing/billingrun/{run.pk}/change/").status_code == 200


def test_broken_file_is_refused_naming_line_and_field_and_books_nothing(
    payer: Payer, exchange: Path, inbox: Path
) -> None:
    mandate = _activate(payer, inbox)
    run_on(dt.date(2026, 11, 30))
    first = Charge.objects.filter(policy=payer.policy).order_by("due_date").first()
    assert first is not None and first.state == "ordered"
    good = payment_spec(
        inbox,
        dt.date(2026, 12, 3),
        [(mandate.payer_number, first.reference, first.amount, "0")],
    )
    bad = good.with_name("BET-broken.txt")
    data = bytearray(good.read_bytes())
    data[82 + 82 + 40] = ord("X")  # inside the amount of the payment record
    bad.write_bytes(bytes(data))
    billing = _client("billing_clerk", "premie.ett")
    with clock.business_date(dt.date(2026, 12, 3)):
        refused = _upload(billing, bad)
    assert refused.status_code == 200
    problems = refused.context["job"].problems
    assert problems and "line 3" in (problems[0]["field"] or "")
    shown = refused.content.decode()
    assert 'id="refusal"' in shown and "line 3" in shown
    first.refresh_from_db()
    assert first.state == "ordered"
    assert not BankgirotFile.objects.filter(name="BET-broken.txt").exists()


def test_customer_service_enters_mandates_but_cannot_run_billing(payer: Payer) -> None:
    service = _client("customer_service", "anna.kundtjanst")
    assert service.get(PAPER).status_code == 200
    assert service.get(DASHBOARD).status_code == 403
    assert service.post(DASHBOARD, {"run": "1", "run-on": "2026-11-22"}).status_code == 403
    assert service.get("/backoffice/billing/charge/payment/").status_code == 403
    assert not BillingRun.objects.exists()


def test_unknown_ocr_is_refused_on_the_payment_form(payer: Payer) -> None:
    billing = _client("billing_clerk", "premie.ett")
    url = "/backoffice/billing/charge/payment/"
    assert billing.get(url).status_code == 200
    refused = billing.post(url, {"ocr": "1234567897", "amount": "100.00", "paid_on": "2026-11-22"})
    assert refused.status_code == 200 and refused.context["form"].non_field_errors()
    assert billing.get("/backoffice/billing/charge/").status_code == 200


def test_the_job_page_shows_how_far_an_import_is(payer: Payer, inbox: Path) -> None:
    billing = _client("billing_clerk", "premie.ett")
    spec = payment_spec(inbox, dt.date(2026, 12, 3), [])
    with spec.open("rb") as stream:
        started = billing.post(DASHBOARD, {"import": "1", "import-file": stream})
    job = Job.objects.get()
    Progress(job)(1200, 5000, "reading")
    page = billing.get(started["Location"]).content.decode()
    assert '<progress id="progress" value="1200" max="5000">' in page
    assert 'http-equiv="refresh"' in page
    assert job_run(job.pk).state == "done"
    assert job_run(job.pk).state == "done"  # a task delivered twice does the work once
    assert BankgirotFile.objects.filter(direction="in").count() == 1
    assert not any((Path(job.params["path"]).parent.parent).iterdir())  # the upload is gone


def test_paper_form_period_for_all_policies_and_a_late_termination_beside_its_field(
    payer: Payer, inbox: Path, other_customer: Customer
) -> None:
    """The paper form's "Månadsvis / Halvårsvis / Helårsvis" for the policies listed, a policy
    added later with the holder's number beside it, and § 3's deadline shown on the date."""
    billing = _client("billing_clerk", "premie.ett")
    form = {
        "payer_id_number": payer.customer.id_number,
        "account": payer.nordea_account,
        "period": "half_yearly",
        "period_from": "2026-12-02",  # not the start of a period
        "policy_1": payer.policy.number,
    }
    refused = billing.post(PAPER, form)
    assert refused.status_code == 200
    errors = refused.context["form"].errors
    assert list(errors) == ["period_from"] and "2027-06-01" in errors["period_from"][0]
    assert not Mandate.objects.exists()
    done = billing.post(PAPER, {**form, "period_from": ""})
    assert done.status_code == 302, done.context["form"].errors
    mandate = Mandate.objects.get()
    assert mandate.policies.get().period == "half_yearly"
    payer.policy.refresh_from_db()
    assert payer.policy.period == "half_yearly"

    with_token(other_customer)
    strangers = apply_online(other_customer, online_input(other_customer)).policy
    assert strangers is not None
    add = f"/backoffice/billing/mandate/{mandate.pk}/add-policies/"
    assert add in billing.get(f"/backoffice/billing/mandate/{mandate.pk}/change/").content.decode()
    unnamed = billing.post(add, {"policy_1": strangers.number})
    assert "policy_1" in unnamed.context["form"].errors
    added = billing.post(add, {"policy_1": strangers.number, "holder_1": other_customer.id_number})
    assert added.status_code == 302, added.context["form"].errors
    assert mandate.policies.count() == 2

    mandate = _activate(payer, inbox, mandate)
    url = f"/backoffice/billing/mandate/{mandate.pk}/terminate/"
    with clock.business_date(dt.date(2026, 12, 10)):
        late = billing.post(
            url, {"by": "insurer", "ends_on": "2027-03-01", "reason": "Kunden flyttar."}
        )
        assert late.status_code == 200
        message = late.context["form"].errors["ends_on"][0]
        assert "2026-12-01" in message and "2027-04-01" in message
        ended = post_confirmed(
            billing, url, {"by": "holder", "ends_on": "2027-02-01", "reason": "Egen begäran."}
        )
    assert ended.status_code == 302, ended.context["form"].errors
    mandate.refresh_from_db()
    assert mandate.state == "ended" and mandate.ended_on == dt.date(2027, 1, 31)
