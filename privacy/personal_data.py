"""The privacy app's part of the registry (see core.personal_data)."""

from core.personal_data import not_personal
from privacy.models import DataExport

not_personal(
    DataExport,
    reason="A copy of the kinds above, made for the person to download and deleted after a week.",
)
