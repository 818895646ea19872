"""Write the API's OpenAPI schema to docs/openapi.json, where it is committed; a test fails
while the file differs from the API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from api.api import schema

SCHEMA_FILE = Path(settings.BASE_DIR) / "docs" / "openapi.json"


class Command(BaseCommand):
    help = "Write the API's OpenAPI schema to docs/openapi.json."

    def handle(self, *args: Any, **options: Any) -> None:
        SCHEMA_FILE.write_text(json.dumps(schema(), indent=2, ensure_ascii=False) + "\n")
        self.stdout.write(f"Wrote {SCHEMA_FILE.relative_to(settings.BASE_DIR)}")
