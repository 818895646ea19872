from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from checkins.models import CHECKIN_TEXTS, CheckIn, Reflection, Reply, Thread
from checkins.selectors import home_unit_of, leaders_of, week_checkin
from core.access import Visibility, leader_ids_of, sharing_people_check
from notifications.services import notify, notify_each_once
from organisation.models import Value
from teamwork.models import HelpRequest
from teamwork.services import (
    help_request_create,
    help_request_resolve,
    help_request_update_text,
)


class CheckInError(ValueError):
    """A check-in that cannot be saved; the message is for the person writing it."""


@transaction.atomic
def checkin_write(
    *,
    owner: User,
    week: date,
    energy: int | None,
    went_well: str,
    is_hard: str,
    priorities: str,
    help_needed: str,
    visibility: str,
) -> CheckIn:
    """Write the person's check-in for `week`: the first time it is created, after that the
    same check-in is changed, as long as it may still be. A need for help becomes a help
    request to the person's team, and the check-in keeps a link to it."""
    texts = [t.strip() for t in (went_well, is_hard, priorities, help_needed)]
    if not any(texts):
        raise CheckInError(
            _("An empty check-in cannot be saved: write a few words in at least one of the fields.")
        )
    if visibility not in (Visibility.PRIVATE, Visibility.LEADER, Visibility.TEAM):
        raise CheckInError(_("A check-in is shared with your leader or your team, or no one."))
    if visibility == Visibility.LEADER and not leaders_of(owner):
        raise CheckInError(_("None of your teams has a leader to share the check-in with."))

    written = {
        "energy": energy,
        **dict(zip(CHECKIN_TEXTS, texts, strict=True)),
        "visibility": visibility,
    }
    checkin = week_checkin(owner, week, for_update=True)
    created = False
    if checkin is None:
        try:
            # The week's first check-in is written whole, in one insert. From two tabs at
            # once, the second one to arrive finds the first and changes it, instead of
            # failing on the one-per-week rule.
            with transaction.atomic():
                checkin = CheckIn.objects.create(owner=owner, week=week, **written)
            created = True
        except IntegrityError:
            checkin = CheckIn.objects.select_for_update().get(owner=owner, week=week)
    if not checkin.is_editable():
        raise CheckInError(_("This check-in can no longer be changed."))
    was_shared_with_leader = not created and checkin.visibility == Visibility.LEADER
    if not created:
        for name, value in written.items():
            setattr(checkin, name, value)
        checkin.save()
    if visibility == Visibility.LEADER and not was_shared_with_leader:
        _tell_leaders(checkin)

    asked = checkin.help_request
    if checkin.help_needed:
        # A resolved request stays as it was; a new need that week is a new request.
        if asked is None or (not asked.is_open and asked.text != checkin.help_needed):
            unit = home_unit_of(owner)
            if unit is None:
                raise CheckInError(
                    _("You are not in a team yet, so there is nobody to ask for help.")
                )
            checkin.help_request = help_request_create(
                asker=owner, unit=unit, text=checkin.help_needed, scope=HelpRequest.Scope.TEAM
            )
            checkin.save(update_fields=["help_request"])
        else:
            help_request_update_text(help_request=asked, text=checkin.help_needed)
    elif asked is not None and asked.is_open:
        # The need was taken back: the request is withdrawn, not left open with the old text.
        help_request_resolve(help_request=asked, by=owner)
    return checkin


def _tell_leaders(checkin: CheckIn) -> None:
    """Tell the owner's leaders that a check-in is shared with them: once per check-in and
    leader (sharing it again after taking it back says nothing new), and never what it says."""
    leaders = User.objects.filter(pk__in=leader_ids_of(checkin.owner), is_active=True)
    notify_each_once(
        recipients=list(leaders.values_list("pk", flat=True)),
        kind="checkin_shared",
        key=f"checkin-{checkin.pk}",
        text=format_lazy(
            gettext_lazy("{name} shared their check-in for week {week} with you."),
            name=checkin.owner.display_name,
            week=checkin.iso_week,
        ),
        subject=format_lazy(
            gettext_lazy("{name} shared a check-in with you"), name=checkin.owner.display_name
        ),
        url=checkin.get_absolute_url(),
    )


@transaction.atomic
def reflection_save(
    *,
    reflection: Reflection,
    text: str,
    value: Value | None,
    theme: str,
    visibility: str,
    shared_with: Iterable[User] = (),
) -> Reflection:
    people = (
        sharing_people_check(owner=reflection.owner, people=shared_with)
        if visibility == Visibility.SHARED
        else []
    )
    reflection.text, reflection.value, reflection.theme = text.strip(), value, theme.strip()
    reflection.visibility = visibility
    reflection.save()
    reflection.shared_with.set(people)
    return reflection


@transaction.atomic
def reflection_delete(*, reflection: Reflection) -> None:
    reflection.delete()


# --- Replies to a shared check-in ------------------------------------------------------------

REPLY_MAX_LENGTH = 2000


class ReplyError(ValueError):
    """A reply that cannot be saved; the message is for the person writing it."""


def _clean_reply(text: str) -> str:
    text = text.strip()
    if not text:
        raise ReplyError(_("An empty reply cannot be sent: write a few words."))
    if len(text) > REPLY_MAX_LENGTH:
        raise ReplyError(
            _("A reply can be at most %(max)d characters; this one has %(length)d.")
            % {"max": REPLY_MAX_LENGTH, "length": len(text)}
        )
    return text


@transaction.atomic
def reply_create(
    *, checkin: CheckIn, author: User, text: str, thread: Thread | None = None
) -> Reply:
    """`author` writes in a thread about `checkin`: a reader in their own thread (made at their
    first reply), the owner in the thread with one reader. The other party is told that there
    is a reply, never what it says. The caller has found the check-in (and the thread) through
    the access layer; this checks again who may write where."""
    text = _clean_reply(text)
    if checkin.is_owned_by(author):
        if thread is None or thread.checkin_id != checkin.pk:
            raise ReplyError(_("Answer in the thread of the person who replied to you."))
    elif thread is None:
        if not CheckIn.objects.visible_to(author).filter(pk=checkin.pk).exists():
            raise ReplyError(_("This check-in is no longer shared with you."))
        thread, _created = Thread.objects.get_or_create(checkin=checkin, reader=author)
    if not Thread.objects.visible_to(author).filter(pk=thread.pk).exists():
        raise ReplyError(_("This check-in is no longer shared with you."))
    reply = Reply.objects.create(
        owner=author, thread=thread, text=text, visibility=Visibility.SHARED
    )
    recipient = thread.reader if checkin.is_owned_by(author) else checkin.owner
    if checkin.is_owned_by(author):
        message = format_lazy(
            gettext_lazy("{name} answered your reply to their check-in for week {week}."),
            name=author.display_name,
            week=checkin.iso_week,
        )
    else:
        message = format_lazy(
            gettext_lazy("{name} replied to your check-in for week {week}."),
            name=author.display_name,
            week=checkin.iso_week,
        )
    notify(
        recipient=recipient,
        kind="checkin_reply",
        text=message,
        subject=format_lazy(
            gettext_lazy("{name} replied about a check-in"), name=author.display_name
        ),
        url=thread.get_absolute_url(),
    )
    return reply


@transaction.atomic
def reply_update(*, reply: Reply, by: User, text: str, now: datetime) -> Reply:
    """Its author changes a reply; nobody is told again."""
    if not reply.is_owned_by(by):
        raise ReplyError(_("Only its author can change a reply."))
    reply.text = _clean_reply(text)
    reply.edited_at = now
    reply.save(update_fields=["text", "edited_at", "updated_at"])
    return reply


@transaction.atomic
def reply_delete(*, reply: Reply, by: User) -> None:
    """Its author deletes a reply; the thread and the other replies in it stay."""
    if not reply.is_owned_by(by):
        raise ReplyError(_("Only its author can delete a reply."))
    reply.delete()


@transaction.atomic
def reply_mark_talking_point(*, reply: Reply, by: User, marked: bool) -> Reply:
    """Either person in the thread marks a reply (or takes the mark off) to take it up at
    their next 1:1. The caller found the reply through the access layer."""
    if not Reply.objects.visible_to(by).filter(pk=reply.pk).exists():
        raise ReplyError(_("This reply is not in a thread of yours."))
    reply.talking_point = marked
    reply.save(update_fields=["talking_point"])
    return reply


@transaction.atomic
def replies_taken_up(*, reply_ids: Iterable[int], by: User, now: datetime) -> int:
    """A conversation took these talking points up: mark them talked about at `now`, so each
    is offered once. Only replies in threads `by` may read, and not taken up before, are
    marked; returns how many were."""
    return (
        Reply.objects.visible_to(by)
        .talking_points()
        .filter(pk__in=list(reply_ids))
        .update(talked_about_at=now)
    )


@transaction.atomic
def checkins_erase(checkins: QuerySet[CheckIn]) -> int:
    """Delete check-ins by a retention rule, with the reply threads on them: a reply is part of
    the conversation about one check-in and means nothing without it. Returns how many
    check-ins were deleted."""
    ids = list(checkins.values_list("pk", flat=True))
    Reply.objects.filter(thread__checkin_id__in=ids).delete()
    Thread.objects.filter(checkin_id__in=ids).delete()
    return CheckIn.objects.filter(pk__in=ids).delete()[1].get(CheckIn._meta.label, 0)
