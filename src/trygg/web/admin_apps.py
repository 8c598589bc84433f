"""The admin app, configured to use the back office site with a second factor."""

from django.contrib.admin.apps import AdminConfig


class TryggAdminConfig(AdminConfig):
    default_site = "trygg.web.admin_site.TryggAdminSite"
