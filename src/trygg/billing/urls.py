"""Premium billing's portal pages, included by the shell's URL configuration (names in
``web:``)."""

from django.urls import path

from trygg.billing import views

urlpatterns = [
    path("autogiro/", views.autogiro_view, name="autogiro"),
    path("autogiro/debits/<id:charge_id>/stop/", views.charge_stop_view, name="charge_stop"),
    path("autogiro/mandates/<id:mandate_id>/add/", views.mandate_add_view, name="mandate_add"),
    path(
        "autogiro/mandates/<id:mandate_id>/revoke/",
        views.mandate_revoke_view,
        name="mandate_revoke",
    ),
    path("autogiro/notices/<id:notice_id>/", views.notice_view, name="billing_notice"),
]
