"""The PIN letter: a one-page PDF in the customer's language, printed and posted."""

from __future__ import annotations

import datetime as dt

from django.utils import translation
from django.utils.translation import gettext as _

from trygg.kernel.letterhead import LetterPDF
from trygg.parties.models import AddressKind, Party


def render_pin_letter(*, party: Party, pin: str, issued_on: dt.date, company: str) -> bytes:
    address = party.addresses.filter(kind=AddressKind.POSTAL).first()
    with translation.override(party.preferred_language or "sv"):
        pdf = LetterPDF()
        pdf.set_title(_("Your PIN"))
        pdf.set_creator(company)
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        pdf.set_xy(20, 20)
        pdf.set_font("Helvetica", "B", 14)
        pdf.cell(0, 8, company, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=11)
        pdf.set_xy(110, 45)
        lines = [party.display_name]
        if address:
            if address.care_of:
                lines.append(f"c/o {address.care_of}")
            lines += [address.street, f"{address.postal_code} {address.city}"]
        for line in lines:
            pdf.set_x(110)
            pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        pdf.set_xy(20, 90)
        pdf.set_font("Helvetica", "B", 13)
        pdf.cell(
            0, 8, _("Your PIN for the internet and telephone bank"), new_x="LMARGIN", new_y="NEXT"
        )
        pdf.set_font("Helvetica", size=11)
        pdf.ln(2)
        pdf.multi_cell(
            170,
            6,
            _("Customer number: %(number)s. Date: %(date)s.")
            % {"number": party.customer_number, "date": issued_on.isoformat()},
        )
        pdf.ln(4)
        pdf.set_font("Courier", "B", 28)
        pdf.cell(0, 16, " ".join(pin), new_x="LMARGIN", new_y="NEXT", align="C")
        pdf.set_font("Helvetica", size=11)
        pdf.ln(4)
        pdf.multi_cell(
            170,
            6,
            _(
                "Log in with your personal identity number and this PIN. You will be asked "
                "to choose a PIN of your own, 4 to 6 digits, at your first log-in. Destroy this "
                "letter once you have done so. Never tell anyone your PIN: we will never ask "
                "for it."
            ),
        )
        return bytes(pdf.output())


def render_password_code_letter(
    *, party: Party, code: str, issued_on: dt.date, company: str
) -> bytes:
    """The letter with a one-time code for choosing the password of Mine sider."""
    address = party.addresses.filter(kind=AddressKind.POSTAL).first()
    with translation.override(party.preferred_language or "nb"):
        pdf = LetterPDF()
        pdf.set_title(_("Your code for Mine sider"))
        pdf.set_creator(company)
        pdf.add_page()
        pdf.set_xy(20, 20)
        pdf.set_font("Helvetica", "B", 14)
        pdf.cell(0, 8, company, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=11)
        pdf.set_xy(110, 45)
        lines = [party.display_name]
        if address:
            if address.care_of:
                lines.append(f"c/o {address.care_of}")
            lines += [address.street, f"{address.postal_code} {address.city}"]
        for line in lines:
            pdf.set_x(110)
            pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        pdf.set_xy(20, 90)
        pdf.set_font("Helvetica", "B", 13)
        pdf.cell(0, 8, _("Your code for Mine sider"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=11)
        pdf.ln(2)
        pdf.multi_cell(
            170,
            6,
            _("Customer number: %(number)s. Date: %(date)s.")
            % {"number": party.customer_number, "date": issued_on.isoformat()},
        )
        pdf.ln(4)
        pdf.set_font("Courier", "B", 24)
        pdf.cell(
            0, 14, f"{code[:4]} {code[4:8]} {code[8:]}", new_x="LMARGIN", new_y="NEXT", align="C"
        )
        pdf.set_font("Helvetica", size=11)
        pdf.ln(4)
        pdf.multi_cell(
            170,
            6,
            _(
                'Go to Mine sider, choose "First time or forgotten password", and enter your '
                "personal identity number, this code and the password you choose (at least 10 "
                "characters). The code works once, for 30 days. Every person in the family "
                "logs in with their own identity number and password. Destroy this letter "
                "once you have done so."
            ),
        )
        return bytes(pdf.output())
