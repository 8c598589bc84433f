"""Benchmark: CPU instructions per overview and per hello, counted by callgrind.

The VM's speed drifts by a factor of two within an hour, and the same code measured twice in
seconds or requests per second differs by as much as a change being measured. Instructions do
not drift: callgrind counts those the Python process executes, whatever else the machine does.
So this bench serves the overview (and ``/healthz``) in one process through trygg's WSGI
application (``wsgi_driver.py``, production settings, PostgreSQL, the same seeded customers as
``portal_overview.py``) under ``valgrind --tool=callgrind``, once with ``--base`` requests and
once with ``--base + --requests``; the difference divided by ``--requests`` is one request's
instructions, without start-up and log-in. PostgreSQL's own work is not in it (another process).

    .venv/bin/python bench/overview_instructions.py [--customers 10000] [--requests 200]
        [--views overview,hello] [--source other-checkout/src]
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

from _common import ROOT, ensure_database, portal_environment, prepare_portal

PATHS = {"overview": "/overview/", "hello": "/healthz"}


def instructions(env: dict[str, str], path: str, count: int, id_number: str, out: Path) -> int:
    """What callgrind counts for the driver serving ``count`` requests of ``path``."""
    result = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={out}",
            sys.executable,
            "bench/wsgi_driver.py",
            path,
            str(count),
            id_number,
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    collected = re.search(r"Collected : (\d+)", result.stderr)
    if result.returncode or not collected:
        raise SystemExit(f"{path} x {count} failed:\n{result.stdout}\n{result.stderr[-3000:]}")
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
    ensure_database(opts.database_url)
    var = Path(tempfile.mkdtemp(prefix="trygg-bench-"))
    try:
        env = portal_environment(opts.database_url, var, opts.source)
        (id_number,) = prepare_portal(env, opts.customers, 1)
        runs = [(view, count) for view in views for count in (opts.base, opts.base + opts.requests)]

        def count(run: tuple[str, int]) -> int:
            view, requests = run
            return instructions(env, PATHS[view], requests, id_number, var / f"{view}.{requests}")

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
    print(f"{'view':<10} {'instructions per request':>26}")
    for view, count in per_request.items():
        print(f"{view:<10} {count:>26,.0f}")
    if {"overview", "hello"} <= per_request.keys():
        print(f"overview / hello: {per_request['overview'] / per_request['hello']:.2f}")


if __name__ == "__main__":
    main()
