from django.urls import path

from pulse import views

app_name = "pulse"

urlpatterns = [
    path("", views.index, name="index"),
    path("rounds/<int:round_id>/", views.answer, name="answer"),
    path("rounds/<int:round_id>/report/", views.report, name="report"),
    path("units/<int:unit_id>/", views.results, name="results"),
    path("units/<int:unit_id>/results.json", views.results_json, name="results_json"),
    path("units/<int:unit_id>/results.csv", views.results_csv, name="results_csv"),
    path(
        "units/<int:unit_id>/rounds/<int:round_id>/questions/<int:question_id>/action/",
        views.action_new,
        name="action_new",
    ),
    path("rounds/<int:round_id>/report.csv", views.report_csv, name="report_csv"),
]
