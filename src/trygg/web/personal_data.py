"""The back office's entries in the personal-data map (see ``trygg.kernel.datamap``): Django
admin's log of changes made through it."""

from trygg.kernel.datamap import Category as C
from trygg.kernel.datamap import Processing as P
from trygg.kernel.datamap import model_map

MAP = (
    model_map(
        "admin.LogEntry",
        P.ACCESS_LOG,
        {
            "action_time": C.ACTIVITY,
            "user": (C.EMPLOYEE, P.STAFF),
            "object_id": C.ACTIVITY,
            "object_repr": C.IDENTITY,  # a customer's name, as the changed row shows it
            "action_flag": C.ACTIVITY,
            "change_message": C.ACTIVITY,
        },
        other=("content_type",),
    ),
)
