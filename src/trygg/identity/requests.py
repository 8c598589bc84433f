"""The request as the portal and the API see it, for type checking: the middleware adds the
customer, the session limits and htmx details; ninja adds ``auth``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from trygg.identity.sessions import CustomerSession
from trygg.parties.models import Party


class PortalRequest(HttpRequest):
    customer: Party | None
    customer_session: CustomerSession | None
    session_expired: str | None
    htmx: Any
    auth: Any
