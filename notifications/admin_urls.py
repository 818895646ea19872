from django.urls import path

from notifications import admin_views as views

app_name = "chat_admin"

urlpatterns = [
    path("", views.webhook_list, name="webhooks"),
    path("new/", views.webhook_edit, name="webhook_new"),
    path("<int:webhook_id>/", views.webhook_edit, name="webhook_edit"),
    path("<int:webhook_id>/delete/", views.webhook_delete, name="webhook_delete"),
    path("<int:webhook_id>/test/", views.webhook_test, name="webhook_test"),
]
