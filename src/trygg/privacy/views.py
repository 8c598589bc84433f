"""The privacy notice: the register as customers read it, on a public page in their language."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from trygg.privacy import export


@require_GET
def notice_view(request: HttpRequest) -> HttpResponse:
    records = export.records(get_language() or "sv")
    return render(request, "privacy/notice.html", {"records": records})
