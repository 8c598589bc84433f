from django.apps import AppConfig
from django.core.signals import request_finished, request_started
from django.utils.translation import gettext_lazy as _


class KernelConfig(AppConfig):
    name = "trygg.kernel"
    label = "kernel"
    verbose_name = _("Audit log and jobs")

    def ready(self) -> None:
        from django.urls import register_converter

        from trygg.kernel import audit, checks  # noqa: F401 (checks registers itself)
        from trygg.kernel.ids import IdConverter

        # <id:...>: a database id in a URL path, for every URL configuration.
        register_converter(IdConverter, "id")

        request_started.connect(audit.request_started, dispatch_uid="trygg.audit.request_started")
        request_finished.connect(
            audit.request_finished, dispatch_uid="trygg.audit.request_finished"
        )
