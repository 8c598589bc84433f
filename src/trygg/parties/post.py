"""The adapter to the print-and-post service (a print house that prints, envelopes and posts
letters as registered mail and reports the carrier's tracking): plain HTTPS and JSON at
``settings.TRYGG_POST["url"]`` with a bearer key.

* ``POST {url}/letters`` (``Idempotency-Key``) with ``{"key", "recipient", "care_of",
  "street", "postal_code", "city", "country", "pdf": base64}``: 200/201
  ``{"tracking_number": "RR123456785NO", "carrier": "Posten Norge"}``. A repeated key is
  answered as the first time and printed once.
* ``GET {url}/tracking/{number}``: 200 ``{"events": [{"at": ISO time, "state": "in_transit"
  | "delivered" | "returned", "text", "place"}]}``; 404 for an unknown number.

Anything else, a time-out or no connection is "no answer": the letter is handed over again
later with the same key.
"""

from __future__ import annotations

import base64
import datetime as dt
import threading
from dataclasses import dataclass
from typing import Protocol

import httpx
from django.conf import settings


@dataclass(frozen=True)
class PostRequest:
    key: str
    recipient: str
    care_of: str
    street: str
    postal_code: str
    city: str
    country: str
    pdf: bytes


@dataclass(frozen=True)
class Posted:
    tracking_number: str
    carrier: str


@dataclass(frozen=True)
class TrackingEvent:
    at: dt.datetime
    state: str
    text: str
    place: str


class PostUnavailable(Exception):
    """No usable answer from the print-and-post service."""


class PostClient(Protocol):
    def post(self, request: PostRequest) -> Posted: ...

    def tracking(self, tracking_number: str) -> list[TrackingEvent]: ...


_SESSIONS: dict[tuple[str, float], httpx.Client] = {}
_SESSIONS_LOCK = threading.Lock()


def _session(url: str, timeout: float) -> httpx.Client:
    """One HTTP client per service, shared by every thread (kept-alive connections, the TLS
    context built once)."""
    with _SESSIONS_LOCK:
        client = _SESSIONS.get((url, timeout))
        if client is None:
            client = _SESSIONS[(url, timeout)] = httpx.Client(timeout=timeout)
        return client


class HttpPostClient:
    def __init__(self, *, url: str, key: str, timeout: float = 10.0) -> None:
        self.url = url.rstrip("/")
        self.key = key
        self.timeout = timeout

    def _headers(self, key: str = "") -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.key}"}
        if key:
            headers["Idempotency-Key"] = key
        return headers

    def post(self, request: PostRequest) -> Posted:
        body = {
            "key": request.key,
            "recipient": request.recipient,
            "care_of": request.care_of,
            "street": request.street,
            "postal_code": request.postal_code,
            "city": request.city,
            "country": request.country,
            "pdf": base64.b64encode(request.pdf).decode("ascii"),
        }
        try:
            response = _session(self.url, self.timeout).post(
                f"{self.url}/letters", json=body, headers=self._headers(request.key)
            )
        except httpx.HTTPError as error:
            raise PostUnavailable(f"{type(error).__name__}: {error}") from error
        if response.status_code not in (200, 201):
            raise PostUnavailable(f"HTTP {response.status_code}")
        try:
            data = response.json()
            return Posted(
                tracking_number=str(data["tracking_number"]), carrier=str(data.get("carrier", ""))
            )
        except (ValueError, KeyError, TypeError) as error:
            raise PostUnavailable(f"unreadable answer: {error}") from error

    def tracking(self, tracking_number: str) -> list[TrackingEvent]:
        try:
            response = _session(self.url, self.timeout).get(
                f"{self.url}/tracking/{tracking_number}", headers=self._headers()
            )
        except httpx.HTTPError as error:
            raise PostUnavailable(f"{type(error).__name__}: {error}") from error
        if response.status_code != 200:
            raise PostUnavailable(f"HTTP {response.status_code}")
        try:
            return [
                TrackingEvent(
                    at=dt.datetime.fromisoformat(str(e["at"])),
                    state=str(e["state"]),
                    text=str(e.get("text", ""))[:120],
                    place=str(e.get("place", ""))[:60],
                )
                for e in response.json()["events"]
            ]
        except (ValueError, KeyError, TypeError) as error:
            raise PostUnavailable(f"unreadable answer: {error}") from error


def post_client() -> PostClient:
    config = settings.TRYGG_POST
    if not config.get("url"):
        raise PostUnavailable("no print-and-post service in TRYGG_POST")
    return HttpPostClient(
        url=str(config["url"]),
        key=str(config.get("key", "")),
        timeout=float(str(config.get("timeout", 10))),
    )
