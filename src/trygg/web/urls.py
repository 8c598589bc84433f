from django.urls import path

from trygg.privacy import views as privacy_views
from trygg.web import (
    bank_views,
    bankid_views,
    billing_views,
    insurance_views,
    protection_views,
    token_views,
    views,
)

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("login/", views.login_view, name="login"),
    path("login/token/", token_views.token_start_view, name="login_token"),
    path("login/bankid/", bankid_views.bankid_start_page, name="login_bankid"),
    path("login/bankid/start/", bankid_views.bankid_start, name="login_bankid_start"),
    path("login/bankid/wait/", bankid_views.bankid_wait, name="login_bankid_wait"),
    path("login/bankid/qr/", bankid_views.bankid_qr, name="login_bankid_qr"),
    path("login/bankid/collect/", bankid_views.bankid_collect, name="login_bankid_collect"),
    path("login/bankid/cancel/", bankid_views.bankid_cancel_view, name="login_bankid_cancel"),
    path("login/token/respond/", token_views.token_respond_view, name="login_token_respond"),
    path("logout/", views.logout_view, name="logout"),
    path("overview/", views.overview_view, name="overview"),
    path("identify/", views.step_up_view, name="step_up"),
    path("profile/", views.profile_view, name="profile"),
    path("profile/<id:party_id>/", views.profile_view, name="profile_party"),
    path("pin/", views.pin_change_view, name="pin_change"),
    path("token/activate/", token_views.token_activate_view, name="token_activate"),
    path("bank/", bank_views.bank_view, name="bank"),
    path("funds/", bank_views.funds_view, name="funds"),
    path("pension/", bank_views.pension_view, name="pension"),
    path("bank/accounts/<id:account_id>/", bank_views.account_view, name="account"),
    path("bank/transfer/", bank_views.transfer_view, name="transfer"),
    path("bank/pay/", bank_views.payment_view, name="payment"),
    path("bank/payees/", bank_views.payees_view, name="payees"),
    path("bank/trade/", bank_views.trade_view, name="trade"),
    path("bank/registrations/", bank_views.registrations_view, name="registrations"),
    path("bank/payees/<id:payee_id>/pay/", bank_views.payee_pay_view, name="payee_pay"),
    path("insurance/", insurance_views.insurance_view, name="insurance"),
    path("autogiro/", billing_views.autogiro_view, name="autogiro"),
    path(
        "autogiro/debits/<id:charge_id>/stop/", billing_views.charge_stop_view, name="charge_stop"
    ),
    path(
        "autogiro/mandates/<id:mandate_id>/add/",
        billing_views.mandate_add_view,
        name="mandate_add",
    ),
    path(
        "autogiro/mandates/<id:mandate_id>/revoke/",
        billing_views.mandate_revoke_view,
        name="mandate_revoke",
    ),
    path("autogiro/notices/<id:notice_id>/", billing_views.notice_view, name="billing_notice"),
    path("insurance/quote/", insurance_views.quote_view, name="insurance_quote"),
    path("insurance/apply/", insurance_views.apply_view, name="insurance_apply"),
    path("insurance/claims/", insurance_views.claims_view, name="claims"),
    path(
        "insurance/claims/<str:number>/letter/",
        insurance_views.claim_letter_view,
        name="claim_letter",
    ),
    path(
        "insurance/policies/<str:number>/letter/",
        insurance_views.policy_letter_view,
        name="policy_letter",
    ),
    path(
        "insurance/policies/<str:number>/cancel/",
        insurance_views.policy_cancel_view,
        name="policy_cancel",
    ),
    path("protection/", protection_views.protection_view, name="protection"),
    path("protection/form/", protection_views.protection_form_view, name="protection_form"),
    path(
        "protection/items/<id:item_id>/",
        protection_views.protection_item_view,
        name="protection_item",
    ),
    path(
        "protection/items/<id:item_id>/remove/",
        protection_views.protection_item_remove_view,
        name="protection_item_remove",
    ),
    path(
        "protection/blocks/<id:block_id>/lift/",
        protection_views.protection_lift_view,
        name="protection_lift",
    ),
    path(
        "protection/reports/<str:number>/",
        protection_views.protection_report_view,
        name="protection_report",
    ),
    path("my-data/", privacy_views.my_data_view, name="privacy_requests"),
    path(
        "my-data/copy/<str:token>/<str:fmt>/",
        privacy_views.my_data_download_view,
        name="privacy_download",
    ),
    path("bank/sign/<str:public_id>/", bank_views.sign_view, name="sign"),
    path("bank/sign/<str:public_id>/bankid/", bank_views.sign_bankid_start, name="sign_bankid"),
    path("bank/sign/<str:public_id>/bankid/qr/", bank_views.sign_bankid_qr, name="sign_bankid_qr"),
    path(
        "bank/sign/<str:public_id>/bankid/collect/",
        bank_views.sign_bankid_collect,
        name="sign_bankid_collect",
    ),
]
