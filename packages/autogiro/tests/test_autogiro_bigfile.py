"""A big payment specification is read in constant memory.

By default the generated file holds 50,000 payment records, which keeps the
test at a few seconds even though tracemalloc slows Python down several
times (the peak does not grow with the file). Set
AUTOGIRO_BIG_FILE_RECORDS=1000000 to read a million; bench/autogiro_reader.py
measures the speed.
"""

from __future__ import annotations

import os
import time
import tracemalloc

from autogiro import DebitPayment, PaymentSpecificationClosing, iter_records, validate
from autogiro_testkit import generated_stream

RECORDS = int(os.environ.get("AUTOGIRO_BIG_FILE_RECORDS", "50000"))
PEAK_LIMIT = 4 * 1024 * 1024  # bytes


def test_big_file_is_read_with_bounded_memory() -> None:
    stream = generated_stream(RECORDS)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        debits = 0
        last = None
        for record in iter_records(stream):
            if type(record) is DebitPayment:
                debits += 1
            last = record
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    elapsed = time.perf_counter() - started
    assert debits == RECORDS
    assert isinstance(last, PaymentSpecificationClosing)
    assert last.debit_count == RECORDS
    assert stream.raw.size == 82 * (RECORDS + 3)  # type: ignore[attr-defined]
    assert peak < PEAK_LIMIT, f"peak {peak} bytes"
    print(f"\n{RECORDS} records in {elapsed:.1f} s under tracemalloc, peak {peak} bytes")


def test_validating_a_big_file_finds_a_late_mistake() -> None:
    # The closing record claims one debit more than the file holds.
    count = 20_000
    data = generated_stream(count).read()
    data = data.replace(b"9900000001" + b"%012d" % count, b"9900000001" + b"%012d" % (count + 1))
    import io

    errors = validate(io.BytesIO(data))
    assert [(e.line, e.column, e.field) for e in errors] == [(count + 3, 21, "debit_count")]
