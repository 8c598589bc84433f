"""Privacy writes: legal holds (placed, lifted) and the retention run.

The retention run takes every rule of ``rules.RULES`` and every table the apps' ``personal_data``
modules tie to it (``RETENTION``), and deletes, or anonymises, the rows whose date lies on or
before the rule's cut-off for the business date, in set-based statements (one ``DELETE`` or
``UPDATE`` per table and rule, what depends on a row deleted with it by a subquery), except the
rows a legal hold keeps and those another record still protects. It keeps a report of the
counts per rule and table (``RetentionRun``) and writes one audit event. A dry run counts and
deletes nothing. A rule whose data does not exist yet (tickets, recordings, surveys ...) is in
the report with no tables: it applies as soon as an app ties a table to it.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from trygg.kernel import clock
from trygg.kernel.audit import AuditContext, audit_record
from trygg.kernel.datamap import Expire, Purge
from trygg.kernel.errors import NotFound, ValidationFailed
from trygg.kernel.models import AuditAction
from trygg.privacy import rules
from trygg.privacy.discovery import data_map
from trygg.privacy.models import HoldKind, HoldState, LegalHold, RetentionRun


def _field_error(error: rules.RuleError) -> ValidationFailed:
    return ValidationFailed(code=error.code, field=error.field, message=error.message)


def hold_place(
    *,
    ctx: AuditContext,
    kind: str,
    reason: str,
    subject_id: str = "",
    model: str = "",
    object_id: str = "",
    rule: str = "",
    reference: str = "",
) -> LegalHold:
    """Keep a data subject's data (every rule, or one), or one record, past its retention."""
    reason = (reason or "").strip()
    if kind not in HoldKind.values:
        raise ValidationFailed(
            code="hold.kind",
            field="kind",
            message=_("Choose the kind of hold: police report, dispute, claim or authority."),
        )
    if not reason:
        raise ValidationFailed(
            code="hold.reason", field="reason", message=_("Say why the data must be kept.")
        )
    if rule and rule not in rules.RULES:
        raise ValidationFailed(
            code="hold.rule", field="rule", message=_("There is no such retention rule.")
        )
    if not subject_id and not (model and object_id):
        raise ValidationFailed(
            code="hold.target",
            field="subject_id",
            message=_("Name the person, or the kind of record and the record, to keep."),
        )
    if model:
        try:
            apps.get_model(model)
        except (LookupError, ValueError):
            raise ValidationFailed(
                code="hold.model", field="model", message=_("There is no such kind of record.")
            ) from None
    with transaction.atomic():
        hold = LegalHold.objects.create(
            kind=kind,
            reason=reason,
            subject_id=str(subject_id),
            model=model,
            object_id=str(object_id),
            rule=rule,
            reference=reference,
            placed_by=ctx.actor_label or ctx.actor_kind,
            placed_at=clock.now(),
        )
        audit_record(
            ctx=ctx,
            action=AuditAction.CREATE,
            subject_id=subject_id or None,
            object_type="legal-hold",
            object_id=hold.pk,
            detail={"kind": kind, "rule": rule, "model": model, "object_id": str(object_id)},
        )
    return hold


def hold_lift(*, ctx: AuditContext, hold_id: int, reason: str) -> LegalHold:
    """Lift a hold: the data it kept goes with the next retention run if its period has passed."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            code="hold.lift_reason",
            field="lift_reason",
            message=_("Say why the hold is lifted."),
        )
    with transaction.atomic():
        hold = LegalHold.objects.select_for_update().filter(pk=hold_id).first()
        if hold is None:
            raise NotFound(_("There is no such legal hold."), code="hold.not_found")
        try:
            rules.check_move(rules.HOLD_TRANSITIONS, hold.state, HoldState.LIFTED)
        except rules.RuleError as error:
            raise ValidationFailed(
                code=error.code, field="state", message=_("This hold is already lifted.")
            ) from error
        hold.state = HoldState.LIFTED
        hold.lifted_by = ctx.actor_label or ctx.actor_kind
        hold.lifted_at = clock.now()
        hold.lift_reason = reason
        hold.save(update_fields=["state", "lifted_by", "lifted_at", "lift_reason"])
        audit_record(
            ctx=ctx,
            action=AuditAction.UPDATE,
            subject_id=hold.subject_id or None,
            object_type="legal-hold",
            object_id=hold.pk,
            detail={"lifted": reason},
        )
    return hold


# -- the retention run -------------------------------------------------------------------------


def _day_end(day: dt.date) -> dt.datetime:
    """The first instant after ``day`` in the business time zone."""
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=tz)


def _expired(model: type[models.Model], purge: Purge, cut: dt.date) -> QuerySet[Any]:
    field = model._meta.get_field(purge.date_field)
    bound: dt.date | dt.datetime
    if isinstance(field, models.DateTimeField):
        lookup, bound = f"{purge.date_field}__lt", _day_end(cut)
    else:
        lookup, bound = f"{purge.date_field}__lte", cut
    return model._default_manager.filter(**{lookup: bound}, **purge.when)


def _held(purge: Purge, holds: list[LegalHold]) -> Q | None:
    """The rows of ``purge``'s table that active holds keep."""
    applying = [h for h in holds if h.rule in ("", purge.rule)]
    subjects = sorted({h.subject_id for h in applying if h.subject_id})
    objects = sorted({h.object_id for h in applying if h.model == purge.model and h.object_id})
    condition = Q()
    if subjects:
        for path in purge.subjects:
            condition |= Q(**{f"{path}__in": subjects})
    if objects:
        condition |= Q(pk__in=objects)
    return condition or None


def _protecting(model: type[models.Model]) -> Iterable[tuple[type[models.Model], str]]:
    """(related model, its field) of the foreign keys that forbid deleting ``model``'s rows."""
    for relation in model._meta.related_objects:
        if relation.on_delete in (models.PROTECT, models.RESTRICT) and not relation.many_to_many:
            yield relation.related_model, relation.field.name


def _delete_set(model: type[models.Model], rows: QuerySet[Any]) -> int:
    """Delete ``rows`` and, first, the rows that cascade from them: one statement per table,
    the parent rows named by a subquery. Returns the parent rows deleted."""
    for relation in model._meta.related_objects:
        child = relation.related_model
        field_name = relation.field.name
        keys = rows.values("pk")
        if relation.many_to_many:
            through = relation.through  # type: ignore[attr-defined]
            for f in through._meta.fields:
                if f.is_relation and f.related_model is model:
                    through._default_manager.filter(**{f"{f.name}__in": keys})._raw_delete(
                        through._default_manager.db
                    )
            continue
        if relation.on_delete is models.CASCADE:
            _delete_set(child, child._default_manager.filter(**{f"{field_name}__in": keys}))
        elif relation.on_delete is models.SET_NULL:
            child._default_manager.filter(**{f"{field_name}__in": keys}).update(
                **{field_name: None}
            )
    return int(rows._raw_delete(rows.db))


def _apply(purge: Purge, cut: dt.date, holds: list[LegalHold], dry_run: bool) -> tuple[int, int]:
    """(rows deleted or anonymised, rows kept by a hold or a protecting record)."""
    model = apps.get_model(purge.model)
    expired = _expired(model, purge, cut)
    if purge.clear:
        expired = expired.exclude(Q(**{name: "" for name in purge.clear}))
    held = _held(purge, holds)
    todo = expired.exclude(held) if held is not None else expired
    for related, field_name in _protecting(model):
        todo = todo.exclude(
            pk__in=related._default_manager.filter(**{f"{field_name}__isnull": False}).values(
                field_name
            )
        )
    # Evaluated to a list of keys once: the statements below must not see a moving target.
    keys = list(todo.values_list("pk", flat=True))
    kept = expired.count() - len(keys)
    if dry_run or not keys:
        return len(keys), kept
    done = 0
    for start in range(0, len(keys), 10000):
        chunk = model._default_manager.filter(pk__in=keys[start : start + 10000])
        if purge.clear:
            done += chunk.update(**{name: "" for name in purge.clear})
        else:
            done += _delete_set(model, chunk)
    return done, kept


def retention_run(*, ctx: AuditContext, on: dt.date, dry_run: bool = False) -> RetentionRun:
    """Delete or anonymise what passed its retention on business date ``on``; see the module."""
    try:
        rules.check_run_date(on, clock.today())
    except rules.RuleError as error:
        raise _field_error(error) from error
    purges = data_map().purges
    unknown = sorted({p.rule for p in purges} - set(rules.RULES))
    if unknown:
        raise ValidationFailed(
            code="retention.unknown_rule",
            field="rule",
            message=f"The personal-data map names rules that do not exist: {', '.join(unknown)}",
        )
    run = RetentionRun(
        run_date=on,
        dry_run=dry_run,
        started_at=clock.now(),
        actor=ctx.actor_label or ctx.actor_kind,
    )
    counts: dict[str, dict[str, int]] = {code: {} for code in rules.RULES}
    held: dict[str, dict[str, int]] = {code: {} for code in rules.RULES}
    with transaction.atomic():
        holds = list(LegalHold.objects.filter(state=HoldState.ACTIVE))
        for code, retention in rules.RULES.items():
            cut = rules.cutoff(retention, on)
            for purge in (p for p in purges if p.rule == code):
                if isinstance(purge, Expire):
                    done, kept = purge.expire(on, dry_run), 0
                else:
                    done, kept = _apply(purge, cut, holds, dry_run)
                counts[code][purge.model] = counts[code].get(purge.model, 0) + done
                if kept:
                    held[code][purge.model] = held[code].get(purge.model, 0) + kept
        run.counts, run.held = counts, {k: v for k, v in held.items() if v}
        run.finished_at = clock.now()
        run.save()
        audit_record(
            ctx=ctx,
            action=AuditAction.DELETE if not dry_run else AuditAction.READ,
            object_type="retention-run",
            object_id=run.pk,
            detail={
                "date": on.isoformat(),
                "dry_run": dry_run,
                "counts": {k: v for k, v in counts.items() if any(v.values())},
            },
        )
    return run
