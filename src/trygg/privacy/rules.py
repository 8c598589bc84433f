"""Retention rules and legal holds, pure (no Django). The docstring is the spec.

Each rule keeps one kind of data for a period counted from a date the data carries (the visit,
the recording, the closing of a ticket, the decision on an application), then the retention run
deletes it, or empties the fields the rule names (anonymise). The periods are the seeds':

- support tickets: up to 3 years after the ticket is closed (seed 002);
- real data used in a test: deleted from the test environment when the test ends (seed 002);
- backups: old versions deleted after at most 13 months (seed 002);
- access logs, the log-in history among them: 13 months (seed 002);
- a blocked request (IP address, device data, time): 3 months; allowed requests are not stored
  and the vendors' list of reported addresses keeps no history (seed 002);
- camera images: 14 days; at Tegeluddsvägen 11-13, 30 days (seed 003);
- visitors: 1 day from the day of the visit; at Tegeluddsvägen, 30 days (seed 003);
- an interaction recorded at a perceived threat: 30 days; if a police report is made, as long as
  legal claims need (a legal hold until lifted) (seed 003);
- an interaction recorded for quality and training: 30 days (seed 003);
- satisfaction-survey answers: 18 months; free-text comments beyond the standard questions
  12 months (seed 003);
- bookkeeping records: until the end of the seventh year after the calendar year they belong
  to (Bokföringslagen 7 kap. 2 §; "kept 7 years");
- an application that did not become a policy is archived (seed 001: "oavsett om ansökan
  bifalls eller inte") and kept 10 years from the decision (decision 0032);
- a blocking report: 3 years after the case is closed (decision 0032).

A period is counted in the business calendar: data dated ``d`` has passed a period ``p`` on the
business date ``on`` when ``d <= on - p`` (1 day: a visit on the 1st is gone on the 2nd). Months
are calendar months, the day clamped to the month's end (13 months before 31 March 2027 is
28 February 2026). A run for a business date after today is refused: it would delete data that
has not passed its period.

A legal hold (a police report on a recorded threat, a dispute, a claim) stops a rule, or every
rule, for one data subject or one record until it is lifted; it is placed and lifted once, with
who, why and when.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final

from trygg.kernel.datamap import Processing


class RuleError(Exception):
    def __init__(self, code: str, field: str | None, message: str, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.field = field
        self.message = message
        self.params = params


class Action(enum.StrEnum):
    DELETE = "delete"
    ANONYMISE = "anonymise"


@dataclass(frozen=True)
class Period:
    years: int = 0
    months: int = 0
    days: int = 0

    def __str__(self) -> str:
        parts = [
            f"{n} {unit}{'' if n == 1 else 's'}"
            for n, unit in ((self.years, "year"), (self.months, "month"), (self.days, "day"))
            if n
        ]
        return " ".join(parts) or "0 days"


@dataclass(frozen=True)
class RetentionRule:
    code: str
    processing: Processing
    period: Period
    counted_from: str  # what the date is, in words (English; the register translates)
    action: Action = Action.DELETE
    after_year_end: bool = False  # the period starts when the date's calendar year ends


def _rule(
    code: str,
    processing: Processing,
    period: Period,
    counted_from: str,
    action: Action = Action.DELETE,
    *,
    after_year_end: bool = False,
) -> tuple[str, RetentionRule]:
    return code, RetentionRule(code, processing, period, counted_from, action, after_year_end)


P = Processing
RULES: Final[Mapping[str, RetentionRule]] = dict(
    [
        _rule("ticket", P.IT_SUPPORT, Period(years=3), "the ticket was closed"),
        _rule("test-data", P.TESTING, Period(), "the test ended"),
        _rule("backup", P.BACKUP, Period(months=13), "the backup was taken"),
        _rule("access-log", P.ACCESS_LOG, Period(months=13), "the event"),
        _rule("blocked-request", P.INTRUSION, Period(months=3), "the request was blocked"),
        _rule("camera", P.CAMERA, Period(days=14), "the image was recorded"),
        _rule("camera-30", P.CAMERA, Period(days=30), "the image was recorded (Tegeluddsvägen)"),
        _rule("visitor", P.VISITORS, Period(days=1), "the day of the visit"),
        _rule("visitor-30", P.VISITORS, Period(days=30), "the day of the visit (Tegeluddsvägen)"),
        _rule("recording-threat", P.RECORDING_THREAT, Period(days=30), "the interaction"),
        _rule("recording-quality", P.RECORDING_QUALITY, Period(days=30), "the interaction"),
        _rule("survey", P.SURVEY, Period(months=18), "the answer"),
        _rule(
            "survey-free-text",
            P.SURVEY,
            Period(months=12),
            "the answer",
            Action.ANONYMISE,
        ),
        _rule(
            "bookkeeping",
            P.BOOKKEEPING,
            Period(years=7),
            "the end of the calendar year of the record",
            after_year_end=True,
        ),
        _rule("application-archive", P.APPLICATION, Period(years=10), "the decision"),
        _rule("blocking-report", P.PROTECTION, Period(years=3), "the case was closed"),
        _rule(
            "notice-text",
            P.PRIVACY_RIGHTS,
            Period(days=30),
            "the notice was written",
            Action.ANONYMISE,
        ),
    ]
)


def rule(code: str) -> RetentionRule:
    try:
        return RULES[code]
    except KeyError:
        raise RuleError("retention.rule", "rule", f"No retention rule {code!r}.") from None


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months earlier, clamped to the month's end."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def cutoff(retention: RetentionRule, on: dt.date) -> dt.date:
    """The latest date whose data has passed the rule's period on business date ``on``."""
    period = retention.period
    if retention.after_year_end:
        # Kept to the end of the N-th year after the year of the record: gone from 1 January
        # of year + N + 1, so on ``on`` everything dated up to the end of on.year - N - 1.
        return dt.date(on.year - period.years - 1, 12, 31) - dt.timedelta(days=period.days)
    day = months_before(on, period.years * 12 + period.months)
    return day - dt.timedelta(days=period.days)


def has_passed(retention: RetentionRule, dated: dt.date, on: dt.date) -> bool:
    return dated <= cutoff(retention, on)


def check_run_date(on: dt.date, today: dt.date) -> None:
    """A run is for today or a past business date, never for a date still to come."""
    if on > today:
        raise RuleError(
            "retention.future_date",
            "date",
            f"A retention run cannot be made for {on.isoformat()}: the business date is "
            f"{today.isoformat()}, and data is deleted only when its period has passed.",
            on=on.isoformat(),
            today=today.isoformat(),
        )


class HoldState(enum.StrEnum):
    ACTIVE = "active"
    LIFTED = "lifted"


HOLD_TRANSITIONS: Final[Mapping[HoldState, frozenset[HoldState]]] = {
    HoldState.ACTIVE: frozenset({HoldState.LIFTED}),
    HoldState.LIFTED: frozenset(),
}


class HoldKind(enum.StrEnum):
    POLICE_REPORT = "police-report"  # a recorded threat reported to the police
    DISPUTE = "dispute"  # a complaint, a court case, the National Board for Consumer Disputes
    CLAIM = "claim"  # an open insurance claim or a claim against us
    AUTHORITY = "authority"  # a request from a supervisory or law-enforcement authority


def check_move(table: Mapping[HoldState, frozenset[HoldState]], now: str, to: str) -> None:
    """Refuse a change of a hold's state that the table does not allow."""
    allowed = {str(state) for state in table.get(HoldState(now), frozenset())}
    if to not in allowed:
        raise RuleError(
            "hold.transition",
            "state",
            f"A legal hold cannot go from {now} to {to}.",
            state_from=now,
            state_to=to,
        )


# -- data subject requests (GDPR Art. 12, 15-17, 19) -------------------------------------------
#
# A request is answered within one month of its receipt (Art. 12(3)); the period may be extended
# by two further months, the person told why within the first month. A period of months ends on
# the same day of the last month, or on that month's last day when it has no such day; a period
# ending on a Saturday, Sunday or public holiday ends on the next working day (Regulation (EEC,
# Euratom) No 1182/71, Art. 3(2)(c) and 3(4)), which is how the one month of Art. 12(3) counts.
#
# Seed 001: "genom skriftlig ansökan, en gång om året, kostnadsfritt" - one copy a year is free.
# Counted as a rolling year: a copy is free when no free copy was delivered in the twelve months
# before the request came in; a further copy within the year costs the administrative fee of
# Art. 15(3) (``TRYGG_PRIVACY_COPY_FEE``), told to the person before it is made.


class RequestKind(enum.StrEnum):
    ACCESS = "access"  # Art. 15: a copy of the data with the information about its processing
    RECTIFICATION = "rectification"  # Art. 16, with notice to the recipients (Art. 19)
    ERASURE = "erasure"  # Art. 17, where no law requires keeping the data


class RequestChannel(enum.StrEnum):
    PORTAL = "portal"  # My pages: the log-in identified the person
    POST = "post"
    PHONE = "phone"
    EMAIL = "email"


class RequestState(enum.StrEnum):
    RECEIVED = "received"  # registered by staff; identity not yet verified
    VERIFIED = "verified"  # identity verified (how is recorded)
    EXTENDED = "extended"  # the deadline extended by two months, the person told why
    COMPLETED = "completed"
    REFUSED = "refused"  # identity not verified, or the request refused with reasons
    WITHDRAWN = "withdrawn"


REQUEST_TRANSITIONS: Final[Mapping[RequestState, frozenset[RequestState]]] = {
    RequestState.RECEIVED: frozenset(
        {RequestState.VERIFIED, RequestState.REFUSED, RequestState.WITHDRAWN}
    ),
    RequestState.VERIFIED: frozenset(
        {
            RequestState.EXTENDED,
            RequestState.COMPLETED,
            RequestState.REFUSED,
            RequestState.WITHDRAWN,
        }
    ),
    RequestState.EXTENDED: frozenset(
        {RequestState.COMPLETED, RequestState.REFUSED, RequestState.WITHDRAWN}
    ),
    RequestState.COMPLETED: frozenset(),
    RequestState.REFUSED: frozenset(),
    RequestState.WITHDRAWN: frozenset(),
}

OPEN_REQUEST_STATES: Final = frozenset(
    {RequestState.RECEIVED, RequestState.VERIFIED, RequestState.EXTENDED}
)
ANSWER_MONTHS: Final = 1
EXTENSION_MONTHS: Final = 2
DUE_SOON_DAYS: Final = 7
FREE_COPY_MONTHS: Final = 12


def check_request_move(now: str, to: str) -> None:
    """Refuse a change of a request's state that the table does not allow."""
    allowed = {str(s) for s in REQUEST_TRANSITIONS.get(RequestState(now), frozenset())}
    if to not in allowed:
        raise RuleError(
            "request.transition",
            "state",
            f"A request cannot go from {now} to {to}.",
            state_from=now,
            state_to=to,
        )


def months_after(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later, clamped to the month's end."""
    return months_before(day, -months)


def _working_day_on_or_after(day: dt.date, is_holiday: Callable[[dt.date], bool]) -> dt.date:
    while day.weekday() >= 5 or is_holiday(day):
        day += dt.timedelta(days=1)
    return day


def answer_by(
    received: dt.date, *, extended: bool, is_holiday: Callable[[dt.date], bool]
) -> dt.date:
    """The last day to answer a request received on ``received``: one month (three when
    extended), moved to the next working day from a Saturday, Sunday or public holiday."""
    months = ANSWER_MONTHS + (EXTENSION_MONTHS if extended else 0)
    return _working_day_on_or_after(months_after(received, months), is_holiday)


class Urgency(enum.StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due-soon"  # within a week
    ON_TIME = "on-time"


def urgency(deadline: dt.date, today: dt.date) -> Urgency:
    if today > deadline:
        return Urgency.OVERDUE
    if (deadline - today).days <= DUE_SOON_DAYS:
        return Urgency.DUE_SOON
    return Urgency.ON_TIME


def copy_is_free(received: dt.date, last_free_copy_received: dt.date | None) -> bool:
    """One free copy a year (seed 001): free unless a free copy was asked for within the
    twelve months before ``received``."""
    if last_free_copy_received is None:
        return True
    return last_free_copy_received <= months_before(received, FREE_COPY_MONTHS)


def check_extension(received: dt.date, today: dt.date, reason: str) -> None:
    """An extension is decided within the first month and its reasons given (Art. 12(3))."""
    if not reason.strip():
        raise RuleError(
            "request.extension_reason", "reason", "Give the person the reasons for the delay."
        )
    if today > months_after(received, ANSWER_MONTHS):
        raise RuleError(
            "request.extension_late",
            "reason",
            "The extension must be decided within one month of receipt.",
        )


# -- notices of a rectification to the recipients (Art. 19) -------------------------------------
#
# A rectification is told to every recipient of the corrected fields' processings: one notice
# per recipient, written with the answer. A recipient with a notice address gets an e-mail
# through the outbox (queued, then sent or failed as the outbox settles it); a category of
# recipients, or a recipient whose address is not set, cannot be told (not possible), the reason
# kept for the person to read (decision 0099).


class NoticeState(enum.StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"
    NOT_POSSIBLE = "not-possible"


class NoticeReason(enum.StrEnum):
    CATEGORY = "category"  # a category of recipients, not one recipient
    NO_ADDRESS = "no-address"  # one recipient, but no notice address is set


NOTICE_TRANSITIONS: Final[Mapping[NoticeState, frozenset[NoticeState]]] = {
    NoticeState.QUEUED: frozenset({NoticeState.SENT, NoticeState.FAILED}),
    NoticeState.SENT: frozenset(),
    NoticeState.FAILED: frozenset(),
    NoticeState.NOT_POSSIBLE: frozenset(),
}


def notice_start(*, address: str, is_category: bool) -> tuple[NoticeState, str]:
    """(state, reason) of a new notice: queued to its address, or not possible and why."""
    if address:
        return NoticeState.QUEUED, ""
    if is_category:
        return NoticeState.NOT_POSSIBLE, NoticeReason.CATEGORY
    return NoticeState.NOT_POSSIBLE, NoticeReason.NO_ADDRESS


def check_notice_move(now: str, to: str) -> None:
    """Refuse a change of a notice's state that the table does not allow."""
    allowed = {str(s) for s in NOTICE_TRANSITIONS.get(NoticeState(now), frozenset())}
    if to not in allowed:
        raise RuleError(
            "notice.transition",
            "state",
            f"A notice cannot go from {now} to {to}.",
            state_from=now,
            state_to=to,
        )
