from django.urls import path

from pulse import views

app_name = "pulse"

urlpatterns = [
    path("", views.index, name="index"),
    path("rounds/<int:round_id>/", views.answer, name="answer"),
    path("rounds/<int:round_id>/report/", views.report, name="report"),
    path("units/<int:unit_id>/", views.results, name="results"),
]
