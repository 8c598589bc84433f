"""The blocking report ("sperrerapport"), sent home to the customer when every block has its
answer and shown on Mine sider: who was spoken to, each item with its issuer and the time it
was blocked, and the answers to every question of the seed's report."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from trygg.insurance.letters import Letter, plain
from trygg.kernel.idnumbers import parse as parse_id_number
from trygg.protection import rules
from trygg.protection.models import Block, BlockingCall

# The report speaks the customer's local time: Norway and Sweden share one time zone.
LOCAL = zoneinfo.ZoneInfo("Europe/Oslo")


@dataclass(frozen=True)
class ReportLine:
    label: str
    value: str


@dataclass(frozen=True)
class Report:
    language: str
    title: str
    address: list[str]
    intro: list[ReportLine]
    blocks: list[ReportLine]
    answers: list[ReportLine]
    closing: list[str]


def _when(moment: dt.datetime | None) -> str:
    return moment.astimezone(LOCAL).strftime("%Y-%m-%d %H:%M") if moment else _("not stated")


def _yes_no(value: bool | None) -> str:
    return _("not stated") if value is None else (_("Yes") if value else _("No"))


def _text(value: str) -> str:
    return value.strip() or _("not stated")


def _block_line(block: Block) -> ReportLine:
    item = block.item
    what = item.get_kind_display()
    details = [
        item.card_type,
        f"KS {item.ks}" if item.ks else "",
        f"IMEI {item.imei}" if item.imei else "",
        item.get_document_kind_display() if item.document_kind else "",
        str(item.company) if item.company_id else "",
    ]
    label = f"{what}: {', '.join(d for d in details if d)} ({block.issuer.name})"
    if block.state == rules.BlockState.CONFIRMED:
        value = _("blocked %(when)s, reference %(ref)s") % {
            "when": _when(block.answered_at),
            "ref": block.issuer_reference or "–",
        }
        if block.replacement_ordered:
            value += ", " + _("replacement ordered")
    elif block.state == rules.BlockState.LIFTED:
        value = _("blocked %(when)s, lifted %(lifted)s") % {
            "when": _when(block.answered_at),
            "lifted": _when(block.lifted_at),
        }
    else:
        value = str(block.get_state_display())
    return ReportLine(label, value)


def report_of(call: BlockingCall, blocks: list[Block], *, language: str) -> Report:
    """The report's content in ``language`` (nb, sv or en)."""
    customer = call.customer
    with translation.override(language):
        try:
            shown_number = parse_id_number(customer.id_number, country=customer.country).display()
        except ValueError:
            shown_number = customer.id_number
        address = [str(customer)]
        home = customer.addresses.order_by("id").first()
        if home is not None:
            address += [home.care_of, home.street, f"{home.postal_code} {home.city}"]
        advice = rules.closing_advice(
            ((rules.ItemKind(b.item.kind), b.issuer.terms()) for b in blocks),
            replacement_wanted=bool(call.replacement_wanted),
        )
        names = {b.issuer.code: b.issuer.name for b in blocks}
        closing = []
        if advice.replacement_ordered:
            closing.append(
                _("We have ordered new cards from: %(issuers)s.")
                % {"issuers": ", ".join(names[c] for c in advice.replacement_ordered)}
            )
        if advice.contact_yourself:
            closing.append(
                _("For new cards, please contact these issuers yourself: %(issuers)s.")
                % {"issuers": ", ".join(names[c] for c in advice.contact_yourself)}
            )
        return Report(
            language=language,
            title=_("Blocking report %(number)s") % {"number": call.number},
            address=[line for line in address if line.strip()],
            intro=[
                ReportLine(_("Customer"), f"{customer} ({shown_number})"),
                ReportLine(_("Customer number"), customer.customer_number),
                ReportLine(_("We spoke with"), call.spoke_with),
                ReportLine(_("Call received"), _when(call.opened_at)),
            ],
            blocks=[_block_line(block) for block in blocks],
            answers=[
                ReportLine(_("How did the items go astray?"), _text(call.how_lost)),
                ReportLine(_("How were they kept?"), _text(call.how_kept)),
                ReportLine(_("When was the loss discovered?"), _when(call.discovered_at)),
                ReportLine(_("When were they last seen?"), _when(call.last_seen_at)),
                ReportLine(
                    _("Where (place and country) did the loss happen?"),
                    ", ".join(x for x in (call.place, call.country) if x) or _("not stated"),
                ),
                ReportLine(_("Reported to the police?"), _yes_no(call.police_report)),
                ReportLine(_("Were ID data lost with them?"), _yes_no(call.id_data_lost)),
                ReportLine(
                    _("Was the code of any card written down?"), _yes_no(call.code_written_down)
                ),
                ReportLine(
                    _("Should replacement cards be ordered where possible?"),
                    _yes_no(call.replacement_wanted),
                ),
            ],
            closing=closing,
        )


def report_pdf(report: Report) -> bytes:
    with translation.override(report.language):
        return _render(report)


def _render(report: Report) -> bytes:
    letter = Letter(report.title)
    letter.address(report.address)
    letter.heading(report.title)
    for line in report.intro:
        letter.row(line.label, line.value)
    letter.pdf.ln(3)
    letter.heading(_("Blocked items"))
    for line in report.blocks:
        letter.row(line.label, line.value)
    letter.pdf.ln(3)
    letter.heading(_("The loss"))
    for line in report.answers:
        letter.row(line.label, line.value)
    for paragraph in report.closing:
        letter.pdf.ln(2)
        letter.text(paragraph)
    return letter.bytes()


FORM_ROWS = 10


def registration_form_pdf(*, language: str) -> bytes:
    """The registration form to print, fill in and post (seed: "laste ned registreringsskjemaet
    ..., fylle det ut og sende det til oss per post"), with the seed's guidance on company cards,
    KS, IMEI and the issuers of ID documents."""
    with translation.override(language):
        letter = Letter(_("Registration form: cards, mobile phones and ID documents"))
        pdf = letter.pdf
        pdf.set_xy(20, 32)
        letter.heading(_("Registration form: cards, mobile phones and ID documents"))
        letter.text(
            _(
                "Fill in one line for each card, mobile phone or ID document and post the form "
                "to us. Never write a card number: we block your cards by your personal identity "
                "number."
            )
        )
        for label in (
            _("Name (for a company card: the company's name)"),
            _("Personal identity number or organisation number (9 digits for a company)"),
            _("Address"),
            _("Telephone"),
        ):
            letter.row(label, "_" * 40)
        pdf.ln(3)
        headers = [_("Kind"), _("Issuer"), _("Card type"), "KS", "IMEI", _("Document")]
        widths = [22, 38, 30, 14, 40, 26]
        pdf.set_font("Helvetica", "B", 9)
        for header, width in zip(headers, widths, strict=True):
            pdf.cell(width, 7, plain(header), border=1)
        pdf.ln()
        pdf.set_font("Helvetica", size=9)
        for _row in range(FORM_ROWS):
            for width in widths:
                pdf.cell(width, 8, "", border=1)
            pdf.ln()
        pdf.ln(3)
        pdf.set_font("Helvetica", size=9)
        for paragraph in (
            _(
                "KS (control digits) are the last 4 digits of the card number, on the front of "
                "the card. Fill them in only for a company card or when you have several cards "
                "from the same issuer, so that we can tell the cards apart."
            ),
            _(
                "IMEI is the phone's own serial number, 15 digits: dial *#06#, or read it behind "
                "the battery. With it the phone itself can be blocked, even with another SIM card."
            ),
            _(
                "Issuers of ID documents: a driving licence is issued by the road authority, a "
                "passport by the police, an ID card by its issuer, for example a bank."
            ),
            _("Date and signature: ______________________________"),
        ):
            pdf.multi_cell(170, 5, plain(paragraph), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        return letter.bytes()
