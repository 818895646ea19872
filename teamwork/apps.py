from django.apps import AppConfig


class TeamworkConfig(AppConfig):
    name = "teamwork"
    default_auto_field = "django.db.models.BigAutoField"
