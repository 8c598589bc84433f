"""Privacy's own entries in the personal-data map (see ``trygg.kernel.datamap``)."""

from trygg.kernel.datamap import Category as C
from trygg.kernel.datamap import Keep, Purge, model_map
from trygg.kernel.datamap import Processing as P

MAP = (
    model_map(
        "privacy.LegalHold",
        P.PRIVACY_RIGHTS,
        {
            "subject_id": C.IDENTITY,
            "object_id": C.ACTIVITY,
            "reason": C.FREE_TEXT,
            "reference": C.ACTIVITY,
            "placed_by": (C.EMPLOYEE, P.STAFF),
            "placed_at": C.ACTIVITY,
            "lifted_by": (C.EMPLOYEE, P.STAFF),
            "lifted_at": C.ACTIVITY,
            "lift_reason": C.FREE_TEXT,
        },
        other=("kind", "state", "model", "rule"),
    ),
    model_map(
        "privacy.RetentionRun",
        P.PRIVACY_RIGHTS,
        {"actor": (C.EMPLOYEE, P.STAFF)},
        other=("run_date", "dry_run", "started_at", "finished_at", "counts", "held"),
    ),
    model_map("privacy.Processing", P.PRIVACY_RIGHTS, {}),
    model_map(
        "privacy.DatabaseMark",
        P.TESTING,
        {"marked_by": (C.EMPLOYEE, P.STAFF)},
        other=("production", "marked_at", "note"),
    ),
    model_map(
        "privacy.SubjectRequest",
        P.PRIVACY_RIGHTS,
        {
            "party": C.IDENTITY,
            "subject_ref": C.IDENTITY,
            "received_on": C.ACTIVITY,
            "due_on": C.ACTIVITY,
            "details": C.FREE_TEXT,
            "verified_how": C.ACTIVITY,
            "verified_by": (C.EMPLOYEE, P.STAFF),
            "verified_at": C.ACTIVITY,
            "extension_reason": C.FREE_TEXT,
            "free_copy": C.ACTIVITY,
            "fee": C.FINANCIAL,
            "answer": C.FREE_TEXT,
            "outcome": C.ACTIVITY,
            "export": C.ACTIVITY,  # the copy handed out: every category of the person's data
            "registered_by": (C.EMPLOYEE, P.STAFF),
            "created_at": C.ACTIVITY,
            "closed_by": (C.EMPLOYEE, P.STAFF),
            "closed_at": C.ACTIVITY,
        },
        other=("kind", "channel", "state"),
    ),
    model_map(
        "privacy.RecipientNotice",
        P.PRIVACY_RIGHTS,
        {
            "request": C.ACTIVITY,
            "fields": C.ACTIVITY,  # which fields were corrected; the values go in the e-mail
            "message": C.ACTIVITY,
            "created_at": C.ACTIVITY,
            "sent_at": C.ACTIVITY,
        },
        other=("recipient_key", "recipient", "address", "state", "reason"),
    ),
    model_map(
        "privacy.BlockedRequest",
        P.INTRUSION,
        {"ip": C.ONLINE, "user_agent": C.ONLINE, "blocked_at": C.ONLINE},
        other=("reason",),
    ),
)

RETENTION = (
    Purge("blocked-request", "privacy.BlockedRequest", "blocked_at"),
    # A rectification notice's e-mail carries the corrected values: once sent (or given up),
    # its text goes after 30 days; the notice itself, who was told and when, stays.
    Purge(
        "notice-text",
        "contact.OutboxMessage",
        "created_at",
        when={"notice__isnull": False, "state__in": ("sent", "failed", "stopped")},
        clear=("subject", "body"),
    ),
)

# An erasure leaves the records of the person's requests and of holds on their data: they show
# that the request was answered and why data was kept (GDPR Art. 5(2), 17(3)(e)).
KEEP = (
    Keep("privacy-rights", "privacy.SubjectRequest"),
    Keep("privacy-rights", "privacy.LegalHold"),
    Keep("privacy-rights", "privacy.RecipientNotice"),
)
