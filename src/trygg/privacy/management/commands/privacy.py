"""``trygg privacy``: the register for the supervisory authority, and the retention run.

trygg privacy register --format csv|json|pdf [--language en|sv|nb] [--output FILE]
trygg privacy retention [--dry-run] [--date YYYY-MM-DD]
trygg privacy scrub --yes   anonymise this database, a copy for testing (never production)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from trygg.kernel import clock
from trygg.kernel.audit import SYSTEM
from trygg.kernel.errors import DomainError
from trygg.privacy import export
from trygg.privacy.services import retention_run


class Command(BaseCommand):
    help = (
        "Privacy: 'register --format csv|json|pdf' exports the register of processing "
        "activities; 'retention [--dry-run] [--date D]' deletes what passed its retention; "
        "'scrub --yes' anonymises a copy of a database for testing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["register", "retention", "scrub"])
        parser.add_argument(
            "--yes", action="store_true", help="scrub: this database is a copy; anonymise it"
        )
        parser.add_argument("--format", choices=export.FORMATS, default="csv")
        parser.add_argument(
            "--language", choices=[code for code, _name in settings.LANGUAGES], default="en"
        )
        parser.add_argument("--output", help="file to write (default: standard output)")
        parser.add_argument("--date", help="business date of the run (default: today)")
        parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "register":
            self._register(options)
        elif options["action"] == "scrub":
            self._scrub(options)
        else:
            self._retention(options)

    def _scrub(self, options: dict[str, Any]) -> None:
        from trygg.privacy.scrub import ScrubRefused, scrub

        if not options["yes"]:
            raise CommandError(
                "--yes: scrub replaces every personal field of this database for good; run it "
                "on a restored copy and confirm with --yes."
            )
        try:
            report = scrub()
        except ScrubRefused as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Scrubbed {len(report.tables)} tables; the database is marked not production."
        )
        self.stdout.write(json.dumps({"rows": report.tables, "kept": report.kept}, indent=2))

    def _register(self, options: dict[str, Any]) -> None:
        kind, language = options["format"], options["language"]
        if kind == "pdf":
            content: bytes = export.register_pdf(language)
        else:
            render = export.register_csv if kind == "csv" else export.register_json
            content = render(language).encode()
        if options["output"]:
            Path(options["output"]).write_bytes(content)
            self.stdout.write(f"Register written to {options['output']}")
        elif kind == "pdf":
            raise CommandError("--output: a PDF is written to a file; name it with --output.")
        else:
            sys.stdout.flush()
            self.stdout.write(content.decode(), ending="")

    def _retention(self, options: dict[str, Any]) -> None:
        try:
            on = clock.parse_date(options["date"]) if options["date"] else clock.today()
        except ValueError as error:
            raise CommandError(f"--date: {error}") from error
        try:
            run = retention_run(ctx=SYSTEM, on=on, dry_run=options["dry_run"])
        except DomainError as error:
            field = f"--{error.field}" if error.field else "retention"
            raise CommandError(f"{field}: {error.message} [{error.code}]") from error
        verb = "would delete or anonymise" if run.dry_run else "deleted or anonymised"
        self.stdout.write(f"Retention run for {run.run_date.isoformat()}: {verb} {run.total} rows.")
        report = {
            "run": run.pk,
            "date": run.run_date.isoformat(),
            "dry_run": run.dry_run,
            "counts": run.counts,
            "kept_under_hold_or_referenced": run.held,
        }
        self.stdout.write(json.dumps(report, indent=2, ensure_ascii=False))
