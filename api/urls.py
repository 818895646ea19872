from django.urls import include, path

from api import views
from api.api import api

# The API answers by token, not by the login's session: a request without a token is 401 as
# problem details, never a redirect to the login page.
_patterns, _app, _namespace = api.urls
for _pattern in _patterns:
    _pattern.callback.login_required = False  # type: ignore[union-attr]

urlpatterns = [
    path("v1/", include((_patterns, _app), namespace=_namespace)),
    path("tokens/", include(([
        path("", views.tokens, name="list"),
        path("<int:token_id>/revoke/", views.token_revoke_view, name="revoke"),
    ], "tokens"))),
]  # fmt: skip
