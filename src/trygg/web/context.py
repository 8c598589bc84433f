from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from trygg.identity.sessions import account_information_shown, session_is_service_only
from trygg.kernel.letterhead import company


def portal(request: HttpRequest) -> dict[str, Any]:
    session = getattr(request, "customer_session", None)
    return {
        # Balances and account numbers only within 180 days of a two-factor log-in.
        "account_information": account_information_shown(session),
        "company": company(),
        "company_name": settings.TRYGG_COMPANY_NAME,
        "customer_session": session,
        "service_only": session_is_service_only(session),
        "idle_minutes": settings.TRYGG_SESSION_IDLE_SECONDS // 60,
        "idle_seconds": settings.TRYGG_SESSION_IDLE_SECONDS,
    }
