"""A local simulator of an SMS gateway's HTTP API (standard library only), the one 46elks
publishes and :mod:`trygg.contact.messaging` speaks:

* ``POST /a1/sms`` with HTTP basic authentication (API username and password) and a
  form-encoded body ``from``, ``to`` (E.164, ``+46...``) and ``message``: 200 with the message as
  JSON (``id``, ``status`` "created", ``from``, ``to``, ``message``, ``created``, ``parts``,
  ``direction`` "outgoing"); 401 without credentials; 400 with a plain-text reason for a bad
  field (as the gateway answers, e.g. ``Invalid to``).
* ``GET /a1/sms``: the messages sent, newest first, as ``{"data": [...]}``.
* ``POST /sim/fail`` with ``{"count": N}``: the next N sends answer 503; ``POST /sim/reset``.

Run: ``python -m trygg.simulators.sms --port 8084``. Bind it to localhost only: credentials
are checked for presence, not value.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import re
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_SENDER = re.compile(r"^(?:[A-Za-z][A-Za-z0-9]{1,10}|\+[1-9]\d{6,14})$")


class SmsGateway(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, host: str = "127.0.0.1") -> None:
        super().__init__((host, port), _Handler)
        self.lock = threading.Lock()
        self.sent: list[dict[str, Any]] = []
        self.fail_next = 0
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> SmsGateway:
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: SmsGateway

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _answer(self, status: int, body: Any, content_type: str = "application/json") -> None:
        data = (json.dumps(body) if content_type == "application/json" else str(body)).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _authorised(self) -> bool:
        header = self.headers.get("Authorization", "")
        if not header.startswith("Basic "):
            return False
        try:
            user, _, password = base64.b64decode(header[6:]).decode().partition(":")
        except ValueError:
            return False
        return bool(user and password)

    def _body(self) -> bytes:
        length = min(int(self.headers.get("Content-Length") or 0), 64 * 1024)
        return self.rfile.read(length)

    def do_GET(self) -> None:
        if self.path.split("?")[0] == "/a1/sms":
            if not self._authorised():
                self._answer(401, "Authorization required", "text/plain")
                return
            with self.server.lock:
                self._answer(200, {"data": list(reversed(self.server.sent))})
            return
        self._answer(404, "Not found", "text/plain")

    def do_POST(self) -> None:
        path = self.path.split("?")[0]
        if path == "/sim/reset":
            with self.server.lock:
                self.server.sent.clear()
                self.server.fail_next = 0
            self._answer(200, {"ok": True})
            return
        if path == "/sim/fail":
            count = int(json.loads(self._body() or b"{}").get("count", 1))
            with self.server.lock:
                self.server.fail_next = count
            self._answer(200, {"ok": True})
            return
        if path != "/a1/sms":
            self._answer(404, "Not found", "text/plain")
            return
        if not self._authorised():
            self._answer(401, "Authorization required", "text/plain")
            return
        form = {k: v[0] for k, v in parse_qs(self._body().decode("utf-8", "replace")).items()}
        with self.server.lock:
            if self.server.fail_next > 0:
                self.server.fail_next -= 1
                self._answer(503, "Service unavailable", "text/plain")
                return
        for name, pattern in (("from", _SENDER), ("to", _E164)):
            if not pattern.match(form.get(name, "")):
                self._answer(400, f"Invalid {name}", "text/plain")
                return
        message = form.get("message", "")
        if not message:
            self._answer(400, "Missing key message", "text/plain")
            return
        sms = {
            "id": "s" + uuid.uuid4().hex[:32],
            "status": "created",
            "direction": "outgoing",
            "from": form["from"],
            "to": form["to"],
            "message": message,
            "created": dt.datetime.now(dt.UTC).isoformat(),
            "parts": 1 + len(message) // 160,
        }
        with self.server.lock:
            self.server.sent.append(sms)
        self._answer(200, sms)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Local SMS gateway simulator (46elks API).")
    parser.add_argument("--port", type=int, default=8084)
    args = parser.parse_args(argv)
    server = SmsGateway(args.port)
    print(f"SMS gateway simulator on {server.url}")
    server.serve_forever()
