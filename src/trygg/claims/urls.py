"""The claims pages of the portal, included by the shell's URL configuration (names in
``web:``)."""

from django.urls import path

from trygg.claims import views

urlpatterns = [
    path("insurance/claims/", views.claims_view, name="claims"),
    path("insurance/claims/<str:number>/letter/", views.claim_letter_view, name="claim_letter"),
]
