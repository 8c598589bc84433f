from django.apps import AppConfig


class OverviewConfig(AppConfig):
    name = "trygg.overview"
    label = "overview"
    verbose_name = "Overview"
