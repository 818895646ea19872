"""History is never collateral: deleting a person or a unit never deletes what people wrote."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models

from accounts.models import User
from feedback.models import Feedback
from organisation.models import Unit

# Models that a person's or a unit's deletion may take along, each with why it is not history.
NOT_CONTENT = {
    "accounts.Session": "a login session ends with its account",
    "organisation.Membership": "a place in a unit, not something anyone wrote; the audit log "
    "keeps membership changes",
    "notifications.Notification": "a notice to its recipient, meaningless without them",
    "notifications.NotificationSetting": "a person's own settings",
    "notifications.EmailOff": "a person's own switch for all notification e-mail",
    "notifications.OutgoingEmail": "the mail queue to a recipient who no longer exists",
    "notifications.ChatWebhook": "a unit's chat configuration, not content",
    "notifications.WebhookDelivery": "the delivery queue of that configuration",
    "conversations.DevelopmentRecord": "two dates derived from the conversations a person "
    "took part in, which stay; made again from them at will",
}


def _cascades_from(target: type[models.Model]) -> dict[str, list[str]]:
    """Every model that deleting a `target` row deletes, with the chain of fields that leads
    there. Automatic many-to-many link tables are left out: a link row goes, its ends stay."""
    found: dict[str, list[str]] = {}
    todo: list[tuple[type[models.Model], list[str]]] = [(target, [])]
    while todo:
        model, chain = todo.pop()
        for relation in model._meta.related_objects:
            if not (relation.one_to_many or relation.one_to_one):
                continue
            if relation.on_delete is not models.CASCADE:
                continue
            related = relation.related_model
            if related._meta.auto_created:
                continue
            label = related._meta.label
            if label in found:
                continue
            found[label] = [*chain, f"{label}.{relation.field.name}"]
            todo.append((related, found[label]))
    return found


@pytest.mark.parametrize("target", [User, Unit], ids=["person", "unit"])
def test_no_content_cascades_from_a_person_or_a_unit(target):
    """Walks every model of every app: content reached from a person or a unit through
    CASCADE links (directly or along a chain) fails the test."""
    assert apps.get_models(), "no models loaded"
    offending = {
        label: " -> ".join(chain)
        for label, chain in _cascades_from(target).items()
        if label not in NOT_CONTENT
    }
    assert offending == {}


def test_the_allow_list_names_only_real_models():
    labels = {model._meta.label for model in apps.get_models()}
    assert set(NOT_CONTENT) <= labels


def test_feedback_given_by_someone_whose_account_is_deleted_stays_with_its_receiver(cast):
    giver = User.objects.create_user(username="leaver", first_name="Lea", last_name="Ver")
    feedback = Feedback.objects.create(owner=cast.alice, giver=giver, works_well="Godt møde")
    giver.delete()
    feedback.refresh_from_db()
    assert feedback.owner == cast.alice
    assert feedback.giver is None
    assert str(feedback.giver_name) in ("a former colleague", "en tidligere kollega")


def test_deleting_a_person_with_content_is_refused_not_cascaded(cast):
    Feedback.objects.create(owner=cast.alice, giver=cast.bob, works_well="Tak")
    with pytest.raises(models.ProtectedError):
        cast.alice.delete()
    assert Feedback.objects.filter(owner=cast.alice).exists()
