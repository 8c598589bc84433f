"""Billing's entries in the personal-data map (see ``trygg.kernel.datamap``): mandates (the
autogiro processing), premiums and notices (premium billing), the files exchanged with Bankgirot
(bookkeeping)."""

from trygg.kernel.datamap import Category as C
from trygg.kernel.datamap import Keep, Purge, model_map
from trygg.kernel.datamap import Processing as P

F = C.FINANCIAL

MAP = (
    model_map(
        "billing.BillingTerms",
        P.PREMIUM_BILLING,
        {},
        other=("product", "non_payment", "notice_fee", "invoice_days", "max_attempts"),
    ),
    model_map(
        "billing.Mandate",
        P.AUTOGIRO,
        {
            "payer_number": F,
            "payer": C.IDENTITY,
            "id_number": C.IDENTITY,
            "clearing": F,
            "account": F,
            "bank": F,
            "account_certain": F,
            "state": F,
            "channel": F,
            "requested_on": F,
            "sent_on": F,
            "active_from": F,
            "ended_on": F,
            "end_reason": F,
            "deletion_due": F,
            "deletion_sent_on": F,
            "bgc_comment_code": F,
            "bgc_comment": F,
            "failures_in_row": F,
            "created_at": C.ACTIVITY,
        },
        other=("signing_id",),
    ),
    model_map(
        "billing.MandatePolicy",
        P.AUTOGIRO,
        {"mandate": F, "policy": C.INSURANCE, "period": F, "attached_on": F, "detached_on": F},
    ),
    model_map(
        "billing.MandateEvent",
        P.AUTOGIRO,
        {
            "mandate": F,
            "at": C.ACTIVITY,
            "actor": (C.EMPLOYEE, P.STAFF),
            "state_from": F,
            "state_to": F,
            "note": C.FREE_TEXT,
        },
    ),
    model_map(
        "billing.Notice",
        P.PREMIUM_BILLING,
        {
            "payer": C.IDENTITY,
            "mandate": F,
            "kind": F,
            "sent_on": F,
            "pay_by": F,
            "ocr": F,
            "total": F,
            "text": F,
            "created_at": C.ACTIVITY,
        },
    ),
    model_map(
        "billing.BillingRun",
        P.PREMIUM_BILLING,
        {},
        other=("run_date", "started_at", "finished_at", "summary"),
    ),
    model_map(
        "billing.Charge",
        P.PREMIUM_BILLING,
        {
            "policy": C.INSURANCE,
            "term": C.INSURANCE,
            "payer": C.IDENTITY,
            "mandate": F,
            "method": F,
            "period_start": F,
            "due_date": F,
            "premium": F,
            "fee": F,
            "carried": F,
            "amount": F,
            "state": F,
            "reference": F,
            "ocr": F,
            "notice": F,
            "order_date": F,
            "attempts": F,
            "status_code": F,
            "status_text": F,
            "cancel_sent_on": F,
            "settled_on": F,
            "settled_by": F,
            "ledger": (F, P.BOOKKEEPING),
            "created_at": C.ACTIVITY,
        },
        other=("run",),
    ),
    model_map(
        "billing.BankgirotFile",
        P.BOOKKEEPING,
        {"content": F, "by": (C.EMPLOYEE, P.STAFF)},
        other=("direction", "name", "sha256", "records", "run", "summary", "ledger", "at"),
    ),
)

# Bookkeeping records: to the end of the seventh year after their calendar year. Premiums
# settled or cancelled go first, then the notices and files nothing refers to any more.
_FINAL = ["paid", "failed", "stopped", "carried", "invoiced", "cancelled", "refunded"]
RETENTION = (
    Purge(
        "bookkeeping",
        "billing.Charge",
        "due_date",
        subjects=("payer",),
        when={"state__in": _FINAL},
    ),
    Purge("bookkeeping", "billing.Notice", "sent_on", subjects=("payer",)),
    Purge("bookkeeping", "billing.BankgirotFile", "at"),
)

# An erasure request leaves a mandate still in force (or on its way to Bankgirot).
KEEP = (Keep("contract", "billing.Mandate", when={"state__in": ["requested", "sent", "active"]}),)
