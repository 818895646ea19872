from __future__ import annotations

from datetime import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.access import administrator_required
from core.forms import DesignSystemForm
from core.http import AuthenticatedRequest
from organisation.import_jobs import import_cancel, import_check_start, import_confirm
from organisation.importing import plan_sections
from organisation.models import ImportJob

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
    """The import page. Sending the CSV files keeps them and queues their check; the job's page
    then shows the preview to confirm."""
    form = CsvImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        units, people = form.cleaned_data["units_file"], form.cleaned_data["people_file"]
        job, started = import_check_start(
            actor=request.user,
            source=ImportJob.Source.CSV,
            now=timezone.now(),
            units_file=units.read(),
            people_file=people.read(),
            units_name=units.name,
            people_name=people.name,
        )
        if not started:
            messages.info(request, _("An import is already running; here is how far it is."))
        return redirect("administration:import_job", job_id=job.pk)
    return render(
        request,
        "organisation/admin/import.html",
        {
            "form": form,
            "os2mo_enabled": bool(settings.OS2MO_GRAPHQL_URL),
            "job": ImportJob.objects.select_related("started_by").first(),
        },
    )


@administrator_required
@require_POST
def os2mo_import(request: AuthenticatedRequest) -> HttpResponse:
    if not settings.OS2MO_GRAPHQL_URL:
        raise Http404
    job, started = import_check_start(
        actor=request.user, source=ImportJob.Source.OS2MO, now=timezone.now()
    )
    if not started:
        messages.info(request, _("An import is already running; here is how far it is."))
    return redirect("administration:import_job", job_id=job.pk)


def _announcement(job: ImportJob, now: datetime) -> str:
    """What the live region says about the job: its state and step, never its counts, so that
    a screen reader hears each change once and not every poll."""
    if job.is_under_way(now=now):
        return (
            f"{job.get_status_display()}: {job.step_display}"
            if job.step
            else job.get_status_display()
        )
    return str(job.get_status_display())


@administrator_required
@require_GET
def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    """How an import job is doing: the partial alone for htmx's polling, else a whole page."""
    job = get_object_or_404(
        ImportJob.objects.select_related("started_by", "confirmed_by"), pk=job_id
    )
    now = timezone.now()
    announcement = _announcement(job, now)
    context = {
        "job": job,
        "under_way": job.is_under_way(now=now),
        "stale": job.is_stale(now=now),
        "announcement": announcement,
        # Polling sends what was last announced; the live region changes only when this differs.
        "announce": request.GET.get("announced") != announcement,
        "plan_sections": plan_sections(job.plan) if job.plan else [],
    }
    partial = bool(request.headers.get("HX-Request"))
    template = "_import_job.html" if partial else "import_job.html"
    response = render(request, f"organisation/admin/{template}", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@administrator_required
@require_POST
def import_job_confirm(request: AuthenticatedRequest, job_id: int) -> HttpResponse:
    job = get_object_or_404(ImportJob, pk=job_id)
    if "cancel" in request.POST:
        import_cancel(job=job, now=timezone.now())
        messages.info(request, _("The preview was dropped. Nothing was changed."))
        return redirect("administration:import")
    if not import_confirm(
        job=job,
        actor=request.user,
        fingerprint=request.POST.get("fingerprint", ""),
        now=timezone.now(),
    ):
        messages.error(request, _("This preview can no longer be confirmed. Nothing was changed."))
    return redirect("administration:import_job", job_id=job.pk)
