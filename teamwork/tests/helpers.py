from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.html import escape


def speaking(client, language):
    """The client, with the language cookie the language links set."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def in_language(message, language):
    """A message as the page shows it in `language`."""
    with translation.override(language):
        return escape(str(message))


def too_long(limit, language):
    from django.core.exceptions import ValidationError
    from django.core.validators import MaxLengthValidator

    with translation.override(language):
        try:
            MaxLengthValidator(limit)("x" * (limit + 1))
        except ValidationError as error:
            return escape(error.messages[0])
    raise AssertionError("not too long")
