from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The pages that gather several apps' content (Min side, the team page). The app sits on
    top: it calls the feature apps' selectors, and no app imports it."""

    name = "home"
    default_auto_field = "django.db.models.BigAutoField"
