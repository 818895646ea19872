"""Administration of the chat channels Sparring posts to, and the test e-mail. For
administrators only; to anyone else these pages do not exist (404)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.access import administrator_required
from core.http import AuthenticatedRequest
from notifications.chat import (
    ChatWebhookError,
    chat_webhook_create,
    chat_webhook_delete,
    chat_webhook_test,
    chat_webhook_update,
)
from notifications.forms import ChatWebhookForm
from notifications.models import ChatWebhook, WebhookDelivery
from notifications.services import EmailTestError, email_test_send

# How many of each webhook's latest messages the list shows.
RECENT = 3


@administrator_required
@require_GET
def webhook_list(request: AuthenticatedRequest) -> HttpResponse:
    # Webhooks are few (one per channel), so one page; their latest messages in one query.
    webhooks = ChatWebhook.objects.select_related("unit").prefetch_related(
        Prefetch(
            "deliveries",
            queryset=WebhookDelivery.objects.order_by("-created_at", "-pk")[:RECENT],
            to_attr="recent",
        )
    )
    return render(request, "notifications/admin/webhook_list.html", {"webhooks": webhooks})


@administrator_required
@require_http_methods(["GET", "POST"])
def webhook_edit(request: AuthenticatedRequest, webhook_id: int | None = None) -> HttpResponse:
    webhook = get_object_or_404(ChatWebhook, pk=webhook_id) if webhook_id else None
    form = ChatWebhookForm(request.POST or None, webhook=webhook)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if webhook is None:
                webhook = chat_webhook_create(
                    actor=request.user,
                    name=data["name"],
                    format=data["format"],
                    url=data["url"],
                    unit=data["unit"],
                    is_active=data["is_active"],
                )
                messages.success(
                    request, _("The webhook %(name)s was created.") % {"name": webhook.name}
                )
            else:
                chat_webhook_update(
                    actor=request.user,
                    webhook=webhook,
                    name=data["name"],
                    format=data["format"],
                    url=data["url"],
                    unit=data["unit"],
                    is_active=data["is_active"],
                )
                messages.success(
                    request, _("The webhook %(name)s was saved.") % {"name": webhook.name}
                )
            return redirect("chat_admin:webhooks")
        except ChatWebhookError as error:
            form.add_error("url", str(error))
    return render(
        request, "notifications/admin/webhook_form.html", {"form": form, "webhook": webhook}
    )


@administrator_required
@require_http_methods(["GET", "POST"])
def webhook_delete(request: AuthenticatedRequest, webhook_id: int) -> HttpResponse:
    """GET asks to confirm; POST deletes."""
    webhook = get_object_or_404(ChatWebhook.objects.select_related("unit"), pk=webhook_id)
    if request.method == "POST":
        chat_webhook_delete(actor=request.user, webhook=webhook)
        messages.success(request, _("The webhook %(name)s was deleted.") % {"name": webhook.name})
        return redirect("chat_admin:webhooks")
    return render(request, "notifications/admin/webhook_delete.html", {"webhook": webhook})


@administrator_required
@require_POST
def webhook_test(request: AuthenticatedRequest, webhook_id: int) -> HttpResponse:
    webhook = get_object_or_404(ChatWebhook, pk=webhook_id)
    try:
        chat_webhook_test(actor=request.user, webhook=webhook)
        messages.success(
            request,
            _(
                "A test message for %(name)s is on its way. The background worker posts it "
                "shortly; its status is shown below."
            )
            % {"name": webhook.name},
        )
    except ChatWebhookError as error:
        messages.error(request, str(error))
    return redirect("chat_admin:webhooks")


@administrator_required
@require_POST
def email_test(request: AuthenticatedRequest) -> HttpResponse:
    """Send the administrator a test e-mail; Min side shows when the worker delivered it."""
    try:
        email = email_test_send(actor=request.user, now=timezone.now())
        messages.success(
            request,
            _(
                "A test e-mail to %(address)s is on its way. The background worker sends it "
                "shortly; this page shows when it was sent."
            )
            % {"address": email.to_address},
        )
    except EmailTestError as error:
        messages.error(request, str(error))
    return redirect("home:index")
