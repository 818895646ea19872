"""The organisation's name and logo: the administrators' settings page, and the logo itself,
served from the database to every page's header (the login page's too)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.utils.http import parse_etags
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.access import administrator_required
from core.http import AuthenticatedRequest
from organisation.forms import OrganisationSettingsForm
from organisation.models import OrganisationSettings
from organisation.services import LOGO_MAX_BYTES, OrganisationError, organisation_settings_update

# The logo's URL carries its digest, so a browser may keep it for a year: a new logo is a
# new URL.
LOGO_MAX_AGE = 365 * 24 * 60 * 60


@administrator_required
@require_http_methods(["GET", "POST"])
def organisation_settings(request: AuthenticatedRequest) -> HttpResponse:
    current = OrganisationSettings.objects.for_header()
    form = OrganisationSettingsForm(
        request.POST or None,
        request.FILES or None,
        initial={"name": current.name},
        fallback_name=settings.SPARRING_ORGANISATION_NAME,
        has_logo=current.has_logo,
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["logo"]
        try:
            organisation_settings_update(
                actor=request.user,
                name=form.cleaned_data["name"].strip(),
                # One byte more than allowed is enough for the service to refuse it.
                logo=upload.read(LOGO_MAX_BYTES + 1) if upload else None,
                remove_logo=form.cleaned_data.get("remove_logo", False),
            )
        except OrganisationError as error:
            form.add_error("logo", str(error))
        else:
            messages.success(request, _("The organisation's settings were saved."))
            return redirect("administration:settings")
    return render(request, "organisation/admin/settings.html", {"form": form, "current": current})


@login_not_required
@require_safe
def logo(request: HttpRequest) -> HttpResponse:
    """The logo, public like the name beside it on the login page. Not found without one."""
    current = OrganisationSettings.objects.for_header()
    if not current.has_logo:
        raise Http404
    etag = f'"{current.logo_digest}"'
    if etag in parse_etags(request.headers.get("If-None-Match", "")):
        response: HttpResponse = HttpResponseNotModified()
    else:
        data = OrganisationSettings.objects.values_list("logo", flat=True).get(pk=current.pk)
        response = HttpResponse(bytes(data), content_type=current.logo_type)
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={LOGO_MAX_AGE}, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    # An image needs nothing else, even when opened on its own.
    response["Content-Security-Policy"] = "default-src 'none'"
    response.public_asset = True  # type: ignore[attr-defined]
    return response
