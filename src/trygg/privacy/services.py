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
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from trygg.kernel import bankdays, clock, idnumbers
from trygg.kernel.audit import AuditContext, audit_record
from trygg.kernel.datamap import Expire, Purge
from trygg.kernel.errors import Conflict, NotFound, ValidationFailed
from trygg.kernel.models import AuditAction
from trygg.kernel.money import round_amount
from trygg.parties.models import Party
from trygg.parties.selectors import person_by_id_number
from trygg.privacy import notices, rules, subject
from trygg.privacy.discovery import data_map
from trygg.privacy.models import (
    HoldKind,
    HoldState,
    LegalHold,
    RequestChannel,
    RequestKind,
    RequestState,
    RetentionRun,
    SubjectRequest,
)


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
        if connection.vendor == "postgresql" and not dry_run:
            # Nothing may start protecting a row between the statements below (SQLite has one
            # writer at a time anyway); held until the run commits.
            with connection.cursor() as cursor:
                table = connection.ops.quote_name(related._meta.db_table)
                cursor.execute(f"LOCK TABLE {table} IN SHARE MODE")
        todo = todo.exclude(
            pk__in=related._default_manager.filter(**{f"{field_name}__isnull": False}).values(
                field_name
            )
        )
    # Set-based: the rows to go are named by the same subquery in every statement (children
    # first, then the rows themselves), never as a list of keys through Python. The predicate
    # cannot move under the run: the cut-off is fixed, the holds were read once at its start,
    # and the protecting tables are locked against writes until the run commits.
    count = todo.count()
    kept = expired.count() - count
    if dry_run or not count:
        return count, kept
    if purge.clear:
        # An update has no children: its own predicate (Django names the rows by key only when
        # the predicate joins another table). Through ``pk IN (subquery)`` PostgreSQL, which
        # cannot see how few of the old rows still have the field filled, hashed the subquery
        # and read the whole table.
        return todo.update(**{name: "" for name in purge.clear}), kept
    return _delete_set(model, model._default_manager.filter(pk__in=todo.values("pk"))), kept


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


# -- data subject requests (GDPR Art. 12, 15-17, 19) -------------------------------------------


def _request_error(error: rules.RuleError, message: str) -> ValidationFailed:
    return ValidationFailed(code=error.code, field=error.field, message=message)


def _is_holiday(day: dt.date) -> bool:
    return not bankdays.calendar_for("SE").is_bank_day(day)


def request_deadline(received: dt.date, *, extended: bool = False) -> dt.date:
    return rules.answer_by(received, extended=extended, is_holiday=_is_holiday)


def copy_fee() -> Decimal:
    """What a further copy within the year costs (Art. 15(3), decision 0099)."""
    return round_amount(Decimal(str(settings.TRYGG_PRIVACY_COPY_FEE)))


def copy_terms(party_id: int, received: dt.date) -> tuple[bool, Decimal, dt.date | None]:
    """(free, fee, the first day a copy is free again) of a copy asked for on ``received``:
    one free copy a year (seed 001); a further one costs ``TRYGG_PRIVACY_COPY_FEE``
    (Art. 15(3), decision 0099)."""
    last = (
        SubjectRequest.objects.filter(party_id=party_id, kind=RequestKind.ACCESS, free_copy=True)
        .exclude(state__in=[RequestState.REFUSED, RequestState.WITHDRAWN])
        .order_by("-received_on")
        .values_list("received_on", flat=True)
        .first()
    )
    free = rules.copy_is_free(received, last)
    fee = Decimal(0) if free else copy_fee()
    again = None if free or last is None else rules.months_after(last, rules.FREE_COPY_MONTHS)
    return free, fee, again


def _check_kind(kind: str, details: str) -> None:
    if kind not in RequestKind.values:
        raise ValidationFailed(
            code="request.kind",
            field="kind",
            message=_("Choose what you ask for: a copy of your data, a correction or erasure."),
        )
    if kind == RequestKind.RECTIFICATION and not details.strip():
        raise ValidationFailed(
            code="request.details",
            field="details",
            message=_("Say which data is wrong and what it should be."),
        )


def _check_no_open(party_id: int, kind: str) -> None:
    if SubjectRequest.objects.filter(
        party_id=party_id, kind=kind, state__in=list(rules.OPEN_REQUEST_STATES)
    ).exists():
        raise ValidationFailed(
            code="request.open",
            field="kind",
            message=_("A request of this kind is already being handled; we answer it first."),
        )


def _new_request(
    *,
    ctx: AuditContext,
    party: Party,
    kind: str,
    channel: str,
    details: str,
    received: dt.date,
    verified_how: str,
) -> SubjectRequest:
    free, fee, _again = (
        copy_terms(party.pk, received) if kind == RequestKind.ACCESS else (True, 0, None)
    )
    now = clock.now()
    actor = ctx.actor_label or ctx.actor_kind
    request = SubjectRequest.objects.create(
        party=party,
        subject_ref=party.customer_number,
        kind=kind,
        channel=channel,
        state=RequestState.VERIFIED if verified_how else RequestState.RECEIVED,
        received_on=received,
        due_on=request_deadline(received),
        details=details.strip(),
        verified_how=verified_how,
        verified_by=actor if verified_how else "",
        verified_at=now if verified_how else None,
        free_copy=free,
        fee=fee,
        registered_by=actor,
        created_at=now,
    )
    audit_record(
        ctx=ctx,
        action=AuditAction.CREATE,
        subject_id=party.pk,
        object_type="subject-request",
        object_id=request.pk,
        detail={"kind": kind, "channel": channel, "verified": bool(verified_how)},
    )
    return request


def subject_request_ask(
    *, ctx: AuditContext, party: Party, kind: str, details: str = "", login_method: str = ""
) -> SubjectRequest:
    """A customer's request on My pages: the log-in identified them (the method recorded)."""
    details = (details or "").strip()
    _check_kind(kind, details)
    how = _("Logged in on My pages") + (f" ({login_method})" if login_method else "")
    with transaction.atomic():
        Party.objects.select_for_update().filter(pk=party.pk).first()
        _check_no_open(party.pk, kind)
        return _new_request(
            ctx=ctx,
            party=party,
            kind=kind,
            channel=RequestChannel.PORTAL,
            details=details,
            received=clock.today(),
            verified_how=how,
        )


def subject_request_register(
    *,
    ctx: AuditContext,
    id_number: str,
    kind: str,
    channel: str,
    received_on: dt.date,
    details: str = "",
    verified_how: str = "",
) -> SubjectRequest:
    """Staff register a request that came by letter, telephone or e-mail; its identity check
    (how) now or later (``subject_request_verify``). The deadline runs from receipt."""
    details, verified_how = (details or "").strip(), (verified_how or "").strip()
    _check_kind(kind, details)
    if channel not in RequestChannel.values or channel == RequestChannel.PORTAL:
        raise ValidationFailed(
            code="request.channel",
            field="channel",
            message=_("Choose how the request came: letter, telephone or e-mail."),
        )
    if received_on > clock.today():
        raise ValidationFailed(
            code="request.received_future",
            field="received_on",
            message=_("The date of receipt cannot be after today."),
        )
    try:
        parsed = idnumbers.parse(id_number)
    except idnumbers.IdNumberError:
        parsed = None
    party = person_by_id_number(country=parsed.country, id_number=parsed.value) if parsed else None
    if party is None:
        raise ValidationFailed(
            code="request.unknown_person",
            field="id_number",
            message=_("We hold no customer with this identity number."),
        )
    with transaction.atomic():
        Party.objects.select_for_update().filter(pk=party.pk).first()
        _check_no_open(party.pk, kind)
        return _new_request(
            ctx=ctx,
            party=party,
            kind=kind,
            channel=channel,
            details=details,
            received=received_on,
            verified_how=verified_how,
        )


def _move(*, request_id: int, to: str, changes: dict[str, Any], message: str) -> SubjectRequest:
    """Move a request to ``to`` with ``changes``, once: a conditional update on the state it
    was read in; when another hand moved it first, nothing changes and it is refused."""
    request = SubjectRequest.objects.filter(pk=request_id).first()
    if request is None:
        raise NotFound(_("There is no such request."), code="request.not_found")
    try:
        rules.check_request_move(request.state, to)
    except rules.RuleError as error:
        raise _request_error(error, message) from error
    done = SubjectRequest.objects.filter(pk=request_id, state=request.state).update(
        state=to, **changes
    )
    if not done:
        raise Conflict(_("The request was handled meanwhile; look again."), code="request.raced")
    request.refresh_from_db()
    return request


def _audit_request(ctx: AuditContext, request: SubjectRequest, **detail: Any) -> None:
    audit_record(
        ctx=ctx,
        action=AuditAction.UPDATE,
        subject_id=request.party_id,
        object_type="subject-request",
        object_id=request.pk,
        detail={"state": request.state, **detail},
    )


def subject_request_verify(*, ctx: AuditContext, request_id: int, how: str) -> SubjectRequest:
    """Record that, and how, the person's identity was verified."""
    how = (how or "").strip()
    if not how:
        raise ValidationFailed(
            code="request.verified_how",
            field="how",
            message=_(
                "Say how the identity was verified (for instance a call-back to the "
                "registered number, or a letter to the registered address)."
            ),
        )
    with transaction.atomic():
        request = _move(
            request_id=request_id,
            to=RequestState.VERIFIED,
            changes={
                "verified_how": how[:200],
                "verified_by": ctx.actor_label or ctx.actor_kind,
                "verified_at": clock.now(),
            },
            message=_("Only a request just received can have its identity verified."),
        )
        _audit_request(ctx, request, verified_how=how[:200])
    return request


def subject_request_extend(*, ctx: AuditContext, request_id: int, reason: str) -> SubjectRequest:
    """Extend the deadline by two months, the reasons told to the person (Art. 12(3))."""
    reason = (reason or "").strip()
    request = SubjectRequest.objects.filter(pk=request_id).first()
    if request is None:
        raise NotFound(_("There is no such request."), code="request.not_found")
    try:
        rules.check_extension(request.received_on, clock.today(), reason)
    except rules.RuleError as error:
        messages = {
            "request.extension_reason": _("Give the person the reasons for the delay."),
            "request.extension_late": _(
                "The extension must be decided within one month of receipt."
            ),
        }
        raise _request_error(error, str(messages[error.code])) from error
    with transaction.atomic():
        request = _move(
            request_id=request_id,
            to=RequestState.EXTENDED,
            changes={
                "extension_reason": reason,
                "due_on": request_deadline(request.received_on, extended=True),
            },
            message=_("Only a verified request being handled can be extended, and only once."),
        )
        _audit_request(ctx, request, due_on=request.due_on.isoformat())
    return request


def subject_request_refuse(*, ctx: AuditContext, request_id: int, reason: str) -> SubjectRequest:
    """Refuse a request (identity not verified, manifestly unfounded), the reasons given."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            code="request.refuse_reason",
            field="reason",
            message=_("Give the person the reasons for the refusal."),
        )
    with transaction.atomic():
        request = _move(
            request_id=request_id,
            to=RequestState.REFUSED,
            changes={
                "answer": reason,
                "closed_by": ctx.actor_label or ctx.actor_kind,
                "closed_at": clock.now(),
            },
            message=_("This request is already closed."),
        )
        _audit_request(ctx, request)
    return request


def _field_labels() -> dict[str, str]:
    """Every personal field of the map as "app_label.Model.field"."""
    return {
        f"{label}.{name}": str(p.processing)
        for label, entry in data_map().models.items()
        for name, p in entry.personal().items()
    }


def subject_request_complete(
    *,
    ctx: AuditContext,
    request_id: int,
    answer: str = "",
    corrected: Iterable[str] = (),
) -> SubjectRequest:
    """Answer a verified request. Access: the complete export is made and kept for the person
    to download. Rectification: the corrected fields are named ("app.Model.field"), and each
    recipient of their processings is told, or recorded as not possible and why (Art. 19,
    ``privacy.notices``). Erasure: what the law
    allows is erased at once, every kept part explained by its rule; a legal hold or a contract
    in force refuses the erasure and nothing changes."""
    request = SubjectRequest.objects.filter(pk=request_id).first()
    if request is None:
        raise NotFound(_("There is no such request."), code="request.not_found")
    if request.party_id is None:
        raise ValidationFailed(
            code="request.no_person", field="party", message=_("The person's data is gone.")
        )
    language = _language_of(request.party_id)
    changes: dict[str, Any] = {
        "answer": (answer or "").strip(),
        "closed_by": ctx.actor_label or ctx.actor_kind,
        "closed_at": clock.now(),
    }
    with transaction.atomic():
        if request.kind == RequestKind.ACCESS:
            document = subject.person_export(request.party_id, language)
            changes["export"] = document
            changes["outcome"] = {
                "sections": len(document["data"]),
                "rows": sum(len(s["rows"]) for s in document["data"]),
            }
        elif request.kind == RequestKind.RECTIFICATION:
            names = sorted({c.strip() for c in corrected if c.strip()})
            known = _field_labels()
            unknown = [n for n in names if n not in known]
            if not names or unknown:
                raise ValidationFailed(
                    code="request.corrected",
                    field="corrected",
                    message=_(
                        "Name the corrected fields from the personal-data map "
                        "(app.Model.field): %(unknown)s"
                    )
                    % {"unknown": ", ".join(unknown) or "-"},
                )
            changes["outcome"] = {
                "corrected": names,
                "notified_on": clock.today().isoformat(),
            }
        else:
            changes["outcome"] = _erase(ctx=ctx, request=request)
        request = _move(
            request_id=request_id,
            to=RequestState.COMPLETED,
            changes=changes,
            message=_("Only a verified request being handled can be answered."),
        )
        if request.kind == RequestKind.RECTIFICATION:
            notices.notices_write(ctx=ctx, request=request, fields=changes["outcome"]["corrected"])
        _audit_request(ctx, request, outcome=_outcome_summary(request))
    return request


def _outcome_summary(request: SubjectRequest) -> dict[str, Any]:
    outcome = dict(request.outcome)
    outcome.pop("recipients_notified", None)
    return outcome


def _language_of(party_id: int) -> str:
    language = Party.objects.filter(pk=party_id).values_list("preferred_language", flat=True)
    code = (language.first() or "sv")[:2]
    return code if code in {"sv", "nb", "en"} else "en"


def _erase(*, ctx: AuditContext, request: SubjectRequest) -> dict[str, Any]:
    """Erase what the plan allows, inside the caller's transaction; refuse on a hold or a
    contract in force (nothing changed)."""
    assert request.party_id is not None
    plan = subject.erasure_plan(request.party_id, clock.today())
    if plan.holds:
        raise ValidationFailed(
            code="erasure.held",
            field="kind",
            message=_(
                "The data is under a legal hold (a police report, a dispute, a claim or an "
                "authority's request) and cannot be erased until the hold is lifted."
            ),
        )
    if plan.contracts:
        raise ValidationFailed(
            code="erasure.contract",
            field="kind",
            message=_(
                "The person has a contract in force (%(contracts)s): the data it needs cannot "
                "be erased until it ends."
            )
            % {"contracts": ", ".join(_describe(plan.contracts))},
        )
    erased: dict[str, int] = {}
    todo = {label: set(keys) for label, keys in plan.erase.items()}
    # Rows another erased row still refers to are deleted after it: passes until none moves.
    while todo:
        progress = False
        for label in sorted(todo):
            model = apps.get_model(label)
            try:
                with transaction.atomic():
                    model._default_manager.filter(pk__in=list(todo[label])).delete()
            except (models.ProtectedError, models.RestrictedError):
                continue
            erased[label] = len(todo.pop(label))
            progress = True
        if not progress:
            break
    for label, keys in todo.items():  # refused by a record outside the person's data
        plan.kept.setdefault(subject.REFERENCED, {}).setdefault(label, set()).update(keys)
    kept = {
        reason: {label: len(keys) for label, keys in per.items()}
        for reason, per in plan.kept.items()
    }
    audit_record(
        ctx=ctx,
        action=AuditAction.DELETE,
        subject_id=request.party_id,
        object_type="erasure",
        object_id=request.pk,
        detail={"erased": erased, "kept": kept},
    )
    return {"erased": erased, "kept": kept}


def _describe(rows: dict[str, set[Any]]) -> list[str]:
    return [
        f"{apps.get_model(label)._meta.verbose_name} {obj}"
        for label, keys in sorted(rows.items())
        for obj in apps.get_model(label)._default_manager.filter(pk__in=list(keys))[:5]
    ]
