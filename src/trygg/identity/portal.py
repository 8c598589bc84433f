"""The portal's log-in guard, shared by every domain's pages: the logged-in customer and the
decorator that sends everyone else to log in (or to change a letter PIN, or to identify again
for account information)."""

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
from trygg.identity.sessions import StepUpRequired, account_information_check
from trygg.parties.models import Party

View = Callable[..., HttpResponseBase]


def current_customer(request: PortalRequest) -> Party:
    """The logged-in customer (views behind ``customer_required`` only)."""
    assert request.customer is not None
    return request.customer


def customer_required(
    *, allow_pin_change_pending: bool = False, function: Function | None = None
) -> Callable[[View], View]:
    """The view needs a logged-in customer; with ``function`` (account information) also a
    two-factor authentication within 180 days (RTS Art. 10), asked for in place."""

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
