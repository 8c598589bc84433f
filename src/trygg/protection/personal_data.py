"""The protection service's entries in the personal-data map (see ``trygg.kernel.datamap``)."""

from trygg.kernel.datamap import Category as C
from trygg.kernel.datamap import Keep, Purge, model_map
from trygg.kernel.datamap import Processing as P

MAP = (
    model_map(
        "protection.Issuer",
        P.PROTECTION,
        {},
        other=(
            "code",
            "name",
            "country",
            "kind",
            "endpoint",
            "can_order_replacement",
            "phone",
            "active",
        ),
    ),
    model_map(
        "protection.Item",
        P.PROTECTION,
        {
            "customer": C.IDENTITY,
            "company": C.IDENTITY,
            "kind": C.FINANCIAL,
            "issuer": C.FINANCIAL,
            "card_type": C.FINANCIAL,
            "ks": C.FINANCIAL,
            "imei": C.ONLINE,  # identifies the person's handset
            "document_kind": C.IDENTITY,
            "note": C.FREE_TEXT,
            "source": C.ACTIVITY,
            "created_at": C.ACTIVITY,
            "updated_at": C.ACTIVITY,
            "removed_at": C.ACTIVITY,
        },
    ),
    model_map(
        "protection.BlockingCall",
        P.PROTECTION,
        {
            "number": C.ACTIVITY,
            "customer": C.IDENTITY,
            "agent": (C.EMPLOYEE, P.STAFF),
            "spoke_with": C.IDENTITY,
            "state": C.ACTIVITY,
            "opened_at": C.ACTIVITY,
            "closed_at": C.ACTIVITY,
            "completed_at": C.ACTIVITY,
            "how_lost": C.FREE_TEXT,
            "how_kept": C.FREE_TEXT,
            "discovered_at": C.ACTIVITY,
            "last_seen_at": C.ACTIVITY,
            "place": C.FREE_TEXT,
            "country": C.ACTIVITY,
            "police_report": C.OFFENCE,  # a crime reported, theft as a rule
            "id_data_lost": C.IDENTITY,
            "code_written_down": C.CREDENTIAL,
            "replacement_wanted": C.FINANCIAL,
            "language": C.CONTACT,
        },
    ),
    model_map(
        "protection.Block",
        P.PROTECTION,
        {
            "call": C.ACTIVITY,
            "item": C.FINANCIAL,
            "issuer": C.FINANCIAL,
            "key": C.ACTIVITY,
            "state": C.ACTIVITY,
            "requested_at": C.ACTIVITY,
            "sent_at": C.ACTIVITY,
            "answered_at": C.ACTIVITY,
            "issuer_reference": C.FINANCIAL,
            "replacement_ordered": C.FINANCIAL,
            "lifted_at": C.ACTIVITY,
        },
        other=("attempts", "next_attempt_at", "last_error"),
    ),
    model_map(
        "protection.Callback",
        P.PROTECTION,
        {
            "block": C.ACTIVITY,
            "created_at": C.ACTIVITY,
            "done_at": C.ACTIVITY,
            "done_by": (C.EMPLOYEE, P.STAFF),
            "outcome": C.FREE_TEXT,
        },
    ),
    model_map(
        "protection.LegalEntity",
        P.PROTECTION,
        {},
        other=(
            "code",
            "name",
            "org_number",
            "country",
            "address",
            "role",
            "supervision",
            "valid_from",
        ),
    ),
    model_map(
        "protection.Product",
        P.PROTECTION,
        {},
        other=(
            "code",
            "name",
            "kind",
            "plan",
            "period_months",
            "price",
            "currency",
            "insurer",
            "due_date_moves",
            "due_date_max_days",
            "active",
        ),
    ),
    model_map(
        "protection.Agreement",
        P.PROTECTION,
        {
            "number": C.FINANCIAL,
            "customer": C.IDENTITY,
            "product": C.FINANCIAL,
            "plan": C.FINANCIAL,
            "state": C.FINANCIAL,
            "started_on": C.FINANCIAL,
            "first_term_end": C.FINANCIAL,
            "term_start": C.FINANCIAL,
            "term_end": C.FINANCIAL,
            "invoiced_until": C.FINANCIAL,
            "no_offers": C.CONTACT,  # the customer's wish not to be written to
            "notice_on": C.FINANCIAL,
            "end_on": C.FINANCIAL,
            "created_at": C.ACTIVITY,
        },
        other=("entity",),
    ),
    model_map(
        "protection.Invoice",
        P.PROTECTION,
        {
            "number": C.FINANCIAL,
            "agreement": C.FINANCIAL,
            "kind": C.FINANCIAL,
            "state": C.FINANCIAL,
            "kid": C.FINANCIAL,
            "amount": C.FINANCIAL,
            "period_start": C.FINANCIAL,
            "period_end": C.FINANCIAL,
            "issued_on": C.FINANCIAL,
            "original_due_on": C.FINANCIAL,
            "due_on": C.FINANCIAL,
            "due_moves": C.FINANCIAL,
            "reminders": C.FINANCIAL,
            "reminded_on": C.FINANCIAL,
            "paid_on": C.FINANCIAL,
            "registered_on": C.FINANCIAL,
        },
        other=("entity", "currency", "action_on"),
    ),
    model_map(
        "protection.AgreementLetter",
        P.PROTECTION,
        {
            "agreement": C.FINANCIAL,
            "invoice": C.FINANCIAL,
            "kind": C.FINANCIAL,
            "seq": C.FINANCIAL,
            "sent_on": C.ACTIVITY,
        },
        other=("entity",),
    ),
    model_map(
        "protection.OcrFile",
        P.BOOKKEEPING,
        {},
        other=(
            "transmission",
            "sha256",
            "name",
            "nets_date",
            "received_at",
            "payments",
            "total",
            "booked_total",
            "ledger_transaction_id",
        ),
    ),
    model_map(
        "protection.Payment",
        P.BOOKKEEPING,
        {
            "file": C.FINANCIAL,
            "seq": C.FINANCIAL,
            "kid": C.FINANCIAL,
            "amount": C.FINANCIAL,
            "paid_on": C.FINANCIAL,
            "payer_account": C.FINANCIAL,
            "invoice": C.FINANCIAL,
            "state": C.FINANCIAL,
        },
    ),
    model_map(
        "protection.KeyTagBatch",
        P.PROTECTION,
        {},
        other=("number", "first", "count", "issued_at"),
    ),
    model_map(
        "protection.KeyTag",
        P.PROTECTION,
        {"owner": C.IDENTITY, "linked_at": C.ACTIVITY},
        other=("serial", "batch"),
    ),
    model_map(
        "protection.FoundKeysCase",
        P.PROTECTION,
        {
            "number": C.ACTIVITY,
            "tag": C.IDENTITY,
            "owner": C.IDENTITY,
            "source": C.ACTIVITY,
            "state": C.ACTIVITY,
            "finder_name": C.IDENTITY,  # the finder's, a third party
            "finder_phone": C.CONTACT,
            "opened_at": C.ACTIVITY,
            "owner_contacted_at": C.ACTIVITY,
            "tracking_number": C.ACTIVITY,
            "returned_at": C.ACTIVITY,
            "closed_at": C.ACTIVITY,
            "identified_by": C.IDENTITY,
            "reward_account": C.FINANCIAL,
            "reward_paid_at": C.FINANCIAL,
            "reward_transaction_id": C.FINANCIAL,
        },
    ),
    model_map(
        "protection.IdTheftCase",
        P.PROTECTION,
        {
            "number": C.ACTIVITY,
            "customer": C.IDENTITY,
            "state": C.ACTIVITY,
            "summary": C.OFFENCE,  # the misuse of the customer's identity, a crime
            "opened_at": C.ACTIVITY,
            "closed_at": C.ACTIVITY,
        },
    ),
    model_map(
        "protection.DisputedClaim",
        P.PROTECTION,
        {
            "case": C.OFFENCE,
            "creditor": C.FINANCIAL,
            "amount": C.FINANCIAL,
            "reference": C.FINANCIAL,
            "state": C.FINANCIAL,
            "deadline": C.ACTIVITY,
            "updated_at": C.ACTIVITY,
        },
        other=("currency",),
    ),
    model_map(
        "protection.CaseStep",
        P.PROTECTION,
        {
            "case": C.OFFENCE,
            "claim": C.FINANCIAL,
            "kind": C.ACTIVITY,
            "text": C.FREE_TEXT,
            "at": C.ACTIVITY,
            "deadline": C.ACTIVITY,
        },
    ),
    # Claims on the insurances the provider distributes (issue 19, point 6): the claims
    # processing, on the insurer's behalf.
    model_map(
        "protection.ProtectionClaim",
        P.CLAIMS,
        {
            "number": C.CLAIM,
            "agreement": C.INSURANCE,
            "customer": C.IDENTITY,
            "channel": C.CLAIM,
            "incident_on": C.CLAIM,
            "description": C.FREE_TEXT,  # the loss in the customer's words, may hold anything
            "amount_claimed": C.CLAIM,
            "payout_account": C.FINANCIAL,
            "state": C.CLAIM,
            "reported_at": C.CLAIM,
            "reported_on": C.CLAIM,
            "due_on": C.CLAIM,
            "waiting_since": C.CLAIM,
            "paused_days": C.CLAIM,
            "information_asked": C.FREE_TEXT,
            "amount_approved": C.FINANCIAL,
            "rejection_reason": C.FREE_TEXT,
            "decided_by": (C.EMPLOYEE, P.STAFF),
            "decided_at": C.CLAIM,
            "paid_at": C.FINANCIAL,
            "payout_transaction_id": C.FINANCIAL,
        },
    ),
    model_map(
        "protection.ClaimDocument",
        P.CLAIMS,
        {
            "claim": C.CLAIM,
            "kind": C.CLAIM,
            "file": C.FREE_TEXT,  # receipts, police reports, photographs: anything on paper
            "name": C.FREE_TEXT,
            "content_type": C.CLAIM,
            "size": C.CLAIM,
            "uploaded_at": C.CLAIM,
            "by_customer": C.CLAIM,
        },
    ),
)

# A blocking call and its report: 3 years after the case is closed (decision 0032), with its
# blocks and callbacks. Agreements, invoices, their letters and payments are bookkeeping records:
# to the end of the seventh year after their calendar year (decision 0032; the Swedish entity's
# Bokföringslagen, longer than Norway's five years); open invoices and live agreements stay.
# An OCR file's own row (number, date, sums) holds nothing personal and stays.
RETENTION = (
    Purge("blocking-report", "protection.BlockingCall", "completed_at", subjects=("customer",)),
    Purge(
        "bookkeeping", "protection.AgreementLetter", "sent_on", subjects=("agreement__customer",)
    ),
    Purge(
        "bookkeeping", "protection.Payment", "paid_on", subjects=("invoice__agreement__customer",)
    ),
    Purge(
        "bookkeeping",
        "protection.Invoice",
        "period_end",
        subjects=("agreement__customer",),
        when={"state__in": ["paid", "cancelled", "withdrawn"]},
    ),
    Purge(
        "bookkeeping",
        "protection.Agreement",
        "term_end",
        subjects=("customer",),
        when={"state__in": ["ended", "lapsed", "expired"]},
    ),
    # A found-keys case, with the finder's name, phone and account: 3 years after it closed
    # (returned or not), the blocking report's period (decision 0032).
    Purge("blocking-report", "protection.FoundKeysCase", "closed_at", subjects=("owner",)),
    # An ID theft case with its claims and log: 3 years after it closed (decision 0032).
    Purge("blocking-report", "protection.IdTheftCase", "closed_at", subjects=("customer",)),
)

# A claim and its documents are kept like the insurer's other claims (the claims app's rule): an
# erasure request leaves a claim being handled or awaiting its payout (a contract being
# performed), and every claim as long as later legal claims need it (10 years, decision 0083).
KEEP = (
    Keep(
        "contract",
        "protection.ProtectionClaim",
        when={"state__in": ["reported", "waiting", "approved"]},
    ),
    Keep("insurance-archive", "protection.ProtectionClaim"),
    Keep("insurance-archive", "protection.ClaimDocument"),
)
