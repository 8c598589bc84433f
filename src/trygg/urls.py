from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from trygg.api.api import api

urlpatterns = [
    path("", include("trygg.web.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("privacy/", include("trygg.privacy.urls")),
    path("api/v1/", api.urls),
    path("backoffice/", admin.site.urls),
]
