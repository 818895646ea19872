from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from api.forms import TokenForm
from api.models import Token
from api.tokens import TokenError, scopes_of, token_create, token_revoke
from core.access import administrator_required
from core.http import AuthenticatedRequest


@require_http_methods(["GET", "POST"])
def tokens(request: AuthenticatedRequest) -> HttpResponse:
    """The person's access tokens, and a new one: its secret is on this answer only."""
    now = timezone.now()
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = token_create(
                person=request.user,
                name=form.cleaned_data["name"],
                scopes=scopes_of(form.access()),
                expires_at=now + timedelta(days=form.cleaned_data["days"]),
                now=now,
            )
        except TokenError as error:
            form.add_error(None, str(error))
        else:
            form = TokenForm()
    mine = Token.objects.of(request.user).filter(revoked_at__isnull=True)
    return render(
        request,
        "api/tokens.html",
        {"form": form, "tokens": mine, "secret": secret, "now": now},
    )


@require_POST
def token_revoke_view(request: AuthenticatedRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(Token.objects.of(request.user), pk=token_id)
    token_revoke(token=token, now=timezone.now())
    messages.success(request, _("The token %(name)s no longer works.") % {"name": token.name})
    return redirect("tokens:list")


@administrator_required
@require_GET
def tokens_overview(request: AuthenticatedRequest) -> HttpResponse:
    """How many access tokens are in use, and by how many people: never a name or a secret."""
    usable = Token.objects.usable(now=timezone.now())
    return render(
        request,
        "api/admin_tokens.html",
        {
            "tokens": usable.count(),
            "people": usable.values("person").distinct().count(),
            "ended": Token.objects.count() - usable.count(),
        },
    )
