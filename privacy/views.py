from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.services import LOGIN_RECORDS_KEPT
from core.http import AuthenticatedRequest
from privacy.selectors import for_my_data


@require_GET
def my_data(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "privacy/my_data.html",
        {"data": for_my_data(request.user), "login_records_days": LOGIN_RECORDS_KEPT.days},
    )
