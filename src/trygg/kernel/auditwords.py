"""The audit log in words: what an event's action, object, actor and channel codes mean, in the
reader's language, for the back office's audit pages. The codes stay in the log (the chain
covers them); only their display is translated. An object type not named here reads as the
model it names, else as its code with spaces."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.kernel.models import AuditAction

_ACTIONS: dict[str, Promise] = {
    AuditAction.READ: gettext_lazy("Read %(object)s"),
    AuditAction.CREATE: gettext_lazy("Created %(object)s"),
    AuditAction.UPDATE: gettext_lazy("Changed %(object)s"),
    AuditAction.DELETE: gettext_lazy("Deleted %(object)s"),
    AuditAction.LOGIN: gettext_lazy("Logged in (%(object)s)"),
    AuditAction.LOGOUT: gettext_lazy("Logged out (%(object)s)"),
    AuditAction.FAILED_LOGIN: gettext_lazy("Failed log-in (%(object)s)"),
    AuditAction.LOCKED: gettext_lazy("Locked %(object)s"),
    AuditAction.UNLOCK: gettext_lazy("Unlocked %(object)s"),
    AuditAction.EXPORT: gettext_lazy("Exported %(object)s"),
    AuditAction.SIGN: gettext_lazy("Signed %(object)s"),
}

ACTION_NAMES: dict[str, Promise] = {
    AuditAction.READ: gettext_lazy("read"),
    AuditAction.CREATE: gettext_lazy("created"),
    AuditAction.UPDATE: gettext_lazy("changed"),
    AuditAction.DELETE: gettext_lazy("deleted"),
    AuditAction.LOGIN: gettext_lazy("logged in"),
    AuditAction.LOGOUT: gettext_lazy("logged out"),
    AuditAction.FAILED_LOGIN: gettext_lazy("failed log-in"),
    AuditAction.LOCKED: gettext_lazy("locked"),
    AuditAction.UNLOCK: gettext_lazy("unlocked"),
    AuditAction.EXPORT: gettext_lazy("exported"),
    AuditAction.SIGN: gettext_lazy("signed"),
}

_OBJECTS: dict[str, Promise] = {
    "account": gettext_lazy("an account"),
    "door-passage": gettext_lazy("a door passage"),
    "holdings_share": gettext_lazy("the share holdings"),
    "payments_scheduled": gettext_lazy("the scheduled payments"),
    "recipient-notice": gettext_lazy("a notice to a recipient"),
    "accounts": gettext_lazy("the accounts"),
    "account_transactions": gettext_lazy("an account's transactions"),
    "application": gettext_lazy("an insurance application"),
    "audit_trail": gettext_lazy("the audit trail"),
    "backup": gettext_lazy("a backup"),
    "bankgirot_file": gettext_lazy("a Bankgirot file"),
    "billing_notice": gettext_lazy("a premium notice"),
    "notice": gettext_lazy("a premium notice"),
    "billing_run": gettext_lazy("the billing run"),
    "block": gettext_lazy("a block"),
    "blocking_call": gettext_lazy("a blocking call"),
    "blocking_calls": gettext_lazy("the blocking calls"),
    "callback": gettext_lazy("a call-back"),
    "charge": gettext_lazy("a premium debit"),
    "claim": gettext_lazy("a claim"),
    "contact_details": gettext_lazy("the contact details"),
    "credential": gettext_lazy("the PIN"),
    "customer": gettext_lazy("the customer"),
    "erasure": gettext_lazy("the person's data (erasure)"),
    "legal-hold": gettext_lazy("a legal hold"),
    "login": gettext_lazy("log-in"),
    "login_history": gettext_lazy("the log-in history"),
    "mandate": gettext_lazy("an autogiro mandate"),
    "party": gettext_lazy("the customer"),
    "payee": gettext_lazy("a payee"),
    "payees": gettext_lazy("the payees"),
    "payment": gettext_lazy("a payment"),
    "pin": gettext_lazy("the PIN"),
    "pin_change": gettext_lazy("the PIN"),
    "pin_letter": gettext_lazy("a PIN letter"),
    "policy": gettext_lazy("a policy"),
    "protected_item": gettext_lazy("a protected card or document"),
    "protected_items": gettext_lazy("the protected cards and documents"),
    "registration": gettext_lazy("an autogiro or e-invoice registration"),
    "registrations": gettext_lazy("the autogiro and e-invoice registrations"),
    "production-data-override": gettext_lazy("production data in a test environment"),
    "renewal": gettext_lazy("the renewal"),
    "restore": gettext_lazy("a restore"),
    "retention-run": gettext_lazy("the retention run"),
    "security_token": gettext_lazy("a security token"),
    "session": gettext_lazy("the session"),
    "signing_order": gettext_lazy("a signing order"),
    "sole_trader": gettext_lazy("a sole trader's firm link"),
    "staff_login": gettext_lazy("back office"),
    "staff_session": gettext_lazy("back office"),
    "subject-request": gettext_lazy("a data subject request"),
    "trade_order": gettext_lazy("a stock order"),
    "trade_orders": gettext_lazy("the stock orders"),
    "transfer": gettext_lazy("a transfer"),
    "billing_notices": gettext_lazy("the premium notices"),
    "found_keys_case": gettext_lazy("a found-keys case"),
    "found_keys_cases": gettext_lazy("the found-keys cases"),
    "key_tags": gettext_lazy("the key tags"),
    "protection_claim": gettext_lazy("a claim on a protection insurance"),
    "protection_claims": gettext_lazy("the claims on protection insurances"),
    "protection_claim_document": gettext_lazy("a claim's document"),
    "protection_payments": gettext_lazy("the protection payments"),
    "id_theft_case": gettext_lazy("an ID-theft case"),
    "id_theft_cases": gettext_lazy("the ID-theft cases"),
    "key_tag": gettext_lazy("a key tag"),
    "key_tag_batch": gettext_lazy("a batch of key tags"),
    "letter": gettext_lazy("a letter by post"),
    "letters": gettext_lazy("the letters by post"),
    "ocr_file": gettext_lazy("an OCR giro file"),
    "password": gettext_lazy("the password"),
    "password_change": gettext_lazy("the password"),
    "password_code": gettext_lazy("a password set-up code"),
    "password_setup": gettext_lazy("the password"),
    "protection_agreement": gettext_lazy("a protection agreement"),
    "protection_agreements": gettext_lazy("the protection agreements"),
    "protection_daily_run": gettext_lazy("the protection service's daily run"),
    "protection_invoice": gettext_lazy("a protection invoice"),
    "protection_payment": gettext_lazy("a protection payment"),
    "evacuation-list": gettext_lazy("the evacuation list"),
    "footage": gettext_lazy("camera footage"),
    "footage-export": gettext_lazy("an export of camera footage"),
    "interaction": gettext_lazy("a recorded interaction"),
    "objection": gettext_lazy("an objection to direct marketing"),
    "recording-file": gettext_lazy("a recording's file"),
    "review": gettext_lazy("a review of a recording"),
    "review-draw": gettext_lazy("a draw of recordings for review"),
    "site-controller": gettext_lazy("a site's controller"),
    "survey": gettext_lazy("a satisfaction survey"),
    "survey-callback": gettext_lazy("a call-back after a survey"),
    "ticket": gettext_lazy("a support ticket"),
    "visit": gettext_lazy("a visit"),
    "visit-release": gettext_lazy("a release of visitor data"),
}

_ACTORS: dict[str, Promise] = {
    "customer": gettext_lazy("Customer"),
    "staff": gettext_lazy("Staff"),
    "system": gettext_lazy("System"),
    "anonymous": gettext_lazy("Anonymous"),
}

_CHANNELS: dict[str, Promise] = {
    "web": gettext_lazy("Internet service"),
    "api": gettext_lazy("API"),
    "phone": gettext_lazy("Telephone"),
    "back-office": gettext_lazy("Back office"),
    "batch": gettext_lazy("Batch run"),
    "system": gettext_lazy("System"),
}


def object_words(object_type: str) -> str:
    """What the object type names, in words."""
    if object_type in _OBJECTS:
        return str(_OBJECTS[object_type])
    if object_type.startswith("holdings_"):
        return _("the holdings")
    for model in apps.get_models():
        if model._meta.model_name == object_type.replace("_", "").replace("-", ""):
            return str(model._meta.verbose_name)
    return object_type.replace("_", " ").replace("-", " ")


def action_words(action: str, object_type: str = "") -> str:
    """The event as a phrase: "Read a policy", "Logged in (the session)"."""
    template = _ACTIONS.get(action)
    if template is None:
        return f"{action} {object_type}".strip()
    return str(template) % {"object": object_words(object_type) if object_type else "-"}


def actor_words(kind: str) -> str:
    return str(_ACTORS.get(kind, kind))


def channel_words(channel: str) -> str:
    return str(_CHANNELS.get(channel, channel))


def event_words(event: Any) -> str:
    return action_words(event.action, event.object_type)
