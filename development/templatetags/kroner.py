"""Amounts in whole kroner as people read them: "12.500 kr." in Danish, "DKK 12,500" in
English."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def kroner(amount: int | None) -> str:
    return _("DKK %(amount)s") % {"amount": number_format(amount or 0, force_grouping=True)}
