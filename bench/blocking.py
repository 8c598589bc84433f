"""Benchmark: the blocking promise on PostgreSQL with the issuer simulator.

    .venv/bin/python bench/blocking.py --customers 10000 [--calls 100] [--mass 1000]
        [--window 60] [--processes 2] [--threads 80] [--database-slots 16]
        [--latency 0.2 2.0] [--port 9201] [--seed-only]
        [--database-url postgresql://postgres@127.0.0.1:5432/trygg_bench_blocking]

Seeds ``--customers`` Norwegian persons set-based (one INSERT ... SELECT per table), each with a
postal address and 20 registered items at 10 issuers (14 cards at 7 card issuers, two per issuer
with KS; 4 phones at a mobile operator; a driving licence at the road authority; a passport at
the police). The issuer simulator runs as a process of its own with every issuer answering after
``--latency`` seconds (uniform). ``--processes`` blocking dispatchers (``Dispatcher``, each with
``--threads`` threads) send the blocks, as ``trygg protection dispatch`` would.

1. The simulator alone: as many requests at once as the dispatchers can have in flight, straight
   from a thread pool (the ceiling any dispatcher can reach), and with no latency (its raw
   capacity).
2. Single calls: ``--calls`` calls, one a second, each blocking all 20 items of a random
   customer through the services (``call_open``, ``call_close``); per call the time from closing
   to the last block's answer (``completed_at - closed_at``, written by the services).
3. A mass event: ``--mass`` calls arriving evenly within ``--window`` seconds; the time until
   every block of every call is answered, and the dispatchers' throughput against the
   simulator's ceiling measured in step 1.

For the mass event it also prints what does not depend on the machine's load: the CPU seconds
(``/proc/<pid>/stat``, user + system) of the dispatchers, of their PostgreSQL backends, of the
simulator and of the agents' threads, per block answered and per call placed, and the statements
each sent per block and per call (counted in the processes). From these and the cores it
prints the blocks a second the machine could sustain with every party on it.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from _common import (
    ROOT,
    ensure_database,
    luhn_sql,
    machine_postgresql,
    one,
    setup_django,
    sql,
    vacuum,
)

FAMILY = "Blokkering"
STOP_FILE = ROOT / "var" / "bench" / "blocking.stop"
COUNTS = ROOT / "var" / "bench" / "blocking-statements-{pid}.json"
DISPATCH_APP = "trygg-bench-dispatch"
TICK = os.sysconf("SC_CLK_TCK")
CORES = os.cpu_count() or 1


# -- what the CPU does, independent of the load -----------------------------------------------

_statements = [0]


def count_statements() -> None:
    """Count every statement this process's database connections execute."""
    from django.db.backends.signals import connection_created

    def counting(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        _statements[0] += 1
        return execute(sql, params, many, context)

    def installed(connection, **_kwargs):  # type: ignore[no-untyped-def]
        if counting not in connection.execute_wrappers:  # a connection opened again
            connection.execute_wrappers.append(counting)

    connection_created.connect(installed, weak=False)


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def machine_busy() -> tuple[float, float]:
    """The machine's busy and total CPU seconds since boot (every core; /proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values[:8]) - idle) / TICK, sum(values[:8]) / TICK


def meter(workers: list[int], simulator: int) -> dict[str, float]:
    """A reading of every party's CPU seconds and statements so far."""
    backends = [
        r[0]
        for r in sql(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND application_name = %s",
            [DISPATCH_APP],
        )
    ]
    statements = 0
    for pid in workers:
        with contextlib.suppress(FileNotFoundError, ValueError):
            statements += json.loads(COUNTS.with_name(COUNTS.name.format(pid=pid)).read_text())
    busy, total = machine_busy()
    return {
        "dispatchers": sum(cpu_seconds(pid) for pid in workers),
        "backends": sum(cpu_seconds(pid) for pid in backends),
        "simulator": cpu_seconds(simulator),
        "agents": time.process_time(),
        "dispatch_statements": statements,
        "agent_statements": _statements[0],
        "machine_busy": busy,
        "machine_total": total,
        "wall": time.monotonic(),
    }


def report_counts() -> None:
    """The dispatcher process's statements, written for the bench every quarter second."""
    path = COUNTS.with_name(COUNTS.name.format(pid=os.getpid()))

    def write() -> None:
        while True:
            path.write_text(str(_statements[0]))
            time.sleep(0.25)

    threading.Thread(target=write, daemon=True).start()


def _issuer_env(port: int) -> dict[str, str]:
    return {
        "TRYGG_ISSUERS": json.dumps(
            {"simulator": {"url": f"http://127.0.0.1:{port}", "key": "bench", "timeout": 10}}
        ),
    }


# -- seeding --------------------------------------------------------------------------------


def seed(count: int) -> float:
    """``count`` Norwegian persons with an address and 20 items each; the seconds it took."""
    from trygg.kernel import idnumbers
    from trygg.parties.rules import customer_number_from_serial

    have = one("SELECT count(*) FROM parties_party WHERE family_name = %s", [FAMILY])
    items = one("SELECT count(*) FROM protection_item")
    if have >= count and items >= 20 * count:
        print(f"{have} customers already seeded", flush=True)
        return 0.0
    started = time.perf_counter()
    batch = 100_000
    # A serial whose check digit would be 10 is moved to the next one: skip numbers made twice.
    seen = {r[0] for r in sql("SELECT id_number FROM parties_party WHERE country = 'NO'")}
    serial = one("SELECT count(*) FROM parties_party")
    index = 0
    while have < count:
        numbers, births, customers = [], [], []
        while len(numbers) < min(batch, count - have):
            index += 1
            born = dt.date(1940, 1, 1) + dt.timedelta(days=index % 25_000)
            number = idnumbers.generate_norwegian_personal(born, 100 + 3 * (index // 25_000))
            if number in seen:
                continue
            seen.add(number)
            serial += 1
            numbers.append(number)
            births.append(born)
            customers.append(customer_number_from_serial(7_000_000 + serial))
        have += len(numbers)
        sql(
            "INSERT INTO parties_party (kind, customer_number, country, id_number, id_kind, "
            "given_name, family_name, legal_name, birth_date, preferred_language, "
            "registered_owner, created_at, updated_at) "
            "SELECT 'person', c, 'NO', n, 'no_personal', 'Kunde', %s, '', b, 'nb', '', "
            "now(), now() FROM unnest(%s::text[], %s::text[], %s::date[]) AS u(c, n, b) "
            "ON CONFLICT DO NOTHING",
            [FAMILY, customers, numbers, births],
        )
        print(f"  persons: {have}", flush=True)
    sql(
        "INSERT INTO parties_address (party_id, kind, care_of, street, postal_code, city, "
        "country, updated_at) SELECT p.id, 'postal', '', 'Storgata ' || (mod(p.id, 200) + 1), "
        "'0155', 'Oslo', 'NO', now() FROM parties_party p WHERE p.family_name = %s "
        "AND NOT EXISTS (SELECT 1 FROM parties_address a WHERE a.party_id = p.id)",
        [FAMILY],
    )
    cards = [
        r[0]
        for r in sql(
            "SELECT id FROM protection_issuer WHERE kind = 'card_issuer' "
            "ORDER BY country, code LIMIT 7"
        )
    ]
    operator = one(
        "SELECT id FROM protection_issuer WHERE kind = 'mobile_operator' ORDER BY code LIMIT 1"
    )
    road = one("SELECT id FROM protection_issuer WHERE kind = 'road_authority' LIMIT 1")
    police = one("SELECT id FROM protection_issuer WHERE kind = 'police' LIMIT 1")
    assert len(cards) == 7, cards
    card_issuer = "(ARRAY[" + ",".join(str(c) for c in cards) + "])[g / 2 + 1]"
    body = "(35000000000000 + p.id * 4 + (g - 14))"
    imei = f"{body}::text || ({luhn_sql(body, 14)})::text"
    insert_items = (
        "INSERT INTO protection_item (customer_id, company_id, kind, issuer_id, card_type, ks, "
        "imei, document_kind, note, source, created_at, updated_at) "
        "SELECT p.id, NULL, "
        "CASE WHEN g < 14 THEN 'card' WHEN g < 18 THEN 'phone' ELSE 'document' END, "
        f"CASE WHEN g < 14 THEN {card_issuer} WHEN g < 18 THEN {operator} "
        f"WHEN g = 18 THEN {road} ELSE {police} END, "
        "CASE WHEN g < 14 THEN (ARRAY['Visa', 'Mastercard'])[mod(g, 2) + 1] ELSE '' END, "
        "CASE WHEN g < 14 THEN lpad(mod(p.id * 7 + g, 10000)::text, 4, '0') ELSE '' END, "
        f"CASE WHEN g BETWEEN 14 AND 17 THEN {imei} ELSE '' END, "
        "CASE WHEN g = 18 THEN 'driving_licence' WHEN g = 19 THEN 'passport' ELSE '' END, "
        "'', 'online', now(), now() "
        "FROM parties_party p CROSS JOIN generate_series(0, 19) AS g "
        "WHERE p.family_name = %s AND p.id BETWEEN %s AND %s "
        "AND NOT EXISTS (SELECT 1 FROM protection_item i WHERE i.customer_id = p.id)"
    )
    low, high = sql("SELECT min(id), max(id) FROM parties_party WHERE family_name = %s", [FAMILY])[
        0
    ]
    for first in range(low, high + 1, batch):
        sql(insert_items, [FAMILY, first, first + batch - 1])
        print(f"  items: persons up to id {min(high, first + batch - 1)}", flush=True)
    return time.perf_counter() - started


# -- the simulator alone ----------------------------------------------------------------------


def simulator_alone(base: str, concurrency: int, requests: int) -> dict[str, float]:
    """``requests`` block requests with ``concurrency`` in flight, straight from threads."""
    import httpx

    latencies: list[float] = []
    lock = threading.Lock()
    run = random.randrange(10**9)
    clients = threading.local()

    def one_request(n: int) -> None:
        client = getattr(clients, "c", None)
        if client is None:
            client = clients.c = httpx.Client(timeout=30)
        body = {"key": f"alone-{run}-{n}", "kind": "card", "id_number": "0", "country": "NO"}
        started = time.perf_counter()
        client.post(
            f"{base}/issuers/dnb/blocks",
            json=body,
            headers={"Authorization": "Bearer bench", "Idempotency-Key": body["key"]},
        ).raise_for_status()
        with lock:
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(one_request, range(requests)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "rate": requests / elapsed,
        "p50": latencies[len(latencies) // 2],
        "p99": latencies[int(len(latencies) * 0.99) - 1],
    }


def configure(base: str, latency: tuple[float, float]) -> None:
    import httpx

    httpx.post(f"{base}/sim/config", json={"*": {"latency": list(latency)}}).raise_for_status()


# -- calls ------------------------------------------------------------------------------------


def place_calls(
    agent_id: int, customers: list[int], count: int, window: float, *, agents: int = 8
) -> list[int]:
    """``count`` calls spread evenly over ``window`` seconds, taken by up to ``agents`` agents
    at once, each call blocking every item of a customer; their ids."""
    from django.db import connection

    from trygg.kernel.audit import SYSTEM
    from trygg.parties.models import Party
    from trygg.protection import services
    from trygg.protection.models import Item
    from trygg.protection.services import ReportAnswers

    chosen = random.sample(customers, count)
    started = time.perf_counter()

    def take(n: int) -> int:
        wait = started + window * n / count - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
        try:
            customer = Party.objects.get(pk=chosen[n])
            items = list(
                Item.objects.filter(customer=customer, removed_at__isnull=True).values_list(
                    "pk", flat=True
                )
            )
            call = services.call_open(
                ctx=SYSTEM, agent_id=agent_id, customer=customer, spoke_with="Kunden selv"
            )
            services.call_close(
                ctx=SYSTEM,
                call_id=call.pk,
                block_item_ids=items,
                kept_item_ids=[],
                answers=ReportAnswers(how_lost="Lommeboka ble stjålet", replacement_wanted=True),
            )
            return call.pk
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=agents) as pool:
        ids = list(pool.map(take, range(count)))
    late = time.perf_counter() - started - window * (count - 1) / count
    if late > 1:
        print(f"  (placing the calls took {late:.1f} s longer than the window)", flush=True)
    return ids


def wait_completed(call_ids: list[int], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        left = one(
            "SELECT count(*) FROM protection_blockingcall WHERE id = ANY(%s) "
            "AND completed_at IS NULL",
            [call_ids],
        )
        if not left:
            return
        time.sleep(0.5)
    raise TimeoutError(f"{left} calls not completed after {timeout:.0f} s")


def call_times(call_ids: list[int]) -> tuple[list[float], float, int]:
    """Per call seconds from closing to completion; the whole span from the first closing
    to the last completion; the number of blocks."""
    rows = sql(
        "SELECT extract(epoch FROM completed_at - closed_at), closed_at, completed_at "
        "FROM protection_blockingcall WHERE id = ANY(%s)",
        [call_ids],
    )
    times = sorted(float(r[0]) for r in rows)
    span = (max(r[2] for r in rows) - min(r[1] for r in rows)).total_seconds()
    blocks = one("SELECT count(*) FROM protection_block WHERE call_id = ANY(%s)", [call_ids])
    not_confirmed = one(
        "SELECT count(*) FROM protection_block WHERE call_id = ANY(%s) AND state <> 'confirmed'",
        [call_ids],
    )
    assert not not_confirmed, f"{not_confirmed} blocks not confirmed"
    return times, span, blocks


def pct(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, max(0, round(q * len(values)) - 1))]


# -- the dispatcher processes -----------------------------------------------------------------


def dispatch(threads: int, slots: int) -> None:
    """One dispatcher until the stop file appears (a child process of the bench)."""
    from trygg.protection.dispatch import Dispatcher

    count_statements()
    report_counts()
    dispatcher = Dispatcher(threads=threads, poll_seconds=0.05, database_slots=slots)
    dispatcher.run(stop=STOP_FILE.exists)
    dispatcher.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--calls", type=int, default=100)
    parser.add_argument("--mass", type=int, default=1000)
    parser.add_argument("--window", type=float, default=60.0)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--threads", type=int, default=80)
    parser.add_argument("--database-slots", type=int, default=16)
    parser.add_argument("--latency", type=float, nargs=2, default=(0.2, 2.0))
    parser.add_argument("--port", type=int, default=9201)
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/trygg_bench_blocking"
        ),
    )
    parser.add_argument("--seed-only", action="store_true", help="seed, then stop")
    parser.add_argument("--dispatch", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.dispatch:
        os.environ["PGAPPNAME"] = DISPATCH_APP  # its backends, told apart for the CPU count
        setup_django(args.database_url, **_issuer_env(args.port))
        dispatch(args.dispatch, args.database_slots)
        return

    ensure_database(args.database_url)
    setup_django(args.database_url, **_issuer_env(args.port))
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(machine_postgresql(), flush=True)
    seconds = seed(args.customers)
    if seconds:
        print(f"seeded {args.customers} customers, 20 items each, in {seconds:.0f} s", flush=True)
        sql("ANALYZE")
    if args.seed_only:
        return
    vacuum(args.database_url)  # autovacuum is off here: no dead rows of earlier runs
    count_statements()
    customers = [
        r[0]
        for r in sql(
            "SELECT p.id FROM parties_party p WHERE p.family_name = %s AND EXISTS "
            "(SELECT 1 FROM protection_item i WHERE i.customer_id = p.id) ORDER BY p.id LIMIT %s",
            [FAMILY, args.customers],
        )
    ]
    items = one("SELECT count(*) FROM protection_item")
    agent = get_user_model().objects.get_or_create(username="bench-agent")[0]

    base = f"http://127.0.0.1:{args.port}"
    simulator = subprocess.Popen(
        [sys.executable, "-m", "trygg.simulators.issuers", "--port", str(args.port)],
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        stdout=subprocess.DEVNULL,
    )
    workers: list[subprocess.Popen[bytes]] = []
    try:
        time.sleep(1.0)
        in_flight = args.processes * args.threads
        configure(base, (0.0, 0.0))
        raw = simulator_alone(base, in_flight, 4000)
        configure(base, tuple(args.latency))  # type: ignore[arg-type]
        alone = simulator_alone(base, in_flight, max(in_flight * 10, 1000))

        STOP_FILE.parent.mkdir(parents=True, exist_ok=True)
        STOP_FILE.unlink(missing_ok=True)
        for _ in range(args.processes):
            workers.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        str(Path(__file__)),
                        "--dispatch",
                        str(args.threads),
                        "--database-url",
                        args.database_url,
                        "--port",
                        str(args.port),
                        "--database-slots",
                        str(args.database_slots),
                    ],
                    cwd=ROOT,
                )
            )
        # Ready when a first call (not counted) is through.
        warm = place_calls(agent.pk, customers, 1, 0.0)
        wait_completed(warm, 120)

        print(f"single calls: {args.calls}, one a second ...", flush=True)
        single = place_calls(agent.pk, customers, args.calls, float(args.calls), agents=1)
        wait_completed(single, 120)
        single_times, _span, _blocks = call_times(single)

        print(f"mass event: {args.mass} calls within {args.window:.0f} s ...", flush=True)
        load = [Path("/proc/loadavg").read_text().split()[0]]
        time.sleep(0.6)  # the dispatchers' counts written
        before = meter([w.pid for w in workers], simulator.pid)
        mass = place_calls(agent.pk, customers, args.mass, args.window)
        placed = meter([w.pid for w in workers], simulator.pid)
        load.append(Path("/proc/loadavg").read_text().split()[0])
        wait_completed(mass, 900)
        time.sleep(0.6)
        after = meter([w.pid for w in workers], simulator.pid)
        load.append(Path("/proc/loadavg").read_text().split()[0])
        mass_times, span, blocks = call_times(mass)
    finally:
        STOP_FILE.touch()
        for worker in workers:
            worker.wait(timeout=60)
        simulator.terminate()
        simulator.wait(timeout=10)
        STOP_FILE.unlink(missing_ok=True)
        for worker in workers:
            COUNTS.with_name(COUNTS.name.format(pid=worker.pid)).unlink(missing_ok=True)

    throughput = blocks / span
    letters = one(
        "SELECT count(*) FROM parties_letter WHERE purpose = 'protection.blocking_report' "
        "AND reference IN (SELECT number FROM protection_blockingcall WHERE id = ANY(%s))",
        [mass],
    )
    low, high = args.latency
    print()
    print(
        f"customers {len(customers):,}, registered items {items:,}; issuer latency "
        f"{low}-{high} s; {args.processes} dispatchers x {args.threads} threads "
        f"({in_flight} in flight, {args.database_slots} at the database each)"
    )
    rows = [
        ("simulator alone, no latency", f"{raw['rate']:.0f} blocks/s", f"p99 {raw['p99']:.3f} s"),
        (
            f"simulator alone, {low}-{high} s",
            f"{alone['rate']:.1f} blocks/s",
            f"p50 {alone['p50']:.2f} s, p99 {alone['p99']:.2f} s",
        ),
        (
            f"single calls ({len(single_times)}, 20 items)",
            f"p50 {statistics.median(single_times):.2f} s",
            f"p99 {pct(single_times, 0.99):.2f} s, max {single_times[-1]:.2f} s",
        ),
        (
            f"mass event ({len(mass_times)} calls, {blocks:,} blocks)",
            f"all answered in {span:.0f} s",
            f"per call p50 {statistics.median(mass_times):.1f} s, "
            f"p99 {pct(mass_times, 0.99):.1f} s",
        ),
        (
            "dispatchers' throughput",
            f"{throughput:.1f} blocks/s",
            f"{throughput / alone['rate']:.2f} of the simulator alone",
        ),
        ("report letters queued (mass event)", f"{letters}", ""),
    ]
    used = {k: after[k] - before[k] for k in after}
    agents = placed["agents"] - before["agents"]
    per_block = {
        name: used[name] / blocks * 1000 for name in ("dispatchers", "backends", "simulator")
    }
    per_block["agents"] = agents / blocks * 1000  # placing, spread over the call's blocks
    cores = used["machine_busy"] / used["wall"]
    rows += [
        (
            "CPU per block: dispatchers",
            f"{per_block['dispatchers']:.2f} ms",
            f"{used['dispatch_statements'] / blocks:.2f} statements per block",
        ),
        ("CPU per block: their PostgreSQL backends", f"{per_block['backends']:.2f} ms", ""),
        ("CPU per block: issuer simulator", f"{per_block['simulator']:.2f} ms", ""),
        (
            "CPU per call placed: agents (bench process)",
            f"{agents / len(mass) * 1000:.1f} ms",
            f"{(placed['agent_statements'] - before['agent_statements']) / len(mass):.1f} "
            "statements per call",
        ),
        (
            "machine during the mass event",
            f"{cores:.2f} of {CORES} cores busy",
            f"load average {' -> '.join(load)}",
        ),
    ]
    # The agents' PostgreSQL backends come and go with each call and are not counted.
    total = sum(per_block.values())
    rows.append(
        (
            f"blocks/s the {CORES} cores sustain (all parties)",
            f"{CORES * 1000 / total:.0f} blocks/s",
            f"at {total:.2f} ms of CPU per block (dispatchers alone: "
            f"{CORES * 1000 / (per_block['dispatchers'] + per_block['backends']):.0f} blocks/s)",
        )
    )
    width = max(len(r[0]) for r in rows)
    for name, value, extra in rows:
        print(f"  {name:<{width}}  {value:<26} {extra}")
    db = urllib.parse.urlparse(args.database_url).path.lstrip("/")
    print(f"\n(database {db} kept; drop it with: psql -c 'DROP DATABASE {db}')")


if __name__ == "__main__":
    main()
