from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from accounts.models import User
from core.access import Visibility, sharing_people_check
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
    people = (
        sharing_people_check(owner=note.owner, people=shared_with)
        if visibility == Visibility.SHARED
        else []
    )
    note.title, note.body, note.visibility = title, body, visibility
    note.save()
    note.shared_with.set(people)
    return note


@transaction.atomic
def note_delete(*, note: ProfileNote) -> None:
    note.delete()
