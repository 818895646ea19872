from django.urls import path

from organisation import admin_views as views
from organisation import branding_views, import_views

app_name = "administration"

urlpatterns = [
    path("", views.index, name="index"),
    path("units/", views.unit_list, name="units"),
    path("units/new/", views.unit_edit, name="unit_new"),
    path("units/<int:unit_id>/", views.unit_edit, name="unit_edit"),
    path("units/<int:unit_id>/delete/", views.unit_remove, name="unit_delete"),
    path("people/", views.person_list, name="people"),
    path("people/new/", views.person_edit, name="person_new"),
    path("people/<int:user_id>/", views.person_edit, name="person_edit"),
    path(
        "people/<int:user_id>/deactivate/", views.person_deactivate_view, name="person_deactivate"
    ),
    path("people/<int:user_id>/send-link/", views.person_send_link, name="person_send_link"),
    path(
        "people/<int:user_id>/reactivate/", views.person_reactivate_view, name="person_reactivate"
    ),
    path("values/", views.value_list, name="values"),
    path("values/new/", views.value_edit, name="value_new"),
    path("values/<int:value_id>/", views.value_edit, name="value_edit"),
    path("audit/", views.audit_log, name="audit"),
    path("audit/export.csv", views.audit_log_export, name="audit_export"),
    path("settings/", branding_views.organisation_settings, name="settings"),
    path("import/", import_views.csv_import, name="import"),
    path("import/os2mo/", import_views.os2mo_import, name="import_os2mo"),
    path("import/jobs/<int:job_id>/", import_views.import_job, name="import_job"),
    path(
        "import/jobs/<int:job_id>/confirm/",
        import_views.import_job_confirm,
        name="import_job_confirm",
    ),
]
