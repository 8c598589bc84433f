"""The protection service's portal pages (their paths under ``protection/``), included by the
portal in its ``web`` namespace: the names stay ``web:protection``, ``web:protection_item``..."""

from django.urls import path

from trygg.protection import views

urlpatterns = [
    path("protection/", views.protection_view, name="protection"),
    path("protection/form/", views.protection_form_view, name="protection_form"),
    path("protection/items/<id:item_id>/", views.protection_item_view, name="protection_item"),
    path(
        "protection/items/<id:item_id>/remove/",
        views.protection_item_remove_view,
        name="protection_item_remove",
    ),
    path(
        "protection/blocks/<id:block_id>/lift/", views.protection_lift_view, name="protection_lift"
    ),
    path(
        "protection/reports/<str:number>/", views.protection_report_view, name="protection_report"
    ),
    path(
        "protection/agreements/<id:agreement_id>/cancel/",
        views.protection_agreement_cancel_view,
        name="protection_agreement_cancel",
    ),
    path(
        "protection/invoices/<id:invoice_id>/due-date/",
        views.protection_invoice_move_view,
        name="protection_invoice_move",
    ),
    path("protection/claims/new/", views.protection_claim_new_view, name="protection_claim_new"),
    path("protection/claims/<str:number>/", views.protection_claim_view, name="protection_claim"),
    path(
        "protection/claims/<str:number>/documents/<id:document_id>/",
        views.protection_claim_document_view,
        name="protection_claim_document",
    ),
]
