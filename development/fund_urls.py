from django.urls import path

from development import fund_views

urlpatterns = [
    path(
        "activities/<int:activity_id>/kompetencefond/",
        fund_views.fund_application,
        name="fund_application",
    ),
]
