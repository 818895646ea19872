"""Demo organisations: the OS2 secretariat in a small organisation, or a generated municipality
of 25,000 people in about 1,500 units, 8 levels deep, for benchmarks.

Both go through the same import code as CSV and OS2mo, so the demo also exercises it."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.access import Visibility
from organisation.importing import PersonIn, Snapshot, UnitIn, snapshot_apply
from organisation.models import Membership, Unit, Value
from profiles.models import ProfileNote

DEMO_PASSWORD = "sparring-demo"


class DemoError(RuntimeError):
    pass


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str


SECRETARIAT = [
    # username, first name, last name, job title, leader
    ("mette", "Mette", "Holm", "Sekretariatschef", True),
    ("jonas", "Jonas", "Krogh", "Produktkonsulent", False),
    ("sara", "Sara", "Lund", "Produktkonsulent", False),
    ("anders", "Anders", "Bech", "Produktkoordinator", False),
    ("louise", "Louise", "Dam", "Enterprisearkitekt", False),
    ("peter", "Peter", "Friis", "Kommunikationsmedarbejder", False),
    ("camilla", "Camilla", "Winther", "Forretningskoordinator", False),
    ("rasmus", "Rasmus", "Skov", "Programleder", False),
]
COMMUNITY = [
    ("nina", "Nina", "Bang", "Koordinator", True),
    ("ole", "Ole", "Kjær", "Udvikler", False),
    ("eva", "Eva", "Storm", "Projektleder", False),
]


def _small_snapshot() -> Snapshot:
    snapshot = Snapshot()
    for key, name, parent in [
        ("os2", "OS2 – Offentligt Digitaliseringsfællesskab", ""),
        ("sekretariat", "Sekretariatet", "os2"),
        ("faellesskaber", "Produktfællesskaber", "os2"),
        ("os2mo", "OS2mo-fællesskabet", "faellesskaber"),
    ]:
        snapshot.units[key] = UnitIn(key, name, parent, "demo")
    for unit_key, people in (("sekretariat", SECRETARIAT), ("os2mo", COMMUNITY)):
        for username, first, last, title, leader in people:
            snapshot.people[username] = PersonIn(
                key=f"demo-{username}",
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@example.org",
                job_title=title,
                roles={unit_key: Membership.Role.LEADER if leader else Membership.Role.MEMBER},
                where="demo",
            )
    # The snapshot is keyed by external id.
    snapshot.people = {p.key: p for p in snapshot.people.values()}
    return snapshot


# Units per depth: 1 + 6 + 24 + 72 + 216 + 420 + 560 + 201 = 1,500 units, 8 levels.
MUNICIPALITY_LEVELS = [1, 6, 24, 72, 216, 420, 560, 201]
FIRST_NAMES = [
    "Anne",
    "Mette",
    "Hanne",
    "Susanne",
    "Lene",
    "Marianne",
    "Camilla",
    "Louise",
    "Sara",
    "Ida",
    "Peter",
    "Jens",
    "Lars",
    "Michael",
    "Henrik",
    "Søren",
    "Thomas",
    "Jesper",
    "Rasmus",
    "Mads",
    "Ahmad",
    "Fatima",
    "Emil",
    "Freja",
    "Noah",
    "Aya",
    "Jonas",
    "Nanna",
    "Ole",
    "Eva",
]
LAST_NAMES = [
    "Nielsen",
    "Jensen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Jørgensen",
    "Petersen",
    "Madsen",
    "Kristensen",
    "Olsen",
    "Thomsen",
    "Holm",
    "Poulsen",
    "Johansen",
    "Møller",
    "Mortensen",
    "Ali",
    "Hussein",
    "Østergaard",
    "Dam",
]
UNIT_WORDS = [
    "Forvaltning",
    "Afdeling",
    "Center",
    "Område",
    "Sektion",
    "Team",
    "Gruppe",
    "Enhed",
]
TITLES = [
    "Sagsbehandler",
    "Pædagog",
    "Social- og sundhedsassistent",
    "Lærer",
    "Konsulent",
    "Specialkonsulent",
    "Ingeniør",
    "Administrativ medarbejder",
    "Sygeplejerske",
    "Jurist",
]


def _municipality_snapshot(people: int, seed: int = 2026) -> Snapshot:
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    snapshot = Snapshot()
    levels: list[list[str]] = []
    n = 0
    for depth, count in enumerate(MUNICIPALITY_LEVELS):
        keys = []
        for i in range(count):
            n += 1
            key = f"u{n}"
            parent = levels[depth - 1][i % len(levels[depth - 1])] if depth else ""
            name = "Demokommune" if depth == 0 else f"{UNIT_WORDS[depth % len(UNIT_WORDS)]} {n}"
            snapshot.units[key] = UnitIn(key, name, parent, "demo")
            keys.append(key)
        levels.append(keys)
    units = list(snapshot.units)
    # Every unit has a leader; the rest of the people spread over the units, more at the leaves.
    weights = [1 + 2 * snapshot_depth for snapshot_depth in _depths(snapshot)]
    homes = units + rng.choices(units, weights=weights, k=max(0, people - len(units)))
    for i, unit_key in enumerate(homes):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        username = f"p{i + 1}"
        key = f"demo-{username}"
        snapshot.people[key] = PersonIn(
            key=key,
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@demokommune.example",
            job_title="Leder" if i < len(units) else rng.choice(TITLES),
            roles={unit_key: Membership.Role.LEADER if i < len(units) else Membership.Role.MEMBER},
            where="demo",
        )
    return snapshot


def _depths(snapshot: Snapshot) -> list[int]:
    depth: dict[str, int] = {}
    for key, unit in snapshot.units.items():
        depth[key] = depth[unit.parent_key] + 1 if unit.parent_key else 0
    return list(depth.values())


@transaction.atomic
def demo_create(
    *, size: str = "small", people: int = 25_000, now: datetime | None = None
) -> list[DemoLogin]:
    """Create the demo organisation in an empty database and return the logins to print."""
    if User.objects.exists():
        raise DemoError(
            "The database already has people; the demo is only created in an empty database."
        )
    snapshot = _small_snapshot() if size == "small" else _municipality_snapshot(people)
    snapshot_apply(snapshot, actor=None, source=f"demo ({size})", now=now or timezone.now())
    password = make_password(DEMO_PASSWORD)
    User.objects.create(
        username="admin", first_name="Ada", last_name="Administrator", is_administrator=True
    )
    if size == "small":
        logins = [
            DemoLogin("mette", "leder af Sekretariatet"),
            DemoLogin("jonas", "medarbejder i Sekretariatet"),
            DemoLogin("nina", "leder af OS2mo-fællesskabet"),
        ]
        _small_notes()
        _small_feedback()
        _small_pulse()
        _small_conversations(now or timezone.now())
        _small_development(now or timezone.now())
        _small_learning(now or timezone.now())
    else:
        leader = User.objects.get(username="p2")
        member = User.objects.filter(memberships__unit__depth=7, memberships__role="member")[0]
        logins = [
            DemoLogin(leader.username, "leder af en forvaltning"),
            DemoLogin(member.username, "medarbejder i et team"),
        ]
    logins.append(DemoLogin("admin", "administrator"))
    User.objects.filter(username__in=[login.username for login in logins]).update(password=password)
    return logins


def _small_notes() -> None:
    jonas = User.objects.get(username="jonas")
    mette = User.objects.get(username="mette")
    ProfileNote.objects.create(
        owner=jonas,
        title="Det arbejder jeg med",
        body="Produktkonsulent for OS2mo og OS2rollekatalog. Spørg mig om governance.",
        visibility=Visibility.TEAM,
    )
    shared = ProfileNote.objects.create(
        owner=jonas,
        title="Det vil jeg gerne blive bedre til",
        body="Facilitering af workshops med mange kommuner.",
        visibility=Visibility.SHARED,
    )
    shared.shared_with.set([mette])
    ProfileNote.objects.create(
        owner=jonas,
        title="Mine private tanker",
        body="Kun til mig selv.",
        visibility=Visibility.PRIVATE,
    )


def _small_feedback() -> None:
    """A little feedback, sparring and recognition in the secretariat, so the pages have
    something to show: jonas has feedback to read, a request to answer and thanks on the feed."""
    from feedback.models import Feedback, FeedbackAsk, FeedbackRequest, SparringRequest, Theme
    from recognition.models import Recognition

    people = {user.username: user for user in User.objects.filter(memberships__isnull=False)}
    values = {value.name.lower(): value for value in Value.objects.all()}
    request = FeedbackRequest.objects.create(
        asker=people["jonas"],
        about="Workshoppen med kommunerne om OS2mo",
        questions="Fik alle kommunerne ordet? Var tidsplanen realistisk?",
        theme=Theme.PROJECT,
    )
    answered = FeedbackAsk.objects.create(
        request=request, person=people["sara"], status=FeedbackAsk.Status.ANSWERED
    )
    FeedbackAsk.objects.create(request=request, person=people["louise"])
    answer = Feedback.objects.create(
        owner=people["jonas"],
        giver=people["sara"],
        ask=answered,
        about=request.about,
        theme=Theme.PROJECT,
        works_well="Klar dagsorden, og du samlede op på hvert punkt.",
        even_better="Send materialet dagen før, så de små kommuner kan forberede sig.",
    )
    answer.values.set([v for k, v in values.items() if k in ("åbenhed", "faglighed")])
    Feedback.objects.create(
        owner=people["jonas"],
        giver=people["peter"],
        about="Nyhedsbrevet om OS2rollekatalog",
        theme=Theme.COMMUNICATION,
        works_well="Et kort og konkret nyhedsbrev, som kommunerne har svaret på.",
    )
    waiting = FeedbackRequest.objects.create(
        asker=people["sara"], about="Mit oplæg på netværksmødet", theme=Theme.COMMUNICATION
    )
    FeedbackAsk.objects.create(request=waiting, person=people["jonas"])
    SparringRequest.objects.create(
        asker=people["anders"],
        partner=people["jonas"],
        topic="Governance for et nyt produktfællesskab",
        message="Har du en halv time i næste uge?",
    )
    thanks = Recognition.objects.create(
        author=people["sara"],
        text="Tak for jeres hjælp med udbudsmaterialet – det blev færdigt til tiden.",
        unit=Unit.objects.get(name="Sekretariatet"),
    )
    thanks.recipients.set([people["jonas"], people["anders"]])
    thanks.values.set([v for k, v in values.items() if k in ("ansvar", "nærvær")])


def _small_pulse() -> None:
    """The secretariat's wellbeing survey: four closed rounds with results, a team action
    taken from the third, last week's check-in energy, and a round open now that jonas has
    not answered yet."""
    from datetime import timedelta

    from checkins.models import CheckIn, current_week
    from pulse.models import Question, Round, Survey
    from pulse.services import action_create, energy_count, pulse_answer, round_open, round_seal

    now = timezone.now()
    unit = Unit.objects.get(name="Sekretariatet")
    people = list(User.objects.filter(memberships__unit=unit).order_by("pk"))
    survey = Survey.objects.create(
        name="Trivsel i Sekretariatet", starts_on=(now - timedelta(weeks=8)).date()
    )
    survey.units.set([unit])
    questions = list(Question.objects.filter(is_active=True).order_by("position", "pk")[:5])
    for position, question in enumerate(questions):
        survey.items.create(question=question, position=position)
    rng = random.Random(8)  # noqa: S311 - demo data, not security
    comments = [
        "Vi er gode til at hjælpe hinanden.",
        "Der er mange bolde i luften lige nu.",
        "Tydelig retning efter strategidagen.",
    ]
    for number in range(1, 5):
        round_ = round_open(survey=survey, opens_at=now - timedelta(hours=1), number=number)
        for i, person in enumerate(people[: 5 + number % 3]):
            pulse_answer(
                round_=round_,
                user=person,
                answers={
                    q.pk: min(5, max(1, round(rng.gauss(3.4 + number * 0.1, 0.8))))
                    for q in questions
                },
                comment=comments[i] if i < len(comments) and number == 4 else "",
            )
        opens_at = now - timedelta(weeks=2 * (5 - number))
        Round.objects.filter(pk=round_.pk).update(
            opens_at=opens_at, closes_at=opens_at + timedelta(days=survey.round_days)
        )
        round_.refresh_from_db()
        round_seal(round_=round_)
        if number == 3:
            action_create(
                unit=unit,
                round_=round_,
                question=questions[-1],
                title="Fælles prioritering af opgaver hver mandag",
                owner=people[0],
                due_date=(now + timedelta(weeks=4)).date(),
                status="on_track",
            )
    round_open(survey=survey, opens_at=now - timedelta(days=1), number=5)
    last_week = current_week() - timedelta(weeks=1)
    for person in people:
        CheckIn.objects.create(owner=person, week=last_week, energy=rng.choice([3, 4, 4, 5]))
    energy_count(week=last_week)


def _small_conversations(now: datetime) -> None:
    """Mette's conversations with her people: a monthly 1:1 with jonas held two weeks ago,
    whose open action carries over to his MUS next week (which he has begun to prepare, one
    answer shared), and the secretariat's MUS 2027 planned for three more."""
    from datetime import timedelta

    from conversations import services
    from conversations.models import Item, Kind, Plan, Rhythm

    people = {user.username: user for user in User.objects.filter(memberships__isnull=False)}
    mette, jonas = people["mette"], people["jonas"]
    earlier = now - timedelta(days=21)
    at_ten = now.replace(hour=9, minute=0, second=0, microsecond=0)
    one_on_one = services.conversation_plan(
        by=mette,
        people=[jonas],
        kind=Kind.ONE_ON_ONE,
        starts_at=at_ten - timedelta(days=14),
        duration_minutes=30,
        place="Mødelokale 2",
        now=earlier,
    )
    services.thread_set_rhythm(thread=one_on_one.thread, by=mette, rhythm=Rhythm.MONTHLY)
    services.item_add(
        conversation=one_on_one,
        by=mette,
        text="Find et kursus i facilitering af workshops",
        type=Item.Type.ACTION,
        owner=jonas,
        due_on=(now + timedelta(days=20)).date(),
        now=earlier,
    )
    workload = services.item_add(
        conversation=one_on_one, by=jonas, text="Arbejdsmængden før jul", now=earlier
    )
    services.item_close(
        item=workload, conversation=one_on_one, by=mette, status="done", now=earlier
    )
    services.shared_note_add(
        conversation=one_on_one,
        by=mette,
        text="Vi flytter nyhedsbrevet til januar, så Jonas får luft før jul.",
        now=earlier,
    )
    services.conversation_hold(
        conversation=one_on_one, by=mette, now=at_ten - timedelta(days=14, minutes=-30)
    )
    plan = Plan.objects.create(
        leader=mette,
        unit=Unit.objects.get(name="Sekretariatet"),
        kind=Kind.MUS,
        title="MUS 2027 i Sekretariatet",
        starts_on=(now + timedelta(days=5)).date(),
        ends_on=(now + timedelta(days=40)).date(),
    )
    for days, username in enumerate(["jonas", "sara", "anders", "louise"]):
        mus = services.conversation_plan(
            by=mette,
            people=[people[username]],
            kind=Kind.MUS,
            title="MUS 2027",
            starts_at=at_ten + timedelta(days=5 + 2 * days),
            duration_minutes=90,
            place="Mettes kontor",
            now=now,
            plan=plan,
        )
        if username == "jonas":
            first, second = list(mus.template.questions.all()[:2])
            services.preparation_save(
                conversation=mus,
                by=jonas,
                answers={
                    first.pk: "Workshoppen med kommunerne om OS2mo gik rigtig godt.",
                    second.pk: "Jeg vil gerne tale om, hvordan jeg kan dele min tid bedre.",
                },
                now=now,
            )
            services.preparation_share(conversation=mus, by=jonas, now=now, question_ids=[first.pk])


def _small_development(now: datetime) -> None:
    """The secretariat's self-assessments of the past year, some plans with activities, and
    the month's team picture counted, so that Mette's picture of the secretariat is there.
    The community's three have not assessed themselves: their picture would be too small."""
    from datetime import timedelta

    from development.models import Activity, ActivityKind, DevelopmentPlan, Rating, SelfAssessment
    from development.picture_services import picture_count
    from development.services import framework_current

    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    framework = framework_current()
    areas = list(framework.areas.order_by("position"))
    people = User.objects.filter(username__in=[row[0] for row in SECRETARIAT]).order_by("pk")
    for person in people:
        base = [rng.choice([1, 2, 2, 3, 3, 4]) for _area in areas]
        for months_ago in (9, 2):
            assessment = SelfAssessment.objects.create(
                owner=person, framework=framework, assessed_at=now - timedelta(days=30 * months_ago)
            )
            Rating.objects.bulk_create(
                Rating(
                    assessment=assessment,
                    area=area,
                    level=min(4, level + (months_ago == 2 and rng.random() < 0.3)),
                    wants_to_develop=rng.random() < 0.4,
                    could_teach=rng.random() < 0.6,
                )
                for area, level in zip(areas, base, strict=True)
            )
    for username, kinds in [
        (
            "jonas",
            [
                (ActivityKind.COURSE, "Kursus i facilitering"),
                (ActivityKind.SPARRING, "Sparring med Louise om arkitektur"),
            ],
        ),
        ("sara", [(ActivityKind.NETWORK, "Netværk for produktkonsulenter")]),
        (
            "louise",
            [
                (ActivityKind.CONFERENCE, "OS2-konferencen"),
                (ActivityKind.SELF_STUDY, "Læse om gevinstrealisering"),
            ],
        ),
        ("rasmus", [(ActivityKind.COURSE, "Kursus i porteføljestyring")]),
    ]:
        plan = DevelopmentPlan.objects.create(
            owner=people.get(username=username), title="Min udviklingsplan"
        )
        for kind, title in kinds:
            Activity.objects.create(plan=plan, kind=kind, title=title)
    picture_count(now=now)


def _small_learning(now: datetime) -> None:
    """What the secretariat has learned (shared with the team, and one entry with the whole
    organisation), and last month's retrospective of the intranet project, run to its end:
    the health check of all eight, groups, votes, a decision and an action that is now one of
    the team's goals, with its summary approved for the handbook. The next retrospective the
    secretariat starts opens with that action."""
    from datetime import timedelta

    from learning import retro_services as retro
    from learning.models import EntryKind, RetroPhase
    from learning.services import EntryText, entry_create

    people = {
        person.username: person
        for person in User.objects.filter(username__in=[row[0] for row in SECRETARIAT])
    }
    entry_create(
        owner=people["jonas"],
        text=EntryText(
            kind=EntryKind.REVIEW,
            title="Evaluering af intranetprojektet",
            happened_on=(now - timedelta(days=20)).date(),
            learned="Brugerne fandt vejledningerne, når de lå ved siden af formularen.",
            for_others="Skabelonen til evalueringen ligger i håndbogen.",
            links="https://github.com/OS2",
            visibility=Visibility.ORGANISATION,
        ),
        now=now,
    )
    entry_create(
        owner=people["sara"],
        text=EntryText(
            kind=EntryKind.NETWORK,
            title="Netværksmøde om åbne data",
            happened_on=(now - timedelta(days=9)).date(),
            learned="Tre kommuner deler allerede deres datasæt; vi kan genbruge deres format.",
        ),
        now=now,
    )
    held = now - timedelta(days=30)
    team = Unit.objects.get(name="Sekretariatet")
    run = retro.retrospective_create(
        facilitator=people["mette"],
        unit=team,
        setup=retro.RetroSetup(
            title="Evaluering af intranetprojektet",
            template="godt-bedre-laerte",
            participants=tuple(people.values()),
        ),
        now=held,
    )
    for number, person in enumerate(people.values()):
        retro.health_answer(
            retro=run, person=person, scores=[4, 3 + number % 2, 4, 3 + number % 3 // 2, 3]
        )

    def on(phase: str) -> None:
        nonlocal run
        while run.phase != phase:
            run = retro.phase_next(retro=run, by=people["mette"], now=held)

    on(RetroPhase.WRITING)
    for username, column, text in [
        ("jonas", 0, "Brugerne var med fra starten"),
        ("sara", 0, "Vi testede med rigtige medarbejdere hver anden uge"),
        ("anders", 1, "For mange møder om det samme"),
        ("peter", 1, "Vi fik kommunikeret for sent om lanceringen"),
        ("louise", 2, "Små leverancer giver tidlig læring"),
    ]:
        retro.note_add(retro=run, person=people[username], column=column, text=text)
    on(RetroPhase.GROUPING)
    notes = {note.text: note for note in run.notes.all()}
    users = retro.note_group(
        retro=run,
        person=people["jonas"],
        note=notes["Brugerne var med fra starten"],
        group=None,
        new=True,
    )
    assert users is not None
    retro.note_group(
        retro=run,
        person=people["sara"],
        note=notes["Vi testede med rigtige medarbejdere hver anden uge"],
        group=users,
        new=False,
    )
    retro.group_rename(retro=run, person=people["jonas"], group=users, title="Brugerne tæt på")
    on(RetroPhase.VOTING)
    for person in people.values():
        retro.vote(retro=run, person=person, group=users)
    on(RetroPhase.DISCUSSION)
    retro.decision_set(
        retro=run,
        person=people["mette"],
        group=users,
        text="Næste projekt tester med brugerne hver anden uge fra første sprint.",
    )
    on(RetroPhase.ACTIONS)
    retro.action_add(
        retro=run,
        person=people["mette"],
        title="Brugertest hver anden uge i det nye projekt",
        owner=people["sara"],
        due_date=(now + timedelta(days=30)).date(),
        group=users,
    )
    on(RetroPhase.CLOSED)
    retro.publish_set(retro=run, by=people["mette"], published=True)
