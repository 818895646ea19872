"""The API's parts of what a person shares with their teams and organisation: the teams they
may open with their purpose and agreements, team goals with their progress notes, help asked
for, recognition, and a unit's wellbeing results. Read through the access layer; the wellbeing
results are the page's figures, through the anonymity engine, as the page and its CSV have
them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from api.base import (
    ONE_PROBLEMS,
    READ_PROBLEMS,
    WRITE_PROBLEMS,
    Input,
    PageQuery,
    Problem,
    needs,
    page_of,
    problem,
    visible,
)
from core.access import get_visible_or_404
from organisation.models import Unit
from organisation.selectors import is_member
from pulse import figures, selectors
from recognition.models import Recognition
from teamwork.access import readable_unit_or_404
from teamwork.models import Goal, GoalNote, HelpRequest, WorkingAgreement
from teamwork.services import goal_note_add

router = Router()


# --- Teams --------------------------------------------------------------------------------------


class AgreementOut(Schema):
    id: int
    text: str


class TeamOut(Schema):
    """A unit the person may open, with its team's purpose and working agreements."""

    id: int
    name: str
    parent: int | None = Field(..., alias="parent_id")
    purpose: str
    agreements: list[AgreementOut]

    @staticmethod
    def resolve_purpose(obj: Unit) -> str:
        team = getattr(obj, "team", None)
        return team.purpose if team else ""

    @staticmethod
    def resolve_agreements(obj: Unit) -> list[WorkingAgreement]:
        team = getattr(obj, "team", None)
        return list(team.agreements.all()) if team else []


class TeamPage(Schema):
    items: list[TeamOut]
    next: int | None


def _teams() -> Any:
    """Units not archived, with what the answer shows of each; the access layer is the
    caller's."""
    return (
        Unit.objects.filter(archived_at__isnull=True)
        .select_related("team")
        .prefetch_related("team__agreements")
    )


@router.get("/teams", response={200: TeamPage, **READ_PROBLEMS}, tags=["teams"])
def teams(request: HttpRequest, page: Query[PageQuery]) -> dict[str, Any]:
    """The units whose team page the person may open: their own, those below a unit they
    lead, and all for an administrator."""
    return page_of(_teams().visible_to(needs(request, "teams:read")), page)


@router.get("/teams/{unit_id}", response={200: TeamOut, **ONE_PROBLEMS}, tags=["teams"])
def team(request: HttpRequest, unit_id: int) -> Unit:
    found: Unit = visible(request, "teams:read", _teams(), unit_id)
    return found


# --- Help requests ------------------------------------------------------------------------------


class HelpRequestOut(Schema):
    id: int
    asker: int = Field(..., alias="asker_id")
    unit: int = Field(..., alias="unit_id")
    scope: str
    text: str
    status: str
    created_at: datetime
    resolved_at: datetime | None


class HelpRequestPage(Schema):
    items: list[HelpRequestOut]
    next: int | None


@router.get("/help-requests", response={200: HelpRequestPage, **READ_PROBLEMS}, tags=["teams"])
def help_requests(request: HttpRequest, page: Query[PageQuery]) -> dict[str, Any]:
    """Help asked for that the person may read: their own, their teams', and the whole
    organisation's, newest first."""
    return page_of(HelpRequest.objects.visible_to(needs(request, "teams:read")), page)


@router.get(
    "/help-requests/{help_request_id}",
    response={200: HelpRequestOut, **ONE_PROBLEMS},
    tags=["teams"],
)
def help_request(request: HttpRequest, help_request_id: int) -> HelpRequest:
    found: HelpRequest = visible(request, "teams:read", HelpRequest, help_request_id)
    return found


# --- Team goals ---------------------------------------------------------------------------------


class GoalNoteOut(Schema):
    id: int
    # Null once the author's account is gone.
    author: int | None = Field(..., alias="author_id")
    text: str
    at: datetime


class GoalOut(Schema):
    id: int
    unit: int
    title: str
    owner: int = Field(..., alias="owner_id")
    due_date: date | None
    status: str
    notes: list[GoalNoteOut]
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_unit(obj: Goal) -> int:
        return obj.team.unit_id

    @staticmethod
    def resolve_notes(obj: Goal) -> list[GoalNote]:
        return list(obj.notes.all())


class GoalPage(Schema):
    items: list[GoalOut]
    next: int | None


class GoalNoteIn(Input):
    text: str = Field(..., min_length=1, max_length=1000, pattern=r"\S")


def _goals(person: Any) -> Any:
    return (
        Goal.objects.visible_to(person)
        .select_related("team")
        .prefetch_related(Prefetch("notes", queryset=GoalNote.objects.order_by("at", "pk")))
    )


@router.get("/goals", response={200: GoalPage, **READ_PROBLEMS}, tags=["goals"])
def goals(request: HttpRequest, page: Query[PageQuery]) -> dict[str, Any]:
    """The team goals of the units the person may open, with their progress notes; the
    actions a unit agreed on after a wellbeing round are goals too."""
    return page_of(_goals(needs(request, "goals:read")), page)


@router.get("/goals/{goal_id}", response={200: GoalOut, **ONE_PROBLEMS}, tags=["goals"])
def goal(request: HttpRequest, goal_id: int) -> Goal:
    found: Goal = visible(request, "goals:read", Goal, goal_id)
    return found


@router.post(
    "/goals/{goal_id}/notes",
    response={200: GoalNoteOut, **WRITE_PROBLEMS, 404: Problem},
    tags=["goals"],
)
def goal_note_new(request: HttpRequest, goal_id: int, data: GoalNoteIn) -> Any:
    """Write a progress note on a goal of one's own team. Someone who reads the goal but is
    not of its team (a leader above it) gets 403."""
    person = needs(request, "goals:write")
    found: Goal = get_visible_or_404(Goal.objects.select_related("team__unit"), person, pk=goal_id)
    if not is_member(person, found.team.unit):
        return problem(request, 403, _("Only the team's own people write on its goals"))
    return goal_note_add(goal=found, author=person, text=data.text)


# --- Recognition --------------------------------------------------------------------------------


class RecognitionOut(Schema):
    id: int
    author: int = Field(..., alias="author_id")
    recipients: list[int]
    text: str
    values: list[int]
    # Null: for everyone in the organisation.
    unit: int | None = Field(..., alias="unit_id")
    created_at: datetime

    @staticmethod
    def resolve_recipients(obj: Recognition) -> list[int]:
        return [person.pk for person in obj.recipients.all()]

    @staticmethod
    def resolve_values(obj: Recognition) -> list[int]:
        return [value.pk for value in obj.values.all()]


class RecognitionPage(Schema):
    items: list[RecognitionOut]
    next: int | None


@router.get("/recognition", response={200: RecognitionPage, **READ_PROBLEMS}, tags=["recognition"])
def recognitions(request: HttpRequest, page: Query[PageQuery]) -> dict[str, Any]:
    """The recognition the person may read: for everyone, for their units, and what they
    wrote or received, newest first."""
    rows = Recognition.objects.visible_to(needs(request, "recognition:read"))
    return page_of(rows.prefetch_related("recipients", "values"), page)


@router.get(
    "/recognition/{recognition_id}",
    response={200: RecognitionOut, **ONE_PROBLEMS},
    tags=["recognition"],
)
def recognition(request: HttpRequest, recognition_id: int) -> Recognition:
    found: Recognition = visible(request, "recognition:read", Recognition, recognition_id)
    return found


# --- Wellbeing results --------------------------------------------------------------------------


class Named(Schema):
    id: int
    name: str


class QuestionFigures(Schema):
    id: int
    theme: str
    text: str
    # Answers per point of the scale, 1 to 5.
    counts: list[int]
    average: float | None


class RoundFigures(Schema):
    number: int
    closed: datetime
    # The unit whose figures are shown (the unit, or the nearest above it with enough
    # answers), or null when none may be: then nothing else of the round is shown.
    shown_for: Named | None
    respondents: int | None
    average: float | None
    questions: list[QuestionFigures]
    comments: list[str]


class SurveyFigures(Schema):
    id: int
    name: str
    confidential: bool
    rounds: list[RoundFigures]


class EnergyFigures(Schema):
    week: date
    shown_for: Named | None
    respondents: int | None
    counts: list[int] | None
    average: float | None


class ActionOut(Schema):
    title: str
    question: int
    round: int | None
    owner: str
    due_date: date | None
    status: str


class WellbeingOut(Schema):
    unit: Named
    surveys: list[SurveyFigures]
    energy: list[EnergyFigures]
    actions: list[ActionOut]


@router.get(
    "/wellbeing/{unit_id}", response={200: WellbeingOut, **ONE_PROBLEMS}, tags=["wellbeing"]
)
def wellbeing(request: HttpRequest, unit_id: int) -> dict[str, Any]:
    """A unit's wellbeing results as its results page shows them and its CSV has them: the
    anonymity engine's figures, nothing for a group with too few answers, and never who
    answered."""
    person = needs(request, "wellbeing:read")
    unit = readable_unit_or_404(person, unit_id)
    return figures.results_json(unit, selectors.unit_results(person, unit.pk, timezone.now()))
