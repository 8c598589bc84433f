"""``trygg run``: everything the demo needs, then serve the portal."""

from __future__ import annotations

import atexit
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from trygg.kernel import clock
from trygg.kernel.audit import SYSTEM
from trygg.parties.letters import post_desk
from trygg.protection.dispatch import Dispatcher
from trygg.simulators.bankgirot import serve_in_thread
from trygg.simulators.bankid import make_server
from trygg.simulators.contact import demo as intake_demo
from trygg.simulators.contact import wait_until_up
from trygg.simulators.issuers import serve_in_thread as issuer_simulator
from trygg.simulators.post import serve_in_thread as post_simulator
from trygg.simulators.sms.server import SmsGateway
from trygg.web.demo_billing import BillingDesk
from trygg.web.demo_contact import DEMO_CARDS, DEMO_SITE, silent_wav


class Command(BaseCommand):
    help = "Migrate, load demo data, start local simulators and serve the portal."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addr", default=os.environ.get("TRYGG_ADDR", "127.0.0.1:8000"))

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database ready.")
        call_command("demo")
        self._start_simulators()
        self._start_worker()
        addr = options["addr"]
        self._start_intake(addr)
        self.stdout.write(
            f"\nPortal:       http://{addr}/\nBack office:  http://{addr}/backoffice/\n"
            f"API:          http://{addr}/api/v1/openapi.json\n"
        )
        call_command("runserver", addr, use_reloader=False)

    def _start_simulators(self) -> None:
        """The outside world the demo needs, on this machine: BankID, Bankgirot and the
        issuers' blocking services."""
        self._start_bankgirot()
        self._start_issuers()
        self._start_post()
        self._start_sms()
        if not settings.TRYGG_BANKID_SIMULATOR:
            return
        port = urlsplit(settings.TRYGG_BANKID_URL).port or 8081
        try:
            server = make_server("127.0.0.1", port)
        except OSError as error:
            self.stderr.write(f"BankID simulator not started on port {port}: {error}")
            return
        threading.Thread(target=server.serve_forever, daemon=True, name="bankid-sim").start()
        self.stdout.write(
            f"\nBankID simulator: {server.base_url}/app  (approve BankID log-ins there; test "
            "persons or any customer's personal identity number)"
        )

    def _start_bankgirot(self) -> None:
        root = Path(settings.TRYGG_BANKGIROT_DIR)
        if settings.TRYGG_BANKGIROT_SIMULATOR:
            serve_in_thread(root, 2.0, today=clock.today)
            self.stdout.write(
                f"\nBankgirot simulator: answers the files in {root / 'to_bankgirot'} "
                f"on the next bank day in {root / 'from_bankgirot'} (outcomes per payer number "
                f"in {root / 'scenario.json'})"
            )
        BillingDesk(SYSTEM, root, 5.0).start()
        self.stdout.write(
            "Billing: the day's run, and Bankgirot's files imported as they arrive "
            "(back office: Billing → Billing runs → Dashboard)"
        )

    def _start_issuers(self) -> None:
        if "simulator" not in settings.TRYGG_ISSUERS:
            return
        port = settings.TRYGG_ISSUER_SIMULATOR_PORT
        try:
            server = issuer_simulator(port=port)
        except OSError as error:
            self.stderr.write(f"Issuer simulator not started on port {port}: {error}")
            return
        threading.Thread(target=Dispatcher().run, daemon=True, name="blocking").start()
        self.stdout.write(
            f"\nIssuer simulator: {server.base_url}/  (what each card issuer, mobile operator, "
            "road authority and police received); blocks are sent as calls close"
        )

    def _start_post(self) -> None:
        """The print-and-post service (simulated outside production) and the outbox's sender
        and tracker, every few seconds."""
        if settings.TRYGG_POST and not settings.PRODUCTION:
            port = settings.TRYGG_POST_SIMULATOR_PORT
            try:
                server = post_simulator(port=port, step=60.0)
            except OSError as error:
                self.stderr.write(f"Print-and-post simulator not started on port {port}: {error}")
            else:
                self.stdout.write(
                    f"\nPrint-and-post simulator: {server.base_url}/  (letters printed and "
                    "posted; tracked to delivery a minute a step)"
                )
        threading.Thread(target=post_desk, daemon=True, name="post").start()

    def _start_sms(self) -> None:
        """The SMS gateway (46elks API) on this machine when trygg is set to send to it."""
        url = urlsplit(settings.TRYGG_SMS_URL)
        if settings.PRODUCTION or url.hostname not in ("127.0.0.1", "localhost"):
            return
        try:
            SmsGateway(url.port or 8084).start()
        except OSError as error:
            self.stderr.write(f"SMS gateway simulator not started on port {url.port}: {error}")
            return
        self.stdout.write(
            f"\nSMS gateway simulator: {settings.TRYGG_SMS_URL}/a1/sms  (surveys and visitor "
            "messages sent by SMS; user and password from TRYGG_SMS_USER/PASSWORD)"
        )

    def _start_intake(self, addr: str) -> None:
        """The door card system and the recording platform, which call trygg: once the portal
        answers, the demo visitors' cards pass the doors and two calls are recorded."""
        card_key = settings.TRYGG_CARD_SYSTEM_KEYS.get("dev")
        recording_key = settings.TRYGG_RECORDING_KEYS.get("dev")
        if settings.PRODUCTION or not card_key or not recording_key:
            return
        base_url = f"http://{addr}"

        def run() -> None:
            if not wait_until_up(f"{base_url}/api/v1/openapi.json"):
                return
            lines = intake_demo(
                base_url,
                recording_key=recording_key,
                card_key=card_key,
                site=DEMO_SITE,
                cards=list(DEMO_CARDS),
                employee="kundtjanst",
                now=clock.now(),
                audio=silent_wav(),
            )
            self.stdout.write("\n".join(lines))

        threading.Thread(target=run, daemon=True, name="intake-sim").start()
        self.stdout.write(
            "\nDoor card system and recording platform: post to /api/v1/door-passages and "
            "/api/v1/recordings/interactions once the portal answers (back office: Contact → "
            "Visits → Reception)"
        )

    def _start_worker(self) -> None:
        """The background worker (billing runs and imports started in the back office), ended
        with this process."""
        worker = subprocess.Popen(
            [sys.executable, "-m", "trygg.cli", "worker", "--no-reload", "--no-startup-delay"],
            stdout=subprocess.DEVNULL,
        )
        atexit.register(worker.terminate)
        # A plain SIGTERM would end this process without running the exit handlers.
        signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(0))
        self.stdout.write(f"Background worker: process {worker.pid}")
