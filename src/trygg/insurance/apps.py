from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsuranceConfig(AppConfig):
    name = "trygg.insurance"
    label = "insurance"
    verbose_name = _("Insurance")

    def ready(self) -> None:
        from trygg.insurance.views import register_signing_completions

        register_signing_completions()
