"""Benchmark: the autogiro reader on a payment specification of a million records.

    .venv/bin/python bench/autogiro_reader.py [--records 1000000] [--runs 3] [--no-trace]

A payment specification from Bankgirot (opening, a deposit section of approved TK82 debits,
closing record with counts) is written to a temporary file, by positions, without the library.
Then, best of ``--runs`` each, in the same process:

* the baseline: a bare ``for line in file`` loop over the same file, opened ``rb``;
* ``validate(stream)``: every record decoded and checked (fields, check digits, the payee's
  bankgiro number on every record, section and closing totals); it must find nothing;
* ``iter_records(stream)``: the typed records, as a program reading the file gets them.

Reported: records per second, the time as a multiple of the bare loop, the growth of the
process's peak resident memory during the reads, and (unless ``--no-trace``) the peak of
memory allocated while reading the whole file again under tracemalloc: constant memory means
this stays at kilobytes whatever the number of records. The target is at least 300,000
records per second for ``validate``.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from autogiro import DebitPayment, iter_records, validate

BANKGIRO = "9912346"
CUSTOMER = "471117"
TARGET = 300_000  # records per second


def _line(tk: str, fields: dict[int, str]) -> bytes:
    chars = [" "] * 80
    chars[0:2] = tk
    for start, text in fields.items():
        chars[start - 1 : start - 1 + len(text)] = text
    return "".join(chars).encode("latin-1") + b"\r\n"


def write_payment_specification(path: Path, count: int) -> None:
    """A payment specification with ``count`` approved TK82 debits of 300 kronor."""
    with path.open("wb") as out:
        out.write(
            _line(
                "01",
                {
                    3: "AUTOGIRO",
                    25: "20260202",
                    33: "063015000000",
                    45: "BET. SPEC & STOPP TK".ljust(20),
                    65: CUSTOMER,
                    71: BANKGIRO.zfill(10),
                },
            )
        )
        out.write(
            _line(
                "15",
                {
                    3: "89010032323232".zfill(35),
                    38: "20260202",
                    46: "00001",
                    51: str(count * 30000).zfill(18),
                    72: str(count).zfill(8),
                },
            )
        )
        head = b"82" + b"20260202" + b"0" + b"   " + b" "
        tail = b"000000030000" + BANKGIRO.zfill(10).encode() + b"PREMIE JANUARI  " + b" " * 10
        block = []
        for number in range(count):
            block.append(head + b"%016d" % (number + 1) + tail + b"0\r\n")
            if len(block) == 10_000:
                out.write(b"".join(block))
                block.clear()
        out.write(b"".join(block))
        out.write(
            _line(
                "09",
                {
                    3: "20260202",
                    11: "9900",
                    15: "000001",
                    21: str(count).zfill(12),
                    33: "000000",
                    39: "0" * 12,
                    51: "000000",
                    57: "0" * 12,
                },
            )
        )


def bare_loop(path: Path) -> int:
    lines = 0
    with path.open("rb") as stream:
        for _ in stream:
            lines += 1
    return lines


def validated(path: Path) -> int:
    with path.open("rb") as stream:
        errors = validate(stream)
    if errors:
        raise SystemExit(f"the file should be valid: {errors[:3]}")
    return 0


def iterated(path: Path) -> int:
    debits = 0
    with path.open("rb") as stream:
        for record in iter_records(stream):
            if type(record) is DebitPayment:
                debits += 1
    return debits


def best_of(runs: int, work: Callable[[Path], int], path: Path) -> tuple[float, float]:
    """The best wall-clock and the best CPU seconds of ``runs`` runs of ``work``."""
    wall = cpu = float("inf")
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        work(path)
        wall = min(wall, time.perf_counter() - started)
        cpu = min(cpu, time.process_time() - started_cpu)
    return wall, cpu


def peak_rss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-trace", action="store_true", help="skip the tracemalloc pass")
    options = parser.parse_args()
    count = options.records

    with tempfile.TemporaryDirectory(prefix="autogiro-bench-") as folder:
        path = Path(folder) / "BET_SPEC.txt"
        write_payment_specification(path, count)
        lines = count + 3
        size = path.stat().st_size
        assert bare_loop(path) == lines
        assert iterated(path) == count

        rss_before = peak_rss_kib()
        bare = best_of(options.runs, bare_loop, path)
        timed_validate = best_of(options.runs, validated, path)
        timed_iterate = best_of(options.runs, iterated, path)
        rss_growth = peak_rss_kib() - rss_before

        traced_peak = None
        if not options.no_trace:
            tracemalloc.start()
            iterated(path)
            traced_peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()

    print(f"autogiro reader: payment specification of {lines:,} records ({size / 1e6:.0f} MB)")
    load = os.getloadavg()[0]
    print(f"python {platform.python_version()} on {platform.machine()}, load {load:.1f}")
    print("rates and ratios in CPU seconds (on a shared machine the wall clock counts others too)")
    print(f"{'':28}{'wall s':>9}{'CPU s':>9}{'records/s':>14}{'x bare loop':>13}")
    for name, (wall, cpu) in (
        ("for line in file (bare)", bare),
        ("validate(stream)", timed_validate),
        ("iter_records(stream)", timed_iterate),
    ):
        print(f"{name:28}{wall:9.3f}{cpu:9.3f}{lines / cpu:14,.0f}{cpu / bare[1]:13.1f}")
    print(f"peak resident memory grew by {rss_growth / 1024:.1f} MiB during the timed reads")
    if traced_peak is not None:
        print(f"peak allocated while reading under tracemalloc: {traced_peak / 1024:.0f} KiB")
    rate = lines / timed_validate[1]
    verdict = "met" if rate >= TARGET else "NOT met"
    print(f"target: validate at >= {TARGET:,} records/s: {verdict} ({rate:,.0f})")
    if rate < TARGET:
        sys.exit(1)


if __name__ == "__main__":
    main()
