from django.urls import path

from trygg.contact import views

app_name = "contact"

urlpatterns = [
    path("objection/", views.objection_view, name="objection"),
    path("objection/link/", views.objection_link_view, name="objection_link"),
    path("survey/", views.survey_view, name="survey"),
]
