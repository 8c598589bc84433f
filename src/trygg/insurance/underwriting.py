"""Underwriting: the underwriters' decisions on referred applications.

Accept (with an exclusion clause if need be) issues the policy; ask for more waits for the
applicant; a decline is proposed by one underwriter and confirmed by another (four eyes; the
database refuses a declined application whose proposer and decider are the same person).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from trygg.insurance.cases import application_move
from trygg.insurance.models import Application, ApplicationState, Policy
from trygg.insurance.policies import policy_issue
from trygg.kernel import clock
from trygg.kernel.audit import AuditContext
from trygg.kernel.errors import NotFound, PermissionDenied, ValidationFailed
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
    application_move(ctx, application, ApplicationState.ACCEPTED, note="accepted automatically")
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
            ApplicationState.ACCEPTED,
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
        application_move(ctx, application, ApplicationState.INFO_REQUESTED, note=text)
    return application


def application_info_received(
    *, ctx: AuditContext, user: Any, application_id: int, note: str
) -> Application:
    text = _reason("note", note, message=_("Write what the applicant told us."))
    with transaction.atomic():
        application = _locked(application_id)
        application_move(ctx, application, ApplicationState.REFERRED, note=text)
    return application


def application_decline_propose(
    *, ctx: AuditContext, user: Any, application_id: int, reasons: str
) -> Application:
    text = _reason("decline_reasons", reasons, message=_("Give the reasons for the decline."))
    with transaction.atomic():
        application = _locked(application_id)
        application.decline_reasons = text
        application.proposed_by = user
        application_move(ctx, application, ApplicationState.DECLINE_PROPOSED, note=text)
    return application


def application_decline_confirm(
    *, ctx: AuditContext, user: Any, application_id: int
) -> Application:
    """The second underwriter confirms the decline; the application is archived."""
    with transaction.atomic():
        application = _locked(application_id)
        if application.proposed_by_id == getattr(user, "pk", None):
            raise PermissionDenied(
                _(
                    "A decline is confirmed by a second underwriter, not by the one who "
                    "proposed it."
                ),
                code="underwriting.four_eyes",
            )
        if application.state != ApplicationState.DECLINE_PROPOSED:
            raise ValidationFailed(
                code="application.state",
                field="state",
                message=_("No decline has been proposed for this application."),
            )
        application.decided_by = user
        application.decided_at = clock.now()
        application_move(
            ctx, application, ApplicationState.DECLINED, note=application.decline_reasons
        )
    return application


def application_decline_reject(
    *, ctx: AuditContext, user: Any, application_id: int, note: str
) -> Application:
    """The second underwriter does not agree: back to the queue."""
    text = _reason("note", note, message=_("Write why the decline is not confirmed."))
    with transaction.atomic():
        application = _locked(application_id)
        if application.proposed_by_id == getattr(user, "pk", None):
            raise PermissionDenied(
                _("The decline is judged by a second underwriter."),
                code="underwriting.four_eyes",
            )
        application.proposed_by = None
        application_move(ctx, application, ApplicationState.REFERRED, note=text)
    return application
