"""The least a logged-in portal page costs: trygg's URLs plus one page that shows only the
customer's name in the portal's layout (``/bench/layout/``), and the same page with one audited
read (``/bench/layout-audited/``).

The URL configuration of ``layout_floor_settings``, which ``overview_instructions.py --views
layout,layout_audited`` uses (the driver runs from ``bench/``, so both modules are importable
there). No page of the portal is cheaper than the first: every logged-in page loads the session
and the customer and renders the layout; the overview's reads and content come on top of the
second.
"""

from __future__ import annotations

from _common import FLOOR_PATHS
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from trygg.identity.actors import audit_context
from trygg.identity.portal import current_customer, customer_required
from trygg.identity.requests import PortalRequest
from trygg.kernel.audit import audit_record
from trygg.kernel.models import AuditAction, AuditChannel
from trygg.urls import urlpatterns as trygg_urlpatterns

_PAGE = engines["django"].from_string(
    """{% extends "web/base.html" %}{% load i18n %}
{% block title %}{% translate "Overview" %}{% endblock %}
{% block content %}<h1>{{ name }}</h1>{% endblock %}"""
)


def _page(request: PortalRequest, name: str) -> HttpResponse:
    return HttpResponse(_PAGE.render({"name": name}, request))


@customer_required()
def layout(request: PortalRequest) -> HttpResponse:
    return _page(request, current_customer(request).display_name)


@customer_required()
def layout_audited(request: PortalRequest) -> HttpResponse:
    customer = current_customer(request)
    audit_record(
        ctx=audit_context(request, AuditChannel.WEB),
        action=AuditAction.READ,
        subject_id=customer.pk,
        object_type="party",
        object_id=customer.pk,
    )
    return _page(request, customer.display_name)


urlpatterns = [
    *trygg_urlpatterns,
    path(FLOOR_PATHS["layout"].lstrip("/"), layout),
    path(FLOOR_PATHS["layout_audited"].lstrip("/"), layout_audited),
]
