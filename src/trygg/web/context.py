from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict[str, Any]:
    return {
        "company_name": settings.TRYGG_COMPANY_NAME,
        "customer_session": getattr(request, "customer_session", None),
        "idle_minutes": settings.TRYGG_SESSION_IDLE_SECONDS // 60,
        "idle_seconds": settings.TRYGG_SESSION_IDLE_SECONDS,
    }
