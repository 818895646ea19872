from __future__ import annotations

import pytest
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from checkins.models import Reflection
from conftest import FROZEN_AT
from core.access import Visibility
from organisation.models import Value

NEW = reverse("reflections:new")


def test_a_reflection_is_private_by_default_and_tagged(cast, client_for):
    value = Value.objects.get(name="Åbenhed")
    response = client_for(cast.alice).post(
        NEW,
        {
            "text": "Jeg lyttede mere end jeg talte.",
            "value": value.pk,
            "theme": "møder",
            "visibility": "private",
        },
    )
    r = Reflection.objects.get()
    assert response["Location"] == r.get_absolute_url()
    assert (r.owner, r.visibility, r.value, r.theme) == (
        cast.alice,
        Visibility.PRIVATE,
        value,
        "møder",
    )
    for person in (cast.bob, cast.lena, cast.ada, cast.eve):
        assert client_for(person).get(r.get_absolute_url()).status_code == 404
    html = client_for(cast.alice).get(reverse("reflections:list")).content.decode()
    assert r.get_absolute_url() in html and "møder" in html


def test_a_reflection_can_be_shared_with_people_i_choose(cast, client_for):
    client_for(cast.alice).post(
        NEW, {"text": "Til Bob", "visibility": "shared", "shared_with": [cast.bob.pk]}
    )
    r = Reflection.objects.get()
    assert client_for(cast.bob).get(r.get_absolute_url()).status_code == 200
    assert (
        r.get_absolute_url()
        in client_for(cast.bob).get(reverse("reflections:list")).content.decode()
    )
    assert client_for(cast.lena).get(r.get_absolute_url()).status_code == 404


def test_only_active_values_are_offered(cast, client_for):
    retired = Value.objects.create(name="Gammel værdi", is_active=False)
    response = client_for(cast.alice).post(NEW, {"text": "x", "value": retired.pk})
    assert response.status_code == 200 and not Reflection.objects.exists()


@pytest.mark.parametrize("language", ["da", "en"])
def test_an_overlong_or_empty_reflection_gets_a_clear_message(cast, client_for, language):
    client = client_for(cast.alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post(NEW, {"text": "x" * 2001})
    with translation.override(language):
        try:
            MaxLengthValidator(2000)("x" * 2001)
        except ValidationError as error:
            message = escape(error.messages[0])
        required = escape(str(forms.Field.default_error_messages["required"]))
    assert message in response.content.decode()
    assert required in client.post(NEW, {"text": " "}).content.decode()
    assert not Reflection.objects.exists()


def test_only_the_owner_may_change_or_delete(cast, client_for):
    r = Reflection.objects.create(owner=cast.alice, text="Mit", visibility=Visibility.TEAM)
    for name in ("reflections:edit", "reflections:delete"):
        url = reverse(name, kwargs={"reflection_id": r.pk})
        assert client_for(cast.bob).post(url, {"text": "Dit"}).status_code == 404
    r.refresh_from_db()
    assert r.text == "Mit"
    client_for(cast.alice).post(reverse("reflections:delete", kwargs={"reflection_id": r.pk}))
    assert not Reflection.objects.exists()


def test_a_reflection_is_shared_with_active_people_only(cast):
    from accounts.services import person_deactivate
    from checkins.services import reflection_save
    from core.access import SharingError

    reflection = Reflection(owner=cast.alice)
    reflection_save(
        reflection=reflection,
        text="Til Eve",
        value=None,
        theme="",
        visibility=Visibility.SHARED,
        shared_with=[cast.eve],
    )
    person_deactivate(actor=None, person=cast.eve, now=FROZEN_AT)
    with pytest.raises(SharingError):
        reflection_save(
            reflection=reflection,
            text="Igen",
            value=None,
            theme="",
            visibility=Visibility.SHARED,
            shared_with=[cast.eve],
        )
    reflection.refresh_from_db()
    assert reflection.text == "Til Eve"
