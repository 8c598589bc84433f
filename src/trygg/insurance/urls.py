"""Accident insurance's portal pages, included by the shell's URL configuration (names in
``web:``)."""

from django.urls import path

from trygg.insurance import views

urlpatterns = [
    path("insurance/", views.insurance_view, name="insurance"),
    path("insurance/quote/", views.quote_view, name="insurance_quote"),
    path("insurance/prices/", views.prices_view, name="insurance_prices"),
    path("insurance/apply/", views.apply_view, name="insurance_apply"),
    path(
        "insurance/policies/<str:number>/letter/",
        views.policy_letter_view,
        name="policy_letter",
    ),
    path(
        "insurance/policies/<str:number>/cancel/",
        views.policy_cancel_view,
        name="policy_cancel",
    ),
]
