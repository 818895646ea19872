"""Writes of the development app. Every function takes the moment it acts at (`now`) where
time matters, checks who acts, and raises DevelopmentError with a message in the user's
language when the change cannot be made; nothing is changed then."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import PERSON_LEFT, User
from core.access import SharingError, Visibility, leader_ids_of, sharing_people_check
from development.defaults import DEFAULT_AREAS
from development.models import (
    LEVELS,
    Activity,
    ActivityKind,
    ActivityStatus,
    Area,
    DevelopmentPlan,
    Framework,
    Goal,
    Rating,
    SelfAssessment,
)
from notifications.services import notify_each_once


class DevelopmentError(ValueError):
    """A change that cannot be made, with a message for the person who tried."""


# --- The framework -----------------------------------------------------------------------------


def framework_current() -> Framework:
    """The current framework; the first time, version 1 from the handbook's six focus areas."""
    framework = Framework.objects.filter(is_current=True).first()
    if framework is not None:
        return framework
    try:
        with transaction.atomic():
            return _framework_make(
                version=1,
                areas=[
                    AreaText(
                        key=area["key"],
                        name_da=area["name"]["da"],
                        name_en=area["name"]["en"],
                        description_da=area["description"]["da"],
                        description_en=area["description"]["en"],
                        levels_da=[level["da"] for level in area["levels"]],
                        levels_en=[level["en"] for level in area["levels"]],
                    )
                    for area in DEFAULT_AREAS
                ],
                by=None,
            )
    except IntegrityError:
        # Another request made it at the same moment.
        return Framework.objects.get(is_current=True)


@dataclass(frozen=True)
class AreaText:
    """An area's words, as an editor or the defaults give them: the levels' descriptions,
    level 1 first."""

    key: str
    name_da: str
    name_en: str
    description_da: str
    description_en: str
    levels_da: Sequence[str]
    levels_en: Sequence[str]


def _framework_make(*, version: int, areas: Sequence[AreaText], by: User | None) -> Framework:
    Framework.objects.filter(is_current=True).update(is_current=False)
    framework = Framework.objects.create(version=version, is_current=True, created_by=by)
    Area.objects.bulk_create(
        Area(
            framework=framework,
            key=area.key,
            position=position,
            name_da=area.name_da.strip(),
            name_en=area.name_en.strip(),
            description_da=area.description_da.strip(),
            description_en=area.description_en.strip(),
            levels_da=[level.strip() for level in area.levels_da],
            levels_en=[level.strip() for level in area.levels_en],
        )
        for position, area in enumerate(areas, 1)
    )
    return framework


# --- Development plans ---------------------------------------------------------------------------
# The plan is its owner's: only they change it, whoever else may read it. Every write checks
# that, although the views reach a plan to change through `get_owned_or_404` already.

TITLE_LENGTH = DevelopmentPlan._meta.get_field("title").max_length or 200
TEXT_LENGTH = 4000
# An estimate in whole kroner; a course of the Kompetencefond costs a few tens of thousands.
COST_MAX = 10_000_000
# The sharing a plan offers: like a self-assessment, only me, my leaders or people I choose.
PLAN_SHARING = (Visibility.PRIVATE, Visibility.LEADER, Visibility.SHARED)


def _owner_check(plan: DevelopmentPlan, by: User) -> None:
    if plan.owner_id != by.pk:
        raise DevelopmentError(_("Only the owner of a development plan can change it."))


def _title_clean(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise DevelopmentError(_("Give the plan a title."))
    if len(title) > TITLE_LENGTH:
        raise DevelopmentError(
            _("A title can be at most %(max)d characters.") % {"max": TITLE_LENGTH}
        )
    return title


def _text_clean(text: str, *, empty: str) -> str:
    text = text.strip()
    if not text:
        raise DevelopmentError(empty)
    if len(text) > TEXT_LENGTH:
        raise DevelopmentError(
            _("A text can be at most %(max)d characters.") % {"max": TEXT_LENGTH}
        )
    return text


def _sharing_clean(*, owner: User, visibility: str, shared_with: Iterable[User]) -> list[User]:
    if visibility not in PLAN_SHARING:
        raise DevelopmentError(_("Choose who can see the plan."))
    if visibility != Visibility.SHARED:
        return []
    try:
        people = sharing_people_check(owner=owner, people=shared_with)
    except SharingError as error:
        raise DevelopmentError(str(error)) from None
    if not people:
        raise DevelopmentError(_("Choose at least one person to share with."))
    return people


def _follow_up_check(follow_up_on: date | None, now: datetime) -> None:
    if follow_up_on is not None and follow_up_on < timezone.localdate(now):
        raise DevelopmentError(_("The follow-up date cannot be in the past."))


@transaction.atomic
def plan_create(
    *,
    owner: User,
    title: str,
    follow_up_on: date | None,
    now: datetime,
    agreed_in: models.Model | None = None,
    draft: str = "",
    visibility: str = Visibility.PRIVATE,
    shared_with: Iterable[User] = (),
    by: User | None = None,
) -> DevelopmentPlan:
    """A development plan of `owner`'s, made by themselves (`by`, when given, must be the
    owner: nobody makes a plan for someone else).

    A plan agreed in a MUS names the conversation (`agreed_in`) and is shared with the owner's
    leaders, whatever `visibility` says; `draft` is the MUS summary, the first draft of its
    goals. The caller (the conversations app) has checked that the owner took part in it."""
    if by is not None and by.pk != owner.pk:
        raise DevelopmentError(_("You can only make a development plan for yourself."))
    if not owner.is_active:
        raise DevelopmentError(str(PERSON_LEFT))
    title = _title_clean(title)
    _follow_up_check(follow_up_on, now)
    if agreed_in is not None:
        visibility, shared_with = Visibility.LEADER, ()
    people = _sharing_clean(owner=owner, visibility=visibility, shared_with=shared_with)
    plan = DevelopmentPlan.objects.create(
        owner=owner,
        title=title,
        follow_up_on=follow_up_on,
        agreed_in_id=agreed_in.pk if agreed_in is not None else None,
        draft=draft.strip(),
        visibility=visibility,
    )
    plan.shared_with.set(people)
    return plan


@transaction.atomic
def plan_update(
    *,
    plan: DevelopmentPlan,
    by: User,
    title: str,
    follow_up_on: date | None,
    visibility: str,
    shared_with: Iterable[User] = (),
    now: datetime,
) -> DevelopmentPlan:
    """The owner changes the title, the follow-up date or who can see the plan. A new
    follow-up date is reminded of again."""
    _owner_check(plan, by)
    title = _title_clean(title)
    if follow_up_on != plan.follow_up_on:
        _follow_up_check(follow_up_on, now)
        plan.follow_up_reminded_at = None
    people = _sharing_clean(owner=plan.owner, visibility=visibility, shared_with=shared_with)
    plan.title, plan.follow_up_on, plan.visibility = title, follow_up_on, visibility
    plan.save()
    plan.shared_with.set(people)
    return plan


def _area_keys_clean(area_keys: Iterable[str]) -> list[str]:
    """The keys chosen, in the framework's order, each known to the current framework."""
    chosen = list(dict.fromkeys(area_keys))
    known = list(framework_current().areas.values_list("key", flat=True))
    unknown = [key for key in chosen if key not in known]
    if unknown:
        raise DevelopmentError(
            _("A focus area you chose is not in the competence framework. Choose again.")
        )
    return [key for key in known if key in chosen]


@transaction.atomic
def goal_add(*, plan: DevelopmentPlan, by: User, text: str, area_keys: Iterable[str]) -> Goal:
    """A goal of the plan, linked to focus areas of the current framework by their keys."""
    _owner_check(plan, by)
    text = _text_clean(text, empty=_("Write the goal."))
    keys = _area_keys_clean(area_keys)
    last = plan.goals.aggregate(last=models.Max("position"))["last"] or 0
    return Goal.objects.create(plan=plan, position=last + 1, text=text, area_keys=keys)


@transaction.atomic
def goal_update(*, goal: Goal, by: User, text: str, area_keys: Iterable[str]) -> Goal:
    _owner_check(goal.plan, by)
    goal.text = _text_clean(text, empty=_("Write the goal."))
    goal.area_keys = _area_keys_clean(area_keys)
    goal.save(update_fields=["text", "area_keys"])
    return goal


@dataclass(frozen=True)
class ActivityText:
    """What an activity is, as its form gives it."""

    kind: str
    title: str
    expected_effect: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    responsible: User | None = None
    cost: int | None = None
    goal: Goal | None = None


def _activity_clean(plan: DevelopmentPlan, text: ActivityText) -> dict[str, object]:
    if text.kind not in ActivityKind.values:
        raise DevelopmentError(_("Choose a kind of activity from the list."))
    title = " ".join(text.title.split())
    if not title:
        raise DevelopmentError(_("Write what the activity is."))
    if len(title) > TITLE_LENGTH:
        raise DevelopmentError(
            _("A title can be at most %(max)d characters.") % {"max": TITLE_LENGTH}
        )
    if len(text.expected_effect) > TEXT_LENGTH:
        raise DevelopmentError(
            _("A text can be at most %(max)d characters.") % {"max": TEXT_LENGTH}
        )
    if text.starts_on and text.ends_on and text.ends_on < text.starts_on:
        raise DevelopmentError(_("An activity cannot end before it starts."))
    if text.cost is not None and text.cost < 0:
        raise DevelopmentError(_("The estimated cost cannot be negative."))
    if text.cost is not None and text.cost > COST_MAX:
        raise DevelopmentError(
            _("The estimated cost can be at most %(max)s kr.")
            % {"max": f"{COST_MAX:,}".replace(",", ".")}
        )
    if text.responsible is not None and not text.responsible.is_active:
        raise DevelopmentError(str(PERSON_LEFT))
    if text.goal is not None and text.goal.plan_id != plan.pk:
        raise DevelopmentError(_("Choose one of the plan's own goals."))
    return {
        "kind": text.kind,
        "title": title,
        "expected_effect": text.expected_effect.strip(),
        "starts_on": text.starts_on,
        "ends_on": text.ends_on,
        "responsible": text.responsible,
        "cost": text.cost,
        "goal": text.goal,
    }


@transaction.atomic
def activity_add(*, plan: DevelopmentPlan, by: User, activity: ActivityText) -> Activity:
    """An activity of the plan, planned."""
    _owner_check(plan, by)
    return Activity.objects.create(plan=plan, **_activity_clean(plan, activity))


@transaction.atomic
def activity_update(*, activity: Activity, by: User, text: ActivityText) -> Activity:
    _owner_check(activity.plan, by)
    for field, value in _activity_clean(activity.plan, text).items():
        setattr(activity, field, value)
    activity.save()
    return activity


@transaction.atomic
def activity_status_set(*, activity: Activity, by: User, status: str, now: datetime) -> Activity:
    """Planned, under way, done or dropped. Done, it is dated by the day in Copenhagen, and
    the person is asked for a reflection (at once on the page, and reminded later); done
    again after being opened, it is asked for again."""
    _owner_check(activity.plan, by)
    if status not in ActivityStatus.values:
        raise DevelopmentError(_("Choose a status from the list."))
    if status == activity.status:
        return activity
    if status == ActivityStatus.DONE:
        activity.done_on = timezone.localdate(now)
        activity.reflection_reminded_at = None
    else:
        activity.done_on = None
    activity.status = status
    activity.save(update_fields=["status", "done_on", "reflection_reminded_at", "updated_at"])
    return activity


@transaction.atomic
def activity_reflect(
    *, activity: Activity, by: User, learned: str, use: str, for_others: str, now: datetime
) -> Activity:
    """The reflection on a finished activity: what I learned, how I use it, what others can
    use. At least one of the three is written; it can be changed later."""
    _owner_check(activity.plan, by)
    if activity.status != ActivityStatus.DONE:
        raise DevelopmentError(_("Mark the activity as done before you reflect on it."))
    texts = [text.strip() for text in (learned, use, for_others)]
    if not any(texts):
        raise DevelopmentError(_("Write at least one of the three answers."))
    if any(len(text) > TEXT_LENGTH for text in texts):
        raise DevelopmentError(
            _("A text can be at most %(max)d characters.") % {"max": TEXT_LENGTH}
        )
    activity.learned, activity.use, activity.for_others = texts
    activity.reflected_at = now
    activity.save(update_fields=["learned", "use", "for_others", "reflected_at", "updated_at"])
    return activity


# --- Editing the framework ----------------------------------------------------------------------

# The longest an area's name may be (Area.name_da), and any description of it or of a level.
NAME_LENGTH = Area._meta.get_field("name_da").max_length or 200
TEXT_LENGTH = 1000
KEY_LENGTH = Area._meta.get_field("key").max_length or 50


def framework_new_version(*, areas: Sequence[AreaText], by: User) -> Framework:
    """An administrator's edit: a new current version of the framework. Self-assessments made
    before keep the version they were made with, so they keep their meaning. An area that is
    empty in every field is left out; every other area needs every text in Danish and English.
    An area without a key (a new one) gets one from its Danish name; an area keeps its key when
    its words change, so a person's history follows it."""
    if not by.is_administrator:
        raise DevelopmentError(_("Only administrators edit the competence framework."))
    given = [area for area in areas if any(text.strip() for text in _texts(area))]
    if not given:
        raise DevelopmentError(_("A competence framework needs at least one focus area."))
    for area in given:
        if len(area.levels_da) != len(LEVELS) or len(area.levels_en) != len(LEVELS):
            raise DevelopmentError(
                _("Every focus area has a description of each of the %(count)d levels.")
                % {"count": len(LEVELS)}
            )
        if not all(text.strip() for text in _texts(area)):
            raise DevelopmentError(
                _(
                    "Every focus area needs its name, its description and a description of "
                    "each level, in Danish and in English."
                )
            )
        if max(len(area.name_da.strip()), len(area.name_en.strip())) > NAME_LENGTH:
            raise DevelopmentError(
                _("A focus area's name is at most %(count)d characters.") % {"count": NAME_LENGTH}
            )
        if max(len(text.strip()) for text in _texts(area)) > TEXT_LENGTH:
            raise DevelopmentError(
                _("A description is at most %(count)d characters.") % {"count": TEXT_LENGTH}
            )
    keyed = _keys_given(given)
    current = framework_current()
    if [_comparable(area) for area in keyed] == [
        _comparable(_area_text(area)) for area in current.areas.all()
    ]:
        raise DevelopmentError(_("Nothing was changed: the framework keeps its version."))
    last = Framework.objects.aggregate(last=Max("version"))["last"] or 0
    with transaction.atomic():
        return _framework_make(version=last + 1, areas=keyed, by=by)


def _texts(area: AreaText) -> list[str]:
    return [
        area.name_da,
        area.name_en,
        area.description_da,
        area.description_en,
        *area.levels_da,
        *area.levels_en,
    ]


def _comparable(area: AreaText) -> tuple[str, ...]:
    return (area.key, *(text.strip() for text in _texts(area)))


def _area_text(area: Area) -> AreaText:
    return AreaText(
        key=area.key,
        name_da=area.name_da,
        name_en=area.name_en,
        description_da=area.description_da,
        description_en=area.description_en,
        levels_da=list(area.levels_da),
        levels_en=list(area.levels_en),
    )


def _keys_given(areas: Sequence[AreaText]) -> list[AreaText]:
    """The areas, each with a key of its own: the one it has (an area kept from the version
    before), else one made from its Danish name ("kommunikation-og-samarbejde"). A key that is
    not a slug, or that an area above has taken already, is made anew."""
    taken: set[str] = set()
    keyed = []
    for area in areas:
        key = area.key.strip()
        if not key or slugify(key) != key or len(key) > KEY_LENGTH or key in taken:
            key = _new_key(area.name_da, taken)
        taken.add(key)
        keyed.append(replace(area, key=key))
    return keyed


def _new_key(name: str, taken: set[str]) -> str:
    danish = name.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    base = slugify(danish)[: KEY_LENGTH - 4].strip("-") or "omraade"
    key, number = base, 2
    while key in taken:
        key, number = f"{base}-{number}", number + 1
    return key


# --- Self-assessments ---------------------------------------------------------------------------

NOTE_LENGTH = 4000
# What a person may choose for a self-assessment: it is about themselves, not for the team.
ASSESSMENT_VISIBILITIES = (Visibility.PRIVATE, Visibility.LEADER, Visibility.SHARED)


class AssessmentError(DevelopmentError):
    """A self-assessment that cannot be saved or shared. `area_id` names the area the message
    is about, if one; `sharing` says it is about whom it is shared with."""

    def __init__(self, message: str, *, area_id: int | None = None, sharing: bool = False) -> None:
        super().__init__(message)
        self.area_id = area_id
        self.sharing = sharing


@dataclass(frozen=True)
class RatingGiven:
    """What a person says of themselves on one area, as a form gives it: the level may be
    missing or off the scale, and the service says so."""

    area_id: int
    level: int | None
    wants_to_develop: bool = False
    could_teach: bool = False
    note: str = ""


@transaction.atomic
def assessment_save(
    *,
    owner: User,
    framework: Framework,
    ratings: Sequence[RatingGiven],
    note: str,
    visibility: str,
    shared_with: Iterable[User] = (),
    now: datetime,
) -> SelfAssessment:
    """`owner` assesses themselves on every area of the current framework, at `now`. Refused,
    with nothing saved, for a framework that is no longer the current one, an area that is not
    in it, an area without a level, a level off the 1–4 scale, or a note that is too long."""
    if not framework.is_current:
        raise AssessmentError(
            _(
                "The competence framework was changed while you filled in the form. Look at "
                "the focus areas again and save once more."
            )
        )
    areas = {area.pk: area for area in framework.areas.all()}
    levels: dict[int, int] = {}
    given: dict[int, RatingGiven] = {}
    for rating in ratings:
        if rating.area_id not in areas:
            raise AssessmentError(_("A focus area you rated is not in the competence framework."))
        given[rating.area_id] = rating
    for area in areas.values():
        rating_given = given.get(area.pk)
        if rating_given is None or rating_given.level is None:
            raise AssessmentError(
                _("Choose your level in “%(area)s”.") % {"area": area.name}, area_id=area.pk
            )
        if rating_given.level not in LEVELS:
            raise AssessmentError(
                _("Choose a level from %(low)d to %(high)d in “%(area)s”.")
                % {"low": LEVELS[0], "high": LEVELS[-1], "area": area.name},
                area_id=area.pk,
            )
        levels[area.pk] = rating_given.level
        if len(rating_given.note.strip()) > NOTE_LENGTH:
            raise AssessmentError(
                _("A note is at most %(count)d characters.") % {"count": NOTE_LENGTH},
                area_id=area.pk,
            )
    if len(note.strip()) > NOTE_LENGTH:
        raise AssessmentError(_("A note is at most %(count)d characters.") % {"count": NOTE_LENGTH})
    people = _sharing_checked(owner=owner, visibility=visibility, shared_with=shared_with)
    assessment = SelfAssessment.objects.create(
        owner=owner,
        framework=framework,
        assessed_at=now,
        note=note.strip(),
        visibility=visibility,
    )
    assessment.shared_with.set(people)
    Rating.objects.bulk_create(
        Rating(
            assessment=assessment,
            area_id=area_id,
            level=levels[area_id],
            wants_to_develop=given[area_id].wants_to_develop,
            could_teach=given[area_id].could_teach,
            note=given[area_id].note.strip(),
        )
        for area_id in areas
    )
    _tell_readers(assessment, people)
    return assessment


@transaction.atomic
def assessment_share(
    *,
    assessment: SelfAssessment,
    by: User,
    visibility: str,
    shared_with: Iterable[User] = (),
) -> SelfAssessment:
    """The owner changes who reads a self-assessment: only them, their leaders (whoever leads
    them now), or people they name."""
    if assessment.owner_id != by.pk:
        raise AssessmentError(_("Only the person who made a self-assessment can share it."))
    people = _sharing_checked(owner=by, visibility=visibility, shared_with=shared_with)
    assessment.visibility = visibility
    assessment.save(update_fields=["visibility", "updated_at"])
    assessment.shared_with.set(people)
    _tell_readers(assessment, people)
    return assessment


def _tell_readers(assessment: SelfAssessment, people: Sequence[User]) -> None:
    """Tell whoever can now read a self-assessment that it is shared with them: its owner's
    leaders, or the people named. Once per assessment and person (sharing it again after
    taking it back says nothing new), and never what it says."""
    if assessment.visibility == Visibility.LEADER:
        readers = list(
            User.objects.filter(pk__in=leader_ids_of(assessment.owner), is_active=True)
            .values_list("pk", flat=True)
            .distinct()
        )
    else:
        readers = [person.pk for person in people]
    if not readers:
        return
    name = assessment.owner.display_name
    notify_each_once(
        recipients=readers,
        kind="assessment_shared",
        key=f"self-assessment-{assessment.pk}",
        text=format_lazy(gettext_lazy("{name} shared a self-assessment with you."), name=name),
        subject=format_lazy(gettext_lazy("{name} shared a self-assessment with you"), name=name),
        url=reverse("development:assessment", args=[assessment.pk]),
    )


def _sharing_checked(*, owner: User, visibility: str, shared_with: Iterable[User]) -> list[User]:
    if visibility not in ASSESSMENT_VISIBILITIES:
        raise AssessmentError(_("Choose who can see your self-assessment."), sharing=True)
    if visibility != Visibility.SHARED:
        return []
    try:
        people = sharing_people_check(owner=owner, people=shared_with)
    except SharingError as error:
        raise AssessmentError(str(error), sharing=True) from None
    if not people:
        raise AssessmentError(_("Choose at least one person to share with."), sharing=True)
    return people
