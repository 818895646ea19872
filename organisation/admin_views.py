"""Administration of the organisation: units, people, values and the audit log. Every page is
for administrators only; to anyone else it does not exist (404)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from accounts.services import (
    AccountError,
    password_link_send,
    person_deactivate,
    person_reactivate,
)
from core.access import administrator_required
from core.audit import audit_record
from core.http import AuthenticatedRequest
from core.models import AuditEntry
from core.selectors import audit_entries
from core.spreadsheet import as_text, csv_response
from organisation.forms import AuditFilterForm, PersonForm, SearchForm, UnitForm, ValueForm
from organisation.models import Membership, Unit, Value
from organisation.services import (
    OrganisationError,
    person_save,
    unit_create,
    unit_delete,
    unit_update,
    value_save,
)

PAGE_SIZE = 50


@administrator_required
def index(request: AuthenticatedRequest) -> HttpResponse:
    counts = {
        "units": Unit.objects.count(),
        "people": User.objects.filter(is_active=True).count(),
        "values": Value.objects.filter(is_active=True).count(),
    }
    return render(request, "organisation/admin/index.html", {"counts": counts})


# --- Units ------------------------------------------------------------------------------------


@administrator_required
def unit_list(request: AuthenticatedRequest) -> HttpResponse:
    search = SearchForm(request.GET or None)
    units = Unit.objects.order_by("path")
    if search.is_valid() and search.cleaned_data["q"]:
        units = units.filter(name__icontains=search.cleaned_data["q"])
    page = Paginator(units, PAGE_SIZE).get_page(request.GET.get("page"))
    # Count people for the page shown only, not for every unit of the organisation.
    people = dict(
        Membership.objects.filter(unit__in=page.object_list)
        .values("unit")
        .annotate(n=Count("pk"))
        .values_list("unit", "n")
    )
    for unit in page:
        unit.people = people.get(unit.pk, 0)  # type: ignore[attr-defined]
    return render(request, "organisation/admin/unit_list.html", {"page": page, "search": search})


@administrator_required
@require_http_methods(["GET", "POST"])
def unit_edit(request: AuthenticatedRequest, unit_id: int | None = None) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=unit_id) if unit_id else None
    initial = {"name": unit.name, "parent": unit.parent_id} if unit else {}
    form = UnitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if unit is None:
                unit = unit_create(
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    parent=form.cleaned_data["parent"],
                )
                messages.success(request, _("The unit %(name)s was created.") % {"name": unit})
            else:
                unit_update(
                    actor=request.user,
                    unit=unit,
                    name=form.cleaned_data["name"],
                    parent=form.cleaned_data["parent"],
                )
                messages.success(request, _("The unit %(name)s was saved.") % {"name": unit})
            return redirect("administration:units")
        except OrganisationError as error:
            form.add_error("parent", str(error))
    return render(request, "organisation/admin/unit_form.html", {"form": form, "unit": unit})


@administrator_required
@require_POST
def unit_remove(request: AuthenticatedRequest, unit_id: int) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=unit_id)
    try:
        unit_delete(actor=request.user, unit=unit)
        messages.success(request, _("The unit %(name)s was deleted.") % {"name": unit.name})
    except OrganisationError as error:
        messages.error(request, str(error))
    return redirect("administration:units")


# --- People -----------------------------------------------------------------------------------


@administrator_required
def person_list(request: AuthenticatedRequest) -> HttpResponse:
    search = SearchForm(request.GET or None)
    people = User.objects.order_by("-is_active", "first_name", "last_name", "username")
    if search.is_valid() and (q := search.cleaned_data["q"]):
        people = people.filter(
            Q(first_name__icontains=q)
            | Q(last_name__icontains=q)
            | Q(username__icontains=q)
            | Q(email__icontains=q)
        )
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "organisation/admin/person_list.html", {"page": page, "search": search})


@administrator_required
@require_http_methods(["GET", "POST"])
def person_edit(request: AuthenticatedRequest, user_id: int | None = None) -> HttpResponse:
    person = get_object_or_404(User, pk=user_id) if user_id else User()
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        person = person_save(
            actor=request.user,
            person=form.save(commit=False),
            memberships=form.memberships(),
            now=timezone.now(),
        )
        messages.success(request, _("%(name)s was saved.") % {"name": person.display_name})
        return redirect("administration:people")
    return render(request, "organisation/admin/person_form.html", {"form": form, "person": person})


@administrator_required
@require_POST
def person_deactivate_view(request: AuthenticatedRequest, user_id: int) -> HttpResponse:
    person = get_object_or_404(User, pk=user_id)
    if person == request.user:
        messages.error(request, _("You cannot deactivate yourself."))
    else:
        person_deactivate(
            actor=request.user, person=person, now=timezone.now(), reason=_("By an administrator")
        )
        messages.success(
            request,
            _("%(name)s was deactivated and logged out everywhere.")
            % {"name": person.display_name},
        )
    return redirect("administration:people")


@administrator_required
@require_POST
def person_send_link(request: AuthenticatedRequest, user_id: int) -> HttpResponse:
    """Send the person a link to choose their own password. The administrator never sees it."""
    person = get_object_or_404(User, pk=user_id)
    try:
        password_link_send(actor=request.user, person=person, now=timezone.now())
        messages.success(
            request,
            _("A link to choose a password is on its way to %(name)s.")
            % {"name": person.display_name},
        )
    except AccountError as error:
        messages.error(request, str(error))
    return redirect("administration:person_edit", user_id=person.pk)


@administrator_required
@require_POST
def person_reactivate_view(request: AuthenticatedRequest, user_id: int) -> HttpResponse:
    person = get_object_or_404(User, pk=user_id)
    person_reactivate(actor=request.user, person=person)
    messages.success(request, _("%(name)s can log in again.") % {"name": person.display_name})
    return redirect("administration:person_edit", user_id=person.pk)


# --- Values -----------------------------------------------------------------------------------


@administrator_required
def value_list(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "organisation/admin/value_list.html", {"values": Value.objects.all()})


@administrator_required
@require_http_methods(["GET", "POST"])
def value_edit(request: AuthenticatedRequest, value_id: int | None = None) -> HttpResponse:
    value = get_object_or_404(Value, pk=value_id) if value_id else Value()
    form = ValueForm(request.POST or None, instance=value)
    if request.method == "POST" and form.is_valid():
        value_save(actor=request.user, value=form.save(commit=False))
        messages.success(request, _("The value %(name)s was saved.") % {"name": value.name})
        return redirect("administration:values")
    return render(request, "organisation/admin/value_form.html", {"form": form, "value": value})


# --- Audit log --------------------------------------------------------------------------------


def _audit_filter(request: AuthenticatedRequest) -> AuditFilterForm:
    form = AuditFilterForm(
        request.GET or None,
        actors=list(User.objects.filter(pk__in=AuditEntry.objects.values("actor_id"))),
        actions=sorted(AuditEntry.objects.values_list("action", flat=True).distinct()),
    )
    form.is_valid()
    return form


@administrator_required
@require_GET
def audit_log(request: AuthenticatedRequest) -> HttpResponse:
    form = _audit_filter(request)
    page = Paginator(audit_entries(**form.filters()), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "organisation/admin/audit_log.html", {"page": page, "form": form})


@administrator_required
@require_GET
def audit_log_export(request: AuthenticatedRequest) -> HttpResponse:
    """The audit log as filtered, every entry, for a spreadsheet. The download is itself
    written to the log: it holds names of people."""
    filters = _audit_filter(request).filters()
    entries = list(audit_entries(**filters))
    audit_record(
        actor=request.user,
        action="audit.export",
        data={key: str(value) for key, value in filters.items()},
    )
    response, writer = csv_response("audit-log.csv")
    writer.writerow([_("Time"), _("By"), _("Action"), _("Concerning"), _("Details")])
    for entry in entries:
        writer.writerow(
            as_text(cell)
            for cell in (
                timezone.localtime(entry.at).isoformat(timespec="seconds"),
                entry.actor.display_name if entry.actor else _("the system"),
                entry.action_label,
                entry.target_label,
                entry.details,
            )
        )
    return response
