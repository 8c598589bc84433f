"""The payer's billing documents as PDF, in Swedish: the payment plan (betalningsplan, the notice
of amounts, due dates and method), the invoice and the cancellation notice with a payment slip
(OCR reference and the insurer's bankgiro), and notice that autogiro ends."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from trygg.billing.models import Charge, Notice, NoticeKind
from trygg.insurance.letters import Letter, kronor
from trygg.kernel.numbertext import bankgiro_text
from trygg.parties.models import Party


def _address(party: Party) -> list[str]:
    address = party.addresses.first()
    lines = [party.display_name]
    if address is not None:
        lines += [address.street, f"{address.postal_code} {address.city}"]
    return lines


def _bankgiro() -> str:
    return bankgiro_text(settings.TRYGG_BANKGIRO)


def notice_pdf(notice: Notice) -> bytes:
    with translation.override("sv"):
        charges = list(notice.charges.select_related("policy").order_by("due_date", "pk"))
        title = {
            NoticeKind.PLAN: _("Payment plan"),
            NoticeKind.INVOICE: _("Invoice"),
            NoticeKind.CANCELLATION: _("Cancellation notice"),
            NoticeKind.TERMINATION: _("Autogiro ends"),
        }[NoticeKind(notice.kind)]
        letter = Letter(title)
        letter.address(_address(notice.payer))
        letter.heading(title)
        letter.row(_("Date"), notice.sent_on.isoformat())
        if notice.mandate is not None:
            letter.row(_("Payer number"), notice.mandate.payer_number)
            letter.row(_("Account debited"), f"{notice.mandate.clearing}-{notice.mandate.account}")
        if notice.kind == NoticeKind.PLAN:
            _plan(letter, charges)
        else:
            _slip(letter, notice, charges)
        if notice.text:
            letter.text(notice.text)
        return letter.bytes()


def _plan(letter: Letter, charges: list[Charge]) -> None:
    letter.text(
        _(
            "We debit your account by autogiro on the due dates below, the first bank day of each "
            "payment period. Have the money on the "
            "account at the latest the bank day before the due date. To stop one payment, tell us "
            "at the latest 2 bank days before its due date; to revoke the mandate, at the latest "
            "5 bank days before. A new plan is sent when an amount changes."
        )
    )
    for charge in charges:
        detail = kronor(charge.amount)
        if charge.carried or charge.fee:
            detail += " " + _("(premium %(premium)s, unpaid earlier %(carried)s, fee %(fee)s)") % {
                "premium": kronor(charge.premium),
                "carried": kronor(charge.carried),
                "fee": kronor(charge.fee),
            }
        if charge.premium and charge.period_start.day != 1:
            detail += " " + _(
                "(from %(start)s, with the broken month before the first whole period)"
            ) % {"start": charge.period_start.isoformat()}
        letter.row(
            _("%(due)s, insurance %(policy)s")
            % {"due": charge.due_date.isoformat(), "policy": charge.policy.number},
            detail,
        )


def _slip(letter: Letter, notice: Notice, charges: list[Charge]) -> None:
    for charge in charges:
        letter.row(
            _("Insurance %(policy)s, period from %(start)s")
            % {"policy": charge.policy.number, "start": charge.period_start.isoformat()},
            kronor(charge.amount),
        )
    letter.row(_("To pay"), kronor(notice.total))
    if notice.pay_by is not None:
        letter.row(_("Pay by"), notice.pay_by.isoformat())
    letter.row(_("Bankgiro"), _bankgiro())
    letter.row(_("OCR reference"), notice.ocr)
    if notice.kind == NoticeKind.CANCELLATION and notice.pay_by is not None:
        letter.text(
            _(
                "If the premium is not paid by %(date)s, the insurance ends on that day "
                "(notice of cancellation for non-payment)."
            )
            % {"date": notice.pay_by.isoformat()}
        )
