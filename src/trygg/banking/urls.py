"""The bank's portal pages, included by the shell's URL configuration (names in ``web:``)."""

from django.urls import path

from trygg.banking import views

urlpatterns = [
    path("bank/", views.bank_view, name="bank"),
    path("funds/", views.funds_view, name="funds"),
    path("pension/", views.pension_view, name="pension"),
    path("bank/accounts/<id:account_id>/", views.account_view, name="account"),
    path("bank/transfer/", views.transfer_view, name="transfer"),
    path("bank/pay/", views.payment_view, name="payment"),
    path("bank/payees/", views.payees_view, name="payees"),
    path("bank/trade/", views.trade_view, name="trade"),
    path("bank/registrations/", views.registrations_view, name="registrations"),
    path("bank/payees/<id:payee_id>/pay/", views.payee_pay_view, name="payee_pay"),
    path("bank/payees/<id:payee_id>/change/", views.payee_change_view, name="payee_change"),
    path("bank/payees/<id:payee_id>/remove/", views.payee_remove_view, name="payee_remove"),
    path("bank/pay/review/<str:token>/", views.payment_review_view, name="payment_review"),
    path("bank/payments/<id:payment_id>/", views.receipt_view, name="receipt"),
    path("bank/payments/<id:payment_id>/cancel/", views.payment_cancel_view, name="payment_cancel"),
    path("bank/market/", views.market_view, name="market"),
    path("bank/depot/", views.depot_view, name="depot"),
]
