"""Walks every URL pattern of the project. Logged out, a page redirects to the login; as eve,
a stranger to alice's team, every URL that names an object of alice's (and every
administration page) answers 404, exactly as for something that does not exist.

New features join the sweep by existing: a URL with a new parameter fails here until the
parameter gets an object below."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from checkins.models import CheckIn, Reflection, current_week
from core.access import Visibility
from organisation.models import Value
from profiles.models import ProfileNote
from pulse.models import Question, Round
from teamwork.models import Goal, HelpRequest, Team, WorkingAgreement

# Every URL, asked the same question: on SQLite in CI (`make test-database` leaves it out).
pytestmark = pytest.mark.sweep

# Views anyone may open, logged in or not, and that hold nothing personal.
PUBLIC = {
    "accounts:login",
    # Choosing a password through a link works logged out; without a valid link the page
    # says only that the link does not work (404), and the forgot page answers all alike.
    "accounts:password_forgot",
    "accounts:password_forgot_sent",
    "accounts:password_link",
    "core:accessibility",
    "accounts:language",
    "core:health_live",
    "core:health_ready",
    # For a Prometheus server with the token or from its network; 404 to everyone else, who
    # never reaches the login (core/metrics.py).
    "core:metrics",
    # The organisation's logo, shown on the login page beside the organisation's name.
    "organisation_logo",
    "oidc_authentication_init",
    "oidc_authentication_callback",
    "oidc_logout",
    "set_language",
    # The API's description (nothing personal), and its root, which is 404 to everyone.
    "api:openapi-json",
    "api:api-root",
}
# The API answers by personal access token: without one 401, never a login page.
API = "api:"


def walk(resolvers: list[Any], namespace: str = "") -> Iterator[tuple[str, list[str]]]:
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", list(entry.pattern.converters)


ROUTES = sorted({(name, tuple(params)) for name, params in walk(get_resolver().url_patterns)})
# The administration's namespaces: every page in them is for administrators only.
ADMINISTRATION = (
    "administration:",
    "chat_admin:",
    "email_admin:",
    "pulse_admin:",
    "conversations_admin:",
    "development_admin:",
    "privacy_admin:",
    "api_admin:",
)


def alice_objects(cast: Any) -> dict[str, Callable[[], Any]]:
    """One object of alice's (or of her team) per URL parameter."""
    return {
        "unit_id": lambda: cast.team.pk,
        "user_id": lambda: cast.alice.pk,
        "note_id": lambda: (
            ProfileNote.objects.create(
                owner=cast.alice, title="Privat", body="Kun mig", visibility=Visibility.PRIVATE
            ).pk
        ),
        "value_id": lambda: Value.objects.first().pk,  # type: ignore[union-attr]
        "checkin_id": lambda: _private_checkin(cast),
        "thread_id": lambda: _reply(cast).thread_id,
        "reply_id": lambda: _reply(cast).pk,
        "reflection_id": lambda: Reflection.objects.create(owner=cast.alice, text="Kun til mig").pk,
        "help_request_id": lambda: _team_content(cast)["help_request"].pk,
        "goal_id": lambda: _team_content(cast)["goal"].pk,
        "agreement_id": lambda: _team_content(cast)["agreement"].pk,
        "code": lambda: "en",
        "job_id": lambda: _import_job(cast),
        "notification_id": lambda: _notification(cast),
        "webhook_id": lambda: _webhook(cast),
        "feedback_id": lambda: _feedback(cast)["feedback"].pk,
        "request_id": lambda: _feedback(cast)["request"].pk,
        "sparring_id": lambda: _feedback(cast)["sparring"].pk,
        "recognition_id": lambda: _recognition(cast),
        "round_id": lambda: _pulse_round(cast),
        "survey_id": lambda: Round.objects.get(pk=_pulse_round(cast)).survey_id,
        "question_id": lambda: Question.objects.create(theme="trust", text_da="x", text_en="x").pk,
        "conversation_id": lambda: _conversation(cast).pk,
        "conversation_thread_id": lambda: _conversation(cast).thread_id,
        "plan_id": lambda: _conversation(cast).plan_id,
        "kind": lambda: "mus",
        "item_id": lambda: _conversation_content(cast)["item"].pk,
        "shared_note_id": lambda: _conversation_content(cast)["note"].pk,
        "development_plan_id": lambda: _development_plan(cast)["plan"].pk,
        "development_goal_id": lambda: _development_plan(cast)["goal"].pk,
        "activity_id": lambda: _development_plan(cast)["activity"].pk,
        "assessment_id": lambda: _self_assessment(cast).pk,
        "learning_entry_id": lambda: _learning_entry(cast).pk,
        "retrospective_id": lambda: _retrospective(cast)["retro"].pk,
        "retro_note_id": lambda: _retrospective(cast)["note"].pk,
        "retro_group_id": lambda: _retrospective(cast)["group"].pk,
        # A password link of alice's whose token is not valid: the page says the link does not work.
        "purpose": lambda: "reset",
        "uidb64": lambda: urlsafe_base64_encode(force_bytes(cast.alice.pk)),
        "token": lambda: "0-invalid",
        "token_id": lambda: api_token(cast.alice)[0].pk,
    }


def api_token(person: Any) -> Any:
    """A token of `person`'s that may read and write everything the API has."""
    from datetime import timedelta

    from django.utils import timezone

    from api.tokens import FULL_ACCESS, scopes_of, token_create

    now = timezone.now()
    return token_create(
        person=person,
        name="Sweep",
        scopes=scopes_of(FULL_ACCESS),
        expires_at=now + timedelta(days=30),
        now=now,
    )


def _feedback(cast: Any) -> dict[str, Any]:
    """alice's feedback request to bob, bob's answer, and her request for sparring with a
    time agreed (so its calendar invitation exists)."""
    from datetime import timedelta

    from django.utils import timezone

    from feedback import services

    request = services.feedback_request_create(asker=cast.alice, people=[cast.bob], about="Mødet")
    feedback = services.feedback_give(
        giver=cast.bob,
        receiver=cast.alice,
        works_well="Godt",
        even_better="",
        ask=request.asks.get(),
    )
    sparring = services.sparring_request_create(asker=cast.alice, partner=cast.bob, topic="Emne")
    services.sparring_schedule(
        sparring=sparring,
        by=cast.bob,
        starts_at=timezone.now() + timedelta(days=2),
        duration_minutes=30,
        now=timezone.now(),
    )
    return {"request": request, "feedback": feedback, "sparring": sparring}


def _conversation(cast: Any) -> Any:
    """A MUS that carl planned with alice: read by the two of them only,
    not by lena (the leader above), bob, ada or eve."""
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import User
    from conversations.models import Conversation, Plan
    from conversations.services import conversation_plan

    found = Conversation.objects.filter(thread__participants__user=cast.alice).first()
    if found is not None:
        return found
    # A test may have its own carl already (feedback's privacy test has him in the team).
    carl, _made = User.objects.get_or_create(
        username="carl", defaults={"first_name": "Carl", "last_name": "Carlsen"}
    )
    now = timezone.now()
    plan = Plan.objects.create(
        leader=carl, title="MUS", starts_on=now.date(), ends_on=now.date() + timedelta(days=30)
    )
    return conversation_plan(
        by=carl,
        people=[cast.alice],
        kind="mus",
        starts_at=now + timedelta(days=1),
        duration_minutes=60,
        now=now,
        plan=plan,
    )


def _conversation_content(cast: Any) -> dict[str, Any]:
    """A talking point and a shared note of carl's and alice's conversation, written by alice."""
    from django.utils import timezone

    from conversations.models import Item, SharedNote
    from conversations.services import item_add, shared_note_add

    conversation = _conversation(cast)
    item = Item.objects.filter(raised_in=conversation).first() or item_add(
        conversation=conversation, by=cast.alice, text="Punkt", now=timezone.now()
    )
    note = SharedNote.objects.filter(conversation=conversation).first() or shared_note_add(
        conversation=conversation, by=cast.alice, text="Note", now=timezone.now()
    )
    return {"item": item, "note": note}


def _development_plan(cast: Any) -> dict[str, Any]:
    """alice's development plan, private, with a goal and a course she finished."""
    from django.utils import timezone

    from development.models import Activity, DevelopmentPlan, Goal
    from development.services import ActivityText, activity_add, goal_add, plan_create

    plan = DevelopmentPlan.objects.filter(owner=cast.alice).first() or plan_create(
        owner=cast.alice, title="Kun min plan", follow_up_on=None, now=timezone.now()
    )
    goal = Goal.objects.filter(plan=plan).first() or goal_add(
        plan=plan, by=cast.alice, text="Mål", area_keys=[]
    )
    activity = Activity.objects.filter(plan=plan).first() or activity_add(
        plan=plan, by=cast.alice, activity=ActivityText(kind="kursus", title="Kursus")
    )
    return {"plan": plan, "goal": goal, "activity": activity}


def _retrospective(cast: Any) -> dict[str, Any]:
    """A retrospective of alice's team under way, with a note in a group, that only she takes
    part in: everyone else, her leader and colleague too, gets 404 for it."""
    from learning.models import RetroGroup, RetroNote, RetroParticipation, Retrospective

    retro = Retrospective.objects.filter(title="Kun alice").first()
    if retro is None:
        retro = Retrospective.objects.create(
            unit=cast.team,
            title="Kun alice",
            template="4l",
            columns=["Liked", "Learned", "Lacked", "Longed for"],
            facilitator=cast.alice,
            held_on=current_week(),
            phase="grouping",
        )
        RetroParticipation.objects.create(retrospective=retro, person=cast.alice)
        group = RetroGroup.objects.create(retrospective=retro, title="Gruppe 1")
        RetroNote.objects.create(retrospective=retro, column=0, text="Hemmelig", group=group)
    return {"retro": retro, "note": retro.notes.get(), "group": retro.groups.get()}


def _learning_entry(cast: Any) -> Any:
    """An entry in alice's learning log that she keeps to herself."""
    from learning.models import Entry

    return Entry.objects.create(
        owner=cast.alice,
        kind="kursus",
        title="Kun til mig",
        happened_on=current_week(),
        learned="Privat læring",
        visibility=Visibility.PRIVATE,
    )


def _self_assessment(cast: Any) -> Any:
    """alice's self-assessment, private as every self-assessment is until shared."""
    from django.utils import timezone

    from development.models import SelfAssessment
    from development.services import RatingGiven, assessment_save, framework_current

    found = SelfAssessment.objects.filter(owner=cast.alice).first()
    if found is not None:
        return found
    framework = framework_current()
    return assessment_save(
        owner=cast.alice,
        framework=framework,
        ratings=[RatingGiven(area_id=area.pk, level=2) for area in framework.areas.all()],
        note="Kun til mig",
        visibility=Visibility.PRIVATE,
        now=timezone.now(),
    )


def _recognition(cast: Any) -> int:
    """A thanks from alice to bob, posted to their team only."""
    from recognition.services import recognition_create

    return recognition_create(
        author=cast.alice,
        recipients=[cast.bob],
        text="Tak for hjælpen",
        values=[Value.objects.get_or_create(name="Åbenhed")[0]],
        unit=cast.team,
    ).pk


def _pulse_round(cast: Any) -> int:
    """An open pulse round for alice's team."""
    from django.utils import timezone

    from pulse.models import Question, Survey
    from pulse.services import round_open

    survey = Survey.objects.create(name="Trivsel", starts_on=timezone.localdate())
    survey.units.set([cast.team])
    question = Question.objects.create(theme="trust", text_da="Tillid", text_en="Trust")
    survey.items.create(question=question)
    return round_open(survey=survey, opens_at=timezone.now()).pk


def _import_job(cast: Any) -> int:
    from organisation.models import ImportJob

    return int(ImportJob.objects.create(started_by=cast.ada).pk)


def _notification(cast: Any) -> int:
    from notifications.models import Notification

    return int(
        Notification.objects.create(recipient=cast.alice, kind="help_request", text="Hjælp").pk
    )


def _webhook(cast: Any) -> int:
    from notifications.models import ChatWebhook

    return int(
        ChatWebhook.objects.create(
            name="Sekretariatet", format="slack", url="https://chat.example/hook", unit=cast.team
        ).pk
    )


def _private_checkin(cast: Any) -> int:
    checkin, _created = CheckIn.objects.get_or_create(
        owner=cast.alice, week=current_week(), defaults={"went_well": "Kun til mig"}
    )
    return int(checkin.pk)


def _reply(cast: Any) -> Any:
    """lena's reply to alice's check-in, which alice has since taken back to private: the
    thread is kept and nobody but alice could read the check-in, so nobody reads the thread."""
    from checkins.models import Reply, Thread

    thread, _created = Thread.objects.get_or_create(
        checkin_id=_private_checkin(cast), reader=cast.lena
    )
    return Reply.objects.create(owner=cast.lena, thread=thread, text="Svar til Alice")


def _team_content(cast: Any) -> dict[str, Any]:
    """A help request of alice's to her team, and a goal and an agreement of the team."""
    team = Team.objects.for_unit(cast.team)
    return {
        "help_request": HelpRequest.objects.create(asker=cast.alice, unit=cast.team, text="Hjælp"),
        "goal": Goal.objects.create(team=team, title="Mål", owner=cast.alice),
        "agreement": WorkingAgreement.objects.create(team=team, text="Vi hjælper hinanden."),
    }


def url_for(name: str, params: tuple[str, ...], cast: Any) -> str:
    objects = alice_objects(cast)
    missing = [p for p in params if p not in objects]
    assert not missing, f"{name}: give the access sweep an object for {missing}"
    return reverse(name, kwargs={p: objects[p]() for p in params})


# Each test takes one URL with one cast and its objects: making them is most of a test's time,
# so one test asks everything of its URL.
@pytest.mark.parametrize(("name", "params"), ROUTES, ids=[r[0] for r in ROUTES])
def test_logged_out_goes_to_login_and_a_stranger_gets_404(name, params, cast, client, client_for):
    if name in PUBLIC:
        pytest.skip("public page")
    url = url_for(name, params, cast)
    if name.startswith(API):
        _api_sweep(name, params, url, cast, client)
        return
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 302, f"{method.__name__} {url}"
        assert response["Location"].startswith(reverse("accounts:login")), url
    if not (params or name.startswith(ADMINISTRATION)):
        return  # no object of anyone's in this URL
    stranger = client_for(cast.eve)
    # 405 (a method the view never takes) says nothing about the object; one method is 404.
    statuses = {stranger.get(url).status_code, stranger.post(url).status_code}
    assert 404 in statuses and statuses <= {404, 405}, f"eve: {url} gave {statuses}"


# A valid body for each API write at an object's path: without one, the write is 400 before
# the object is looked for, and the sweep would learn nothing about who may reach it.
API_BODIES: dict[str, dict[str, Any]] = {
    "api:goal_note_new": {"text": "Godt gået"},
    "api:conversation_note_new": {"text": "Til dagsordenen"},
    "api:conversation_private_notes": {"text": "Mine egne tanker"},
}


def api_post(client: Any, name: str, url: str, **header: Any) -> Any:
    if name in API_BODIES:
        return client.post(url, API_BODIES[name], content_type="application/json", **header)
    return client.post(url, **header)


def _api_sweep(name: str, params: tuple[str, ...], url: str, cast: Any, client: Any) -> None:
    """Without a token 401 (405 for a method the path never takes); with a token of eve's,
    who may read and write everything the API has, alice's object is 404 to every method."""
    statuses = {client.get(url).status_code, client.post(url).status_code}
    assert 401 in statuses and statuses <= {401, 405}, f"no token: {url} gave {statuses}"
    if not params:
        return
    _token, secret = api_token(cast.eve)
    header = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    statuses = {client.get(url, **header).status_code}
    statuses.add(api_post(client, name, url, **header).status_code)
    assert 404 in statuses and statuses <= {404, 405}, f"eve's token: {url} gave {statuses}"


# Personal content: private notes, check-ins and reflections of alice's, and the replies to a
# check-in she took back (tests in checkins/tests/test_replies.py cover a thread still shared).
PERSONAL = {
    "note_id",
    "checkin_id",
    "reflection_id",
    "thread_id",
    "reply_id",
    "conversation_id",
    "conversation_thread_id",
    "plan_id",
    "item_id",
    "shared_note_id",
    "development_plan_id",
    "development_goal_id",
    "activity_id",
    "assessment_id",
    "learning_entry_id",
    "retrospective_id",
    "retro_note_id",
    "retro_group_id",
}
PERSONAL_ROUTES = [r for r in ROUTES if PERSONAL & set(r[1])]


@pytest.mark.parametrize(("name", "params"), PERSONAL_ROUTES, ids=[r[0] for r in PERSONAL_ROUTES])
def test_private_content_is_404_for_colleague_leader_and_administrator(
    name, params, cast, client_for
):
    url = url_for(name, params, cast)
    for viewer in ("bob", "lena", "ada", "eve"):
        client = client_for(getattr(cast, viewer))
        # The API by the viewer's token, which may read and write everything it has.
        header = (
            {"HTTP_AUTHORIZATION": f"Bearer {api_token(getattr(cast, viewer))[1]}"}
            if name.startswith(API)
            else {}
        )
        statuses = {
            client.get(url, **header).status_code,
            api_post(client, name, url, **header).status_code,
        }
        assert 404 in statuses and statuses <= {404, 405}, f"{viewer}: {url} gave {statuses}"
