"""Back office of the claims on the protection insurances: the handlers' queue of what is due and
overdue against the one-month handling time, a claim form that came by post typed in with its
scanned documents, and one claim's work page (ask for information, information received,
approve, reject, pay, add a document)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trygg.claims import rules as claim_rules
from trygg.kernel import clock
from trygg.kernel.admin import AuditedReadAdmin, IdNumberSearchMixin, ReadOnlyAdminMixin, admin_page
from trygg.kernel.audit import staff_context
from trygg.kernel.errors import DomainError
from trygg.protection import claims, selectors
from trygg.protection.forms import refuse
from trygg.protection.models import ClaimDocument, ClaimDocumentKind, ProtectionClaim
from trygg.protection.views import ClaimForm, DocumentForm, document_response


class PaperClaimForm(ClaimForm):
    """The paper claim form typed in: whose it is first (identity or customer number)."""

    customer = forms.CharField(
        label=gettext_lazy("Customer"),
        max_length=40,
        help_text=gettext_lazy("Personal identity number or customer number."),
    )
    field_order = ["customer"]


STEPS = [
    ("information", gettext_lazy("Ask the customer for more information (the clock stops)")),
    ("received", gettext_lazy("The information has arrived (the clock runs again)")),
    ("approve", gettext_lazy("Approve")),
    ("reject", gettext_lazy("Reject")),
    ("pay", gettext_lazy("Pay the approved amount")),
]


class StepForm(forms.Form):
    step = forms.ChoiceField(label=gettext_lazy("Step"), choices=STEPS)
    information = forms.CharField(
        label=gettext_lazy("Information needed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    amount = forms.CharField(label=gettext_lazy("Amount approved (NOK)"), required=False)
    reason = forms.CharField(
        label=gettext_lazy("Reason for rejection"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DocumentInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ClaimDocument
    fields = ("name", "kind", "content_type", "size", "uploaded_at", "by_customer")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ProtectionClaim)
class ProtectionClaimAdmin(IdNumberSearchMixin, ReadOnlyAdminMixin, AuditedReadAdmin):
    audit_object_type = "protection_claim"
    audit_subject_path = "customer_id"
    list_display = ("number", "customer", "agreement", "state", "reported_on", "due_on")
    list_filter = ("state", "channel")
    search_fields = ("=number", "=customer__id_number", "=customer__customer_number")
    id_number_search_fields = ("customer__id_number",)
    list_select_related = ("customer", "agreement")
    readonly_fields = [f.name for f in ProtectionClaim._meta.fields]
    inlines = [DocumentInline]
    change_list_template = "admin/protection/protectionclaim/change_list.html"

    def get_urls(self) -> list[Any]:
        own = [
            path(
                "queue/",
                self.admin_site.admin_view(self.queue_view),
                name="protection_protectionclaim_queue",
            ),
            path(
                "paper/",
                self.admin_site.admin_view(self.paper_view),
                name="protection_protectionclaim_paper",
            ),
            path(
                "<id:object_id>/work/",
                self.admin_site.admin_view(self.work_view),
                name="protection_protectionclaim_work",
            ),
        ]
        return own + super().get_urls()

    @staticmethod
    def _may(request: HttpRequest, permission: str) -> None:
        if not request.user.has_perm(f"protection.{permission}"):
            raise DjangoPermissionDenied

    def queue_view(self, request: HttpRequest) -> HttpResponse:
        """What is overdue, due within a week, on time and waiting for information today, and
        the approved claims to pay."""
        self._may(request, "view_protectionclaim")
        queue = selectors.claim_queue(ctx=staff_context(request), today=clock.today())
        return admin_page(
            self,
            request,
            "admin/protection/protectionclaim/queue.html",
            _("Claims queue"),
            queue=queue,
        )

    def paper_view(self, request: HttpRequest) -> HttpResponse:
        """A claim form that came by post, typed in with its scanned document."""
        self._may(request, "add_protectionclaim")
        ctx = staff_context(request)
        customer = None
        text = request.POST.get("customer", "") if request.method == "POST" else ""
        error: DomainError | None = None
        if text.strip():
            try:
                customer = selectors.customer_find(ctx=ctx, text=text)
            except DomainError as found_error:
                error = found_error
        agreements = (
            selectors.insurance_agreements_of(ctx=ctx, customer=customer) if customer else []
        )
        form = PaperClaimForm(request.POST or None, request.FILES or None, agreements=agreements)
        if error is not None:
            form.is_valid()
            refuse(form, error)
        elif request.method == "POST" and customer is not None and form.is_valid():
            try:
                claim = claims.claim_report_paper(
                    ctx=ctx,
                    customer_id=customer.pk,
                    data=form.claim(),
                    documents=form.documents(),
                )
            except DomainError as refusal:
                refuse(form, refusal)
            else:
                messages.success(
                    request,
                    _("Claim %(number)s is registered; to be decided by %(due)s.")
                    % {"number": claim.number, "due": claim.due_on.isoformat()},
                )
                return HttpResponseRedirect(
                    reverse("admin:protection_protectionclaim_work", args=[claim.pk])
                )
        return admin_page(
            self,
            request,
            "admin/protection/protectionclaim/paper.html",
            _("Enter a paper claim form"),
            form=form,
            customer=customer,
        )

    def work_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """One claim: its facts, documents and handling time, and its next step."""
        self._may(request, "view_protectionclaim")
        ctx = staff_context(request)
        try:
            claim = selectors.claim_read(ctx=ctx, claim_id=object_id)
        except DomainError:
            raise DjangoPermissionDenied from None
        step_form = StepForm(request.POST if "step" in request.POST else None)
        document_form = DocumentForm(
            request.POST if "document_kind" in request.POST else None,
            request.FILES if "document_kind" in request.POST else None,
        )
        if request.method == "POST" and "document_kind" in request.POST:
            self._may(request, "decide_protectionclaim")
            if document_form.is_valid():
                try:
                    claims.document_add(
                        ctx=ctx,
                        claim_id=claim.pk,
                        kind=document_form.cleaned_data["document_kind"],
                        upload=document_form.cleaned_data["document"],
                    )
                except DomainError as refusal:
                    refuse(document_form, refusal)
                else:
                    messages.success(request, _("The document is added."))
                    return self._back(claim)
        elif request.method == "POST" and step_form.is_valid():
            self._may(request, "decide_protectionclaim")
            data = step_form.cleaned_data
            try:
                self._step(request, ctx, claim, data)
            except DomainError as refusal:
                refuse(step_form, refusal)
            else:
                messages.success(request, _("The claim is updated."))
                return self._back(claim)
        today = clock.today()
        return admin_page(
            self,
            request,
            "admin/protection/protectionclaim/work.html",
            _("Claim %(number)s") % {"number": claim.number},
            claim=claim,
            documents=list(claim.documents.all()),
            handling=claim_rules.handling_status(claim.due_on, claim.waiting_since, today)
            if claim.state in ("reported", "waiting")
            else None,
            step_form=step_form,
            document_form=document_form,
            kinds=ClaimDocumentKind.choices,
        )

    @staticmethod
    def _step(request: HttpRequest, ctx: Any, claim: ProtectionClaim, data: dict[str, Any]) -> None:
        step = data["step"]
        if step == "information":
            claims.claim_ask_information(ctx=ctx, claim_id=claim.pk, text=data["information"])
        elif step == "received":
            claims.claim_information_received(ctx=ctx, claim_id=claim.pk)
        elif step == "approve":
            claims.claim_approve(
                ctx=ctx, user=request.user, claim_id=claim.pk, amount=data["amount"]
            )
        elif step == "reject":
            claims.claim_reject(
                ctx=ctx, user=request.user, claim_id=claim.pk, reason=data["reason"]
            )
        else:
            claims.claim_pay(ctx=ctx, claim_id=claim.pk)

    @staticmethod
    def _back(claim: ProtectionClaim) -> HttpResponse:
        return HttpResponseRedirect(
            reverse("admin:protection_protectionclaim_work", args=[claim.pk])
        )


@admin.register(ClaimDocument)
class ClaimDocumentAdmin(ReadOnlyAdminMixin, AuditedReadAdmin):
    """The documents of the claims; each opens as the file it was checked to be."""

    audit_object_type = "protection_claim_document"
    audit_subject_path = "claim__customer_id"
    list_display = ("name", "claim", "kind", "content_type", "size", "uploaded_at", "by_customer")
    list_filter = ("kind",)
    search_fields = ("=claim__number",)
    list_select_related = ("claim",)
    readonly_fields = [f.name for f in ClaimDocument._meta.fields]

    def get_urls(self) -> list[Any]:
        own = [
            path(
                "<id:object_id>/download/",
                self.admin_site.admin_view(self.download_view),
                name="protection_claimdocument_download",
            )
        ]
        return own + super().get_urls()

    def download_view(self, request: HttpRequest, object_id: int) -> Any:
        if not request.user.has_perm("protection.view_claimdocument"):
            raise DjangoPermissionDenied
        ctx = staff_context(request)
        found = ClaimDocument.objects.filter(pk=object_id).select_related("claim").first()
        if found is None:
            raise DjangoPermissionDenied
        document = selectors.claim_document_read(ctx=ctx, claim=found.claim, document_id=found.pk)
        return document_response(document)
