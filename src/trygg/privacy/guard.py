"""Intrusion and overload protection (seed 002): the blocklist and the rate limits.

``GuardMiddleware`` runs first, before sessions and the database, and answers:

- 403 to an address on the vendors' blocklist (``TRYGG_BLOCKLIST_FILE``; see ``blocklist``).
  The file is looked at again at most every ``TRYGG_BLOCKLIST_CHECK_SECONDS``: a changed file
  replaces the list in force without a restart; a file that does not parse is refused with an
  error in the log naming the line, and the previous list stays;
- 429 to a client (an IP address) over ``TRYGG_RATE_LIMIT_CLIENT`` requests per window;
- 429 to a log-in attempt for an identity number over ``TRYGG_RATE_LIMIT_IDENTITY`` attempts per
  window, whatever the address (spread attacks on one person; the lock-out after five wrong PINs
  stays the credential's own rule).

Nothing is stored for an allowed request: the counters live in the process's memory for one
window under a keyed hash (no address or number in clear) and go with it. Each process counts
its own requests: with W worker processes a client gets at most W times the limit (set the limit
per process accordingly). A refused request
is recorded (``BlockedRequest``: address, user agent, time, why), once per client, reason and
window so that a flood does not become a flood of writes; the retention rule
``blocked-request`` deletes the records after 3 months.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from trygg.kernel import clock
from trygg.privacy import blocklist

log = logging.getLogger("trygg.privacy.guard")

# The counters' keys: a keyed hash with a key of the process, never the address or the number.
_KEY = secrets.token_bytes(16)
USER_AGENT_MAX = 300


class Reason:
    BLOCKLIST = "blocklist"
    CLIENT_RATE = "client-rate"
    IDENTITY_RATE = "identity-rate"


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str, name: str) -> Limit:
        """``"300/60"``: 300 requests per 60 seconds; ``"0"`` or ``""``: no limit."""
        text = text.strip()
        if text in {"", "0"}:
            return cls(0, 1)
        count, _slash, seconds = text.partition("/")
        try:
            limit = cls(int(count), int(seconds or "60"))
        except ValueError:
            limit = cls(-1, 0)
        if limit.count < 0 or limit.seconds <= 0:
            raise ValueError(f"{name} must be COUNT/SECONDS, for example 300/60, not {text!r}.")
        return limit


class BlocklistSource:
    """The list in force, read from a file and read again when the file changes."""

    def __init__(self, path: Path | None, check_seconds: float) -> None:
        self.path = path
        self.check_seconds = check_seconds
        self.current: blocklist.Blocklist = blocklist.EMPTY
        self._seen: tuple[int, int, int] | None = None
        self._next_check = 0.0
        self._lock = threading.Lock()
        self.refresh(force=True)

    def get(self) -> blocklist.Blocklist:
        if self.path is not None and time.monotonic() >= self._next_check:
            self.refresh()
        return self.current

    def refresh(self, *, force: bool = False) -> None:
        if self.path is None:
            return
        with self._lock:
            self._next_check = time.monotonic() + self.check_seconds
            try:
                stat = self.path.stat()
            except FileNotFoundError:
                if self._seen is not None:
                    log.error("Blocklist %s is gone; the list in force stays.", self.path)
                elif force:
                    log.info("No blocklist at %s: no address is blocked.", self.path)
                self._seen = None
                return
            signature = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
            if signature == self._seen and not force:
                return
            self._seen = signature
            try:
                loaded = blocklist.parse_bytes(self.path.read_bytes())
            except blocklist.BlocklistError as error:
                log.error("Blocklist %s refused: %s", self.path, error.message)
                return
            self.current = loaded
            log.info("Blocklist %s in force: %d entries.", self.path, loaded.size)


def blocklist_install(source: Path, target: Path) -> blocklist.Blocklist:
    """Check a vendor's file and, if it parses, put it in place of the list in force (atomically:
    a running guard reads the old file or the new one, never half of one). A file that does not
    parse raises ``BlocklistError`` and changes nothing."""
    content = source.read_bytes()
    parsed = blocklist.parse_bytes(content)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    partial.write_bytes(content)
    partial.replace(target)
    return parsed


def _hashed(kind: str, value: str, window: int) -> str:
    digest = hashlib.blake2b(value.encode(), key=_KEY, digest_size=12).hexdigest()
    return f"guard:{kind}:{window}:{digest}"


class Counters:
    """Requests per key in the current window of one limit, in this process's memory; a new
    window drops the previous one whole (nothing outlives its window)."""

    def __init__(self, limit: Limit) -> None:
        self.limit = limit
        self.window = -1
        self.counts: dict[str, int] = {}
        self._lock = threading.Lock()

    def over(self, value: str, now: float) -> tuple[bool, int]:
        """Count one request against ``value``; is it over the limit?"""
        window = int(now // self.limit.seconds)
        key = hashlib.blake2b(value.encode(), key=_KEY, digest_size=12).hexdigest()
        with self._lock:
            if window != self.window:
                self.window, self.counts = window, {}
            count = self.counts.get(key, 0) + 1
            self.counts[key] = count
        return count > self.limit.count, window


_COUNTERS: dict[tuple[str, Limit], Counters] = {}


def counters(kind: str, limit: Limit) -> Counters:
    """The process's counters of one kind and limit, shared by every handler of the process."""
    return _COUNTERS.setdefault((kind, limit), Counters(limit))


def counters_reset() -> None:
    _COUNTERS.clear()


def _identity_number(request: HttpRequest) -> str:
    """The identity number a log-in attempt names (form field or JSON), digits only."""
    number = ""
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            return ""
        if isinstance(body, dict):
            number = str(body.get("id_number", ""))
    else:
        number = request.POST.get("id_number", "")
    digits = "".join(ch for ch in number if ch.isdigit())
    # 12 digits (with the century) and 10 name the same person.
    return digits[-10:]


class GuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        path = settings.TRYGG_BLOCKLIST_FILE
        self.blocklist = BlocklistSource(
            Path(path) if path else None, settings.TRYGG_BLOCKLIST_CHECK_SECONDS
        )
        self.client_limit = Limit.parse(settings.TRYGG_RATE_LIMIT_CLIENT, "TRYGG_RATE_LIMIT_CLIENT")
        self.identity_limit = Limit.parse(
            settings.TRYGG_RATE_LIMIT_IDENTITY, "TRYGG_RATE_LIMIT_IDENTITY"
        )
        self.clients = counters("client", self.client_limit)
        self.identities = counters("identity", self.identity_limit)
        self.login_paths = frozenset(settings.TRYGG_LOGIN_PATHS)
        self.proxies = frozenset(settings.TRYGG_TRUSTED_PROXIES)

    def client_address(self, request: HttpRequest) -> str:
        """The peer's address; behind a trusted proxy, the last address it forwards (the one
        the proxy itself saw: earlier entries are the client's to forge)."""
        address = request.META.get("REMOTE_ADDR") or ""
        if address in self.proxies:
            forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            address = forwarded[-1].strip() or address
        return address

    def __call__(self, request: HttpRequest) -> HttpResponse:
        address = self.client_address(request)
        if self.blocklist.get().blocks(address):
            return self._refuse(request, address, Reason.BLOCKLIST, 0)
        now = time.time()
        if self.client_limit.count:
            over, window = self.clients.over(address, now)
            if over:
                return self._refuse(request, address, Reason.CLIENT_RATE, window)
        if (
            self.identity_limit.count
            and request.method == "POST"
            and request.path_info in self.login_paths
        ):
            number = _identity_number(request)
            if number:
                over, window = self.identities.over(number, now)
                if over:
                    return self._refuse(request, address, Reason.IDENTITY_RATE, window)
        return self.get_response(request)

    def _refuse(self, request: HttpRequest, address: str, reason: str, window: int) -> HttpResponse:
        # One record per client, reason and window (the blocklist: per minute).
        mark = _hashed(f"r-{reason}", address, window or int(time.time() // 60))
        if cache.add(mark, 1, timeout=120 if not window else 3600):
            blocked_request_record(
                ip=address,
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
                reason=reason,
            )
        language = translation.get_language_from_request(request)
        with translation.override(language):
            if reason == Reason.BLOCKLIST:
                status = 403
                text = _("Requests from your network are blocked. Contact customer service.")
            else:
                status = 429
                text = _("Too many requests. Wait a minute and try again.")
        response = HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")
        if status == 429:
            response["Retry-After"] = "60"
        response["Content-Language"] = language
        return response


def blocked_request_record(*, ip: str, user_agent: str, reason: str) -> None:
    """Keep a refused request's address, device data and time (3 months, rule
    ``blocked-request``). A failure to record never lets the request through."""
    from trygg.privacy.models import BlockedRequest

    try:
        BlockedRequest.objects.create(
            ip=ip or None,
            user_agent=user_agent[:USER_AGENT_MAX],
            reason=reason,
            blocked_at=clock.now(),
        )
    except Exception:
        log.exception("A blocked request could not be recorded.")
