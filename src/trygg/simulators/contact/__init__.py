"""The outside systems of seed 003 that speak to trygg (decision 0095), standard library only:

* the door card system (:class:`CardSystem`), which posts the passages of a site's visitor
  cards in batches to ``POST /api/v1/door-passages`` with its key in ``X-Card-System-Key``;
* the call-recording platform (:class:`RecordingPlatform`), which reports each interaction it
  records to ``POST /api/v1/recordings/interactions`` and then uploads its file (multipart) to
  ``POST /api/v1/recordings/interactions/{id}/file`` with its key in ``X-Recording-Key``.

Unlike the other simulators these are clients: they call trygg as the real systems do, so the
intake is exercised through HTTP. ``trygg run`` starts a short demo of both once the portal
answers; ``python -m trygg.simulators.contact doors|record --help`` sends by hand."""

from __future__ import annotations

import datetime as dt
import json
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]


def _send(url: str, headers: dict[str, str], data: bytes) -> Answer:
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"Not an HTTP address: {url}")
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return Answer(response.status, json.loads(response.read() or b"{}"))
    except urllib.error.HTTPError as error:
        return Answer(error.code, json.loads(error.read() or b"{}"))


def wait_until_up(url: str, seconds: float = 60.0) -> bool:
    """Whether ``url`` answers (any HTTP status) within ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 (http only: the caller's URL)
            return True
        except urllib.error.HTTPError:
            return True
        except OSError:
            time.sleep(0.5)
    return False


@dataclass
class CardSystem:
    """A site's door card system: passages are collected and posted in one batch."""

    base_url: str
    key: str
    site: str
    pending: list[dict[str, str]] = field(default_factory=list)

    def passage(self, card: str, door: str, direction: str, at: dt.datetime) -> None:
        self.pending.append(
            {"card": card, "door": door, "direction": direction, "passed_at": at.isoformat()}
        )

    def flush(self) -> Answer:
        """Post the collected passages as one batch (the card system's outcome per passage)."""
        body = {"site": self.site, "passages": self.pending}
        answer = _send(
            f"{self.base_url}/api/v1/door-passages",
            {"Content-Type": "application/json", "X-Card-System-Key": self.key},
            json.dumps(body).encode(),
        )
        if answer.status < 500:
            self.pending = []
        return answer


@dataclass
class RecordingPlatform:
    """The contact centre's recording platform: reports an interaction, then uploads its file."""

    base_url: str
    key: str

    def _headers(self, content_type: str) -> dict[str, str]:
        return {"Content-Type": content_type, "X-Recording-Key": self.key}

    def report(
        self,
        *,
        platform_id: str,
        purpose: str,
        channel: str,
        matter: str,
        contact_detail: str,
        employee: str,
        opted_out: bool,
        started_at: dt.datetime,
        authenticated_id_number: str = "",
    ) -> Answer:
        body = {
            "platform_id": platform_id,
            "purpose": purpose,
            "channel": channel,
            "matter": matter,
            "contact_detail": contact_detail,
            "employee": employee,
            "opted_out": opted_out,
            "started_at": started_at.isoformat(),
            "authenticated_id_number": authenticated_id_number,
        }
        return _send(
            f"{self.base_url}/api/v1/recordings/interactions",
            self._headers("application/json"),
            json.dumps(body).encode(),
        )

    def upload(self, platform_id: str, content: bytes, content_type: str) -> Answer:
        boundary = uuid.uuid4().hex
        data = b"".join(
            [
                f"--{boundary}\r\n".encode(),
                b'Content-Disposition: form-data; name="file"; filename="recording"\r\n',
                f"Content-Type: {content_type}\r\n\r\n".encode(),
                content,
                f"\r\n--{boundary}--\r\n".encode(),
            ]
        )
        return _send(
            f"{self.base_url}/api/v1/recordings/interactions/{platform_id}/file",
            self._headers(f"multipart/form-data; boundary={boundary}"),
            data,
        )


def demo(
    base_url: str,
    *,
    recording_key: str,
    card_key: str,
    site: str,
    cards: list[str],
    employee: str,
    now: dt.datetime,
    audio: bytes,
) -> list[str]:
    """What the demo shows of the intake, in the seconds before ``now`` (the cards were given
    before): the first card goes in and up to the third floor, the others in and out again
    (gone without signing out); a quality call is recorded and stored, and a second one whose
    caller said no is kept without its file (``audio``, a WAV file). Lines to print."""
    lines: list[str] = []
    doors = CardSystem(base_url, card_key, site)
    second = dt.timedelta(seconds=1)
    for number, card in enumerate(cards):
        doors.passage(card, "Entré", "in", now - 4 * second)
        if number == 0:
            doors.passage(card, "Plan 3", "in", now - 3 * second)
        else:
            doors.passage(card, "Entré", "out", now - second)
    if cards:
        answer = doors.flush()
        lines.append(f"Door card system: {answer.status} {_counts(answer.body)}")
    platform = RecordingPlatform(base_url, recording_key)
    day = now.strftime("%Y%m%d")
    for suffix, opted_out in (("1", False), ("2", True)):
        platform_id = f"demo-{day}-{suffix}"
        answer = platform.report(
            platform_id=platform_id,
            purpose="quality",
            channel="phone",
            matter="banking",
            contact_detail="+46 70 123 45 67",
            employee=employee,
            opted_out=opted_out,
            started_at=now - 5 * second,
        )
        lines.append(f"Recording platform: {platform_id} {answer.status}")
        if not opted_out:
            stored = platform.upload(platform_id, audio, "audio/wav")
            lines.append(f"Recording platform: file of {platform_id} {stored.status}")
    return lines


def _counts(body: dict[str, Any]) -> str:
    keys = ("recorded", "already_recorded", "refused")
    return ", ".join(f"{key.replace('_', ' ')} {body.get(key, 0)}" for key in keys)
