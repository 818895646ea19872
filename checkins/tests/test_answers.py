"""A check-in's answers as the pages write them (`checkin_answers`)."""

from __future__ import annotations

from datetime import date

from django.template.defaultfilters import truncatechars
from django.utils import translation

from checkins.models import CheckIn, Energy, week_of
from checkins.templatetags.checkin_answers import checkin_answers


def test_answers_are_escaped_cut_and_written_in_the_forms_order(cast):
    checkin = CheckIn(
        owner=cast.alice,
        week=week_of(date(2026, 11, 30)),
        energy=Energy.GOOD,
        went_well="Et møde <b>med</b> borgerne\nog et til",
        is_hard="y" * 280,
        priorities="x" * 300,
        # "å" written as "a" and a combining ring: composed, as the truncatechars filter does.
        help_needed="Pa\u030askeferien",
    )
    with translation.override("da"):
        html = checkin_answers(checkin, limit=280)
    assert html == (
        "<dt>Det gik godt</dt><dd>Et møde &lt;b&gt;med&lt;/b&gt; borgerne<br>og et til</dd>"
        f"<dt>Det er svært</dt><dd>{'y' * 280}</dd>"
        f"<dt>Mine prioriteter i denne uge</dt><dd>{'x' * 279}…</dd>"
        "<dt>Jeg har brug for hjælp til</dt><dd>Påskeferien</dd>"
    )
    assert f"<dd>{truncatechars('x' * 300, 280)}</dd>" in html
    # Whole answers without a limit; the energy only on the owner's own pages.
    with translation.override("da"):
        whole = checkin_answers(checkin, with_energy=True)
    assert whole.startswith("<dt>Min energi i denne uge</dt><dd>God</dd><dt>Det gik godt</dt>")
    assert f"<dd>{'x' * 300}</dd>" in whole
    assert "energi" not in checkin_answers(checkin)


def test_an_answers_line_breaks_and_marks_are_written_as_the_linebreaksbr_filter_writes_them(
    cast,
):
    from django.template.defaultfilters import linebreaksbr

    text = "Første linje\r\nanden & \"tredje\"\rfjerde 'femte'\n\n<script>"
    checkin = CheckIn(owner=cast.alice, week=week_of(date(2026, 11, 30)), went_well=text)
    with translation.override("da"):
        html = checkin_answers(checkin)
    assert html == f"<dt>Det gik godt</dt><dd>{linebreaksbr(text, autoescape=True)}</dd>"
    assert "<script>" not in html and html.count("<br>") == 4
