"""What every portal page needs from the shell, in a layer the domains may import: the
log-in-required and step-up decorator, the logged-in customer, and the server-side store of what
the customer entered for an order until it is signed and carried out.

The shell (``trygg.web``) owns the log-in pages these redirect to; they are named by URL, never
imported, so a domain's pages never import ``trygg.web``."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from trygg.identity.requests import PortalRequest
from trygg.identity.sca import Function
from trygg.identity.sessions import (
    StepUpRequired,
    account_information_check,
    session_is_service_only,
)
from trygg.parties.models import Party

View = Callable[..., HttpResponseBase]
PENDING_ORDERS = "trygg.pending_orders"


def current_customer(request: PortalRequest) -> Party:
    """The logged-in customer (views behind ``customer_required`` only)."""
    assert request.customer is not None
    return request.customer


def customer_required(
    *,
    allow_pin_change_pending: bool = False,
    function: Function | None = None,
    service_page: bool = False,
) -> Callable[[View], View]:
    """The view needs a logged-in customer; with ``function`` (account information) also a
    two-factor authentication within 180 days (RTS Art. 10), asked for in place. Only views
    marked ``service_page`` (the protection service's) open to a password session."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: PortalRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            session = request.customer_session
            if session is None or request.customer is None:
                if request.session_expired:
                    messages.warning(
                        request,
                        _(
                            "You were logged out because you were inactive for too long. "
                            "Log in again to continue."
                        ),
                    )
                return redirect(f"{reverse('web:login')}?next={request.path}")
            if session_is_service_only(session) and not service_page:
                messages.info(
                    request,
                    _(
                        "Your password opens the protection service's pages only. Log in with "
                        "your PIN, security token or BankID for the rest."
                    ),
                )
                return redirect("web:protection")
            if session.must_change_pin and not allow_pin_change_pending:
                return redirect("web:pin_change")
            if function is not None:
                try:
                    account_information_check(session, function)
                except StepUpRequired:
                    return redirect(f"{reverse('web:step_up')}?next={request.path}")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def remember_order(request: PortalRequest, public_id: str, data: dict[str, Any]) -> None:
    """Keep what the customer entered for an order server-side until it is signed (one store
    for every signed function)."""
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


def nothing_to_do(request: PortalRequest, where: str) -> HttpResponseBase:
    """A signed order whose entered data is gone (another tab carried it out): said, not done."""
    messages.error(request, _("There is nothing to carry out for this signature."))
    return redirect(where)
