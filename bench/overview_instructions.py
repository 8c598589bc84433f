"""Benchmark: CPU instructions per overview and per hello, counted by callgrind.

The VM's speed drifts by a factor of two within an hour, and the same code measured twice in
seconds or requests per second differs by as much as a change being measured. Instructions do
not drift: callgrind counts those the Python process executes, whatever else the machine does.
So this bench serves the overview (and ``/healthz``) in one process through trygg's WSGI
application (``wsgi_driver.py``, production settings, PostgreSQL, the same seeded customers as
``portal_overview.py``) under ``valgrind --tool=callgrind``, once with ``--base`` requests and
once with ``--base + --requests``; the difference divided by ``--requests`` is one request's
instructions, without start-up and log-in. PostgreSQL's own work is not in it (another process).
The customer counted holds what an overview shows (``seed_content.py``: accounts, insurance
paid by autogiro and by invoice, a claim paid and one in progress, letters).
``--views`` may add ``layout`` and ``layout_audited``: the least a logged-in page costs
(``layout_floor.py``).

    .venv/bin/python bench/overview_instructions.py [--customers 10000] [--requests 200]
        [--views overview,hello[,layout,layout_audited]] [--source other-checkout/src]
        [--database-url postgresql://postgres@127.0.0.1/trygg_bench]

Needs valgrind (on the machine; otherwise apt-get install valgrind) and a PostgreSQL server.
Takes about four minutes on two cores (valgrind runs Python some fifty times slower).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from _common import (
    FLOOR_PATHS,
    ROOT,
    ensure_database,
    floor_environment,
    portal_environment,
    prepare_portal,
)

# What each view is asked as ``portal_overview.py`` asks it under load: the overview by a
# logged-in customer's browser, hello by wrk with no cookies (a hello that carried the session
# cookie would also load the session and the customer). ``layout`` and ``layout_audited`` are
# the floor of a logged-in page (``layout_floor.py``), served with its settings.
VIEWS: dict[str, list[str]] = {
    "overview": ["/overview/"],
    "hello": ["/healthz", "--anonymous"],
    **{name: [path] for name, path in FLOOR_PATHS.items()},
}


def instructions(
    env: dict[str, str], view: list[str], count: int, id_number: str, out: Path
) -> int:
    """What callgrind counts for the driver serving ``count`` requests of ``view`` (the path
    and the driver's options)."""
    result = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={out}",
            sys.executable,
            "bench/wsgi_driver.py",
            view[0],
            str(count),
            id_number,
            *view[1:],
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    collected = re.search(r"Collected : (\d+)", result.stderr)
    if result.returncode or not collected:
        raise SystemExit(f"{view} x {count} failed:\n{result.stdout}\n{result.stderr[-3000:]}")
    return int(collected.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--customers", type=int, default=10000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--base", type=int, default=20)
    parser.add_argument("--views", default="overview,hello")
    parser.add_argument(
        "--source",
        type=Path,
        default=ROOT / "src",
        help="the src folder of the code to count (another checkout's, to compare two versions)",
    )
    parser.add_argument(
        "--database-url", default="postgresql://postgres@127.0.0.1:5432/trygg_bench"
    )
    opts = parser.parse_args()
    if not shutil.which("valgrind"):
        raise SystemExit("valgrind is needed: apt-get install valgrind")
    views = opts.views.split(",")
    if unknown := set(views) - VIEWS.keys():
        raise SystemExit(f"--views: unknown {sorted(unknown)}; known: {', '.join(VIEWS)}")
    ensure_database(opts.database_url)
    var = Path(tempfile.mkdtemp(prefix="trygg-bench-"))
    try:
        env = portal_environment(opts.database_url, var, opts.source)
        (id_number,) = prepare_portal(env, opts.customers, 1)
        runs = [(view, count) for view in views for count in (opts.base, opts.base + opts.requests)]

        def count(run: tuple[str, int]) -> int:
            view, requests = run
            served = floor_environment(env) if view in FLOOR_PATHS else env
            out = var / f"{view}.{requests}"
            return instructions(served, VIEWS[view], requests, id_number, out)

        print(f"counting under callgrind: {len(runs)} runs, two at a time ...", flush=True)
        with ThreadPoolExecutor(2) as pool:
            counted = dict(zip(runs, pool.map(count, runs), strict=True))
    finally:
        shutil.rmtree(var, ignore_errors=True)
    per_request = {
        view: (counted[(view, opts.base + opts.requests)] - counted[(view, opts.base)])
        / opts.requests
        for view in views
    }
    print(f"\n{opts.requests} requests per view after {opts.base}; {opts.customers} customers")
    hello = per_request.get("hello")
    print(f"{'view':<16} {'instructions per request':>26} {'/ hello':>8}")
    for view, count in per_request.items():
        ratio = f"{count / hello:8.2f}" if hello else ""
        print(f"{view:<16} {count:>26,.0f} {ratio}")


if __name__ == "__main__":
    main()
