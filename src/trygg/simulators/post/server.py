"""A local simulator of a print-and-post service (standard library only): it takes letters as
:mod:`trygg.parties.post` sends them, "prints" them (keeps the PDF's size and first bytes,
never the content), gives each a registered-mail tracking number in the UPU S10 format and
reports the carrier's tracking.

* ``POST /letters`` (bearer key, ``Idempotency-Key``, JSON with ``key``, the address and the
  PDF in base64): 201 ``{"tracking_number", "carrier"}``; a repeated key gets the same number
  and is printed once. 400 when the address or the PDF is missing.
* ``GET /tracking/<number>``: the events so far. A letter is "in_transit" ``step`` seconds
  after it was received and "delivered" (or, at ``return_rate``, "returned") after twice that.
* ``POST /sim/config`` ``{"step": seconds, "return_rate": 0..1, "failure_rate": 0..1}``;
  ``GET /`` lists what was received; ``POST /sim/reset`` forgets everything.

Run: ``python -m trygg.simulators.post --port 8083``. Bind it to localhost only.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import datetime as dt
import html
import json
import random
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, cast

_MAX_BODY = 8 * 1024 * 1024
_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
CARRIER = "Posten Norge (simulated)"


def tracking_number(serial: int, *, service: str = "RR", country: str = "NO") -> str:
    digits = f"{serial:08d}"
    check = 11 - sum(int(d) * w for d, w in zip(digits, _WEIGHTS, strict=True)) % 11
    return f"{service}{digits}{'0' if check == 10 else '5' if check == 11 else check}{country}"


@dataclass
class Posted:
    key: str
    tracking_number: str
    recipient: str
    city: str
    pages_bytes: int
    at: float
    returned: bool
    attempts: int = 1


@dataclass
class PostState:
    seed: int | None = None
    step: float = 60.0
    return_rate: float = 0.0
    failure_rate: float = 0.0
    letters: dict[str, Posted] = field(default_factory=dict)
    by_number: dict[str, Posted] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    serial: int = 10_000_000

    def __post_init__(self) -> None:
        self.random = random.Random(self.seed)

    def take(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        key = str(body.get("key", ""))
        try:
            pdf = base64.b64decode(str(body.get("pdf", "")), validate=True)
        except (binascii.Error, ValueError):
            pdf = b""
        missing = [
            n for n in ("key", "recipient", "street", "postal_code", "city") if not body.get(n)
        ]
        if missing or not pdf.startswith(b"%PDF"):
            return 400, {"status": "bad letter", "missing": missing or ["pdf"]}
        with self.lock:
            known = self.letters.get(key)
            if known is not None:
                known.attempts += 1
                return 200, {"tracking_number": known.tracking_number, "carrier": CARRIER}
            if self.random.random() < self.failure_rate:
                return 503, {"status": "printer unavailable"}
            self.serial += 1
            record = Posted(
                key=key,
                tracking_number=tracking_number(self.serial),
                recipient=str(body["recipient"])[:200],
                city=str(body["city"])[:60],
                pages_bytes=len(pdf),
                at=time.time(),
                returned=self.random.random() < self.return_rate,
            )
            self.letters[key] = record
            self.by_number[record.tracking_number] = record
        return 201, {"tracking_number": record.tracking_number, "carrier": CARRIER}

    def events(self, number: str) -> tuple[int, dict[str, Any]]:
        with self.lock:
            record = self.by_number.get(number)
            step = self.step
        if record is None:
            return 404, {"status": "unknown number"}
        now = time.time()

        def at(seconds: float) -> str:
            return dt.datetime.fromtimestamp(record.at + seconds, tz=dt.UTC).isoformat()

        events: list[dict[str, str]] = []
        if now >= record.at + step:
            events.append(
                {"at": at(step), "state": "in_transit", "text": "Sorted", "place": "Oslo"}
            )
        if now >= record.at + 2 * step:
            if record.returned:
                events.append(
                    {
                        "at": at(2 * step),
                        "state": "returned",
                        "text": "Addressee unknown, returned to sender",
                        "place": record.city,
                    }
                )
            else:
                events.append(
                    {
                        "at": at(2 * step),
                        "state": "delivered",
                        "text": "Delivered to the addressee",
                        "place": record.city,
                    }
                )
        return 200, {"tracking_number": number, "events": events}

    def listing(self) -> list[dict[str, Any]]:
        with self.lock:
            return [
                {
                    "key": r.key,
                    "tracking_number": r.tracking_number,
                    "recipient": r.recipient,
                    "city": r.city,
                    "bytes": r.pages_bytes,
                    "attempts": r.attempts,
                    "at": r.at,
                }
                for r in self.letters.values()
            ]


class PostServer(ThreadingHTTPServer):
    daemon_threads = True
    # A mass event opens hundreds of connections at once; the default backlog of 5 would
    # reset them.
    request_queue_size = 1024

    def __init__(self, address: tuple[str, int], state: PostState) -> None:
        self.state = state
        super().__init__(address, _Handler)

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host if isinstance(host, str) else host.decode()}:{port}"


class _Handler(BaseHTTPRequestHandler):
    server_version = "TryggPostSimulator/1.0"
    protocol_version = "HTTP/1.1"

    @property
    def state(self) -> PostState:
        return cast(PostServer, self.server).state

    def log_message(self, format: str, *args: object) -> None:  # quiet
        return

    def _send(self, status: int, body: dict[str, Any] | list[Any] | str) -> None:
        if isinstance(body, str):
            data, kind = body.encode(), "text/html; charset=utf-8"
        else:
            data, kind = json.dumps(body).encode(), "application/json"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _authorised(self) -> bool:
        if self.headers.get("Authorization", "").startswith("Bearer "):
            return True
        self._send(401, {"status": "unauthorized"})
        return False

    def do_GET(self) -> None:
        parts = [p for p in self.path.split("/") if p]
        if len(parts) == 2 and parts[0] == "tracking":
            if self._authorised():
                self._send(*self.state.events(parts[1]))
        elif self.path == "/sim/received":
            self._send(200, self.state.listing())
        elif self.path in ("/", "/index.html"):
            self._send(200, _page(self.state.listing()))
        else:
            self._send(404, {"status": "unknown path"})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length < 0 or length > _MAX_BODY:
            self._send(413, {"status": "too large"})
            return
        try:
            body = json.loads(self.rfile.read(length) or b"{}") if length else {}
            if not isinstance(body, dict):
                raise ValueError("the body must be a JSON object")
        except ValueError as error:
            self._send(400, {"status": "bad request", "detail": str(error)})
            return
        if self.path == "/letters":
            if self._authorised():
                self._send(*self.state.take(body))
        elif self.path == "/sim/config":
            try:
                step = float(body.get("step", self.state.step))
                returns = float(body.get("return_rate", self.state.return_rate))
                failures = float(body.get("failure_rate", self.state.failure_rate))
                if step < 0 or not (0 <= returns <= 1 and 0 <= failures <= 1):
                    raise ValueError("step >= 0; rates lie in 0..1")
            except (TypeError, ValueError) as error:
                self._send(400, {"status": "bad config", "detail": str(error)})
                return
            with self.state.lock:
                self.state.step, self.state.return_rate = step, returns
                self.state.failure_rate = failures
            self._send(200, {"status": "ok"})
        elif self.path == "/sim/reset":
            with self.state.lock:
                self.state.letters.clear()
                self.state.by_number.clear()
            self._send(200, {"status": "ok"})
        else:
            self._send(404, {"status": "unknown path"})


def _page(letters: list[dict[str, Any]]) -> str:
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td>{html.escape(str(r[n]))}</td>"
            for n in ("tracking_number", "recipient", "city", "bytes", "attempts")
        )
        + "</tr>"
        for r in sorted(letters, key=lambda r: r["at"])
    )
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<title>Print-and-post simulator</title></head><body><h1>Letters received</h1>"
        "<table><thead><tr><th>tracking number</th><th>recipient</th><th>city</th>"
        f"<th>PDF bytes</th><th>attempts</th></tr></thead><tbody>{rows}</tbody></table>"
        "</body></html>"
    )


def make_server(*, host: str = "127.0.0.1", port: int = 0, seed: int | None = None) -> PostServer:
    return PostServer((host, port), PostState(seed=seed))


def serve_in_thread(*, port: int = 0, step: float = 60.0) -> PostServer:
    server = make_server(port=port)
    server.state.step = step
    threading.Thread(target=server.serve_forever, daemon=True, name="post-sim").start()
    return server


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8083)
    parser.add_argument("--step", type=float, default=60.0)
    args = parser.parse_args(argv)
    server = make_server(host=args.host, port=args.port)
    server.state.step = args.step
    print(f"Print-and-post simulator on {server.base_url}/")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
