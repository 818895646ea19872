"""The anonymity engine against every way of subtracting shown groups from each other.

The property tests draw random trees and respondents and check the engine's choice with
linear algebra that knows nothing of trees: a set of units' respondents can be computed from
the shown groups exactly when its indicator vector lies in the span of the shown groups'
vectors (over the rationals, which covers every sum and difference and more). No such set of
1 to k-1 respondents may exist."""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pulse.anonymity import (
    DEFAULT_K,
    MIN_K,
    check_k,
    disclose,
    roll_up,
    shuffled,
    subtree_totals,
)

# --- An independent judge -------------------------------------------------------------------


def _subtree(parent, node):
    members = {node}
    changed = True
    while changed:
        changed = False
        for child, up in parent.items():
            if up in members and child not in members:
                members.add(child)
                changed = True
    return members


def _rank(rows):
    rows = [list(map(Fraction, row)) for row in rows]
    rank, width = 0, len(rows[0]) if rows else 0
    for column in range(width):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][column] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for r in range(len(rows)):
            if r != rank and rows[r][column] != 0:
                factor = rows[r][column] / rows[rank][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[rank], strict=True)]
        rank += 1
    return rank


def derivable_small_groups(parent, direct, shown, k):
    """Every set of units with 1 to k-1 respondents whose figures follow from the shown
    groups' figures by any linear combination."""
    cells = [node for node in parent if direct.get(node, 0) > 0]
    vectors = []
    for group in shown:
        members = _subtree(parent, group)
        vectors.append([1 if cell in members else 0 for cell in cells])
    base = _rank(vectors) if vectors else 0
    found = []
    for size in range(1, len(cells) + 1):
        for chosen in combinations(cells, size):
            count = sum(direct[cell] for cell in chosen)
            if not 1 <= count < k:
                continue
            target = [1 if cell in chosen else 0 for cell in cells]
            if vectors and _rank([*vectors, target]) == base:
                found.append((chosen, count))
    return found


# --- Random trees -----------------------------------------------------------------------------


@st.composite
def rounds(draw, max_units=9):
    size = draw(st.integers(min_value=1, max_value=max_units))
    parent = {0: None}
    for node in range(1, size):
        parent[node] = draw(st.integers(min_value=0, max_value=node - 1))
    direct = {node: draw(st.integers(min_value=0, max_value=9)) for node in parent}
    k = draw(st.integers(min_value=MIN_K, max_value=7))
    return parent, direct, k


@settings(max_examples=400, deadline=None)
@given(rounds())
def test_no_group_smaller_than_k_can_be_computed_from_what_is_shown(case):
    parent, direct, k = case
    disclosure = disclose(parent=parent, direct=direct, k=k)
    for group in disclosure.shown:
        assert disclosure.totals[group] >= k
    assert derivable_small_groups(parent, direct, disclosure.shown, k) == []


@settings(max_examples=200, deadline=None)
@given(rounds())
def test_every_unit_sees_a_shown_group_that_contains_it(case):
    parent, direct, k = case
    disclosure = disclose(parent=parent, direct=direct, k=k)
    for node in parent:
        group = disclosure.shown_group_for(node)
        if group is not None:
            assert group in disclosure.shown
            assert node in _subtree(parent, group)
            assert disclosure.respondents(group) >= k
        else:
            assert disclosure.respondents(node) is None


@settings(max_examples=200, deadline=None)
@given(rounds())
def test_the_roll_up_equals_adding_up_every_answer(case):
    parent, direct, _k = case
    histograms = {node: [count, 2 * count, 0, 1, count % 3] for node, count in direct.items()}
    rolled = roll_up(parent, histograms, width=5)
    totals = subtree_totals(parent, direct)
    for node in parent:
        members = _subtree(parent, node)
        expected = [sum(histograms[m][i] for m in members) for i in range(5)]
        assert rolled[node] == expected
        assert totals[node] == sum(direct[m] for m in members)


# --- Each way of subtracting, by name ---------------------------------------------------------


def test_parent_minus_child():
    # The parent's own 2 people would be the parent's figures minus the child's.
    parent = {"P": None, "C": "P"}
    disclosure = disclose(parent=parent, direct={"P": 2, "C": 6}, k=5)
    assert disclosure.shown == {"P"}


def test_parent_minus_all_shown_children():
    # A and B are shown; C (2) is not, but would be P - A - B: one of A and B is hidden too.
    parent = {"P": None, "A": "P", "B": "P", "C": "P"}
    direct = {"A": 5, "B": 6, "C": 2}
    disclosure = disclose(parent=parent, direct=direct, k=5)
    assert "C" not in disclosure.shown
    assert disclosure.shown == {"P", "B"}
    assert derivable_small_groups(parent, direct, disclosure.shown, 5) == []


def test_two_overlapping_groups():
    # G contains H two levels down and M in between, which holds H's people and no others:
    # G - M and G - H are both G's own 3 people, so both M and H are hidden.
    parent = {"G": None, "M": "G", "H": "M"}
    disclosure = disclose(parent=parent, direct={"G": 3, "H": 6}, k=5)
    assert disclosure.shown == {"G"}
    # With nobody of G's own, all three are the same six people and all may be shown.
    assert disclose(parent=parent, direct={"H": 6}, k=5).shown == {"G", "M", "H"}


def test_a_small_team_sees_its_results_as_part_of_its_parent():
    parent = {"P": None, "T": "P", "S": "P"}
    disclosure = disclose(parent=parent, direct={"T": 4, "S": 7}, k=5)
    assert not disclosure.is_shown("T")
    assert disclosure.shown_group_for("T") == "P"
    # S would give away T's four as P - S, so S is seen as part of P too.
    assert disclosure.shown == {"P"}


def test_consecutive_rounds_of_a_changing_team():
    """Two people leave the team between rounds. Each round is decided on its own with the
    tree and respondents of that round; no figure adds rounds together, so a shown round
    minus another never isolates anyone, and the smaller round is hidden as a whole."""
    parent = {"P": None, "T": "P", "S": "P"}
    first = disclose(parent=parent, direct={"T": 6, "S": 6}, k=5)
    second = disclose(parent=parent, direct={"T": 4, "S": 6}, k=5)
    assert first.shown == {"P", "T", "S"}
    assert second.shown == {"P"}
    assert second.shown_group_for("T") == "P"
    # A unit moved before a round is judged in that round's tree alone.
    moved = {"P": None, "T": "P", "S": "T"}
    third = disclose(parent=moved, direct={"T": 4, "S": 6}, k=5)
    assert derivable_small_groups(moved, {"T": 4, "S": 6}, third.shown, 5) == []


def test_k_is_never_below_three():
    assert check_k(3) == 3 and DEFAULT_K == 5
    with pytest.raises(ValueError):
        disclose(parent={"P": None}, direct={"P": 10}, k=2)


def test_bad_trees_are_refused():
    with pytest.raises(ValueError):
        disclose(parent={"A": "B", "B": "A"}, direct={}, k=5)
    with pytest.raises(ValueError):
        disclose(parent={"A": "missing"}, direct={}, k=5)
    with pytest.raises(ValueError):
        disclose(parent={"A": None}, direct={"A": -1}, k=5)


def test_comments_are_shuffled_the_same_way_each_time_and_only_with_the_secret():
    comments = [(i, f"kommentar {i}") for i in range(20)]

    def order(secret):
        return shuffled(comments, secret=secret, key=lambda c: f"round-7:{c[0]}")

    once = order(b"installation secret")
    assert sorted(once) == comments and once != comments
    assert order(b"installation secret") == once
    assert order(b"another secret") != once
