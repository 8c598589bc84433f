from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactConfig(AppConfig):
    name = "trygg.contact"
    label = "contact"
    verbose_name = _("Contact and premises")

    def ready(self) -> None:
        from trygg.contact import tasks  # noqa: F401 - registers the daily outbox run
