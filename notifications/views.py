from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.http import AuthenticatedRequest
from notifications.forms import NotificationSettingsForm
from notifications.models import Notification
from notifications.selectors import email_is_on, preferences_for
from notifications.services import (
    notification_mark_read,
    notification_settings_save,
    notifications_mark_all_read,
)

PAGE_SIZE = 25


@require_GET
def notification_list(request: AuthenticatedRequest) -> HttpResponse:
    notifications = Notification.objects.for_recipient(request.user)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@require_GET
def notification_open(request: AuthenticatedRequest, notification_id: int) -> HttpResponse:
    """Follow a notification to what it is about, marking it read on the way."""
    try:
        notification = Notification.objects.for_recipient(request.user).get(pk=notification_id)
    except Notification.DoesNotExist:
        raise Http404 from None
    notification_mark_read(notification=notification)
    # notify() accepts only paths in Sparring; checked again so this never leads elsewhere.
    url = notification.url
    if url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return redirect(url)
    return redirect("notifications:list")


@require_POST
def notifications_read(request: AuthenticatedRequest) -> HttpResponse:
    if notifications_mark_all_read(user=request.user):
        messages.success(request, _("All your notifications are marked as read."))
    return redirect("notifications:list")


@require_http_methods(["GET", "POST"])
def notification_settings(request: AuthenticatedRequest) -> HttpResponse:
    form = NotificationSettingsForm(
        request.POST if request.method == "POST" else None,
        preferences=preferences_for(request.user),
        email_on=email_is_on(request.user),
    )
    if request.method == "POST" and form.is_valid():
        notification_settings_save(
            user=request.user, choices=form.choices(), email_on=form.cleaned_data["all_email"]
        )
        messages.success(request, _("Your choices were saved."))
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form})
