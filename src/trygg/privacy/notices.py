"""Notices of a rectification to the recipients of the corrected data (GDPR Art. 19).

``notices_write`` runs inside the transaction that answers the request: one notice per recipient
of the corrected fields' processings (the register's), each told only the fields of its own
processings. A recipient with a notice address gets an e-mail through the contact outbox, in the
organisation's language, naming the customer by customer number (never the identity number) and
giving the corrected values, which the recipient needs to correct its own copy; a category of
recipients, or one whose address is not set, is recorded as not possible with the reason. The
outbox settles each e-mail (``contact.services.outbox_settled``) and ``notice_follow_outbox``
moves its notice to sent or failed through ``rules.NOTICE_TRANSITIONS`` (decision 0099).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from trygg.contact.models import OutboxMessage
from trygg.contact.services import outbox_enqueue
from trygg.kernel import clock
from trygg.kernel.audit import SYSTEM, AuditContext, audit_record
from trygg.kernel.datamap import Category
from trygg.kernel.models import AuditAction
from trygg.privacy import register, rules, subject
from trygg.privacy.discovery import data_map
from trygg.privacy.models import RecipientNotice, SubjectRequest


def recipients_of(fields: list[str]) -> list[tuple[register.Recipient, list[str]]]:
    """The recipients of the processings of ``fields`` ("app.Model.field"), each with the
    fields it received, in the register's order."""
    dm = data_map()
    found: dict[str, tuple[register.Recipient, list[str]]] = {}
    for name in fields:
        label, field_name = name.rsplit(".", 1)
        personal = dm.models[label].personal()[field_name]
        activity = register.BY_CODE.get(personal.processing)
        for recipient in activity.recipients if activity else ():
            found.setdefault(recipient.key, (recipient, []))[1].append(name)
    return list(found.values())


def _corrected_values(party_id: int, name: str) -> tuple[str, str]:
    """(label, value as now held) of one corrected field of the person; several rows joined."""
    label, field_name = name.rsplit(".", 1)
    model = apps.get_model(label)
    field = model._meta.get_field(field_name)
    title = f"{model._meta.verbose_name}: {getattr(field, 'verbose_name', field_name)}"
    personal = data_map().models[label].personal()[field_name]
    if personal.category is Category.CREDENTIAL:
        return title, subject.WITHHELD
    column = getattr(field, "attname", field_name)
    rows = model._default_manager.filter(subject.about_filter(label, party_id)).order_by("pk")
    values = [str(subject._value(v)) for v in rows.values_list(column, flat=True)]
    return title, "; ".join(v for v in values if v) or "-"


def _email(request: SubjectRequest, recipient: register.Recipient, fields: list[str]) -> str:
    assert request.party_id is not None
    lines = [
        _(
            "We have corrected personal data about our customer with customer number "
            "%(customer)s, which we have disclosed to you (%(recipient)s). Please correct the "
            "data you hold as well (GDPR Art. 19)."
        )
        % {"customer": request.subject_ref, "recipient": str(recipient)},
        "",
        _("The corrected data:"),
    ]
    for name in fields:
        title, value = _corrected_values(request.party_id, name)
        lines.append(f"- {title}: {value}")
    lines += [
        "",
        _("Corrected on %(date)s, our reference %(reference)s.")
        % {"date": clock.today().isoformat(), "reference": f"DSR-{request.pk}"},
        settings.TRYGG_COMPANY_NAME,
    ]
    return "\n".join(lines)


def notices_write(*, ctx: AuditContext, request: SubjectRequest, fields: list[str]) -> int:
    """Write the notices of a rectification, in the caller's transaction; their e-mails are
    sent after it commits. Returns how many were queued."""
    now = clock.now()
    queued = 0
    with translation.override(settings.LANGUAGE_CODE):
        for recipient, told in recipients_of(fields):
            address = recipient.notice_address()
            state, reason = rules.notice_start(
                address=address, is_category=bool(recipient.no_address)
            )
            message = None
            if state == rules.NoticeState.QUEUED:
                message = OutboxMessage.objects.create(
                    channel="email",
                    recipient=address,
                    subject=_("Rectification of personal data, customer %(customer)s")
                    % {"customer": request.subject_ref},
                    body=_email(request, recipient, told),
                    created_at=now,
                )
                queued += 1
            with translation.override("en"):
                name = str(recipient)
            RecipientNotice.objects.create(
                request=request,
                recipient_key=recipient.key,
                recipient=name,
                address=address if message else "",
                fields=told,
                state=state,
                reason=reason,
                message=message,
                created_at=now,
            )
    audit_record(
        ctx=ctx,
        action=AuditAction.CREATE,
        subject_id=request.party_id,
        object_type="recipient-notice",
        object_id=request.pk,
        detail={"queued": queued, "fields": fields},
    )
    if queued:
        outbox_enqueue()
    return queued


def notice_follow_outbox(
    sender: Any, *, message_id: int, state: str, at: dt.datetime, **kwargs: Any
) -> None:
    """The outbox settled an e-mail: its notice, if it is one, becomes sent or failed (once, by
    a conditional update on the state it was read in)."""
    notice = RecipientNotice.objects.filter(message_id=message_id).first()
    if notice is None:
        return
    to = rules.NoticeState.SENT if state == "sent" else rules.NoticeState.FAILED
    try:
        rules.check_notice_move(notice.state, to)
    except rules.RuleError:
        return  # already settled
    changes: dict[str, Any] = {"state": to}
    if to == rules.NoticeState.SENT:
        changes["sent_at"] = at
    if RecipientNotice.objects.filter(pk=notice.pk, state=notice.state).update(**changes):
        audit_record(
            ctx=SYSTEM,
            action=AuditAction.UPDATE,
            subject_id=notice.request.party_id,
            object_type="recipient-notice",
            object_id=notice.pk,
            detail={"state": str(to)},
        )
