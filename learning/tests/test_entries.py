"""The learning log: an entry says where and when a person learned something, what, and what
others can use, with links and focus areas; it is shared with their teams unless they choose
otherwise. Only the owner changes it; who reads it follows its sharing, on the entry's page and
on the team's and the organisation's pages; bad input gets a clear message in Danish and
English and changes nothing. An activity's reflection becomes an entry in one step."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from conftest import FROZEN_AT, Cast
from core.access import Visibility
from development import services as development
from development.models import Activity, ActivityKind, ActivityStatus
from development.services import ActivityText
from learning import services
from learning.links import link_of
from learning.models import Entry, EntryKind
from learning.services import EntryText, LearningError

pytestmark = pytest.mark.usefixtures("clock")

NOW = FROZEN_AT
TODAY = NOW.date()
# The log: the session with its person and the unread count of the menu's notifications, the
# newest entries (no count), the current framework's focus areas, and the person's units. A
# team's page: the same, with the unit and the paths it may be read from instead of the person's
# units.
QUERIES_LOG_PAGE = 4
QUERIES_TEAM_PAGE = 5


def _text(**extra: Any) -> EntryText:
    values: dict[str, Any] = {
        "kind": EntryKind.REVIEW,
        "title": "Evaluering af booking-systemet",
        "happened_on": TODAY - timedelta(days=2),
        "learned": "Brugerne læste aldrig vejledningen; de spurgte en kollega.",
        "for_others": "Skabelonen til evalueringen ligger i håndbogen.",
        "links": "https://github.com/OS2/booking\nhttps://sky.example.dk/index.php/s/abc123",
        "area_keys": ["innovation-og-laering"],
        **extra,
    }
    return EntryText(**values)


def _entry(cast: Cast, **extra: Any) -> Entry:
    owner = extra.pop("owner", cast.alice)
    return services.entry_create(owner=owner, text=_text(**extra), now=NOW)


def _form(**extra: Any) -> dict[str, Any]:
    return {
        "kind": "evaluering",
        "title": "Evaluering af booking-systemet",
        "happened_on": (TODAY - timedelta(days=2)).isoformat(),
        "learned": "Brugerne læste aldrig vejledningen.",
        "for_others": "",
        "links": "https://github.com/OS2/booking",
        "area_keys": ["innovation-og-laering"],
        "visibility": "team",
        **extra,
    }


def test_alice_writes_an_entry_and_it_is_shared_with_her_teams(cast: Cast, client_for: Any) -> None:
    alice = client_for(cast.alice)
    page = html.unescape(alice.get(reverse("learning:new")).content.decode())
    # The form says plainly that learning is shared with the teams, and starts there.
    assert "Læring deles med dine teams, medmindre du vælger andet" in page
    assert re.search(r'<input[^>]*value="team"[^>]*checked', page)
    response = alice.post(reverse("learning:new"), _form())
    entry = Entry.objects.get()
    assert response.status_code == 302 and response["Location"] == entry.get_absolute_url()
    assert (entry.owner, entry.kind) == (cast.alice, "evaluering")
    assert entry.visibility == Visibility.TEAM
    assert entry.links == ["https://github.com/OS2/booking"]
    assert entry.area_keys == ["innovation-og-laering"]

    # bob, in her team, reads it on the team's page and on its own; eve, in another team,
    # does not, and the team's page is not hers to open.
    bob = client_for(cast.bob)
    team_page = bob.get(reverse("learning:team", args=[cast.team.pk])).content.decode()
    assert "Evaluering af booking-systemet" in team_page
    assert "Alice Andersen" in team_page
    assert bob.get(entry.get_absolute_url()).status_code == 200
    eve = client_for(cast.eve)
    assert eve.get(entry.get_absolute_url()).status_code == 404
    assert eve.get(reverse("learning:team", args=[cast.team.pk])).status_code == 404
    organisation = eve.get(reverse("learning:organisation")).content.decode()
    assert "Evaluering af booking-systemet" not in organisation


def test_who_reads_an_entry_follows_its_sharing(cast: Cast, client_for: Any) -> None:
    private = _entry(cast, title="Kun til mig", visibility=Visibility.PRIVATE)
    named = _entry(cast, title="Til Eve", visibility=Visibility.SHARED, shared_with=[cast.eve])
    everyone = _entry(cast, title="Til alle", visibility=Visibility.ORGANISATION)

    def status(person: Any, entry: Entry) -> int:
        return int(client_for(person).get(entry.get_absolute_url()).status_code)

    assert status(cast.alice, private) == 200
    for person in (cast.bob, cast.lena, cast.eve, cast.ada):
        # A leader, a colleague, a stranger and the administrator: none reads a private entry.
        assert status(person, private) == 404
    assert status(cast.eve, named) == 200
    assert status(cast.bob, named) == 404
    for person in (cast.bob, cast.lena, cast.eve, cast.ada):
        assert status(person, everyone) == 200
    organisation = client_for(cast.eve).get(reverse("learning:organisation")).content.decode()
    assert "Til alle" in organisation
    assert "Kun til mig" not in organisation and "Til Eve" not in organisation
    lenas_team = client_for(cast.lena).get(reverse("learning:team", args=[cast.team.pk]))
    assert "Kun til mig" not in lenas_team.content.decode()


def test_only_the_owner_changes_or_deletes_an_entry(cast: Cast, client_for: Any) -> None:
    entry = _entry(cast)
    before = list(Entry.objects.values_list("pk", "title", "learned", "visibility"))
    for person in (cast.bob, cast.lena, cast.eve, cast.ada):
        client = client_for(person)
        for url in (
            reverse("learning:edit", args=[entry.pk]),
            reverse("learning:delete", args=[entry.pk]),
        ):
            assert client.post(url, _form(title="Ændret")).status_code == 404
    assert list(Entry.objects.values_list("pk", "title", "learned", "visibility")) == before
    with pytest.raises(LearningError):
        services.entry_update(entry=entry, by=cast.bob, text=_text(title="Ændret"), now=NOW)

    alice = client_for(cast.alice)
    alice.post(reverse("learning:edit", args=[entry.pk]), _form(title="Ny titel"))
    entry.refresh_from_db()
    assert entry.title == "Ny titel"
    alice.post(reverse("learning:delete", args=[entry.pk]))
    assert not Entry.objects.exists()


BAD: dict[str, tuple[dict[str, Any], str, str]] = {
    "no kind": ({"kind": ""}, "Vælg, hvor du lærte det.", "Choose where you learned it."),
    "an unknown kind": (
        {"kind": "ferie"},
        "Vælg, hvor du lærte det.",
        "Choose where you learned it.",
    ),
    "no title": ({"title": " "}, "Giv indlægget en titel.", "Give the entry a title."),
    "a date in the future": (
        {"happened_on": (TODAY + timedelta(days=1)).isoformat()},
        "Datoen kan ikke ligge i fremtiden: skriv, hvad du har lært.",
        "The date cannot be in the future: write what you have learned.",
    ),
    "nothing learned": ({"learned": ""}, "Skriv, hvad du lærte.", "Write what you learned."),
    "a link that is no web address": (
        {"links": "https://github.com/OS2\njavascript:alert(1)"},
        "“javascript:alert(1)” er ikke en webadresse.",
        "“javascript:alert(1)” is not a web address.",
    ),
    "an ftp link": (
        {"links": "ftp://filer.example.dk/x"},
        "“ftp://filer.example.dk/x” er ikke en webadresse.",
        "“ftp://filer.example.dk/x” is not a web address.",
    ),
    "too many links": (
        {"links": "\n".join(f"https://example.dk/{n}" for n in range(11))},
        "Højst 10 links.",
        "At most 10 links.",
    ),
    "an unknown focus area": (
        {"area_keys": ["bordtennis"]},
        "Et fokusområde, du valgte, er ikke i kompetencerammen. Vælg igen.",
        "A focus area you chose is not in the competence framework. Choose again.",
    ),
    "shared with the leader only": (
        {"visibility": "leader"},
        "Vælg, hvem der kan se indlægget.",
        "Choose who can see the entry.",
    ),
    "shared with nobody": (
        {"visibility": "shared"},
        "Vælg mindst én person at dele med.",
        "Choose at least one person to share with.",
    ),
}


@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize("name", list(BAD))
def test_bad_input_says_why_and_saves_nothing(
    cast: Cast, client_for: Any, name: str, language: str
) -> None:
    change, danish, english = BAD[name]
    client = client_for(cast.alice)
    client.cookies["django_language"] = language
    response = client.post(reverse("learning:new"), _form(**change))
    assert response.status_code == 400
    assert (danish if language == "da" else english) in html.unescape(response.content.decode())
    assert not Entry.objects.exists()


def test_the_service_refuses_the_same_in_both_languages(cast: Cast) -> None:
    for language, message in (("da", "Giv indlægget en titel."), ("en", "Give the entry a title.")):
        with translation.override(language), pytest.raises(LearningError) as raised:
            services.entry_create(owner=cast.alice, text=_text(title=""), now=NOW)
        assert str(raised.value) == message
    assert not Entry.objects.exists()


@override_settings(SPARRING_HANDBOOK_HOSTS=["handbog.example.dk"])
def test_links_are_named_by_where_they_lead() -> None:
    assert link_of("https://github.com/OS2/sparring").label == "GitHub"
    assert link_of("https://os2.github.io/handbog/").place == "github"
    assert link_of("https://handbog.example.dk/kultur/").place == "handbook"
    assert link_of("https://sky.example.dk/index.php/s/Xy12").place == "nextcloud"
    assert link_of("https://sky.example.dk/s/Xy12").place == "nextcloud"
    plain = link_of("https://www.kl.dk/nyheder")
    assert (plain.place, plain.label) == ("", "www.kl.dk")
    # A host that only ends like a known one is not it.
    assert link_of("https://notgithub.com/x").place == ""


def _done_activity(cast: Cast, owner: Any = None) -> Activity:
    owner = owner or cast.alice
    plan = development.plan_create(owner=owner, title="Min plan", follow_up_on=None, now=NOW)
    goal = development.goal_add(
        plan=plan, by=owner, text="Lede en evaluering", area_keys=["kommunikation-og-samarbejde"]
    )
    activity = development.activity_add(
        plan=plan,
        by=owner,
        activity=ActivityText(
            kind=ActivityKind.COURSE,
            title="Kursus i evaluering",
            expected_effect="",
            starts_on=date(2026, 11, 2),
            ends_on=date(2026, 11, 3),
            cost=None,
            goal=goal,
        ),
    )
    development.activity_status_set(activity=activity, by=owner, status="done", now=NOW)
    development.activity_reflect(
        activity=activity,
        by=owner,
        learned="Spørg brugerne før, ikke efter.",
        use="Jeg laver en plan for næste evaluering.",
        for_others="Kursusmaterialet ligger på Nextcloud.",
        now=NOW,
    )
    activity.refresh_from_db()
    return activity


def test_a_reflection_becomes_an_entry_that_the_owner_looks_over(
    cast: Cast, client_for: Any
) -> None:
    activity = _done_activity(cast)
    url = reverse("learning:from_activity", args=[activity.pk])
    alice = client_for(cast.alice)
    page = html.unescape(alice.get(url).content.decode())
    assert "Fra din refleksion over “Kursus i evaluering”" in page
    assert "Spørg brugerne før, ikke efter." in page
    assert not Entry.objects.exists()  # nothing is shared before she saves
    response = alice.post(
        url,
        _form(
            kind="kursus",
            title="Kursus i evaluering",
            happened_on="2026-11-03",
            learned="Spørg brugerne før, ikke efter.",
            area_keys=["kommunikation-og-samarbejde"],
        ),
    )
    entry = Entry.objects.get()
    assert response["Location"] == entry.get_absolute_url()
    assert (entry.from_activity, entry.kind) == (activity, "kursus")
    # Once made, the link leads to the entry instead of making another.
    assert alice.get(url)["Location"] == entry.get_absolute_url()
    # The plan's page offers it to the owner.
    plan_page = alice.get(activity.plan.get_absolute_url()).content.decode()
    assert url in plan_page


def test_the_entry_is_drafted_from_the_reflection(cast: Cast) -> None:
    activity = _done_activity(cast)
    text = services.text_from_activity(activity, NOW)
    assert (text.kind, text.title, text.happened_on) == (
        EntryKind.COURSE,
        "Kursus i evaluering",
        date(2026, 11, 3),
    )
    assert text.learned.startswith("Spørg brugerne før, ikke efter.")
    assert "Jeg laver en plan" in text.learned
    assert text.for_others == "Kursusmaterialet ligger på Nextcloud."
    assert text.area_keys == ["kommunikation-og-samarbejde"]
    assert text.visibility == Visibility.TEAM


def test_only_the_owner_shares_a_reflection_and_only_when_there_is_one(
    cast: Cast, client_for: Any
) -> None:
    activity = _done_activity(cast)
    url = reverse("learning:from_activity", args=[activity.pk])
    for person in (cast.bob, cast.lena, cast.eve, cast.ada):
        assert client_for(person).get(url).status_code == 404
        assert client_for(person).post(url, _form()).status_code == 404
    with pytest.raises(LearningError):
        services.entry_create(owner=cast.bob, text=_text(), now=NOW, from_activity=activity)
    assert not Entry.objects.exists()

    Activity.objects.filter(pk=activity.pk).update(status=ActivityStatus.PLANNED, learned="")
    response = client_for(cast.alice).get(url)
    assert response["Location"].endswith(f"#activity-{activity.pk}")


def test_an_entry_keeps_its_words_when_the_activity_goes(cast: Cast) -> None:
    activity = _done_activity(cast)
    entry = services.entry_create(
        owner=cast.alice,
        text=services.text_from_activity(activity, NOW),
        now=NOW,
        from_activity=activity,
    )
    Activity.objects.filter(pk=activity.pk).delete()
    entry.refresh_from_db()
    assert entry.from_activity is None
    assert entry.learned.startswith("Spørg brugerne før")


def test_the_pages_read_in_a_fixed_number_of_queries(
    cast: Cast, client_for: Any, django_assert_num_queries: Any
) -> None:
    alice, bob = client_for(cast.alice), client_for(cast.bob)
    _entry(cast)
    alice.get(reverse("learning:index"))
    bob.get(reverse("learning:team", args=[cast.team.pk]))
    with django_assert_num_queries(QUERIES_LOG_PAGE):
        assert alice.get(reverse("learning:index")).status_code == 200
    with django_assert_num_queries(QUERIES_TEAM_PAGE):
        assert bob.get(reverse("learning:team", args=[cast.team.pk])).status_code == 200
    for n in range(12):
        _entry(cast, title=f"Indlæg {n}")
    with django_assert_num_queries(QUERIES_LOG_PAGE):
        assert alice.get(reverse("learning:index")).status_code == 200
    with django_assert_num_queries(QUERIES_TEAM_PAGE):
        assert bob.get(reverse("learning:team", args=[cast.team.pk])).status_code == 200


def test_a_long_list_goes_on_from_where_it_ended(cast: Cast, client_for: Any) -> None:
    for n in range(25):
        _entry(cast, title=f"Indlæg {n:02d}", happened_on=TODAY - timedelta(days=n % 7))
    bob = client_for(cast.bob)
    url = reverse("learning:team", args=[cast.team.pk])
    first = html.unescape(bob.get(url).content.decode())
    shown = set(re.findall(r"Indlæg \d\d", first))
    assert len(shown) == 20
    older = re.search(r'href="\?older=([^"]+)"', first)
    assert older is not None
    rest = html.unescape(bob.get(url, {"older": older.group(1)}).content.decode())
    more = set(re.findall(r"Indlæg \d\d", rest))
    assert len(more) == 5 and not more & shown
    assert "?older=" not in rest
    # Anything else in ?older= is the start of the list.
    for nonsense in ("x", "2026-13-01_1", "_", "2026-12-01_x"):
        again = html.unescape(bob.get(url, {"older": nonsense}).content.decode())
        assert set(re.findall(r"Indlæg \d\d", again)) == shown
