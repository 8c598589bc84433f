"""The blocking report goes home by post: when every block of a call has its answer (seed 004:
"Når sperringen er gjennomført fyller vi ut en sperrerapport, som sendes hjem til deg") the
report's PDF is queued in the letter outbox (:mod:`trygg.parties.letters`) to the customer's
registered address, once per call, and Mine sider and the call page show where it is."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from trygg.kernel.audit import SYSTEM, AuditContext
from trygg.parties.letters import letter_for, letter_queue, letters_of
from trygg.parties.models import Letter, Party
from trygg.protection.letters import report_of, report_pdf
from trygg.protection.models import Block, BlockingCall

PURPOSE = "protection.blocking_report"


def report_letter_queue(call: BlockingCall) -> Letter:
    """Queue the call's report (idempotent: a call has one report letter)."""
    blocks = list(Block.objects.filter(call=call).select_related("item", "issuer").order_by("id"))
    language = call.language if call.language in ("nb", "sv", "en") else "nb"
    with translation.override(language):
        title = _("Blocking report %(number)s") % {"number": call.number}
    return letter_queue(
        ctx=SYSTEM,
        party=call.customer,
        purpose=PURPOSE,
        reference=call.number,
        title=title,
        document=report_pdf(report_of(call, blocks, language=language)),
        language=language,
    )


def report_letter(*, ctx: AuditContext, call: BlockingCall) -> Letter | None:
    return letter_for(ctx=ctx, purpose=PURPOSE, reference=call.number)


def report_letters(*, ctx: AuditContext, customer: Party) -> dict[str, Letter]:
    """The customer's report letters by call number."""
    return {
        letter.reference: letter for letter in letters_of(ctx=ctx, party=customer, purpose=PURPOSE)
    }
