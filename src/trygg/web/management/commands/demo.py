"""``trygg demo``: load the demo customers and staff (idempotent) and print the log-ins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from trygg.web.demo import DemoRefused, load_demo
from trygg.web.demo_protection import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Create demo customers and staff (running it again changes nothing) and print log-ins."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            customers, staff, tokens = load_demo()
        except DemoRefused as refused:
            raise CommandError(str(refused)) from refused
        out = self.stdout
        out.write("\nDemo log-ins (fictitious people)\n")
        out.write("Customer portal: personal identity number + PIN\n")
        for c in customers:
            out.write(f"  {c.display:<16} PIN {c.pin:<7} {c.name} – {c.note}\n")
        out.write(
            "\nThe protection service's Mine sider (/login/password/): the first Norwegian "
            f"customer above, password {DEMO_PASSWORD}\n"
        )
        out.write("\nSecurity tokens (log in at /login/token/); what the token would show:\n")
        out.write("  .venv/bin/trygg token-code SERIAL CHALLENGE   (challenge-response token)\n")
        out.write("  .venv/bin/trygg token-code SERIAL             (time-based code token)\n")
        for t in tokens:
            out.write(f"  {t.serial:<13} {t.kind:<5} {t.id_number:<16} {t.owner}\n")
        out.write("\nBack office (/backoffice/): user name, password and a TOTP code.\n")
        out.write(
            "  Current code: .venv/bin/trygg otp USERNAME   (or add the secret to an "
            "authenticator app)\n"
        )
        for s in staff:
            out.write(
                f"  {s.username:<12} {s.password:<24} {s.role:<18} TOTP {s.totp_secret_b32}\n"
            )
