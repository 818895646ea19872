from django.urls import path

from pulse import admin_views as views

app_name = "pulse_admin"

urlpatterns = [
    path("", views.survey_list, name="surveys"),
    path("new/", views.survey_edit, name="survey_new"),
    path("<int:survey_id>/", views.survey_edit, name="survey_edit"),
    path("audience/", views.survey_audience, name="survey_audience"),
    path("questions/", views.question_list, name="questions"),
    path("questions/new/", views.question_edit, name="question_new"),
    path("questions/<int:question_id>/", views.question_edit, name="question_edit"),
]
