"""Back office of the protection service: the 24/7 agent's blocking call (find the customer, go
through every registered item, add lost items on the spot, the report's questions, close with
what to tell the caller), the callback queue with each task's age, the calls with the
five-minute promise measured per call, and the issuer directory."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.kernel import clock
from trygg.kernel.admin import (
    AuditedReadAdmin,
    IdNumberSearchMixin,
    ReadOnlyAdminMixin,
    WorkQueue,
    admin_page,
    work_queue_register,
)
from trygg.kernel.audit import audit_record, staff_context
from trygg.kernel.errors import DomainError
from trygg.kernel.forms import apply_problems
from trygg.kernel.models import AuditAction
from trygg.parties.models import Letter, Party
from trygg.protection import keytags, rules, selectors, services
from trygg.protection.forms import refuse
from trygg.protection.letters import registration_form_pdf, report_of, report_pdf
from trygg.protection.models import (
    Agreement,
    AgreementLetter,
    Block,
    BlockingCall,
    Callback,
    CallState,
    CaseStep,
    DisputedClaim,
    DocumentKind,
    FoundKeysCase,
    FoundSource,
    IdTheftCase,
    Invoice,
    Issuer,
    Item,
    ItemKind,
    ItemSource,
    KeyTag,
    KeyTagBatch,
    LegalEntity,
    OcrFile,
    Payment,
    Product,
)
from trygg.protection.payments import ocr_import
from trygg.protection.report_letters import PURPOSE as REPORT_PURPOSE
from trygg.protection.report_letters import report_letter
from trygg.protection.services import ItemInput, ReportAnswers

YES_NO = [("", "–"), ("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class StartForm(forms.Form):
    customer = forms.CharField(
        label=gettext_lazy("Identity number, organisation number or customer number"),
        max_length=40,
    )
    spoke_with = forms.CharField(label=gettext_lazy("Speaking with"), max_length=120)


class ItemForm(forms.Form):
    """A lost item the customer never registered, registered on the spot."""

    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=ItemKind.choices)
    issuer = forms.ChoiceField(label=gettext_lazy("Issuer"), choices=())
    card_type = forms.CharField(label=gettext_lazy("Card type"), required=False, max_length=60)
    ks = forms.CharField(label=gettext_lazy("KS (last 4 digits)"), required=False, max_length=4)
    imei = forms.CharField(label=gettext_lazy("IMEI (*#06#)"), required=False, max_length=20)
    document_kind = forms.ChoiceField(
        label=gettext_lazy("Document"),
        choices=[("", "–"), *DocumentKind.choices],
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        issuer_field = self.fields["issuer"]
        assert isinstance(issuer_field, forms.ChoiceField)
        issuer_field.choices = [
            (i.code, f"{i.name} ({i.get_kind_display()})") for i in selectors.issuers()
        ]

    def item(self) -> ItemInput:
        data = self.cleaned_data
        return ItemInput(
            kind=data["kind"],
            issuer=data["issuer"],
            card_type=data["card_type"],
            ks=data["ks"],
            imei=data["imei"],
            document_kind=data["document_kind"],
        )


class CloseForm(forms.Form):
    """The blocking report's questions (seed 004), and one choice per registered item."""

    how_lost = forms.CharField(
        label=gettext_lazy("How did the items go astray?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    how_kept = forms.CharField(
        label=gettext_lazy("How were they kept?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    discovered_at = forms.DateTimeField(
        label=gettext_lazy("Loss discovered (date and time)"), required=False
    )
    last_seen_at = forms.DateTimeField(
        label=gettext_lazy("Last seen (date and time)"), required=False
    )
    place = forms.CharField(label=gettext_lazy("Place of the loss"), required=False)
    country = forms.CharField(
        label=gettext_lazy("Country (NO, SE, …)"), required=False, max_length=2
    )
    police_report = forms.ChoiceField(
        label=gettext_lazy("Reported to the police?"), choices=YES_NO, required=False
    )
    id_data_lost = forms.ChoiceField(
        label=gettext_lazy("Were ID data lost with them?"), choices=YES_NO, required=False
    )
    code_written_down = forms.ChoiceField(
        label=gettext_lazy("Was the code of any card written down?"),
        choices=YES_NO,
        required=False,
    )
    replacement_wanted = forms.ChoiceField(
        label=gettext_lazy("Order replacement cards where possible?"),
        choices=YES_NO,
        required=False,
    )

    def __init__(self, *args: Any, items: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"item_{item.pk}"] = forms.ChoiceField(
                label=str(item),
                choices=[("block", _("Lost: block")), ("keep", _("Not lost"))],
                widget=forms.RadioSelect,
                error_messages={"required": _("Confirm this item: block it or not.")},
            )

    def item_fields(self) -> list[tuple[Any, Any]]:
        return [(item, self[f"item_{item.pk}"]) for item in self.items]

    def tie_to(self, form_id: str) -> None:
        """The questions stand below the form for unregistered items, outside the call's form
        element, and belong to it through their ``form`` attribute."""
        for name, field in self.fields.items():
            if not name.startswith("item_"):
                field.widget.attrs["form"] = form_id

    def question_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if not name.startswith("item_")]

    def chosen(self) -> list[int]:
        return [item.pk for item in self.items if self.cleaned_data[f"item_{item.pk}"] == "block"]

    def kept(self) -> list[int]:
        return [item.pk for item in self.items if self.cleaned_data[f"item_{item.pk}"] == "keep"]

    def answers(self) -> ReportAnswers:
        data = self.cleaned_data
        return ReportAnswers(
            how_lost=data["how_lost"],
            how_kept=data["how_kept"],
            discovered_at=data["discovered_at"],
            last_seen_at=data["last_seen_at"],
            place=data["place"],
            country=(data["country"] or "").upper(),
            police_report=_yes_no(data["police_report"]),
            id_data_lost=_yes_no(data["id_data_lost"]),
            code_written_down=_yes_no(data["code_written_down"]),
            replacement_wanted=_yes_no(data["replacement_wanted"]),
        )


def _tied(form: CloseForm) -> CloseForm:
    form.tie_to("close-call")
    return form


class BlockInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Block
    extra = 0
    can_delete = False
    fields = ("item", "issuer", "state", "attempts", "sent_at", "answered_at", "issuer_reference")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(BlockingCall)
class BlockingCallAdmin(IdNumberSearchMixin, ReadOnlyAdminMixin, AuditedReadAdmin):
    audit_object_type = "blocking_call"
    audit_subject_path = "customer_id"
    list_display = (
        "number",
        "customer",
        "spoke_with",
        "state",
        "opened_at",
        "closed_at",
        "time_to_blocked",
    )
    list_filter = ("state",)
    search_fields = ("=number", "=customer__id_number", "=customer__customer_number")
    id_number_search_fields = ("customer__id_number",)
    list_select_related = ("customer",)
    readonly_fields = [*(f.name for f in BlockingCall._meta.fields), "report_letter"]
    inlines = [BlockInline]
    change_list_template = "admin/protection/blockingcall/change_list.html"

    @admin.display(description=gettext_lazy("Blocking report by post"))
    def report_letter(self, call: BlockingCall) -> str:
        letter = Letter.objects.filter(purpose=REPORT_PURPOSE, reference=call.number).first()
        if letter is None:
            return "–"
        shown = str(letter.get_state_display())
        if letter.tracking_number:
            shown += f", {letter.tracking_number} ({letter.carrier})"
        return shown

    @admin.display(description=gettext_lazy("All blocked after"))
    def time_to_blocked(self, call: BlockingCall) -> str:
        if call.closed_at is None or call.completed_at is None:
            return "–"
        seconds = int((call.completed_at - call.closed_at).total_seconds())
        mark = "" if rules.within_promise(call.closed_at, call.completed_at) else " ⚠"
        return f"{seconds // 60}:{seconds % 60:02d}{mark}"

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        since = clock.now() - dt.timedelta(days=30)
        done = BlockingCall.objects.filter(
            closed_at__gte=since, completed_at__isnull=False
        ).values_list("closed_at", "completed_at")
        within = sum(
            1
            for closed, completed in done
            if closed and completed and rules.within_promise(closed, completed)
        )
        return super().changelist_view(
            request,
            {
                **(extra_context or {}),
                "promise": {
                    "calls": len(done),
                    "within": within,
                    "open_callbacks": selectors.callbacks_open().count(),
                },
            },
        )

    def get_urls(self) -> list[Any]:
        own = [
            path(
                "start/",
                self.admin_site.admin_view(self.start_view),
                name="protection_blockingcall_start",
            ),
            path(
                "<id:object_id>/work/",
                self.admin_site.admin_view(self.work_view),
                name="protection_blockingcall_work",
            ),
            path(
                "<id:object_id>/item/",
                self.admin_site.admin_view(self.item_view),
                name="protection_blockingcall_item",
            ),
            path(
                "<id:object_id>/abandon/",
                self.admin_site.admin_view(self.abandon_view),
                name="protection_blockingcall_abandon",
            ),
            path(
                "<id:object_id>/report/",
                self.admin_site.admin_view(self.report_view),
                name="protection_blockingcall_report",
            ),
            path(
                "<id:object_id>/closed/",
                self.admin_site.admin_view(self.closed_view),
                name="protection_blockingcall_closed",
            ),
        ]
        return own + super().get_urls()

    def _page(
        self, request: HttpRequest, template: str, title: str, **context: Any
    ) -> HttpResponse:
        return admin_page(
            self, request, f"admin/protection/blockingcall/{template}", title, **context
        )

    @staticmethod
    def _may_call(request: HttpRequest) -> None:
        if not request.user.has_perm("protection.add_blockingcall"):
            raise DjangoPermissionDenied

    def start_view(self, request: HttpRequest) -> HttpResponse:
        self._may_call(request)
        form = StartForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            ctx = staff_context(request)
            try:
                with transaction.atomic():
                    customer = selectors.customer_find(ctx=ctx, text=form.cleaned_data["customer"])
                    call = services.call_open(
                        ctx=ctx,
                        agent_id=int(request.user.pk or 0),
                        customer=customer,
                        spoke_with=form.cleaned_data["spoke_with"],
                    )
            except DomainError as error:
                refuse(form, error)
            else:
                return HttpResponseRedirect(
                    reverse("admin:protection_blockingcall_work", args=[call.pk])
                )
        return self._page(request, "start.html", _("Blocking call: find the customer"), form=form)

    def _open_call(self, request: HttpRequest, call_id: int) -> BlockingCall:
        self._may_call(request)
        call = selectors.call_read(ctx=staff_context(request), call_id=call_id)
        return call

    def work_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        call = self._open_call(request, object_id)
        if call.state != CallState.OPEN:
            return HttpResponseRedirect(
                reverse("admin:protection_blockingcall_closed", args=[call.pk])
            )
        items = selectors.items_of(ctx=staff_context(request), customer=call.customer)
        form = CloseForm(request.POST or None, items=items)
        form.tie_to("close-call")
        if request.method == "POST" and form.is_valid():
            try:
                services.call_close(
                    ctx=staff_context(request),
                    call_id=call.pk,
                    block_item_ids=form.chosen(),
                    kept_item_ids=form.kept(),
                    answers=form.answers(),
                )
            except DomainError as error:
                refuse(form, error)
            else:
                return HttpResponseRedirect(
                    reverse("admin:protection_blockingcall_closed", args=[call.pk])
                )
        return self._page(
            request,
            "work.html",
            _("Blocking call %(number)s") % {"number": call.number},
            call=call,
            form=form,
            item_form=ItemForm(),
        )

    def item_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        call = self._open_call(request, object_id)
        if request.method != "POST" or call.state != CallState.OPEN:
            return HttpResponseRedirect(
                reverse("admin:protection_blockingcall_work", args=[call.pk])
            )
        item_form = ItemForm(request.POST)
        if item_form.is_valid():
            try:
                item = services.item_register(
                    ctx=staff_context(request),
                    customer=call.customer,
                    data=item_form.item(),
                    source=ItemSource.CALL,
                )
            except DomainError as error:
                refuse(item_form, error)
            else:
                messages.success(request, _("%(item)s is registered.") % {"item": item})
                return HttpResponseRedirect(
                    reverse("admin:protection_blockingcall_work", args=[call.pk])
                )
        items = selectors.items_of(ctx=staff_context(request), customer=call.customer)
        return self._page(
            request,
            "work.html",
            _("Blocking call %(number)s") % {"number": call.number},
            call=call,
            form=_tied(CloseForm(items=items)),
            item_form=item_form,
        )

    def abandon_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        call = self._open_call(request, object_id)
        if request.method != "POST":
            return HttpResponseRedirect(
                reverse("admin:protection_blockingcall_work", args=[call.pk])
            )
        try:
            services.call_abandon(ctx=staff_context(request), call_id=call.pk)
        except DomainError as error:
            messages.error(request, error.message)
        return HttpResponseRedirect(reverse("admin:protection_blockingcall_changelist"))

    def closed_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        call = self._open_call(request, object_id)
        blocks = selectors.blocks_of(call)
        advice = rules.closing_advice(
            ((rules.ItemKind(b.item.kind), b.issuer.terms()) for b in blocks),
            replacement_wanted=bool(call.replacement_wanted),
        )
        names = {b.issuer.code: b.issuer for b in blocks}
        return self._page(
            request,
            "closed.html",
            _("Blocking call %(number)s") % {"number": call.number},
            call=call,
            blocks=blocks,
            ordered=[names[code] for code in advice.replacement_ordered],
            yourself=[names[code] for code in advice.contact_yourself],
            letter=report_letter(ctx=staff_context(request), call=call),
        )

    def report_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """The blocking report as the customer receives it, in the customer's language."""
        if not request.user.has_perm("protection.view_blockingcall"):
            raise DjangoPermissionDenied
        call = selectors.call_read(ctx=staff_context(request), call_id=object_id)
        if call.state not in (CallState.CLOSED, CallState.COMPLETED):
            messages.error(request, _("The call is not closed yet."))
            return HttpResponseRedirect(
                reverse("admin:protection_blockingcall_work", args=[call.pk])
            )
        report = report_of(call, selectors.blocks_of(call), language=call.language)
        response = HttpResponse(report_pdf(report), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{call.number}.pdf"'
        return response


class CallbackForm(forms.Form):
    outcome = forms.CharField(
        label=gettext_lazy("Outcome of the call to the customer"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    send_again = forms.BooleanField(
        label=gettext_lazy("Send the block again (the data is corrected)"), required=False
    )


@admin.register(Callback)
class CallbackAdmin(ReadOnlyAdminMixin, AuditedReadAdmin):
    audit_object_type = "callback"
    audit_subject_path = "block__call__customer_id"
    list_display = ("block", "customer", "issuer", "reason", "created_at", "age", "done_at")
    list_filter = (("done_at", admin.EmptyFieldListFilter),)
    list_select_related = ("block__call__customer", "block__issuer")
    readonly_fields = ("block", "created_at", "done_at", "done_by", "outcome")
    ordering = ("done_at", "created_at")

    @admin.display(description=gettext_lazy("customer"))
    def customer(self, callback: Callback) -> str:
        return str(callback.block.call.customer)

    @admin.display(description=gettext_lazy("issuer"))
    def issuer(self, callback: Callback) -> str:
        return callback.block.issuer.name

    @admin.display(description=gettext_lazy("reason"))
    def reason(self, callback: Callback) -> str:
        return str(callback.block.get_state_display())

    @admin.display(description=gettext_lazy("age"))
    def age(self, callback: Callback) -> str:
        end = callback.done_at or clock.now()
        minutes = int((end - callback.created_at).total_seconds() // 60)
        return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"

    def get_urls(self) -> list[Any]:
        own = [
            path(
                "<id:object_id>/done/",
                self.admin_site.admin_view(self.done_view),
                name="protection_callback_done",
            )
        ]
        return own + super().get_urls()

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        return super().change_view(
            request,
            object_id,
            form_url,
            {**(extra_context or {}), "done_form": CallbackForm()},
        )

    def done_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        if not request.user.has_perm("protection.change_callback"):
            raise DjangoPermissionDenied
        callback = get_object_or_404(Callback.objects.select_related("block__call"), pk=object_id)
        audit_record(
            ctx=staff_context(request),
            action=AuditAction.READ,
            subject_id=callback.block.call.customer_id,
            object_type="callback",
            object_id=callback.pk,
        )
        form = CallbackForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.callback_done(
                    ctx=staff_context(request),
                    callback_id=callback.pk,
                    user_id=int(request.user.pk or 0),
                    outcome=form.cleaned_data["outcome"],
                    send_again=form.cleaned_data["send_again"],
                )
            except DomainError as error:
                apply_problems(form, error)
            else:
                return HttpResponseRedirect(reverse("admin:protection_callback_changelist"))
        return admin_page(
            self,
            request,
            "admin/protection/blockingcall/form.html",
            _("Callback about %(block)s") % {"block": callback.block},
            form=form,
        )


class CustomerSearchForm(forms.Form):
    customer = forms.CharField(
        label=gettext_lazy("Personal identity number, organisation number or customer number"),
        max_length=40,
    )


class PaperCustomerForm(forms.Form):
    customer = forms.CharField(
        label=gettext_lazy("Identity number, organisation number or customer number"),
        max_length=40,
    )


class PaperLineForm(ItemForm):
    """One line of a returned registration form; an empty line is skipped."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
        kind_field = self.fields["kind"]
        assert isinstance(kind_field, forms.ChoiceField)
        kind_field.choices = [("", "–"), *ItemKind.choices]


PaperLines = forms.formset_factory(PaperLineForm, extra=6)


@admin.register(Item)
class ItemAdmin(IdNumberSearchMixin, ReadOnlyAdminMixin, AuditedReadAdmin):
    audit_object_type = "protected_item"
    audit_subject_path = "customer_id"
    list_display = (
        "customer",
        "kind",
        "issuer",
        "card_type",
        "ks",
        "imei",
        "document_kind",
        "source",
    )
    list_filter = ("kind", "source")
    search_fields = ("=customer__id_number", "=customer__customer_number")
    id_number_search_fields = ("customer__id_number",)
    list_select_related = ("customer", "issuer")
    readonly_fields = [f.name for f in Item._meta.fields]
    change_list_template = "admin/protection/item/change_list.html"

    def get_urls(self) -> list[Any]:
        own = [
            path(
                "paper/", self.admin_site.admin_view(self.paper_view), name="protection_item_paper"
            ),
            path(
                "form.pdf",
                self.admin_site.admin_view(self.form_view),
                name="protection_item_form",
            ),
            path(
                "customer/",
                self.admin_site.admin_view(self.customer_find_view),
                name="protection_item_customer_find",
            ),
            path(
                "customer/<id:party_id>/",
                self.admin_site.admin_view(self.customer_view),
                name="protection_customer",
            ),
        ]
        return own + super().get_urls()

    @staticmethod
    def _may_see_customers(request: HttpRequest) -> None:
        if not request.user.has_perm("protection.view_agreement"):
            raise DjangoPermissionDenied

    def customer_find_view(self, request: HttpRequest) -> HttpResponse:
        """Customer service's search: a personal identity number (Norwegian or Swedish, as
        typed), organisation number or customer number leads to the customer's page."""
        self._may_see_customers(request)
        form = CustomerSearchForm(request.GET or None)
        if request.GET and form.is_valid():
            try:
                customer = selectors.customer_find(
                    ctx=staff_context(request), text=form.cleaned_data["customer"]
                )
            except DomainError as error:
                apply_problems(form, error)
            else:
                return HttpResponseRedirect(
                    reverse("admin:protection_customer", args=[customer.pk])
                )
        return admin_page(
            self,
            request,
            "admin/protection/customer_find.html",
            _("Find a customer of the protection service"),
            form=form,
        )

    def customer_view(self, request: HttpRequest, party_id: int) -> HttpResponse:
        """The customer's whole engagement with the protection service on one page: registered
        items, blocking calls and their reports, key tags and found-keys cases, ID theft cases,
        agreements with their invoices and payments, and claims. Every read audited."""
        self._may_see_customers(request)
        customer = get_object_or_404(Party, pk=party_id)
        engagement = selectors.engagement_of(ctx=staff_context(request), customer=customer)
        return admin_page(
            self,
            request,
            "admin/protection/customer.html",
            _("Protection service: %(name)s") % {"name": customer.display_name},
            engagement=engagement,
            customer=customer,
        )

    def form_view(self, request: HttpRequest) -> HttpResponse:
        language = request.GET.get("language", "nb")
        response = HttpResponse(
            registration_form_pdf(language=language if language in ("nb", "sv", "en") else "nb"),
            content_type="application/pdf",
        )
        response["Content-Disposition"] = 'inline; filename="registration-form.pdf"'
        return response

    def paper_view(self, request: HttpRequest) -> HttpResponse:
        """Enter a returned registration form: every line is registered, or none."""
        if not request.user.has_perm("protection.add_item"):
            raise DjangoPermissionDenied
        head = PaperCustomerForm(request.POST or None)
        lines = PaperLines(request.POST or None)
        if request.method == "POST" and head.is_valid() and lines.is_valid():
            ctx = staff_context(request)
            filled = [(n, f) for n, f in enumerate(lines.forms) if f.cleaned_data.get("kind")]
            try:
                with transaction.atomic():
                    customer = selectors.customer_find(ctx=ctx, text=head.cleaned_data["customer"])
                    done = services.items_register_paper(
                        ctx=ctx, customer=customer, items=[f.item() for _n, f in filled]
                    )
            except DomainError as error:
                for problem in error.problems:
                    parts = (problem.field or "").split(".")
                    if len(parts) == 3 and parts[0] == "items" and parts[1].isdigit():
                        line = filled[int(parts[1])][1]
                        name = parts[2] if parts[2] in line.fields else None
                        line.add_error(name, problem.message)
                    else:
                        head.add_error(
                            "customer" if problem.field == "customer" else None, problem.message
                        )
            else:
                messages.success(
                    request,
                    _("%(count)s items are registered for %(customer)s.")
                    % {"count": len(done), "customer": customer.display_name},
                )
                return HttpResponseRedirect(reverse("admin:protection_item_changelist"))
        return admin_page(
            self,
            request,
            "admin/protection/item/paper.html",
            _("Enter a returned registration form"),
            head=head,
            lines=lines,
        )


@admin.register(Issuer)
class IssuerAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "code", "country", "kind", "can_order_replacement", "phone", "active")
    list_filter = ("country", "kind", "active")
    search_fields = ("name", "code")


# -- agreements, invoices and payments --------------------------------------------------------


@admin.register(LegalEntity)
class LegalEntityAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "valid_from", "country", "role", "supervision")


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "code", "kind", "plan", "period_months", "price", "insurer", "active")
    list_filter = ("kind", "plan", "active")


class InvoiceInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Invoice
    extra = 0
    can_delete = False
    fields = (
        "number",
        "kind",
        "state",
        "kid",
        "amount",
        "period_start",
        "period_end",
        "due_on",
        "reminders",
        "paid_on",
        "registered_on",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class LetterInline(admin.TabularInline):  # type: ignore[type-arg]
    model = AgreementLetter
    extra = 0
    can_delete = False
    fields = ("sent_on", "kind", "seq", "invoice", "entity")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Agreement)
class AgreementAdmin(IdNumberSearchMixin, ReadOnlyAdminMixin, AuditedReadAdmin):
    audit_object_type = "protection_agreement"
    audit_subject_path = "customer_id"
    list_display = ("number", "customer", "product", "entity", "state", "term_start", "term_end")
    list_filter = ("state", "plan", "product")
    change_list_template = "admin/protection/agreement/change_list.html"
    search_fields = ("=number", "=customer__id_number", "=customer__customer_number")
    id_number_search_fields = ("customer__id_number",)
    list_select_related = ("customer", "product", "entity")
    readonly_fields = [f.name for f in Agreement._meta.fields]
    inlines = [InvoiceInline, LetterInline]


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdminMixin, AuditedReadAdmin):
    audit_object_type = "protection_invoice"
    audit_subject_path = "agreement__customer_id"
    list_display = ("number", "agreement", "kind", "state", "kid", "amount", "due_on", "reminders")
    list_filter = ("state", "kind", "reminders")
    search_fields = ("=number", "=kid", "=agreement__number")
    list_select_related = ("agreement",)
    readonly_fields = [f.name for f in Invoice._meta.fields]


class OcrUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("OCR giro file from Nets"))


@admin.register(OcrFile)
class OcrFileAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "transmission", "nets_date", "payments", "total", "booked_total")
    readonly_fields = [f.name for f in OcrFile._meta.fields]
    change_list_template = "admin/protection/ocrfile/change_list.html"

    def get_urls(self) -> list[Any]:
        own = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="protection_ocrfile_import",
            )
        ]
        return own + super().get_urls()

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("protection.add_ocrfile"):
            raise DjangoPermissionDenied
        form = OcrUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            raw = upload.read(50_000_000)
            try:
                result = ocr_import(
                    ctx=staff_context(request),
                    text=raw.decode("latin-1"),
                    name=upload.name or "ocr.txt",
                )
            except DomainError as error:
                form.add_error("file", error.message)
            else:
                if result.imported_now:
                    messages.success(
                        request,
                        _("%(booked)s payments booked to invoices, %(unmatched)s not matched.")
                        % {"booked": result.booked, "unmatched": result.unmatched},
                    )
                else:
                    messages.info(request, _("This file was read before: nothing booked again."))
                return HttpResponseRedirect(
                    reverse("admin:protection_ocrfile_change", args=[result.file.pk])
                )
        return admin_page(
            self,
            request,
            "admin/protection/ocrfile/import.html",
            _("Read an OCR giro file"),
            form=form,
        )


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdminMixin, AuditedReadAdmin):
    audit_object_type = "protection_payment"
    audit_subject_path = "invoice__agreement__customer_id"
    list_display = ("file", "seq", "kid", "amount", "paid_on", "state", "invoice")
    list_filter = ("state",)
    search_fields = ("=kid",)
    list_select_related = ("file", "invoice__agreement")
    readonly_fields = [f.name for f in Payment._meta.fields]


# -- key tags ---------------------------------------------------------------------------------


@admin.register(KeyTagBatch)
class KeyTagBatchAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("number", "first", "count", "issued_at")


@admin.register(KeyTag)
class KeyTagAdmin(IdNumberSearchMixin, ReadOnlyAdminMixin, AuditedReadAdmin):
    audit_object_type = "key_tag"
    audit_subject_path = "owner_id"
    list_display = ("serial", "batch", "owner", "linked_at")
    search_fields = ("=serial", "=owner__id_number", "=owner__customer_number")
    id_number_search_fields = ("owner__id_number",)
    list_select_related = ("batch", "owner")
    readonly_fields = [f.name for f in KeyTag._meta.fields]


@admin.register(FoundKeysCase)
class FoundKeysCaseAdmin(ReadOnlyAdminMixin, AuditedReadAdmin):
    audit_object_type = "found_keys_case"
    audit_subject_path = "owner_id"
    list_display = ("number", "tag", "owner", "source", "state", "opened_at", "reward_paid_at")
    list_filter = ("state", "source")
    search_fields = ("=number", "=tag__serial", "=tracking_number")
    list_select_related = ("tag", "owner")
    readonly_fields = [f.name for f in FoundKeysCase._meta.fields]
    change_list_template = "admin/protection/foundkeyscase/change_list.html"

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        return super().changelist_view(
            request, {**(extra_context or {}), "return_rate": selectors.key_tag_return_rate()}
        )

    def get_urls(self) -> list[Any]:
        own = [
            path(
                "found/",
                self.admin_site.admin_view(self.found_view),
                name="protection_foundkeyscase_found",
            ),
            path(
                "<id:object_id>/work/",
                self.admin_site.admin_view(self.work_view),
                name="protection_foundkeyscase_work",
            ),
        ]
        return own + super().get_urls()

    @staticmethod
    def _may_work(request: HttpRequest) -> None:
        if not request.user.has_perm("protection.change_foundkeyscase"):
            raise DjangoPermissionDenied

    def found_view(self, request: HttpRequest) -> HttpResponse:
        """Found keys reported: the finder's call, or keys that came by post or from the police.
        The page answers the same whether or not the number is a linked tag of ours."""
        self._may_work(request)
        form = FoundForm(request.POST or None)
        answer = ""
        if request.method == "POST" and form.is_valid():
            try:
                report = keytags.found_report(ctx=staff_context(request), **form.cleaned_data)
            except DomainError as error:
                refuse(form, error)
            else:
                answer = report.answer
                form = FoundForm()
        return admin_page(
            self,
            request,
            "admin/protection/foundkeyscase/found.html",
            _("Found keys"),
            form=form,
            answer=answer,
        )

    def work_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """One case's next step: keys received, owner contacted, sent by registered letter,
        picked up at the police, closed unreturned, and the finder's reward."""
        self._may_work(request)
        ctx = staff_context(request)
        case = selectors.found_case_read(ctx=ctx, case_id=object_id)
        form = CaseStepForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            step = data["step"]
            try:
                if step == "received":
                    keytags.case_keys_received(ctx=ctx, case_id=case.pk)
                elif step == "contacted":
                    keytags.case_owner_contacted(ctx=ctx, case_id=case.pk)
                elif step == "sent":
                    keytags.case_send(
                        ctx=ctx, case_id=case.pk, tracking_number=data["tracking_number"]
                    )
                elif step == "picked_up":
                    keytags.case_picked_up(
                        ctx=ctx, case_id=case.pk, identified_by=data["identified_by"]
                    )
                elif step == "unreturned":
                    keytags.case_close_unreturned(ctx=ctx, case_id=case.pk)
                else:
                    keytags.reward_pay(ctx=ctx, case_id=case.pk, account=data["account"])
            except DomainError as error:
                refuse(form, error)
            else:
                messages.success(request, _("The case is updated."))
                return HttpResponseRedirect(
                    reverse("admin:protection_foundkeyscase_work", args=[case.pk])
                )
        return admin_page(
            self,
            request,
            "admin/protection/foundkeyscase/work.html",
            _("Found keys case %(number)s") % {"number": case.number},
            case=case,
            form=form,
        )


class FoundForm(forms.Form):
    serial = forms.CharField(label=gettext_lazy("Key tag number"), max_length=20)
    source = forms.ChoiceField(label=gettext_lazy("How it reached us"), choices=FoundSource.choices)
    finder_name = forms.CharField(
        label=gettext_lazy("Finder's name"), max_length=120, required=False
    )
    finder_phone = forms.CharField(
        label=gettext_lazy("Finder's phone"), max_length=30, required=False
    )


class CaseStepForm(forms.Form):
    step = forms.ChoiceField(
        label=gettext_lazy("Step"),
        choices=[
            ("received", gettext_lazy("Keys received at our office")),
            ("contacted", gettext_lazy("Owner contacted")),
            ("sent", gettext_lazy("Sent by registered letter")),
            ("picked_up", gettext_lazy("Picked up at the police")),
            ("unreturned", gettext_lazy("Close: not returned")),
            ("reward", gettext_lazy("Pay the finder's reward (100 NOK)")),
        ],
    )
    tracking_number = forms.CharField(
        label=gettext_lazy("Registered letter's tracking number"), max_length=30, required=False
    )
    identified_by = forms.CharField(
        label=gettext_lazy("Identification shown at the police"), max_length=60, required=False
    )
    account = forms.CharField(
        label=gettext_lazy("Finder's account number"), max_length=20, required=False
    )


# -- ID theft ---------------------------------------------------------------------------------


class DisputedClaimInline(admin.TabularInline):  # type: ignore[type-arg]
    model = DisputedClaim
    extra = 0
    can_delete = False
    fields = ("creditor", "reference", "amount", "state", "deadline", "updated_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CaseStepInline(admin.TabularInline):  # type: ignore[type-arg]
    model = CaseStep
    extra = 0
    can_delete = False
    fields = ("at", "kind", "text", "claim", "deadline")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(IdTheftCase)
class IdTheftCaseAdmin(IdNumberSearchMixin, ReadOnlyAdminMixin, AuditedReadAdmin):
    audit_object_type = "id_theft_case"
    audit_subject_path = "customer_id"
    list_display = ("number", "customer", "state", "opened_at", "closed_at")
    list_filter = ("state",)
    search_fields = ("=number", "=customer__id_number", "=customer__customer_number")
    id_number_search_fields = ("customer__id_number",)
    list_select_related = ("customer",)
    readonly_fields = [f.name for f in IdTheftCase._meta.fields]
    inlines = [DisputedClaimInline, CaseStepInline]


work_queue_register(
    WorkQueue(
        gettext_lazy("Customers to call back"),
        "protection.change_callback",
        Callback,
        {"done_at__isnull": True},
        {"done_at__isempty": "1"},
    )
)

# The claims on the protection insurances have a back office of their own.
from trygg.protection import claims_admin as claims_admin  # noqa: E402
