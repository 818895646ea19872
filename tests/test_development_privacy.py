"""A self-assessment that is not shared is read by its owner and nobody else: not a colleague,
not her leader, not the leader above, not a new leader, not an administrator. The test opens
every page of the project as each of them (every URL pattern, found by itself, like the access
sweep) and looks for the words of alice's unshared self-assessment in every response."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.urls import reverse

from conftest import Cast
from core.access import Visibility
from development.models import SelfAssessment
from development.services import RatingGiven, assessment_save, framework_current
from tests.privacy_crawl import every_page, outsiders, reader, words

# Every page, asked as each person: a sweep, on SQLite in CI (`make test-database` leaves it
# out), as the access sweep is.
pytestmark = pytest.mark.sweep

# The clock stands at the cast's frozen moment in every test here (the `clock` fixture).
UNSHARED = "Selvvurdering-som-kun-Alice-ser"
UNSHARED_AREA = "Områdenote-som-kun-Alice-ser"
SHARED = "Selvvurdering-som-Alice-har-delt-med-sine-ledere"
PRIVATE = (UNSHARED, UNSHARED_AREA)


def _assessments(cast: Cast, now: datetime) -> dict[str, SelfAssessment]:
    """alice's unshared self-assessment (newest, so every page that shows her newest shows
    it), and an older one shared with her leaders."""
    framework = framework_current()
    areas = list(framework.areas.all())

    def save(note: str, area_note: str, visibility: str, when: datetime) -> SelfAssessment:
        return assessment_save(
            owner=cast.alice,
            framework=framework,
            ratings=[
                RatingGiven(
                    area_id=area.pk,
                    level=3,
                    wants_to_develop=True,
                    note=area_note if i == 0 else "",
                )
                for i, area in enumerate(areas)
            ],
            note=note,
            visibility=visibility,
            now=when,
        )

    shared = save(SHARED, "", Visibility.LEADER, now - timedelta(days=30))
    unshared = save(UNSHARED, UNSHARED_AREA, Visibility.PRIVATE, now)
    return {"shared": shared, "unshared": unshared}


def _urls(cast: Cast, made: dict[str, SelfAssessment]) -> list[str]:
    """Every GET-able page of the project, the self-assessment pages pointed at ours."""
    ours = {"assessment_id": [made["unshared"].pk, made["shared"].pk]}
    return every_page(cast, ours)


@pytest.mark.parametrize("viewer", ["bob", "lena", "olga", "nina", "ada"])
def test_an_unshared_self_assessment_is_in_no_page_for_anyone_else(
    viewer: str, cast: Cast, client_for: Any, clock: Any
) -> None:
    made = _assessments(cast, clock.now())
    person = outsiders(cast)[viewer]
    client = client_for(person)
    read = reader(client, person)
    pages = 0
    for url in _urls(cast, made):
        text = words(read(url))
        for word in PRIVATE:
            assert word not in text, f"{viewer} read {word!r} on {url}"
        pages += 1
    # Still logged in at the end: every page above was read as the viewer.
    assert client.get(reverse("home:index")).status_code == 200
    assert pages > 100


def test_the_owner_reads_hers_and_her_leaders_the_shared_one(
    cast: Cast, client_for: Any, clock: Any
) -> None:
    """The other side of the test above, so that it can fail: the words are on the pages."""
    made = _assessments(cast, clock.now())
    viewers = outsiders(cast)
    unshared = reverse("development:assessment", args=[made["unshared"].pk])
    shared = reverse("development:assessment", args=[made["shared"].pk])

    alices = words(client_for(cast.alice).get(unshared))
    assert UNSHARED in alices and UNSHARED_AREA in alices
    # Leaders now, the new one too, read what is shared with "my leaders"; the leader above,
    # a colleague and the administrator do not.
    for name in ("lena", "nina"):
        assert SHARED in words(client_for(viewers[name]).get(shared)), name
    for name in ("olga", "bob", "ada"):
        assert client_for(viewers[name]).get(shared).status_code == 404, name


def test_the_words_are_in_no_notification_or_email(cast: Cast, clock: Any) -> None:
    from django.core import mail

    from development.services import assessment_share
    from notifications.delivery import deliver_due
    from notifications.models import Notification

    made = _assessments(cast, clock.now())
    # Shared after all, with her leaders and then with bob: both are told, in words of its own.
    assessment_share(assessment=made["unshared"], by=cast.alice, visibility=Visibility.LEADER)
    assessment_share(
        assessment=made["unshared"],
        by=cast.alice,
        visibility=Visibility.SHARED,
        shared_with=[cast.bob],
    )
    deliver_due(clock=clock.now)
    told = [n.text for n in Notification.objects.all()]
    written = [f"{m.subject}\n{m.body}" for m in mail.outbox]
    assert len(told) >= 2 and len(written) >= 2
    for word in (*PRIVATE, SHARED):
        assert not any(word in text for text in told)
        assert not any(word in text for text in written)
