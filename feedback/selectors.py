"""Reads about feedback and sparring for the pages that show them, each through `visible_to`
and loading what the page needs up front."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from checkins.selectors import BRING_LIMIT, ToBring
from core.access import can_read, get_owned_or_404, get_visible_or_404, reader
from core.compiled import compiled_query
from core.dates import date_label
from core.spreadsheet import as_text
from feedback.models import (
    MAX_DURATION,
    Feedback,
    FeedbackAsk,
    FeedbackRequest,
    SparringRequest,
    Theme,
)
from organisation.models import Value
from recognition.models import Recognition


def feedback_or_404(user: Any, feedback_id: int) -> Feedback:
    return get_visible_or_404(_one_feedback(), user, pk=feedback_id)  # type: ignore[no-any-return]


def received_feedback_or_404(user: Any, feedback_id: int) -> Feedback:
    """For the receiver's own actions (thank, keep, share, delete): everyone else gets 404."""
    return get_owned_or_404(_one_feedback(), user, pk=feedback_id)  # type: ignore[no-any-return]


def _one_feedback() -> Any:
    return Feedback.objects.select_related("owner", "giver", "ask__request").prefetch_related(
        "values", "shared_with"
    )


def request_or_404(user: Any, request_id: int) -> FeedbackRequest:
    queryset = FeedbackRequest.objects.select_related("asker")
    return get_visible_or_404(queryset, user, pk=request_id)  # type: ignore[no-any-return]


def my_ask_or_404(user: Any, feedback_request: FeedbackRequest) -> FeedbackAsk:
    """The ask addressed to `user` in a request they can see."""
    try:
        return FeedbackAsk.objects.select_related("request__asker").get(
            request=feedback_request, person=user
        )
    except FeedbackAsk.DoesNotExist:
        raise Http404 from None


def sparring_or_404(user: Any, sparring_id: int) -> SparringRequest:
    queryset = SparringRequest.objects.select_related("asker", "partner")
    return get_visible_or_404(queryset, user, pk=sparring_id)  # type: ignore[no-any-return]


def feedback_list(queryset: QuerySet[Feedback]) -> QuerySet[Feedback]:
    return queryset.select_related("owner", "giver").prefetch_related("values")


# The feedback page's reads, compiled once (core.compiled).


def _pending_asks(person_id: int) -> QuerySet[FeedbackAsk]:
    return FeedbackAsk.objects.pending_for(reader(person_id)).select_related("request__asker")


@compiled_query
def _asks_waiting(person_id: int) -> QuerySet[FeedbackAsk]:
    return _pending_asks(person_id).order_by("request__wished_by", "pk")[:20]


@compiled_query
def _sparring_waiting(person_id: int, started_after: datetime) -> QuerySet[SparringRequest]:
    person = reader(person_id)
    return (
        SparringRequest.objects.visible_to(person)
        .waiting_for(person, started_after)
        .select_related("asker", "partner")[:20]
    )


@compiled_query
def _received(owner_id: int) -> QuerySet[Feedback]:
    return feedback_list(Feedback.objects.filter(owner_id=owner_id))[:5]


@compiled_query
def _asked(asker_id: int) -> QuerySet[FeedbackRequest]:
    # The people asked are read after, per call: a Prefetch kept in the statement would keep
    # the rows of the call before in its queryset's hints.
    return FeedbackRequest.objects.filter(asker_id=asker_id).order_by("-created_at")[:5]


def _with_people_asked(requests: list[FeedbackRequest]) -> list[FeedbackRequest]:
    prefetch_related_objects(
        requests, Prefetch("asks", queryset=FeedbackAsk.objects.select_related("person"))
    )
    return requests


def for_feedback_page(user: Any, now: datetime) -> dict[str, Any]:
    """The feedback page: what waits for the person at `now`, and the latest of what they
    received and asked for."""
    readable = can_read(user)
    return {
        "asks": _asks_waiting(person_id=user.pk) if readable else [],
        "sparring": (
            _sparring_waiting(person_id=user.pk, started_after=now - MAX_DURATION)
            if readable
            else []
        ),
        "received": _received(owner_id=user.pk),
        "requests": _with_people_asked(_asked(asker_id=user.pk)),
        "shared_count": Feedback.objects.shared_with_me(user).count(),
    }


@dataclass(frozen=True)
class MinSideFeedback:
    feedback_asks: list[FeedbackAsk]
    sparring_waiting: list[SparringRequest]


@compiled_query
def _asks_pending_for(person_id: int) -> QuerySet[FeedbackAsk]:
    return _pending_asks(person_id)[:5]


@compiled_query
def _sparring_waiting_for(partner_id: int) -> QuerySet[SparringRequest]:
    return (
        SparringRequest.objects.visible_to(reader(partner_id))
        .filter(
            partner_id=partner_id,
            status=SparringRequest.Status.REQUESTED,
            asker__is_active=True,
        )
        .select_related("asker")[:5]
    )


def for_min_side(user: Any) -> MinSideFeedback:
    """Min side: requests waiting for the person's answer. Two queries, compiled once."""
    if not can_read(user):
        return MinSideFeedback([], [])
    return MinSideFeedback(
        feedback_asks=_asks_pending_for(person_id=user.pk),
        sparring_waiting=_sparring_waiting_for(partner_id=user.pk),
    )


# --- The receiver's overview ----------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    label: str
    feedback: int
    recognition: int

    @property
    def total(self) -> int:
        return self.feedback + self.recognition


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def _quarters_back(today: date, count: int) -> list[tuple[int, int]]:
    year, quarter = quarter_of(today)
    quarters = []
    for _step in range(count):
        quarters.append((year, quarter))
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return list(reversed(quarters))


QUARTERS = 8


def overview_for(user: Any, *, now: datetime) -> dict[str, Any]:
    """What a person received over the two years up to `now`, by value, by theme and by
    quarter: their own material for their development. Only their own received feedback and
    recognition."""
    today = timezone.localdate(now)
    quarters = _quarters_back(today, QUARTERS)
    first_year, first_quarter = quarters[0]
    since = timezone.make_aware(datetime(first_year, (first_quarter - 1) * 3 + 1, 1))

    feedback = Feedback.objects.received_by(user).filter(created_at__gte=since)
    recognitions = Recognition.objects.filter(recipients=user, created_at__gte=since)

    feedback_by_value = dict(
        Feedback.values.through.objects.filter(feedback__in=feedback)
        .values_list("value_id")
        .annotate(n=Count("pk"))
    )
    recognition_by_value = dict(
        Recognition.values.through.objects.filter(recognition__in=recognitions)
        .values_list("value_id")
        .annotate(n=Count("pk"))
    )
    used = set(feedback_by_value) | set(recognition_by_value)
    by_value = [
        Row(value.name, feedback_by_value.get(value.pk, 0), recognition_by_value.get(value.pk, 0))
        for value in Value.objects.filter(Q(is_active=True) | Q(pk__in=used))
    ]

    theme_counts = dict(feedback.exclude(theme="").values_list("theme").annotate(n=Count("pk")))
    by_theme = [Row(str(label), theme_counts.get(code, 0), 0) for code, label in Theme.choices]

    feedback_quarters = Counter(
        quarter_of(timezone.localdate(moment))
        for moment in feedback.values_list("created_at", flat=True)
    )
    recognition_quarters = Counter(
        quarter_of(timezone.localdate(moment))
        for moment in recognitions.values_list("created_at", flat=True)
    )
    by_quarter = [
        Row(
            _("Q%(quarter)d %(year)d") % {"quarter": quarter, "year": year},
            feedback_quarters[year, quarter],
            recognition_quarters[year, quarter],
        )
        for year, quarter in quarters
    ]
    largest = max([row.total for row in (*by_value, *by_theme, *by_quarter)] or [0])
    return {
        "since": since,
        "by_value": by_value,
        "by_theme": by_theme,
        "by_quarter": by_quarter,
        "largest": largest,
        "feedback_total": sum(feedback_quarters.values()),
        "recognition_total": sum(recognition_quarters.values()),
        "kept": list(feedback_list(Feedback.objects.received_by(user).filter(kept=True))[:20]),
    }


def export_rows(user: Any) -> list[list[str]]:
    """Everything a person received, for their own spreadsheet or development plan."""
    rows: list[tuple[datetime, list[str]]] = []
    for item in feedback_list(Feedback.objects.received_by(user)):
        rows.append(
            (
                item.created_at,
                [
                    _("Feedback"),
                    item.giver_name,
                    item.about,
                    item.get_theme_display() if item.theme else "",
                    ", ".join(value.name for value in item.values.all()),
                    item.works_well,
                    item.even_better,
                    _("yes") if item.kept else "",
                ],
            )
        )
    for recognition in (
        Recognition.objects.filter(recipients=user)
        .select_related("author")
        .prefetch_related("values")
    ):
        rows.append(
            (
                recognition.created_at,
                [
                    _("Recognition"),
                    recognition.author.display_name,
                    "",
                    "",
                    ", ".join(value.name for value in recognition.values.all()),
                    recognition.text,
                    "",
                    "",
                ],
            )
        )
    rows.sort(key=lambda row: row[0], reverse=True)
    return [
        [timezone.localtime(moment).strftime("%Y-%m-%d %H:%M"), *map(as_text, fields)]
        for moment, fields in rows
    ]


# --- What a person may bring into a conversation -----------------------------------------------


def _feedback_to_bring(feedback: Feedback) -> ToBring:
    parts = [
        f"{label}: {text}"
        for label, text in (
            (_("About"), feedback.about),
            (_("What works"), feedback.works_well),
            (_("What could be even better"), feedback.even_better),
        )
        if text
    ]
    return ToBring(
        id=feedback.pk,
        label=_("Feedback from %(name)s, %(date)s")
        % {"name": feedback.giver_name, "date": date_label(feedback.created_at)},
        quote="\n".join(parts),
    )


def _kept_feedback(person: Any) -> Any:
    """Feedback `person` received and kept for their development: never feedback they gave,
    nor what others shared with them."""
    return (
        Feedback.objects.visible_to(person)
        .received_by(person)
        .filter(kept=True)
        .select_related("giver")
    )


def feedback_to_bring(person: Any, *, limit: int = BRING_LIMIT) -> list[ToBring]:
    """The latest feedback `person` received and kept for their development."""
    return [_feedback_to_bring(feedback) for feedback in _kept_feedback(person)[:limit]]


def one_feedback_to_bring(person: Any, feedback_id: int) -> ToBring | None:
    """One feedback `person` received and kept, or None."""
    feedback = _kept_feedback(person).filter(pk=feedback_id).first()
    return _feedback_to_bring(feedback) if feedback else None
