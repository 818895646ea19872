from django.urls import path

from core import health, metrics, views

app_name = "core"

urlpatterns = [
    path("accessibility/", views.accessibility, name="accessibility"),
    # Answered by core.middleware.HealthCheckMiddleware before the rest of the stack.
    path("health/live", health.live, name="health_live"),
    path("health/ready", health.ready, name="health_ready"),
    path("metrics", metrics.view, name="metrics"),
]
