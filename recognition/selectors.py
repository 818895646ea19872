"""Reads about recognition for the feeds that show it, through `visible_to`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.access import get_visible_or_404
from organisation.models import Unit
from recognition.models import Reaction, Recognition

# Each reaction's icon from the design system's set, which has no heart or clapping hands: the
# nearest in meaning. The word is always written beside it.
REACTION_ICONS = {
    Reaction.Kind.APPLAUSE: "how-to-reg",
    Reaction.Kind.HEART: "trainee",  # a smiling face
    Reaction.Kind.CELEBRATE: "star",
}


@dataclass(frozen=True)
class ReactionCount:
    kind: str
    label: str
    count: int
    mine: bool
    icon: str


def with_reactions(recognitions: list[Recognition], user: Any) -> list[Recognition]:
    """Attach each recognition's reaction counts, from the prefetched reactions (for_feed)."""
    for recognition in recognitions:
        reactions = list(recognition.reactions.all())
        recognition.reaction_counts = [  # type: ignore[attr-defined]
            ReactionCount(
                kind=kind,
                label=str(label),
                count=sum(1 for reaction in reactions if reaction.kind == kind),
                mine=any(r.kind == kind and r.user_id == user.pk for r in reactions),
                icon=REACTION_ICONS[Reaction.Kind(kind)],
            )
            for kind, label in Reaction.Kind.choices
        ]
    return recognitions


def recognition_or_404(user: Any, recognition_id: int) -> Recognition:
    recognition: Recognition = get_visible_or_404(
        Recognition.objects.for_feed(), user, pk=recognition_id
    )
    with_reactions([recognition], user)
    return recognition


def for_team_page(*, unit: Unit, user: Any) -> list[Recognition]:
    """The latest thanks posted to the team."""
    return with_reactions(
        list(Recognition.objects.visible_to(user).filter(unit=unit).for_feed()[:5]), user
    )


def for_member_week(user: Any, *, limit: int = 3) -> list[Recognition]:
    """The latest thanks `user` received, with their authors and values: two queries."""
    return list(
        Recognition.objects.received_by(user)
        .select_related("author")
        .prefetch_related("values")[:limit]
    )
