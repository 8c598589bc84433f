"""Back office for customers, the hub of customer service: register, look up (audited),
contact details, PIN letters, unlocking and the customer's audit trail."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from trygg.identity.models import LoginEvent, PinLetter
from trygg.identity.passwords import password_code_issue
from trygg.identity.services import credential_is_locked, pin_letter_issue, pin_unlock
from trygg.identity.tokens import token_order
from trygg.kernel import idnumbers
from trygg.kernel.admin import AuditedReadAdmin, IdNumberSearchMixin, admin_page
from trygg.kernel.audit import audit_record, staff_context
from trygg.kernel.errors import DomainError
from trygg.kernel.idnumber_messages import id_number_message
from trygg.kernel.models import AuditAction, AuditEvent
from trygg.parties.models import Address, ContactMethod, Party, PartyKind, SoleTrader
from trygg.parties.services import (
    firm_link_approve,
    firm_link_propose,
    firm_link_reject,
    organisation_register,
    person_register,
)


class AddressInline(admin.StackedInline):  # type: ignore[type-arg]
    model = Address
    extra = 0
    fields = ("kind", "care_of", "street", "postal_code", "city", "country")


class ContactMethodInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ContactMethod
    extra = 0
    fields = ("kind", "value")


class FirmInline(admin.TabularInline):  # type: ignore[type-arg]
    """The person's firm links, shown only: a link is proposed and approved under "Sole
    traders' firm links" (four eyes), never typed in here."""

    model = SoleTrader
    fk_name = "person"
    extra = 0
    verbose_name = _("sole trader's firm")
    verbose_name_plural = _("sole traders' firms")
    fields = ("firm", "since", "state", "proposed_by_label", "decided_by_label")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class FirmLinkProposeForm(forms.Form):
    person = forms.CharField(
        label=_("Owner's customer number"), max_length=12, help_text=_("The sole trader.")
    )
    firm = forms.CharField(
        label=_("Firm's customer number"),
        max_length=12,
        help_text=_("Registered under the owner's identity number, or naming them as owner."),
    )
    since = forms.DateField(label=_("since"))

    def _party(self, name: str) -> Party:
        number = self.cleaned_data.get(name, "").strip()
        party = Party.objects.filter(customer_number=number).first()
        if party is None:
            raise forms.ValidationError(_("No customer has this customer number."))
        return party

    def clean_person(self) -> Party:
        return self._party("person")

    def clean_firm(self) -> Party:
        return self._party("firm")


@admin.register(SoleTrader)
class FirmLinkAdmin(IdNumberSearchMixin, AuditedReadAdmin):
    """Sole traders' firm links: proposed by one member of staff, approved or rejected by
    another (the proposer cannot decide). Only an approved link lets the owner see and act for
    the firm."""

    audit_object_type = "sole_trader"
    audit_subject_path = "person_id"
    list_display = (
        "person",
        "firm",
        "since",
        "state",
        "proposed_by_label",
        "proposed_at",
        "decided_by_label",
        "decided_at",
    )
    list_filter = ("state",)
    list_select_related = ("person", "firm")
    search_fields = ("=person__customer_number", "=firm__customer_number")
    id_number_search_fields = ("person__id_number", "firm__id_number")
    fields = list_display
    readonly_fields = list_display
    actions = ["approve", "reject"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_approve_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm("parties.approve_soletrader"))

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        if not self.has_add_permission(request):
            raise DjangoPermissionDenied
        form = FirmLinkProposeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                firm_link_propose(
                    ctx=staff_context(request),
                    person=form.cleaned_data["person"],
                    firm=form.cleaned_data["firm"],
                    since=form.cleaned_data["since"],
                )
            except DomainError as error:
                for problem in error.problems:
                    field = problem.field if problem.field in form.fields else None
                    form.add_error(field, str(problem.message))
            else:
                messages.success(
                    request,
                    _("The link is proposed. Another member of staff must approve it."),
                )
                return HttpResponseRedirect(reverse("admin:parties_soletrader_changelist"))
        return admin_page(
            self,
            request,
            "admin/parties/soletrader/propose.html",
            _("Propose a sole trader's firm link"),
            form=form,
        )

    def _decide(self, request: HttpRequest, queryset: Any, service: Any, done: str) -> None:
        for link in queryset.select_related("person", "firm"):
            try:
                service(ctx=staff_context(request), link=link)
            except DomainError as error:
                messages.error(request, f"{link}: {error.message}")
            else:
                messages.success(request, f"{link}: {done}")

    @admin.action(description=_("Approve the selected links"), permissions=["approve"])
    def approve(self, request: HttpRequest, queryset: Any) -> None:
        self._decide(request, queryset, firm_link_approve, str(_("approved")))

    @admin.action(description=_("Reject the selected links"), permissions=["approve"])
    def reject(self, request: HttpRequest, queryset: Any) -> None:
        self._decide(request, queryset, firm_link_reject, str(_("rejected")))


class PartyRegisterForm(forms.ModelForm):  # type: ignore[type-arg]
    id_number = forms.CharField(
        label=_("identity number"),
        max_length=20,
        help_text=_(
            "Personal identity number (YYYYMMDD-NNNN), coordination number, "
            "organisation number, or a Norwegian fødselsnummer / organisasjonsnummer."
        ),
    )

    class Meta:
        model = Party
        fields = (
            "kind",
            "id_number",
            "given_name",
            "family_name",
            "legal_name",
            "registered_owner",
            "preferred_language",
        )

    def clean_id_number(self) -> str:
        text = self.cleaned_data.get("id_number", "")
        try:
            parsed = idnumbers.parse(text)
        except idnumbers.IdNumberError as exc:
            raise forms.ValidationError(id_number_message(exc), code=exc.code) from exc
        return parsed.value


class UnlockForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        help_text=_("How the customer's identity was confirmed, and why the PIN is unlocked."),
    )


@admin.register(Party)
class PartyAdmin(IdNumberSearchMixin, AuditedReadAdmin):
    audit_object_type = "party"
    list_display = ("customer_number", "name", "kind", "country", "created_at")
    list_filter = ("kind", "country")
    search_fields = ("=customer_number", "=id_number", "family_name", "legal_name")
    id_number_search_fields = ("id_number",)
    readonly_fields = ("customer_number", "created_at", "updated_at", "id_kind", "birth_date")

    @admin.display(description=_("name"))
    def name(self, obj: Party) -> str:
        return obj.display_name

    fields = (
        "kind",
        "customer_number",
        "country",
        "id_number",
        "id_kind",
        "given_name",
        "family_name",
        "legal_name",
        "registered_owner",
        "birth_date",
        "preferred_language",
        "created_at",
        "updated_at",
    )
    list_per_page = 50
    show_full_result_count = False

    def audit_subject(self, obj: Any) -> str | int | None:
        if obj.kind == PartyKind.PERSON:
            return obj.pk  # type: ignore[no-any-return]
        link = SoleTrader.objects.filter(firm=obj).first()
        return link.person_id if link else obj.pk

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = PartyRegisterForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return PartyRegisterForm.Meta.fields
        return self.fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ()
        return (*self.readonly_fields, "kind", "country", "id_number", "registered_owner")

    def get_inlines(self, request: HttpRequest, obj: Any) -> Any:
        if obj is None:
            return []
        return (
            [AddressInline, ContactMethodInline, FirmInline]
            if obj.is_person
            else [AddressInline, ContactMethodInline]
        )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        ctx = staff_context(request)
        if change:
            super().save_model(request, obj, form, change)
            audit_record(
                ctx=ctx,
                action=AuditAction.UPDATE,
                subject_id=self.audit_subject(obj),
                object_type="party",
                object_id=obj.pk,
                detail={"fields": sorted(form.changed_data)},
            )
            return
        data = form.cleaned_data
        if data["kind"] == PartyKind.PERSON:
            party = person_register(
                ctx=ctx,
                id_number=data["id_number"],
                given_name=data["given_name"],
                family_name=data["family_name"],
                preferred_language=data["preferred_language"],
            )
        else:
            party = organisation_register(
                ctx=ctx,
                id_number=data["id_number"],
                legal_name=data["legal_name"],
                registered_owner=data.get("registered_owner", ""),
            )
        obj.pk = party.pk
        obj.__dict__.update({k: v for k, v in party.__dict__.items() if not k.startswith("_")})

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        try:
            return super().add_view(request, form_url, extra_context)
        except DomainError as error:
            messages.error(request, str(error.message))
            return HttpResponseRedirect(request.path)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        if formset.has_changed():
            audit_record(
                ctx=staff_context(request),
                action=AuditAction.UPDATE,
                subject_id=self.audit_subject(form.instance),
                object_type=formset.model._meta.model_name,
                object_id=form.instance.pk,
            )

    # Customer service tools -----------------------------------------------------------------
    def get_urls(self) -> list[Any]:
        own = [
            path(
                "<id:party_id>/pin-letter/",
                self.admin_site.admin_view(self.pin_letter_view),
                name="parties_party_pin_letter",
            ),
            path(
                "<id:party_id>/password-code/",
                self.admin_site.admin_view(self.password_code_view),
                name="parties_party_password_code",
            ),
            path(
                "<id:party_id>/unlock/",
                self.admin_site.admin_view(self.unlock_view),
                name="parties_party_unlock",
            ),
            path(
                "<id:party_id>/token/",
                self.admin_site.admin_view(self.token_order_view),
                name="parties_party_token",
            ),
            path(
                "<id:party_id>/audit/",
                self.admin_site.admin_view(self.audit_view),
                name="parties_party_audit",
            ),
        ]
        return own + super().get_urls()

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        extra = dict(extra_context or {})
        party = Party.objects.filter(pk=object_id).first()
        if party is not None and party.is_person:
            extra["pin_locked"] = credential_is_locked(party)
            extra["has_pin"] = hasattr(party, "pin_credential")
        return super().change_view(request, object_id, form_url, extra)

    def _party(self, request: HttpRequest, party_id: int, permission: str) -> Party:
        if not request.user.has_perm(permission):
            raise DjangoPermissionDenied
        return get_object_or_404(Party, pk=party_id, kind=PartyKind.PERSON)

    def pin_letter_view(self, request: HttpRequest, party_id: int) -> HttpResponse:
        party = self._party(request, party_id, "identity.issue_pin_letter")
        self.audit_read(request, party, view="pin_letter")
        if request.method == "POST":
            try:
                letter = pin_letter_issue(ctx=staff_context(request), party=party)
            except DomainError as error:
                messages.error(request, str(error.message))
            else:
                messages.success(
                    request,
                    _(
                        "A new PIN letter is waiting to be printed (letter %(id)s). The old PIN no "
                        "longer works and any lock is lifted."
                    )
                    % {"id": letter.pk},
                )
            return HttpResponseRedirect(reverse("admin:parties_party_change", args=[party.pk]))
        return admin_page(
            self,
            request,
            "admin/parties/party/pin_letter.html",
            _("Issue a PIN letter"),
            party=party,
        )

    def password_code_view(self, request: HttpRequest, party_id: int) -> HttpResponse:
        """A one-time code for the protection service's Mine sider, by letter (decision 61);
        the same power as issuing a PIN letter."""
        party = self._party(request, party_id, "identity.issue_pin_letter")
        self.audit_read(request, party, view="password_code")
        if request.method == "POST":
            try:
                _code, letter = password_code_issue(ctx=staff_context(request), party=party)
            except DomainError as error:
                messages.error(request, str(error.message))
            else:
                messages.success(
                    request,
                    _(
                        "A letter with a one-time code for Mine sider is queued for the post "
                        "(letter %(id)s). Any earlier code no longer works and any lock is lifted."
                    )
                    % {"id": letter.pk},
                )
            return HttpResponseRedirect(reverse("admin:parties_party_change", args=[party.pk]))
        return admin_page(
            self,
            request,
            "admin/parties/party/password_code.html",
            _("Send a code for Mine sider"),
            party=party,
        )

    def token_order_view(self, request: HttpRequest, party_id: int) -> HttpResponse:
        party = self._party(request, party_id, "identity.add_securitytoken")
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:parties_party_change", args=[party.pk]))
        try:
            token = token_order(ctx=staff_context(request), party=party)
        except DomainError as error:
            messages.error(request, str(error.message))
            return HttpResponseRedirect(reverse("admin:parties_party_change", args=[party.pk]))
        messages.success(
            request, _("Security token %(serial)s ordered.") % {"serial": token.serial}
        )
        return HttpResponseRedirect(reverse("admin:identity_securitytoken_change", args=[token.pk]))

    def unlock_view(self, request: HttpRequest, party_id: int) -> HttpResponse:
        party = self._party(request, party_id, "identity.unlock_pin")
        self.audit_read(request, party, view="unlock")
        form = UnlockForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                pin_unlock(
                    ctx=staff_context(request), party=party, reason=form.cleaned_data["reason"]
                )
            except DomainError as error:
                form.add_error("reason", str(error.message))
            else:
                messages.success(request, _("The PIN is unlocked."))
                return HttpResponseRedirect(reverse("admin:parties_party_change", args=[party.pk]))
        return admin_page(
            self,
            request,
            "admin/parties/party/unlock.html",
            _("Unlock PIN"),
            party=party,
            form=form,
            locked=credential_is_locked(party),
        )

    def audit_view(self, request: HttpRequest, party_id: int) -> HttpResponse:
        if not request.user.has_perm("identity.view_customer_audit"):
            raise DjangoPermissionDenied
        party = get_object_or_404(Party, pk=party_id)
        subject = str(self.audit_subject(party))
        events = list(AuditEvent.objects.filter(subject_id=str(subject)).order_by("-id")[:500])
        logins = list(LoginEvent.objects.filter(party_id=subject).order_by("-occurred_at")[:50])
        letters = list(PinLetter.objects.filter(party_id=subject).order_by("-issued_at")[:20])
        audit_record(
            ctx=staff_context(request),
            action=AuditAction.READ,
            subject_id=subject,
            object_type="audit_trail",
            object_id=party.pk,
        )
        return admin_page(
            self,
            request,
            "admin/parties/party/audit.html",
            _("Audit trail of %(name)s") % {"name": party.display_name},
            party=party,
            events=events,
            logins=logins,
            letters=letters,
        )
