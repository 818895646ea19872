from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from accounts.models import User
from core.access import Visibility
from profiles.models import ProfileNote


@transaction.atomic
def note_save(
    *,
    note: ProfileNote,
    title: str,
    body: str,
    visibility: str,
    shared_with: Iterable[User] = (),
) -> ProfileNote:
    note.title, note.body, note.visibility = title, body, visibility
    note.save()
    note.shared_with.set(list(shared_with) if visibility == Visibility.SHARED else [])
    return note


@transaction.atomic
def note_delete(*, note: ProfileNote) -> None:
    note.delete()
