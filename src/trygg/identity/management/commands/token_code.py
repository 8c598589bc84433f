"""``trygg token-code SERIAL [CHALLENGE]``: what a demo security token would show
(development only: in production the seed never leaves the server)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from trygg.identity.models import SecurityToken, TokenKind
from trygg.identity.otp.totp import totp_now
from trygg.identity.tokens import token_expected_response, token_seed_b32
from trygg.kernel import clock


class Command(BaseCommand):
    help = "Print the response (or current code) of a security token; refused in production."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("serial")
        parser.add_argument("challenge", nargs="?", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Not available in production.")
        token = SecurityToken.objects.filter(serial=options["serial"]).first()
        if token is None:
            raise CommandError(f"No security token {options['serial']!r}.")
        if token.kind == TokenKind.TOTP:
            self.stdout.write(totp_now(token_seed_b32(token), at=clock.now()))
            return
        challenge = options["challenge"]
        if not challenge.isdigit():
            raise CommandError("Give the challenge shown on screen (digits).")
        self.stdout.write(token_expected_response(token, challenge))
