from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.access import administrator_required
from core.http import AuthenticatedRequest
from privacy.forms import retention_form
from privacy.retention import deadlines, next_run, past_deadline, retention_set


@administrator_required
@require_http_methods(["GET", "POST"])
def retention(request: AuthenticatedRequest) -> HttpResponse:
    now = timezone.now()
    current = deadlines()
    form = retention_form(current, request.POST or None)
    if request.method == "POST" and form.is_valid():
        if retention_set(actor=request.user, days=form.cleaned_data):
            messages.success(request, _("The deadlines are saved."))
        return redirect("privacy_admin:retention")
    past = past_deadline(now=now)
    for key in past:
        # What the next run would delete belongs to the field it follows.
        attrs = form.fields[key].widget.attrs
        attrs["aria-describedby"] = f"{attrs.get('aria-describedby', '')} id_{key}-past".strip()
    return render(
        request,
        "privacy/admin/retention.html",
        {
            "form": form,
            "rows": [(d, form[d.key], past.get(d.key)) for d in current],
            "next_run": next_run(now),
        },
    )
