"""Writes of a retrospective. Each function checks who acts and in which phase, and raises
LearningError with a message in the user's language when the change cannot be made; nothing
is changed then. Every change counts up the retrospective's revision, which the participants'
pages ask for to show each other's progress without reloading.

In an anonymous retrospective nothing written links a note, a vote or a health answer to a
person: notes and health answers are rows with a random key and no author or time, and a vote
adds one to its group's counter. Only how far each person is (ready, answered, votes used) is
kept by name, in RetroParticipation."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from learning.models import (
    HEALTH_STATEMENTS,
    RETRO_COLUMNS,
    RETRO_PHASES,
    HealthAnswer,
    RetroAction,
    RetroGroup,
    RetroNote,
    RetroParticipation,
    RetroPhase,
    Retrospective,
    RetroTemplate,
)
from learning.services import LearningError
from organisation.models import Membership, Unit
from teamwork.models import Goal
from teamwork.services import TeamworkError, goal_create

TITLE_LENGTH = 200
NOTE_LENGTH = 500
DECISION_LENGTH = 2000
MAX_COLUMNS = 6
# Enough for any meeting; a bound so that one page never holds thousands of notes.
MAX_NOTES = 400
HEALTH_SCALE = range(1, 6)

# Where notes may be written: privately, and still while they are shown and grouped.
WRITING_PHASES = {RetroPhase.WRITING, RetroPhase.REVEAL, RetroPhase.GROUPING}


@dataclass(frozen=True)
class RetroSetup:
    """What the facilitator chooses when a retrospective is started."""

    title: str
    template: str
    free_columns: str = ""
    anonymous: bool = True
    votes_each: int = 3
    participants: tuple[User, ...] = ()


def _bump(retro: Retrospective) -> None:
    Retrospective.objects.filter(pk=retro.pk).update(revision=F("revision") + 1)


def _text(text: str, *, empty: str, limit: int) -> str:
    text = text.strip()
    if not text:
        raise LearningError(empty)
    if len(text) > limit:
        raise LearningError(_("A text can be at most %(max)d characters.") % {"max": limit})
    return text


def _columns(template: str, free: str) -> list[str]:
    if template not in RetroTemplate.values:
        raise LearningError(_("Choose a template."))
    if template != RetroTemplate.FREE:
        return [str(column) for column in RETRO_COLUMNS[RetroTemplate(template)]]
    columns = [line.strip() for line in free.splitlines() if line.strip()]
    if not columns:
        raise LearningError(_("Write the questions of the retrospective, one on each line."))
    if len(columns) > MAX_COLUMNS or any(len(column) > TITLE_LENGTH for column in columns):
        raise LearningError(
            _("A retrospective has at most %(max)d questions of at most 200 characters each.")
            % {"max": MAX_COLUMNS}
        )
    return columns


def _participant(retro: Retrospective, person: User) -> RetroParticipation:
    """The person's progress row; it exists exactly for the participants."""
    found = RetroParticipation.objects.filter(retrospective=retro, person=person).first()
    if found is None:
        raise LearningError(_("Only the participants take part in the retrospective."))
    return found


def _in_phase(retro: Retrospective, *phases: RetroPhase) -> None:
    if retro.phase not in phases:
        raise LearningError(
            _("That is not done in this phase. The retrospective is at: %(phase)s.")
            % {"phase": retro.get_phase_display()}
        )


def _facilitator(retro: Retrospective, by: User) -> None:
    if retro.facilitator_id != by.pk:
        raise LearningError(_("Only the facilitator leads the retrospective on."))


@transaction.atomic
def retrospective_create(
    *, facilitator: User, unit: Unit, setup: RetroSetup, now: datetime
) -> Retrospective:
    """A new retrospective of `unit`, led by `facilitator` (one of its people), for them and
    the participants chosen, who may come from other teams (a project group)."""
    if not Membership.objects.filter(unit=unit, user=facilitator).exists():
        raise LearningError(_("Only the team's own people start its retrospectives."))
    title = _text(setup.title, empty=_("Give the retrospective a title."), limit=TITLE_LENGTH)
    columns = _columns(setup.template, setup.free_columns)
    if not 1 <= setup.votes_each <= 10:
        raise LearningError(_("Each participant has from 1 to 10 votes."))
    people = {person.pk: person for person in setup.participants if person.is_active}
    people[facilitator.pk] = facilitator
    if len(people) < 2:
        raise LearningError(_("Choose at least one more participant."))
    retro = Retrospective.objects.create(
        unit=unit,
        title=title,
        template=setup.template,
        columns=columns,
        anonymous=setup.anonymous,
        votes_each=setup.votes_each,
        facilitator=facilitator,
        held_on=timezone.localdate(now),
    )
    RetroParticipation.objects.bulk_create(
        RetroParticipation(retrospective=retro, person=person) for person in people.values()
    )
    return retro


@transaction.atomic
def retrospective_anonymity_set(*, retro: Retrospective, by: User, anonymous: bool) -> None:
    """Anonymous or named is chosen before the first note, and stays so from then on."""
    _facilitator(retro, by)
    locked = Retrospective.objects.select_for_update().get(pk=retro.pk)
    if locked.notes.exists() or locked.phase != RetroPhase.CHECKIN:
        raise LearningError(
            _("Notes have been written: whether they are anonymous can no longer change.")
        )
    Retrospective.objects.filter(pk=retro.pk).update(
        anonymous=anonymous, revision=F("revision") + 1
    )
    retro.anonymous = anonymous


@transaction.atomic
def phase_next(*, retro: Retrospective, by: User, now: datetime) -> Retrospective:
    """The facilitator leads on to the next phase. From grouping to votes, every note that is
    in no group becomes a group of its own; the last phase closes the retrospective."""
    _facilitator(retro, by)
    locked = Retrospective.objects.select_for_update().get(pk=retro.pk)
    if locked.is_closed:
        raise LearningError(_("The retrospective is closed."))
    following = RETRO_PHASES[RETRO_PHASES.index(RetroPhase(locked.phase)) + 1]
    if locked.phase == RetroPhase.GROUPING:
        loose = list(locked.notes.filter(group__isnull=True).order_by("column", "pk"))
        number = locked.groups.count()
        for note in loose:
            number += 1
            note.group = RetroGroup.objects.create(retrospective=locked, title=_group_title(number))
        RetroNote.objects.bulk_update(loose, ["group"])
    _rewrite(locked)
    locked.phase = following
    locked.revision += 1
    if following == RetroPhase.CLOSED:
        locked.closed_at = now
    locked.save(update_fields=["phase", "revision", "closed_at"])
    return locked


def _rewrite(retro: Retrospective) -> None:
    """Write the retrospective's rows again, in one transaction and in random order, as a
    wellbeing round is sealed: notes and health answers get new random keys and lie in a new
    physical order, and every group and progress row carries this transaction. So neither the
    order of rows nor PostgreSQL's transaction ids (xmin) link a note, a vote or a health
    answer to the moment a person's progress changed. Done at every change of phase."""
    shuffle = secrets.SystemRandom().shuffle
    notes = list(retro.notes.values("column", "text", "author_id", "group_id"))
    answers = list(retro.health_answers.values_list("scores", flat=True))
    shuffle(notes)
    shuffle(answers)
    retro.notes.all().delete()
    retro.health_answers.all().delete()
    RetroNote.objects.bulk_create(RetroNote(retrospective=retro, **note) for note in notes)
    HealthAnswer.objects.bulk_create(
        HealthAnswer(retrospective=retro, scores=scores) for scores in answers
    )
    retro.groups.update(votes=F("votes"))
    # Being ready belongs to a phase: everyone starts the next one not yet ready.
    RetroParticipation.objects.filter(retrospective=retro).update(ready_in="")


def _group_title(number: int) -> str:
    # A group is named by the team, never after a note: the summary carries group titles to
    # the handbook, and a note of an anonymous retrospective must never go there.
    return _("Group %(number)d") % {"number": number}


@transaction.atomic
def ready_set(*, retro: Retrospective, person: User) -> None:
    """The person is done with this phase; the others see it."""
    progress = _participant(retro, person)
    if retro.is_closed:
        raise LearningError(_("The retrospective is closed."))
    progress.ready_in = retro.phase
    progress.save(update_fields=["ready_in"])
    _bump(retro)


@transaction.atomic
def health_answer(*, retro: Retrospective, person: User, scores: Iterable[int | None]) -> None:
    """The person's answers to the five statements of the health check, once, in the
    check-in. Stored without the person: that they answered is kept apart."""
    _in_phase(retro, RetroPhase.CHECKIN)
    progress = _participant(retro, person)
    values = list(scores)
    if len(values) != len(HEALTH_STATEMENTS) or any(value not in HEALTH_SCALE for value in values):
        raise LearningError(_("Answer each of the five statements from 1 to 5."))
    if progress.answered_health:
        raise LearningError(_("You have answered the health check of this retrospective."))
    progress.answered_health = True
    progress.save(update_fields=["answered_health"])
    HealthAnswer.objects.create(retrospective=retro, scores=values)
    _bump(retro)


@transaction.atomic
def note_add(*, retro: Retrospective, person: User, column: int, text: str) -> RetroNote:
    _in_phase(retro, *WRITING_PHASES)
    _participant(retro, person)
    if not 0 <= column < len(retro.columns):
        raise LearningError(_("Choose one of the questions."))
    text = _text(text, empty=_("Write the note."), limit=NOTE_LENGTH)
    if retro.notes.count() >= MAX_NOTES:
        raise LearningError(_("The retrospective has as many notes as it can hold."))
    note = RetroNote.objects.create(
        retrospective=retro,
        column=column,
        text=text,
        author=None if retro.anonymous else person,
    )
    _bump(retro)
    return note


@transaction.atomic
def note_delete(*, retro: Retrospective, person: User, note: RetroNote, mine: set[int]) -> None:
    """A note is taken back by whoever wrote it, while the writing is private. In an
    anonymous retrospective only the writer's browser knows which notes are theirs (`mine`)."""
    _in_phase(retro, RetroPhase.WRITING)
    _participant(retro, person)
    written = note.pk in mine if retro.anonymous else note.author_id == person.pk
    if note.retrospective_id != retro.pk or not written:
        raise LearningError(_("Only the person who wrote a note can take it back."))
    note.delete()
    _bump(retro)


@transaction.atomic
def note_group(
    *, retro: Retrospective, person: User, note: RetroNote, group: RetroGroup | None, new: bool
) -> RetroGroup | None:
    """Put a note in a group, in a new group (`new`), or in none (`group` None)."""
    _in_phase(retro, RetroPhase.GROUPING)
    _participant(retro, person)
    if note.retrospective_id != retro.pk or (
        group is not None and group.retrospective_id != retro.pk
    ):
        raise LearningError(_("Choose a group of this retrospective."))
    if new:
        group = RetroGroup.objects.create(
            retrospective=retro, title=_group_title(retro.groups.count() + 1)
        )
    note.group = group
    note.save(update_fields=["group"])
    _bump(retro)
    return group


@transaction.atomic
def group_rename(*, retro: Retrospective, person: User, group: RetroGroup, title: str) -> None:
    _in_phase(retro, RetroPhase.GROUPING, RetroPhase.VOTING, RetroPhase.DISCUSSION)
    _participant(retro, person)
    group.title = _text(title, empty=_("Give the group a title."), limit=TITLE_LENGTH)
    group.save(update_fields=["title"])
    _bump(retro)


@transaction.atomic
def vote(*, retro: Retrospective, person: User, group: RetroGroup) -> int:
    """One of the person's votes on a group; returns the votes they have left. The vote adds
    one to the group's counter and is not kept by name, so it cannot be taken back."""
    _in_phase(retro, RetroPhase.VOTING)
    progress = _participant(retro, person)
    if group.retrospective_id != retro.pk:
        raise LearningError(_("Choose a group of this retrospective."))
    used = RetroParticipation.objects.filter(
        pk=progress.pk, votes_used__lt=retro.votes_each
    ).update(votes_used=F("votes_used") + 1)
    if not used:
        raise LearningError(_("You have used all your votes."))
    RetroGroup.objects.filter(pk=group.pk).update(votes=F("votes") + 1)
    _bump(retro)
    return retro.votes_each - progress.votes_used - 1


@transaction.atomic
def decision_set(*, retro: Retrospective, person: User, group: RetroGroup, text: str) -> None:
    """What the team decided about a group, written in the discussion."""
    _in_phase(retro, RetroPhase.DISCUSSION, RetroPhase.ACTIONS)
    _participant(retro, person)
    text = text.strip()
    if len(text) > DECISION_LENGTH:
        raise LearningError(
            _("A text can be at most %(max)d characters.") % {"max": DECISION_LENGTH}
        )
    group.decision = text
    group.save(update_fields=["decision"])
    _bump(retro)


@transaction.atomic
def action_add(
    *,
    retro: Retrospective,
    person: User,
    title: str,
    owner: User,
    due_date: date | None,
    group: RetroGroup | None,
) -> RetroAction:
    """An action agreed by the team, kept from now on as one of its goals, with an owner
    among its people and a due date."""
    _in_phase(retro, RetroPhase.ACTIONS)
    _participant(retro, person)
    title = _text(title, empty=_("Write the action."), limit=TITLE_LENGTH)
    if due_date is None:
        raise LearningError(_("Give the action a due date."))
    if group is not None and group.retrospective_id != retro.pk:
        raise LearningError(_("Choose a group of this retrospective."))
    try:
        goal = goal_create(
            unit=retro.unit,
            title=title,
            owner=owner,
            due_date=due_date,
            status=Goal.Status.NOT_STARTED,
        )
    except TeamworkError as error:
        raise LearningError(str(error)) from None
    action = RetroAction.objects.create(retrospective=retro, group=group, goal=goal)
    _bump(retro)
    return action


@transaction.atomic
def publish_set(*, retro: Retrospective, by: User, published: bool) -> None:
    """The facilitator approves the summary for the team's handbook, or takes it back."""
    _facilitator(retro, by)
    if not retro.is_closed:
        raise LearningError(_("Close the retrospective before its summary goes to the handbook."))
    retro.published = published
    retro.save(update_fields=["published"])
