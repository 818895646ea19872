"""The wellbeing pulse (trivsel): surveys that run in rounds for units and everything below
them, and storage that cannot link an answer to the person who gave it.

Who answered is kept apart from what was answered. What was answered is never stored as a
row of its own: each answer adds one to a counter in the round's histogram for the
respondent's unit and the question. Comments are rows with a random key and no time.

While a round is open, all it needs lives in the "open" tables (OpenParticipation,
OpenTally, OpenComment). Sealing writes the round's sealed rows (Participation, Tally,
Comment, RoundUnit's figures) once, in one transaction and in random order, and empties the
open tables so that no old version of a counter stays in the database files. See
docs/privacy.md for how this holds on SQLite and on PostgreSQL."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core.links import link
from organisation.models import Unit
from pulse.anonymity import DEFAULT_K, MIN_K

SCALE = range(1, 6)


def scale_mean(counts: list[int]) -> float | None:
    """The average answer of a histogram (counts of 1, 2, ... 5), or None when it is empty."""
    answers = sum(counts)
    return sum(i * c for i, c in enumerate(counts, start=1)) / answers if answers else None


class Theme(models.TextChoices):
    TRUST = "trust", _("Trust")
    OPENNESS = "openness", _("Openness")
    RESPONSIBILITY = "responsibility", _("Shared responsibility")
    LEARNING = "learning", _("Learning")
    FEEDBACK = "feedback", _("Feedback")
    MEANING = "meaning", _("Meaning")
    CLARITY = "clarity", _("Clarity")
    SECURITY = "security", _("Security")
    WELLBEING = "wellbeing", _("Wellbeing")
    WORKLOAD = "workload", _("Workload")


class Question(models.Model):
    """A statement answered on a scale from 1 (strongly disagree) to 5 (strongly agree), in
    both of Sparring's languages. Administrators keep the bank."""

    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices)
    text_da = models.CharField(_("text in Danish"), max_length=300)
    text_en = models.CharField(_("text in English"), max_length=300)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return self.text_en if translation.get_language() == "en" else self.text_da


class Survey(models.Model):
    """A pulse for an audience (units with everything below them) that opens a new round
    every few weeks."""

    name = models.CharField(_("name"), max_length=200)
    questions = models.ManyToManyField(
        Question, through="SurveyQuestion", related_name="surveys", verbose_name=_("questions")
    )
    units = models.ManyToManyField(
        Unit,
        related_name="surveys",
        verbose_name=_("for"),
        help_text=_("The units whose people are asked, each with everything below it."),
    )
    every_weeks = models.PositiveSmallIntegerField(
        _("a round every"),
        choices=[(1, _("week")), (2, _("second week")), (4, _("fourth week"))],
        default=2,
    )
    round_days = models.PositiveSmallIntegerField(
        _("days a round is open"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(27)],
    )
    starts_on = models.DateField(_("first round opens on"))
    confidential = models.BooleanField(
        _("confidential, not anonymous"),
        default=False,
        help_text=_(
            "Anonymous is the default. A confidential survey says so on every page; "
            "choose it only when there is a reason."
        ),
    )
    k = models.PositiveSmallIntegerField(
        _("fewest respondents for a result"),
        default=DEFAULT_K,
        validators=[MinValueValidator(MIN_K)],
        help_text=_(
            "No figure is shown for fewer people than this; never below 3. A change applies "
            "from the next round."
        ),
    )
    comments = models.BooleanField(_("ask for a comment"), default=True)
    is_active = models.BooleanField(_("running"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(k__gte=MIN_K), name="survey_k_at_least_3")
        ]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return self.name


class SurveyQuestion(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "question"], name="survey_question_once")
        ]

    def __str__(self) -> str:
        return f"{self.survey} – {self.question}"


class RoundQuerySet(models.QuerySet["Round"]):
    def open_at(self, now: Any) -> RoundQuerySet:
        return self.filter(opens_at__lte=now, closes_at__gt=now)


class Round(models.Model):
    """One round of a survey, with the questions and the tree of units as they were when it
    opened: a unit moved later does not change how this round's figures are grouped."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveIntegerField(_("round"))
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    questions = models.ManyToManyField(Question, related_name="+")
    # The survey's k when the round opened: a later change of k must not show a closed
    # round's groups a second way, beside how they were shown before.
    k = models.PositiveSmallIntegerField(default=DEFAULT_K, validators=[MinValueValidator(MIN_K)])
    # When everyone asked was told the round is open, and reminded before it closes: the
    # worker's later ticks then skip the round instead of asking about every person again.
    announced_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set when the round's rows have been rewritten after it closed (see services).
    sealed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["survey", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "number"], name="round_number_once"),
            models.CheckConstraint(condition=models.Q(k__gte=MIN_K), name="round_k_at_least_3"),
        ]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")

    def __str__(self) -> str:
        return f"{self.survey} #{self.number}"

    def get_absolute_url(self) -> str:
        return link("pulse:answer", self.pk)

    def is_open(self, now: Any = None) -> bool:
        now = now or timezone.now()
        return bool(self.opens_at <= now < self.closes_at)


class RoundUnit(models.Model):
    """A unit as the round saw it: its place in the tree then, and how many answered."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="units")
    # Plain ids, not keys: a unit deleted later keeps its place in old rounds.
    unit_id = models.PositiveBigIntegerField()
    parent_id = models.PositiveBigIntegerField(null=True)
    name = models.CharField(max_length=200)
    # How many of the unit's own people answered: written when the round is sealed.
    respondents = models.PositiveIntegerField(default=0)
    # Set when the round is sealed: the unit whose figures this unit's people see, as the
    # anonymity engine decided (the unit itself, or the nearest shown unit above), or none.
    group_id = models.PositiveBigIntegerField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "unit_id"], name="round_unit_once")]
        # A group's units below it in the round's tree, found from the top down (comments).
        indexes = [models.Index(fields=["round", "parent_id"], name="round_unit_children")]

    def __str__(self) -> str:
        return self.name


class Histogram(models.Model):
    """How many chose each point of the scale: the unit's own people (c1 to c5), and, once
    the round is sealed or the week counted, the unit with everything below it (t1 to t5)."""

    c1 = models.PositiveIntegerField(default=0)
    c2 = models.PositiveIntegerField(default=0)
    c3 = models.PositiveIntegerField(default=0)
    c4 = models.PositiveIntegerField(default=0)
    c5 = models.PositiveIntegerField(default=0)
    t1 = models.PositiveIntegerField(default=0)
    t2 = models.PositiveIntegerField(default=0)
    t3 = models.PositiveIntegerField(default=0)
    t4 = models.PositiveIntegerField(default=0)
    t5 = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    @property
    def counts(self) -> list[int]:
        return [self.c1, self.c2, self.c3, self.c4, self.c5]


class Participation(models.Model):
    """That a person answered a sealed round; nothing about what, when or in which unit.
    Written when the round is sealed, all in one transaction and in random order."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pulse_participations"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "user"], name="participation_once")]

    def __str__(self) -> str:
        return f"{self.user} – {self.round}"


class Tally(Histogram):
    """A sealed round's histogram for one unit's own respondents and one question: how many
    chose each point of the scale. Written when the round is sealed, for every unit and
    question in random order, so no row's existence, key or position says who answered
    first."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="tallies")
    unit_id = models.PositiveBigIntegerField()
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "unit_id", "question"], name="tally_once_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.unit_id} {self.question_id}"


def random_key() -> int:
    """A key with no order: rows keyed by it lie in no order of writing."""
    return secrets.randbelow(2**62) + 1


class Comment(models.Model):
    """A comment given with an answer to a sealed round: which round and unit, and nothing
    that says who or when. Written at sealing with a new random key. Shown only for groups
    the anonymity engine shows, in a keyed shuffle."""

    id = models.BigIntegerField(primary_key=True, default=random_key, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="comments")
    unit_id = models.PositiveBigIntegerField()
    text = models.TextField(max_length=1000)

    class Meta:
        indexes = [models.Index(fields=["round", "unit_id"])]

    def __str__(self) -> str:
        return self.text[:50]


# --- What an open round needs, emptied when it is sealed ------------------------------------
#
# Answering changes rows, and databases keep traces of changed rows for a while: SQLite's
# write-ahead log holds every version of a page until a checkpoint, PostgreSQL keeps old row
# versions, and their bytes, in the table's pages. Kept in tables of their own, all of it
# can be dropped at sealing without rewriting the history of sealed rounds (services).


class OpenParticipation(models.Model):
    """That a person answered a round that is still open. Moved to Participation, in random
    order, when the round is sealed."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="open_participations")
    # Like Participation: history is never collateral, so a person who answered is kept.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="open_participation_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.round}"


class OpenTally(models.Model):
    """The running counters of an open round for one unit's own respondents and one question.
    Made for every unit and question when the round opens, so no row's existence or position
    says who answered first."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="open_tallies")
    unit_id = models.PositiveBigIntegerField()
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    c1 = models.PositiveIntegerField(default=0)
    c2 = models.PositiveIntegerField(default=0)
    c3 = models.PositiveIntegerField(default=0)
    c4 = models.PositiveIntegerField(default=0)
    c5 = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "unit_id", "question"], name="open_tally_once_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.unit_id} {self.question_id}"

    @property
    def counts(self) -> list[int]:
        return [self.c1, self.c2, self.c3, self.c4, self.c5]


class OpenComment(models.Model):
    """A comment given with an answer to a round that is still open, with a random key and no
    time. Moved to Comment, with a new key, when the round is sealed."""

    id = models.BigIntegerField(primary_key=True, default=random_key, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="open_comments")
    unit_id = models.PositiveBigIntegerField()
    text = models.TextField(max_length=1000)

    def __str__(self) -> str:
        return self.text[:50]


class EnergyWeek(models.Model):
    """A finished week whose check-in energy has been counted into histograms. The energy
    people give in their check-ins is theirs; what others see is only these counts, through
    the anonymity engine, as for a round."""

    week = models.DateField(unique=True)  # its Monday
    counted_at = models.DateTimeField()

    class Meta:
        ordering = ["-week"]

    def __str__(self) -> str:
        return str(self.week)


class EnergyTally(Histogram):
    """How the people of one unit (not those below it) rated their energy in one week, with
    the unit's place in the tree that week, like a round's RoundUnit and Tally in one."""

    week = models.ForeignKey(EnergyWeek, on_delete=models.CASCADE, related_name="tallies")
    unit_id = models.PositiveBigIntegerField()
    parent_id = models.PositiveBigIntegerField(null=True)
    name = models.CharField(max_length=200)
    # The unit whose figures this unit's people see that week, as for a round (RoundUnit).
    group_id = models.PositiveBigIntegerField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["week", "unit_id"], name="energy_tally_once")
        ]

    def __str__(self) -> str:
        return f"{self.week} {self.name}"


class Action(models.Model):
    """What a team chose to work on from its results: a team goal, with an owner, a date and
    progress notes, that remembers the question and round it came from, so that the next
    rounds show it beside the question's new figures."""

    goal = models.OneToOneField(
        "teamwork.Goal", on_delete=models.CASCADE, related_name="pulse_action"
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="+", verbose_name=_("question")
    )
    round = models.ForeignKey(
        Round, null=True, on_delete=models.SET_NULL, related_name="actions", verbose_name=_("round")
    )

    class Meta:
        verbose_name = _("team action")
        verbose_name_plural = _("team actions")

    def __str__(self) -> str:
        return str(self.goal)
