"""Recordings in S3-compatible object storage (django-storages' S3 backend, as production runs
it) against moto's S3 server on this machine: stored, read back, and gone from the bucket after
the retention run; a refused quality recording never reaches the bucket."""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from tests.contact.conftest import at, staff
from trygg.contact import services
from trygg.kernel import clock
from trygg.kernel.audit import SYSTEM
from trygg.kernel.errors import ValidationFailed
from trygg.privacy.services import retention_run

_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
PORT = 9170 + _WORKER
BUCKET = "trygg-recordings"


@pytest.fixture
def bucket(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=PORT, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{PORT}"
    for name, value in (
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
        ("AWS_DEFAULT_REGION", "eu-north-1"),
    ):
        monkeypatch.setenv(name, value)
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="eu-north-1")
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-north-1"})
    settings.STORAGES = {
        **settings.STORAGES,
        "recordings": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": endpoint,
                "region_name": "eu-north-1",
                "file_overwrite": False,
                "default_acl": None,
            },
        },
    }
    try:
        yield s3
    finally:
        server.stop()


def keys(s3: Any) -> list[str]:
    return [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_a_recording_in_the_bucket_and_gone_by_the_rule(
    bucket: Any, db: Any, django_capture_on_commit_callbacks: Any
) -> None:
    agent = staff("kundtjanst.anna", "customer_service")
    interaction = services.interaction_start(
        ctx=SYSTEM,
        purpose="quality",
        channel="phone",
        matter="insurance",
        contact_detail="+46701234567",
        employee=agent,
        started_at=at(dt.date(2026, 11, 1)),
    )
    stored = services.interaction_store(
        ctx=SYSTEM,
        interaction_id=interaction.pk,
        content=io.BytesIO(b"RIFF-audio"),
        content_type="audio/wav",
    )
    (key,) = keys(bucket)
    assert key == stored.name
    assert services.recordings_storage().open(stored.name).read() == b"RIFF-audio"

    refused = services.interaction_start(
        ctx=SYSTEM,
        purpose="quality",
        channel="phone",
        matter="other",
        contact_detail="+46701234568",
        employee=agent,
    )
    services.interaction_decline(ctx=SYSTEM, interaction_id=refused.pk)
    with pytest.raises(ValidationFailed):
        services.interaction_store(
            ctx=SYSTEM, interaction_id=refused.pk, content=io.BytesIO(b"no"), content_type=""
        )
    assert keys(bucket) == [key]

    on = dt.date(2026, 12, 1)
    with clock.business_date(on), django_capture_on_commit_callbacks(execute=True):
        retention_run(ctx=SYSTEM, on=on)
    assert keys(bucket) == []
