from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """What Sparring holds about a person, and how long: the page about one's data."""

    name = "privacy"
    default_auto_field = "django.db.models.BigAutoField"
