from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from organisation.importing import snapshot_apply, snapshot_problems
from organisation.models import IMPORT_STEPS
from organisation.os2mo import SOURCE, Os2moError, os2mo_snapshot


class Command(BaseCommand):
    help = (
        "Import units, people and leaders from OS2mo (settings OS2MO_*). Nothing is changed "
        "while the data has problems."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="Only read and check the data; change nothing."
        )

    def progress(self, step: str, done: int, total: int) -> None:
        label = IMPORT_STEPS.get(step, step)
        self.stdout.write(f"{label}: {done}" if done == total else f"{label}: {done}/{total}")

    def handle(self, *args: Any, check: bool, **options: Any) -> None:
        try:
            snapshot, problems = os2mo_snapshot(progress=self.progress)
        except Os2moError as error:
            raise CommandError(str(error)) from error
        self.progress("check", 0, 0)
        problems += snapshot_problems(snapshot)
        if problems:
            for problem in problems:
                self.stderr.write(str(problem))
            raise CommandError(
                ngettext(
                    "The data has %(count)d problem. Nothing was changed.",
                    "The data has %(count)d problems. Nothing was changed.",
                    len(problems),
                )
                % {"count": len(problems)}
            )
        if check:
            self.stdout.write(
                _("The data is fine: %(units)d units and %(people)d people. Nothing was changed.")
                % {"units": len(snapshot.units), "people": len(snapshot.people)}
            )
            return
        result = snapshot_apply(snapshot, actor=None, source=SOURCE, progress=self.progress)
        self.stdout.write(
            _("Units: %(new)d new, %(changed)d changed, %(removed)d removed.")
            % {
                "new": result.units_created,
                "changed": result.units_changed,
                "removed": result.units_removed,
            }
        )
        self.stdout.write(
            _(
                "People: %(new)d new, %(changed)d changed, %(deactivated)d deactivated, "
                "%(reactivated)d reactivated."
            )
            % {
                "new": result.people_created,
                "changed": result.people_changed,
                "deactivated": result.people_deactivated,
                "reactivated": result.people_reactivated,
            }
        )
        self.stdout.write(
            _("Memberships changed: %(count)d.") % {"count": result.memberships_changed}
        )
