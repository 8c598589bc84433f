"""Back office for the bank: accounts, payments, stock orders and registrations, read-only
(money moves only through the services); every view of a customer's data is an audited read."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from trygg.banking.models import Account, Payment, Registration, TradeOrder
from trygg.kernel.admin import AuditedReadAdmin, IdNumberSearchMixin


class ReadOnlyAdmin(AuditedReadAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Account)
class AccountAdmin(IdNumberSearchMixin, ReadOnlyAdmin):
    audit_object_type = "account"
    audit_subject_path = "party_id"
    list_display = ("number", "name", "party", "kind", "balance", "opened_at")
    list_filter = ("kind",)
    search_fields = ("=number", "=party__customer_number")
    id_number_search_fields = ("party__id_number",)
    list_select_related = ("party",)


@admin.register(Payment)
class PaymentAdmin(IdNumberSearchMixin, ReadOnlyAdmin):
    audit_object_type = "payment"
    audit_subject_path = "from_account__party_id"
    list_display = (
        "id",
        "from_account",
        "destination_kind",
        "destination_number",
        "amount",
        "message",
        "signing_id",
    )
    search_fields = ("=destination_number", "=from_account__number")
    id_number_search_fields = ("from_account__party__id_number",)
    list_select_related = ("from_account",)


@admin.register(TradeOrder)
class TradeOrderAdmin(IdNumberSearchMixin, ReadOnlyAdmin):
    audit_object_type = "trade_order"
    audit_subject_path = "party_id"
    list_display = (
        "id",
        "party",
        "side",
        "quantity",
        "isin",
        "instrument",
        "limit_price",
        "state",
        "fill_price",
        "placed_at",
    )
    list_filter = ("state", "side")
    search_fields = ("=party__customer_number", "=isin")
    id_number_search_fields = ("party__id_number",)
    list_select_related = ("party",)


@admin.register(Registration)
class RegistrationAdmin(IdNumberSearchMixin, ReadOnlyAdmin):
    audit_object_type = "registration"
    audit_subject_path = "party_id"
    list_display = (
        "id",
        "party",
        "kind",
        "biller_name",
        "biller_bankgiro",
        "payer_reference",
        "state",
        "created_at",
    )
    list_filter = ("kind", "state")
    search_fields = ("=party__customer_number", "=biller_bankgiro")
    id_number_search_fields = ("party__id_number",)
    list_select_related = ("party",)
