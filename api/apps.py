from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The JSON API with personal access tokens."""

    name = "api"
    default_auto_field = "django.db.models.BigAutoField"
