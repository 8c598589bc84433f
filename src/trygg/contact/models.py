"""Contact and premises records: sites and their controllers, recorded interactions with their
files, police reports and releases, reviews, and objections to direct marketing."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from trygg.contact import rules


class SiteProcessing(models.TextChoices):
    CAMERA = rules.SiteProcessing.CAMERA, _("Camera surveillance")
    VISITORS = rules.SiteProcessing.VISITORS, _("Visitor registration")


class Site(models.Model):
    """Premises of seed 003: the address, its retention as data (which privacy rule keeps its
    visitors and its camera images) and whether visitors may park there."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    address = models.CharField(_("address"), max_length=200)
    visitor_rule = models.CharField(
        _("visitors kept by rule"),
        max_length=16,
        choices=[("visitor", _("1 day from the visit")), ("visitor-30", _("30 days"))],
    )
    camera_rule = models.CharField(
        _("camera images kept by rule"),
        max_length=16,
        choices=[("camera", _("14 days")), ("camera-30", _("30 days"))],
    )
    parking = models.BooleanField(_("visitor parking"), default=False)

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                name="site_visitor_rule_known",
                condition=Q(visitor_rule__in=["visitor", "visitor-30"]),
            ),
            models.CheckConstraint(
                name="site_camera_rule_known", condition=Q(camera_rule__in=["camera", "camera-30"])
            ),
        ]

    def __str__(self) -> str:
        return self.address


class SiteController(models.Model):
    """The controller of one processing at a site from a date; a change is a new row."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="controllers")
    processing = models.CharField(_("processing"), max_length=16, choices=SiteProcessing.choices)
    controller = models.CharField(_("controller"), max_length=200)
    valid_from = models.DateField(_("from"))

    class Meta:
        verbose_name = _("site controller")
        verbose_name_plural = _("site controllers")
        ordering = ["site", "processing", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "processing", "valid_from"], name="site_controller_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.controller} ({self.site}, {self.valid_from})"


class SiteProcessor(models.Model):
    """A processor a site uses for one processing (visitor system, card system, guard company,
    camera vendor)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="processors")
    processing = models.CharField(_("processing"), max_length=16, choices=SiteProcessing.choices)
    role = models.CharField(_("processor"), max_length=200)

    class Meta:
        verbose_name = _("site processor")
        verbose_name_plural = _("site processors")
        ordering = ["site", "processing", "id"]

    def __str__(self) -> str:
        return f"{self.role} ({self.site})"


class Purpose(models.TextChoices):
    THREAT = rules.Purpose.THREAT, _("Perceived threat")
    QUALITY = rules.Purpose.QUALITY, _("Quality and training")


class Channel(models.TextChoices):
    PHONE = rules.Channel.PHONE, _("Phone")
    VIDEO = rules.Channel.VIDEO, _("Video")
    EMAIL = rules.Channel.EMAIL, _("E-mail")
    CHAT = rules.Channel.CHAT, _("Chat")


class Matter(models.TextChoices):
    BANKING = rules.Matter.BANKING, _("Banking services")
    INSURANCE = rules.Matter.INSURANCE, _("Insurance")
    OTHER = rules.Matter.OTHER, _("Other")


class InteractionState(models.TextChoices):
    RECORDING = rules.InteractionState.RECORDING, _("Recording")
    STORED = rules.InteractionState.STORED, _("Stored")
    DECLINED = rules.InteractionState.DECLINED, _("Declined by the person")
    REPORTED = rules.InteractionState.REPORTED, _("Reported to the police")


class Interaction(models.Model):
    """A recorded phone or video call, e-mail or chat (seed 003): the contact detail used, the
    person when they authenticated, time, channel, employee, kind of matter; its controller
    follows from the purpose and the matter."""

    purpose = models.CharField(_("purpose"), max_length=8, choices=Purpose.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    matter = models.CharField(_("kind of matter"), max_length=16, choices=Matter.choices)
    controller = models.CharField(_("controller"), max_length=200)
    state = models.CharField(
        _("state"), max_length=12, choices=InteractionState.choices, default="recording"
    )
    contact_detail = models.CharField(
        _("contact detail"), max_length=200, help_text=_("Phone number, e-mail or chat alias.")
    )
    party = models.ForeignKey(
        "parties.Party",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("authenticated person"),
    )
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("employee"),
    )
    started_at = models.DateTimeField(_("started"))
    platform = models.CharField(
        _("recording platform"),
        max_length=100,
        blank=True,
        help_text=_("The platform that reported the interaction; empty when staff started it."),
    )
    platform_id = models.CharField(_("platform's id"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("recorded interaction")
        verbose_name_plural = _("recorded interactions")
        ordering = ["-started_at"]
        permissions = [
            ("report_interaction", _("Can report a recorded threat to the police")),
            ("release_interaction", _("Can hand a recording over to the police")),
        ]
        indexes = [models.Index(fields=["purpose", "started_at"], name="interaction_retention")]
        constraints = [
            models.CheckConstraint(
                name="interaction_has_purpose", condition=Q(purpose__in=["threat", "quality"])
            ),
            models.CheckConstraint(
                name="interaction_declined_only_quality",
                condition=~Q(state="declined") | Q(purpose="quality"),
            ),
            models.CheckConstraint(
                name="interaction_reported_only_threat",
                condition=~Q(state="reported") | Q(purpose="threat"),
            ),
            models.UniqueConstraint(
                fields=["platform", "platform_id"],
                condition=~Q(platform_id=""),
                name="interaction_once_per_platform_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.started_at:%Y-%m-%d %H:%M}"


class RecordingFile(models.Model):
    """A stored file in the storage ``recordings``: the audio, video or document of an
    interaction, or a copy of camera footage exported for the police. When the retention run
    deletes the record it belongs to, the reference becomes empty and the same run removes the
    file from storage, then this row."""

    interaction = models.OneToOneField(
        Interaction, on_delete=models.SET_NULL, null=True, related_name="file"
    )
    export = models.OneToOneField(
        "contact.FootageExport", on_delete=models.SET_NULL, null=True, related_name="file"
    )
    name = models.CharField(_("file in storage"), max_length=200, unique=True)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    stored_at = models.DateTimeField(_("stored"))

    class Meta:
        verbose_name = _("recording file")
        verbose_name_plural = _("recording files")

    def __str__(self) -> str:
        return self.name


class PoliceReport(models.Model):
    """A recorded threat reported to the police: the legal hold that keeps it."""

    interaction = models.OneToOneField(
        Interaction, on_delete=models.CASCADE, related_name="police_report"
    )
    police_reference = models.CharField(_("police reference"), max_length=100)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported"))
    hold_id = models.PositiveBigIntegerField(_("legal hold"))

    class Meta:
        verbose_name = _("police report")
        verbose_name_plural = _("police reports")
        constraints = [
            models.CheckConstraint(
                name="police_report_has_reference", condition=~Q(police_reference="")
            )
        ]

    def __str__(self) -> str:
        return self.police_reference


class PoliceRelease(models.Model):
    """What was handed over to the police, when and by whom (seed 003: the file with time,
    circumstances and participants)."""

    interaction = models.ForeignKey(Interaction, on_delete=models.CASCADE, related_name="releases")
    police_reference = models.CharField(_("police reference"), max_length=100)
    handed_over = models.TextField(_("what was handed over"))
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(_("released"))

    class Meta:
        verbose_name = _("release to the police")
        verbose_name_plural = _("releases to the police")
        constraints = [
            models.CheckConstraint(
                name="police_release_has_reference", condition=~Q(police_reference="")
            )
        ]

    def __str__(self) -> str:
        return self.police_reference


class Review(models.Model):
    """A quality recording drawn at random for review by the employee and their coach."""

    interaction = models.OneToOneField(
        Interaction, on_delete=models.CASCADE, related_name="review", verbose_name=_("interaction")
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("coach"),
    )
    drawn_at = models.DateTimeField(_("drawn"))
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    notes = models.TextField(_("what was discussed"), blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.CheckConstraint(
                name="review_done_with_notes",
                condition=Q(reviewed_at__isnull=True) | ~Q(notes=""),
            )
        ]

    def __str__(self) -> str:
        return f"{self.interaction} ({self.drawn_at:%Y-%m-%d})"


class ObjectionSource(models.TextChoices):
    MY_PAGES = rules.ObjectionSource.MY_PAGES, _("My pages")
    CUSTOMER_SERVICE = rules.ObjectionSource.CUSTOMER_SERVICE, _("Customer service")
    LINK = rules.ObjectionSource.LINK, _("Link in a survey")


class Objection(models.Model):
    """An objection to direct marketing (satisfaction surveys): by a customer, or by the contact
    detail a survey went to; recorded with its source; one per person or contact detail."""

    party = models.OneToOneField(
        "parties.Party",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("customer"),
    )
    contact_detail = models.CharField(_("contact detail"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=ObjectionSource.choices)
    received_at = models.DateTimeField(_("received"))
    recorded_by = models.CharField(_("recorded by"), max_length=200)

    class Meta:
        verbose_name = _("objection to direct marketing")
        verbose_name_plural = _("objections to direct marketing")
        ordering = ["-received_at"]
        constraints = [
            models.CheckConstraint(
                name="objection_names_someone",
                condition=Q(party__isnull=False) | ~Q(contact_detail=""),
            ),
            models.UniqueConstraint(
                fields=["contact_detail"],
                condition=~Q(contact_detail=""),
                name="objection_once_per_contact",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.received_at:%Y-%m-%d}"


class SurveyState(models.TextChoices):
    QUEUED = rules.SurveyState.QUEUED, _("Queued")
    SENT = rules.SurveyState.SENT, _("Sent")
    STOPPED = rules.SurveyState.STOPPED, _("Stopped by an objection")
    FAILED = rules.SurveyState.FAILED, _("Could not be sent")
    ANSWERED = rules.SurveyState.ANSWERED, _("Answered")


class SurveyChannel(models.TextChoices):
    EMAIL = rules.SurveyChannel.EMAIL, _("E-mail")
    SMS = rules.SurveyChannel.SMS, _("SMS")
    CALL = rules.SurveyChannel.CALL, _("Phone call")


class Survey(models.Model):
    """A satisfaction survey after a closed matter (seed 003): the request, and the answer with
    its unique response id, the matter, the employee (and team) and the customer when there is
    one. The group company that asks is the controller, named in the request."""

    response_id = models.UUIDField(_("response id"), unique=True)
    matter = models.CharField(_("matter"), max_length=100)
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("employee"),
    )
    team = models.CharField(_("team"), max_length=100)
    controller = models.CharField(_("controller"), max_length=200)
    party = models.ForeignKey(
        "parties.Party",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("customer"),
    )
    channel = models.CharField(_("channel"), max_length=8, choices=SurveyChannel.choices)
    contact_detail = models.CharField(_("contact detail"), max_length=200)
    contact_key = models.CharField(_("contact detail, normalised"), max_length=200)
    state = models.CharField(
        _("state"), max_length=10, choices=SurveyState.choices, default="queued"
    )
    created_at = models.DateTimeField(_("asked"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    nps = models.PositiveSmallIntegerField(_("likely to recommend (0-10)"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfied with the handling (1-5)"), null=True, blank=True
    )
    resolved = models.BooleanField(_("matter resolved"), null=True, blank=True)
    free_text = models.TextField(_("other comments"), blank=True)

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["state", "contact_key"], name="survey_state_contact"),
            models.Index(fields=["answered_at"], name="survey_answered"),
            # The daily clearing of comments past 12 months reads only the answers that still
            # have one, not every answer between 12 and 18 months old.
            models.Index(
                fields=["answered_at"], condition=~Q(free_text=""), name="survey_free_text"
            ),
            models.Index(fields=["created_at"], name="survey_created"),
        ]
        constraints = [
            models.CheckConstraint(
                name="survey_answer_complete",
                condition=Q(answered_at__isnull=True, nps__isnull=True, satisfaction__isnull=True)
                | Q(
                    state="answered",
                    answered_at__isnull=False,
                    nps__lte=10,
                    satisfaction__gte=1,
                    satisfaction__lte=5,
                    resolved__isnull=False,
                ),
            ),
        ]

    def __str__(self) -> str:
        return str(self.response_id)


class OutboxState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    STOPPED = "stopped", _("Stopped")
    FAILED = "failed", _("Failed")


class OutboxMessage(models.Model):
    """An e-mail or SMS to send, written in the transaction that decides it and sent after it
    (``outbox_send``): sent at most once, retried a few times, stopped when its survey is."""

    channel = models.CharField(_("channel"), max_length=8, choices=SurveyChannel.choices)
    recipient = models.CharField(_("to"), max_length=200)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    state = models.CharField(
        _("state"), max_length=8, choices=OutboxState.choices, default="queued"
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.CharField(_("last error"), max_length=300, blank=True)
    provider_id = models.CharField(_("provider's id"), max_length=100, blank=True)
    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, null=True, blank=True, related_name="messages"
    )
    visit = models.ForeignKey(
        "contact.Visit", on_delete=models.CASCADE, null=True, blank=True, related_name="messages"
    )
    created_at = models.DateTimeField(_("written"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        indexes = [models.Index(fields=["state", "id"], name="outbox_queue")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.created_at:%Y-%m-%d %H:%M}"


class CallbackTask(models.Model):
    """A very dissatisfied answer: someone calls the person back (seed 003)."""

    survey = models.OneToOneField(
        Survey, on_delete=models.CASCADE, related_name="callback", verbose_name=_("survey")
    )
    opened_at = models.DateTimeField(_("opened"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        verbose_name = _("callback after a survey")
        verbose_name_plural = _("callbacks after surveys")
        ordering = ["opened_at"]
        constraints = [
            models.CheckConstraint(
                name="survey_callback_done_with_outcome",
                condition=Q(done_at__isnull=True, done_by__isnull=True)
                | Q(done_at__isnull=False, done_by__isnull=False) & ~Q(outcome=""),
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey} ({self.opened_at:%Y-%m-%d})"


class VisitState(models.TextChoices):
    SIGNED_IN = rules.VisitState.SIGNED_IN, _("Signed in")
    SIGNED_OUT = rules.VisitState.SIGNED_OUT, _("Signed out")


class Visit(models.Model):
    """A visitor at a site (seed 003): name, phone, company, the host; the car's registration
    where the site has parking; the visitor card and its door passages. Kept by the site's rule
    from the day of the visit."""

    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="visits", verbose_name=_("site")
    )
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40)
    company = models.CharField(_("company"), max_length=200, blank=True)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("host")
    )
    car = models.CharField(_("car registration"), max_length=10, blank=True)
    card = models.CharField(_("visitor card"), max_length=40, blank=True)
    card_issued_at = models.DateTimeField(_("card issued"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=VisitState.choices, default="signed-in"
    )
    visited_on = models.DateField(_("day of the visit"))
    signed_in_at = models.DateTimeField(_("signed in"))
    signed_out_at = models.DateTimeField(_("signed out"), null=True, blank=True)
    host_coming_at = models.DateTimeField(_("host on the way"), null=True, blank=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-signed_in_at"]
        indexes = [
            models.Index(fields=["site", "visited_on", "state"], name="visit_evacuation"),
            models.Index(fields=["visited_on"], name="visit_retention"),
        ]
        constraints = [
            models.CheckConstraint(name="visit_has_a_name", condition=~Q(name="")),
            models.CheckConstraint(
                name="visit_signed_out_when",
                condition=Q(state="signed-in", signed_out_at__isnull=True)
                | Q(state="signed-out", signed_out_at__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["site", "card"],
                condition=Q(state="signed-in") & ~Q(card=""),
                name="visit_card_one_visitor_at_a_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.visited_on})"


class Direction(models.TextChoices):
    IN = rules.Direction.IN, _("In")
    OUT = rules.Direction.OUT, _("Out")


class DoorPassage(models.Model):
    """A door the visitor card passed, in or out (from the card system); recorded once per card,
    door and time."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="passages")
    card = models.CharField(_("visitor card"), max_length=40)
    door = models.CharField(_("door"), max_length=100)
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    passed_at = models.DateTimeField(_("passed"))

    class Meta:
        verbose_name = _("door passage")
        verbose_name_plural = _("door passages")
        ordering = ["passed_at"]
        indexes = [models.Index(fields=["visit", "passed_at"], name="passage_latest")]
        constraints = [
            models.CheckConstraint(
                name="passage_direction_known", condition=Q(direction__in=["in", "out"])
            ),
            models.UniqueConstraint(
                fields=["visit", "card", "door", "passed_at"], name="passage_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.door} {self.passed_at:%H:%M}"


class Recipient(models.TextChoices):
    RESCUE_SERVICE = rules.Recipient.RESCUE_SERVICE, _("Rescue service")
    POLICE = rules.Recipient.POLICE, _("Police or another authority")


class VisitRelease(models.Model):
    """Visitors' data handed to the rescue service at an incident or to an authority at a police
    report, investigation or supervision: to whom, their reference, what, who, when."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    recipient = models.CharField(_("recipient"), max_length=16, choices=Recipient.choices)
    reference = models.CharField(_("their reference"), max_length=100, blank=True)
    handed_over = models.TextField(_("what was handed over"))
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(_("released"))

    class Meta:
        verbose_name = _("release of visitors' data")
        verbose_name_plural = _("releases of visitors' data")
        ordering = ["-released_at"]
        constraints = [
            models.CheckConstraint(
                name="visit_release_police_reference",
                condition=~Q(recipient="police") | ~Q(reference=""),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_recipient_display()} {self.released_at:%Y-%m-%d %H:%M}"


class ReleasedVisit(models.Model):
    """One visit whose data went with a release."""

    release = models.ForeignKey(VisitRelease, on_delete=models.CASCADE, related_name="visits")
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="releases")

    class Meta:
        verbose_name = _("released visit")
        verbose_name_plural = _("released visits")
        constraints = [
            models.UniqueConstraint(fields=["release", "visit"], name="released_visit_once")
        ]

    def __str__(self) -> str:
        return f"{self.release_id}: {self.visit_id}"


class Camera(models.Model):
    """A camera at a site and the sign that tells of it."""

    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="cameras", verbose_name=_("site")
    )
    place = models.CharField(_("where"), max_length=200)
    signage = models.CharField(
        _("sign"), max_length=200, help_text=_("Where the sign telling of the camera is.")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("camera")
        verbose_name_plural = _("cameras")
        ordering = ["site", "place"]
        constraints = [models.CheckConstraint(name="camera_has_signage", condition=~Q(signage=""))]

    def __str__(self) -> str:
        return f"{self.place} ({self.site})"


class FootageViewing(models.Model):
    """Footage viewed after an incident: who, when, why, which cameras and which period."""

    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site")
    )
    cameras = models.CharField(_("cameras"), max_length=300)
    recorded_on = models.DateField(_("footage of the day"))
    reason = models.TextField(_("why"))
    viewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("viewed by"),
    )
    viewed_at = models.DateTimeField(_("viewed"))

    class Meta:
        verbose_name = _("footage viewing")
        verbose_name_plural = _("footage viewings")
        ordering = ["-viewed_at"]
        constraints = [models.CheckConstraint(name="viewing_has_reason", condition=~Q(reason=""))]

    def __str__(self) -> str:
        return f"{self.site} {self.viewed_at:%Y-%m-%d %H:%M}"


class CustodyState(models.TextChoices):
    EXPORTED = rules.Custody.EXPORTED, _("Exported")
    HANDED_OVER = rules.Custody.HANDED_OVER, _("Handed over")
    RECEIVED = rules.Custody.RECEIVED, _("Received by the police")


class FootageExport(models.Model):
    """A copy of footage for the police (their reference required), its file in the storage
    ``recordings`` and its chain of custody; the copy goes by the site's camera rule."""

    viewing = models.ForeignKey(
        FootageViewing, on_delete=models.PROTECT, related_name="exports", verbose_name=_("viewing")
    )
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="+", verbose_name=_("site")
    )
    recorded_on = models.DateField(_("footage of the day"))
    police_reference = models.CharField(_("police reference"), max_length=100)
    state = models.CharField(
        _("custody"), max_length=12, choices=CustodyState.choices, default="exported"
    )
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("exported by"),
    )
    exported_at = models.DateTimeField(_("exported"))

    class Meta:
        verbose_name = _("footage export")
        verbose_name_plural = _("footage exports")
        ordering = ["-exported_at"]
        constraints = [
            models.CheckConstraint(
                name="footage_export_police_reference", condition=~Q(police_reference="")
            )
        ]

    def __str__(self) -> str:
        return f"{self.police_reference} ({self.recorded_on})"


class CustodyEvent(models.Model):
    """One link of the chain of custody: who had the copy, who took it, when."""

    export = models.ForeignKey(FootageExport, on_delete=models.CASCADE, related_name="custody")
    action = models.CharField(_("action"), max_length=12, choices=CustodyState.choices)
    by = models.CharField(_("by"), max_length=200)
    to = models.CharField(_("to"), max_length=200, blank=True)
    at = models.DateTimeField(_("when"))
    sha256 = models.CharField(_("SHA-256 of the copy"), max_length=64)

    class Meta:
        verbose_name = _("custody event")
        verbose_name_plural = _("custody events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class TicketState(models.TextChoices):
    OPEN = rules.TicketState.OPEN, _("Open")
    CLOSED = rules.TicketState.CLOSED, _("Closed")


class SupportTicket(models.Model):
    """A support ticket (seed 002): the problem, opened and closed; gone 3 years after closing."""

    party = models.ForeignKey(
        "parties.Party",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("customer"),
    )
    problem = models.TextField(_("problem"))
    state = models.CharField(_("state"), max_length=8, choices=TicketState.choices, default="open")
    opened_at = models.DateTimeField(_("opened"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("support ticket")
        verbose_name_plural = _("support tickets")
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["closed_at"], name="ticket_retention")]
        constraints = [
            models.CheckConstraint(
                name="ticket_closed_when",
                condition=Q(state="open", closed_at__isnull=True)
                | Q(state="closed", closed_at__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.opened_at:%Y-%m-%d}"


class TicketHandler(models.Model):
    """Someone who worked the ticket: our staff, or a processor's staff with their country and,
    outside the EU/EEA, the safeguard of the transfer."""

    ticket = models.ForeignKey(SupportTicket, on_delete=models.CASCADE, related_name="handlers")
    name = models.CharField(_("name"), max_length=200)
    processor = models.CharField(
        _("processor"), max_length=200, blank=True, help_text=_("Empty for our own staff.")
    )
    country = models.CharField(_("country"), max_length=2)
    safeguard = models.CharField(_("safeguard"), max_length=300, blank=True)
    added_at = models.DateTimeField(_("added"))

    class Meta:
        verbose_name = _("ticket handler")
        verbose_name_plural = _("ticket handlers")

    def __str__(self) -> str:
        return self.name
