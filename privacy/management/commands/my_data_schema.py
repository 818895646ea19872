"""Write the JSON Schema of a copy of one's data to docs/my-data.schema.json, where it is
published; a test fails while the file differs from the schema the copies are made to."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from privacy.archive import export_schema

SCHEMA_FILE = Path(settings.BASE_DIR) / "docs" / "my-data.schema.json"


class Command(BaseCommand):
    help = "Write the JSON Schema of a copy of one's data to docs/my-data.schema.json."

    def handle(self, *args: Any, **options: Any) -> None:
        SCHEMA_FILE.write_text(json.dumps(export_schema(), indent=2, ensure_ascii=False) + "\n")
        self.stdout.write(f"Wrote {SCHEMA_FILE.relative_to(settings.BASE_DIR)}")
