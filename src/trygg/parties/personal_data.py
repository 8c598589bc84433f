"""Parties' entries in the personal-data map (see ``trygg.kernel.datamap``)."""

from trygg.kernel.datamap import Category as C
from trygg.kernel.datamap import Processing as P
from trygg.kernel.datamap import Purge, model_map

MAP = (
    model_map(
        "parties.Party",
        P.CUSTOMER,
        {
            "customer_number": C.IDENTITY,
            "id_number": C.IDENTITY,
            "given_name": C.IDENTITY,
            "family_name": C.IDENTITY,
            "legal_name": C.IDENTITY,  # a sole trader's firm carries the owner's name
            "registered_owner": C.IDENTITY,  # the owner the firm's registration names
            "birth_date": C.IDENTITY,
            "preferred_language": C.CONTACT,
            "created_at": C.ACTIVITY,
            "updated_at": C.ACTIVITY,
        },
        other=("kind", "country", "id_kind"),
    ),
    model_map(
        "parties.Address",
        P.CUSTOMER,
        {
            "party": C.IDENTITY,
            "care_of": C.CONTACT,
            "street": C.CONTACT,
            "postal_code": C.CONTACT,
            "city": C.CONTACT,
            "country": C.CONTACT,
            "updated_at": C.ACTIVITY,
        },
        other=("kind",),
    ),
    model_map(
        "parties.ContactMethod",
        P.CUSTOMER,
        {"party": C.IDENTITY, "value": C.CONTACT, "updated_at": C.ACTIVITY},
        other=("kind",),
    ),
    model_map(
        "parties.SoleTrader",
        P.CUSTOMER,
        {
            "person": C.IDENTITY,
            "firm": C.IDENTITY,
            "since": C.IDENTITY,
            "proposed_at": C.ACTIVITY,
            "proposed_by": (C.EMPLOYEE, P.STAFF),
            "proposed_by_label": (C.EMPLOYEE, P.STAFF),
            "decided_at": C.ACTIVITY,
            "decided_by": (C.EMPLOYEE, P.STAFF),
            "decided_by_label": (C.EMPLOYEE, P.STAFF),
        },
        other=("state",),
    ),
    model_map(
        "parties.Letter",
        P.CUSTOMER,
        {
            "party": C.IDENTITY,
            "reference": C.ACTIVITY,
            "title": C.ACTIVITY,
            "document": C.FREE_TEXT,  # the letter itself: whatever the sending domain wrote
            "recipient": C.IDENTITY,
            "care_of": C.CONTACT,
            "street": C.CONTACT,
            "postal_code": C.CONTACT,
            "city": C.CONTACT,
            "country": C.CONTACT,
            "created_at": C.ACTIVITY,
            "posted_at": C.ACTIVITY,
            "tracking_number": C.ACTIVITY,
            "status_at": C.ACTIVITY,
            "status_text": C.ACTIVITY,
            "last_error": C.ACTIVITY,
        },
        other=("purpose", "language", "secret", "state", "attempts", "carrier"),
    ),
    model_map(
        "parties.LetterEvent",
        P.CUSTOMER,
        {"letter": C.ACTIVITY, "occurred_at": C.ACTIVITY, "text": C.ACTIVITY, "place": C.CONTACT},
        other=("state",),
    ),
)

# A letter is kept as long as what it carries: a blocking report as long as the report, a
# set-up code's letter as long as the log-in history.
RETENTION = (
    Purge(
        "blocking-report",
        "parties.Letter",
        "created_at",
        subjects=("party",),
        when={"purpose": "protection.blocking_report"},
    ),
    Purge(
        "access-log",
        "parties.Letter",
        "created_at",
        subjects=("party",),
        when={"purpose": "identity.password_setup"},
    ),
)
