"""The feed in pages, newest first: "Older thanks" goes on exactly where a page ended (thanks
written in the same microsecond included), every page shows only what the person may read, in
the same order as `visible_to`, and a page reads the same number of queries however many
thanks there are."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from organisation.models import Value
from recognition.models import Recognition
from recognition.selectors import FEED_PAGE


@pytest.fixture
def thanks(cast):
    """Fifty-one thanks over a month: to everyone, to each team, to and from alice, several
    written in the same microsecond."""
    value = Value.objects.filter(is_active=True).first()
    now = timezone.now()
    made = []
    for i in range(51):
        unit = [None, cast.team, cast.other_team][i % 3]
        author = [cast.bob, cast.eve, cast.lena, cast.alice][i % 4]
        recognition = Recognition.objects.create(author=author, text=f"Tak nr. {i}", unit=unit)
        recognition.values.add(value)  # type: ignore[arg-type]
        recognition.recipients.add(cast.alice if i % 5 == 0 else cast.bob)
        made.append(recognition)
    for i, recognition in enumerate(made):
        # Threes of thanks written at the same moment: the feed orders those by id.
        Recognition.objects.filter(pk=recognition.pk).update(
            created_at=now - timedelta(hours=(50 - i) // 3)
        )
    return made


def walk(client, url):
    """The texts of every page of the feed at `url`, following "Older thanks"."""
    texts: list[str] = []
    pages = 0
    while url:
        page = client.get(url).content.decode()
        pages += 1
        texts += re.findall(r"Tak nr\. \d+", page)
        older = re.search(r'href="(\?[^"]*after=[^"]+)"', page)
        url = reverse("recognition:feed") + older[1].replace("&amp;", "&") if older else ""
    return texts, pages


# Ada is in no unit: the rule of one's units lets nothing through.
@pytest.mark.parametrize("who", ["alice", "eve", "lena", "ada"])
def test_the_pages_of_the_feed_are_what_the_person_may_read_in_order(cast, client_for, thanks, who):
    person = getattr(cast, who)
    texts, pages = walk(client_for(person), reverse("recognition:feed"))
    visible = Recognition.objects.visible_to(person).order_by("-created_at", "-pk")
    expected = [recognition.text for recognition in visible]
    assert texts == expected
    assert pages == -(-len(expected) // FEED_PAGE)
    # Eve is in the other team: its thanks, everyone's, and hers; never the secretariat's.
    if who == "eve":
        team_only = {r.text for r in thanks if r.unit == cast.team and cast.eve != r.author}
        assert not team_only & set(texts)


def test_a_teams_feed_in_pages(cast, client_for, thanks):
    url = reverse("recognition:feed") + f"?team={cast.team.pk}"
    texts, _pages = walk(client_for(cast.alice), url)
    expected = [r.text for r in thanks if r.unit == cast.team]
    assert sorted(texts) == sorted(expected) and len(texts) == len(expected) == 17
    # The link to the newest keeps the team.
    page = client_for(cast.alice).get(url + "&after=" + "9" * 15 + "-1").content.decode()
    assert f'href="?team={cast.team.pk}"' in page


def test_a_position_that_is_no_position_starts_at_the_newest(cast, client_for, thanks):
    client = client_for(cast.alice)
    newest = client.get(reverse("recognition:feed")).content.decode()
    for after in ["x", "12-", "-3", "9" * 40 + "-1", "1.5-2"]:
        page = client.get(reverse("recognition:feed"), {"after": after})
        assert page.status_code == 200
        assert re.findall(r"Tak nr\. \d+", page.content.decode()) == re.findall(
            r"Tak nr\. \d+", newest
        )


def test_a_page_reads_the_same_queries_however_many_thanks(
    cast, client_for, thanks, django_assert_num_queries
):
    client = client_for(cast.alice)
    url = reverse("recognition:feed")
    client.get(url)
    # The session with its person and unread notifications; the person's units and thanks
    # received; the newest of the four rules together; the page's thanks with author and unit,
    # their recipients, values and reactions.
    with django_assert_num_queries(8):
        client.get(url)
    Recognition.objects.bulk_create(
        [Recognition(author=cast.bob, text="Endnu en tak") for _ in range(200)]
    )
    with django_assert_num_queries(8):
        client.get(url)


@pytest.mark.parametrize("who", ["alice", "bob", "eve", "lena", "ada"])
def test_what_was_posted_to_a_unit_is_what_visible_to_lets_through_of_it(cast, thanks, who):
    """The team page and a team's feed read a unit's thanks with `posted_to`, in one query;
    it lets through exactly what `visible_to` does, for the people of the unit and for those
    outside it who wrote or received some of its thanks."""
    person = getattr(cast, who)
    for unit in (cast.team, cast.other_team, cast.organisation):
        posted = set(Recognition.objects.posted_to(unit, person))
        assert posted == set(Recognition.objects.visible_to(person).filter(unit=unit))
    assert Recognition.objects.posted_to(cast.team, cast.alice).count() == 17
