"""Portal pages of the contact app: the customer's objection to direct marketing on My pages, and
the signed one-click link of a survey (a GET shows what the link does; the objection is a POST)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from trygg.contact import links, selectors, services
from trygg.contact.models import ObjectionSource
from trygg.identity.actors import audit_context
from trygg.identity.requests import PortalRequest
from trygg.kernel.errors import DomainError
from trygg.kernel.models import AuditChannel
from trygg.parties.models import Party

View = Callable[..., HttpResponseBase]


def _customer_only(view: View) -> View:
    """A logged-in customer only; others go to the log-in and come back."""

    @wraps(view)
    def wrapper(request: PortalRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if getattr(request, "customer_session", None) is None or request.customer is None:
            return redirect(f"{reverse('web:login')}?next={request.path}")
        return view(request, *args, **kwargs)

    return wrapper


@require_http_methods(["GET", "POST"])
@_customer_only
def objection_view(request: PortalRequest) -> HttpResponse:
    me = request.customer
    assert me is not None
    ctx = audit_context(request, AuditChannel.WEB)
    if request.method == "POST":
        services.objection_record(ctx=ctx, source=ObjectionSource.MY_PAGES, party=me)
        messages.success(
            request, _("Your objection is recorded: we will not send you any more surveys.")
        )
        return redirect("contact:objection")
    objection = selectors.objection_of(ctx=ctx, party=me)
    return render(request, "contact/objection.html", {"objection": objection})


@require_http_methods(["GET", "POST"])
def objection_link_view(request: PortalRequest) -> HttpResponse:
    token = request.POST.get("t", "") if request.method == "POST" else request.GET.get("t", "")
    try:
        target = links.objection_target(token)
    except DomainError as error:
        return render(request, "contact/objection_link.html", {"error": error.message}, status=400)
    if request.method == "POST":
        party = Party.objects.filter(pk=target.party_id).first() if target.party_id else None
        services.objection_record(
            ctx=audit_context(request, AuditChannel.WEB),
            source=ObjectionSource.LINK,
            party=party,
            contact_detail="" if party is not None else target.contact,
        )
        return render(request, "contact/objection_link.html", {"done": True})
    return render(request, "contact/objection_link.html", {"token": token})
