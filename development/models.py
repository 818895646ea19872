"""Competence and development: the competence framework (by default the six focus areas of
the handbook), each person's self-assessments over time, and their development plan with its
goals and activities, and a reflection once an activity is done.

"Hver medarbejder har ret og pligt til at udvikle sig fagligt", and development happens "i
samspil mellem opgaver, refleksion og feedback". Everything here belongs to the person:

- a self-assessment is private until its owner shares it with their leaders or named people,
  or brings it into a conversation;
- a development plan is the person's; a plan agreed in a MUS is shared with the leader;
- a leader and an administrator see only anonymous figures of a team (`development.picture`),
  through the same anonymity engine as the wellbeing results.

Every read goes through `visible_to(user)`. Nothing here deletes anything a person wrote as a
side effect: every foreign key from content is PROTECT.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.access import PersonalContent
from core.links import link

# The scale of every area: 1 to 4, each level with a description of behaviour.
LEVELS = (1, 2, 3, 4)
# Past this many areas a framework is hard to use (Leapsome advises at most 15): the editor
# warns, and saves all the same.
AREAS_ADVISED = 15


def _in_language(da: Any, en: Any) -> Any:
    return en if translation.get_language() == "en" else da


# --- The framework -----------------------------------------------------------------------------


class Framework(models.Model):
    """One version of the competence framework: its areas, each with a 1–4 scale.
    Administrators edit the framework by making a new version; a self-assessment keeps the
    version it was made with, so older assessments keep their meaning."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    is_current = models.BooleanField(_("current"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("competence framework")
        verbose_name_plural = _("competence frameworks")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="framework_one_current",
            )
        ]

    def __str__(self) -> str:
        return f"v{self.version}"


class Area(models.Model):
    """A focus area of one framework version, with a description of behaviour for each level
    of the scale, in Danish and English. `key` names the same area across versions, so a
    person's history follows an area whose words were edited."""

    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="areas", verbose_name=_("framework")
    )
    key = models.SlugField(_("key"), max_length=50)
    position = models.PositiveIntegerField(_("position"))
    name_da = models.CharField(_("name (Danish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_da = models.TextField(_("description (Danish)"))
    description_en = models.TextField(_("description (English)"))
    # The four levels' descriptions, level 1 first.
    levels_da = models.JSONField(_("levels (Danish)"))
    levels_en = models.JSONField(_("levels (English)"))

    class Meta:
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        ordering = ["framework", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="area_key_per_framework"),
            models.UniqueConstraint(
                fields=["framework", "position"], name="area_position_per_framework"
            ),
        ]

    def __str__(self) -> str:
        return str(self.name)

    @property
    def name(self) -> str:
        return str(_in_language(self.name_da, self.name_en))

    @property
    def description(self) -> str:
        return str(_in_language(self.description_da, self.description_en))

    @property
    def levels(self) -> list[str]:
        """The descriptions of levels 1 to 4, in the language of the request."""
        return list(_in_language(self.levels_da, self.levels_en))


# --- Self-assessments ---------------------------------------------------------------------------


class SelfAssessment(PersonalContent):
    """A person's view of themselves on each area of the framework, at one moment. Private by
    default (PRODUCT.md, privacy rule 1); the owner may share it with their leaders or named
    people, or bring it into a conversation. A person assesses themselves whenever they like;
    their history is the row of their assessments."""

    framework = models.ForeignKey(
        Framework,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("framework"),
    )
    assessed_at = models.DateTimeField(_("assessed"))
    note = models.TextField(_("note"), blank=True, default="")

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        ordering = ["owner", "-assessed_at"]
        indexes = [models.Index(fields=["owner", "assessed_at"])]

    def __str__(self) -> str:
        return f"{self.owner_id}@{self.assessed_at:%Y-%m-%d}"


class RatingQuerySet(models.QuerySet["Rating"]):
    def visible_to(self, user: Any) -> RatingQuerySet:
        """A rating is read with its assessment."""
        return self.filter(assessment__in=SelfAssessment.objects.visible_to(user).values("pk"))


class Rating(models.Model):
    """One area of a self-assessment: the level, whether the person would like to develop it,
    whether they could help others with it, and a note."""

    assessment = models.ForeignKey(
        SelfAssessment,
        on_delete=models.PROTECT,
        related_name="ratings",
        verbose_name=_("self-assessment"),
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="ratings", verbose_name=_("focus area")
    )
    level = models.PositiveSmallIntegerField(_("level"))
    wants_to_develop = models.BooleanField(_("I would like to develop this"), default=False)
    could_teach = models.BooleanField(_("I could help others with this"), default=False)
    note = models.TextField(_("note"), blank=True, default="")

    objects = RatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["assessment", "area__position"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "area"], name="rating_once_per_area"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=4), name="rating_level_on_scale"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area_id}: {self.level}"

    @property
    def level_text(self) -> str:
        """The chosen level's description of behaviour, in the language of the request."""
        levels = self.area.levels
        return levels[self.level - 1] if 1 <= self.level <= len(levels) else ""


# --- Development plans ---------------------------------------------------------------------------


class ActivityKind(models.TextChoices):
    """The Danish palette of ways to develop."""

    COURSE = "kursus", _("Course")
    CONFERENCE = "konference", _("Conference")
    TASK = "opgavetilpasning", _("Task adaptation")
    SPARRING = "sparring", _("Sparring")
    NETWORK = "netvaerk", _("Network")
    SELF_STUDY = "selvstudie", _("Self-study")
    ON_THE_JOB = "sidemandsoplaering", _("Learning from a colleague")
    ROTATION = "jobrotation", _("Job rotation")
    MENTOR = "mentor", _("Mentor")


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    UNDER_WAY = "under_way", _("Under way")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class DevelopmentPlan(PersonalContent):
    """A person's development plan: goals linked to focus areas, activities, and a date to
    follow it up. It belongs to the person; a plan agreed in a MUS is shared with their leader
    (visibility LEADER) and linked from the MUS summary."""

    title = models.CharField(_("title"), max_length=200)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    # The MUS (or GRUS) where the plan was agreed: the conversation an activity came from.
    agreed_in = models.ForeignKey(
        "conversations.Conversation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="development_plans",
        verbose_name=_("agreed in"),
    )
    follow_up_reminded_at = models.DateTimeField(null=True, blank=True)
    # For a plan made from a MUS: the summary everyone approved, as it stood then, the first
    # draft to turn into goals. A copy, so the plan reads no conversation of anyone's.
    draft = models.TextField(_("draft from the MUS"), blank=True, default="")

    class Meta:
        verbose_name = _("development plan")
        verbose_name_plural = _("development plans")
        ordering = ["owner", "-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return link("development:plan", self.pk)


class PlanContentQuerySet(models.QuerySet[Any]):
    def visible_to(self, user: Any) -> Any:
        """Goals and activities are read with their plan."""
        return self.filter(plan__in=DevelopmentPlan.objects.visible_to(user).values("pk"))


class Goal(models.Model):
    """A concrete goal of a plan, linked to the focus areas it develops (by key, so the link
    holds across versions of the framework)."""

    plan = models.ForeignKey(
        DevelopmentPlan, on_delete=models.PROTECT, related_name="goals", verbose_name=_("plan")
    )
    position = models.PositiveIntegerField(_("position"))
    text = models.TextField(_("goal"))
    area_keys = models.JSONField(_("focus areas"), default=list, blank=True)

    objects = PlanContentQuerySet.as_manager()

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["plan", "position"]

    def __str__(self) -> str:
        return self.text[:60]


class Activity(models.Model):
    """Something the person does to reach a goal: its kind, expected effect, when, who is
    responsible, an estimated cost and a status. Once done, the person is asked for a
    reflection: what they learned, how they use it, what others can use."""

    plan = models.ForeignKey(
        DevelopmentPlan,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("plan"),
    )
    goal = models.ForeignKey(
        Goal,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("goal"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ActivityKind.choices)
    title = models.CharField(_("activity"), max_length=200)
    expected_effect = models.TextField(_("expected effect"), blank=True, default="")
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        # History is never collateral: a person who is responsible is deactivated, not deleted.
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible"),
    )
    # Kroner, whole: an estimate.
    cost = models.PositiveIntegerField(_("estimated cost (kr.)"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ActivityStatus.choices,
        default=ActivityStatus.PLANNED,
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    learned = models.TextField(_("What I learned"), blank=True, default="")
    use = models.TextField(_("How I use it"), blank=True, default="")
    for_others = models.TextField(_("What others can use"), blank=True, default="")
    reflected_at = models.DateTimeField(_("reflected"), null=True, blank=True)
    reflection_reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PlanContentQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["plan", "starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="activity_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return self.title


# --- Den Kommunale Kompetencefond ----------------------------------------------------------------


class EducationKind(models.TextChoices):
    """The kinds of education the fund's application asks about."""

    AMU = "amu", _("AMU course")
    ACADEMY = "akademi", _("Academy programme (akademiuddannelse)")
    DIPLOMA = "diplom", _("Diploma programme (diplomuddannelse)")
    MASTER = "master", _("Master's programme")
    COURSE = "kursus", _("Course or conference")
    OTHER = "anden", _("Other education")


class AgreementArea(models.TextChoices):
    """The unions whose agreements with KL take part in the fund; someone covered by another
    agreement cannot apply. Proper names, the same in every language."""

    BUPL = "bupl", "BUPL"
    DS = "ds", "Dansk Socialrådgiverforening"
    FOA = "foa", "FOA – Fag og Arbejde"
    FORHANDLINGSKARTELLET = "forhandlingskartellet", "Forhandlingskartellet"
    HK = "hk", "HK Kommunal"
    METAL = "metal", "Dansk Metal / håndværkerorganisationerne"
    SL = "sl", "Socialpædagogernes Landsforbund"
    TL = "tl", "Teknisk Landsforbund"
    THREE_F = "3f", "3F – Fagligt Fælles Forbund"
    AKADEMIKERNE = "akademikerne", "Akademikerne"


class FundApplicationQuerySet(models.QuerySet["FundApplication"]):
    def visible_to(self, user: Any) -> FundApplicationQuerySet:
        """A draft is read with its course, and so with its plan."""
        return self.filter(activity__in=Activity.objects.visible_to(user).values("pk"))


class FundApplication(models.Model):
    """The draft of an application to Den Kommunale Kompetencefond for a course in a person's
    plan: what the fund's own form asks, kept here so the person, their leader and the union
    representative can agree it on paper before it is sent. Read with its plan; only the
    plan's owner changes it."""

    activity = models.OneToOneField(
        Activity,
        on_delete=models.PROTECT,
        related_name="fund_application",
        verbose_name=_("activity"),
    )
    title = models.CharField(_("name of the education"), max_length=200)
    education_kind = models.CharField(
        _("kind of education"),
        max_length=20,
        choices=EducationKind.choices,
        default=EducationKind.COURSE,
    )
    provider = models.CharField(_("provider"), max_length=200, blank=True, default="")
    provider_url = models.URLField(_("web address of the education"), blank=True, default="")
    starts_on = models.DateField(_("start date"), null=True, blank=True)
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    # Whole kroner.
    course_fee = models.PositiveIntegerField(_("course fee (kr.)"), default=0)
    transport = models.PositiveIntegerField(_("transport (kr.)"), default=0)
    materials = models.PositiveIntegerField(_("materials (kr.)"), default=0)
    agreement_area = models.CharField(
        _("agreement area"), max_length=30, choices=AgreementArea.choices, blank=True, default=""
    )
    position = models.CharField(_("job title"), max_length=200, blank=True, default="")
    workplace = models.CharField(_("workplace"), max_length=200, blank=True, default="")
    workplace_number = models.CharField(
        _("EAN, CVR or P-number"), max_length=40, blank=True, default=""
    )
    notes = models.TextField(_("remarks"), blank=True, default="")
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("updated"))

    objects = FundApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application draft for the competence fund")
        verbose_name_plural = _("application drafts for the competence fund")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="fund_application_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return self.title


# --- The team picture ----------------------------------------------------------------------------


class PictureCount(models.Model):
    """One count of the team picture: once a month, from each person's latest self-assessment
    of the twelve months before. Counted once and never again, like a wellbeing round or a
    week's energy: counted again as each colleague assesses themselves, the difference between
    two counts could show what one person changed."""

    # The first day of the month the count is for: one count a month.
    month = models.DateField(_("month"), unique=True)
    counted_at = models.DateTimeField(_("counted"))
    # The anonymity k the count was decided with.
    k = models.PositiveSmallIntegerField()
    # The framework whose areas were counted (areas of older versions by their key).
    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="+", verbose_name=_("framework")
    )

    class Meta:
        verbose_name = _("team picture count")
        verbose_name_plural = _("team picture counts")
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class PictureUnit(models.Model):
    """A unit as the count saw it: its place in the tree then, and the group whose figures its
    people see (the unit itself, or the nearest shown unit above, or none). Only a shown group
    has figures and a number of respondents: of a hidden one nothing is kept."""

    count = models.ForeignKey(PictureCount, on_delete=models.PROTECT, related_name="units")
    # Plain ids, not keys: a count keeps the tree as it was.
    unit_id = models.PositiveBigIntegerField()
    parent_id = models.PositiveBigIntegerField(null=True)
    name = models.CharField(max_length=200)
    group_id = models.PositiveBigIntegerField(null=True)
    respondents = models.PositiveIntegerField(null=True)
    # development.tally.Figures.as_json: per area key [level 1, 2, 3, 4, want to develop,
    # could teach], and per kind of activity the number planned or under way.
    figures = models.JSONField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["count", "unit_id"], name="picture_unit_once")
        ]
        indexes = [models.Index(fields=["count", "parent_id"])]

    def __str__(self) -> str:
        return self.name
