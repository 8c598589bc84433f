"""Schemathesis against the served API, logged in as a demo customer.

    python tools/api_fuzz.py [--port 8125] [--max-time 150] [--max-examples 20] [--seed N]

A fresh SQLite database in a temporary directory is migrated and given the demo data; the app
is served by gunicorn (as in production); a demo customer logs in (session cookie and CSRF
token) and Schemathesis generates requests for every operation of /api/v1/openapi.json, valid
and invalid, within a time budget. The run fails on any 5xx answer and on any status the
OpenAPI document does not list for the operation (checks not_a_server_error and
status_code_conformance). Log-out is left out: it would end the session the run needs.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SESSION_COOKIE = "trygg_session"


def _demo_customer(env: dict[str, str]) -> tuple[str, str]:
    """The first demo customer's personal identity number and PIN, as `trygg demo` prints."""
    out = subprocess.run(  # noqa: S603 - fixed arguments
        [str(BIN / "trygg"), "demo"], env=env, check=True, capture_output=True, text=True
    ).stdout
    match = re.search(r"^\s+(\d{8}-\d{4})\s+PIN\s+(\d+)", out, re.MULTILINE)
    if match is None:
        raise SystemExit(f"no demo customer in `trygg demo`'s output:\n{out}")
    return match.group(1), match.group(2)


def _wait_until_served(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the server stopped before it answered")
        try:
            if httpx.get(f"{base}/api/v1/auth/csrf", timeout=30).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit("the server did not answer within 60 s")


def _log_in(base: str, id_number: str, pin: str) -> tuple[str, str]:
    """Session cookie header and CSRF token of a logged-in demo customer."""
    with httpx.Client(base_url=base, timeout=30) as client:
        token = client.get("/api/v1/auth/csrf").json()["csrf_token"]
        response = client.post(
            "/api/v1/auth/login",
            json={"id_number": id_number, "pin": pin},
            headers={"X-CSRFToken": token},
        )
        if response.status_code != 200:
            raise SystemExit(f"the demo customer could not log in: {response.text}")
        # Logging in rotates the CSRF token: the one in the cookie now is the one to send.
        cookies = dict(client.cookies.items())
        token = next((v for k, v in cookies.items() if k.endswith("csrftoken")), token)
        if SESSION_COOKIE not in cookies:
            raise SystemExit("logging in set no session cookie")
        return "; ".join(f"{k}={v}" for k, v in cookies.items()), token


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("TRYGG_FUZZ_PORT", 8125)))
    parser.add_argument("--max-time", type=int, default=150, help="seconds of generation")
    parser.add_argument("--max-examples", type=int, default=25, help="per operation and phase")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    base = f"http://127.0.0.1:{args.port}"
    with tempfile.TemporaryDirectory(prefix="trygg-fuzz-") as var:
        env = {
            **os.environ,
            "TRYGG_VAR_DIR": var,
            "TRYGG_BANKID_URL": "",
            "DJANGO_SETTINGS_MODULE": "trygg.settings",
        }
        env.pop("TRYGG_DATABASE_URL", None)
        subprocess.run(  # noqa: S603 - fixed arguments
            [str(BIN / "trygg"), "manage", "migrate", "-v", "0"], env=env, check=True
        )
        id_number, pin = _demo_customer(env)
        server = subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                str(BIN / "gunicorn"),
                "trygg.wsgi",
                "--bind",
                f"127.0.0.1:{args.port}",
                "--workers",
                "1",
                "--threads",
                "4",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
        )
        try:
            _wait_until_served(base, server)
            cookie, token = _log_in(base, id_number, pin)
            command = [
                str(BIN / "schemathesis"),
                "run",
                f"{base}/api/v1/openapi.json",
                "--checks",
                "not_a_server_error,status_code_conformance",
                "--exclude-path",
                "/api/v1/auth/logout",
                "--header",
                f"Cookie: {cookie}",
                "--header",
                f"X-CSRFToken: {token}",
                "--max-time",
                str(args.max_time),
                "--max-examples",
                str(args.max_examples),
                "--workers",
                "2",
                "--request-timeout",
                "20",
                "--no-color",
            ]
            if args.seed is not None:
                command += ["--seed", str(args.seed)]
            print("$", " ".join(c if "Cookie" not in c else "Cookie: ..." for c in command))
            return subprocess.run(command, env=env, cwd=var).returncode  # noqa: S603
        finally:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    raise SystemExit(main())
