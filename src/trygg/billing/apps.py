from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "trygg.billing"
    label = "billing"
    verbose_name = _("Premium billing")

    def ready(self) -> None:
        from trygg.billing import jobs  # noqa: F401 - registers the billing jobs
        from trygg.billing.mandates import open_mandate_of
        from trygg.billing.views import register_signing_completions
        from trygg.insurance.selectors import autogiro_in_force_register

        register_signing_completions()
        autogiro_in_force_register(lambda payer: open_mandate_of(payer) is not None)
