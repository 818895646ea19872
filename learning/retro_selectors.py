"""Reads of retrospectives: the board a participant works on, a closed retrospective's
summary, and a team's retrospectives with its health over time. The board is read through
`Retrospective.objects.visible_to(user)` (the participants); a summary, which holds no note,
through `summaries_visible_to(user)`; the health figures through the anonymity engine."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import User
from development.picture_services import anonymity_k
from learning.models import (
    HEALTH_STATEMENTS,
    RETRO_PHASES,
    HealthAnswer,
    RetroAction,
    RetroGroup,
    RetroNote,
    RetroParticipation,
    RetroPhase,
    Retrospective,
)
from organisation.models import Membership, Unit
from pulse.anonymity import disclose
from teamwork.access import own_unit_or_404, readable_unit_or_404
from teamwork.models import Goal

# The summaries and health figures a team's page lists, newest first.
TEAM_PAGE_SIZE = 20


def retrospective_or_404(user: User, retrospective_id: int) -> Retrospective:
    """A retrospective `user` takes part in."""
    try:
        return (
            Retrospective.objects.visible_to(user)
            .select_related("unit", "facilitator")
            .get(pk=retrospective_id)
        )
    except Retrospective.DoesNotExist:
        raise Http404 from None


def summary_or_404(user: User, retrospective_id: int) -> Retrospective:
    try:
        return (
            Retrospective.objects.summaries_visible_to(user)
            .select_related("unit")
            .distinct()
            .get(pk=retrospective_id)
        )
    except Retrospective.DoesNotExist:
        raise Http404 from None


def group_or_404(retro: Retrospective, group_id: int) -> RetroGroup:
    try:
        return retro.groups.get(pk=group_id)
    except RetroGroup.DoesNotExist:
        raise Http404 from None


def note_or_404(retro: Retrospective, note_id: int) -> RetroNote:
    try:
        return retro.notes.get(pk=note_id)
    except RetroNote.DoesNotExist:
        raise Http404 from None


@dataclass(frozen=True)
class PhaseStep:
    label: str
    number: int
    state: str  # "done", "current" or "coming"


@dataclass(frozen=True)
class Progress:
    """How far one participant is, by name: never what they wrote or voted for."""

    name: str
    ready: bool
    answered_health: bool
    votes_used: int


@dataclass
class GroupView:
    group: RetroGroup
    notes: list[RetroNote] = field(default_factory=list)
    actions: list[Goal] = field(default_factory=list)


@dataclass(frozen=True)
class Column:
    number: int
    question: str
    notes: list[RetroNote]


@dataclass(frozen=True)
class ActionView:
    goal: Goal
    group_title: str


@dataclass(frozen=True)
class Board:
    """Everything a participant's page shows of the retrospective in its current phase."""

    retro: Retrospective
    steps: list[PhaseStep]
    is_facilitator: bool
    progress: list[Progress]
    me: RetroParticipation
    notes_written: int
    # In private writing only the reader's own notes; from the reveal on, everyone's.
    columns: list[Column]
    groups: list[GroupView]
    actions: list[ActionView]
    # The open actions of the team's last retrospective, which this one opens with.
    earlier_actions: list[Goal]
    owners: list[User]
    statements: list[str]
    k: int
    # Once closed: what was agreed.
    summary: Summary | None

    @property
    def votes_left(self) -> int:
        return self.retro.votes_each - self.me.votes_used

    @property
    def ready_count(self) -> int:
        return sum(1 for person in self.progress if person.ready)

    @property
    def health_count(self) -> int:
        return sum(1 for person in self.progress if person.answered_health)


def _steps(retro: Retrospective) -> list[PhaseStep]:
    current = RETRO_PHASES.index(RetroPhase(retro.phase))
    return [
        PhaseStep(
            str(phase.label),
            index + 1,
            "done" if index < current else "current" if index == current else "coming",
        )
        for index, phase in enumerate(RETRO_PHASES[:-1])
    ]


def _earlier_actions(retro: Retrospective) -> list[Goal]:
    last = (
        Retrospective.objects.filter(unit_id=retro.unit_id, phase=RetroPhase.CLOSED)
        .filter(pk__lt=retro.pk)
        .order_by("-pk")
        .first()
    )
    if last is None:
        return []
    return list(
        Goal.objects.filter(retro_action__retrospective=last)
        .exclude(status=Goal.Status.DONE)
        .select_related("owner", "team")
        .order_by("pk")
    )


def for_board(user: User, retro: Retrospective, mine: set[int]) -> Board:
    """The board of a retrospective `user` takes part in (the caller read it through
    `retrospective_or_404`); `mine` are the notes the reader's browser says are theirs in an
    anonymous retrospective."""
    phase = RetroPhase(retro.phase)
    progress_rows = list(
        RetroParticipation.objects.filter(retrospective=retro)
        .select_related("person")
        .order_by("person__first_name", "person__last_name", "person_id")
    )
    me = next(row for row in progress_rows if row.person_id == user.pk)
    notes = list(retro.notes.select_related("author").order_by("column", "pk"))
    notes_written = len(notes)
    if phase == RetroPhase.CHECKIN:
        notes = []
    elif phase == RetroPhase.WRITING:
        notes = [
            note
            for note in notes
            if (note.pk in mine if retro.anonymous else note.author_id == user.pk)
        ]
    columns = [
        Column(number, question, [note for note in notes if note.column == number])
        for number, question in enumerate(retro.columns)
    ]
    groups: list[GroupView] = []
    actions: list[ActionView] = []
    if phase in {RetroPhase.GROUPING, RetroPhase.VOTING, RetroPhase.DISCUSSION, RetroPhase.ACTIONS}:
        by_id = {group.pk: GroupView(group) for group in retro.groups.all()}
        for note in notes:
            if note.group_id is not None:
                by_id[note.group_id].notes.append(note)
        groups = list(by_id.values())
        if phase in {RetroPhase.DISCUSSION, RetroPhase.ACTIONS}:
            groups.sort(key=lambda view: (-view.group.votes, view.group.pk))
        actions = [
            ActionView(
                action.goal,
                by_id[action.group_id].group.title if action.group_id in by_id else "",
            )
            for action in RetroAction.objects.filter(retrospective=retro).select_related(
                "goal__owner", "goal__team"
            )
        ]
    owners = (
        list(
            User.objects.filter(is_active=True, memberships__unit_id=retro.unit_id).order_by(
                "first_name", "last_name", "pk"
            )
        )
        if phase == RetroPhase.ACTIONS
        else []
    )
    return Board(
        retro=retro,
        steps=_steps(retro),
        is_facilitator=retro.facilitator_id == user.pk,
        progress=[
            Progress(
                row.person.display_name,
                row.ready_in == retro.phase,
                row.answered_health,
                row.votes_used,
            )
            for row in progress_rows
        ],
        me=me,
        notes_written=notes_written,
        columns=columns,
        groups=groups,
        actions=actions,
        earlier_actions=_earlier_actions(retro) if phase == RetroPhase.CHECKIN else [],
        owners=owners,
        statements=[str(statement) for statement in HEALTH_STATEMENTS],
        k=anonymity_k(),
        summary=summaries_of([retro])[0] if phase == RetroPhase.CLOSED else None,
    )


@dataclass(frozen=True)
class Summary:
    """What a closed retrospective agreed: groups with votes and decisions, and actions. Never
    a note, so it can be read by the team and go to the handbook."""

    retro: Retrospective
    groups: list[GroupView]
    actions: list[ActionView]


def summaries_of(retros: list[Retrospective]) -> list[Summary]:
    """The summaries of closed retrospectives, in two queries whatever their number."""
    groups: dict[int, list[GroupView]] = defaultdict(list)
    titles: dict[int, str] = {}
    for group in RetroGroup.objects.filter(retrospective__in=retros).order_by("-votes", "pk"):
        groups[group.retrospective_id].append(GroupView(group))
        titles[group.pk] = group.title
    actions: dict[int, list[ActionView]] = defaultdict(list)
    for action in (
        RetroAction.objects.filter(retrospective__in=retros)
        .select_related("goal__owner", "goal__team")
        .order_by("pk")
    ):
        actions[action.retrospective_id].append(
            ActionView(action.goal, titles.get(action.group_id or 0, ""))
        )
    return [Summary(retro, groups[retro.pk], actions[retro.pk]) for retro in retros]


@dataclass(frozen=True)
class HealthPoint:
    """One retrospective's health check: the average of each statement, or None for every
    statement when fewer than k answered."""

    retro: Retrospective
    means: list[float] | None


@dataclass(frozen=True)
class HealthRow:
    statement: str
    # One per HealthPoint, in the same order: the average, or None when it is not shown.
    means: list[float | None]


@dataclass(frozen=True)
class TeamRetrospectives:
    unit: Unit
    can_start: bool
    # Retrospectives under way that the reader takes part in.
    running: list[Retrospective]
    summaries: list[Summary]
    health: list[HealthPoint]
    k: int

    @property
    def health_rows(self) -> list[HealthRow]:
        return [
            HealthRow(
                str(statement),
                [None if point.means is None else point.means[row] for point in self.health],
            )
            for row, statement in enumerate(HEALTH_STATEMENTS)
        ]


def _health(retros: list[Retrospective], k: int) -> list[HealthPoint]:
    """Each retrospective's health averages, as far as the anonymity engine shows them: a
    retrospective is a group of its own, shown when at least k answered."""
    answers: dict[int, list[list[int]]] = defaultdict(list)
    for answer in HealthAnswer.objects.filter(retrospective__in=retros).only(
        "retrospective_id", "scores"
    ):
        answers[answer.retrospective_id].append(answer.scores)
    points = []
    for retro in retros:
        given = answers.get(retro.pk)
        if not given:
            continue
        shown = disclose(parent={retro.pk: None}, direct={retro.pk: len(given)}, k=k)
        means = (
            [sum(scores[i] for scores in given) / len(given) for i in range(len(HEALTH_STATEMENTS))]
            if shown.is_shown(retro.pk)
            else None
        )
        points.append(HealthPoint(retro, means))
    # Oldest first, as a trend is read.
    return points[::-1]


def for_team_retrospectives(user: User, unit_id: int) -> TeamRetrospectives:
    """A team's retrospectives as far as `user` may read them; 404 for a unit whose team page
    they may not open."""
    unit = readable_unit_or_404(user, unit_id)
    running = list(
        Retrospective.objects.visible_to(user)
        .filter(unit=unit)
        .exclude(phase=RetroPhase.CLOSED)
        .order_by("-created_at")
    )
    closed = list(
        Retrospective.objects.summaries_visible_to(user)
        .filter(unit=unit)
        .distinct()
        .order_by("-held_on", "-pk")[:TEAM_PAGE_SIZE]
    )
    k = anonymity_k()
    return TeamRetrospectives(
        unit=unit,
        can_start=Membership.objects.filter(unit=unit, user=user).exists(),
        running=running,
        summaries=summaries_of(closed),
        health=_health(closed, k),
        k=k,
    )


@dataclass(frozen=True)
class NewRetrospectivePage:
    unit: Unit
    people: list[User]


def for_new_retrospective(user: User, unit_id: int) -> NewRetrospectivePage:
    """The form to start one: only the unit's own people start its retrospectives."""
    unit = own_unit_or_404(user, unit_id)
    people = list(
        User.objects.filter(is_active=True, memberships__unit=unit)
        .exclude(pk=user.pk)
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )
    return NewRetrospectivePage(unit, people)


def _published() -> QuerySet[Retrospective]:
    return Retrospective.objects.filter(phase=RetroPhase.CLOSED, published=True).order_by(
        "-held_on", "-pk"
    )


def handbook_summaries(unit: Unit) -> list[Summary]:
    """The closed retrospectives of a team whose facilitator approved the summary for the
    handbook (for the team's handbook pages, which every reader of the team may download)."""
    return summaries_of(list(_published().filter(unit=unit)))


def handbook_summaries_of_units() -> dict[int, list[Summary]]:
    """Every approved summary, by unit id (for the operator's export of every team)."""
    by_unit: dict[int, list[Summary]] = defaultdict(list)
    for summary in summaries_of(list(_published())):
        by_unit[summary.retro.unit_id].append(summary)
    return by_unit
