from django.urls import path

from development import fund_urls, picture_urls, plan_urls, views

app_name = "development"

urlpatterns = [
    # A person's own development: self-assessments over time.
    path("", views.index, name="index"),
    path("assessments/new/", views.assess, name="assess"),
    path("assessments/<int:assessment_id>/", views.assessment, name="assessment"),
    path(
        "assessments/<int:assessment_id>/sharing/",
        views.assessment_sharing,
        name="assessment_sharing",
    ),
    *plan_urls.urlpatterns,
    *fund_urls.urlpatterns,
    *picture_urls.urlpatterns,
]
