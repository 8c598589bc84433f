"""Every write of the protection service's agreements and invoices: starting an agreement,
cancelling it, asking for no renewal offers, moving a due date, and the daily run that renews,
invoices, reminds and ends agreements for the business date.

An agreement moves only through :func:`_move` and :data:`rules.AGREEMENT_TRANSITIONS`. The daily
run is set-based: each step is a handful of statements over every agreement or invoice it
concerns, never a loop over agreements, and each is idempotent per business date (a second run
of the same day finds nothing left to do).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Exists, F, Min, OuterRef, QuerySet
from django.utils.translation import gettext as _

from trygg.kernel import clock
from trygg.kernel.audit import SYSTEM, AuditContext, audit_record
from trygg.kernel.bankdays import calendar_for
from trygg.kernel.counters import counter_next
from trygg.kernel.errors import NotFound, ValidationFailed
from trygg.kernel.models import AuditAction, Counter
from trygg.kernel.money import round_amount
from trygg.parties.models import Party
from trygg.protection import rules
from trygg.protection.messages import rule_message
from trygg.protection.models import (
    Agreement,
    AgreementLetter,
    AgreementState,
    Invoice,
    InvoiceKind,
    InvoiceState,
    LegalEntity,
    LetterKind,
    PaymentPlan,
    Product,
)

INVOICE_COUNTER = "protection_invoice"
INVOICE_START = 10_000_001
LAPSE_CHUNK = 10_000


def _failed(error: rules.RuleError) -> ValidationFailed:
    return ValidationFailed(code=error.code, field=error.field, message=rule_message(error))


def _bank_days(day: dt.date, n: int) -> dt.date:
    return calendar_for("NO").add_bank_days(day, n)


def entity_on(day: dt.date) -> LegalEntity:
    """The intermediary's entity in force on ``day``."""
    entities = list(LegalEntity.objects.all())
    try:
        terms = rules.entity_on((e.terms() for e in entities), day)
    except rules.RuleError as error:
        raise _failed(error) from error
    return next(e for e in entities if e.code == terms.code)


def _move(agreement: Agreement, to: rules.AgreementState) -> None:
    try:
        rules.check_move(rules.AGREEMENT_TRANSITIONS, agreement.state, to, "agreement")
    except rules.RuleError as error:
        raise _failed(error) from error
    agreement.state = to


def _numbers(count: int) -> range:
    """``count`` consecutive invoice numbers, reserved under the counter's lock."""
    if count <= 0:
        return range(0)
    with transaction.atomic():
        counter, _created = Counter.objects.select_for_update().get_or_create(
            name=INVOICE_COUNTER, defaults={"value": INVOICE_START - 1}
        )
        first = counter.value + 1
        counter.value += count
        counter.save(update_fields=["value"])
    return range(first, first + count)


def kid_for(number: int) -> str:
    """The KID of an invoice: its number and a MOD10 check digit."""
    return rules.kid_make(str(number))


def _action_after(deadline: dt.date) -> dt.date:
    return rules.action_after(deadline, _bank_days)


@dataclass(frozen=True)
class _NewInvoice:
    agreement_id: int
    entity_id: int
    amount: Decimal
    period_start: dt.date
    period_end: dt.date
    due_on: dt.date


def _issue(
    rows: list[_NewInvoice], *, kind: InvoiceKind, letter: LetterKind, on: dt.date
) -> list[Invoice]:
    """Write invoices (numbers and KIDs reserved in one step) and their letters."""
    numbers = _numbers(len(rows))
    invoices = [
        Invoice(
            number=number,
            agreement_id=row.agreement_id,
            entity_id=row.entity_id,
            kind=kind,
            state=InvoiceState.OPEN,
            kid=kid_for(number),
            amount=row.amount,
            currency="NOK",
            period_start=row.period_start,
            period_end=row.period_end,
            issued_on=on,
            original_due_on=row.due_on,
            due_on=row.due_on,
            action_on=(
                row.due_on + dt.timedelta(days=rules.OFFER_OPEN_DAYS)
                if kind == InvoiceKind.OFFER
                else _action_after(row.due_on)
            ),
        )
        for number, row in zip(numbers, rows, strict=True)
    ]
    Invoice.objects.bulk_create(invoices, batch_size=2000)
    # The numbers are one consecutive range, reserved under the counter's lock.
    created = (
        Invoice.objects.filter(number__gte=numbers.start, number__lt=numbers.stop).only(
            "pk", "agreement_id", "entity_id"
        )
        if invoices
        else []
    )
    AgreementLetter.objects.bulk_create(
        [
            AgreementLetter(
                agreement_id=invoice.agreement_id,
                invoice_id=invoice.pk,
                entity_id=invoice.entity_id,
                kind=letter,
                seq=0,
                sent_on=on,
            )
            for invoice in created
        ],
        batch_size=2000,
    )
    return list(created)


# -- services -------------------------------------------------------------------------------


def agreement_start(
    *,
    ctx: AuditContext,
    customer: Party,
    product_code: str,
    start_on: dt.date | None = None,
) -> Agreement:
    """A new agreement with the entity in force on its first day, its first invoice and the
    agreement letter."""
    product = Product.objects.filter(code=product_code, active=True).first()
    if product is None:
        raise ValidationFailed(
            code="product.unknown", field="product", message=_("Choose a product from the list.")
        )
    today = clock.today()
    start = start_on or today
    if start < today:
        raise ValidationFailed(
            code="start.past", field="start_on", message=_("An agreement cannot start in the past.")
        )
    plan = rules.PaymentPlan(product.plan)
    months = rules.term_months(plan, product.period_months)
    first_end = rules.term_end(start, months)
    invoiced_until = rules.term_end(start, product.period_months)
    with transaction.atomic():
        entity = entity_on(start)
        agreement = Agreement.objects.create(
            number=f"A{counter_next(name='protection_agreement', start=500001)}",
            customer=customer,
            product=product,
            plan=product.plan,
            entity=entity,
            state=AgreementState.ACTIVE,
            started_on=start,
            first_term_end=first_end,
            term_start=start,
            term_end=first_end,
            invoiced_until=invoiced_until,
            created_at=clock.now(),
        )
        AgreementLetter.objects.create(
            agreement=agreement, entity=entity, kind=LetterKind.AGREEMENT, sent_on=today
        )
        _issue(
            [
                _NewInvoice(
                    agreement.pk,
                    entity.pk,
                    round_amount(product.price, "NOK"),
                    start,
                    invoiced_until,
                    max(start, today + dt.timedelta(days=rules.INVOICE_LEAD_DAYS)),
                )
            ],
            kind=InvoiceKind.CLAIM,
            letter=LetterKind.INVOICE,
            on=today,
        )
        audit_record(
            ctx=ctx,
            action=AuditAction.CREATE,
            subject_id=customer.pk,
            object_type="protection_agreement",
            object_id=agreement.pk,
            detail={"product": product.code, "entity": entity.code, "start": start.isoformat()},
        )
    return agreement


def _own_agreement(agreement_id: int, customer: Party | None) -> Agreement:
    found = Agreement.objects.select_for_update().filter(pk=agreement_id)
    if customer is not None:
        found = found.filter(customer=customer)
    agreement = found.select_related("product").first()
    if agreement is None:
        raise NotFound(_("No such agreement."), code="agreement.not_found")
    return agreement


def agreement_cancel(
    *,
    ctx: AuditContext,
    agreement_id: int,
    customer: Party | None = None,
    end_on: dt.date | None = None,
) -> Agreement:
    """The customer's notice: a monthly plan ends at the end of the first term or one month
    after the notice; a prepaid plan or an insurance at the end of its period, with no offer or
    renewal. ``customer`` limits the agreement to that customer's own (Mine sider)."""
    today = clock.today()
    with transaction.atomic():
        agreement = _own_agreement(agreement_id, customer)
        try:
            end = rules.check_cancellation(
                plan=rules.PaymentPlan(agreement.plan),
                notice_on=today,
                first_term_end=agreement.first_term_end,
                current_term_end=agreement.term_end,
                end_on=end_on,
            )
        except rules.RuleError as error:
            raise _failed(error) from error
        _move(agreement, rules.AgreementState.NOTICE)
        agreement.notice_on = today
        agreement.end_on = end
        agreement.save(update_fields=["state", "notice_on", "end_on"])
        # Invoices and offers for periods after the end are not owed.
        Invoice.objects.filter(
            agreement=agreement, state=InvoiceState.OPEN, period_start__gt=end
        ).update(state=InvoiceState.CANCELLED, action_on=None)
        AgreementLetter.objects.create(
            agreement=agreement, entity=agreement.entity, kind=LetterKind.NOTICE, sent_on=today
        )
        audit_record(
            ctx=ctx,
            action=AuditAction.UPDATE,
            subject_id=agreement.customer_id,
            object_type="protection_agreement",
            object_id=agreement.pk,
            detail={"cancelled": today.isoformat(), "end_on": end.isoformat()},
        )
    return agreement


def agreement_no_offers(
    *, ctx: AuditContext, agreement_id: int, customer: Party | None = None, no_offers: bool = True
) -> Agreement:
    """The customer asks for no renewal offers (prepaid plans)."""
    with transaction.atomic():
        agreement = _own_agreement(agreement_id, customer)
        if agreement.plan != PaymentPlan.PREPAID:
            raise ValidationFailed(
                code="no_offers.plan",
                field="no_offers",
                message=_("Only a prepaid agreement gets renewal offers."),
            )
        agreement.no_offers = no_offers
        agreement.save(update_fields=["no_offers"])
        audit_record(
            ctx=ctx,
            action=AuditAction.UPDATE,
            subject_id=agreement.customer_id,
            object_type="protection_agreement",
            object_id=agreement.pk,
            detail={"no_offers": no_offers},
        )
    return agreement


def invoice_move_due(
    *, ctx: AuditContext, invoice_id: int, new_due: dt.date, customer: Party | None = None
) -> Invoice:
    """Move an invoice's due date on the customer's request, as often and as far as the
    product allows. One request wins under concurrency (a conditional update)."""
    found = Invoice.objects.filter(pk=invoice_id, kind=InvoiceKind.CLAIM).select_related(
        "agreement__product"
    )
    if customer is not None:
        found = found.filter(agreement__customer=customer)
    invoice = found.first()
    if invoice is None:
        raise NotFound(_("No such invoice."), code="invoice.not_found")
    if invoice.state != InvoiceState.OPEN:
        raise ValidationFailed(
            code="due_on.not_open", field="due_on", message=_("This invoice is not open.")
        )
    try:
        rules.check_due_move(
            rule=invoice.agreement.product.due_move_rule(),
            moves_used=invoice.due_moves,
            original_due=invoice.original_due_on,
            current_due=invoice.due_on,
            new_due=new_due,
            reminders=invoice.reminders,
            today=clock.today(),
        )
    except rules.RuleError as error:
        raise _failed(error) from error
    with transaction.atomic():
        changed = Invoice.objects.filter(
            pk=invoice.pk,
            state=InvoiceState.OPEN,
            due_moves=invoice.due_moves,
            due_on=invoice.due_on,
            reminders=0,
        ).update(due_on=new_due, due_moves=F("due_moves") + 1, action_on=_action_after(new_due))
        if not changed:
            raise ValidationFailed(
                code="due_on.changed",
                field="due_on",
                message=_("The invoice changed meanwhile: look at it again."),
            )
        audit_record(
            ctx=ctx,
            action=AuditAction.UPDATE,
            subject_id=invoice.agreement.customer_id,
            object_type="protection_invoice",
            object_id=invoice.pk,
            detail={"due_on": [invoice.due_on.isoformat(), new_due.isoformat()]},
        )
    invoice.refresh_from_db()
    return invoice


# -- the daily run --------------------------------------------------------------------------


@dataclass
class RunResult:
    day: dt.date
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, count: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + count


def _letters_for(invoices: QuerySet[Invoice], *, kind: LetterKind, seq: int, on: dt.date) -> int:
    """One letter per invoice of ``invoices`` in one INSERT ... SELECT."""
    select = invoices.values_list("agreement_id", "id", "entity_id")
    sql, params = select.query.sql_with_params()
    table = AgreementLetter._meta.db_table
    sent_on = connection.ops.adapt_datefield_value(on)
    inner = sql.split(" FROM ", 1)
    statement = (
        f"INSERT INTO {table} (agreement_id, invoice_id, entity_id, kind, seq, sent_on) "  # noqa: S608
        f"SELECT {inner[0][len('SELECT ') :]}, %s, %s, %s FROM {inner[1]}"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, (str(kind), seq, sent_on, *params))
        return int(cursor.rowcount)


def _end_notices(day: dt.date, result: RunResult) -> None:
    ending = Agreement.objects.filter(state=AgreementState.NOTICE, end_on__lt=day)
    Invoice.objects.filter(
        agreement__in=ending, state=InvoiceState.OPEN, period_start__gt=F("agreement__end_on")
    ).update(state=InvoiceState.CANCELLED, action_on=None)
    result.add("ended", ending.update(state=AgreementState.ENDED))


def _advance(agreements: QuerySet[Agreement], result: RunResult, name: str) -> None:
    """Agreements whose term ended start the next one, with the entity in force on its first
    day. Grouped by the old end date and the term's length, so each group is one UPDATE."""
    while True:
        groups = list(
            # order_by(): the model's ordering would make every row distinct
            agreements.order_by()
            .values_list("term_end", "plan", "product__period_months")
            .distinct()
        )
        if not groups:
            return
        for old_end, plan, period in groups:
            start = old_end + dt.timedelta(days=1)
            months = rules.term_months(rules.PaymentPlan(plan), period)
            result.add(
                name,
                agreements.filter(
                    term_end=old_end, plan=plan, product__period_months=period
                ).update(
                    term_start=start,
                    term_end=rules.term_end(start, months),
                    entity=entity_on(start),
                ),
            )


def _expire_prepaid(day: dt.date, result: RunResult) -> None:
    """A prepaid period that ran out: renewed when its offer was paid, else expired."""
    ended = Agreement.objects.filter(
        plan=PaymentPlan.PREPAID, state=AgreementState.ACTIVE, term_end__lt=day
    )
    paid_offer = Invoice.objects.filter(
        agreement=OuterRef("pk"),
        kind=InvoiceKind.OFFER,
        state=InvoiceState.PAID,
        period_start__gt=OuterRef("term_end"),
    )
    _advance(ended.filter(Exists(paid_offer)), result, "renewed")
    result.add("expired", ended.update(state=AgreementState.EXPIRED))


def _renew_terms(day: dt.date, result: RunResult) -> None:
    """Monthly plans renew for three months unless cancelled; an insurance starts its new
    agreement year (non-payment of the renewal ends it later, see :func:`_lapse`)."""
    _advance(
        Agreement.objects.filter(
            plan__in=[PaymentPlan.MONTHLY, PaymentPlan.ANNUAL],
            state=AgreementState.ACTIVE,
            term_end__lt=day,
        ),
        result,
        "renewed",
    )


def _issue_next(day: dt.date, result: RunResult) -> None:
    """The next invoices: a monthly plan's next month (14 days ahead), an insurance's renewal
    with its renewal letter and a prepaid period's offer (30 days ahead of the term's end)."""
    monthly_until = day + dt.timedelta(days=rules.INVOICE_LEAD_DAYS)
    renewal_until = day + dt.timedelta(days=rules.RENEWAL_LEAD_DAYS)
    steps: list[tuple[QuerySet[Agreement], InvoiceKind, LetterKind, str]] = [
        (
            Agreement.objects.filter(
                plan=PaymentPlan.MONTHLY,
                state__in=[AgreementState.ACTIVE, AgreementState.NOTICE],
                invoiced_until__lt=monthly_until,
            ).exclude(end_on__lte=F("invoiced_until")),
            InvoiceKind.CLAIM,
            LetterKind.INVOICE,
            "invoiced",
        ),
        (
            Agreement.objects.filter(
                plan=PaymentPlan.ANNUAL,
                state=AgreementState.ACTIVE,
                invoiced_until=F("term_end"),
                term_end__lt=renewal_until,
            ),
            InvoiceKind.CLAIM,
            LetterKind.RENEWAL,
            "renewal_letters",
        ),
        (
            Agreement.objects.filter(
                plan=PaymentPlan.PREPAID,
                state=AgreementState.ACTIVE,
                no_offers=False,
                invoiced_until=F("term_end"),
                term_end__lt=renewal_until,
            ),
            InvoiceKind.OFFER,
            LetterKind.OFFER,
            "offers",
        ),
    ]
    for agreements, kind, letter, name in steps:
        while True:
            groups = list(
                agreements.values_list("invoiced_until", "product__period_months")
                .distinct()
                .order_by("invoiced_until")
            )
            if not groups:
                break
            for until, period in groups:
                start = until + dt.timedelta(days=1)
                end = rules.term_end(start, period)
                entity = entity_on(start)
                group = agreements.filter(invoiced_until=until, product__period_months=period)
                # A period cut short by a notice's end is charged by the day, one by one; the
                # rest (nearly all) pay the product's price, in one INSERT ... SELECT.
                short = group.filter(end_on__lt=end)
                rows = [
                    _NewInvoice(pk, entity.pk, *_share(price, start, end, end_on), start)
                    for pk, price, end_on in short.values_list(
                        "pk", "product__price", "end_on"
                    ).order_by("pk")
                ]
                _issue(rows, kind=kind, letter=letter, on=day)
                issued = _issue_at_price(
                    group.exclude(end_on__lt=end),
                    kind=kind,
                    letter=letter,
                    on=day,
                    period=(start, end),
                    entity_id=entity.pk,
                )
                group.update(invoiced_until=end)  # the same rows, still in this transaction
                result.add(name, len(rows) + issued)


NEW_KIDS = "protection_new_kid"


def _issue_at_price(
    agreements: QuerySet[Agreement],
    *,
    kind: InvoiceKind,
    letter: LetterKind,
    on: dt.date,
    period: tuple[dt.date, dt.date],
    entity_id: int,
) -> int:
    """An invoice at the product's price for each of ``agreements`` for ``period``, due on its
    first day, and its letter: numbers reserved in one step, their KIDs made by
    :func:`kid_for` and staged (``COPY`` on PostgreSQL), the invoices and letters each one
    INSERT ... SELECT."""
    count = agreements.count()
    if not count:
        return 0
    numbers = _numbers(count)
    start, end = period
    action_on = (
        start + dt.timedelta(days=rules.OFFER_OPEN_DAYS)
        if kind == InvoiceKind.OFFER
        else _action_after(start)
    )
    postgresql = connection.vendor == "postgresql"
    selected, params = (
        agreements.order_by()
        .annotate(new_id=F("pk"), new_price=F("product__price"))
        .values_list("new_id", "new_price")
        .query.sql_with_params()
    )
    date = connection.ops.adapt_datefield_value
    invoice, letters = Invoice._meta.db_table, AgreementLetter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {NEW_KIDS}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {NEW_KIDS} (number bigint NOT NULL, kid varchar(25) "
            f"NOT NULL){' ON COMMIT DROP' if postgresql else ''}"
        )
        kids = [(number, kid_for(number)) for number in numbers]
        if postgresql:
            with (
                connection.connection.cursor() as copying,
                copying.copy(f"COPY {NEW_KIDS} (number, kid) FROM STDIN") as copy,
            ):
                copy.write("".join(f"{number}\t{kid}\n" for number, kid in kids))
        else:
            cursor.executemany(f"INSERT INTO {NEW_KIDS} (number, kid) VALUES (%s, %s)", kids)  # noqa: S608
        cursor.execute(
            f"INSERT INTO {invoice} (number, agreement_id, entity_id, kind, state, kid, amount, "  # noqa: S608
            "currency, period_start, period_end, issued_on, original_due_on, due_on, due_moves, "
            "reminders, action_on) "
            "SELECT k.number, g.id, %s, %s, %s, k.kid, g.price, 'NOK', %s, %s, %s, %s, %s, 0, 0, "
            f"%s FROM (SELECT a.new_id AS id, a.new_price AS price, "
            "row_number() OVER (ORDER BY a.new_id) AS n "
            f"FROM ({selected}) a) g JOIN {NEW_KIDS} k ON k.number = g.n + %s",
            [
                entity_id,
                str(kind),
                str(InvoiceState.OPEN),
                date(start),
                date(end),
                date(on),
                date(start),
                date(start),
                date(action_on),
                *params,
                numbers.start - 1,
            ],
        )
        if cursor.rowcount != count:  # the agreements changed meanwhile: nothing is kept
            raise ValidationFailed(
                code="run.changed",
                field="day",
                message=_("The agreements changed during the run: run it again."),
            )
        cursor.execute(
            f"INSERT INTO {letters} (agreement_id, invoice_id, entity_id, kind, seq, sent_on) "  # noqa: S608
            f"SELECT agreement_id, id, entity_id, %s, 0, %s FROM {invoice} "
            "WHERE number >= %s AND number < %s",
            [str(letter), date(on), numbers.start, numbers.stop],
        )
        cursor.execute(f"DROP TABLE {NEW_KIDS}")
    return count


def _share(
    price: Decimal, start: dt.date, end: dt.date, end_on: dt.date | None
) -> tuple[Decimal, dt.date, dt.date]:
    """The amount and period of an invoice; a period cut short by a notice's end is charged
    by the day."""
    if end_on is None or end_on >= end:
        return round_amount(price, "NOK"), start, end
    days = Decimal((end_on - start).days + 1)
    return round_amount(price * days / Decimal((end - start).days + 1), "NOK"), start, end_on


def _remind(day: dt.date, result: RunResult) -> None:
    """At most two reminders, each only once a payment made by the deadline would have been
    registered (the fourth Norwegian bank day after it has passed)."""
    next_action = _action_after(day + dt.timedelta(days=rules.REMINDER_DAYS))
    for already in (1, 0):  # the second reminders first, so no invoice gets two in one run
        due = Invoice.objects.filter(
            state=InvoiceState.OPEN,
            kind=InvoiceKind.CLAIM,
            reminders=already,
            action_on__lte=day,
        )
        _letters_for(due, kind=LetterKind.REMINDER, seq=already + 1, on=day)
        result.add(
            f"reminder_{already + 1}",
            due.update(reminders=already + 1, reminded_on=day, action_on=next_action),
        )


def _lapse(day: dt.date, result: RunResult) -> None:
    """Two reminders unanswered: the agreement ends for non-payment on the day before the
    first unpaid period (an insurance: FAL, no separate notice), with a letter saying so, and
    its open invoices are cancelled. Grouped by end date, one UPDATE per group."""
    unpaid = Invoice.objects.filter(
        state=InvoiceState.OPEN,
        kind=InvoiceKind.CLAIM,
        reminders=rules.MAX_REMINDERS,
        action_on__lte=day,
        agreement__state__in=[AgreementState.ACTIVE, AgreementState.NOTICE],
    )
    _letters_for(unpaid, kind=LetterKind.LAPSE, seq=0, on=day)
    ends: dict[dt.date, list[int]] = {}
    for agreement_id, first in (
        unpaid.order_by().values("agreement").annotate(first=Min("period_start"))
    ).values_list("agreement", "first"):
        ends.setdefault(first - dt.timedelta(days=1), []).append(agreement_id)
    for end, all_ids in ends.items():
        for at in range(0, len(all_ids), LAPSE_CHUNK):  # within every database's variable limit
            agreement_ids = all_ids[at : at + LAPSE_CHUNK]
            result.add(
                "lapsed",
                Agreement.objects.filter(pk__in=agreement_ids).update(
                    state=AgreementState.LAPSED, end_on=end
                ),
            )
            Invoice.objects.filter(agreement_id__in=agreement_ids, state=InvoiceState.OPEN).update(
                state=InvoiceState.CANCELLED, action_on=None
            )


def _withdraw_offers(day: dt.date, result: RunResult) -> None:
    result.add(
        "offers_withdrawn",
        Invoice.objects.filter(
            state=InvoiceState.OPEN, kind=InvoiceKind.OFFER, action_on__lte=day
        ).update(state=InvoiceState.WITHDRAWN, action_on=None),
    )


def subscriptions_run(*, ctx: AuditContext = SYSTEM, day: dt.date) -> RunResult:
    """The daily run for ``day``: ends, expiries, renewals, new invoices, reminders, lapses."""
    result = RunResult(day)
    with transaction.atomic():
        _end_notices(day, result)
        _expire_prepaid(day, result)
        _renew_terms(day, result)
        _issue_next(day, result)
        _lapse(day, result)
        _remind(day, result)
        _withdraw_offers(day, result)
        audit_record(
            ctx=ctx,
            action=AuditAction.UPDATE,
            object_type="protection_daily_run",
            object_id=day.isoformat(),
            detail=dict(result.counts),
        )
    return result
