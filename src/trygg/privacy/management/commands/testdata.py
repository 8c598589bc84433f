"""``trygg testdata --persons N``: fictitious persons at scale for a test environment."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from trygg.privacy import environment, testdata


class Command(BaseCommand):
    help = (
        "Create N fictitious persons (valid-checksum Swedish and Norwegian identity numbers) "
        "with address, e-mail, mobile and an account each, set-based. Refused in production "
        "and on a database marked production."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--persons", type=int, required=True)
        parser.add_argument("--norwegian-share", type=float, default=0.2)
        parser.add_argument("--batch", type=int, default=20000)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("testdata: fictitious data is never made in production.")
        if environment.database_is_production():
            raise CommandError(
                "testdata: the database is marked production; fictitious data is not mixed "
                "with real data."
            )
        if not 0 <= options["norwegian_share"] <= 1:
            raise CommandError("--norwegian-share: a share between 0 and 1.")
        try:
            made = testdata.make_persons(
                options["persons"],
                norwegian_share=options["norwegian_share"],
                batch=max(1, options["batch"]),
                seed=options["seed"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{made.persons} fictitious persons, {made.rows} rows, in {made.seconds:.1f} s."
        )
