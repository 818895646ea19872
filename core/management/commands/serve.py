from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _

from sparring.env import env_bool

logger = logging.getLogger("sparring.server")


class Command(BaseCommand):
    help = (
        "Serve Sparring in production: the gunicorn server configured in sparring/server.py, "
        "with settings from the environment and DEBUG off. With --migrate (or "
        "SPARRING_MIGRATE=true) it applies the migrations first. It becomes the server "
        "process, so SIGTERM stops it gracefully: requests in flight finish."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--migrate",
            action="store_true",
            default=env_bool("SPARRING_MIGRATE", False),
            help="Apply the migrations before serving.",
        )

    def handle(self, *args: Any, migrate: bool, **options: Any) -> None:
        if settings.DEBUG:
            raise CommandError(_("The production server runs with DEBUG off: unset DEBUG."))
        if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
            raise CommandError(
                _("The static files are not collected: run manage.py collectstatic first.")
            )
        if migrate:
            _migrate()
        # gunicorn replaces this process: nothing of its database connection may stay open.
        connections.close_all()
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = _metrics_directory()
        argv = [sys.executable, "-m", "gunicorn", "--config", "python:sparring.server"]
        os.execv(sys.executable, [*argv, "sparring.wsgi:application"])  # noqa: S606


def _migrate() -> None:
    """Apply the migrations, telling the log (in its format) how many and when done."""
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if not plan:
        logger.info("No migrations to apply")
        return
    logger.info("Applying %d migrations", len(plan))
    call_command("migrate", interactive=False, verbosity=0)
    logger.info("Migrations applied")


def _metrics_directory() -> str:
    """An empty directory for the metrics of the server's processes (prometheus_client's
    multiprocess mode): PROMETHEUS_MULTIPROC_DIR if set, emptied, else a new one."""
    given = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not given:
        return tempfile.mkdtemp(prefix="sparring-metrics-")
    path = Path(given)
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return str(path)
