"""The contact app's entries in the personal-data map (see ``trygg.kernel.datamap``), how the
retention rules reach its tables, and the sites' controllers, processors and retention fed to
the processing register."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext, gettext_noop

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
            "platform_id": C.ACTIVITY,
        },
        other=("purpose", "controller", "platform"),
    ),
    model_map(
        "contact.RecordingFile",
        P.RECORDING_QUALITY,
        {
            "interaction": C.IMAGE,
            "export": (C.IMAGE, P.CAMERA),
            "size": C.IMAGE,
            "sha256": C.IMAGE,
            "stored_at": C.ACTIVITY,
        },
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
        "contact.Survey",
        P.SURVEY,
        {
            "response_id": C.ACTIVITY,
            "matter": C.ACTIVITY,
            "employee": (C.EMPLOYEE, P.STAFF),
            "party": C.IDENTITY,
            "channel": C.ACTIVITY,
            "contact_detail": C.CONTACT,
            "contact_key": C.CONTACT,
            "state": C.ACTIVITY,
            "created_at": C.ACTIVITY,
            "sent_at": C.ACTIVITY,
            "answered_at": C.ACTIVITY,
            "nps": C.ACTIVITY,
            "satisfaction": C.ACTIVITY,
            "resolved": C.ACTIVITY,
            "free_text": C.FREE_TEXT,
        },
        other=("team", "controller"),
    ),
    model_map(
        "contact.OutboxMessage",
        P.SURVEY,
        {
            "channel": C.ACTIVITY,
            "recipient": C.CONTACT,
            "subject": C.FREE_TEXT,
            "body": C.FREE_TEXT,
            "state": C.ACTIVITY,
            "attempts": C.ACTIVITY,
            "error": C.ACTIVITY,
            "provider_id": C.ACTIVITY,
            "survey": C.ACTIVITY,
            "visit": (C.ACTIVITY, P.VISITORS),
            "created_at": C.ACTIVITY,
            "sent_at": C.ACTIVITY,
        },
    ),
    model_map(
        "contact.CallbackTask",
        P.SURVEY,
        {
            "survey": C.ACTIVITY,
            "opened_at": C.ACTIVITY,
            "done_at": C.ACTIVITY,
            "done_by": (C.EMPLOYEE, P.STAFF),
            "outcome": C.FREE_TEXT,
        },
    ),
    model_map(
        "contact.Visit",
        P.VISITORS,
        {
            "name": C.IDENTITY,
            "phone": C.CONTACT,
            "company": C.IDENTITY,
            "host": (C.EMPLOYEE, P.STAFF),
            "car": C.IDENTITY,
            "card": C.ACTIVITY,
            "card_issued_at": C.ACTIVITY,
            "state": C.ACTIVITY,
            "visited_on": C.ACTIVITY,
            "signed_in_at": C.ACTIVITY,
            "signed_out_at": C.ACTIVITY,
            "host_coming_at": C.ACTIVITY,
        },
        other=("site",),
    ),
    model_map(
        "contact.DoorPassage",
        P.VISITORS,
        {
            "visit": C.ACTIVITY,
            "card": C.ACTIVITY,
            "door": C.ACTIVITY,
            "direction": C.ACTIVITY,
            "passed_at": C.ACTIVITY,
        },
    ),
    model_map(
        "contact.VisitRelease",
        P.VISITORS,
        {
            "reference": C.OFFENCE,
            "handed_over": C.FREE_TEXT,
            "released_by": (C.EMPLOYEE, P.STAFF),
            "released_at": C.ACTIVITY,
        },
        other=("site", "recipient"),
    ),
    model_map("contact.ReleasedVisit", P.VISITORS, {"release": C.ACTIVITY, "visit": C.ACTIVITY}),
    model_map("contact.Camera", P.CAMERA, {}, other=("site", "place", "signage", "active")),
    model_map(
        "contact.FootageViewing",
        P.CAMERA,
        {
            "cameras": C.ACTIVITY,
            "recorded_on": C.IMAGE,
            "reason": C.OFFENCE,  # the incident, often a suspected crime
            "viewed_by": (C.EMPLOYEE, P.STAFF),
            "viewed_at": C.ACTIVITY,
        },
        other=("site",),
    ),
    model_map(
        "contact.FootageExport",
        P.CAMERA,
        {
            "viewing": C.IMAGE,
            "recorded_on": C.IMAGE,
            "police_reference": C.OFFENCE,
            "state": C.ACTIVITY,
            "exported_by": (C.EMPLOYEE, P.STAFF),
            "exported_at": C.ACTIVITY,
        },
        other=("site",),
    ),
    model_map(
        "contact.CustodyEvent",
        P.CAMERA,
        {
            "export": C.OFFENCE,
            "action": C.ACTIVITY,
            "by": (C.EMPLOYEE, P.STAFF),
            "to": C.ACTIVITY,
            "at": C.ACTIVITY,
            "sha256": C.IMAGE,
        },
    ),
    model_map(
        "contact.SupportTicket",
        P.IT_SUPPORT,
        {
            "party": C.IDENTITY,
            "problem": C.FREE_TEXT,
            "state": C.ACTIVITY,
            "opened_at": C.ACTIVITY,
            "closed_at": C.ACTIVITY,
        },
    ),
    model_map(
        "contact.TicketHandler",
        P.IT_SUPPORT,
        {
            "ticket": C.ACTIVITY,
            "name": (C.EMPLOYEE, P.STAFF),
            "added_at": C.ACTIVITY,
        },
        other=("processor", "country", "safeguard"),
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
    # Support tickets 3 years after closing (seed 002), with their handlers.
    Purge("ticket", "contact.SupportTicket", "closed_at", subjects=("party",)),
    # Exported copies of camera footage by the site's camera rule, from the day the images were
    # recorded (their chain of custody with them; the file goes with the recordings' files
    # below); the log of who viewed footage, when and why, is kept as the access log is.
    Purge("camera", "contact.FootageExport", "recorded_on", when={"site__camera_rule": "camera"}),
    Purge(
        "camera-30",
        "contact.FootageExport",
        "recorded_on",
        when={"site__camera_rule": "camera-30"},
    ),
    Purge("access-log", "contact.FootageViewing", "viewed_at"),
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
    # Survey answers 18 months from the answer, a request never answered 18 months from when it
    # was made (with its messages); comments beyond the standard questions 12 months.
    Purge("survey", "contact.Survey", "answered_at", subjects=("party",)),
    Purge(
        "survey",
        "contact.Survey",
        "created_at",
        subjects=("party",),
        when={"answered_at__isnull": True},
    ),
    # Visitors by their site's rule, from the day of the visit ("1 dag från dagen för besöket"),
    # with their door passages and messages; a record of a release goes with the same rule.
    Purge("visitor", "contact.Visit", "visited_on", when={"site__visitor_rule": "visitor"}),
    Purge("visitor-30", "contact.Visit", "visited_on", when={"site__visitor_rule": "visitor-30"}),
    Purge("visitor", "contact.VisitRelease", "released_at", when={"site__visitor_rule": "visitor"}),
    Purge(
        "visitor-30",
        "contact.VisitRelease",
        "released_at",
        when={"site__visitor_rule": "visitor-30"},
    ),
    Purge(
        "survey-free-text",
        "contact.Survey",
        "answered_at",
        subjects=("party",),
        clear=("free_text",),
    ),
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

# The processors the sites' migration seeds, named here so that they read in the reader's
# language; a processor entered otherwise reads as entered.
SEEDED_PROCESSORS = (
    gettext_noop("Security company (guards)"),
    gettext_noop("Camera vendor"),
    gettext_noop("Provider of the visitor system"),
    gettext_noop("Provider of the access-card system"),
    gettext_noop("Maintainer of the access-card system"),
)


def _site_processors(processing: str) -> list[str]:
    """Each processor with the addresses it serves, in the order of the sites."""
    from trygg.contact.models import SiteProcessor

    scopes: dict[str, list[str]] = {}
    for role, address in (
        SiteProcessor.objects.filter(processing=processing)
        .order_by("site_id", "id")
        .values_list("role", "site__address")
    ):
        scopes.setdefault(role, []).append(address)
    return [f"{gettext(role)} ({'; '.join(addresses)})" for role, addresses in scopes.items()]


def _site_retention(field: str) -> str:
    """The period each site keeps the data for, by the rule the site names."""
    from trygg.contact.models import Site

    scopes: dict[str, list[str]] = {}
    for site in Site.objects.order_by("id"):
        label = str(getattr(site, f"get_{field}_display")())
        scopes.setdefault(label, []).append(site.address)
    return " ".join(f"{label}: {'; '.join(addresses)}." for label, addresses in scopes.items())


PROCESSORS = {
    P.CAMERA: lambda on: _site_processors("camera"),
    P.VISITORS: lambda on: _site_processors("visitors"),
}
RETENTIONS = {
    P.CAMERA: lambda on: _site_retention("camera_rule"),
    P.VISITORS: lambda on: _site_retention("visitor_rule"),
}
