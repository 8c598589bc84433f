"""Serve N requests of one page through trygg's WSGI application in this process, as a logged-in
customer: what ``overview_instructions.py`` runs under callgrind.

    python bench/wsgi_driver.py PATH COUNT ID_NUMBER [--warm-up 5] [--anonymous]

The environment is trygg's (``_common.portal_environment``). The customer logs in with PIN 4826
through the log-in page (CSRF token and all); then the page is requested ``--warm-up`` times
and ``COUNT`` times with the session and CSRF cookies a browser sends back (with
``--anonymous``, without logging in and with no cookies), each answer checked to be 200.
Prints the CPU time per request. The audit events are not sealed in this process (see below).
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import time
import urllib.parse
from collections.abc import Iterable
from typing import Any

from trygg.wsgi import application

HOST = "127.0.0.1:8765"


def call(
    method: str,
    path: str,
    cookies: dict[str, str],
    body: bytes = b"",
    headers: dict[str, str] | None = None,
) -> tuple[str, bytes]:
    """One request as gunicorn hands it over behind the TLS proxy; ``cookies`` takes what the
    answer sets."""
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8765",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": HOST,
        "HTTP_X_FORWARDED_PROTO": "https",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        **(headers or {}),
    }
    if cookies:
        environ["HTTP_COOKIE"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    answer: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        answer["status"], answer["headers"] = status, headers

    chunks: Iterable[bytes] = application(environ, start_response)
    try:
        content = b"".join(chunks)
    finally:
        getattr(chunks, "close", lambda: None)()
    for name, value in answer["headers"]:
        if name.lower() == "set-cookie":
            key, _, rest = value.split(";", 1)[0].partition("=")
            cookies[key.strip()] = rest
    return answer["status"], content


def login(id_number: str) -> dict[str, str]:
    cookies: dict[str, str] = {}
    _, page = call("GET", "/login/", cookies)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, "no CSRF token on the log-in page"
    form = {"id_number": id_number, "pin": "4826", "csrfmiddlewaretoken": token.group(1).decode()}
    status, _ = call(
        "POST",
        "/login/",
        cookies,
        urllib.parse.urlencode(form).encode(),
        {
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "HTTP_REFERER": f"https://{HOST}/login/",
        },
    )
    assert status.startswith("302") and "trygg_session" in cookies, f"log-in failed: {status}"
    assert "trygg_csrftoken" in cookies, "the log-in set no CSRF cookie"
    return {name: cookies[name] for name in ("trygg_session", "trygg_csrftoken")}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("count", type=int)
    parser.add_argument("id_number")
    parser.add_argument("--warm-up", type=int, default=5)
    parser.add_argument(
        "--anonymous",
        action="store_true",
        help="no log-in and no cookies, as the load bench's wrk asks for /healthz",
    )
    opts = parser.parse_args()
    from trygg.kernel import audit  # (after trygg.wsgi has set Django up)

    # A process seals the audit events waiting at most once a second, whatever the rate of
    # requests: under callgrind a second holds two requests instead of a hundred, and the
    # seal's share would follow the speed of the run. The count leaves it out (the events stay
    # waiting, and the next server run seals them).
    audit.SEAL_INTERVAL_SECONDS = float("inf")
    session = {} if opts.anonymous else login(opts.id_number)
    started = time.process_time()
    for i in range(opts.warm_up + opts.count):
        if i == opts.warm_up:
            started = time.process_time()
        status, page = call("GET", opts.path, dict(session))
        assert status.startswith("200"), (status, page[:200])
    cpu = (time.process_time() - started) / max(opts.count, 1) * 1000
    print(f"{opts.path}: {opts.count} requests, {cpu:.3f} ms of CPU each")


if __name__ == "__main__":
    main()
