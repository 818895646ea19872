"""Answering a round and reading results: a team of six sees its own figures, a team of four
sees them as part of its parent, the leader sees the units they lead, a stranger nothing."""

from __future__ import annotations

import re

from django.urls import reverse

from pulse.models import OpenParticipation
from pulse.tests.conftest import answer_all, close


def test_answering_on_the_page(cast, client_for, pulse):
    round_, *_ = pulse
    alice = client_for(cast.alice)
    assert round_.get_absolute_url() in alice.get(reverse("pulse:index")).content.decode()
    questions = list(round_.questions.all())
    # A missing answer is refused and nothing is counted.
    response = alice.post(round_.get_absolute_url(), {f"q{questions[0].pk}": "4"})
    assert response.status_code == 200
    assert not OpenParticipation.objects.exists()
    data = {f"q{q.pk}": "4" for q in questions} | {"comment": "Godt team"}
    response = alice.post(round_.get_absolute_url(), data, follow=True)
    assert response.redirect_chain == [(round_.get_absolute_url(), 302)]
    page = response.content.decode()
    assert "Hvad sker der nu" in page and "færre end 5 personer" in page
    assert OpenParticipation.objects.filter(user=cast.alice).count() == 1
    assert round_.get_absolute_url() not in alice.get(reverse("pulse:index")).content.decode()
    # Someone outside the audience, and a stranger to the organisation, get 404.
    assert client_for(cast.ada).get(round_.get_absolute_url()).status_code == 404


def test_results_wait_for_the_round_toclose(cast, client_for, pulse):
    round_, six, _four, _small, _five = pulse
    answer_all(round_, six, 4)
    html = client_for(cast.alice).get(reverse("pulse:results", args=[cast.team.pk])).content
    assert "Kommentar fra" not in html.decode()
    assert "Ingen lukkede runder for denne enhed endnu." in html.decode()


def test_a_team_of_six_sees_itself_and_a_team_of_four_sees_its_parent(cast, client_for, pulse):
    round_, six, four, small, five = pulse
    answer_all(round_, six, 4)
    answer_all(round_, four, 2)
    answer_all(round_, five, 3)
    close(round_)
    alice = client_for(cast.alice)
    html = alice.get(reverse("pulse:results", args=[cast.team.pk])).content.decode()
    # Six answers, all 4s; comments of the six only.
    assert "6 svar" in html and "Kommentar fra six0" in html and "Kommentar fra four0" not in html
    # The four are seen only as part of the organisation's fifteen, with no comments of theirs
    # to pick out.
    html = client_for(four[0]).get(reverse("pulse:results", args=[small.pk])).content.decode()
    assert "Kommunen" in html and "15 svar" in html and not re.search(r"\b4 svar", html)
    # The organisation minus the two shown teams would be the four, so the smaller of the
    # two (the five) is hidden as well and sees the organisation too.
    html = (
        client_for(cast.eve)
        .get(reverse("pulse:results", args=[cast.other_team.pk]))
        .content.decode()
    )
    assert "15 svar" in html and not re.search(r"\b5 svar", html)


def test_the_leader_sees_the_results_and_a_stranger_gets_404(cast, client_for, pulse):
    round_, six, four, small, five = pulse
    answer_all(round_, six, 3)
    answer_all(round_, four, 3)
    answer_all(round_, five, 3)
    close(round_)
    lena = client_for(cast.lena)
    assert lena.get(reverse("pulse:results", args=[cast.team.pk])).status_code == 200
    assert client_for(cast.eve).get(reverse("pulse:results", args=[small.pk])).status_code == 404
    assert (
        client_for(cast.eve).get(reverse("pulse:results", args=[cast.team.pk])).status_code == 404
    )


def test_the_round_report_for_leaders_and_administrators(cast, client_for, pulse):
    round_, six, four, _small, five = pulse
    answer_all(round_, six, 4)
    answer_all(round_, four, 2)
    answer_all(round_, five, 3)
    url = reverse("pulse:report", args=[round_.pk])
    # Not while the round is open, for anyone.
    assert client_for(cast.ada).get(url).status_code == 404
    close(round_)
    html = client_for(cast.ada).get(url).content.decode()
    # The administrator sees the whole tree: the organisation and the team of six shown,
    # the four and the five hidden (the five would give away the four).
    assert "Kommunen" in html and "Lille team" in html and "Økonomi" in html
    assert "4,0" in html  # the six all answered 4
    assert "2,0" not in html  # the four's average is nowhere
    assert "3,0" not in html  # nor the five's
    # The team's leader sees the team only; members and strangers get 404.
    html = client_for(cast.lena).get(url).content.decode()
    assert "Sekretariatet" in html and "Lille team" not in html and "Kommunen" not in html
    for person in (cast.alice, cast.eve):
        assert client_for(person).get(url).status_code == 404


def test_the_results_say_what_changed_since_the_last_round_shown(clock, cast, client_for, pulse):
    from datetime import timedelta

    from pulse.services import round_open

    first, six, _four, _small, _five = pulse
    answer_all(first, six, 3)
    close(first)
    second = round_open(survey=first.survey, opens_at=clock.now() - timedelta(hours=1))
    answer_all(second, six[:3], 4)
    answer_all(second, six[3:], 3)
    close(second)
    html = client_for(cast.alice).get(reverse("pulse:results", args=[cast.team.pk])).content
    page = html.decode()
    week = clock.now().isocalendar().week
    # Each question and the whole round, with words for a screen reader, in Danish numbers.
    assert page.count(f"op 0,5 siden uge {week}") == 3 + 1 + 1
    assert page.count('aria-hidden="true">+0,5<') == 5
    assert f"Siden uge {week}" in page
    # The older round has nothing to compare with: no sixth change on the page.
    assert page.count("siden uge") == 5


def test_the_report_has_a_legend_and_a_colour_in_every_shown_cell(cast, client_for, pulse):
    round_, six, four, _small, five = pulse
    answer_all(round_, six, 5)
    answer_all(round_, four, 1)
    answer_all(round_, five, 3)
    close(round_)
    page = client_for(cast.ada).get(reverse("pulse:report", args=[round_.pk])).content.decode()
    assert "Gennemsnittenes farver" in page and "1,0–1,4" in page and "4,5–5,0" in page
    assert re.search(r'class="text-align-right heat-5">5,0<', page)
    # The organisation's fifteen: (6·5 + 4·1 + 5·3) / 15 = 3,3.
    assert re.search(r'class="text-align-right heat-3">3,3<', page)
