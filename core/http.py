from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """The request of every view behind login (LoginRequiredMiddleware guarantees the user)."""

    user: User
