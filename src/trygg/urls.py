from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from trygg.api.api import api

# <id:...> (a database id in a path; beyond 64 bits no match, never a 500) is registered when
# the kernel app is ready (trygg.kernel.apps), before any URL configuration is read.

urlpatterns = [
    path("", include("trygg.web.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("privacy/", include("trygg.privacy.urls")),
    path("contact/", include("trygg.contact.urls")),
    path("api/v1/", api.urls),
    path("backoffice/", admin.site.urls),
]
