from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class NotificationsConfig(AppConfig):
    name = "notifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Each app's tasks.py registers its periodic tasks and notification kinds; importing
        # them here means the worker runs every task and the settings page lists every kind.
        autodiscover_modules("tasks")
