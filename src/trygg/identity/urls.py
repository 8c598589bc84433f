"""The signing hub's portal pages, included by the shell's URL configuration (names in
``web:``)."""

from django.urls import path

from trygg.identity import views

urlpatterns = [
    path("bank/sign/<str:public_id>/", views.sign_view, name="sign"),
    path("bank/sign/<str:public_id>/bankid/", views.sign_bankid_start, name="sign_bankid"),
    path("bank/sign/<str:public_id>/bankid/qr/", views.sign_bankid_qr, name="sign_bankid_qr"),
    path(
        "bank/sign/<str:public_id>/bankid/collect/",
        views.sign_bankid_collect,
        name="sign_bankid_collect",
    ),
]
