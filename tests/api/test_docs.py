"""The interactive API documentation: django-ninja's Swagger UI at /api/v1/docs, its assets
served by trygg itself, under the site's Content-Security-Policy (no inline script)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from trygg.web.middleware import CONTENT_SECURITY_POLICY

SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S)


def _docs() -> Any:
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    return response


@pytest.mark.django_db
def test_the_docs_page_is_served_with_the_sites_csp() -> None:
    response = _docs()
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "no-store"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_the_docs_page_has_no_inline_script_and_nothing_from_elsewhere() -> None:
    html = _docs().content.decode()
    scripts = SCRIPT.findall(html)
    sources = [re.search(r'src="([^"]+)"', attributes) for attributes, _body in scripts]
    assert [m.group(1) for m in sources if m] == [
        "/static/ninja/swagger-ui-bundle.js",
        "/static/ninja/swagger-ui-init.js",
    ]
    for attributes, body in scripts:
        # Code only from files; the one body is Swagger UI's settings, a JSON data block that a
        # browser does not run (CSP's script-src does not apply to it).
        assert "src=" in attributes or 'type="application/json"' in attributes
        assert "src=" not in attributes or not body.strip()
    assert "<style" not in html and " style=" not in html and " on" not in html.split("<body")[1]
    links = re.findall(r'(?:href|src)="([^"]+)"', html)
    assert links and all(link.startswith("/static/") for link in links), links


@pytest.mark.django_db
def test_the_settings_point_at_the_spec_and_not_at_the_online_validator() -> None:
    html = _docs().content.decode()
    block = re.search(
        r'<script type="application/json" id="swagger-settings">(.*?)</script>', html, re.S
    )
    assert block is not None
    settings = json.loads(block.group(1))
    assert settings["url"] == "/api/v1/openapi.json"
    assert settings["validatorUrl"] is None
    assert Client().get(settings["url"]).json()["info"]["title"] == "trygg API"


@pytest.mark.django_db
def test_try_it_out_sends_the_csrf_token() -> None:
    client = Client(enforce_csrf_checks=True)
    html = client.get("/api/v1/docs").content.decode()
    token = re.search(r'data-csrf-token="([^"]+)"', html)
    assert token is not None and 'data-api-csrf="true"' in html
    # Without the token an unsafe method is refused; with the one the page hands to Swagger UI
    # the request reaches the endpoint (which then refuses the unknown customer by itself).
    login = {"id_number": "19121212-1212", "pin": "0000"}
    refused = client.post("/api/v1/auth/login", login, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "csrf.failed"
    passed = client.post(
        "/api/v1/auth/login",
        login,
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token.group(1),
    )
    assert passed.json().get("code") != "csrf.failed", passed.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "asset",
    ["ninja/swagger-ui-bundle.js", "ninja/swagger-ui-init.js", "ninja/swagger-ui.css"],
)
def test_the_assets_are_served_locally(asset: str) -> None:
    response = Client().get(f"/static/{asset}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content])
