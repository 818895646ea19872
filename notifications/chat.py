"""Chat channels: posting to Zulip, Microsoft Teams, Mattermost and Slack through a channel's
incoming webhook, and the administrators' writes about those webhooks.

Like e-mail, nothing is posted during a request: `chat_post` writes one WebhookDelivery per
webhook in the caller's transaction, and the worker posts them (notifications.chat_delivery).
The message is kept as plain text (a light Markdown at most) and a link; each service's own
JSON is made when it is posted, by `payload_for`."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit_record
from core.compiled import compiled_query
from notifications.models import (
    ChatWebhook,
    WebhookDelivery,
    WebhookFailure,
    validate_webhook_url,
)
from notifications.webhook_network import AddressRefused, Target, parse_networks
from notifications.webhook_network import webhook_target as _target
from organisation.models import Unit

Format = ChatWebhook.Format


class ChatWebhookError(ValueError):
    """A change to a webhook that cannot be made; the message is for the administrator."""


# --- Posting ----------------------------------------------------------------------------------


def chat_post(
    *, unit: Unit | None, text: str | Promise, link: str, link_label: str | Promise
) -> int:
    """Queue a message for the chat channels of `unit`: with no unit, the organisation's
    channels; with a unit, only that team's channels (a team's news never goes to the
    organisation's channel, nor the organisation's to every team's). Inactive webhooks get
    nothing. Call it inside the transaction of what the message is about: it takes no savepoint
    of its own there (two round trips fewer on PostgreSQL), and writes in one statement.

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
    webhooks = (
        _active_webhooks(unit_id=unit.pk)
        if unit is not None
        else ChatWebhook.objects.filter(is_active=True, unit=None)
    )
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


@compiled_query
def _active_webhooks(unit_id: int) -> QuerySet[ChatWebhook]:
    return ChatWebhook.objects.filter(is_active=True, unit_id=unit_id)


def chat_withdraw(*, link: str) -> int:
    """Take back the messages about `link` (a path in Sparring) that are not posted yet, when
    what they are about was deleted; returns how many. Posted ones stay in the chat."""
    return WebhookDelivery.objects.filter(
        link=settings.SPARRING_BASE_URL + link, sent_at__isnull=True, next_attempt_at__isnull=False
    ).update(next_attempt_at=None, last_error=WebhookFailure.WITHDRAWN, last_status=None)


def webhook_target(url: str) -> Target:
    """Where a webhook's `url` leads, checked against the networks Sparring may post to as
    its name resolves now (AddressRefused if not). Resolves the name: never call it while a
    database transaction is open."""
    return _target(url, allowed=parse_networks(settings.SPARRING_WEBHOOK_ALLOWED_NETWORKS))


# --- The services' formats --------------------------------------------------------------------


def payload_for(delivery: WebhookDelivery) -> dict[str, Any]:
    """The JSON body the webhook's service expects for this message. What people wrote is
    plain text in every format: no link with a label of their choosing, no address that the
    chat service turns into a link, no mention of a whole channel. Only Sparring's own link,
    with its own label, is a link."""
    return _FORMATS[Format(delivery.webhook.format)](
        delivery.text, delivery.link, delivery.link_label
    )


# A zero-width space: invisible, but no chat service's link syntax or link detection reads
# across it.
_ZWSP = "\u200b"
# An address written out ("https://", "mailto:"), and a dot between two letters or digits, as
# in a domain name ("evil.example", "www.evil", "10.0.0.1"): chat services make links of both.
_SCHEME = re.compile(r"(?<=[A-Za-z0-9+.-])(:)(?=//)|(?<=\bmailto)(:)", re.IGNORECASE)
_DOT = re.compile(r"(?<=[^\W_])\.(?=[^\W_])")
# "<" opening an address or a Slack-style <address|label> (what holds a ":" or a "|").
_ANGLE = re.compile(r"<(?=[^<>]*[:|][^<>]*>)")


def _unlinked(text: str) -> str:
    """`text` as it reads, with a zero-width space where a chat service would find an address
    to make a link of: after a scheme's colon and after a dot inside a name. An Adaptive
    Card's TextBlock (Teams) has no escapes, so this is all that Teams gets."""
    text = _SCHEME.sub(lambda m: m.group(0) + _ZWSP, text)
    # And between "]" and "(" (no [label](address) in any Markdown, with or without escapes)
    # and after a "<" that opens <address|label> (which Zulip's Slack-compatible webhook turns
    # into a link) or <address>.
    text = _DOT.sub("." + _ZWSP, text)
    return _ANGLE.sub("<" + _ZWSP, text.replace("](", "]" + _ZWSP + "("))


def _slack(text: str, link: str, label: str) -> dict[str, Any]:
    # Slack reads &, < and > as its own markup, so they are written as entities (no <url|label>
    # link, no <!channel>); a link is <url|label>, in which "|" and ">" would end the address
    # early.
    return {
        "text": f"{_slack_escape(_unlinked(text))}\n\n"
        f"<{_url_in_markup(link)}|{_slack_escape(label)}>"
    }


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _markdown(text: str, link: str, label: str) -> dict[str, Any]:
    return {
        "text": f"{_markdown_text(text)}\n\n[{_markdown_escape(label)}]({_url_in_markup(link)})"
    }


def _markdown_escape(text: str) -> str:
    # Backslash escapes, which Mattermost's CommonMark and Zulip's Markdown both read: no
    # [label](address), no [label][reference].
    for character in "\\[]":
        text = text.replace(character, f"\\{character}")
    return text


def _markdown_text(text: str) -> str:
    """What people wrote, for Markdown: no link of any kind, unable to mention a whole channel
    (@channel, @all, Zulip's @**all**) or to load an image from elsewhere: a zero-width
    space after each @ keeps the text as it reads but breaks the markup."""
    return _markdown_escape(_unlinked(text)).replace("@", "@" + _ZWSP)


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
        "body": [{"type": "TextBlock", "text": _unlinked(text), "wrap": True}],
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
    """The address as it is saved, once it is a well-formed http(s) address whose name
    resolves only to addresses Sparring may post to. Resolves the name, so it runs before
    the service's transaction opens."""
    url = url.strip()
    try:
        validate_webhook_url(url)
    except ValidationError as error:
        raise ChatWebhookError(error.messages[0]) from None
    if len(url) > 1000:
        raise ChatWebhookError(_("The address can be at most 1000 characters."))
    try:
        webhook_target(url)
    except AddressRefused as refused:
        raise ChatWebhookError(_refusal_message(refused, url)) from None
    return url


def _refusal_message(refused: AddressRefused, url: str) -> str:
    # The address a name resolves to is not shown: the page would tell whoever may edit
    # webhooks what the organisation's internal names lead to.
    if refused.reason == "not_found":
        return _("Sparring cannot find the server %(host)s. Check the address.") % {
            "host": urlsplit(url).hostname
        }
    if refused.reason == "metadata":
        return _(
            "The address leads to a link-local or reserved address, which Sparring never posts to."
        )
    if refused.reason == "internal":
        return _(
            "The address leads to this server or to an internal network. Sparring posts only "
            "to chat services on the internet, or on an internal network the installation "
            "allows (SPARRING_WEBHOOK_ALLOWED_NETWORKS)."
        )
    return _("Enter an address that starts with https:// or http://.")


def chat_webhook_create(
    *,
    actor: User | None,
    name: str,
    format: str,
    url: str,
    unit: Unit | None,
    is_active: bool = True,
) -> ChatWebhook:
    url = _checked_url(url)
    with transaction.atomic():
        webhook = ChatWebhook.objects.create(
            name=name.strip(), format=Format(format), url=url, unit=unit, is_active=is_active
        )
        audit_record(
            actor=actor, action="chat_webhook.create", target=webhook, data=_audit_data(webhook)
        )
    return webhook


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
    """Change a webhook; an empty `url` keeps the address it has. A new address, or switching
    the webhook on, ends its rest after failures: the next message is tried at once."""
    url_changed = bool(url.strip()) and url.strip() != webhook.url
    new_url = _checked_url(url) if url_changed else webhook.url
    with transaction.atomic():
        before = _audit_data(webhook)
        reactivated = is_active and not webhook.is_active
        if url_changed or reactivated:
            webhook.failures, webhook.retry_after = 0, None
        webhook.name = name.strip()
        webhook.format = Format(format)
        webhook.unit = unit
        webhook.is_active = is_active
        webhook.url = new_url
        # Not the failure count: the worker may have written it since the page was loaded.
        webhook.save(
            update_fields=["name", "format", "unit", "is_active", "url", "updated_at"]
            + (["failures", "retry_after"] if url_changed or reactivated else [])
        )
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
    # The administrator wants to know now: a webhook resting after failures is tried again.
    ChatWebhook.objects.filter(pk=webhook.pk).update(retry_after=None)
    with translation.override(settings.LANGUAGE_CODE):
        delivery = WebhookDelivery.objects.create(
            webhook=webhook,
            text=_("This is a test message from Sparring. When you can read it, it works."),
            link=settings.SPARRING_BASE_URL + reverse("home:index"),
            link_label=_("Open Sparring"),
        )
    audit_record(actor=actor, action="chat_webhook.test", target=webhook)
    return delivery
