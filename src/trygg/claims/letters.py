"""The claim's decision letter (in Swedish): each benefit with its basis, the total and where
it is paid."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.claims.messages import basis_text
from trygg.claims.models import Claim, ClaimState
from trygg.claims.services import lines_explained
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
            for line in lines_explained(claim):
                letter.row(item_label(line["item"]), kronor(Decimal(line["amount"])))
                # A line whose reasons cannot be found again has only its English basis, which
                # a Swedish letter leaves out.
                detail = basis_text(line.get("reasons") or [])
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
