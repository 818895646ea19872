"""Writes of a course's application draft to Den Kommunale Kompetencefond. Only the plan's
owner changes the draft; bad input is refused with a message in the person's language and
changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from development.fund import COSTS
from development.models import (
    Activity,
    ActivityKind,
    AgreementArea,
    EducationKind,
    FundApplication,
)
from development.services import DevelopmentError


class FundError(DevelopmentError):
    """A draft that cannot be saved as it stands; `field` names the field at fault, if one."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Draft:
    """What a draft says: the education, its costs in whole kroner, and the applicant's
    workplace and agreement."""

    title: str
    education_kind: str
    provider: str
    provider_url: str
    starts_on: date | None
    ends_on: date | None
    course_fee: int
    transport: int
    materials: int
    agreement_area: str
    position: str
    workplace: str
    workplace_number: str
    notes: str

    def costs(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in COSTS}


def draft_check(draft: Draft) -> None:
    """The rules every draft keeps; raises FundError with the first one broken."""
    if not draft.title.strip():
        raise FundError(_("Give the education a name."), field="title")
    if draft.education_kind not in EducationKind.values:
        raise FundError(_("Choose a kind of education from the list."), field="education_kind")
    if draft.agreement_area and draft.agreement_area not in AgreementArea.values:
        raise FundError(_("Choose an agreement area from the list."), field="agreement_area")
    for name in COSTS:
        if getattr(draft, name) < 0:
            raise FundError(
                _("An amount cannot be negative: write it in whole kroner, 0 or more."),
                field=name,
            )
    if draft.starts_on and draft.ends_on and draft.ends_on < draft.starts_on:
        raise FundError(_("The education cannot end before it starts."), field="ends_on")


@transaction.atomic
def fund_application_save(
    *, activity: Activity, by: User, draft: Draft, now: datetime
) -> FundApplication:
    """Make or change the draft of `activity`, a course in `by`'s own plan."""
    # Read afresh under a lock: two tabs saving at once make one draft, not an error.
    activity = Activity.objects.select_for_update().select_related("plan").get(pk=activity.pk)
    if activity.plan.owner_id != by.pk:
        raise FundError(_("Only the owner of the plan can change its application draft."))
    if activity.kind != ActivityKind.COURSE:
        raise FundError(_("Only a course in a development plan has an application draft."))
    draft_check(draft)
    values = {
        "title": draft.title.strip(),
        "education_kind": draft.education_kind,
        "provider": draft.provider.strip(),
        "provider_url": draft.provider_url.strip(),
        "starts_on": draft.starts_on,
        "ends_on": draft.ends_on,
        "course_fee": draft.course_fee,
        "transport": draft.transport,
        "materials": draft.materials,
        "agreement_area": draft.agreement_area,
        "position": draft.position.strip(),
        "workplace": draft.workplace.strip(),
        "workplace_number": draft.workplace_number.strip(),
        "notes": draft.notes.strip(),
        "updated_at": now,
    }
    application, _made = FundApplication.objects.update_or_create(
        activity=activity, defaults=values, create_defaults={**values, "created_at": now}
    )
    return application
