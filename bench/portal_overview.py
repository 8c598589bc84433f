"""Benchmark: the logged-in overview page under load, against a bare "hello" view.

Serves trygg with gunicorn (production settings, PostgreSQL, N customers) and drives it with wrk
on loopback: ``/healthz`` (a bare view through the same middleware), then ``/overview/`` with the
session and CSRF cookies of logged-in customers (each holding accounts, insurance, premiums, claims
and letters: ``seed_content.py``), in alternating rounds, so that both are measured at the same
speed of the machine. Prints each round (with its p99 against its p50), the medians and the
ratio. ``--page layout`` (or ``layout_audited``) measures the floor of a logged-in page
(``layout_floor.py``) in the overview's place.

    .venv/bin/python bench/portal_overview.py [--customers 10000] [--duration 10] [--rounds 3]
        [--connections 20] [--workers 3] [--page overview] [--source other-checkout/src]
        [--database-url postgresql://postgres@127.0.0.1/trygg_bench]

Needs wrk (apt-get install wrk) and a PostgreSQL server.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from _common import (
    FLOOR_PATHS,
    ROOT,
    ensure_database,
    floor_environment,
    portal_environment,
    prepare_portal,
)

PY = sys.executable
PORT = 8765
LUA = """
cookies = {%s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", "%s", {["Cookie"] = cookies[(counter %% #cookies) + 1],
                                  ["X-Forwarded-Proto"] = "https"})
end
"""

# The page measured against hello: its path, and what shows that it is the page itself (not the
# redirect to /identify/ or the log-in page). ``layout`` and ``layout_audited`` are the floor of a
# logged-in page (``layout_floor.py``).
PAGES: dict[str, tuple[str, bytes]] = {
    "overview": ("/overview/", b'id="logins"'),
    **{name: (path, b'<main id="main"') for name, path in FLOOR_PATHS.items()},
}


def login(base: str, id_number: str, pin: str) -> str:
    """Log in as a browser behind the TLS proxy would (cookies are Secure in production)."""
    import http.client

    host = base.removeprefix("http://")
    proxy = {"X-Forwarded-Proto": "https", "Host": host}
    conn = http.client.HTTPConnection(host)
    conn.request("GET", "/login/", headers=proxy)
    page = conn.getresponse()
    html = page.read().decode()
    cookies = dict(c.split(";", 1)[0].split("=", 1) for c in page.headers.get_all("Set-Cookie"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert token, "no CSRF token on the log-in page"
    body = urllib.parse.urlencode(
        {"id_number": id_number, "pin": pin, "csrfmiddlewaretoken": token.group(1)}
    )
    conn.request(
        "POST",
        "/login/",
        body=body,
        headers={
            **proxy,
            "Referer": f"https://{host}/login/",
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        },
    )
    answer = conn.getresponse()
    answer.read()
    for cookie in answer.headers.get_all("Set-Cookie") or []:
        name, value = cookie.split(";", 1)[0].split("=", 1)
        cookies[name] = value
    assert answer.status == 302 and "trygg_session" in cookies, f"log-in failed: {answer.status}"
    assert "trygg_csrftoken" in cookies, "the log-in set no CSRF cookie"
    # What a browser sends back afterwards: the session and the CSRF cookie the log-in renewed
    # (without the latter, every page would make and set a new CSRF secret).
    return "; ".join(f"{name}={cookies[name]}" for name in ("trygg_session", "trygg_csrftoken"))


class Page:
    def __init__(self, status: int, body: bytes) -> None:
        self.status, self.body = status, body


def fetch_page(base: str, path: str, cookie: str) -> Page:
    import http.client

    host = base.removeprefix("http://")
    conn = http.client.HTTPConnection(host)
    conn.request(
        "GET", path, headers={"X-Forwarded-Proto": "https", "Host": host, "Cookie": cookie}
    )
    answer = conn.getresponse()
    return Page(answer.status, answer.read())


def wrk(url: str, connections: int, duration: int, script: str | None) -> dict[str, float]:
    args = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url]
    if script:
        args[1:1] = ["-s", script]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    if "Non-2xx" in out:
        raise SystemExit(f"errors under load:\n{out}")

    def latency(label: str) -> float:
        match = re.search(rf"\s{label}\s+([\d.]+)(us|ms|s)\b", out)
        assert match, out
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    assert rps, out
    return {
        "rps": float(rps.group(1)),
        "p50": latency("50%"),
        "p90": latency("90%"),
        "p99": latency("99%"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--customers", type=int, default=10000)
    parser.add_argument("--duration", type=int, default=10, help="seconds per view and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker")
    parser.add_argument(
        "--page",
        choices=PAGES,
        default="overview",
        help="the logged-in page measured against hello (layout: the floor of a logged-in page)",
    )
    parser.add_argument(
        "--source",
        type=Path,
        default=ROOT / "src",
        help="the src folder of the code to serve (another checkout's, to compare two versions)",
    )
    parser.add_argument(
        "--database-url", default="postgresql://postgres@127.0.0.1:5432/trygg_bench"
    )
    opts = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    ensure_database(opts.database_url)
    var = Path(tempfile.mkdtemp(prefix="trygg-bench-"))
    env = portal_environment(opts.database_url, var, opts.source)
    numbers = prepare_portal(env, opts.customers, opts.sessions)
    path, marker = PAGES[opts.page]
    if opts.page in FLOOR_PATHS:
        env = floor_environment(env)
    server = subprocess.Popen(
        [
            str(Path(PY).parent / "gunicorn"),
            "trygg.wsgi:application",
            "-w",
            str(opts.workers),
            "--threads",
            str(opts.threads),
            "-b",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{PORT}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz")
                break
            except OSError:
                time.sleep(0.1)
        cookies = [login(base, n, "4826") for n in numbers]
        for cookie in cookies:  # what is measured is the page itself, not a redirect
            page = fetch_page(base, path, cookie)
            assert page.status == 200 and marker in page.body, page.status
        script = var / "page.lua"
        script.write_text(LUA % (", ".join(f'"{c}"' for c in cookies), path))
        wrk(f"{base}/healthz", opts.connections, 3, None)  # warm-up
        wrk(f"{base}{path}", opts.connections, 3, str(script))  # warm-up
        rounds = []
        for _ in range(opts.rounds):
            hello = wrk(f"{base}/healthz", opts.connections, opts.duration, None)
            measured = wrk(f"{base}{path}", opts.connections, opts.duration, str(script))
            rounds.append((hello, measured))
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(var, ignore_errors=True)
    print(
        f"\nmachine: {platform.node()} {os.cpu_count()} cores, Python {platform.python_version()},"
        f" gunicorn {opts.workers} workers x {opts.threads} threads,"
        f" {opts.connections} connections, {opts.rounds} rounds of {opts.duration} s per view,"
        f" {opts.customers} customers, PostgreSQL"
    )
    print(report(rounds, opts.page))


def report(rounds: list[tuple[dict[str, float], dict[str, float]]], page: str) -> str:
    """Each round's hello and page, then the medians over the rounds; the ratio is taken within
    each round (hello and the page measured a few seconds apart) before its median. The targets
    are the overview's."""
    lines = [
        f"{'round':<8}{'hello req/s':>12}{page + ' req/s':>22}"
        f"{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}{'p99/p50':>9}{'ratio':>8}"
    ]
    ratios = [measured["rps"] / hello["rps"] for hello, measured in rounds]
    spreads = [measured["p99"] / measured["p50"] for _, measured in rounds]
    for number, ((hello, measured), ratio, spread) in enumerate(
        zip(rounds, ratios, spreads, strict=True), 1
    ):
        lines.append(
            f"{number:<8}{hello['rps']:>12.0f}{measured['rps']:>22.0f}{measured['p50']:>9.1f}"
            f"{measured['p90']:>9.1f}{measured['p99']:>9.1f}{spread:>9.2f}{ratio:>8.2f}"
        )

    def median(view: int, key: str) -> float:
        return statistics.median(row[view][key] for row in rounds)

    rps, p99, ratio = median(1, "rps"), median(1, "p99"), statistics.median(ratios)
    lines.append(
        f"{'median':<8}{median(0, 'rps'):>12.0f}{rps:>22.0f}{median(1, 'p50'):>9.1f}"
        f"{median(1, 'p90'):>9.1f}{p99:>9.1f}{statistics.median(spreads):>9.2f}{ratio:>8.2f}"
    )
    lines.append(f"{page} / hello throughput: {ratio:.2f}")
    steady = all(spread <= 2 for spread in spreads)
    lines.append("p99 within 2 x p50 in every round: " + ("met" if steady else "NOT met"))
    if page == "overview":
        met = rps >= 300 and p99 < 100 and ratio >= 0.5
        lines.append(
            "targets (>= 300 req/s, p99 < 100 ms, ratio >= 0.5): " + ("met" if met else "NOT met")
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
