"""Reads of the development app for its pages: small typed results, each read through the
access layer. A person's self-assessments are read by them, and by whoever they share one
with; an administrator reads the framework here, never an assessment."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _

from accounts.models import User
from checkins.selectors import BRING_LIMIT, ToBring
from core.access import get_visible_or_404
from core.dates import date_label
from development.models import Area, Framework, Rating, SelfAssessment
from development.services import AreaText, framework_current

# --- The framework editor -----------------------------------------------------------------------


@dataclass(frozen=True)
class FrameworkEditor:
    """The current framework to edit: its version, how many self-assessments use it, and its
    areas as the editor's rows."""

    version: int
    assessments: int
    rows: list[AreaText]


def for_framework_editor() -> FrameworkEditor:
    """The current framework's areas, in order. Three queries (and the first version's, the
    first time)."""
    framework = framework_current()
    used = SelfAssessment.objects.filter(framework=framework).aggregate(n=Count("pk"))["n"]
    rows = [
        AreaText(
            key=area.key,
            name_da=area.name_da,
            name_en=area.name_en,
            description_da=area.description_da,
            description_en=area.description_en,
            levels_da=list(area.levels_da),
            levels_en=list(area.levels_en),
        )
        for area in framework.areas.all()
    ]
    return FrameworkEditor(version=framework.version, assessments=used, rows=rows)


# --- A person's own page: their history, and what others share with them ------------------------


@dataclass(frozen=True)
class AreaHistory:
    """One focus area across a person's self-assessments, followed by its key through the
    versions of the framework: its level at each assessment, oldest first (None where an
    assessment was made with a version without the area)."""

    key: str
    name: str
    in_framework: bool
    levels: list[int | None]
    wants_to_develop: bool

    @property
    def latest(self) -> int | None:
        return next((level for level in reversed(self.levels) if level is not None), None)


@dataclass(frozen=True)
class HistoryRow:
    """One self-assessment in the history table: each area's name with its level (None where
    the assessment did not have the area), in the order of the areas."""

    assessment: SelfAssessment
    cells: list[tuple[str, int | None]]


@dataclass(frozen=True)
class DevelopmentPage:
    """A person's development page: their self-assessments over time (oldest first), the
    areas across them, and the self-assessments others share with them."""

    assessments: list[SelfAssessment]
    areas: list[AreaHistory]
    shared_with_me: list[SelfAssessment] = field(default_factory=list)

    @property
    def latest(self) -> SelfAssessment | None:
        return self.assessments[-1] if self.assessments else None

    @property
    def rows(self) -> list[HistoryRow]:
        """The history table, newest first."""
        return [
            HistoryRow(assessment, [(area.name, area.levels[i]) for area in self.areas])
            for i, assessment in reversed(list(enumerate(self.assessments)))
        ]

    @property
    def dates(self) -> list[datetime]:
        return [assessment.assessed_at for assessment in self.assessments]


# How many self-assessments of others the page lists: the newest.
SHARED_LISTED = 50


def for_development_page(user: User) -> DevelopmentPage:
    """`user`'s own self-assessments with their ratings, and the newest that others share
    with them. Five queries, however long the history."""
    current = framework_current()
    current_areas = list(current.areas.all())
    own = list(SelfAssessment.objects.visible_to(user).owned_by(user).order_by("assessed_at", "pk"))
    ratings = list(
        Rating.objects.visible_to(user)
        .filter(assessment__owner=user)
        .select_related("area")
        .order_by("assessment__assessed_at", "area__position")
    )
    shared = list(
        SelfAssessment.objects.visible_to(user)
        .exclude(owner=user)
        .select_related("owner")
        .order_by("-assessed_at", "-pk")[:SHARED_LISTED]
    )
    return DevelopmentPage(
        assessments=own, areas=_history(own, ratings, current_areas), shared_with_me=shared
    )


def _history(
    assessments: Sequence[SelfAssessment], ratings: Sequence[Rating], current: Sequence[Area]
) -> list[AreaHistory]:
    """The areas of the current framework in its order, then those only older versions had
    (named as they were last assessed)."""
    column = {assessment.pk: i for i, assessment in enumerate(assessments)}
    in_framework = {area.key for area in current}
    names: dict[str, str] = {area.key: area.name for area in current}
    levels: dict[str, list[int | None]] = {area.key: [None] * len(assessments) for area in current}
    wants: dict[str, bool] = {}
    for rating in ratings:
        key = rating.area.key
        if key not in levels:
            levels[key] = [None] * len(assessments)
        if key not in in_framework:
            # Ratings come oldest first: the name it had when last assessed wins.
            names[key] = rating.area.name
        levels[key][column[rating.assessment_id]] = rating.level
        # What the newest assessment says.
        wants[key] = rating.wants_to_develop
    return [
        AreaHistory(
            key=key,
            name=names[key],
            in_framework=key in in_framework,
            levels=levels[key],
            wants_to_develop=wants.get(key, False),
        )
        for key in levels
        if key in in_framework or any(level is not None for level in levels[key])
    ]


# --- One self-assessment --------------------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentPage:
    """One self-assessment as its owner or a reader sees it. Only the owner sees whom it is
    shared with."""

    assessment: SelfAssessment
    ratings: list[Rating]
    is_owner: bool
    shared_with: list[User]


def for_assessment_page(user: User, assessment_id: int) -> AssessmentPage:
    """The self-assessment if `user` may read it (404 otherwise, missing or not), with its
    ratings in the order of its framework."""
    assessment: SelfAssessment = get_visible_or_404(
        SelfAssessment.objects.select_related("owner", "framework"), user, pk=assessment_id
    )
    ratings = list(
        Rating.objects.visible_to(user)
        .filter(assessment=assessment)
        .select_related("area")
        .order_by("area__position")
    )
    is_owner = assessment.is_owned_by(user)
    shared_with = list(assessment.shared_with.order_by("first_name")) if is_owner else []
    return AssessmentPage(assessment, ratings, is_owner, shared_with)


# --- The self-assessment form ---------------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentStart:
    """What the form starts from: the current framework and its areas, and the person's
    newest self-assessment's answers per area key, if they have one (so a person changes what
    changed instead of starting over)."""

    framework: Framework
    areas: list[Area]
    previous: SelfAssessment | None
    previous_ratings: dict[str, Rating]


def for_assessment_form(user: User) -> AssessmentStart:
    framework = framework_current()
    areas = list(framework.areas.all())
    previous = (
        SelfAssessment.objects.visible_to(user).owned_by(user).order_by("-assessed_at").first()
    )
    previous_ratings: dict[str, Any] = {}
    if previous is not None:
        previous_ratings = {
            rating.area.key: rating
            for rating in Rating.objects.visible_to(user)
            .filter(assessment=previous)
            .select_related("area")
        }
    return AssessmentStart(framework, areas, previous, previous_ratings)


# --- Into a conversation ------------------------------------------------------------------------


def _assessment_quote(assessment: SelfAssessment) -> str:
    """A self-assessment as it reads now: each area's level with its behaviour, whether the
    person would like to develop it or could help others with it, and the notes."""
    lines = []
    for rating in assessment.ratings.all():
        wishes = [
            str(text)
            for wanted, text in (
                (rating.wants_to_develop, _("I would like to develop this")),
                (rating.could_teach, _("I could help others with this")),
            )
            if wanted
        ]
        line = _("%(area)s: level %(level)d, %(behaviour)s") % {
            "area": rating.area.name,
            "level": rating.level,
            "behaviour": rating.level_text,
        }
        lines.append(" ".join([line, *(f"({wish})" for wish in wishes)]))
        if rating.note:
            lines.append(f"  {rating.note}")
    if assessment.note:
        lines.append(assessment.note)
    return "\n".join(lines)


def _assessment_to_bring(assessment: SelfAssessment) -> ToBring:
    return ToBring(
        id=assessment.pk,
        label=_("Self-assessment, %(date)s") % {"date": date_label(assessment.assessed_at)},
        quote=_assessment_quote(assessment),
    )


def _own_assessments(person: User) -> Any:
    """`person`'s own self-assessments, newest first, with what a quote reads. Only the owner
    brings one into a conversation: one shared with them stays the owner's to share."""
    return (
        SelfAssessment.objects.visible_to(person)
        .owned_by(person)
        .prefetch_related("ratings__area")
        .order_by("-assessed_at", "-pk")
    )


def assessments_to_bring(person: User, *, limit: int = BRING_LIMIT) -> list[ToBring]:
    """`person`'s latest self-assessments, to bring into a conversation."""
    return [_assessment_to_bring(assessment) for assessment in _own_assessments(person)[:limit]]


def one_assessment_to_bring(person: User, assessment_id: int) -> ToBring | None:
    """One of `person`'s own self-assessments, or None."""
    assessment = _own_assessments(person).filter(pk=assessment_id).first()
    return _assessment_to_bring(assessment) if assessment else None
