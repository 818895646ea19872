from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core.signals import request_started
        from django.db.backends.signals import connection_created

        from core.liveness import checked_by_its_socket
        from core.models import AuditEntry
        from core.personal_data import Kind, Rule, register, retention
        from core.planner import plans_renewed, statements_kept

        connection_created.connect(plans_renewed, dispatch_uid="core.planner.plans_renewed")
        connection_created.connect(statements_kept, dispatch_uid="core.planner.statements_kept")
        request_started.connect(
            checked_by_its_socket, dispatch_uid="core.liveness.checked_by_its_socket"
        )

        # Each app's personal_data.py declares its kinds of personal data; importing them here
        # means the registry is whole before the first request, check or task.
        autodiscover_modules("personal_data")
        register(
            _("Administration"),
            Kind("audit_actions", _("What you did as an administrator"), AuditEntry, "actor"),
        )
        retention(Rule("audit_log", _("The audit log"), AuditEntry, "at"))
