"""Benchmark: what one authentication attempt costs, per method, at production settings.

    .venv/bin/python bench/auth_costs.py [--rounds 30]

PIN: argon2id (64 MiB, t=3, p=1) over the HMAC pepper, as in production. Token: one OCRA
verification (RFC 6287, OCRA-1:HOTP-SHA256-8:QN08) and one TOTP verification (RFC 6238, ±1 step).
The baseline is one HMAC-SHA256, measured in the same run.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import os
import platform
import secrets
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from trygg.identity.otp.ocra import ocra_response, ocra_verify
from trygg.identity.otp.totp import totp_now, totp_verify
from trygg.identity.pins import PinHasher


def timed(fn: Callable[[], object], rounds: int) -> tuple[float, float]:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), max(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    rounds = parser.parse_args().rounds
    hasher = PinHasher(
        pepper=secrets.token_urlsafe(32), time_cost=3, memory_kib=64 * 1024, parallelism=1
    )
    encoded = hasher.hash("4826")
    suite = "OCRA-1:HOTP-SHA256-8:QN08"
    key = secrets.token_bytes(32)
    answer = ocra_response(suite, key, challenge="12345679")
    secret = base64.b32encode(secrets.token_bytes(20)).decode()
    now = datetime.now(UTC)
    code = totp_now(secret, at=now)
    rows = [
        (
            "HMAC-SHA256 (baseline)",
            timed(lambda: hmac.new(key, b"x", hashlib.sha256).digest(), rounds * 100),
        ),
        (
            "PIN, argon2id 64 MiB t=3 (right PIN)",
            timed(lambda: hasher.verify(encoded, "4826"), rounds),
        ),
        ("PIN, unknown number (dummy hash)", timed(lambda: hasher.verify(None, "4826"), rounds)),
        (
            "Token, OCRA verify",
            timed(lambda: ocra_verify(suite, key, answer, challenge="12345679"), rounds * 10),
        ),
        (
            "Token, TOTP verify (window ±1)",
            timed(
                lambda: totp_verify(secret, code, at=now, window=1, last_accepted_step=None),
                rounds * 10,
            ),
        ),
    ]
    print(f"machine: {platform.node()} {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"{'attempt':<42}{'median ms':>12}{'max ms':>10}")
    for name, (median, worst) in rows:
        print(f"{name:<42}{median:>12.3f}{worst:>10.3f}")
    base = rows[0][1][0]
    print(f"PIN / HMAC: {rows[1][1][0] / base:,.0f}x; OCRA / HMAC: {rows[3][1][0] / base:,.0f}x")


if __name__ == "__main__":
    main()
