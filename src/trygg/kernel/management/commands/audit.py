"""``trygg audit verify``: seal, then walk the audit hash chain and report any changed, removed or
inserted row. ``trygg audit seal``: give waiting events their place in the chain."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trygg.kernel.audit import audit_seal, audit_verify


class Command(BaseCommand):
    help = "Audit log tools. 'verify' checks the hash chain end to end; 'seal' chains new events."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "seal"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "seal":
            self.stdout.write(f"{audit_seal()} events sealed")
            return
        result = audit_verify()
        if result.ok:
            self.stdout.write(f"audit chain intact: {result.checked} rows verified")
            return
        for chain_break in result.breaks:
            self.stderr.write(f"row {chain_break.seq}: {chain_break.problem}")
        raise CommandError(
            f"audit chain broken: {len(result.breaks)} problem(s) in {result.checked} rows"
        )
