from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.access import administrator_required
from core.forms import DesignSystemForm
from core.http import AuthenticatedRequest
from organisation.importing import snapshot_apply, snapshot_from_csv, snapshot_problems
from organisation.models import ImportJob
from organisation.os2mo import os2mo_job_start

MAX_UPLOAD = 20 * 1024 * 1024


class CsvImportForm(DesignSystemForm, forms.Form):
    units_file = forms.FileField(
        label=gettext_lazy("Units (CSV)"),
        help_text=gettext_lazy("Columns: id, name, parent_id (empty for a top unit)."),
    )
    people_file = forms.FileField(
        label=gettext_lazy("People (CSV)"),
        help_text=gettext_lazy(
            "Columns: id, username, first_name, last_name, email, job_title, unit_id, leader. "
            "One line per unit a person belongs to."
        ),
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        for name in ("units_file", "people_file"):
            upload = cleaned.get(name)
            if upload is not None and upload.size > MAX_UPLOAD:
                self.add_error(name, _("The file is larger than 20 MB."))
        return cleaned


@administrator_required
@require_http_methods(["GET", "POST"])
def csv_import(request: AuthenticatedRequest) -> HttpResponse:
    form = CsvImportForm(request.POST or None, request.FILES or None)
    problems = None
    if request.method == "POST" and form.is_valid():
        units, people = form.cleaned_data["units_file"], form.cleaned_data["people_file"]
        snapshot, problems = snapshot_from_csv(
            units_file=units.read(),
            people_file=people.read(),
            units_name=units.name,
            people_name=people.name,
        )
        problems += snapshot_problems(snapshot)
        if not problems:
            if "check" in request.POST:
                messages.success(
                    request,
                    _(
                        "The files are fine: %(units)d units and %(people)d people. Nothing was "
                        "changed yet."
                    )
                    % {"units": len(snapshot.units), "people": len(snapshot.people)},
                )
            else:
                result = snapshot_apply(
                    snapshot, actor=request.user, source=f"CSV: {units.name}, {people.name}"
                )
                request.session["import_result"] = vars(result)
                return redirect("administration:import")
    result = request.session.pop("import_result", None)
    return render(
        request,
        "organisation/admin/import.html",
        {"form": form, "problems": problems, "result": result, **_os2mo_context()},
    )


def _os2mo_context() -> dict[str, Any]:
    enabled = bool(settings.OS2MO_GRAPHQL_URL)
    return {
        "os2mo_enabled": enabled,
        "job": ImportJob.objects.select_related("started_by").first() if enabled else None,
    }


@administrator_required
@require_POST
def os2mo_import(request: AuthenticatedRequest) -> HttpResponse:
    if not settings.OS2MO_GRAPHQL_URL:
        raise Http404
    started = os2mo_job_start(actor=request.user)[1]
    if not started:
        messages.info(request, _("An import from OS2mo is already running; here is how far it is."))
    return redirect(reverse("administration:import") + "#os2mo")


@administrator_required
@require_GET
def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    """How an import job is doing: the partial alone for htmx's polling, else a whole page."""
    job = get_object_or_404(ImportJob.objects.select_related("started_by"), pk=job_id)
    partial = bool(request.headers.get("HX-Request"))
    template = "_import_job.html" if partial else "import_job.html"
    response = render(request, f"organisation/admin/{template}", {"job": job})
    patch_vary_headers(response, ["HX-Request"])
    return response
