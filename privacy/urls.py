from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.my_data, name="my_data"),
    path("copy/", views.export_start, name="export"),
    path("copy/status/", views.export_status, name="export_status"),
    path("copy/download/", views.export_download, name="export_download"),
    path("delete/", views.erase, name="erase"),
    path("schema.json", views.schema, name="schema"),
]
