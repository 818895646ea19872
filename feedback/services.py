"""Writes about feedback and sparring. Each is atomic; what people are told goes through
notifications, whose texts name who and what about, never the feedback itself."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import Truncator, format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import PERSON_LEFT, User
from core.access import Visibility, leader_ids_of, sharing_people_check
from core.dates import datetime_label_lazy
from feedback.calendar import sparring_event
from feedback.models import (
    FEEDBACK_VISIBILITIES,
    Feedback,
    FeedbackAsk,
    FeedbackRequest,
    SparringRequest,
)
from notifications.calendar import invitation as calendar_invitation
from notifications.services import notify
from organisation.models import Value

EMPTY_FEEDBACK = gettext_lazy(
    "Empty feedback cannot be sent: write what works, what could be even better, or both."
)

# Enough for a round of feedback on a project; more is a survey, not a request.
MAX_ASKED = 20


class FeedbackError(ValueError):
    """A change that cannot be made; the message is for the person who tried."""


def _short(text: str) -> str:
    return Truncator(" ".join(text.split())).chars(80)


def _check_can_be_asked(by: User, person: User) -> None:
    if person.pk == by.pk:
        raise FeedbackError(_("You cannot ask yourself."))
    if not person.is_active:
        raise FeedbackError(str(PERSON_LEFT))


# --- Asking for feedback --------------------------------------------------------------------


@transaction.atomic
def feedback_request_create(
    *,
    asker: User,
    people: Sequence[User],
    about: str,
    questions: str = "",
    theme: str = "",
    wished_by: date | None = None,
) -> FeedbackRequest:
    """Ask `people` for feedback on `about`, and tell each of them."""
    about = about.strip()
    if not about:
        raise FeedbackError(_("Say what you would like feedback on."))
    if not people:
        raise FeedbackError(_("Choose at least one person to ask."))
    if len({person.pk for person in people}) > MAX_ASKED:
        raise FeedbackError(_("Ask at most %(count)d people at a time.") % {"count": MAX_ASKED})
    for person in people:
        _check_can_be_asked(asker, person)
    request = FeedbackRequest.objects.create(
        asker=asker, about=about, questions=questions.strip(), theme=theme, wished_by=wished_by
    )
    unique = {person.pk: person for person in people}
    FeedbackAsk.objects.bulk_create(
        FeedbackAsk(request=request, person=person) for person in unique.values()
    )
    text = format_lazy(
        gettext_lazy("{name} asks for your feedback on: {about}"),
        name=asker.display_name,
        about=_short(about),
    )
    subject = format_lazy(gettext_lazy("{name} asks for your feedback"), name=asker.display_name)
    for person in unique.values():
        notify(
            recipient=person,
            kind="feedback_request",
            text=text,
            subject=subject,
            url=request.get_absolute_url(),
        )
    return request


@transaction.atomic
def feedback_ask_decline(*, ask: FeedbackAsk, by: User, note: str = "") -> FeedbackAsk:
    """The person asked says no, with a word if they like; the asker is told."""
    ask = (
        FeedbackAsk.objects.select_for_update(of=("self",))
        .select_related("request__asker", "person")
        .get(pk=ask.pk)
    )
    if ask.person_id != by.pk:
        raise FeedbackError(_("Only the person asked can answer."))
    if not ask.is_pending:
        raise FeedbackError(_("You have already answered this request."))
    ask.status = FeedbackAsk.Status.DECLINED
    ask.decline_note = note.strip()
    ask.responded_at = timezone.now()
    ask.save(update_fields=["status", "decline_note", "responded_at"])
    notify(
        recipient=ask.request.asker,
        kind="feedback_request",
        text=format_lazy(
            gettext_lazy("{name} cannot give feedback on: {about}"),
            name=ask.person.display_name,
            about=_short(ask.request.about),
        ),
        subject=format_lazy(
            gettext_lazy("{name} cannot give feedback"), name=ask.person.display_name
        ),
        url=ask.request.get_absolute_url(),
    )
    return ask


# --- Giving feedback ------------------------------------------------------------------------


@transaction.atomic
def feedback_give(
    *,
    giver: User,
    receiver: User,
    works_well: str,
    even_better: str,
    values: Iterable[Value] = (),
    theme: str = "",
    about: str = "",
    ask: FeedbackAsk | None = None,
) -> Feedback:
    """Give `receiver` feedback, asked for (`ask`) or not. It is private to the two of them
    until the receiver shares it onward."""
    works_well, even_better = works_well.strip(), even_better.strip()
    if not works_well and not even_better:
        raise FeedbackError(str(EMPTY_FEEDBACK))
    if ask is not None:
        ask = (
            FeedbackAsk.objects.select_for_update(of=("self",))
            .select_related("request__asker")
            .get(pk=ask.pk)
        )
        if ask.person_id != giver.pk:
            raise FeedbackError(_("Only the person asked can answer."))
        if not ask.is_pending:
            raise FeedbackError(_("You have already answered this request."))
        receiver = ask.request.asker
        about, theme = ask.request.about, ask.request.theme
    if receiver.pk == giver.pk:
        raise FeedbackError(_("You cannot give feedback to yourself."))
    if not receiver.is_active:
        if ask is None:
            # The receiver was chosen, perhaps by a crafted id: the message names nobody.
            raise FeedbackError(str(PERSON_LEFT))
        raise FeedbackError(
            _("%(name)s has left the organisation and cannot receive feedback.")
            % {"name": receiver.display_name}
        )
    try:
        # Two answers to one request at once: the one-to-one on `ask` lets one through.
        with transaction.atomic():
            feedback = Feedback.objects.create(
                owner=receiver,
                giver=giver,
                ask=ask,
                about=about.strip(),
                works_well=works_well,
                even_better=even_better,
                theme=theme,
            )
    except IntegrityError:
        raise FeedbackError(_("You have already answered this request.")) from None
    feedback.values.set(list(values))
    if ask is not None:
        ask.status = FeedbackAsk.Status.ANSWERED
        ask.responded_at = timezone.now()
        ask.save(update_fields=["status", "responded_at"])
    notify(
        recipient=receiver,
        kind="feedback_received",
        text=(
            format_lazy(
                gettext_lazy("{name} gave you feedback on: {about}"),
                name=giver.display_name,
                about=_short(feedback.about),
            )
            if feedback.about
            else format_lazy(gettext_lazy("{name} gave you feedback."), name=giver.display_name)
        ),
        subject=format_lazy(gettext_lazy("{name} gave you feedback"), name=giver.display_name),
        url=feedback.get_absolute_url(),
    )
    return feedback


# --- What the receiver does with it ---------------------------------------------------------


def _check_receiver(feedback: Feedback, by: User) -> None:
    if feedback.owner_id != by.pk:
        raise FeedbackError(_("Only the person who received the feedback can do that."))


@transaction.atomic
def feedback_thank(*, feedback: Feedback, by: User) -> Feedback:
    """Say thank you to the giver, once."""
    _check_receiver(feedback, by)
    now = timezone.now()
    # Conditional, so that a double click thanks (and tells the giver) once.
    if Feedback.objects.filter(pk=feedback.pk, thanked_at__isnull=True).update(thanked_at=now):
        feedback.thanked_at = now
        # A giver whose account is gone has nobody left to tell.
        if feedback.giver is not None:
            notify(
                recipient=feedback.giver,
                kind="feedback_thanks",
                text=format_lazy(
                    gettext_lazy("{name} thanks you for your feedback."), name=by.display_name
                ),
                subject=format_lazy(
                    gettext_lazy("{name} thanked you for your feedback"), name=by.display_name
                ),
                url=feedback.get_absolute_url(),
            )
    return feedback


@transaction.atomic
def feedback_keep(*, feedback: Feedback, by: User, kept: bool) -> Feedback:
    _check_receiver(feedback, by)
    if feedback.kept != kept:
        feedback.kept = kept
        feedback.save(update_fields=["kept", "updated_at"])
    return feedback


def _readers(feedback: Feedback) -> set[int]:
    """Who besides receiver and giver reads the feedback now."""
    if feedback.visibility == Visibility.LEADER:
        leaders = User.objects.filter(pk__in=leader_ids_of(feedback.owner), is_active=True)
        return set(leaders.values_list("pk", flat=True))
    if feedback.visibility == Visibility.SHARED:
        return set(feedback.shared_with.values_list("pk", flat=True))
    return set()


@transaction.atomic
def feedback_share(
    *, feedback: Feedback, by: User, visibility: str, shared_with: Iterable[User] = ()
) -> Feedback:
    """Share the feedback onward (with one's leaders, or with chosen people), or take it back.
    Those who gain access are told; the giver always keeps it."""
    _check_receiver(feedback, by)
    if visibility not in FEEDBACK_VISIBILITIES:
        raise FeedbackError(_("Feedback can be shared with your leader or chosen people only."))
    people = (
        sharing_people_check(owner=by, people=shared_with)
        if visibility == Visibility.SHARED
        else []
    )
    before = _readers(feedback)
    feedback.visibility = visibility
    feedback.save(update_fields=["visibility", "updated_at"])
    feedback.shared_with.set(people)
    text = format_lazy(
        gettext_lazy("{name} shared feedback they received with you."), name=by.display_name
    )
    subject = format_lazy(gettext_lazy("{name} shared feedback with you"), name=by.display_name)
    for reader in User.objects.filter(pk__in=_readers(feedback) - before - {feedback.giver_id}):
        notify(
            recipient=reader,
            kind="feedback_shared",
            text=text,
            subject=subject,
            url=feedback.get_absolute_url(),
        )
    return feedback


@transaction.atomic
def feedback_delete(*, feedback: Feedback, by: User) -> None:
    """The receiver removes feedback from Sparring; the giver no longer sees it either."""
    _check_receiver(feedback, by)
    feedback.delete()


# --- Sparring -------------------------------------------------------------------------------


@transaction.atomic
def sparring_request_create(
    *, asker: User, partner: User, topic: str, message: str = ""
) -> SparringRequest:
    topic = topic.strip()
    if not topic:
        raise FeedbackError(_("Say what you would like sparring on."))
    _check_can_be_asked(asker, partner)
    sparring = SparringRequest.objects.create(
        asker=asker, partner=partner, topic=topic, message=message.strip()
    )
    notify(
        recipient=partner,
        kind="sparring",
        text=format_lazy(
            gettext_lazy("{name} asks you for sparring on: {topic}"),
            name=asker.display_name,
            topic=_short(topic),
        ),
        subject=format_lazy(gettext_lazy("{name} asks you for sparring"), name=asker.display_name),
        url=sparring.get_absolute_url(),
    )
    return sparring


def _locked(sparring: SparringRequest) -> SparringRequest:
    return (
        SparringRequest.objects.select_for_update(of=("self",))
        .select_related("asker", "partner")
        .get(pk=sparring.pk)
    )


@transaction.atomic
def sparring_schedule(
    *,
    sparring: SparringRequest,
    by: User,
    starts_at: datetime,
    duration_minutes: int,
    now: datetime,
    place: str = "",
    reply: str = "",
) -> SparringRequest:
    """The partner accepts and proposes a time (or moves it). Both get the calendar
    invitation, by e-mail as far as they want e-mail, and on the sparring's page."""
    sparring = _locked(sparring)
    if by.pk != sparring.partner_id:
        raise FeedbackError(_("Only the person asked can propose a time."))
    if not sparring.is_open:
        raise FeedbackError(_("This sparring was declined or cancelled."))
    if starts_at <= now:
        raise FeedbackError(_("The time must lie ahead."))
    if not sparring.asker.is_active:
        raise FeedbackError(
            _("%(name)s has left the organisation.") % {"name": sparring.asker.display_name}
        )
    if sparring.status == SparringRequest.Status.SCHEDULED:
        sparring.sequence += 1
    sparring.status = SparringRequest.Status.SCHEDULED
    sparring.starts_at, sparring.duration_minutes = starts_at, duration_minutes
    sparring.place, sparring.reply = place.strip(), reply.strip()
    sparring.save()
    invitation = calendar_invitation(sparring_event(sparring), now=now)
    for person, other in ((sparring.asker, sparring.partner), (sparring.partner, sparring.asker)):
        notify(
            recipient=person,
            kind="sparring",
            text=format_lazy(
                gettext_lazy("Sparring with {name} on {topic}: {when}"),
                name=other.display_name,
                topic=_short(sparring.topic),
                when=datetime_label_lazy(starts_at),
            ),
            subject=format_lazy(
                gettext_lazy("Sparring with {name}: {when}"),
                name=other.display_name,
                when=datetime_label_lazy(starts_at),
            ),
            url=sparring.get_absolute_url(),
            attachment=invitation,
        )
    return sparring


@transaction.atomic
def sparring_decline(*, sparring: SparringRequest, by: User, reply: str = "") -> SparringRequest:
    sparring = _locked(sparring)
    if by.pk != sparring.partner_id:
        raise FeedbackError(_("Only the person asked can decline."))
    if sparring.status != SparringRequest.Status.REQUESTED:
        raise FeedbackError(_("This request has already been answered."))
    sparring.status, sparring.reply = SparringRequest.Status.DECLINED, reply.strip()
    sparring.save(update_fields=["status", "reply", "updated_at"])
    notify(
        recipient=sparring.asker,
        kind="sparring",
        text=format_lazy(
            gettext_lazy("{name} cannot spar on: {topic}"),
            name=by.display_name,
            topic=_short(sparring.topic),
        ),
        subject=format_lazy(gettext_lazy("{name} cannot spar with you"), name=by.display_name),
        url=sparring.get_absolute_url(),
    )
    return sparring


@transaction.atomic
def sparring_cancel(*, sparring: SparringRequest, by: User, now: datetime) -> SparringRequest:
    """Either person calls it off. With a time agreed, both get a cancelled invitation that
    takes the time out of their calendars."""
    sparring = _locked(sparring)
    if by.pk not in (sparring.asker_id, sparring.partner_id):
        raise FeedbackError(_("Only the two people in the sparring can cancel it."))
    if not sparring.is_open:
        raise FeedbackError(_("This sparring was declined or cancelled."))
    had_time = sparring.status == SparringRequest.Status.SCHEDULED
    sparring.status = SparringRequest.Status.CANCELLED
    if had_time:
        sparring.sequence += 1
    sparring.save(update_fields=["status", "sequence", "updated_at"])
    text = format_lazy(
        gettext_lazy("{name} cancelled the sparring on: {topic}"),
        name=by.display_name,
        topic=_short(sparring.topic),
    )
    subject = format_lazy(gettext_lazy("{name} cancelled the sparring"), name=by.display_name)
    invitation = calendar_invitation(sparring_event(sparring), now=now) if had_time else None
    for person in (sparring.asker, sparring.partner):
        if person.pk != by.pk or invitation is not None:
            notify(
                recipient=person,
                kind="sparring",
                text=text,
                subject=subject,
                url=sparring.get_absolute_url(),
                attachment=invitation,
            )
    return sparring
