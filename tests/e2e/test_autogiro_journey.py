"""Premium billing by autogiro in a real browser: a customer registers a mandate for the accident
insurance and signs it with the token → the daily runs send it and Bankgirot's notice activates
it → the customer sees the payment plan and the next debits, stops one debit, and is told the
deadline when stopping another too late → the billing clerk runs the billing of a date on the
dashboard and imports Bankgirot's payment specification → the file is in the file log and the
premium is paid, for the clerk and for the customer.

The business date moves on with the journey (``clock.business_date``); the live server's thread
reads the same clock. The billing pages' wording is taken from the Swedish catalogue."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from tests.banking.conftest import with_token
from tests.billing.answers import payment_spec
from tests.conftest import Customer, make_customer
from tests.e2e.axe import axe_findings
from tests.e2e.conftest import backoffice_login, restore_reference_data, staff_with_totp
from tests.insurance.conftest import apply_online, online_input
from trygg.billing.models import (
    BillingTerms,
    Charge,
    ChargeMethod,
    ChargeState,
    Mandate,
    MandateState,
    NoticeKind,
)
from trygg.identity.models import SecurityToken
from trygg.identity.tokens import token_expected_response
from trygg.insurance.models import PeriodChoice, Policy, Product
from trygg.kernel import clock
from trygg.kernel.audit import SYSTEM
from trygg.kernel.jobs import job_run
from trygg.kernel.models import Job, JobState
from trygg.kernel.numbertext import money_text
from trygg.web.demo_billing import play_days

REGISTERED = dt.date(2026, 11, 22)  # a Sunday: the frozen clock's date
PLAYED = (dt.date(2026, 11, 23), dt.date(2026, 11, 27))  # runs, Bankgirot and imports
ORDER_RUN = dt.date(2026, 11, 30)  # the clerk's run orders December's debit
DECEMBER_DUE = dt.date(2026, 12, 3)  # 8 bank days after the payment plan of 23 November
STOP_DEADLINE = dt.date(2026, 12, 1)  # 2 bank days before December's due date
JANUARY_DUE = dt.date(2027, 1, 4)  # the first bank day of 2027
PAID_ON = DECEMBER_DUE
STATE = 5  # the column of the payment plan with the premium's state


def sv(message: str | Promise) -> str:
    """What the pages say in Swedish for ``message``."""
    with translation.override("sv"):
        return str(translation.gettext(message) if isinstance(message, str) else message)


def kr(amount: Decimal) -> str:
    """An amount as the portal writes it in Swedish (the one formatter)."""
    return money_text(amount, language="sv")


def _worker_runs_the_jobs() -> None:
    """What ``trygg worker`` does with the jobs the dashboard queued."""
    for job in Job.objects.filter(state=JobState.QUEUED):
        job_run(job.pk)


def _billing_reference_data() -> None:
    """Besides the product: the accident insurance's billing terms and the billing clerk's
    permissions, as the billing migration wrote them."""
    restore_reference_data("trygg.billing.migrations.0002_terms_and_roles")
    BillingTerms.objects.get_or_create(
        product=Product.objects.get(code="accident"),
        defaults={
            "non_payment": "B",
            "notice_fee": Decimal("25.00"),
            "invoice_days": 14,
            "max_attempts": 2,
        },
    )


@pytest.fixture
def exchange(tmp_path: Path, settings: Any) -> Path:
    """The exchange directory with Bankgirot (``to_bankgirot/``, ``from_bankgirot/``)."""
    settings.TRYGG_BANKGIROT_DIR = tmp_path / "bankgirot"
    return tmp_path / "bankgirot"


def _play(root: Path, first: dt.date, last: dt.date) -> None:
    """Each day: the billing run, Bankgirot's day, and the import of its answers."""
    refused = play_days(SYSTEM, root, first, last)
    assert not refused, refused


def _login(page: Any, person: Customer) -> None:
    page.goto("/login/")
    page.get_by_label("Personnummer").fill(person.id_number)
    page.get_by_label("PIN-kod").fill(person.pin)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/overview/")


def _plan_row(page: Any, due: dt.date) -> Any:
    table = page.get_by_role("table", name=sv("Payment plan and next debits"))
    return table.get_by_role("row").filter(has_text=due.isoformat())


def _cells(row: Any) -> list[str]:
    return [text.strip() for text in row.get_by_role("cell").all_inner_texts()]


def _fact(card: Any, term: str) -> str:
    """The description of ``term`` in a card's list of facts."""
    name = json.dumps(term, ensure_ascii=False)
    return str(card.locator(f"dt:text-is({name}) + dd").inner_text()).strip()


def _by_heading(page: Any, selector: str) -> dict[str, str]:
    """A two-column table of headings and values (``<tr><th>…</th><td>…</td></tr>``)."""
    rows = page.locator(f"{selector} tr")
    pairs = [(rows.nth(i).locator("th"), rows.nth(i).locator("td")) for i in range(rows.count())]
    return {th.text_content().strip(): td.text_content().strip() for th, td in pairs}


def _table(page: Any, selector: str, first_cell: str) -> dict[str, str]:
    """A back-office table's row starting with ``first_cell``, by its column headings."""
    table = page.locator(selector)
    headings = [text.strip() for text in table.locator("thead th").all_text_contents()]
    row = table.locator("tbody tr").filter(has_text=first_cell).first
    cells = [text.strip() for text in row.locator("td").all_inner_texts()]
    return dict(zip(headings, cells, strict=True))


def _messages(office: Any) -> str:
    return " ".join(office.locator("ul.messagelist li").all_inner_texts())


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_register_sign_activate_stop_run_import_paid(
    page: Any, live_server: Any, frozen: Any, exchange: Path, tmp_path: Path
) -> None:
    _billing_reference_data()
    person = make_customer(pin="4826")
    with_token(person)
    policy = apply_online(person, online_input(person, level=30)).policy
    assert isinstance(policy, Policy)
    clerk = staff_with_totp("billing_clerk", "premiehandlaggare")
    account = f"3300-{person.id_number[2:]}"  # a Nordea personal account: the personal number
    assert clock.today() == REGISTERED

    # The customer registers a mandate for the policy and signs it with the token.
    _login(page, person)
    page.get_by_role("link", name=sv("Premiums and autogiro")).click()
    page.wait_for_url("**/autogiro/")
    assert page.get_by_role("heading", level=1).inner_text() == sv("Premiums and autogiro")
    assert sv("You pay no insurance by autogiro yet.") in page.locator("main").inner_text()
    page.get_by_label(sv("Clearing and account number")).fill(account)
    page.get_by_label(sv("Bank"), exact=True).fill("Nordea")
    page.get_by_role("checkbox", name=policy.number).check()
    page.get_by_role("button", name=sv("Continue to signing")).click()
    page.wait_for_url("**/bank/sign/**")
    signed = page.locator("#signed-text").inner_text()
    assert account in signed and policy.number in signed
    challenge = page.locator("#challenge").inner_text().strip()
    token = SecurityToken.objects.get(party=person.party, state="active")
    page.get_by_label("Svar från säkerhetsdosan").fill(token_expected_response(token, challenge))
    page.get_by_role("button", name=sv("Sign the autogiro mandate"), exact=True).click()
    page.wait_for_url("**/autogiro/")
    assert page.get_by_role("status").inner_text() == sv(
        "Your autogiro mandate is signed and goes to Bankgirot with the next run. Setting it "
        "up can take a while; an invoice that comes meanwhile must be paid."
    )
    mandate = Mandate.objects.get(payer=person.party)
    assert (mandate.state, mandate.channel) == (MandateState.REQUESTED, "web")
    heading = sv("Payer number %(number)s") % {"number": mandate.payer_number}
    card = page.get_by_role("region", name=heading)
    assert (
        card.get_by_role("heading").inner_text() == f"{heading}: {sv(MandateState.REQUESTED.label)}"
    )
    assert _fact(card, sv("Account")) == f"{account} (Nordea)"
    assert (
        _fact(card, sv("Insurances"))
        == f"{policy.number} ({sv(PeriodChoice.MONTHLY.label).lower()})"
    )
    assert _cells(
        page.get_by_role("table", name=sv("Payment plan and next debits")).locator("tbody tr")
    ) == [sv("No premiums due.")]
    # The policy has its mandate: nothing is left to register.
    assert page.get_by_role("heading", name=sv("Pay by autogiro")).count() == 0

    # The runs send the mandate and plan the premiums; Bankgirot's notice activates it.
    _play(exchange, *PLAYED)
    december, january = Charge.objects.filter(policy=policy).order_by("due_date")[:2]
    assert (december.due_date, january.due_date) == (DECEMBER_DUE, JANUARY_DUE)

    with clock.business_date(PLAYED[1]):
        page.reload()
        card = page.get_by_role("region", name=heading)
        assert (
            card.get_by_role("heading").inner_text()
            == f"{heading}: {sv(MandateState.ACTIVE.label)}"
        )
        assert _fact(card, sv("Active from")) == "2026-11-24"
        autogiro, planned = sv(ChargeMethod.AUTOGIRO.label), sv(ChargeState.PLANNED.label)
        assert _cells(_plan_row(page, DECEMBER_DUE))[:6] == [
            "2026-12-03",
            policy.number,
            "2026-12-01",
            kr(december.amount),
            autogiro,
            planned,
        ]
        assert _cells(_plan_row(page, JANUARY_DUE))[:6] == [
            "2027-01-04",
            policy.number,
            "2027-01-01",
            kr(january.amount),
            autogiro,
            planned,
        ]
        rows = page.get_by_role("table", name=sv("Payment plan and next debits")).locator(
            "tbody tr"
        )
        assert rows.count() == 12  # the year's monthly premiums
        plan = page.get_by_role("link", name=f"{sv(NoticeKind.PLAN.label)} 2026-11-23")
        assert kr(Decimal("1322.00")) in page.get_by_role("listitem").filter(has=plan).inner_text()
        with page.expect_download() as download:
            plan.click()
        path = download.value.path()
        assert path is not None and Path(path).read_bytes()[:4] == b"%PDF"

        # One debit is stopped; the mandate stays.
        stop = sv("Stop this debit")
        _plan_row(page, JANUARY_DUE).get_by_role("button", name=stop).click()
        # First what will happen, on a page of its own; nothing is stopped before it is confirmed.
        page.wait_for_url("**/autogiro/debits/*/stop/")
        assert page.get_by_role("heading", level=1).inner_text() == sv("Stop a debit")
        told = page.locator("#consequence").inner_text()
        assert "2027-01-04" in told and kr(january.amount) in told and "2027-02-01" in told
        assert Charge.objects.get(pk=january.pk).state == ChargeState.PLANNED
        assert axe_findings(page) == []
        page.get_by_role("button", name=sv("Stop the debit")).click()
        page.wait_for_url("**/autogiro/")
        february = Charge.objects.get(policy=policy, period_start=dt.date(2027, 2, 1))
        assert page.get_by_role("status").inner_text() == (
            sv("The debit of %(due)s is stopped. Your mandate remains.") % {"due": "2027-01-04"}
            + " "
            + sv("The premium is still owed: it is debited on %(next)s, in a debit of %(amount)s.")
            % {"next": "2027-02-01", "amount": kr(february.amount)}
        )
        assert february.carried == january.amount and february.fee == 0
        assert _cells(_plan_row(page, JANUARY_DUE))[STATE] == sv(ChargeState.STOPPED.label)
        assert _plan_row(page, JANUARY_DUE).get_by_role("button").count() == 0
        assert _plan_row(page, DECEMBER_DUE).get_by_role("button", name=stop).is_visible()
        card = page.get_by_role("region", name=heading)
        assert sv(MandateState.ACTIVE.label) in card.get_by_role("heading").inner_text()

    # The billing clerk runs the billing of 30 November on the dashboard: December's debit is
    # ordered.
    office = page.context.browser.new_context(base_url=live_server.url, locale="sv-SE")
    with clock.business_date(ORDER_RUN):
        desk = backoffice_login(office, "premiehandlaggare", clerk)
        desk.goto("/backoffice/billing/billingrun/dashboard/")
        assert desk.get_by_role("heading", name=sv("Billing dashboard")).is_visible()
        assert desk.get_by_label(sv("Business date")).input_value() == "2026-11-30"
        desk.get_by_role("button", name=sv("Run billing")).click()
        desk.wait_for_url("**/billing/billingrun/dashboard/job/*/")
        assert desk.locator("#job").get_attribute("data-state") == "queued"
        _worker_runs_the_jobs()
        desk.wait_for_selector("#outcome")  # the page follows the job by itself
        told = desk.locator("#job").inner_text()
        assert sv("Billing run of %(date)s done.") % {"date": "2026-11-30"} in told
        assert "AG_471117_20261130_" in told
        desk.goto("/backoffice/billing/billingrun/dashboard/")
        desk.screenshot(path="var/e2e-billing-dashboard.png", full_page=True)
        run = _table(desk, "#runs", "2026-11-30")
        assert run[sv("Debits ordered")] == "1"
        assert run[sv("Mandates sent")] == "0"
        assert run[sv("Premiums planned")] == "0"
        debits = _table(desk, "#debits", "2026-11-30")
        assert debits[sv("Awaiting answer")] == f"1 / {kr(december.amount)}"
        mandate_run = _table(desk, "#runs", "2026-11-23")
        assert mandate_run[sv("Mandates sent")] == "1"
        assert mandate_run[sv("Premiums planned")] == "12"
        # The run's own page counts the same.
        desk.locator("#runs").get_by_role("link", name="2026-11-30").click()
        desk.wait_for_url("**/billing/billingrun/*/change/")
        summary = _by_heading(desk, ".field-summary_table")
        assert summary[sv("Debits ordered")] == "1"
        assert summary[sv("Invoices")] == "0"
    december.refresh_from_db()
    assert (december.state, december.order_date) == (ChargeState.ORDERED, DECEMBER_DUE)

    # On the last day to stop it, December's debit can still be stopped; the page is left open
    # overnight and the stop comes a day late: the customer is told the deadline.
    with clock.business_date(STOP_DEADLINE):
        page.reload()
        assert _cells(_plan_row(page, DECEMBER_DUE))[STATE] == sv(ChargeState.ORDERED.label)
        stop_december = _plan_row(page, DECEMBER_DUE).get_by_role("button", name=stop)
        assert stop_december.is_visible()
    with clock.business_date(STOP_DEADLINE + dt.timedelta(days=1)):
        stop_december.click()
        page.wait_for_url("**/autogiro/")
        refusal = page.locator(".messages .message.error")
        assert refusal.inner_text() == sv(
            "Too late to stop the debit of %(due)s: a stop must reach us at the latest 2 bank "
            "days before the due date, that is by %(deadline)s. Your bank can still stop it if "
            "you ask it by the bank day before."
        ) % {"due": "2026-12-03", "deadline": "2026-12-01"}
        assert _cells(_plan_row(page, DECEMBER_DUE))[STATE] == sv(ChargeState.ORDERED.label)
        assert _plan_row(page, DECEMBER_DUE).get_by_role("button").count() == 0
    december.refresh_from_db()
    assert december.state == ChargeState.ORDERED

    # On the due date the clerk imports Bankgirot's payment specification: December is paid.
    upload = tmp_path / "upload"
    upload.mkdir()
    spec = payment_spec(
        upload,
        PAID_ON,
        [(mandate.payer_number, december.reference, december.amount, "0")],
        name="BFEP.IAGAG.K0471117.D261203.T063000.BET.txt",
    )
    with clock.business_date(PAID_ON):
        desk.goto("/backoffice/billing/billingrun/dashboard/")
        desk.get_by_label(sv("File from Bankgirot")).set_input_files(spec)
        desk.get_by_role("button", name=sv("Import"), exact=True).click()
        desk.wait_for_url("**/billing/billingrun/dashboard/job/*/")
        _worker_runs_the_jobs()
        desk.wait_for_selector("#counts")  # the page follows the job by itself
        assert desk.get_by_role("heading", level=1).inner_text() == sv(
            "Import from Bankgirot: %(name)s"
        ) % {"name": spec.name}
        assert sv("%(name)s is imported: %(records)s records.") % {
            "name": spec.name,
            "records": len(spec.read_bytes().splitlines()),
        } in _messages(desk)
        counts = _by_heading(desk, "#counts")
        assert counts[sv(pgettext_lazy("state of a charge", "Paid"))] == "1"
        assert counts[sv("Failed")] == "0"
        assert counts[sv("Unmatched")] == "0"
        assert Decimal(counts[sv("Paid (kr)")].replace(",", ".")) == december.amount

        desk.goto("/backoffice/billing/bankgirotfile/")
        logged = desk.locator("#result_list tbody tr").filter(has_text=spec.name)
        assert logged.count() == 1
        assert "BET. SPEC & STOPP TK" in logged.inner_text()
        desk.goto(f"/backoffice/billing/charge/?q={december.reference}")
        charge_row = desk.locator("#result_list tbody tr")
        assert charge_row.count() == 1
        assert charge_row.locator("td.field-state").inner_text() == sv(ChargeState.PAID.label)
        office.close()

        # The customer sees December paid and January stopped.
        page.reload()
        assert _cells(_plan_row(page, DECEMBER_DUE))[STATE] == sv(ChargeState.PAID.label)
        assert _cells(_plan_row(page, JANUARY_DUE))[STATE] == sv(ChargeState.STOPPED.label)
        page.screenshot(path="var/e2e-autogiro.png", full_page=True)
    december.refresh_from_db()
    assert (december.state, december.settled_on) == (ChargeState.PAID, PAID_ON)
