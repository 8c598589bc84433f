"""``trygg post``: hand the queued letters to the print-and-post service and follow the posted
ones' tracking (one round; run it every few minutes)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from trygg.parties.letters import letters_send, letters_track


class Command(BaseCommand):
    help = "Send the queued letters and follow the tracking of those on their way."

    def handle(self, *args: Any, **options: Any) -> None:
        posted = letters_send()
        moved = letters_track()
        self.stdout.write(f"Letters posted: {posted}; tracking changes: {moved}")
