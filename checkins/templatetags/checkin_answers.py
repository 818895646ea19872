"""A check-in's answers, written by a tag rather than by an included template: the leader's
week shows thirty check-ins with all they wrote, and the template language spent more on
including, testing and filtering four answers each than on anything else of a card."""

from __future__ import annotations

import unicodedata
from typing import Any

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from checkins.models import CHECKIN_LABELS, CHECKIN_TEXTS

register = template.Library()


@register.simple_tag
def checkin_answers(
    checkin: Any, *, with_energy: bool = False, limit: int | None = None
) -> SafeString:
    """The answers of `checkin` (a check-in, or a `SharedCheckIn` as its reader sees it) as
    pairs for a `<dl class="answers">`, in the form's order, each with its line breaks and,
    with a `limit`, cut to that many characters. The energy only `with_energy` (the owner's own
    pages: it is shown to nobody else)."""
    pairs: list[str] = []
    if with_energy and checkin.energy:
        pairs.append(
            format_html(
                "<dt>{}</dt><dd>{}</dd>", _("My energy this week"), checkin.get_energy_display()
            )
        )
    for name in CHECKIN_TEXTS:
        text = getattr(checkin, name)
        if not text:
            continue
        # As the truncatechars filter writes it: composed characters, and an ellipsis if cut.
        text = unicodedata.normalize("NFC", text)
        if limit is not None and len(text) > limit:
            text = Truncator(text).chars(limit)
        # As format_html and the linebreaksbr filter write them, without their wrappers (a
        # leader's week writes a hundred answers).
        label = escape(str(CHECKIN_LABELS[name]))
        pairs.append(f"<dt>{label}</dt><dd>{_with_breaks(text)}</dd>")
    return mark_safe("".join(pairs))  # noqa: S308 (each label and answer is escaped)


def _with_breaks(text: str) -> str:
    """`text` escaped, each line ending a <br>, as the linebreaksbr filter writes it."""
    return escape(text.replace("\r\n", "\n").replace("\r", "\n")).replace("\n", "<br>")
