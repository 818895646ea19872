from django.urls import path

from recognition import views

app_name = "recognition"

urlpatterns = [
    path("", views.feed, name="feed"),
    path("new/", views.new, name="new"),
    path("<int:recognition_id>/", views.detail, name="detail"),
    path("<int:recognition_id>/react/", views.react, name="react"),
    path("<int:recognition_id>/delete/", views.delete, name="delete"),
]
