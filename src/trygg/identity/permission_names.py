"""The names of the custom permissions declared in the models' ``Meta.permissions``, marked for
translation: the back office shows each through ``gettext(permission.name)`` (identity.admin),
and the literals in ``Meta`` are not found by ``makemessages``."""

from django.utils.translation import gettext_noop

PERMISSION_NAMES = (
    gettext_noop("Can run billing and import Bankgirot files"),
    gettext_noop("Can decide and pay claims"),
    gettext_noop("Can issue a PIN letter"),
    gettext_noop("Can unlock a locked PIN"),
    gettext_noop("Can see the audit trail of a customer"),
    gettext_noop("Can decide on applications"),
    gettext_noop("Can approve a sole trader's firm link"),
    gettext_noop("Can decide and pay protection claims"),
)
