"""The API documentation renders in a real browser under the site's CSP, with nothing refused."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_swagger_ui_renders_without_csp_violations(page: Any) -> None:
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto("/api/v1/docs")
    title = page.locator(".swagger-ui .info .title")
    title.wait_for()
    assert title.inner_text().startswith("trygg API")
    page.locator(".opblock-summary-path", has_text="/api/v1/auth/login").first.wait_for()
    page.screenshot(path="var/e2e-api-docs.png", full_page=False)
    assert not [m for m in messages if "Content Security Policy" in m or "Refused" in m], messages
    assert failed == []
