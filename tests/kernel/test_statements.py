"""Prepared reads: compiled once, they answer exactly what the queryset answers, for every key."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import DatabaseError, connection, connections, transaction
from django.db.models import CharField, Q, Value
from django.db.models.functions import TruncDate
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import Customer, make_customer
from trygg.identity.models import LoginChannel, LoginEvent, LoginMethod
from trygg.kernel import clock
from trygg.kernel.statements import (
    PreparedRead,
    PreparedRows,
    TimeText,
    prefetched,
    reused_cursor,
    time_of,
)
from trygg.parties.models import Address, Party

LOGINS = PreparedRead(
    lambda party_id, limit: LoginEvent.objects.filter(party_id=party_id).order_by(
        "-occurred_at", "-id"
    )[:limit]
)


def _logins(customer: Customer, count: int) -> None:
    start = clock.now() - dt.timedelta(days=1)
    LoginEvent.objects.bulk_create(
        LoginEvent(
            party=customer.party,
            occurred_at=start + dt.timedelta(minutes=i),
            method=LoginMethod.PIN,
            channel=LoginChannel.WEB,
            success=i % 3 != 0,
        )
        for i in range(count)
    )


@pytest.mark.django_db
def test_a_prepared_read_answers_as_the_queryset_for_each_key_and_option() -> None:
    first, second = make_customer(), make_customer(born=dt.date(1970, 5, 5), pin="7391")
    _logins(first, 7)
    _logins(second, 3)
    for customer in (first, second, first):
        for limit in (2, 5, 20):
            expected = list(
                LoginEvent.objects.filter(party=customer.party).order_by("-occurred_at", "-id")[
                    :limit
                ]
            )
            got = LOGINS(customer.party.pk, limit=limit)
            assert [(e.pk, e.occurred_at, e.success) for e in got] == [
                (e.pk, e.occurred_at, e.success) for e in expected
            ]
            assert all(e.occurred_at.tzinfo is not None for e in got)  # converted as the ORM does
    assert LOGINS(10**9, limit=5) == []


@pytest.mark.django_db
def test_a_prepared_read_runs_one_statement_and_its_instances_are_ordinary_models() -> None:
    customer = make_customer()
    read = PreparedRead(lambda party_id: Party.objects.filter(pk=party_id))
    read(customer.party.pk)
    with CaptureQueriesContext(connection) as queries:
        (party,) = read(customer.party.pk)
    assert len(queries) == 1
    assert party == customer.party and party.display_name == customer.party.display_name
    assert not party._state.adding
    assert list(party.addresses.all()) == list(Address.objects.filter(party=customer.party))


@pytest.mark.django_db
def test_string_keys_and_unions_are_bound_in_every_place() -> None:
    customer = make_customer()
    by_number = PreparedRead(
        lambda number, party_id: (
            Party.objects.filter(customer_number=number)
            .order_by()
            .union(Party.objects.filter(pk=party_id).order_by(), all=True)
        )
    )
    assert [p.pk for p in by_number(customer.party.customer_number, 10**9)] == [customer.party.pk]
    assert by_number("no such number", 10**9) == []
    assert [p.pk for p in by_number("no such number", customer.party.pk)] == [customer.party.pk]


@pytest.mark.parametrize(
    ("build", "problem"),
    [
        (lambda pk: Party.objects.filter(pk=pk).select_related("sole_trader"), "plain"),
        (lambda pk: Party.objects.filter(pk=pk).prefetch_related("addresses"), "plain"),
        (lambda pk: Party.objects.filter(pk=pk).values("pk"), "plain"),
        (lambda pk: Party.objects.filter(pk=pk).only("pk"), "fields"),
        (lambda pk: Party.objects.filter(pk=pk).annotate(n=Q(pk=1)), "fields"),
        (lambda pk: Party.objects.filter(pk=pk + 1), "unchanged"),
        (lambda pk: Party.objects.all(), "unchanged"),
    ],
)
@pytest.mark.django_db
def test_what_cannot_be_prepared_is_refused_when_first_used(build: object, problem: str) -> None:
    with pytest.raises(TypeError, match=problem):
        PreparedRead(build)(1)  # type: ignore[arg-type]


@pytest.mark.django_db(transaction=True)
def test_threads_read_through_their_own_connections_and_share_one_compilation() -> None:
    customer = make_customer()
    read = PreparedRead(lambda party_id: Party.objects.filter(pk=party_id))
    seen: list[list[int]] = []

    def work() -> None:
        try:
            seen.append([p.pk for p in read(customer.party.pk)])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:  # one after the other: SQLite serialises them anyway
        thread.start()
        thread.join()
    assert seen == [[customer.party.pk]] * 4
    assert len(read._compiled) == 1  # a threaded server does not compile once per thread


def _driver_cursor() -> object:
    return reused_cursor(connections["default"]).cursor


@pytest.mark.django_db
def test_reads_reuse_one_driver_cursor_per_connection_and_a_new_connection_gets_its_own() -> None:
    customer = make_customer()
    read = PreparedRead(lambda party_id: Party.objects.filter(pk=party_id))
    assert [p.pk for p in read(customer.party.pk)] == [customer.party.pk]
    first = _driver_cursor()
    assert [p.pk for p in read(customer.party.pk)] == [customer.party.pk]
    assert _driver_cursor() is first  # no driver cursor made per read

    with CaptureQueriesContext(connection) as queries:  # the query log still sees each read
        read(customer.party.pk)
        read(customer.party.pk)
    assert len(queries) == 2


@pytest.mark.django_db(transaction=True)
def test_after_a_reconnect_the_reads_use_the_new_connection() -> None:
    customer = make_customer()
    read = PreparedRead(lambda party_id: Party.objects.filter(pk=party_id))
    read(customer.party.pk)
    connections["default"].close()  # on PostgreSQL the next read opens a new connection
    assert [p.pk for p in read(customer.party.pk)] == [customer.party.pk]
    assert _driver_cursor().connection is connections["default"].connection  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_a_read_keeps_djangos_guards_for_errors_and_broken_transactions() -> None:
    customer = make_customer()
    read = PreparedRead(lambda party_id: Party.objects.filter(pk=party_id))
    read(customer.party.pk)
    with pytest.raises(DatabaseError), transaction.atomic():  # the driver's error as Django's
        reused_cursor(connections["default"]).execute("SELECT * FROM no_such_table")
    with transaction.atomic():
        transaction.set_rollback(True)  # as after an error inside the block
        with pytest.raises(TransactionManagementError):
            read(customer.party.pk)
    assert [p.pk for p in read(customer.party.pk)] == [customer.party.pk]


@pytest.mark.django_db
def test_prepared_rows_answer_as_the_values_list_for_dates_and_any_number_of_keys() -> None:
    first, second = make_customer(), make_customer(born=dt.date(1970, 5, 5), pin="7391")
    _logins(first, 7)
    _logins(second, 3)
    rows = PreparedRows(
        lambda since, *party_ids, limit: (
            LoginEvent.objects.filter(party_id__in=party_ids, occurred_at__date__gte=since)
            .order_by("-occurred_at", "-id")
            .values_list("id", "party__given_name", "occurred_at", "success")[:limit]
        )
    )
    today = clock.today()
    for since in (today - dt.timedelta(days=2), today - dt.timedelta(days=1), today):
        for parties in ((first,), (second,), (first, second)):
            for limit in (2, 20):
                ids = [c.party.pk for c in parties]
                expected = list(
                    LoginEvent.objects.filter(party_id__in=ids, occurred_at__date__gte=since)
                    .order_by("-occurred_at", "-id")
                    .values_list("id", "party__given_name", "occurred_at", "success")[:limit]
                )
                got = rows(since, *ids, limit=limit)
                assert got == expected
                assert all(isinstance(row, tuple) for row in got)
    assert len(rows._compiled) == 4  # per number of parties and limit, not per key
    assert rows(today, 10**9, limit=5) == []


@pytest.mark.django_db
def test_prepared_rows_of_a_union_with_computed_columns() -> None:
    customer = make_customer()
    _logins(customer, 4)
    text = CharField()
    rows = PreparedRows(
        lambda party_id: (
            LoginEvent.objects.filter(party_id=party_id)
            .annotate(k=Value("login", output_field=text), day=TruncDate("occurred_at"))
            .order_by()
            .values_list("k", "day")
            .union(
                Address.objects.filter(party_id=party_id)
                .annotate(k=Value("address", output_field=text), day=TruncDate("updated_at"))
                .order_by()
                .values_list("k", "day"),
                all=True,
            )
            .order_by("k", "-day")
        )
    )
    got = rows(customer.party.pk)
    assert [k for k, _ in got] == ["address"] + ["login"] * 5
    assert all(isinstance(day, dt.date) and not isinstance(day, dt.datetime) for _, day in got)
    assert got[1][1] == max(
        timezone.localdate(e.occurred_at) for e in LoginEvent.objects.filter(party=customer.party)
    )


@pytest.mark.parametrize(
    "build",
    [
        lambda pk: Party.objects.filter(pk=pk),
        lambda pk: Party.objects.filter(pk=pk).values("pk"),
        lambda pk: Party.objects.filter(pk=pk).values_list("pk", flat=True),
    ],
)
@pytest.mark.django_db
def test_prepared_rows_are_of_a_values_list(build: object) -> None:
    with pytest.raises(TypeError, match="values_list"):
        PreparedRows(build)(1)  # type: ignore[arg-type]


@pytest.mark.django_db
def test_times_read_as_text_are_the_times_django_reads() -> None:
    customer = make_customer()
    zone = dt.timezone(dt.timedelta(hours=14))
    for occurred in (
        dt.datetime(2026, 12, 8, 9, 30, tzinfo=dt.UTC),
        dt.datetime(2026, 12, 8, 9, 30, 5, 500000, tzinfo=dt.UTC),
        dt.datetime(2026, 12, 8, 9, 30, 5, 50, tzinfo=zone),
        dt.datetime(2026, 6, 30, 23, 59, 59, 999999, tzinfo=zone),
    ):
        login = LoginEvent.objects.create(
            party=customer.party,
            occurred_at=occurred,
            method=LoginMethod.PIN,
            channel=LoginChannel.WEB,
            success=True,
        )
        read = LoginEvent.objects.filter(pk=login.pk).values_list(
            "occurred_at", TimeText("occurred_at")
        )
        ((expected, text),) = read
        assert time_of(text) == expected == occurred
        assert time_of(text).tzinfo is expected.tzinfo  # type: ignore[union-attr]
    assert time_of(None) is None


@pytest.mark.django_db
def test_prefetched_objects_answer_as_a_prefetch_would() -> None:
    first, second = make_customer(), make_customer(born=dt.date(1970, 5, 5), pin="7391")
    Address.objects.create(party=first.party, kind="visiting", street="Kungsgatan 2")
    addresses = PreparedRead(
        lambda *party_ids: Address.objects.filter(party_id__in=party_ids).order_by("pk")
    )
    rows = addresses(first.party.pk, second.party.pk)
    party = Party.objects.get(pk=first.party.pk)
    own = [a for a in rows if a.party_id == party.pk]
    prefetched(party, "addresses", own)
    with CaptureQueriesContext(connection) as queries:
        assert list(party.addresses.all()) == own
        assert all(a.party is party for a in party.addresses.all())
    assert len(queries) == 0
    # A further filter queries the party's own addresses, as after prefetch_related.
    assert [a.street for a in party.addresses.filter(kind="visiting")] == ["Kungsgatan 2"]
    assert len(own) == 2 and len(rows) == 3
