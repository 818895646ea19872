from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisation.models import Unit
from organisation.services import OrganisationError, unit_create, unit_update


def test_subtree_and_ancestors(db):
    root = unit_create(actor=None, name="Root", parent=None)
    a = unit_create(actor=None, name="A", parent=root)
    a1 = unit_create(actor=None, name="A1", parent=a)
    b = unit_create(actor=None, name="B", parent=root)
    assert set(Unit.objects.subtree_of(a)) == {a, a1}
    assert set(Unit.objects.subtree_of(root, include_self=False)) == {a, a1, b}
    assert list(a1.ancestors()) == [root, a]
    assert a1.depth == 2


def test_moving_a_unit_moves_its_subtree(db):
    root = unit_create(actor=None, name="Root", parent=None)
    a = unit_create(actor=None, name="A", parent=root)
    a1 = unit_create(actor=None, name="A1", parent=a)
    a11 = unit_create(actor=None, name="A11", parent=a1)
    b = unit_create(actor=None, name="B", parent=root)
    unit_update(actor=None, unit=a1, name="A1", parent=b)
    a11.refresh_from_db()
    assert a11.path.startswith(b.path) and a11.depth == 3
    assert set(Unit.objects.subtree_of(b)) == {b, a1, a11}
    assert set(Unit.objects.subtree_of(a)) == {a}
    with pytest.raises(OrganisationError):
        unit_update(actor=None, unit=b, name="B", parent=a11)


def _queries(client, url):
    client.get(url)  # warm: the session's once-a-minute renewal is not the page's cost
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_admin_list_query_counts(cast, client_for):
    client = client_for(cast.ada)
    counts = [
        _queries(client, reverse(name))
        for name in ["administration:units", "administration:people", "administration:audit"]
    ]
    assert counts == [4, 3, 5], counts
