from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.http import AuthenticatedRequest
from core.personal_data import erasable
from privacy.archive import export_schema
from privacy.exports import export_request
from privacy.models import DataExport
from privacy.retention import deadlines
from privacy.selectors import for_my_data, latest_export
from privacy.services import kind_erase


def _export_context(request: AuthenticatedRequest) -> dict[str, Any]:
    export = latest_export(request.user)
    under_way = export is not None and export.status in DataExport.WORKING
    return {"export": export, "under_way": under_way}


@require_GET
def my_data(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "privacy/my_data.html",
        {
            "data": for_my_data(request.user),
            "deadlines": deadlines(),
            **_export_context(request),
        },
    )


@require_POST
def export_start(request: AuthenticatedRequest) -> HttpResponse:
    export_request(person=request.user, now=timezone.now())
    return redirect(reverse("privacy:my_data") + "#data-export")


@require_GET
def export_status(request: AuthenticatedRequest) -> HttpResponse:
    """The copy's state: a partial for htmx while it is made, the whole page otherwise."""
    if not request.headers.get("HX-Request"):
        return redirect(reverse("privacy:my_data") + "#data-export")
    return render(request, "privacy/_export.html", _export_context(request))


@require_GET
def export_download(request: AuthenticatedRequest) -> HttpResponse:
    export = latest_export(request.user, with_archive=True)
    if export is None or export.status != DataExport.Status.DONE or export.archive is None:
        raise Http404
    response = HttpResponse(bytes(export.archive), content_type="application/zip")
    name = f"sparring-{export.requested_at:%Y-%m-%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
def erase(request: AuthenticatedRequest) -> HttpResponse:
    """Delete all of one's own rows of a kind: asked on a page of its own, done on POST."""
    key = request.POST.get("kind") or request.GET.get("kind", "")
    kind = erasable(key)
    if kind is None:
        raise Http404
    if request.method == "POST":
        deleted = kind_erase(person=request.user, key=key)
        messages.success(
            request,
            ngettext("%(count)s deleted: %(kind)s.", "%(count)s deleted: %(kind)s.", deleted)
            % {"count": deleted, "kind": kind.label},
        )
        return redirect("privacy:my_data")
    count = kind.rows_of(request.user).count()
    return render(request, "privacy/erase.html", {"kind": kind, "count": count})


@require_GET
def schema(request: AuthenticatedRequest) -> JsonResponse:
    return JsonResponse(export_schema(), json_dumps_params={"indent": 2})
