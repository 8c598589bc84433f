"""``trygg run``: everything the demo needs, then serve the portal."""

from __future__ import annotations

import os
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Migrate, load demo data, start local simulators and serve the portal."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addr", default=os.environ.get("TRYGG_ADDR", "127.0.0.1:8000"))

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database ready.")
        call_command("demo")
        addr = options["addr"]
        self.stdout.write(
            f"\nPortal:       http://{addr}/\nBack office:  http://{addr}/backoffice/\n"
            f"API:          http://{addr}/api/v1/openapi.json\n"
        )
        call_command("runserver", addr, use_reloader=False)
