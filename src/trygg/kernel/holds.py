"""Legal holds as a port. The privacy app keeps the holds and sits above the domains; a domain
that must keep one of its records past its retention (a recorded threat reported to the police)
asks for a hold through this port, which privacy fills in its ``AppConfig.ready``. The domain
never imports privacy, and the hold is the privacy app's own record: listed, lifted (by the
privacy officer only) and honoured by the retention run like any other."""

from __future__ import annotations

from typing import Any, Protocol

from trygg.kernel.audit import AuditContext


class HoldPlacer(Protocol):
    def __call__(
        self,
        *,
        ctx: AuditContext,
        kind: str,
        reason: str,
        subject_id: str = "",
        model: str = "",
        object_id: str = "",
        rule: str = "",
        reference: str = "",
    ) -> Any: ...


_placer: list[HoldPlacer] = []


def register(placer: HoldPlacer) -> None:
    _placer[:] = [placer]


def place(
    *,
    ctx: AuditContext,
    kind: str,
    reason: str,
    model: str,
    object_id: str | int,
    rule: str,
    reference: str = "",
) -> int:
    """Place a hold on one record for one retention rule; the hold's id. Runs in the caller's
    transaction, so a refused write leaves no hold behind."""
    if not _placer:
        raise RuntimeError("No legal-hold keeper is installed (the privacy app).")
    hold = _placer[0](
        ctx=ctx,
        kind=kind,
        reason=reason,
        model=model,
        object_id=str(object_id),
        rule=rule,
        reference=reference,
    )
    return int(hold.pk)
