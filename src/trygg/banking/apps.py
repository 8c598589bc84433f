from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BankingConfig(AppConfig):
    name = "trygg.banking"
    label = "banking"
    verbose_name = _("Bank")

    def ready(self) -> None:
        from trygg.banking import tasks  # noqa: F401 - registers the daily booking run
        from trygg.banking.views import register_signing_completions

        register_signing_completions()
