from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "trygg.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        from trygg.kernel import holds
        from trygg.privacy import tasks  # noqa: F401 - registers the daily retention run
        from trygg.privacy.services import hold_place

        holds.register(hold_place)
