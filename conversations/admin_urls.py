from django.urls import path

from conversations import admin_views as views

app_name = "conversations_admin"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("units.csv", views.overview_csv, name="overview_csv"),
    path("templates/", views.templates, name="templates"),
    path("templates/<str:kind>/", views.template_edit, name="template_edit"),
]
