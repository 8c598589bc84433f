"""Fixtures of the contact app: recordings stored in a folder of the test's own, staff."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import translation
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from trygg.identity.models import StaffUser


@pytest.fixture(autouse=True)
def _english(settings: Any) -> Iterator[None]:
    """The texts the tests look for are the English ones (the catalogues are checked apart)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def recordings_dir(settings: Any, tmp_path: Path) -> Path:
    folder = tmp_path / "recordings"
    settings.STORAGES = {
        **settings.STORAGES,
        "recordings": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(folder)},
        },
    }
    return folder


def files_in(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def staff(username: str, *roles: str) -> StaffUser:
    user = StaffUser.objects.create_user(
        username=username, password="correct horse 2026", is_staff=True
    )
    for role in roles:
        user.groups.add(Group.objects.get(name=role))
    return user


def staff_client(user: StaffUser) -> Client:
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    client = Client(enforce_csrf_checks=False)
    response = client.post(
        "/backoffice/login/?next=/backoffice/",
        {
            "username": user.username,
            "password": "correct horse 2026",
            "otp_device": device.persistent_id,
            "otp_token": f"{totp.token():06d}",
        },
    )
    assert response.status_code == 302
    return client


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)
