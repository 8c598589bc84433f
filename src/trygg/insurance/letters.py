"""Letters of the accident insurance as PDF: the policy letter (försäkringsbrev, in Swedish),
the return of an incomplete application listing what is missing, and the decline."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from trygg.insurance.application_rules import Missing
from trygg.insurance.messages import missing_text
from trygg.insurance.models import Application, HealthQuestion, Policy, PolicyTerm
from trygg.insurance.policies import current_term
from trygg.kernel.letterhead import LetterPDF, company
from trygg.kernel.letterhead import plain as plain  # the letters of other domains use it
from trygg.kernel.numbertext import id_number_text, money_text


def kronor(amount: Decimal) -> str:
    """An amount as the letter's language writes it (the one formatter)."""
    return money_text(amount)


class Letter:
    def __init__(self, title: str) -> None:
        self.pdf = LetterPDF()
        self.pdf.set_title(plain(title))
        self.pdf.set_creator(settings.TRYGG_COMPANY_NAME)
        self.pdf.add_page()
        self.pdf.set_xy(20, 20)
        self.pdf.set_font("Helvetica", "B", 14)
        self.pdf.cell(0, 8, plain(settings.TRYGG_COMPANY_NAME), new_x="LMARGIN", new_y="NEXT")

    def address(self, lines: list[str]) -> None:
        self.pdf.set_font("Helvetica", size=11)
        self.pdf.set_xy(110, 40)
        for line in lines:
            if line.strip():
                self.pdf.set_x(110)
                self.pdf.cell(0, 6, plain(line), new_x="LMARGIN", new_y="NEXT")
        self.pdf.set_xy(20, 80)

    def heading(self, text: str) -> None:
        self.pdf.set_font("Helvetica", "B", 13)
        self.pdf.cell(0, 8, plain(text), new_x="LMARGIN", new_y="NEXT")
        self.pdf.set_font("Helvetica", size=11)
        self.pdf.ln(1)

    def text(self, text: str) -> None:
        self.pdf.multi_cell(170, 6, plain(text), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1)

    def row(self, label: str, value: str) -> None:
        self.pdf.set_font("Helvetica", "B", 11)
        self.pdf.cell(75, 6, plain(label))
        self.pdf.set_font("Helvetica", size=11)
        self.pdf.multi_cell(95, 6, plain(value), new_x="LMARGIN", new_y="NEXT")

    def bytes(self) -> bytes:
        return bytes(self.pdf.output())


def _holder_lines(application: Application) -> list[str]:
    return [
        f"{application.holder_given_name} {application.holder_family_name}",
        application.holder_street,
        f"{application.holder_postal_code} {application.holder_city}",
    ]


def return_letter(application: Application, *, on: dt.date) -> bytes:
    """The incomplete application goes back with exactly what is missing."""
    with translation.override("sv"):
        texts = {
            q.code: q.text_sv for q in HealthQuestion.objects.filter(product=application.product)
        }
        letter = Letter(_("Your application is incomplete"))
        letter.address(_holder_lines(application))
        letter.heading(_("Your application is incomplete"))
        letter.text(
            _(
                "We have received your application for accident insurance (%(number)s) on "
                "%(received)s. We cannot assess it yet, because the following is missing:"
            )
            % {"number": application.number, "received": application.received_on.isoformat()}
        )
        for item in application.missing:
            missing = Missing(item["code"], item["field"], item.get("params") or None)
            letter.text(f"- {missing_text(missing, texts)}")
        letter.text(
            _(
                "Complete the application, sign it and send it back to us. The signature must "
                "not be older than 14 days when we receive it. The insurance can start at the "
                "latest three months after the complete application was signed."
            )
        )
        letter.text(_("Date: %(date)s") % {"date": on.isoformat()})
        return letter.bytes()


def decline_letter(application: Application, *, on: dt.date) -> bytes:
    with translation.override("sv"):
        letter = Letter(_("Decision on your application"))
        letter.address(_holder_lines(application))
        letter.heading(_("Decision on your application"))
        letter.text(
            _(
                "We have assessed your application for accident insurance (%(number)s) and "
                "cannot offer the insurance. Reasons:"
            )
            % {"number": application.number}
        )
        letter.text(application.decline_reasons)
        letter.text(
            _(
                "Your application and its documents are archived. You may ask us to review the "
                "decision. Date: %(date)s"
            )
            % {"date": on.isoformat()}
        )
        return letter.bytes()


def policy_letter(policy: Policy, *, on: dt.date) -> bytes:
    """Försäkringsbrev: the policy's number, parties, cover, premium and payment, in Swedish."""
    term: PolicyTerm | None = current_term(policy, on)
    with translation.override("sv"):
        holder = policy.policyholder
        address = holder.addresses.first()
        letter = Letter(_("Policy letter"))
        letter.address(
            [holder.display_name]
            + ([address.street, f"{address.postal_code} {address.city}"] if address else [])
        )
        letter.heading(_("Policy letter: accident insurance"))
        letter.row(_("Policy number"), policy.number)
        letter.row(_("Policyholder"), f"{holder.display_name}, {id_number_text(holder.id_number)}")
        letter.row(
            _("Insured"),
            f"{policy.insured.display_name}, {id_number_text(policy.insured.id_number)}",
        )
        letter.row(_("Start date"), policy.start_date.isoformat())
        if term is not None:
            letter.row(
                _("Insurance year"), f"{term.starts_on.isoformat()} - {term.ends_on.isoformat()}"
            )
            letter.row(
                _("Insured level"),
                _("%(level)s price base amounts (PBB %(year)s: %(pbb)s)")
                % {"level": policy.level, "year": term.pbb_year, "pbb": kronor(term.pbb)},
            )
            letter.row(_("Disability base amount"), kronor(term.base_amount))
            letter.row(_("Highest payout for disability"), kronor(term.base_amount * 2))
            tariff = term.tariff
            letter.row(_("Death benefit"), kronor(term.pbb * tariff.death_pbb))
            letter.row(
                _("Hospital stay over night"),
                _("%(amount)s per day, at most %(days)s days")
                % {"amount": kronor(tariff.hospital_per_day), "days": tariff.hospital_max_days},
            )
            letter.row(
                _("Acute care"), _("%(amount)s once") % {"amount": kronor(tariff.acute_care_once)}
            )
            letter.row(
                _("Medical, travel and dental costs"),
                _("for at most %(years)s years") % {"years": tariff.costs_years},
            )
            letter.row(
                _("Clothes and glasses"),
                _("at most %(amount)s") % {"amount": kronor(term.pbb * tariff.clothes_cap_pbb)},
            )
            letter.row(_("Disfiguring scars"), _("by the scar table"))
            letter.row(
                _("Pain and suffering"),
                _("from %(age)s years of age") % {"age": tariff.pain_from_age},
            )
            letter.row(_("Premium for the year"), kronor(term.year_total))
            letter.row(_("Tariff"), tariff.version)
        letter.row(
            _("Payment"), f"{policy.get_payment_method_display()}, {policy.get_period_display()}"
        )
        if policy.exclusion:
            letter.heading(_("Exclusion clause"))
            letter.text(policy.exclusion)
        _terms_withdrawal_complaints(letter, policy, term)
        letter.text("")
        letter.text(
            _(
                "The amounts follow the price base amount of each year. Check that the details "
                "are right and tell us at once if they are not. Date: %(date)s"
            )
            % {"date": on.isoformat()}
        )
        return letter.bytes()


def _terms_withdrawal_complaints(letter: Letter, policy: Policy, term: PolicyTerm | None) -> None:
    """What a policy letter must tell besides the cover: the terms it refers to, the right of
    withdrawal of a distance contract (14 days) and how to complain."""
    us = company()
    letter.heading(_("Terms"))
    letter.text(
        _(
            "The insurance follows %(company)s's terms for accident insurance in the version of "
            "tariff %(tariff)s, with this policy letter. The terms are sent to you free of "
            "charge on request."
        )
        % {"company": us.name, "tariff": term.tariff.version if term else "-"}
    )
    letter.heading(_("Right of withdrawal"))
    letter.text(
        _(
            "The insurance was taken out at a distance (online or by post). You may withdraw "
            "from it within 14 days of the day it was taken out or of the day you received this "
            "letter, whichever is later, by telling us; you then pay premium only for the days "
            "the insurance was in force (ångerrätt, lagen om distansavtal och avtal utanför "
            "affärslokaler)."
        )
    )
    letter.heading(_("If you are not satisfied"))
    letter.text(
        _(
            "Call customer service on %(phone)s first. If we do not agree, write to our "
            "complaints officer at %(address)s. You can get free advice from Konsumenternas "
            "Försäkringsbyrå, have a decision tried by Allmänna reklamationsnämnden (ARN) or "
            "by a general court."
        )
        % {"phone": us.phone, "address": f"{us.name}, {us.address}"}
    )
