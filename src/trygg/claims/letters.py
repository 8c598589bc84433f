"""The claim's decision letter (in Swedish): each benefit with its basis, the total and where
it is paid."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.claims.models import Claim, ClaimState
from trygg.insurance.letters import Letter, kronor

ITEM_LABELS = {
    "medical_disability": gettext_lazy("Medical disability"),
    "occupational_disability": gettext_lazy("Occupational disability"),
    "acute_care": gettext_lazy("Acute care"),
    "hospital": gettext_lazy("Hospital stay over night"),
    "costs": gettext_lazy("Medical, travel and dental costs"),
    "clothes_glasses": gettext_lazy("Clothes and glasses"),
    "scar": gettext_lazy("Disfiguring scars"),
    "pain_suffering": gettext_lazy("Pain and suffering"),
    "death": gettext_lazy("Death benefit"),
}


def item_label(item: str) -> str:
    return str(ITEM_LABELS.get(item, item))


def decision_letter(claim: Claim, *, on: dt.date) -> bytes:
    policy = claim.policy
    insured = policy.insured
    with translation.override("sv"):
        letter = Letter(_("Decision on your claim"))
        address = insured.addresses.first()
        letter.address(
            [insured.display_name]
            + ([address.street, f"{address.postal_code} {address.city}"] if address else [])
        )
        letter.heading(_("Decision on your claim %(number)s") % {"number": claim.number})
        letter.row(_("Policy number"), policy.number)
        letter.row(_("Accident date"), claim.accident_date.isoformat())
        if claim.state == ClaimState.REJECTED:
            letter.text(_("We cannot pay benefits for this claim. Reason:"))
            letter.text(claim.rejection_reason)
        else:
            letter.row(
                _("Price base amount"),
                _("%(amount)s (the year of the accident, %(year)s)")
                % {"amount": kronor(claim.pbb or Decimal(0)), "year": claim.pbb_year},
            )
            for line in claim.lines:
                letter.row(item_label(line["item"]), kronor(Decimal(line["amount"])))
                detail = _detail(line["item"], claim.facts)
                if detail:
                    letter.text(f"   {detail}")
            letter.row(_("To be paid"), kronor(claim.total))
            target = (
                claim.payout_account.number if claim.payout_account else claim.payout_destination
            )
            letter.row(_("Paid to account"), target)
        letter.text(
            _(
                "If you do not agree with the decision you may ask us to review it, or turn to "
                "the insurance complaints board. Date: %(date)s"
            )
            % {"date": on.isoformat()}
        )
        return letter.bytes()


OCCUPATIONAL_SV = {
    "less_than_half": "mindre än halv arbetsoförmåga",
    "half": "minst halv arbetsoförmåga: 1 gånger grundbeloppet",
    "three_quarters": "3/4 dels arbetsoförmåga: 1,5 gånger grundbeloppet",
    "full": "hel arbetsoförmåga: 2 gånger grundbeloppet",
}


def _detail(item: str, facts: dict[str, Any]) -> str:
    """The facts behind a line, in Swedish (the calculation's own text is in the case)."""
    degree = facts.get("medical_degree", 0)
    if item == "medical_disability":
        base = "två gånger grundbeloppet" if degree >= 50 else "grundbeloppet"
        return f"Medicinsk invaliditetsgrad {degree} % beräknad på {base}."
    if item == "occupational_disability":
        return f"Bestående {OCCUPATIONAL_SV.get(facts.get('occupational', ''), '')}."
    if item == "hospital":
        return f"{facts.get('hospital_nights', 0)} dygn på sjukhus (högst 365)."
    if item == "pain_suffering":
        return f"{facts.get('pain_months', 0)} månader akut sjukdomstid."
    if item == "costs":
        return f"{len(facts.get('costs', []))} kvitton inom fem år från olycksfallet."
    return ""
