from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "trygg.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from trygg.contact.services import outbox_settled
        from trygg.kernel import holds
        from trygg.privacy import tasks  # noqa: F401 - registers the daily retention run
        from trygg.privacy.environment import mark_after_migrate
        from trygg.privacy.notices import notice_follow_outbox
        from trygg.privacy.services import hold_place

        post_migrate.connect(mark_after_migrate, sender=self, dispatch_uid="privacy.mark")
        outbox_settled.connect(notice_follow_outbox, dispatch_uid="privacy.notices")
        holds.register(hold_place)
