"""The application's case: the one place its state changes (checked against the state table of
``application_rules``), with the case record and the audit trail written in the same
transaction."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from trygg.insurance import application_rules as ar
from trygg.insurance.models import Application, ApplicationEvent, ApplicationState
from trygg.kernel import clock
from trygg.kernel.audit import AuditContext, audit_record
from trygg.kernel.errors import PermissionDenied, ValidationFailed
from trygg.kernel.models import AuditAction


def application_move(
    ctx: AuditContext,
    application: Application,
    step: ar.Step,
    *,
    by: Any = None,
    note: str = "",
    detail: dict[str, Any] | None = None,
) -> None:
    """The one place an application changes state: the state table (``step`` from the current
    state, taken by the staff user ``by``, or the system when None), the case record, the audit
    trail. The proposer of a decline cannot move the application on by any step."""
    current = ApplicationState(application.state) if application.state else None
    try:
        wanted = ApplicationState(
            ar.transition(
                ar.State(current) if current else None,
                step,
                by=getattr(by, "pk", None),
                proposed_by=application.proposed_by_id,
            )
        )
    except ar.FourEyesError:
        raise PermissionDenied(
            _(
                "A proposed decline is decided by a second underwriter: the one who proposed "
                "it cannot move the application in any way."
            ),
            code="underwriting.four_eyes",
        ) from None
    except ar.TransitionError as refused:
        raise ValidationFailed(
            code="application.state",
            field="state",
            message=_("An application that is %(current)s cannot become %(wanted)s.")
            % {
                "current": ApplicationState(current).label if current else "–",
                "wanted": ApplicationState(refused.wanted).label,
            },
        ) from None
    application.state = wanted
    application.save()
    ApplicationEvent.objects.create(
        application=application,
        at=clock.now(),
        actor=ctx.actor_label or ctx.actor_kind,
        state_from=current or "",
        state_to=wanted,
        note=note,
        detail=detail or {},
    )
    audit_record(
        ctx=ctx,
        action=AuditAction.CREATE if current is None else AuditAction.UPDATE,
        subject_id=application.policyholder_id,
        object_type="application",
        object_id=application.pk,
        detail={"state": wanted, "step": step},
    )
