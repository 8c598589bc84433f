"""The protection service's entries in the personal-data map (see ``trygg.kernel.datamap``)."""

from trygg.kernel.datamap import Category as C
from trygg.kernel.datamap import Processing as P
from trygg.kernel.datamap import Purge, model_map

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
)

# A blocking call and its report: 3 years after the case is closed (decision 0032), with its
# blocks and callbacks.
RETENTION = (
    Purge("blocking-report", "protection.BlockingCall", "completed_at", subjects=("customer",)),
)
