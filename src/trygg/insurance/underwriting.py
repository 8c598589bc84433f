"""Underwriting: the underwriters' decisions on referred applications.

Accept (with an exclusion clause if need be) issues the policy; ask for more waits for the
applicant; a decline is proposed by one underwriter and confirmed by another (four eyes; the
database refuses a declined application whose proposer and decider are the same person).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from trygg.insurance import application_rules as ar
from trygg.insurance.cases import application_move
from trygg.insurance.models import Application, Policy
from trygg.insurance.policies import policy_issue
from trygg.kernel import clock
from trygg.kernel.audit import AuditContext
from trygg.kernel.errors import NotFound
from trygg.kernel.validation import Problems, clean_text


def _locked(application_id: int) -> Application:
    application = Application.objects.select_for_update().filter(pk=application_id).first()
    if application is None:
        raise NotFound(_("No such application."), code="application.not_found")
    return application


def _reason(field: str, value: object, *, message: str) -> str:
    problems = Problems()
    text = clean_text(problems, field, value, max_length=2000, required=False)
    if not text:
        problems.add(field, f"{field}.required", message)
    problems.raise_if_any()
    return text


def application_accept_automatically(*, ctx: AuditContext, application: Application) -> Policy:
    """Accept a complete application whose health declaration raises nothing."""
    application_move(ctx, application, ar.Step.ACCEPT, note="accepted automatically")
    return policy_issue(ctx=ctx, application=application)


def application_accept(
    *, ctx: AuditContext, user: Any, application_id: int, exclusion: str = ""
) -> Policy:
    """Accept, with an exclusion clause when one is given; the policy is issued at once."""
    problems = Problems()
    clause = clean_text(problems, "exclusion", exclusion, max_length=2000, required=False)
    problems.raise_if_any()
    with transaction.atomic():
        application = _locked(application_id)
        application.exclusion = clause
        application.decided_by = user
        application.decided_at = clock.now()
        application_move(
            ctx,
            application,
            ar.Step.ACCEPT,
            by=user,
            note=_("accepted with an exclusion clause") if clause else _("accepted"),
            detail={"exclusion": clause} if clause else {},
        )
        return policy_issue(ctx=ctx, application=application)


def application_request_info(
    *, ctx: AuditContext, user: Any, application_id: int, question: str
) -> Application:
    text = _reason("info_request", question, message=_("Write what the applicant must tell us."))
    with transaction.atomic():
        application = _locked(application_id)
        application.info_request = text
        application_move(ctx, application, ar.Step.REQUEST_INFO, by=user, note=text)
    return application


def application_info_received(
    *, ctx: AuditContext, user: Any, application_id: int, note: str
) -> Application:
    text = _reason("note", note, message=_("Write what the applicant told us."))
    with transaction.atomic():
        application = _locked(application_id)
        application_move(ctx, application, ar.Step.INFO_RECEIVED, by=user, note=text)
    return application


def application_decline_propose(
    *, ctx: AuditContext, user: Any, application_id: int, reasons: str
) -> Application:
    text = _reason("decline_reasons", reasons, message=_("Give the reasons for the decline."))
    with transaction.atomic():
        application = _locked(application_id)
        application_move(ctx, application, ar.Step.DECLINE_PROPOSE, by=user, note=text)
        application.decline_reasons = text
        application.proposed_by = user  # from now on, this underwriter cannot move it
        application.save(update_fields=["decline_reasons", "proposed_by"])
    return application


def application_decline_confirm(
    *, ctx: AuditContext, user: Any, application_id: int
) -> Application:
    """The second underwriter confirms the decline; the application is archived."""
    with transaction.atomic():
        application = _locked(application_id)
        # Set on the locked row only; the move checks the proposer and refuses before it saves.
        application.decided_by = user
        application.decided_at = clock.now()
        application_move(
            ctx, application, ar.Step.DECLINE_CONFIRM, by=user, note=application.decline_reasons
        )
    return application


def application_decline_reject(
    *, ctx: AuditContext, user: Any, application_id: int, note: str
) -> Application:
    """The second underwriter does not agree: back to the queue."""
    text = _reason("note", note, message=_("Write why the decline is not confirmed."))
    with transaction.atomic():
        application = _locked(application_id)
        application_move(ctx, application, ar.Step.DECLINE_REJECT, by=user, note=text)
        application.proposed_by = None
        application.save(update_fields=["proposed_by"])
    return application
