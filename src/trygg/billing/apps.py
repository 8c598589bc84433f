from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "trygg.billing"
    label = "billing"
    verbose_name = _("Premium billing")

    def ready(self) -> None:
        from trygg.billing import jobs  # noqa: F401 - registers the billing jobs
