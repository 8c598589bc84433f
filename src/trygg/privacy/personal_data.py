"""Privacy's own entries in the personal-data map (see ``trygg.kernel.datamap``)."""

from trygg.kernel.datamap import Category as C
from trygg.kernel.datamap import Processing as P
from trygg.kernel.datamap import Purge, model_map

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
        "privacy.BlockedRequest",
        P.INTRUSION,
        {"ip": C.ONLINE, "user_agent": C.ONLINE, "blocked_at": C.ONLINE},
        other=("reason",),
    ),
)

RETENTION = (Purge("blocked-request", "privacy.BlockedRequest", "blocked_at"),)
