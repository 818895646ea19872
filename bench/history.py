"""History on top of the municipal demo, so the pages are measured with history in them: weeks
of daily rhythm (every member's weekly check-ins, most private, some shared with their leaders,
some with the team; open help requests; the teams' agreements and goals), and two years of
feedback, feedback requests, sparring and recognition."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from checkins.models import CheckIn
from core.access import Visibility
from feedback.models import Feedback, FeedbackAsk, FeedbackRequest, SparringRequest, Theme
from organisation.models import Membership, Value
from recognition.models import Reaction, Recognition
from teamwork.models import Goal, HelpRequest, Team, WorkingAgreement

AGREEMENTS = [
    "Vi tager ansvar for opgaver og fælles mål.",
    "Vi deler viden og erfaringer åbent.",
    "Vi hjælper hinanden og beder om hjælp i tide.",
]


@transaction.atomic
def history_create(*, weeks: int, seed: int = 2026) -> dict[str, int]:
    rng = random.Random(seed)
    monday = date.today() - timedelta(days=date.today().weekday())
    memberships = list(Membership.objects.values_list("user_id", "unit_id", "role"))
    leaders: dict[int, list[int]] = defaultdict(list)
    members: dict[int, list[int]] = defaultdict(list)
    for user_id, unit_id, role in memberships:
        (leaders if role == Membership.Role.LEADER else members)[unit_id].append(user_id)

    checkins: list[CheckIn] = []
    shares: list[tuple[int, int]] = []  # (index into checkins, leader id)
    for unit_id, people in members.items():
        for user_id in people:
            for week in range(1, weeks + 1):
                roll = rng.random()
                visibility = (
                    Visibility.PRIVATE
                    if roll < 0.6
                    else Visibility.SHARED
                    if roll < 0.9
                    else Visibility.TEAM
                )
                checkins.append(
                    CheckIn(
                        owner_id=user_id,
                        week=monday - timedelta(weeks=week),
                        energy=rng.randint(1, 5),
                        went_well="Et godt møde med borgerne.",
                        is_hard="For mange sager på én gang.",
                        priorities="Få styr på indbakken.",
                        visibility=visibility,
                    )
                )
                if visibility == Visibility.SHARED:
                    shares += [(len(checkins) - 1, leader) for leader in leaders[unit_id]]
    CheckIn.objects.bulk_create(checkins, batch_size=2000)
    through = CheckIn.shared_with.through
    through.objects.bulk_create(
        [through(checkin_id=checkins[i].pk, user_id=leader) for i, leader in shares],
        batch_size=5000,
    )

    teams = Team.objects.bulk_create(
        [Team(unit_id=unit_id, purpose="Vi skaber værdi for borgerne.") for unit_id in members],
        batch_size=2000,
    )
    WorkingAgreement.objects.bulk_create(
        [
            WorkingAgreement(team=team, text=text, position=i)
            for team in teams
            for i, text in enumerate(AGREEMENTS)
        ],
        batch_size=2000,
    )
    Goal.objects.bulk_create(
        [
            Goal(team=team, title="Kortere svartider", owner_id=members[team.unit_id][0])
            for team in teams
            if members[team.unit_id]
        ],
        batch_size=2000,
    )
    requests = HelpRequest.objects.bulk_create(
        [
            HelpRequest(asker_id=people[0], unit_id=unit_id, text="Hvem kan hjælpe med et notat?")
            for unit_id, people in members.items()
            if people and rng.random() < 0.5
        ],
        batch_size=2000,
    )
    return {"check-ins": len(checkins), "help requests": len(requests), "teams": len(teams)}


# --- Feedback, sparring and recognition -------------------------------------------------------

FEEDBACK_ABOUT = [
    "Oplægget på personalemødet",
    "Mødet med borgeren i sidste uge",
    "Notatet til udvalget",
    "Overleveringen af sagen",
    "Workshoppen om den nye proces",
    "Sagsbehandlingen i den svære sag",
]
WORKS_WELL = [
    "Du var godt forberedt og holdt fokus på det vigtigste.",
    "Klar og venlig kommunikation, også da det blev svært.",
    "Du fik alle med og samlede op til sidst.",
    "Et kort og præcist notat, som var let at beslutte ud fra.",
]
EVEN_BETTER = [
    "Send materialet dagen før, så vi kan forberede os.",
    "Giv lidt mere tid til spørgsmål undervejs.",
    "Sig tidligere til, når opgaven vokser.",
    "",
]
SPARRING_TOPICS = [
    "Prioritering af mine opgaver",
    "Forberedelse af en svær samtale",
    "Næste skridt i projektet",
    "Min faglige udvikling",
]
THANKS = [
    "Tak for hjælpen med de mange sager, mens vi var få på arbejde.",
    "Tak for en god og grundig overlevering.",
    "Tak fordi du tog ansvar for mødet med borgerne.",
    "Tak for dit gode humør i en travl uge.",
]
# A month, for spreading the history over the period.
MONTH = timedelta(days=30.44)


@contextmanager
def _timestamps_as_given(*models: type[Model]) -> Iterator[None]:
    """bulk_create fills auto_now and auto_now_add fields with the current time (their
    pre_save runs for every object), which would date two years of history today. The history
    sets those dates itself, so they are switched off while it is written, and on again after."""
    fields: list[Any] = [
        field
        for model in models
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def _before(moment: datetime, now: datetime) -> datetime:
    return min(moment, now - timedelta(minutes=1))


@transaction.atomic
def feedback_history_create(*, months: int = 24, seed: int = 2026) -> dict[str, int]:
    """Feedback, feedback requests, sparring and recognition over the last `months` months,
    with their dates spread over the period: every person receives about 8 pieces of feedback
    from people in their unit, asks for feedback about twice, and every team posts about two
    thanks a month."""
    rng = random.Random(seed)
    now = timezone.now()
    period = months * MONTH
    themes = [code for code, _label in Theme.choices]
    value_ids = list(Value.objects.filter(is_active=True).values_list("pk", flat=True))

    people: dict[int, list[int]] = defaultdict(list)  # unit -> everyone in it, leader included
    for user_id, unit_id in Membership.objects.values_list("user_id", "unit_id"):
        people[unit_id].append(user_id)
    teams = {unit_id: ids for unit_id, ids in people.items() if len(ids) > 1}

    def ago(span: timedelta, start: timedelta = timedelta(0)) -> datetime:
        return now - start - span * rng.random()

    def some_values() -> list[int]:
        return rng.sample(value_ids, rng.choice([0, 1, 1, 2]))

    # Requests for feedback, each to 1-3 colleagues: mostly answered by now, a few declined,
    # and the recent ones mostly still waiting.
    requests: list[FeedbackRequest] = []
    asked: list[list[int]] = []
    unit_of_request: list[int] = []
    for unit_id, ids in teams.items():
        for asker in ids:
            for _ in range(rng.choice([1, 2, 3])):
                created = ago(period)
                theme = rng.choice(themes) if rng.random() < 0.7 else ""
                requests.append(
                    FeedbackRequest(
                        asker_id=asker,
                        about=rng.choice(FEEDBACK_ABOUT),
                        questions="Hvad fungerede, og hvad kan jeg gøre bedre?",
                        theme=theme,
                        wished_by=(created + timedelta(days=14)).date()
                        if rng.random() < 0.5
                        else None,
                        created_at=created,
                    )
                )
                others = [person for person in ids if person != asker]
                asked.append(rng.sample(others, min(len(others), rng.randint(1, 3))))
                unit_of_request.append(unit_id)
    order = sorted(range(len(requests)), key=lambda i: requests[i].created_at)
    requests = [requests[i] for i in order]
    asked = [asked[i] for i in order]
    unit_of_request = [unit_of_request[i] for i in order]
    with _timestamps_as_given(FeedbackRequest):
        FeedbackRequest.objects.bulk_create(requests, batch_size=2000)

    asks: list[FeedbackAsk] = []
    for request, persons in zip(requests, asked, strict=True):
        recent = now - request.created_at < timedelta(days=21)
        for person in persons:
            roll = rng.random()
            if roll < (0.35 if recent else 0.7):
                status = FeedbackAsk.Status.ANSWERED
            elif roll < (0.4 if recent else 0.85):
                status = FeedbackAsk.Status.DECLINED
            else:
                status = FeedbackAsk.Status.PENDING
            responded = (
                None
                if status == FeedbackAsk.Status.PENDING
                else _before(request.created_at + timedelta(days=10) * rng.random(), now)
            )
            asks.append(
                FeedbackAsk(
                    request_id=request.pk,
                    person_id=person,
                    status=status,
                    decline_note="Jeg kender ikke nok til det."
                    if status == FeedbackAsk.Status.DECLINED
                    else "",
                    responded_at=responded,
                )
            )
    FeedbackAsk.objects.bulk_create(asks, batch_size=2000)

    # Feedback: the answers to those requests, and feedback given unasked; mostly private, some
    # shared with the receiver's leaders, a few with a chosen colleague.
    request_of = {
        request.pk: (request, unit_id)
        for request, unit_id in zip(requests, unit_of_request, strict=True)
    }
    feedback: list[Feedback] = []
    extra: list[tuple[list[int], int | None]] = []  # values, and who it is shared with

    def add(owner: int, giver: int, unit_id: int, created: datetime, **fields: Any) -> None:
        roll = rng.random()
        shared_with = None
        if roll < 0.8:
            visibility = Visibility.PRIVATE
        elif roll < 0.95 or len(teams[unit_id]) < 3:
            visibility = Visibility.LEADER
        else:
            visibility = Visibility.SHARED
            shared_with = rng.choice([p for p in teams[unit_id] if p not in (owner, giver)])
        thanked = (
            _before(created + timedelta(days=3) * rng.random(), now) if rng.random() < 0.5 else None
        )
        feedback.append(
            Feedback(
                owner_id=owner,
                giver_id=giver,
                works_well=rng.choice(WORKS_WELL),
                even_better=rng.choice(EVEN_BETTER),
                visibility=visibility,
                kept=rng.random() < 0.1,
                thanked_at=thanked,
                created_at=created,
                updated_at=thanked or created,
                **fields,
            )
        )
        extra.append((some_values(), shared_with))

    for ask in asks:
        if ask.status == FeedbackAsk.Status.ANSWERED and ask.responded_at:
            request, unit_id = request_of[ask.request_id]
            add(
                request.asker_id,
                ask.person_id,
                unit_id,
                ask.responded_at,
                ask_id=ask.pk,
                about=request.about,
                theme=request.theme,
            )
    for unit_id, ids in teams.items():
        for owner in ids:
            for _ in range(rng.randint(0, 11)):
                add(
                    owner,
                    rng.choice([p for p in ids if p != owner]),
                    unit_id,
                    ago(period),
                    about=rng.choice(FEEDBACK_ABOUT) if rng.random() < 0.6 else "",
                    theme=rng.choice(themes) if rng.random() < 0.6 else "",
                )
    feedback, extra = _in_time_order(feedback, extra)
    with _timestamps_as_given(Feedback):
        Feedback.objects.bulk_create(feedback, batch_size=2000)
    values = Feedback.values.through
    values.objects.bulk_create(
        [
            values(feedback_id=item.pk, value_id=value_id)
            for item, (value_ids_of, _shared) in zip(feedback, extra, strict=True)
            for value_id in value_ids_of
        ],
        batch_size=5000,
    )
    shares = Feedback.shared_with.through
    shares.objects.bulk_create(
        [
            shares(feedback_id=item.pk, user_id=shared)
            for item, (_values, shared) in zip(feedback, extra, strict=True)
            if shared is not None
        ],
        batch_size=5000,
    )

    # Sparring: about half the people asked a colleague once. The recent requests wait for an
    # answer or have a time ahead; the older ones took place, were declined or cancelled.
    sparring: list[SparringRequest] = []
    for ids in teams.values():
        for asker in ids:
            if rng.random() >= 0.5:
                continue
            partner = rng.choice([p for p in ids if p != asker])
            recent = rng.random() < 0.35
            created = ago(timedelta(days=21)) if recent else ago(period, timedelta(days=21))
            fields: dict[str, Any] = {"status": SparringRequest.Status.DECLINED}
            roll = rng.random()
            if recent and roll < 0.5:
                fields = {"status": SparringRequest.Status.REQUESTED}
            elif recent or roll < 0.6:
                day = (now if recent else created) + timedelta(days=rng.randint(1, 21))
                fields = {
                    "status": SparringRequest.Status.CANCELLED
                    if not recent and roll < 0.1
                    else SparringRequest.Status.SCHEDULED,
                    "starts_at": day.replace(
                        hour=rng.randint(8, 14), minute=rng.choice([0, 30]), second=0, microsecond=0
                    ),
                    "duration_minutes": rng.choice([30, 45, 60, 90]),
                    "place": rng.choice(["Mødelokale 2", "Kantinen", "Online"]),
                }
            updated = (
                created
                if fields["status"] == SparringRequest.Status.REQUESTED
                else _before(created + timedelta(days=3) * rng.random(), now)
            )
            sparring.append(
                SparringRequest(
                    asker_id=asker,
                    partner_id=partner,
                    topic=rng.choice(SPARRING_TOPICS),
                    message="Har du en halv time de næste uger?",
                    created_at=created,
                    updated_at=updated,
                    **fields,
                )
            )
    sparring.sort(key=lambda item: item.created_at)
    with _timestamps_as_given(SparringRequest):
        SparringRequest.objects.bulk_create(sparring, batch_size=2000)

    # Recognition: about two thanks a month in every team, mostly for the team, some for the
    # whole organisation, each to 1-3 colleagues with 1-2 values and a few reactions.
    recognitions: list[Recognition] = []
    details: list[tuple[list[int], list[int], list[tuple[int, str]]]] = []
    kinds = [kind for kind, _label in Reaction.Kind.choices]
    for unit_id, ids in teams.items():
        for month in range(months):
            for _ in range(rng.choice([1, 2, 2, 3])):
                author = rng.choice(ids)
                others = [p for p in ids if p != author]
                recognitions.append(
                    Recognition(
                        author_id=author,
                        text=rng.choice(THANKS),
                        unit_id=unit_id if rng.random() < 0.9 else None,
                        created_at=ago(MONTH, MONTH * month),
                    )
                )
                details.append(
                    (
                        rng.sample(others, min(len(others), rng.randint(1, 3))),
                        rng.sample(value_ids, rng.randint(1, 2)),
                        [
                            (user_id, rng.choice(kinds))
                            for user_id in rng.sample(others, min(len(others), rng.randint(0, 5)))
                        ],
                    )
                )
    recognitions, details = _in_time_order(recognitions, details)
    with _timestamps_as_given(Recognition):
        Recognition.objects.bulk_create(recognitions, batch_size=2000)
    recipients = Recognition.recipients.through
    recipients.objects.bulk_create(
        [
            recipients(recognition_id=item.pk, user_id=user_id)
            for item, (users, _values, _reactions) in zip(recognitions, details, strict=True)
            for user_id in users
        ],
        batch_size=5000,
    )
    tagged = Recognition.values.through
    tagged.objects.bulk_create(
        [
            tagged(recognition_id=item.pk, value_id=value_id)
            for item, (_users, value_ids_of, _reactions) in zip(recognitions, details, strict=True)
            for value_id in value_ids_of
        ],
        batch_size=5000,
    )
    reactions = Reaction.objects.bulk_create(
        [
            Reaction(recognition_id=item.pk, user_id=user_id, kind=kind)
            for item, (_users, _values, reacted) in zip(recognitions, details, strict=True)
            for user_id, kind in reacted
        ],
        batch_size=5000,
    )
    return {
        "feedback": len(feedback),
        "feedback requests": len(requests),
        "people asked": len(asks),
        "sparring": len(sparring),
        "recognitions": len(recognitions),
        "reactions": len(reactions),
    }


def _in_time_order(rows: list[Any], details: list[Any]) -> tuple[list[Any], list[Any]]:
    """Rows sorted by their creation time, with their details alongside, so that ids follow
    time as they would in a real database."""
    order = sorted(range(len(rows)), key=lambda i: rows[i].created_at)
    return [rows[i] for i in order], [details[i] for i in order]


# --- This week, in one unit -------------------------------------------------------------------


@transaction.atomic
def this_week_create(*, unit_id: int, seed: int = 2026) -> dict[str, int]:
    """This week in one unit, for its leader's week on Min side: every member's check-in (most
    private, some shared with the leader, some with the team), the leader's replies to half of
    the shared ones with the owner's answer to half of those, goals due within two weeks and
    agreements to revisit. The history above stops at last week."""
    from checkins.models import Reply, Thread

    rng = random.Random(seed)
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    people = list(
        Membership.objects.filter(unit_id=unit_id).values_list("user_id", "role").order_by("pk")
    )
    leaders = [user for user, role in people if role == Membership.Role.LEADER]
    members = [user for user, role in people if role != Membership.Role.LEADER]
    CheckIn.objects.filter(owner_id__in=members, week=monday).delete()
    checkins = []
    for user_id in members:
        roll = rng.random()
        checkins.append(
            CheckIn(
                owner_id=user_id,
                week=monday,
                energy=rng.randint(1, 5),
                went_well="Et godt møde med borgerne.",
                is_hard="For mange sager på én gang.",
                priorities="Få styr på indbakken.",
                help_needed="En hånd med et notat." if roll < 0.2 else "",
                visibility=(
                    Visibility.PRIVATE
                    if roll < 0.5
                    else Visibility.SHARED
                    if roll < 0.85
                    else Visibility.TEAM
                ),
            )
        )
    CheckIn.objects.bulk_create(checkins)
    shared = [c for c in checkins if c.visibility == Visibility.SHARED]
    through = CheckIn.shared_with.through
    through.objects.bulk_create(
        [through(checkin_id=c.pk, user_id=leader) for c in shared for leader in leaders]
    )
    replies = 0
    if leaders:
        for i, checkin in enumerate(shared[::2]):
            thread = Thread.objects.create(checkin=checkin, reader_id=leaders[0])
            Reply.objects.create(
                owner_id=leaders[0],
                thread=thread,
                text="Tak, lad os tage det på mandag.",
                visibility=Visibility.SHARED,
            )
            replies += 1
            if i % 2 == 0:
                Reply.objects.create(
                    owner_id=checkin.owner_id,
                    thread=thread,
                    text="Det lyder godt.",
                    visibility=Visibility.SHARED,
                )
                replies += 1
    team, _created = Team.objects.get_or_create(unit_id=unit_id)
    team.agreements_revisit_on = today + timedelta(days=5)
    team.save(update_fields=["agreements_revisit_on"])
    goals = Goal.objects.bulk_create(
        [
            Goal(
                team=team,
                title=f"Mål {n + 1}",
                owner_id=members[n % len(members)],
                due_date=today + timedelta(days=n * 3 - 2),
            )
            for n in range(6)
            if members
        ]
    )
    return {"check-ins this week": len(checkins), "replies": replies, "goals due": len(goals)}
