"""Write the learning shared with the whole organisation, and the retrospective summaries
approved for the handbook, into a handbook's folder (a Jekyll site with just-the-docs, such
as a handbook repository's `docs/`): a folder per team with an index page and a page per
entry and per summary. Pages the export wrote before are written again; nothing
else in the folder is touched."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from learning.handbook import slug_of, team_pages
from learning.selectors import handbook_units


class Command(BaseCommand):
    help = "Write the learning shared with the whole organisation as handbook pages."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", help="The handbook's folder, such as its repository's docs/.")
        parser.add_argument(
            "--unit", type=int, action="append", default=[], help="Only this unit (repeatable)."
        )

    def handle(self, *args: Any, folder: str, unit: list[int], **options: Any) -> None:
        root = Path(folder)
        if not root.is_dir():
            raise CommandError(f"{root} is not a folder.")
        written = 0
        teams = [found for found in handbook_units() if not unit or found[0].pk in unit]
        with translation.override("da"):
            for found, entries, summaries in teams:
                pages = team_pages(found.name, found.pk, entries, slug_of(found.name), summaries)
                for page in pages:
                    path = root / page.path
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_text(page.text, encoding="utf-8")
                    written += 1
        self.stdout.write(f"{written} pages for {len(teams)} teams written to {root}.")
