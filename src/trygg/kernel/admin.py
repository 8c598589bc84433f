"""Back office: the audit log (read-only) and the mixin that audits staff reads."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy

from trygg.kernel import auditwords, idnumbers
from trygg.kernel.audit import audit_record, audit_record_many, staff_context
from trygg.kernel.models import AuditAction, AuditEvent


class ReadOnlyAdminMixin:
    """A back-office page that shows rows and never adds, changes or deletes them: what it
    shows changes only through the services."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class IdNumberSearchMixin:
    """A change list that lists persons or their records finds the person by identity number
    however a clerk types it: ``19580509-7747``, ``195805097747``, ``580509-7747``,
    ``5805097747``, with spaces or ``+``, organisation numbers and Norwegian numbers alike.

    The term is read by :func:`trygg.kernel.idnumbers.parse` (the one parser) and the stored,
    normalised value is looked up in every path of ``id_number_search_fields``; the ordinary
    ``search_fields`` still apply (a customer number, a policy number)."""

    # ``__``-paths from a row to a stored, normalised identity number.
    id_number_search_fields: tuple[str, ...] = ()

    def id_number_search_values(self, parsed: idnumbers.IdNumber) -> list[str]:
        """The stored forms of ``parsed`` to look for."""
        return [parsed.value]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        results, duplicates = super().get_search_results(  # type: ignore[misc]
            request, queryset, search_term
        )
        parsed = id_number_of(search_term)
        if parsed is None or not self.id_number_search_fields:
            return results, duplicates
        values = self.id_number_search_values(parsed)
        wanted = Q()
        for path in self.id_number_search_fields:
            wanted |= Q(**{f"{path}__in": values})
        return results | queryset.filter(wanted), duplicates


def id_number_of(search_term: str) -> idnumbers.IdNumber | None:
    """The identity number a search term is, in any usual format, or ``None``."""
    text = search_term.strip()
    if not text or len(text) > idnumbers.MAX_INPUT_LENGTH:
        return None
    try:
        return idnumbers.parse(text.replace(" ", ""))
    except idnumbers.IdNumberError:
        return None


class AuditedReadAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Every list or detail page of personal data writes a read event per data subject shown."""

    audit_object_type = ""
    # The attribute path (``__``-separated) from a row to its data subject's id.
    audit_subject_path = "pk"

    def audit_subject(self, obj: Any) -> str | int | None:
        value = obj
        for part in self.audit_subject_path.split("__"):
            value = getattr(value, part, None)
            if value is None:
                return None
        return value  # type: ignore[no-any-return]

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        if isinstance(response, TemplateResponse) and response.context_data:
            changelist = response.context_data.get("cl")
            if changelist is not None:
                audit_record_many(
                    ctx=staff_context(request),
                    action=AuditAction.READ,
                    object_type=self.audit_object_type or self.model._meta.model_name or "",
                    items=[
                        (subject, o.pk)
                        for o in changelist.result_list
                        if (subject := self.audit_subject(o)) is not None
                    ],
                    detail={"view": "list"},
                )
        return response

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        obj: Model | None = (
            (response.context_data or {}).get("original")
            if isinstance(response, TemplateResponse)
            else None
        )
        if obj is not None:
            self.audit_read(request, obj, view="detail")
        return response

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        return self._audited(request, super().history_view(request, object_id, extra_context))

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        return self._audited(request, super().delete_view(request, object_id, extra_context))

    def _audited(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        """The history and delete pages show the object (and the delete page what hangs on
        it): a read, as the change page."""
        context = response.context_data if isinstance(response, TemplateResponse) else None
        obj = (context or {}).get("object")
        if isinstance(obj, Model):
            view = request.resolver_match.url_name if request.resolver_match else ""
            self.audit_read(request, obj, view=(view or "").rsplit("_", 1)[-1])
        return response

    def audit_read(self, request: HttpRequest, obj: Model, *, view: str) -> None:
        """One read event for a page of ``obj`` other than the change page (a decision page,
        a letter): every page of the back office that shows personal data records its read."""
        audit_record(
            ctx=staff_context(request),
            action=AuditAction.READ,
            subject_id=self.audit_subject(obj),
            object_type=self.audit_object_type or self.model._meta.model_name or "",
            object_id=obj.pk,
            detail={"view": view},
        )


class AuditActionFilter(admin.SimpleListFilter):
    """The actions by name in the reader's language."""

    title = gettext_lazy("action")
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [(code, auditwords.ACTION_NAMES.get(code, code)) for code in AuditAction.values]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    """The audit log, each event in words: what was done to what, by whom, through which
    channel (the codes stay in the log, which the chain covers)."""

    list_display = (
        "seq",
        "occurred_at",
        "in_words",
        "actor",
        "actor_label",
        "channel_in_words",
        "subject_id",
        "object_id",
        "ip",
    )
    list_filter = (AuditActionFilter, "channel", "actor_kind", "object_type")
    search_fields = ("=subject_id", "=actor_id", "=object_id", "actor_label")
    ordering = ("-id",)
    list_per_page = 100

    @admin.display(description=gettext_lazy("event"))
    def in_words(self, event: AuditEvent) -> str:
        return auditwords.event_words(event)

    @admin.display(description=gettext_lazy("by"))
    def actor(self, event: AuditEvent) -> str:
        return auditwords.actor_words(event.actor_kind)

    @admin.display(description=gettext_lazy("channel"))
    def channel_in_words(self, event: AuditEvent) -> str:
        return auditwords.channel_words(event.channel)


def admin_page(
    model_admin: admin.ModelAdmin,  # type: ignore[type-arg]
    request: HttpRequest,
    template: str,
    title: str | Promise,
    **context: Any,
) -> TemplateResponse:
    """A back-office page of ``model_admin`` beyond Django's own (a form, a decision, a
    dashboard): the site's frame, the model's breadcrumbs and ``title``."""
    return TemplateResponse(
        request,
        template,
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.model._meta,
            "title": title,
            **context,
        },
    )


# -- destructive and irreversible actions: previewed, then confirmed ----------------------------

CONFIRM = "confirm"
PREVIEWED = "previewed"
T = TypeVar("T")


def _digest(data: dict[str, Any]) -> str:
    """A fingerprint of the input that was previewed (not a secret: the service checks all)."""
    shown = sorted((key, str(value)) for key, value in data.items() if key != "action")
    return hashlib.sha256(repr(shown).encode()).hexdigest()[:32]


def confirmed(request: HttpRequest, form: forms.Form, *, consequence: str | Promise) -> bool:
    """Whether a valid ``form`` for a destructive or irreversible action may be carried out.

    The first submission only checks the input and shows ``consequence`` (what will happen,
    in words) with a box to tick; the action is made when the same input comes back with the
    box ticked. Input changed after the preview is previewed again; nothing changes before.
    The page shows the box through ``admin/_confirm.html`` (``form.confirmation``)."""
    digest = _digest(form.cleaned_data)
    previewed = request.POST.get(PREVIEWED) == digest
    if previewed and request.POST.get(CONFIRM) == "yes":
        return True
    if previewed:
        form.add_error(None, gettext("Tick the box to confirm, or change the input."))
    form.confirmation = {"digest": digest, "consequence": consequence}  # type: ignore[attr-defined]
    return False


# -- work queues: what waits for each role, on the back office's first page ---------------------


@dataclass(frozen=True)
class WorkQueue:
    """Records of ``model`` matching ``lookups`` wait for someone with ``permission``; the
    queue links to the change list filtered by ``query`` (by default the lookups themselves,
    which the admin's filters read alike: ``state__exact``)."""

    label: str | Promise
    permission: str
    model: type[Model]
    lookups: dict[str, Any] = field(default_factory=dict)
    query: dict[str, str] | None = None


WORK_QUEUES: list[WorkQueue] = []


def work_queue_register(queue: WorkQueue) -> None:
    """Add a queue to the back office's first page (each domain's ``admin.py`` adds its own)."""
    if queue not in WORK_QUEUES:
        WORK_QUEUES.append(queue)


def work_queues_for(user: Any) -> list[dict[str, Any]]:
    """The queues ``user``'s roles work on: label, how many wait, and the link to them."""
    shown = []
    for queue in WORK_QUEUES:
        if not user.has_perm(queue.permission):
            continue
        opts = queue.model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        query = queue.query if queue.query is not None else queue.lookups
        shown.append(
            {
                "label": queue.label,
                "count": queue.model._default_manager.filter(**queue.lookups).count(),
                "url": f"{url}?{urlencode(query)}" if query else url,
            }
        )
    return shown


def carried_out_if_confirmed(
    request: HttpRequest,
    form: forms.Form,
    action: Callable[[], T],
    consequence: Callable[[T], str | Promise],
) -> tuple[bool, T]:
    """Run the service call ``action`` for a valid ``form``; keep what it did only when the
    clerk has confirmed it (``confirmed``), else undo it and show ``consequence(result)``: the
    preview is what the service itself would do, its refusals included (a ``DomainError``
    passes through, nothing kept). The services put their side effects after the commit, so
    an undone call leaves nothing behind. Returns (kept, the service's result)."""
    with transaction.atomic():
        result = action()
        kept = confirmed(request, form, consequence=consequence(result))
        if not kept:
            transaction.set_rollback(True)
    return kept, result
