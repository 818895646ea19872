"""The round report folded: it opens on the units a person may read it for and two levels
below, `?open=` opens more with the same figures and the same suppression as the CSV, and
nothing outside the person's units opens."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from bench.pulse import report_csv_rows, report_page_rows
from pulse.tests.conftest import report_tree


@pytest.fixture
def deep(cast):
    return report_tree(cast)


def rows_of(page: str) -> dict[str, list[str]]:
    """The report table's rows by unit name: the answers and the averages as shown."""
    return {name: figures for name, *figures in report_page_rows(page)}


def csv_of(content: bytes) -> dict[str, list[str]]:
    return {name: figures for name, *figures in report_csv_rows(content)}


def test_the_report_opens_on_two_levels_and_a_link_opens_more(cast, client_for, deep):
    round_, department = deep
    url = reverse("pulse:report", args=[round_.pk])
    ada = client_for(cast.ada)
    page = ada.get(url).content.decode()
    rows = rows_of(page)
    # The organisation, the units below it and the department two levels down; not the groups.
    assert set(rows) == {"Kommunen", "Sekretariatet", "Økonomi", "Afdeling A"}
    opened = sorted([cast.organisation.pk, cast.team.pk])
    toggle = ",".join(str(pk) for pk in sorted([*opened, department.pk]))
    link = re.search(rf'<a id="unit-{department.pk}"[^>]*>', page)
    assert link is not None
    assert f'href="?open={toggle}"' in link[0] and 'aria-expanded="false"' in link[0]
    assert 'hx-select="#report-table"' in link[0]
    # Opening it shows the groups: one with its figures, the others hidden by the engine.
    rows = rows_of(ada.get(url, {"open": toggle}).content.decode())
    assert rows["Gruppe A2"] == ["6", "1,0", "1,0", "1,0"]
    assert rows["Gruppe A1"] == rows["Gruppe A3"] == ["–", "–", "–", "–"]
    # Closing the secretariat closes the department below it too.
    page = ada.get(url, {"open": toggle}).content.decode()
    closing = re.search(rf'<a id="unit-{cast.team.pk}"[^>]*>', page)
    assert closing is not None and 'aria-expanded="true"' in closing[0]
    assert f'href="?open={cast.organisation.pk}"' in closing[0]


def test_the_figures_are_the_csvs_for_every_unit(cast, client_for, deep):
    round_, department = deep
    ada = client_for(cast.ada)
    every = ",".join(str(pk) for pk in [cast.organisation.pk, cast.team.pk, department.pk])
    page = ada.get(reverse("pulse:report", args=[round_.pk]), {"open": every})
    figures = csv_of(ada.get(reverse("pulse:report_csv", args=[round_.pk])).content)
    rows = rows_of(page.content.decode())
    assert len(rows) == 7 and rows == figures
    # Shown and hidden alike: the CSV and the opened page agree on both.
    assert rows["Gruppe A2"][0] == "6" and rows["Gruppe A3"][0] == "–"


def test_a_leader_opens_only_below_their_units(cast, client_for, deep):
    round_, _department = deep
    url = reverse("pulse:report", args=[round_.pk])
    lena = client_for(cast.lena)
    # The secretariat and two levels below it: all of her tree.
    assert set(rows_of(lena.get(url).content.decode())) == {
        "Sekretariatet",
        "Afdeling A",
        "Gruppe A1",
        "Gruppe A2",
        "Gruppe A3",
    }
    # Units outside her tree, and what is no id at all, open nothing and show nothing more.
    response = lena.get(url, {"open": f"{cast.organisation.pk},{cast.other_team.pk},x,-3,99999"})
    assert response.status_code == 200
    assert set(rows_of(response.content.decode())) == {"Sekretariatet"}
    for person in (cast.alice, cast.eve):
        assert client_for(person).get(url, {"open": str(cast.team.pk)}).status_code == 404


def test_the_report_reads_the_figures_of_the_units_it_shows(
    cast, client_for, deep, django_assert_num_queries
):
    round_, department = deep
    ada = client_for(cast.ada)
    url = reverse("pulse:report", args=[round_.pk])
    ada.get(url)
    # The session with its person and unread notifications, the round, its roots, its questions,
    # its tree and the tallies of the units shown: the same however far it is opened.
    with django_assert_num_queries(6):
        ada.get(url)
    with django_assert_num_queries(6):
        ada.get(url, {"open": f"{cast.organisation.pk},{cast.team.pk},{department.pk}"})


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_report_cells_write_each_average_as_the_language_writes_numbers(language):
    """The report's cells are written out for speed: each average reads as Django's number
    format writes it, coloured by its value rounded to a whole point, halves up."""
    from decimal import Decimal

    from django.utils import translation
    from django.utils.formats import number_format

    from pulse.templatetags.pulse_charts import heat_cells

    averages = [Decimal(tenths) / 10 for tenths in range(10, 51)]
    with translation.override(language):
        cells = re.findall(
            r'<td class="text-align-right( heat-\d)?">([^<]*)</td>', heat_cells([*averages, None])
        )
        expected = [
            (f" heat-{int(a + Decimal('0.5'))}", number_format(a, decimal_pos=1)) for a in averages
        ]
    assert cells == [*expected, ("", "–")]
    assert ("", "–") not in expected and (" heat-4", "3,5" if language == "da" else "3.5") in cells
