"""The kinds of personal data of competence and development (see core.personal_data)."""

from django.utils.translation import gettext_lazy as _

from core.personal_data import Kind, not_personal, register
from development.models import (
    Activity,
    DevelopmentPlan,
    Framework,
    FundApplication,
    Goal,
    Rating,
    SelfAssessment,
)

register(
    _("Competence and development"),
    Kind("self_assessments", _("Self-assessments"), SelfAssessment, "owner", "development:index"),
    Kind(
        "self_assessment_ratings",
        _("Ratings in your self-assessments"),
        Rating,
        "assessment__owner",
        "development:index",
    ),
    Kind(
        "development_plans", _("Development plans"), DevelopmentPlan, "owner", "development:index"
    ),
    Kind(
        "development_goals",
        _("Goals in your development plans"),
        Goal,
        "plan__owner",
        "development:index",
    ),
    # The activities of the person's own plans. Not those of someone else's plan the person
    # is named responsible for: the plan and the reflection on the activity are its owner's.
    Kind(
        "development_activities",
        _("Activities in your development plans"),
        Activity,
        "plan__owner",
        "development:index",
    ),
    Kind(
        "fund_applications",
        _("Your applications to the competence fund"),
        FundApplication,
        "activity__plan__owner",
        "development:index",
    ),
)
not_personal(Framework, reason="The competence framework, set by an administrator.")
