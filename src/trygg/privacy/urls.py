from django.urls import path

from trygg.privacy import views

app_name = "privacy"
urlpatterns = [path("", views.notice_view, name="notice")]
