"""Benchmark: the guard's cost per request (blocklist and rate limits), as a ratio to the same
view through the same stack without it, in one process and one run.

    .venv/bin/python bench/privacy_middleware.py [--requests 3000] [--entries 100000]
        [--path /login/]

Two WSGI handlers of trygg are built side by side, one with ``MIDDLEWARE`` as configured
(``GuardMiddleware`` first), one without the guard. The guard runs as in production: a blocklist
of ``--entries`` addresses and networks (random, none matching the client), both rate limits on
with limits the run never reaches. The requests alternate between the two handlers in rounds of
100, so that drift of the machine touches both alike; CPU time per request is reported, its
median over the rounds, and the guard's own cost (the difference) and the ratio.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))


def blocklist_file(entries: int, folder: Path) -> Path:
    rng = random.Random(7)
    lines = []
    for n in range(entries):
        if n % 10 == 0:
            lines.append(f"{rng.randrange(11, 100)}.{rng.randrange(256)}.{rng.randrange(256)}.0/24")
        else:
            lines.append(".".join(str(rng.randrange(11, 100 if i == 0 else 256)) for i in range(4)))
    path = folder / "blocklist.txt"
    path.write_text("\n".join(lines) + "\n")
    return path


def environ(path: str, client: str) -> dict[str, Any]:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8765",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1:8765",
        "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_USER_AGENT": "bench",
        "REMOTE_ADDR": client,
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--path", default="/login/")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="trygg-guard-bench-"))
    os.environ["TRYGG_BLOCKLIST_FILE"] = str(blocklist_file(args.entries, folder))
    os.environ["TRYGG_RATE_LIMIT_CLIENT"] = "100000000/60"
    os.environ["TRYGG_RATE_LIMIT_IDENTITY"] = "100000000/600"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trygg.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler

    guarded = WSGIHandler()
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("GuardMiddleware")]
    bare = WSGIHandler()

    def serve(app: WSGIHandler, count: int) -> float:
        status: list[str] = []
        start = time.process_time()
        for n in range(count):
            body = app(environ(args.path, f"192.0.2.{n % 200 + 1}"), lambda s, h: status.append(s))
            b"".join(body)
            if not status[-1].startswith("200"):
                raise SystemExit(f"{args.path} answered {status[-1]}")
        return (time.process_time() - start) / count * 1e6

    serve(guarded, 50)
    serve(bare, 50)
    with_guard, without = [], []
    for _ in range(max(1, args.requests // 100)):
        with_guard.append(serve(guarded, 100))
        without.append(serve(bare, 100))
    g, b = statistics.median(with_guard), statistics.median(without)
    print(f"page {args.path}, blocklist {args.entries} entries, {args.requests} requests each")
    print(f"with the guard    {g:8.1f} µs CPU per request")
    print(f"without the guard {b:8.1f} µs CPU per request")
    print(f"guard's own cost  {g - b:8.1f} µs; ratio {g / b:.3f}")

    # The guard alone, around a view that does nothing: its cost without the page's noise.
    from django.http import HttpResponse
    from django.test import RequestFactory

    from trygg.privacy.guard import GuardMiddleware

    guard = GuardMiddleware(lambda request: HttpResponse())
    requests = [
        RequestFactory().get(args.path, REMOTE_ADDR=f"192.0.2.{n % 200 + 1}") for n in range(200)
    ]
    start = time.process_time()
    for n in range(args.requests * 10):
        guard(requests[n % 200])
    alone = (time.process_time() - start) / (args.requests * 10) * 1e6
    print(f"the guard alone   {alone:8.1f} µs CPU per request")


if __name__ == "__main__":
    main()
