"""The interactive API documentation at ``/api/v1/docs``: django-ninja's Swagger UI.

Served from the installed django-ninja's own template and static files (``ninja`` is an
installed app, so its files are collected with trygg's; never from a CDN: the network of an
insurer's servers may be closed), under the site's Content-Security-Policy: the page has no
inline script (its settings are a JSON data block read by ninja's ``swagger-ui-init.js``), and
Swagger UI does not call the online spec validator. "Try it out" sends the CSRF token in the
``X-CSRFToken`` header, as every browser client of the API must on unsafe methods.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import Swagger

if TYPE_CHECKING:
    from ninja import NinjaAPI


class LocalSwagger(Swagger):
    def __init__(self) -> None:
        super().__init__(settings={"validatorUrl": None})

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        context = {"swagger_settings": json.dumps(settings), "api": api, "add_csrf": True}
        return render(request, self.template, context)
