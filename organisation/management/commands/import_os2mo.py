from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from organisation.importing import (
    plan_sections,
    problems_in_order,
    snapshot_apply,
    snapshot_fingerprint,
    snapshot_plan,
    snapshot_problems,
)
from organisation.models import IMPORT_STEPS
from organisation.os2mo import SOURCE, Os2moError, os2mo_snapshot


class Command(BaseCommand):
    help = (
        "Import units, people and leaders from OS2mo (settings OS2MO_*). Without --confirm it "
        "only checks the data and prints what the import would do, with the fingerprint to "
        "confirm; nothing is changed while the data has problems."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only read and check the data and print the preview (the default).",
        )
        parser.add_argument(
            "--confirm",
            metavar="FINGERPRINT",
            default="",
            help="Import, if OS2mo still says what the preview with this fingerprint showed.",
        )

    def progress(self, step: str, done: int, total: int) -> None:
        label = IMPORT_STEPS.get(step, step)
        self.stdout.write(f"{label}: {done}" if done == total else f"{label}: {done}/{total}")

    def handle(self, *args: Any, check: bool, confirm: str, **options: Any) -> None:
        try:
            snapshot, problems = os2mo_snapshot(progress=self.progress)
        except Os2moError as error:
            raise CommandError(str(error)) from error
        self.progress("check", 0, 0)
        problems = problems_in_order(problems + snapshot_problems(snapshot))
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
        fingerprint = snapshot_fingerprint(snapshot)
        if check or not confirm:
            self.stdout.write(
                _("The data is fine: %(units)d units and %(people)d people. Nothing was changed.")
                % {"units": len(snapshot.units), "people": len(snapshot.people)}
            )
            for section in plan_sections(snapshot_plan(snapshot).as_json()):
                self.stdout.write(f"{section.label}: {section.count}")
                for name in section.names:
                    self.stdout.write(f"  {name}")
                if section.hidden:
                    self.stdout.write(f"  … +{section.hidden}")
            self.stdout.write(
                _("To import exactly this, run again with --confirm %(fingerprint)s")
                % {"fingerprint": fingerprint}
            )
            return
        if confirm != fingerprint:
            raise CommandError(
                _(
                    "OS2mo changed after the check, so nothing was imported. Check it again "
                    "and confirm the new preview."
                )
            )
        result = snapshot_apply(
            snapshot, actor=None, source=SOURCE, now=timezone.now(), progress=self.progress
        )
        self.stdout.write(
            _(
                "Units: %(new)d new, %(changed)d changed, %(archived)d retired (archived), "
                "%(restored)d back in use."
            )
            % {
                "new": result.units_created,
                "changed": result.units_changed,
                "archived": result.units_archived,
                "restored": result.units_restored,
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
