"""Reads of a course's application draft to Den Kommunale Kompetencefond. The course is read
through its plan's access (`Activity.objects.visible_to`): its owner and whoever the plan is
shared with; anyone else gets the same 404 as for a course that does not exist."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.http import Http404
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.models import User
from core.access import leader_ids_of
from development.fund import (
    COSTS,
    Estimate,
    FundTerms,
    estimate,
    terms_from_settings,
    timing_warnings,
)
from development.fund_services import Draft
from development.models import (
    Activity,
    ActivityKind,
    AgreementArea,
    EducationKind,
    FundApplication,
)
from organisation.models import HOME_UNIT_ORDER, Membership, Unit


def course_or_404(user: User, activity_id: int) -> Activity:
    """A course in a plan `user` may read, with its plan and owner; 404 for anything else
    (another kind of activity has no draft)."""
    try:
        course: Activity = (
            Activity.objects.visible_to(user)
            .filter(kind=ActivityKind.COURSE)
            .select_related("plan__owner")
            .get(pk=activity_id)
        )
    except Activity.DoesNotExist:
        raise Http404 from None
    return course


@dataclass(frozen=True)
class Signature:
    """A line to sign on paper: who signs, and their name where Sparring knows it."""

    role: str
    name: str


@dataclass(frozen=True)
class FundPage:
    activity: Activity
    applicant: User
    # The draft as saved, or, before it is, as the course in the plan suggests it.
    draft: Draft
    saved_at: datetime | None
    education_kind_label: str
    agreement_area_label: str
    terms: FundTerms
    # The costs the fund shares, as words: "the course fee, transport and materials".
    covers_text: str
    estimate: Estimate
    warnings: list[str]
    # The labels of what the fund asks and the draft does not say yet.
    missing: list[str]
    signatures: list[Signature]
    can_edit: bool


def draft_suggested(activity: Activity) -> Draft:
    """A first draft from the course in the plan (its title, dates and estimated cost) and
    from the applicant's place in the organisation."""
    owner = activity.plan.owner
    return Draft(
        title=activity.title,
        education_kind=EducationKind.COURSE,
        provider="",
        provider_url="",
        starts_on=activity.starts_on,
        ends_on=activity.ends_on,
        course_fee=activity.cost or 0,
        transport=0,
        materials=0,
        agreement_area="",
        position=owner.job_title,
        workplace=_workplace_of(owner),
        workplace_number="",
        notes="",
    )


def _workplace_of(person: User) -> str:
    """The person's home unit and the organisation at the top of it: "Sekretariatet,
    Kommunen"."""
    home = (
        Membership.objects.filter(user=person, unit__archived_at__isnull=True)
        .order_by(*HOME_UNIT_ORDER)
        .select_related("unit")
        .first()
    )
    if home is None:
        return ""
    above = home.unit.ancestor_ids()
    if not above:
        return home.unit.name
    top = Unit.objects.filter(pk=above[0]).values_list("name", flat=True).first()
    return f"{home.unit.name}, {top}" if top else home.unit.name


def _covers_text(terms: FundTerms) -> str:
    words = {
        "course_fee": _("the course fee"),
        "transport": _("transport"),
        "materials": _("materials"),
    }
    return str(get_text_list([words[name] for name in COSTS if name in terms.covers], _("and")))


def _draft_of(application: FundApplication) -> Draft:
    return Draft(
        title=application.title,
        education_kind=application.education_kind,
        provider=application.provider,
        provider_url=application.provider_url,
        starts_on=application.starts_on,
        ends_on=application.ends_on,
        course_fee=application.course_fee,
        transport=application.transport,
        materials=application.materials,
        agreement_area=application.agreement_area,
        position=application.position,
        workplace=application.workplace,
        workplace_number=application.workplace_number,
        notes=application.notes,
    )


def for_fund_page(user: User, activity: Activity, *, today: date) -> FundPage:
    """The draft of a course read through `course_or_404`, its estimate from the fund's terms
    in settings, and the warnings about its start as seen on `today`."""
    application = FundApplication.objects.filter(activity=activity).first()
    draft = draft_suggested(activity) if application is None else _draft_of(application)
    terms = terms_from_settings()
    owner = activity.plan.owner
    leaders = list(
        User.objects.filter(pk__in=leader_ids_of(owner), is_active=True).order_by("pk")[:2]
    )
    wanted = {
        _("Provider"): draft.provider,
        _("Start date"): draft.starts_on,
        _("End date"): draft.ends_on,
        _("Course fee"): draft.course_fee,
        _("Agreement area"): draft.agreement_area,
        _("Workplace"): draft.workplace,
    }
    return FundPage(
        activity=activity,
        applicant=owner,
        draft=draft,
        saved_at=application.updated_at if application else None,
        education_kind_label=str(EducationKind(draft.education_kind).label),
        agreement_area_label=(
            str(AgreementArea(draft.agreement_area).label) if draft.agreement_area else ""
        ),
        terms=terms,
        covers_text=_covers_text(terms),
        estimate=estimate(costs=draft.costs(), terms=terms),
        warnings=timing_warnings(starts_on=draft.starts_on, today=today, terms=terms),
        missing=[label for label, value in wanted.items() if not value],
        signatures=[
            Signature(role=pgettext("signature", "Applicant"), name=owner.display_name),
            # The leader's name only when there is one leader to name.
            Signature(role=_("Leader"), name=leaders[0].display_name if len(leaders) == 1 else ""),
            Signature(role=_("Union representative (tillidsrepræsentant)"), name=""),
        ],
        can_edit=activity.plan.owner_id == user.pk,
    )
