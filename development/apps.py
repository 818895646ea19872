from django.apps import AppConfig


class DevelopmentConfig(AppConfig):
    name = "development"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The kinds of notification the app sends, so the settings page lists them.
        from development import kinds  # noqa: F401
