"""A check-in's answers as the pages write them (`checkin_answers`)."""

from __future__ import annotations

from datetime import date

from django.utils import translation

from checkins.models import CheckIn, Energy, week_of
from checkins.templatetags.checkin_answers import checkin_answers


def test_answers_are_escaped_cut_and_written_in_the_forms_order(cast):
    checkin = CheckIn(
        owner=cast.alice,
        week=week_of(date(2026, 11, 30)),
        energy=Energy.GOOD,
        went_well="Et møde <b>med</b> borgerne\nog et til",
        priorities="x" * 300,
    )
    with translation.override("da"):
        html = checkin_answers(checkin, limit=280)
    assert html == (
        "<dt>Det gik godt</dt><dd>Et møde &lt;b&gt;med&lt;/b&gt; borgerne<br>og et til</dd>"
        f"<dt>Mine prioriteter i denne uge</dt><dd>{'x' * 279}…</dd>"
    )
    # Whole answers where nothing cuts them; the energy only on the owner's own pages.
    with translation.override("da"):
        whole = checkin_answers(checkin, with_energy=True)
    assert whole.startswith("<dt>Min energi i denne uge</dt><dd>God</dd><dt>Det gik godt</dt>")
    assert f"<dd>{'x' * 300}</dd>" in whole
