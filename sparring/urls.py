from django.urls import include, path

from organisation.branding_views import logo

urlpatterns = [
    path("", include("core.urls")),
    path("", include("accounts.urls")),
    path("", include("home.urls")),
    path("notes/", include("profiles.urls")),
    path("checkins/", include("checkins.urls")),
    path("reflections/", include("checkins.reflection_urls")),
    path("", include("teamwork.urls")),
    path("feedback/", include("feedback.urls")),
    path("recognition/", include("recognition.urls")),
    path("pulse/", include("pulse.urls")),
    path("conversations/", include("conversations.urls")),
    path("development/", include("development.urls")),
    path("learning/", include("learning.urls")),
    path("notifications/", include("notifications.urls")),
    path("my-data/", include("privacy.urls")),
    path("api/", include("api.urls")),
    path("administration/pulse/", include("pulse.admin_urls")),
    path("administration/conversations/", include("conversations.admin_urls")),
    path("administration/development/", include("development.admin_urls")),
    path("administration/retention/", include("privacy.admin_urls")),
    path("administration/api/", include("api.admin_urls")),
    path("administration/", include("organisation.admin_urls")),
    path("administration/chat/", include("notifications.admin_urls")),
    path("organisation/logo/", logo, name="organisation_logo"),
    path("administration/email/", include("notifications.email_admin_urls")),
    path("oidc/", include("mozilla_django_oidc.urls")),
]

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.not_found"
handler500 = "core.views.server_error"
