"""``trygg trading fill``: the demo's market fills every open stock order at its limit price
(development only; in production fills come from the market)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from trygg.banking.selectors import trade_orders_open
from trygg.banking.trading import trade_fill
from trygg.kernel.audit import AuditContext
from trygg.kernel.errors import DomainError
from trygg.kernel.models import AuditChannel

MARKET = AuditContext(actor_kind="system", actor_label="demo market", channel=AuditChannel.BATCH)


class Command(BaseCommand):
    help = "Fill open stock orders at their limit price (a simulated market; not in production)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["fill"])

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("The simulated market is not available in production.")
        for order in trade_orders_open():
            try:
                trade_fill(ctx=MARKET, order_id=order.pk, price=order.limit_price)
            except DomainError as error:
                self.stderr.write(f"order {order.pk}: {error.message}")
            else:
                self.stdout.write(f"order {order.pk}: filled at {order.limit_price}")
