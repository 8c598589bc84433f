"""The BankID simulator's HTTP server (standard library ``ThreadingHTTPServer``).

Run it with ``python -m trygg.simulators.bankid --port 8081`` and point the client at
``http://127.0.0.1:8081`` (the client adds ``/rp/v6.0``). Tests start it on port 0 in a thread::

    server = make_server(port=0, timing=Timing(start_timeout=1))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    ...
    server.shutdown()
    server.server_close()

Routes:

* the relying party API, as BankID serves it: ``POST /rp/v6.0/auth``, ``/sign``, ``/phone/auth``,
  ``/phone/sign``, ``/collect``, ``/cancel`` (JSON in and out; errors as
  ``{"errorCode": ..., "details": ...}`` with BankID's statuses: 400 ``invalidParameters`` and
  ``alreadyInProgress``, 404 ``notFound`` for an unknown path, 405 ``methodNotAllowed`` for
  anything but POST, 415 ``unsupportedMediaType`` unless the body is declared as plain
  ``application/json``, 500 ``internalError``);
* the control API, for tests and the demo (JSON; errors in the same shape, 404 ``notFound`` for
  an unknown order): ``GET /sim/orders`` (pending orders), ``GET /sim/orders/<orderRef>``,
  ``GET /sim/persons``, ``POST /sim/orders/<orderRef>/scan`` (optional ``{"qr": "bankid...."}``),
  ``/confirm-call``, ``/complete`` (optional ``{"personalNumber", "ipAddress", "givenName",
  "surname"}``) and ``/fail`` (``{"hintCode": ...}``);
* the pretend app: ``GET /app`` and its forms (see :mod:`.app_page`).

Nothing is authenticated: bind the simulator to localhost (the default) only.
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from collections.abc import Callable, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Final, cast
from urllib.parse import parse_qs, unquote, urlsplit

from trygg.simulators.bankid.app_page import render_app_page
from trygg.simulators.bankid.persons import PERSONS
from trygg.simulators.bankid.store import ApiError, Endpoint, JsonObject, OrderStore, Timing

__all__ = ["SimulatorServer", "main", "make_server", "serve"]

logger = logging.getLogger(__name__)

API_PREFIX: Final = "/rp/v6.0/"
_START_ENDPOINTS: Final[dict[str, Endpoint]] = {
    "auth": "auth",
    "sign": "sign",
    "phone/auth": "phone/auth",
    "phone/sign": "phone/sign",
}
_MAX_BODY: Final = 512 * 1024


class SimulatorServer(ThreadingHTTPServer):
    """A threading HTTP server that owns one :class:`OrderStore`."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], store: OrderStore) -> None:
        self.store = store
        super().__init__(address, _Handler)

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        host_text = host.decode() if isinstance(host, bytes) else str(host)
        if ":" in host_text:
            host_text = f"[{host_text}]"
        return f"http://{host_text}:{port}"


def _json_object(raw: bytes, *, empty_ok: bool) -> JsonObject:
    if not raw.strip() and empty_ok:
        return {}
    try:
        parsed: object = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, "invalidParameters", "The body is not valid JSON.") from exc
    if not isinstance(parsed, dict):
        raise ApiError(400, "invalidParameters", "The body must be a JSON object.")
    return cast(JsonObject, parsed)


def _optional_str(body: JsonObject, key: str) -> str | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ApiError(400, "invalidParameters", f"{key} must be a string.")
    return value


class _Handler(BaseHTTPRequestHandler):
    server_version = "TryggBankIdSimulator/1.0"
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; without TCP_NODELAY every keep-alive answer
    # would wait for the client's delayed ACK (about 40 ms).
    disable_nagle_algorithm = True

    @property
    def store(self) -> OrderStore:
        return cast(SimulatorServer, self.server).store

    def log_message(self, format: str, *args: object) -> None:
        logger.debug("%s %s", self.address_string(), format % args)

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    # -- plumbing --------------------------------------------------------------------------

    def _read_body(self) -> bytes:
        length_text = self.headers.get("Content-Length")
        if length_text is None:
            return b""
        try:
            length = int(length_text)
        except ValueError as exc:
            self.close_connection = True
            raise ApiError(400, "invalidParameters", "Bad Content-Length.") from exc
        if length < 0 or length > _MAX_BODY:
            self.close_connection = True
            raise ApiError(400, "invalidParameters", "The request is too big.")
        return self.rfile.read(length)

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str,
        headers: Sequence[tuple[str, str]] = (),
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in headers:
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def _send_json(self, status: int, payload: object) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self._send(status, body, "application/json")

    def _send_html(self, status: int, page: str) -> None:
        self._send(status, page.encode("utf-8"), "text/html; charset=utf-8")

    def _redirect(self, location: str) -> None:
        self._send(303, b"", "text/plain; charset=utf-8", [("Location", location)])

    def _dispatch(self, method: str) -> None:
        url = urlsplit(self.path)
        path = url.path
        try:
            raw = self._read_body()
            if path.startswith("/rp/"):
                self._relying_party(method, path, raw)
            elif path.startswith("/sim/"):
                self._control(method, path, raw)
            elif path == "/app" or path.startswith("/app/"):
                self._app(method, path, url.query, raw)
            elif path == "/" and method == "GET":
                self._redirect("/app")
            else:
                raise ApiError(404, "notFound", f"No such path: {path}")
        except ApiError as error:
            self._send_json(error.http_status, error.body())
        except Exception:
            logger.exception("BankID simulator: internal error on %s %s", method, path)
            self._send_json(
                500, {"errorCode": "internalError", "details": "Internal simulator error."}
            )

    # -- relying party API -----------------------------------------------------------------

    def _relying_party(self, method: str, path: str, raw: bytes) -> None:
        endpoint = path[len(API_PREFIX) :] if path.startswith(API_PREFIX) else None
        if endpoint not in (*_START_ENDPOINTS, "collect", "cancel"):
            raise ApiError(404, "notFound", f"No such path: {path}")
        if method != "POST":
            raise ApiError(405, "methodNotAllowed", "Only POST is allowed.")
        content_type = self.headers.get("Content-Type")
        if content_type is None or content_type.split(";")[0].strip().lower() != (
            "application/json"
        ):
            raise ApiError(415, "unsupportedMediaType", "Content-Type must be application/json.")
        if ";" in content_type:
            raise ApiError(
                415,
                "unsupportedMediaType",
                "application/json takes no parameters (no charset).",
            )
        body = _json_object(raw, empty_ok=False)
        store = self.store
        if endpoint == "collect":
            self._send_json(200, store.collect(body))
        elif endpoint == "cancel":
            self._send_json(200, store.cancel(body))
        else:
            self._send_json(200, store.start(_START_ENDPOINTS[endpoint], body))

    # -- control API -----------------------------------------------------------------------

    def _control(self, method: str, path: str, raw: bytes) -> None:
        parts = [unquote(p) for p in path.strip("/").split("/")]
        store = self.store
        if method == "GET" and parts == ["sim", "orders"]:
            self._send_json(200, store.pending())
            return
        if method == "GET" and parts == ["sim", "persons"]:
            persons = [
                {
                    "personalNumber": p.personal_number,
                    "name": p.name,
                    "givenName": p.given_name,
                    "surname": p.surname,
                    "bankIdIssueDate": p.bank_id_issue_date.isoformat(),
                }
                for p in PERSONS
            ]
            self._send_json(200, persons)
            return
        if method == "GET" and len(parts) == 3 and parts[:2] == ["sim", "orders"]:
            self._send_json(200, store.order(parts[2]))
            return
        if method == "POST" and len(parts) == 4 and parts[:2] == ["sim", "orders"]:
            order_ref, action = parts[2], parts[3]
            body = _json_object(raw, empty_ok=True)
            result: JsonObject
            if action == "scan":
                result = store.scan(order_ref, _optional_str(body, "qr"))
            elif action == "confirm-call":
                result = store.confirm_call(order_ref)
            elif action == "complete":
                result = store.complete(
                    order_ref,
                    personal_number=_optional_str(body, "personalNumber"),
                    ip_address=_optional_str(body, "ipAddress"),
                    given_name=_optional_str(body, "givenName"),
                    surname=_optional_str(body, "surname"),
                )
            elif action == "fail":
                hint_code = _optional_str(body, "hintCode")
                if hint_code is None:
                    raise ApiError(400, "invalidParameters", "hintCode is required.")
                result = store.fail(order_ref, hint_code)
            else:
                raise ApiError(404, "notFound", f"No such action: {action}")
            self._send_json(200, result)
            return
        raise ApiError(404, "notFound", f"No such path: {path}")

    # -- the pretend app -------------------------------------------------------------------

    def _app(self, method: str, path: str, query: str, raw: bytes) -> None:
        store = self.store
        if method == "GET" and path == "/app":
            notice = parse_qs(query).get("done", [None])[0]
            self._send_html(200, render_app_page(store.pending(), notice=notice))
            return
        parts = [unquote(p) for p in path.strip("/").split("/")]
        if method != "POST" or len(parts) != 4 or parts[:2] != ["app", "orders"]:
            self._send_html(404, render_app_page(store.pending(), error="No such page."))
            return
        order_ref, action = parts[2], parts[3]
        form = {k: v[0].strip() for k, v in parse_qs(raw.decode("utf-8", "replace")).items()}
        try:
            if action == "approve":
                store.complete(
                    order_ref,
                    personal_number=form.get("otherPersonalNumber")
                    or form.get("personalNumber")
                    or None,
                    given_name=form.get("givenName") or None,
                    surname=form.get("surname") or None,
                )
                self._redirect("/app?done=approved")
            elif action == "cancel":
                store.fail(order_ref, "userCancel")
                self._redirect("/app?done=cancelled")
            else:
                raise ApiError(404, "notFound", f"No such action: {action}")
        except ApiError as error:
            page = render_app_page(store.pending(), error=f"{error.error_code}: {error.details}")
            self._send_html(error.http_status, page)


def make_server(
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    timing: Timing | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> SimulatorServer:
    """A bound, not yet serving simulator (port 0 picks a free port; see ``base_url``)."""
    return SimulatorServer((host, port), OrderStore(timing, clock=clock))


def serve(host: str = "127.0.0.1", port: int = 8081, *, timing: Timing | None = None) -> None:
    """Run the simulator until interrupted."""
    server = make_server(host, port, timing=timing)
    print(
        f"BankID simulator: API {server.base_url}{API_PREFIX.rstrip('/')}, "
        f"app {server.base_url}/app",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m trygg.simulators.bankid",
        description="A local simulator of the BankID Relying Party API v6.0.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    defaults = Timing()
    parser.add_argument(
        "--start-timeout",
        type=float,
        default=defaults.start_timeout,
        help="seconds before an order no app picked up fails with startFailed (default 30)",
    )
    parser.add_argument(
        "--order-timeout",
        type=float,
        default=defaults.order_timeout,
        help="seconds before a pending order fails with expiredTransaction (default 180)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    serve(
        args.host,
        args.port,
        timing=Timing(start_timeout=args.start_timeout, order_timeout=args.order_timeout),
    )


if __name__ == "__main__":
    main()
