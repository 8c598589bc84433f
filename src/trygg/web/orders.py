"""What the customer entered for an order, kept server-side in the session until the order is
signed and carried out (one store for every signed function)."""

from __future__ import annotations

from typing import Any

from trygg.identity.requests import PortalRequest

PENDING_ORDERS = "trygg.pending_orders"


def remember_order(request: PortalRequest, public_id: str, data: dict[str, Any]) -> None:
    pending: dict[str, Any] = request.session.get(PENDING_ORDERS, {})
    pending[public_id] = data
    request.session[PENDING_ORDERS] = pending


def entered_order(request: PortalRequest, public_id: str) -> dict[str, Any] | None:
    """What was entered for the order (kept if carrying it out fails, to try again)."""
    data: dict[str, Any] | None = request.session.get(PENDING_ORDERS, {}).get(public_id)
    return data


def done_order(request: PortalRequest, public_id: str) -> None:
    pending: dict[str, Any] = request.session.get(PENDING_ORDERS, {})
    pending.pop(public_id, None)
    request.session[PENDING_ORDERS] = pending
