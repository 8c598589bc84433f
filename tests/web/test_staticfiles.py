"""Static files in production: hashed names from the manifest, each worked out once."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from trygg.web.staticfiles import ManifestStaticStorage


@pytest.fixture
def collected(tmp_path: Path) -> ManifestStaticStorage:
    storage = "trygg.web.staticfiles.ManifestStaticStorage"
    with override_settings(
        STATIC_ROOT=tmp_path,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": storage},
        },
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield ManifestStaticStorage(location=tmp_path, base_url="/static/")


def test_a_name_gets_its_hashed_url_and_the_manifest_is_asked_once(
    collected: ManifestStaticStorage, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = collected.url("web/portal.css")
    assert url.startswith("/static/web/portal.") and url.endswith(".css")
    assert url != "/static/web/portal.css"  # the content hash is in the name
    served = Path(collected.location, url.removeprefix("/static/"))
    assert served.read_bytes() == Path(collected.location, "web/portal.css").read_bytes()

    monkeypatch.setattr(collected, "stored_name", lambda name: pytest.fail("manifest asked again"))
    assert collected.url("web/portal.css") == url


def test_a_name_not_in_the_manifest_is_an_error_every_time(
    collected: ManifestStaticStorage,
) -> None:
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            collected.url("web/no-such-file.css")
