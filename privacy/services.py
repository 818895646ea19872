from __future__ import annotations

from django.db import transaction

from accounts.models import User
from core.personal_data import erasable


@transaction.atomic
def kind_erase(*, person: User, key: str) -> int:
    """Delete every row of the kind `key` that is `person`'s own, and what belongs to those
    rows alone (a check-in's replies); returns how many rows of the kind. A kind the person
    may not delete this way is a LookupError."""
    kind = erasable(key)
    if kind is None or kind.erase is None:
        raise LookupError(key)
    return kind.erase(kind.rows_of(person))
