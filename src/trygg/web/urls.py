from django.urls import include, path

from trygg.privacy import views as privacy_views
from trygg.web import bankid_views, password_views, token_views, views

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
    path("login/password/", password_views.password_login_view, name="login_password"),
    path("login/password/setup/", password_views.password_setup_view, name="password_setup"),
    path("password/", password_views.password_change_view, name="password_change"),
    path("logout/", views.logout_view, name="logout"),
    path("overview/", views.overview_view, name="overview"),
    path("letters/", views.letters_view, name="letters"),
    path("identify/", views.step_up_view, name="step_up"),
    path("profile/", views.profile_view, name="profile"),
    path("profile/<id:party_id>/", views.profile_view, name="profile_party"),
    path("pin/", views.pin_change_view, name="pin_change"),
    path("token/activate/", token_views.token_activate_view, name="token_activate"),
    # The domains' pages: each domain owns its views, templates and URL patterns; the paths and
    # the names (``web:<name>``) are the portal's.
    path("", include("trygg.banking.urls")),
    path("", include("trygg.billing.urls")),
    path("", include("trygg.insurance.urls")),
    path("", include("trygg.claims.urls")),
    path("", include("trygg.identity.urls")),
    path("", include("trygg.protection.urls")),
    path("my-data/", privacy_views.my_data_view, name="privacy_requests"),
    path(
        "my-data/copy/<str:token>/<str:fmt>/",
        privacy_views.my_data_download_view,
        name="privacy_download",
    ),
]
