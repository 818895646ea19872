"""Reminders about conversations, run by the worker on every tick (notifications.scheduler).
Each is sent once, whatever the number of ticks or workers: the key names the occasion, and
notify_once keeps the first. Texts name who, what kind and when, never what anyone wrote.

- the day before a planned conversation, each participant is reminded to prepare;
- a week after a conversation was held, each participant who owns open actions of the
  thread is reminded of them, once;
- about three months after a new employee joined, their leaders are reminded of the
  follow-up conversation (forventnings- eller opfølgningssamtale), unless one is planned or
  held already."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.db.models import Count
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.text import format_lazy, get_text_list
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from conversations.models import Conversation, Item, Kind, Participant
from core.dates import date_label_lazy, datetime_label_lazy
from notifications.models import Notification, OutgoingEmail
from notifications.scheduler import periodic
from notifications.services import notify_once
from organisation.models import ImportJob, Membership

# The reminder to prepare: this long before the conversation starts.
PREPARE_AHEAD = timedelta(hours=24)
# The reminder of open actions: this long after the conversation was held. A worker that was
# down catches up until CATCH_UP later; older conversations are left alone, so the first run
# after an upgrade does not remind anyone of last year's actions.
ACTIONS_AFTER = timedelta(days=7)
CATCH_UP = timedelta(days=7)
# The follow-up conversation with a newcomer: the issue says "after 3 to 6 months"; the
# reminder comes at three, and is still sent for a month after, for a leader appointed late
# or a worker that was down.
FOLLOW_UP_AFTER = timedelta(days=91)
FOLLOW_UP_UNTIL = timedelta(days=122)
# Without any import, an installation whose people were added by hand or came with their
# first login: whoever joined in its first month came with the setup, not as a new employee.
SETUP_PERIOD = timedelta(days=30)


def _names(people: list[str]) -> str:
    return get_text_list(people, gettext("and"))


_names_lazy = lazy(_names, str)


def _told(kind: str, keys: set[str]) -> set[tuple[int, str]]:
    """(person, key) pairs already told about, so a tick with nothing new costs two reads."""
    if not keys:
        return set()
    told: set[tuple[int, str]] = set()
    for model in (Notification, OutgoingEmail):
        told |= set(
            model.objects.filter(kind=kind, key__in=keys).values_list("recipient_id", "key")
        )
    return told


def _participants(thread_ids: set[int]) -> dict[int, list[tuple[int, str]]]:
    """Each thread's participants as (id, name), read whole."""
    people: dict[int, list[tuple[int, str]]] = defaultdict(list)
    rows = (
        Participant.objects.filter(thread_id__in=thread_ids)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user_id")
    )
    for row in rows:
        people[row.thread_id].append((row.user_id, row.user.display_name))
    return people


@periodic("conversation_prepare")
def remind_to_prepare(now: datetime) -> None:
    """Each participant of a conversation planned to start within PREPARE_AHEAD, once per
    time it is planned at: a moved conversation is reminded of again at its new time."""
    due = list(
        Conversation.objects.filter(
            status=Conversation.Status.PLANNED,
            starts_at__gt=now,
            starts_at__lte=now + PREPARE_AHEAD,
        ).values_list("pk", "thread_id", "kind", "starts_at")
    )
    if not due:
        return
    keys = {pk: f"prepare-{pk}-{starts_at:%Y%m%dT%H%M%z}" for pk, _t, _k, starts_at in due}
    told = _told("conversation_prepare", set(keys.values()))
    people = _participants({thread_id for _pk, thread_id, _k, _s in due})
    for pk, thread_id, kind, starts_at in due:
        assert starts_at is not None  # filtered on above
        for person_id, _name in people[thread_id]:
            if (person_id, keys[pk]) in told:
                continue
            others = [name for other_id, name in people[thread_id] if other_id != person_id]
            notify_once(
                recipient=User(pk=person_id),
                kind="conversation_prepare",
                key=keys[pk],
                text=format_lazy(
                    _("{kind} with {names} on {when}: take a few minutes to prepare."),
                    kind=Kind(kind).label,
                    names=_names_lazy(others),
                    when=datetime_label_lazy(starts_at),
                ),
                subject=format_lazy(
                    _("Prepare your conversation: {kind} with {names}"),
                    kind=Kind(kind).label,
                    names=_names_lazy(others),
                ),
                url=reverse("conversations:conversation", args=[pk]),
            )


@periodic("conversation_actions")
def remind_of_open_actions(now: datetime) -> None:
    """ACTIONS_AFTER a conversation was held, each participant who owns open actions of its
    thread (raised in it or carried over to it) is reminded of how many, once. When a thread
    held two conversations in the window, the later one reminds."""
    held = list(
        Conversation.objects.filter(
            status=Conversation.Status.HELD,
            held_at__lte=now - ACTIONS_AFTER,
            held_at__gt=now - ACTIONS_AFTER - CATCH_UP,
        )
        .order_by("held_at", "pk")
        .values_list("pk", "thread_id", "kind")
    )
    if not held:
        return
    latest = {thread_id: (pk, kind) for pk, thread_id, kind in held}
    open_actions = (
        Item.objects.filter(
            thread_id__in=latest,
            type=Item.Type.ACTION,
            status=Item.Status.OPEN,
            owner__isnull=False,
            raised_in__status=Conversation.Status.HELD,
        )
        .values_list("thread_id", "owner_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    counts = {(thread_id, owner_id): count for thread_id, owner_id, count in open_actions}
    if not counts:
        return
    keys = {thread_id: f"actions-{pk}" for thread_id, (pk, _kind) in latest.items()}
    told = _told("conversation_actions", set(keys.values()))
    people = _participants({thread_id for thread_id, _owner in counts})
    for (thread_id, owner_id), count in counts.items():
        if (owner_id, keys[thread_id]) in told:
            continue
        pk, kind = latest[thread_id]
        others = [name for person_id, name in people[thread_id] if person_id != owner_id]
        notify_once(
            recipient=User(pk=owner_id),
            kind="conversation_actions",
            key=keys[thread_id],
            text=format_lazy(
                _("Open actions you own from the conversation with {names} ({kind}): {count}"),
                names=_names_lazy(others),
                kind=Kind(kind).label,
                count=count,
            ),
            subject=format_lazy(
                _("Your open actions from the conversation with {names}"),
                names=_names_lazy(others),
            ),
            url=reverse("conversations:conversation", args=[pk]),
        )


def organisation_start() -> datetime | None:
    """When the organisation's people came to Sparring, which makes nobody before it a new
    employee. The first import brings everyone employed at the time; its people joined
    Sparring, not the organisation, so only those who came after it (a later import, an
    invitation, a first login) are new. Without any import, the people came by hand or with
    their first login in the installation's first SETUP_PERIOD. None: nobody is here yet."""
    first_import = (
        ImportJob.objects.filter(status=ImportJob.Status.DONE, finished_at__isnull=False)
        .order_by("finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )
    if first_import is not None:
        return first_import
    first_person = User.objects.order_by("date_joined").values_list("date_joined", flat=True)
    joined = first_person.first()
    return joined + SETUP_PERIOD if joined is not None else None


@periodic("conversation_follow_up")
def remind_of_follow_up(now: datetime) -> None:
    """The leaders of each person who joined FOLLOW_UP_AFTER ago (and since the organisation
    came to Sparring), unless the person already has a follow-up conversation (an
    expectations conversation, planned or held) or one asked for: once per leader and person."""
    start = organisation_start()
    if start is None:
        return
    newcomers = list(
        User.objects.filter(
            is_active=True,
            date_joined__gt=max(start, now - FOLLOW_UP_UNTIL),
            date_joined__lte=now - FOLLOW_UP_AFTER,
        )
        .exclude(
            pk__in=Participant.objects.filter(
                thread__conversations__kind=Kind.EXPECTATIONS,
                thread__conversations__status__in=[
                    Conversation.Status.REQUESTED,
                    Conversation.Status.PLANNED,
                    Conversation.Status.HELD,
                ],
            ).values("user_id")
        )
        .order_by("pk")
    )
    if not newcomers:
        return
    # Their leaders, read whole: the leaders of each unit they are in, themselves aside
    # (core.access.leader_ids_of, for all of them at once).
    units: dict[int, set[int]] = defaultdict(set)
    for user_id, unit_id in Membership.objects.filter(
        user_id__in=[person.pk for person in newcomers]
    ).values_list("user_id", "unit_id"):
        units[user_id].add(unit_id)
    leaders_of_unit: dict[int, set[int]] = defaultdict(set)
    for unit_id, user_id in Membership.objects.filter(
        unit_id__in=set().union(*units.values()), role=Membership.Role.LEADER
    ).values_list("unit_id", "user_id"):
        leaders_of_unit[unit_id].add(user_id)
    keys = {person.pk: f"follow-up-{person.pk}" for person in newcomers}
    told = _told("conversation_follow_up", set(keys.values()))
    for person in newcomers:
        key = keys[person.pk]
        leaders = set().union(*(leaders_of_unit[unit] for unit in units[person.pk])) - {person.pk}
        for leader_id in sorted(leaders):
            if (leader_id, key) in told:
                continue
            notify_once(
                recipient=User(pk=leader_id),
                kind="conversation_follow_up",
                key=key,
                text=format_lazy(
                    _(
                        "{name} joined on {date}: time for a follow-up conversation about "
                        "roles, responsibilities and expectations."
                    ),
                    name=person.display_name,
                    date=date_label_lazy(person.date_joined),
                ),
                subject=format_lazy(
                    _("Time for a follow-up conversation with {name}"), name=person.display_name
                ),
                url=reverse("conversations:new")
                + f"?with={person.pk}&kind={Kind.EXPECTATIONS.value}",
            )
