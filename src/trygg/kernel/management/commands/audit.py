"""``trygg audit verify``: walk the audit hash chain and report any changed or removed row."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trygg.kernel.audit import audit_verify


class Command(BaseCommand):
    help = "Audit log tools. 'verify' checks the hash chain end to end."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        result = audit_verify()
        if result.ok:
            self.stdout.write(f"audit chain intact: {result.checked} rows verified")
            return
        for chain_break in result.breaks:
            self.stderr.write(f"row {chain_break.seq}: {chain_break.problem}")
        raise CommandError(
            f"audit chain broken: {len(result.breaks)} problem(s) in {result.checked} rows"
        )
