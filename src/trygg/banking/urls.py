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
]
