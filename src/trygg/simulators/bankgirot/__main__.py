"""``python -m trygg.simulators.bankgirot --root DIR [--until YYYY-MM-DD] [--watch]``."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

from .engine import Bankgirot
from .scenario import ScenarioError
from .watch import DEFAULT_INTERVAL, watch


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None


def _print(path: Path) -> None:
    print(path, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m trygg.simulators.bankgirot",
        description="Local Bankgirot Autogiro simulator: reads to_bankgirot/, writes "
        "from_bankgirot/ under the exchange directory.",
    )
    parser.add_argument(
        "--root",
        type=Path,
        default=Path(os.environ.get("TRYGG_BANKGIROT_DIR", "var/bankgirot")),
        help="exchange directory (default: $TRYGG_BANKGIROT_DIR or var/bankgirot)",
    )
    parser.add_argument(
        "--until", type=_date, help="process every day up to this date (default: today)"
    )
    parser.add_argument(
        "--watch", action="store_true", help="keep polling to_bankgirot/ (stop with Ctrl-C)"
    )
    parser.add_argument(
        "--interval",
        type=float,
        default=DEFAULT_INTERVAL,
        help=f"seconds between polls with --watch (default {DEFAULT_INTERVAL:g})",
    )
    args = parser.parse_args(argv)
    until: date | None = args.until
    if args.watch:

        def today() -> date:
            return until or date.today()

        try:
            watch(args.root, interval=args.interval, today=today, report=_print)
        except KeyboardInterrupt:
            return 0
        return 0
    try:
        written = Bankgirot(args.root).process(until or date.today())
    except ScenarioError as error:
        print(f"scenario.json: {error}", file=sys.stderr)
        return 2
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
