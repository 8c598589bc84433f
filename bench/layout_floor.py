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

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from trygg.identity.actors import audit_context
from trygg.identity.requests import PortalRequest
from trygg.kernel.audit import audit_record
from trygg.kernel.models import AuditAction, AuditChannel
from trygg.urls import urlpatterns as trygg_urlpatterns
from trygg.web.views import current_customer, customer_required

_PAGE = engines["django"].from_string(
    """{% extends "web/base.html" %}{% load i18n %}
{% block title %}{% translate "Overview" %}{% endblock %}
{% block content %}<h1>{{ name }}</h1>{% endblock %}"""
)


@customer_required()
def layout(request: PortalRequest) -> HttpResponse:
    return HttpResponse(_PAGE.render({"name": current_customer(request).display_name}, request))


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
    return HttpResponse(_PAGE.render({"name": customer.display_name}, request))


urlpatterns = [
    *trygg_urlpatterns,
    path("bench/layout/", layout),
    path("bench/layout-audited/", layout_audited),
]
