from django.contrib import admin
from django.urls import include, path, register_converter
from django.views.i18n import set_language

from trygg.api.api import api
from trygg.kernel.ids import IdConverter

# <id:...>: a database id in a path; beyond 64 bits it is no match (404), never a 500.
register_converter(IdConverter, "id")

urlpatterns = [
    path("", include("trygg.web.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("privacy/", include("trygg.privacy.urls")),
    path("api/v1/", api.urls),
    path("backoffice/", admin.site.urls),
]
