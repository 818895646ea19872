from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "organisation"
    default_auto_field = "django.db.models.BigAutoField"
