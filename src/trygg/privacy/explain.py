"""Why an erasure keeps data: each reason in words the person reads, by its rule."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

REASONS: dict[str, Promise] = {
    "contract": _(
        "A contract in force (a policy, an account, an autogiro mandate, a claim being handled) "
        "needs the data until it ends."
    ),
    "referenced": _(
        "Your customer record and the records the kept data refers to stay as long as that "
        "data is kept."
    ),
    "bookkeeping": _(
        "Bookkeeping records (premiums, notices, payment files) are kept until the end of the "
        "seventh year after their year (Swedish Bookkeeping Act, ch. 7 § 2)."
    ),
    "access-log": _(
        "The log of who read or changed data is kept 13 months to protect our systems and "
        "investigate incidents, then deleted."
    ),
    "application-archive": _(
        "An application that did not become a policy is archived for 10 years from the "
        "decision (the limitation period)."
    ),
    "insurance-archive": _(
        "Policies and claims are kept as long as later claims may need them (10 years, the "
        "limitation period)."
    ),
    "privacy-rights": _(
        "The record of your requests and of legal holds shows that we answered them and why "
        "data was kept."
    ),
    "blocking-report": _(
        "A blocking report of the protection service is kept 3 years after the case closed."
    ),
    "blocked-request": _("A blocked request to our systems is kept 3 months."),
}


def kept_reason(code: str) -> str | Promise:
    return REASONS.get(code, code)
