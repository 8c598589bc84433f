"""The company as every letter and page footer names it: name, postal address, organisation
number, customer service's phone and opening hours, from the settings (one place)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from fpdf import FPDF

from trygg.kernel.numbertext import id_number_text

__all__ = ["Company", "LetterPDF", "company"]


@dataclass(frozen=True)
class Company:
    name: str
    street: str
    postal_code: str
    city: str
    organisation_number: str
    phone: str
    opening_hours: str

    @property
    def address(self) -> str:
        return f"{self.street}, {self.postal_code} {self.city}"

    def lines(self) -> list[str]:
        """The company block in the active language: who, where, how to reach us and when."""
        return [
            f"{self.name} · {self.address}",
            _("Organisation number %(number)s") % {"number": self.organisation_number},
            _("Customer service %(phone)s, weekdays %(hours)s")
            % {"phone": self.phone, "hours": self.opening_hours},
        ]


def company() -> Company:
    return Company(
        name=settings.TRYGG_COMPANY_NAME,
        street=settings.TRYGG_COMPANY_STREET,
        postal_code=settings.TRYGG_COMPANY_POSTAL_CODE,
        city=settings.TRYGG_COMPANY_CITY,
        organisation_number=id_number_text(settings.TRYGG_COMPANY_ORGANISATION_NUMBER),
        phone=settings.TRYGG_COMPANY_PHONE,
        opening_hours=settings.TRYGG_COMPANY_OPENING_HOURS,
    )


_PLAIN = str.maketrans(
    {"\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u2019": "'", "\u00a0": " "}
)


def plain(text: str) -> str:
    """Text the PDF's built-in fonts can draw (Latin-1: Swedish and Norwegian letters)."""
    return text.translate(_PLAIN).encode("latin-1", "replace").decode("latin-1")


class LetterPDF(FPDF):
    """An A4 letter whose every page ends with the company block. The block is written in the
    language active when the page is finished, the letter's own."""

    def __init__(self) -> None:
        super().__init__(format="A4")
        self.set_auto_page_break(auto=True, margin=30)

    def footer(self) -> None:
        self.set_y(-25)
        self.set_font("Helvetica", size=8)
        self.set_text_color(80, 80, 80)
        for line in company().lines():
            self.cell(0, 4, plain(line), new_x="LMARGIN", new_y="NEXT", align="C")
        self.set_text_color(0, 0, 0)
