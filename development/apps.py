from django.apps import AppConfig


class DevelopmentConfig(AppConfig):
    name = "development"
    default_auto_field = "django.db.models.BigAutoField"
