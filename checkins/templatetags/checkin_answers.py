"""A check-in's answers, written by a tag rather than by an included template: the leader's
week shows thirty check-ins with all they wrote, and the template language spent more on
including, testing and filtering four answers each than on anything else of a card."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

register = template.Library()

# The answers in the order the form asks them, each under the form's own words.
ANSWERS = (
    ("went_well", gettext_lazy("What went well")),
    ("is_hard", gettext_lazy("What is hard")),
    ("priorities", gettext_lazy("My priorities this week")),
    ("help_needed", gettext_lazy("I need help with")),
)
# An answer holds at most this many characters.
LONGEST = 2000


@register.simple_tag
def checkin_answers(checkin: Any, *, with_energy: bool = False, limit: int = LONGEST) -> SafeString:
    """The answers as pairs for a `<dl class="answers">`, each with its line breaks, cut to
    `limit` characters. The energy only `with_energy` (the owner's own pages: it is shown to
    nobody else)."""
    pairs = []
    if with_energy and checkin.energy:
        pairs.append(
            format_html(
                "<dt>{}</dt><dd>{}</dd>", _("My energy this week"), checkin.get_energy_display()
            )
        )
    for name, label in ANSWERS:
        text = getattr(checkin, name)
        if not text:
            continue
        if len(text) > limit:
            text = Truncator(text).chars(limit)
        pairs.append(
            format_html("<dt>{}</dt><dd>{}</dd>", label, linebreaksbr(text, autoescape=True))
        )
    return mark_safe("".join(pairs))  # noqa: S308 (each pair is escaped by format_html)
