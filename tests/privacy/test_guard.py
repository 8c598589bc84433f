"""Intrusion and overload protection (seed 002): the vendors' blocklist and the rate limits."""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from trygg.kernel import clock
from trygg.kernel.audit import SYSTEM
from trygg.kernel.models import AuditEvent
from trygg.privacy import blocklist
from trygg.privacy.guard import Limit, counters_reset
from trygg.privacy.models import BlockedRequest
from trygg.privacy.services import retention_run

UTC = dt.UTC

# -- the list, pure ------------------------------------------------------------------------------

LIST = """\
# vendor feed, 2026-12-07
203.0.113.7
198.51.100.0/24   # a whole network
10.1.2.3/8
2001:db8::/32

"""


@pytest.mark.parametrize(
    ("address", "blocked"),
    [
        ("203.0.113.7", True),
        ("203.0.113.8", False),
        ("198.51.100.0", True),
        ("198.51.100.255", True),
        ("198.51.101.1", False),
        ("10.200.0.1", True),  # host bits of 10.1.2.3/8 ignored: the network is 10.0.0.0/8
        ("11.0.0.1", False),
        ("2001:db8:1::5", True),
        ("2001:db9::1", False),
        ("::ffff:203.0.113.7", True),  # an IPv4 address seen through an IPv6 socket
        ("", False),
        ("not-an-address", False),
    ],
)
def test_lookup(address: str, blocked: bool) -> None:
    assert blocklist.parse(LIST).blocks(address) is blocked


def test_an_empty_list_blocks_nothing() -> None:
    assert blocklist.parse("# nothing reported\n\n").size == 0
    assert not blocklist.parse("").blocks("203.0.113.7")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("203.0.113.7\n203.0.113.300\n", 2),
        ("# head\n\nexample.org\n", 3),
        ("198.51.100.0/33\n", 1),
        ("203.0.113.7 198.51.100.1\n", 1),
    ],
)
def test_a_file_that_does_not_parse_is_refused_naming_the_line(text: str, line: int) -> None:
    with pytest.raises(blocklist.BlocklistError) as caught:
        blocklist.parse(text)
    assert caught.value.line == line
    assert f"Line {line} of the blocklist" in caught.value.message
    assert "the list in force stays" in caught.value.message


def test_a_file_that_is_not_text_is_refused() -> None:
    with pytest.raises(blocklist.BlocklistError, match="not UTF-8"):
        blocklist.parse_bytes(b"203.0.113.7\n\xff\xfe\n")


@pytest.mark.parametrize(
    ("text", "limit"),
    [("300/60", Limit(300, 60)), ("10", Limit(10, 60)), ("0", Limit(0, 1)), ("", Limit(0, 1))],
)
def test_limits(text: str, limit: Limit) -> None:
    assert Limit.parse(text, "X") == limit


@pytest.mark.parametrize("text", ["ten/60", "10/0", "-1/60", "10/x"])
def test_a_limit_that_does_not_parse_names_the_setting(text: str) -> None:
    with pytest.raises(ValueError, match="TRYGG_RATE_LIMIT_CLIENT must be COUNT/SECONDS"):
        Limit.parse(text, "TRYGG_RATE_LIMIT_CLIENT")


# -- the middleware ------------------------------------------------------------------------------


@pytest.fixture
def guarded(settings: Any, tmp_path: Path) -> Path:
    cache.clear()
    counters_reset()
    path = tmp_path / "blocklist.txt"
    path.write_text(LIST)
    settings.TRYGG_BLOCKLIST_FILE = str(path)
    settings.TRYGG_BLOCKLIST_CHECK_SECONDS = 0
    settings.TRYGG_RATE_LIMIT_CLIENT = "0"
    settings.TRYGG_RATE_LIMIT_IDENTITY = "0"
    return path


def _rewrite(path: Path, text: str) -> None:
    """A new file (the vendor's next list), with a modification time of its own."""
    before = path.stat().st_mtime_ns
    path.write_text(text)
    os.utime(path, ns=(before + 10**9, before + 10**9))


@pytest.mark.django_db
def test_a_listed_address_is_refused_and_recorded_an_allowed_one_leaves_nothing(
    guarded: Path,
) -> None:
    events = AuditEvent.objects.count()
    allowed = Client(REMOTE_ADDR="192.0.2.10").get("/login/", HTTP_USER_AGENT="Firefox/140")
    assert allowed.status_code == 200
    assert BlockedRequest.objects.count() == 0 and AuditEvent.objects.count() == events

    refused = Client(REMOTE_ADDR="198.51.100.23").get(
        "/login/", HTTP_USER_AGENT="curl/8.5", HTTP_ACCEPT_LANGUAGE="sv"
    )
    assert refused.status_code == 403
    assert "blockerade" in refused.content.decode()
    record = BlockedRequest.objects.get()
    assert (record.ip, record.user_agent, record.reason) == (
        "198.51.100.23",
        "curl/8.5",
        "blocklist",
    )
    assert abs((record.blocked_at - clock.now()).total_seconds()) < 60


@pytest.mark.django_db
def test_a_changed_file_is_in_force_without_a_restart_a_bad_one_is_refused(
    guarded: Path, caplog: pytest.LogCaptureFixture
) -> None:
    client = Client(REMOTE_ADDR="192.0.2.10")
    assert client.get("/login/").status_code == 200
    _rewrite(guarded, "192.0.2.0/24\n")
    assert client.get("/login/").status_code == 403  # the same process, the new list
    assert Client(REMOTE_ADDR="203.0.113.7").get("/login/").status_code == 200  # no history kept

    with caplog.at_level(logging.ERROR, logger="trygg.privacy.guard"):
        _rewrite(guarded, "192.0.2.0/24\nnot an address\n")
        assert client.get("/login/").status_code == 403  # the previous list stays
    assert "Line 2 of the blocklist is not an IP address" in caplog.text


@pytest.mark.django_db
def test_the_client_rate_limit(guarded: Path, settings: Any) -> None:
    settings.TRYGG_RATE_LIMIT_CLIENT = "3/60"
    client = Client(REMOTE_ADDR="192.0.2.20")
    assert [client.get("/login/").status_code for _ in range(3)] == [200, 200, 200]
    refused = [client.get("/login/", HTTP_ACCEPT_LANGUAGE="nb") for _ in range(3)]
    assert {r.status_code for r in refused} == {429}
    assert refused[0]["Retry-After"] == "60"
    assert "For mange forespørsler" in refused[0].content.decode()
    assert Client(REMOTE_ADDR="192.0.2.21").get("/login/").status_code == 200  # another client
    # Recorded once per client, reason and window, not once per request of a flood.
    assert list(BlockedRequest.objects.values_list("ip", "reason")) == [
        ("192.0.2.20", "client-rate")
    ]


@pytest.mark.django_db
def test_the_identity_rate_limit_counts_log_ins_for_one_number_from_any_address(
    guarded: Path, settings: Any
) -> None:
    settings.TRYGG_RATE_LIMIT_IDENTITY = "2/600"
    number = "19811218-9876"

    def attempt(address: str, written: str) -> int:
        return (
            Client(REMOTE_ADDR=address)
            .post("/login/", {"id_number": written, "pin": "0000"})
            .status_code
        )

    assert attempt("192.0.2.1", number) != 429
    assert attempt("192.0.2.2", "8112189876") != 429  # the same person, written without century
    assert attempt("192.0.2.3", number) == 429
    assert attempt("192.0.2.3", "19700505-1234") != 429  # another number
    api = Client(REMOTE_ADDR="192.0.2.4").post(
        "/api/v1/auth/login", {"id_number": number, "pin": "0000"}, content_type="application/json"
    )
    assert api.status_code == 429
    assert set(BlockedRequest.objects.values_list("reason", flat=True)) == {"identity-rate"}


@pytest.mark.django_db
def test_behind_a_trusted_proxy_the_forwarded_address_counts(guarded: Path, settings: Any) -> None:
    settings.TRYGG_TRUSTED_PROXIES = ("127.0.0.1",)
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    assert proxy.get("/login/", HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 403
    # Only the address the proxy saw counts: the client cannot hide behind a forged first entry.
    assert proxy.get("/login/", HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.7").status_code == 403
    assert proxy.get("/login/", HTTP_X_FORWARDED_FOR="203.0.113.7, 192.0.2.1").status_code == 200
    # An untrusted peer's header is ignored.
    assert (
        Client(REMOTE_ADDR="192.0.2.9")
        .get("/login/", HTTP_X_FORWARDED_FOR="203.0.113.7")
        .status_code
        == 200
    )


# -- kept 3 months -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_blocked_request_is_kept_3_months_then_deleted_by_the_retention_run() -> None:
    def blocked(at: dt.datetime) -> BlockedRequest:
        return BlockedRequest.objects.create(
            ip="203.0.113.7", user_agent="curl", reason="blocklist", blocked_at=at
        )

    first = blocked(dt.datetime(2026, 3, 14, 10, 0, tzinfo=UTC))
    later = blocked(dt.datetime(2026, 3, 20, 10, 0, tzinfo=UTC))

    def run(on: dt.date) -> Any:
        with clock.business_date(on):
            return retention_run(ctx=SYSTEM, on=on)

    run(dt.date(2026, 6, 13))
    assert BlockedRequest.objects.count() == 2
    report = run(dt.date(2026, 6, 14))
    assert report.counts["blocked-request"] == {"privacy.BlockedRequest": 1}
    assert list(BlockedRequest.objects.values_list("pk", flat=True)) == [later.pk]
    assert not BlockedRequest.objects.filter(pk=first.pk).exists()


# -- trygg blocklist FILE ------------------------------------------------------------------------


def test_the_command_installs_a_good_file_and_refuses_a_bad_one(
    settings: Any, tmp_path: Path
) -> None:
    target = tmp_path / "var" / "blocklist.txt"
    settings.TRYGG_BLOCKLIST_FILE = str(target)
    good, bad = tmp_path / "feed.txt", tmp_path / "broken.txt"
    good.write_text(LIST)
    bad.write_text("203.0.113.7\n<html>\n")
    out = io.StringIO()
    call_command("blocklist", str(good), stdout=out)
    assert "Blocklist in force: 4 entries" in out.getvalue()
    assert target.read_text() == LIST
    with pytest.raises(CommandError, match=r"^file: Line 2 of the blocklist .*'<html>'"):
        call_command("blocklist", str(bad))
    assert target.read_text() == LIST  # nothing changed
    assert [p.name for p in target.parent.iterdir()] == ["blocklist.txt"]
    with pytest.raises(CommandError, match="there is no file"):
        call_command("blocklist", str(tmp_path / "missing.txt"))
