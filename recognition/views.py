from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.http import AuthenticatedRequest
from organisation.models import Unit
from recognition import services
from recognition.forms import RecognitionForm
from recognition.selectors import FeedPage, feed_page, recognition_or_404
from recognition.services import RecognitionError


@require_GET
def feed(request: AuthenticatedRequest) -> HttpResponse:
    """Thanks for everyone, and for the teams one belongs to; or one team's, with ?team=."""
    after = request.GET.get("after", "")
    team = None
    if request.GET.get("team", "").isdigit():
        team = Unit.objects.visible_to(request.user).filter(pk=request.GET["team"]).first()
        if team is None:
            page = FeedPage(recognitions=[], older="", is_newest=True)
            return render(request, "recognition/feed.html", {"page": page, "team": None})
    page = feed_page(request.user, unit=team, after=after)
    return render(request, "recognition/feed.html", {"page": page, "team": team})


@require_http_methods(["GET", "POST"])
def new(request: AuthenticatedRequest) -> HttpResponse:
    initial: dict[str, Any] = {}
    if request.GET.get("to", "").isdigit():
        initial["recipients"] = [request.GET["to"]]
    if request.GET.get("team", "").isdigit():
        initial["where"] = request.GET["team"]
    form = RecognitionForm(request.POST or None, person=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            recognition = services.recognition_create(
                author=request.user,
                recipients=form.cleaned_data["recipients"],
                text=form.cleaned_data["text"],
                values=list(form.cleaned_data["values"]),
                unit=form.unit,
            )
        except RecognitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your thanks was posted."))
            return redirect(recognition)
    return render(request, "recognition/form.html", {"form": form})


@require_GET
def detail(request: AuthenticatedRequest, recognition_id: int) -> HttpResponse:
    recognition = recognition_or_404(request.user, recognition_id)
    return render(request, "recognition/detail.html", {"recognition": recognition})


@require_POST
def react(request: AuthenticatedRequest, recognition_id: int) -> HttpResponse:
    recognition = recognition_or_404(request.user, recognition_id)
    try:
        services.reaction_toggle(
            recognition=recognition, user=request.user, kind=request.POST.get("kind", "")
        )
    except RecognitionError as error:
        messages.error(request, str(error))
        return redirect(recognition)
    recognition = recognition_or_404(request.user, recognition_id)
    if request.headers.get("HX-Request"):
        return render(request, "recognition/_reactions.html", {"recognition": recognition})
    return redirect(recognition)


@require_POST
def delete(request: AuthenticatedRequest, recognition_id: int) -> HttpResponse:
    recognition = recognition_or_404(request.user, recognition_id)
    try:
        services.recognition_delete(recognition=recognition, by=request.user)
    except RecognitionError as error:
        messages.error(request, str(error))
        return redirect(recognition)
    messages.success(request, _("Your thanks was deleted."))
    return redirect("recognition:feed")
