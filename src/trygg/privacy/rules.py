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
from collections.abc import Mapping
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
