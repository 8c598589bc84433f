"""Staff log-in: one answer for every failure, back-off and lock-out per user name and per
address (audited), each code accepted once."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from trygg.identity.models import StaffUser
from trygg.identity.staff_login import staff_code_take
from trygg.kernel.models import AuditEvent

PASSWORD = "correct horse 2026"


def _staff(username: str = "anna.kundtjanst") -> tuple[StaffUser, TOTPDevice]:
    user = StaffUser.objects.create_user(username=username, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="customer_service"))
    return user, TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def _code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def _wrong_code(device: TOTPDevice) -> str:
    return "000000" if _code(device) != "000000" else "111111"


def _login(
    username: str,
    password: str,
    code: str,
    *,
    address: str = "10.0.0.1",
    client: Client | None = None,
) -> Any:
    return (client or Client()).post(
        "/backoffice/login/?next=/backoffice/",
        {"username": username, "password": password, "otp_token": code},
        REMOTE_ADDR=address,
    )


def _answer(response: Any) -> tuple[int, str]:
    """The status and the error text the page shows (whitespace folded)."""
    html = response.content.decode()
    notes = re.findall(r'<p class="errornote">(.*?)</p>', html, re.S)
    return response.status_code, " ".join(" ".join(notes).split())


@pytest.mark.django_db
def test_every_failure_gets_one_and_the_same_answer(frozen: Any) -> None:
    user, device = _staff()
    answers = set()
    for attempt, (username, password, code) in enumerate(
        [
            ("nobody.here", PASSWORD, _code(device)),  # unknown user name
            (user.username, "wrong password 99", _code(device)),  # wrong password
            (user.username, PASSWORD, _wrong_code(device)),  # right password, wrong code
            (user.username, PASSWORD, ""),  # right password, no code
        ]
    ):
        frozen(dt.timedelta(minutes=1))  # past any back-off
        answers.add(_answer(_login(username, password, code, address=f"10.0.1.{attempt}")))
    assert len(answers) == 1, answers
    status, text = answers.pop()
    assert status == 200 and "Inloggningen lyckades inte" in text  # Swedish, the default


@pytest.mark.django_db
def test_five_failures_lock_the_user_name_audited_and_time_lifts_it(frozen: Any) -> None:
    user, device = _staff()
    for attempt in range(5):
        frozen(dt.timedelta(seconds=20))  # past the back-off of the previous failure
        failed = _login(user.username, "wrong password 99", "", address=f"10.0.2.{attempt}")
        assert failed.status_code == 200
    locked = AuditEvent.objects.filter(action="locked", object_type="staff_login")
    assert locked.filter(object_id=str(user.pk)).count() == 1
    assert AuditEvent.objects.filter(action="failed-login", object_type="staff_login").count() == 5
    # Right password and code, from yet another address: refused with the same answer.
    frozen(dt.timedelta(minutes=1))
    refused = _login(user.username, PASSWORD, _code(device), address="10.0.2.99")
    assert _answer(refused) == _answer(failed)
    assert (
        AuditEvent.objects.filter(action="failed-login", detail__reason="waiting_or_locked")
        .filter(object_id=str(user.pk))
        .exists()
    )
    frozen(dt.timedelta(minutes=15))  # the lock lifts by itself
    client = Client()
    assert (
        _login(user.username, PASSWORD, _code(device), address="10.0.2.99", client=client)[
            "Location"
        ]
        == "/backoffice/"
    )
    assert client.get("/backoffice/").status_code == 200
    assert AuditEvent.objects.filter(
        action="login", object_type="staff_login", actor_id=str(user.pk)
    ).exists()


@pytest.mark.django_db
def test_five_failures_from_one_address_lock_that_address(frozen: Any) -> None:
    user, device = _staff()
    for attempt in range(5):  # guessing across user names from one address
        frozen(dt.timedelta(seconds=20))
        _login(f"guess.{attempt}", "wrong password 99", "", address="192.0.2.7")
    frozen(dt.timedelta(minutes=1))
    assert _login(user.username, PASSWORD, _code(device), address="192.0.2.7").status_code == 200
    assert AuditEvent.objects.filter(action="locked", detail__counter="address").count() == 1
    ok = _login(user.username, PASSWORD, _code(device), address="198.51.100.1")
    assert ok.status_code == 302  # the user name itself is not locked


@pytest.mark.django_db
def test_a_retry_within_the_back_off_is_refused_unchecked(frozen: Any) -> None:
    user, device = _staff()
    _login(user.username, "wrong password 99", "")
    assert _login(user.username, PASSWORD, _code(device)).status_code == 200  # at once: waits
    frozen(dt.timedelta(seconds=2))
    assert _login(user.username, PASSWORD, _code(device)).status_code == 302


@pytest.mark.django_db
def test_a_code_is_taken_once_even_by_two_sessions_at_once() -> None:
    _user, device = _staff()
    code = _code(device)
    first = TOTPDevice.objects.get(pk=device.pk)  # both requests loaded the device...
    second = TOTPDevice.objects.get(pk=device.pk)
    assert staff_code_take(first, code)  # ...the first takes the code
    assert not staff_code_take(second, code)  # the second, with its stale copy, cannot
    device.refresh_from_db()
    assert device.last_t >= 0


@pytest.mark.django_db
def test_a_used_code_does_not_log_in_again(frozen: Any) -> None:
    user, device = _staff()
    code = _code(device)
    assert _login(user.username, PASSWORD, code, address="10.0.3.1").status_code == 302
    frozen(dt.timedelta(seconds=2))
    assert _login(user.username, PASSWORD, code, address="10.0.3.2").status_code == 200
