"""``trygg benefit CLAIM``: compute a claim's benefits from the facts given (nothing is saved;
the decision is taken in the back office)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trygg.claims.selectors import claim_to_assess
from trygg.claims.services import FactsInput, benefits_for
from trygg.kernel.audit import SYSTEM
from trygg.kernel.errors import DomainError


def _cost(text: str) -> tuple[dt.date, Decimal, str]:
    day, _sep, rest = text.partition(":")
    amount, _sep, note = rest.partition(":")
    try:
        return dt.date.fromisoformat(day), Decimal(amount), note
    except (ValueError, InvalidOperation):
        raise CommandError(
            f"--cost {text!r}: give DATE:AMOUNT[:TEXT], e.g. 2026-12-03:850"
        ) from None


class Command(BaseCommand):
    help = (
        "Compute a claim's benefits: trygg benefit S500001 --degree 35 --occupational half "
        "--nights 12 --cost 2026-12-03:850 --clothes 2400 --scar face:small --pain-months 4"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("claim", help="claim number, e.g. S500001")
        parser.add_argument("--degree", type=int, default=0, help="medical disability, percent")
        parser.add_argument(
            "--occupational",
            default="none",
            choices=["none", "less_than_half", "half", "three_quarters", "full"],
        )
        parser.add_argument("--nights", type=int, default=0, help="hospital nights")
        parser.add_argument("--cost", action="append", default=[], help="DATE:AMOUNT[:TEXT]")
        parser.add_argument("--clothes", default="0", help="damage to clothes and glasses, kr")
        parser.add_argument("--scar", help="LOCATION:SIZE, e.g. face:small")
        parser.add_argument("--pain-months", type=int, default=0)
        parser.add_argument("--died", action="store_true", help="the insured died of the accident")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        claim = claim_to_assess(ctx=SYSTEM, number=options["claim"])
        if claim is None:
            raise CommandError(f"claim: no claim {options['claim']!r}")
        scar = None
        if options["scar"]:
            location, _sep, size = options["scar"].partition(":")
            scar = (location, size)
        try:
            clothes = Decimal(options["clothes"])
        except InvalidOperation:
            raise CommandError("--clothes: give an amount in kronor") from None
        facts = FactsInput(
            medical_degree=options["degree"],
            occupational=options["occupational"],
            hospital_nights=options["nights"],
            costs=[_cost(c) for c in options["cost"]],
            clothes_glasses=clothes,
            scar=scar,
            pain_months=options["pain_months"],
            died=options["died"],
        )
        try:
            assessment = benefits_for(claim, facts)
        except DomainError as error:
            raise CommandError(f"{error.field}: {error.message} [{error.code}]") from None
        result = {
            "claim": claim.number,
            "policy": claim.policy.number,
            "accident_date": claim.accident_date.isoformat(),
            "pbb_year": assessment.pbb_year,
            "pbb": str(assessment.pbb),
            "level": assessment.level,
            "tariff_version": assessment.tariff_version,
            "lines": [
                {"item": line.item.value, "amount": str(line.amount), "basis": line.basis}
                for line in assessment.benefits.lines
            ],
            "total": str(assessment.benefits.total),
        }
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=2, ensure_ascii=False))
            return
        self.stdout.write(
            f"Claim {claim.number}, policy {claim.policy.number}, accident "
            f"{claim.accident_date}, {assessment.level} PBB × {assessment.pbb} "
            f"(PBB {assessment.pbb_year}), tariff {assessment.tariff_version}"
        )
        for line in assessment.benefits.lines:
            self.stdout.write(f"{line.item.value:<26}{line.amount:>14}  {line.basis}")
        self.stdout.write(f"{'total':<26}{assessment.benefits.total:>14}")
