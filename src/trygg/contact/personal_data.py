"""The contact app's entries in the personal-data map (see ``trygg.kernel.datamap``), how the
retention rules reach its tables, and the sites' controllers fed to the processing register."""

from __future__ import annotations

import datetime as dt

from trygg.kernel.datamap import Category as C
from trygg.kernel.datamap import Expire, Purge, model_map
from trygg.kernel.datamap import Processing as P

MAP = (
    model_map(
        "contact.Site",
        P.VISITORS,
        {},
        other=("code", "address", "visitor_rule", "camera_rule", "parking"),
    ),
    model_map(
        "contact.SiteController",
        P.VISITORS,
        {},
        other=("site", "processing", "controller", "valid_from"),
    ),
    model_map("contact.SiteProcessor", P.VISITORS, {}, other=("site", "processing", "role")),
    model_map(
        "contact.Interaction",
        P.RECORDING_QUALITY,
        {
            "contact_detail": C.CONTACT,
            "party": C.IDENTITY,
            "employee": (C.EMPLOYEE, P.STAFF),
            "started_at": C.ACTIVITY,
            "channel": C.ACTIVITY,
            "matter": C.ACTIVITY,
            "state": C.ACTIVITY,
        },
        other=("purpose", "controller"),
    ),
    model_map(
        "contact.RecordingFile",
        P.RECORDING_QUALITY,
        {"interaction": C.IMAGE, "size": C.IMAGE, "sha256": C.IMAGE, "stored_at": C.ACTIVITY},
        other=("name", "content_type"),  # a random name; the content type of the recording
    ),
    model_map(
        "contact.PoliceReport",
        P.RECORDING_THREAT,
        {
            "interaction": C.OFFENCE,
            "police_reference": C.OFFENCE,
            "reported_by": (C.EMPLOYEE, P.STAFF),
            "reported_at": C.OFFENCE,
        },
        other=("hold_id",),
    ),
    model_map(
        "contact.PoliceRelease",
        P.RECORDING_THREAT,
        {
            "interaction": C.OFFENCE,
            "police_reference": C.OFFENCE,
            "handed_over": C.FREE_TEXT,
            "released_by": (C.EMPLOYEE, P.STAFF),
            "released_at": C.OFFENCE,
        },
    ),
    model_map(
        "contact.Review",
        P.RECORDING_QUALITY,
        {
            "interaction": (C.EMPLOYEE, P.STAFF),
            "coach": (C.EMPLOYEE, P.STAFF),
            "drawn_at": (C.EMPLOYEE, P.STAFF),
            "reviewed_at": (C.EMPLOYEE, P.STAFF),
            "notes": (C.FREE_TEXT, P.STAFF),
        },
    ),
    model_map(
        "contact.Objection",
        P.SURVEY,
        {
            "party": C.IDENTITY,
            "contact_detail": C.CONTACT,
            "source": C.ACTIVITY,
            "received_at": C.ACTIVITY,
            "recorded_by": (C.EMPLOYEE, P.STAFF),
        },
    ),
)


def _expire_files(on: dt.date, dry_run: bool) -> int:
    from trygg.contact.services import recording_files_expire

    return recording_files_expire(on, dry_run)


RETENTION = (
    Purge(
        "recording-threat",
        "contact.Interaction",
        "started_at",
        subjects=("party",),
        when={"purpose": "threat"},
    ),
    Purge(
        "recording-quality",
        "contact.Interaction",
        "started_at",
        subjects=("party",),
        when={"purpose": "quality"},
    ),
    # A declined quality recording keeps nothing personal, and goes with the same rule.
    # After both purges (the run goes through the rules in order): the deleted recordings' files.
    Expire("recording-quality", "contact.RecordingFile", _expire_files),
)


def _site_controllers(processing: str, on: dt.date) -> list[tuple[str, str]]:
    """(controller, the addresses it answers for) on ``on``, in the order of the sites."""
    from trygg.contact import rules
    from trygg.contact.models import Site, SiteController

    changes: dict[int, list[tuple[dt.date, str]]] = {}
    for site_id, since, name in SiteController.objects.filter(
        processing=processing, valid_from__lte=on
    ).values_list("site_id", "valid_from", "controller"):
        changes.setdefault(site_id, []).append((since, name))
    scopes: dict[str, list[str]] = {}
    for site in Site.objects.filter(pk__in=changes).order_by("id"):
        scopes.setdefault(rules.controller_on(changes[site.pk], on), []).append(site.address)
    return [(name, "; ".join(addresses)) for name, addresses in scopes.items()]


CONTROLLERS = {
    P.CAMERA: lambda on: _site_controllers("camera", on),
    P.VISITORS: lambda on: _site_controllers("visitors", on),
}
