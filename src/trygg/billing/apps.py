from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "trygg.billing"
    label = "billing"
    verbose_name = _("Premium billing")

    def ready(self) -> None:
        from trygg.billing import jobs  # noqa: F401 - registers the billing jobs
        from trygg.billing.mandates import (
            application_account_check,
            mandate_from_application,
            open_mandate_of,
        )
        from trygg.billing.plans import first_debit_of
        from trygg.billing.selectors import autogiro_accounts_of
        from trygg.billing.views import register_signing_completions
        from trygg.insurance.autogiro import AutogiroBilling, autogiro_billing_register
        from trygg.insurance.selectors import autogiro_in_force_register

        register_signing_completions()
        autogiro_in_force_register(lambda payer: open_mandate_of(payer) is not None)
        autogiro_billing_register(
            AutogiroBilling(
                account_check=application_account_check,
                own_accounts=lambda ctx, person: autogiro_accounts_of(ctx=ctx, person=person),
                policy_issued=mandate_from_application,
                first_debit=first_debit_of,
            )
        )
