"""The adapter to the issuers' blocking services: plain HTTPS and JSON, one service per entry
of ``settings.TRYGG_ISSUERS``, named by the issuer directory.

The request (``POST {url}/issuers/{issuer}/blocks``, bearer key, ``Idempotency-Key``)::

    {"key": "S700001-17", "kind": "card", "id_number": "...", "country": "NO",
     "card_type": "Visa", "ks": "1234", "company_number": "", "imei": "",
     "document_kind": "", "order_replacement": true}

Answers: 200/201 ``{"status": "blocked", "reference": "...", "replacement_ordered": bool}``;
404 ``{"status": "not_found"}``. Anything else, a time-out or no connection is "no answer": the
block is tried again with the same key, which the issuer answers without blocking twice.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from typing import Any, Protocol

import httpx
from django.conf import settings


@dataclass(frozen=True)
class BlockRequest:
    key: str
    issuer: str
    kind: str
    id_number: str
    country: str
    card_type: str = ""
    ks: str = ""
    company_number: str = ""
    imei: str = ""
    document_kind: str = ""
    order_replacement: bool = False


@dataclass(frozen=True)
class BlockAnswer:
    found: bool
    reference: str = ""
    replacement_ordered: bool = False


class IssuerUnavailable(Exception):
    """No usable answer: time-out, connection refused, or a status other than 2xx/404."""


class IssuerClient(Protocol):
    def block(self, request: BlockRequest) -> BlockAnswer: ...

    def lift(self, *, issuer: str, key: str) -> None: ...


_SESSIONS: dict[tuple[str, float], httpx.Client] = {}
_SESSIONS_LOCK = threading.Lock()


def _session(url: str, timeout: float) -> httpx.Client:
    """One HTTP client per blocking service, shared by every thread: its connections are kept
    alive and its TLS context is built once (building one per request cost ~0.2 s of CPU, more
    than the whole rest of a block)."""
    with _SESSIONS_LOCK:
        client = _SESSIONS.get((url, timeout))
        if client is None:
            client = httpx.Client(
                timeout=timeout,
                limits=httpx.Limits(max_connections=256, max_keepalive_connections=128),
            )
            _SESSIONS[(url, timeout)] = client
        return client


class HttpIssuerClient:
    def __init__(self, *, url: str, key: str, timeout: float = 10.0) -> None:
        self.url = url.rstrip("/")
        self.key = key
        self.timeout = timeout

    def _post(self, path: str, body: dict[str, Any], key: str) -> httpx.Response:
        try:
            return _session(self.url, self.timeout).post(
                f"{self.url}{path}",
                json=body,
                headers={"Authorization": f"Bearer {self.key}", "Idempotency-Key": key},
            )
        except httpx.HTTPError as error:
            raise IssuerUnavailable(f"{type(error).__name__}: {error}") from error

    def block(self, request: BlockRequest) -> BlockAnswer:
        response = self._post(f"/issuers/{request.issuer}/blocks", asdict(request), request.key)
        if response.status_code == 404:
            return BlockAnswer(found=False)
        if response.status_code not in (200, 201):
            raise IssuerUnavailable(f"HTTP {response.status_code}")
        try:
            data = response.json()
            return BlockAnswer(
                found=data["status"] == "blocked",
                reference=str(data.get("reference", "")),
                replacement_ordered=bool(data.get("replacement_ordered", False)),
            )
        except (ValueError, KeyError, TypeError) as error:
            raise IssuerUnavailable(f"unreadable answer: {error}") from error

    def lift(self, *, issuer: str, key: str) -> None:
        response = self._post(f"/issuers/{issuer}/blocks/{key}/lift", {"key": key}, f"{key}-lift")
        if response.status_code not in (200, 201):
            raise IssuerUnavailable(f"HTTP {response.status_code}")


def client_for(endpoint: str) -> IssuerClient:
    """The client of one blocking service named in the directory."""
    config = settings.TRYGG_ISSUERS.get(endpoint)
    if config is None:
        raise IssuerUnavailable(f"no blocking service {endpoint!r} in TRYGG_ISSUERS")
    return HttpIssuerClient(
        url=str(config["url"]),
        key=str(config.get("key", "")),
        timeout=float(str(config.get("timeout", 10))),
    )
