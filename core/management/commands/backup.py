from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.utils.translation import gettext as _

from core.backup import BackupError, backup_command_line, database_backup


class Command(BaseCommand):
    help = (
        "Write a consistent copy of the database to --output while the app keeps running: "
        "SQLite's backup API on SQLite, pg_dump --format=custom on PostgreSQL. The file "
        "appears under its name only when it is complete and checked. Restoring: "
        "docs/backup.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", required=True, help="The backup file to write (replaced if it exists)."
        )
        parser.add_argument(
            "--print-command",
            action="store_true",
            help="PostgreSQL: print the pg_dump command instead of running it (no password).",
        )

    def handle(self, *args: Any, output: str, print_command: bool, **options: Any) -> None:
        target = Path(output).expanduser().absolute()
        try:
            if print_command:
                self.stdout.write(backup_command_line(output=target))
                if connections["default"].settings_dict.get("PASSWORD"):
                    self.stderr.write(
                        _("The password is not printed: give it through PGPASSWORD or ~/.pgpass.")
                    )
                return
            # A duration for the operator to read, so the monotonic clock, not the calendar.
            started = time.monotonic()
            backup = database_backup(output=target)
            seconds = time.monotonic() - started
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("Backup written to %(path)s: %(size)d bytes (%(megabytes).1f MB) in %(seconds).1f s.")
            % {
                "path": backup.path,
                "size": backup.size,
                "megabytes": backup.size / 1_000_000,
                "seconds": seconds,
            }
        )
