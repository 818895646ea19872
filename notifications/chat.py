"""Chat channels: posting to Zulip, Microsoft Teams, Mattermost and Slack through a channel's
incoming webhook, and the administrators' writes about those webhooks.

Like e-mail, nothing is posted during a request: `chat_post` writes one WebhookDelivery per
webhook in the caller's transaction, and the worker posts them (notifications.chat_delivery).
The message is kept as plain text (a light Markdown at most) and a link; each service's own
JSON is made when it is posted, by `payload_for`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit_record
from notifications.models import ChatWebhook, WebhookDelivery, validate_webhook_url
from organisation.models import Unit

Format = ChatWebhook.Format


class ChatWebhookError(ValueError):
    """A change to a webhook that cannot be made; the message is for the administrator."""


# --- Posting ----------------------------------------------------------------------------------


@transaction.atomic
def chat_post(
    *, unit: Unit | None, text: str | Promise, link: str, link_label: str | Promise
) -> int:
    """Queue a message for the chat channels of `unit`: with no unit, the organisation's
    channels; with a unit, only that team's channels (a team's news never goes to the
    organisation's channel, nor the organisation's to every team's). Inactive webhooks get
    nothing. Call it inside the transaction of what the message is about.

    `text` is plain text or light Markdown, best a lazy translation, rendered in the
    installation's language; `link` a path in Sparring ("/recognition/3/"), which the message
    carries as an absolute address with `link_label` as its text. Returns how many messages
    were queued."""
    if not (
        link.startswith("/")
        and len(settings.SPARRING_BASE_URL + link) <= 1000
        and url_has_allowed_host_and_scheme(link, allowed_hosts=None)
    ):
        raise ValueError(f"A chat message links to a path in Sparring, not {link!r}")
    webhooks = ChatWebhook.objects.filter(is_active=True, unit=unit)
    with translation.override(settings.LANGUAGE_CODE):
        rendered_text, rendered_label = str(text), str(link_label)[:200]
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            webhook=webhook,
            text=rendered_text,
            link=settings.SPARRING_BASE_URL + link,
            link_label=rendered_label,
        )
        for webhook in webhooks
    )
    return len(deliveries)


def chat_withdraw(*, link: str) -> int:
    """Take back the messages about `link` (a path in Sparring) that are not posted yet, when
    what they are about was deleted; returns how many. Posted ones stay in the chat."""
    return WebhookDelivery.objects.filter(
        link=settings.SPARRING_BASE_URL + link, sent_at__isnull=True, next_attempt_at__isnull=False
    ).update(next_attempt_at=None, last_error="Not sent: what it was about was deleted.")


# --- The services' formats --------------------------------------------------------------------


def payload_for(delivery: WebhookDelivery) -> dict[str, Any]:
    """The JSON body the webhook's service expects for this message."""
    return _FORMATS[Format(delivery.webhook.format)](
        delivery.text, delivery.link, delivery.link_label
    )


def _slack(text: str, link: str, label: str) -> dict[str, Any]:
    # Slack reads &, < and > as its own markup, so they are written as entities; a link is
    # <url|label>, in which "|" and ">" would end the address early.
    return {"text": f"{_slack_escape(text)}\n\n<{_url_in_markup(link)}|{_slack_escape(label)}>"}


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _markdown(text: str, link: str, label: str) -> dict[str, Any]:
    label = label.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    return {"text": f"{_quiet(text)}\n\n[{label}]({_url_in_markup(link)})"}


def _quiet(text: str) -> str:
    """What people wrote, unable to mention a whole channel (@channel, @all, Zulip's
    @**all**) or to load an image from elsewhere: a zero-width space after each @ and
    between ! and [ keeps the text as it reads but breaks the markup."""
    return text.replace("@", "@\u200b").replace("![", "!\u200b[")


def _url_in_markup(url: str) -> str:
    # Our links are paths from reverse(), but a character that ends a link in Slack's or
    # Markdown's syntax must never cut one short.
    for character in " ()<>|":
        url = url.replace(character, f"%{ord(character):02X}")
    return url


def _teams(text: str, link: str, label: str) -> dict[str, Any]:
    # Teams' Workflows ("post to a channel when a webhook request is received") take a message
    # with an Adaptive Card as its attachment; the old connector's MessageCard is not read.
    # Version 1.4 is one every Teams client renders.
    card = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": [{"type": "TextBlock", "text": text, "wrap": True}],
        "actions": [{"type": "Action.OpenUrl", "title": label, "url": link}],
    }
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": card,
            }
        ],
    }


# Zulip's Slack-compatible incoming webhook takes {"text": ...} and reads it as Zulip's own
# Markdown (after turning Slack's <url|label> into a Markdown link), so Zulip gets Markdown,
# as Mattermost does.
_FORMATS = {
    Format.SLACK: _slack,
    Format.MATTERMOST: _markdown,
    Format.ZULIP: _markdown,
    Format.TEAMS: _teams,
}


# --- Administration ---------------------------------------------------------------------------


def _audit_data(webhook: ChatWebhook) -> dict[str, Any]:
    # Never the address: it holds the channel's secret token.
    return {
        "name": webhook.name,
        "format": webhook.format,
        "unit": webhook.unit_id,
        "is_active": webhook.is_active,
    }


def _checked_url(url: str) -> str:
    url = url.strip()
    try:
        validate_webhook_url(url)
    except ValidationError as error:
        raise ChatWebhookError(error.messages[0]) from None
    if len(url) > 1000:
        raise ChatWebhookError(_("The address can be at most 1000 characters."))
    return url


@transaction.atomic
def chat_webhook_create(
    *,
    actor: User | None,
    name: str,
    format: str,
    url: str,
    unit: Unit | None,
    is_active: bool = True,
) -> ChatWebhook:
    webhook = ChatWebhook.objects.create(
        name=name.strip(),
        format=Format(format),
        url=_checked_url(url),
        unit=unit,
        is_active=is_active,
    )
    audit_record(
        actor=actor, action="chat_webhook.create", target=webhook, data=_audit_data(webhook)
    )
    return webhook


@transaction.atomic
def chat_webhook_update(
    *,
    actor: User | None,
    webhook: ChatWebhook,
    name: str,
    format: str,
    url: str = "",
    unit: Unit | None,
    is_active: bool,
) -> ChatWebhook:
    """Change a webhook; an empty `url` keeps the address it has."""
    before = _audit_data(webhook)
    webhook.name = name.strip()
    webhook.format = Format(format)
    webhook.unit = unit
    webhook.is_active = is_active
    url_changed = bool(url.strip()) and url.strip() != webhook.url
    if url_changed:
        webhook.url = _checked_url(url)
    webhook.save()
    after = _audit_data(webhook)
    changes: dict[str, Any] = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if url_changed:
        changes["url"] = "changed"
    if changes:
        audit_record(actor=actor, action="chat_webhook.update", target=webhook, data=changes)
    return webhook


@transaction.atomic
def chat_webhook_delete(*, actor: User | None, webhook: ChatWebhook) -> None:
    """Delete a webhook and its messages, those waiting and those sent."""
    audit_record(
        actor=actor, action="chat_webhook.delete", target=webhook, data=_audit_data(webhook)
    )
    webhook.delete()


@transaction.atomic
def chat_webhook_test(*, actor: User | None, webhook: ChatWebhook) -> WebhookDelivery:
    """Queue a test message for one webhook, so an administrator sees the channel works."""
    if not webhook.is_active:
        raise ChatWebhookError(_("The webhook is switched off. Switch it on to test it."))
    with translation.override(settings.LANGUAGE_CODE):
        delivery = WebhookDelivery.objects.create(
            webhook=webhook,
            text=_("This is a test message from Sparring. When you can read it, it works."),
            link=settings.SPARRING_BASE_URL + reverse("core:home"),
            link_label=_("Open Sparring"),
        )
    audit_record(actor=actor, action="chat_webhook.test", target=webhook)
    return delivery
