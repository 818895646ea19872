"""The API's part of the registry (see core.personal_data)."""

from django.utils.translation import gettext_lazy as _

from api.models import Token
from core.personal_data import Kind, register

register(
    _("Access to the API"),
    # A copy of one's data never holds what would let someone use a token.
    Kind(
        "api_tokens",
        _("Your access tokens"),
        Token,
        "person",
        "tokens:list",
        withheld=("lookup", "key_hash"),
    ),
)
