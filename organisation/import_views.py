from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from core.access import administrator_required
from core.forms import DesignSystemForm
from organisation.importing import snapshot_apply, snapshot_from_csv, snapshot_problems

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
def csv_import(request: HttpRequest) -> HttpResponse:
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
                    _("The files are fine: %(units)d units and %(people)d people. Nothing was "
                      "changed yet.")
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
        {"form": form, "problems": problems, "result": result},
    )
