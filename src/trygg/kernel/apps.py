from django.apps import AppConfig


class KernelConfig(AppConfig):
    name = "trygg.kernel"
    label = "kernel"
    verbose_name = "Kernel"
