from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProtectionConfig(AppConfig):
    name = "trygg.protection"
    label = "protection"
    verbose_name = _("Protection service")

    def ready(self) -> None:
        from trygg.protection import tasks  # noqa: F401 - registers the daily subscription run
