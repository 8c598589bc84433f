"""The ``trygg`` command: Django's management commands under readable names.

trygg run                 migrate, load demo data, start simulators, serve the portal
trygg demo                load demo data (idempotent) and print the demo log-ins
trygg migrate             bring the database schema up to date
trygg worker              queue the daily work, run background tasks (django-tasks, database)
trygg audit verify        check the audit log's hash chain
trygg privacy register    the register of processing activities (--format csv|json|pdf)
trygg privacy retention   delete what passed its retention (--dry-run, --date D)
trygg privacy scrub       anonymise this database (a copy for testing): no personal field kept
trygg testdata --persons N  fictitious persons at scale (not in production)
trygg backup              back the database up; delete versions older than 13 months
trygg restore FILE --into D  restore a backup into an empty database (file or URL)
trygg blocklist FILE      check a vendor's blocklist and put it in force (no restart)
trygg post                hand queued letters to the print-and-post service, follow tracking
trygg otp USERNAME        current TOTP code of a demo staff user (development only)
trygg manage COMMAND ...  any Django management command
"""

from __future__ import annotations

import os
import sys

ALIASES = {
    "run": ["trygg_run"],
    "token-code": ["token_code"],
    "serve": ["runserver"],
    "worker": ["trygg_worker"],
    "check-deploy": ["check", "--deploy"],
}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trygg.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return
    import django
    from django.core.management import execute_from_command_line

    name, rest = args[0], args[1:]
    command = rest if name == "manage" else [*ALIASES.get(name, [name]), *rest]
    if command and command[0] not in {"-h", "--help", "help"}:
        django.setup()
        from trygg.privacy.environment import ProductionDatabase, guard

        subcommand = command[1] if command[0] == "privacy" and len(command) > 1 else ""
        if subcommand != "scrub":  # scrub exists to make a production copy safe
            try:
                guard(command[0])
            except ProductionDatabase as error:
                sys.exit(f"trygg: {error}")
    execute_from_command_line(["trygg", *command])


if __name__ == "__main__":
    main()
