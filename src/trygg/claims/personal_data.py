"""Claims' entries in the personal-data map (see ``trygg.kernel.datamap``)."""

from trygg.kernel.datamap import Category as C
from trygg.kernel.datamap import Keep, model_map
from trygg.kernel.datamap import Processing as P

MAP = (
    model_map(
        "claims.Claim",
        P.CLAIMS,
        {
            "number": C.CLAIM,
            "policy": C.CLAIM,
            "reported_by": C.IDENTITY,
            "channel": C.CLAIM,
            "accident_date": C.CLAIM,
            "description": C.HEALTH,  # the accident and the injury in the claimant's words
            "reported_at": C.CLAIM,
            "state": C.CLAIM,
            "payout_account": C.FINANCIAL,
            "payout_destination": C.FINANCIAL,
            "facts": C.HEALTH,
            "lines": C.HEALTH,
            "total": C.FINANCIAL,
            "rejection_reason": C.HEALTH,
            "decided_by": (C.EMPLOYEE, P.STAFF),
            "decided_at": C.CLAIM,
            "payout": C.FINANCIAL,
        },
        other=("pbb_year", "pbb"),
    ),
)

# An erasure request leaves a claim still being handled (a contract being performed) and every
# claim as long as later legal claims need it.
KEEP = (
    Keep("contract", "claims.Claim", when={"state__in": ["reported", "decided"]}),
    Keep("insurance-archive", "claims.Claim"),
)
