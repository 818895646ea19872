"""The anonymity engine: which groups' aggregates may be shown, so that no group of fewer than
`k` respondents can be read or computed from what is shown (PRODUCT.md, anonymity rules).

Plain Python with no Django, so it is property-tested in milliseconds, and used by every page,
API response and export that shows an aggregate.

The model. A round's respondents each belong to exactly one unit of a tree (the tree as it was
when the round opened, so a later move cannot create new overlaps). A *group* is a unit with
everything below it. Groups of one tree are laminar: two of them are nested or disjoint. For a
laminar family, what subtraction can isolate from the shown groups is exactly a union of their
*atoms*: a shown group minus its largest shown groups below it. Parent minus child, parent
minus all shown children and two overlapping (nested) groups are all such differences. So the
rule the engine enforces is:

    every shown group has at least k respondents, and each shown group's atom has either
    no respondents or at least k.

When an atom is too small, the smallest shown group beneath it is hidden as well
(complementary suppression), which merges that group's atom into the one above, until the
atom is large enough. Hiding a group changes no other group's atom, so the result does not
depend on the order groups are looked at.

Rounds are never added together: each round's figures stand alone, and a hidden round stays
hidden in a trend. A team too small to be shown sees its results as part of the nearest shown
unit above it (`shown_group_for`).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

# The smallest k an administrator may choose, and the default (PRODUCT.md, rule 1).
MIN_K = 3
DEFAULT_K = 5

Node = TypeVar("Node", bound=Hashable)
T = TypeVar("T")


def check_k(k: int) -> int:
    """k itself, or ValueError when it is below the minimum."""
    if k < MIN_K:
        raise ValueError(f"k must be at least {MIN_K}, not {k}")
    return k


def _children(parent: Mapping[Node, Node | None]) -> dict[Node, list[Node]]:
    children: dict[Node, list[Node]] = {node: [] for node in parent}
    for node, up in parent.items():
        if up is not None:
            if up not in parent:
                raise ValueError(f"{node!r} has a parent {up!r} that is not in the tree")
            children[up].append(node)
    return children


def _bottom_up(
    parent: Mapping[Node, Node | None], children: Mapping[Node, list[Node]] | None = None
) -> list[Node]:
    """Every node after all of its descendants (and no cycles): the tree level by level
    from the top, read backwards."""
    children = _children(parent) if children is None else children
    order = [node for node, up in parent.items() if up is None]
    for node in order:  # grows while it is read
        order.extend(children[node])
    if len(order) != len(parent):
        raise ValueError("The tree has a cycle")
    order.reverse()
    return order


def subtree_totals(
    parent: Mapping[Node, Node | None],
    direct: Mapping[Node, int],
    order: Sequence[Node] | None = None,
) -> dict[Node, int]:
    """Each unit's respondents with everything below it, from each unit's own (`order`: the
    tree bottom-up, when the caller has it already)."""
    totals = {node: direct.get(node, 0) for node in parent}
    for node in _bottom_up(parent) if order is None else order:
        up = parent[node]
        if up is not None:
            totals[up] += totals[node]
    return totals


def roll_up(
    parent: Mapping[Node, Node | None], direct: Mapping[Node, Sequence[int]], width: int
) -> dict[Node, list[int]]:
    """Each unit's histogram (counts per answer) with everything below it, from each unit's
    own: one pass over the tree, however many answers lie behind the counts."""
    totals = {node: list(direct.get(node, [0] * width)) for node in parent}
    for node in _bottom_up(parent):
        up = parent[node]
        if up is not None:
            row = totals[up]
            for i, count in enumerate(totals[node]):
                row[i] += count
    return totals


@dataclass(frozen=True)
class Disclosure(Generic[Node]):
    """What may be shown of one round: the groups, and each group's respondents."""

    k: int
    parent: Mapping[Node, Node | None]
    children: Mapping[Node, list[Node]]
    totals: Mapping[Node, int]
    shown: frozenset[Node]

    def is_shown(self, node: Node) -> bool:
        return node in self.shown

    def respondents(self, node: Node) -> int | None:
        """The group's number of respondents, or None when the group is hidden."""
        return self.totals[node] if node in self.shown else None

    def subtree(self, top: Node) -> list[Node]:
        """The units of a group: `top` with everything below it."""
        found, stack = [], [top]
        while stack:
            node = stack.pop()
            found.append(node)
            stack.extend(self.children[node])
        return found

    def groups(self) -> dict[Node, Node | None]:
        """`shown_group_for` of every unit."""
        return {node: self.shown_group_for(node) for node in self.parent}

    def shown_group_for(self, node: Node) -> Node | None:
        """The group whose results a unit sees: its own, or when that is hidden, the nearest
        shown unit above it (rule 6). None when nothing above it is shown either."""
        current: Node | None = node
        while current is not None and current not in self.shown:
            current = self.parent[current]
        return current


def disclose(
    *, parent: Mapping[Node, Node | None], direct: Mapping[Node, int], k: int = DEFAULT_K
) -> Disclosure[Node]:
    """Decide which groups of one round may be shown.

    `parent` maps every unit to the unit above it (None at the top); `direct` maps a unit to
    the respondents who belong to it directly (not below it)."""
    check_k(k)
    if any(count < 0 for count in direct.values()):
        raise ValueError("A number of respondents cannot be negative")
    children = _children(parent)
    order = _bottom_up(parent, children)
    totals = subtree_totals(parent, direct, order)
    shown = {node for node, total in totals.items() if total >= k}

    # Each node's highest shown groups below it, built from its children's as the tree is
    # walked bottom-up; a hidden child passes on its own.
    highest: dict[Node, list[Node]] = {}
    for node in order:
        below: list[Node] = []
        for child in children[node]:
            if child in shown:
                below.append(child)
            else:
                below.extend(highest[child])
        highest[node] = below
        if node not in shown:
            continue
        covered = sum(totals[group] for group in below)
        while 0 < totals[node] - covered < k:
            # Complementary suppression: hide the smallest shown group below (ties broken by
            # a stable order), which merges its atom into this one; the groups below it
            # take its place among this group's highest shown groups.
            smallest = min(below, key=lambda group: (totals[group], _order_key(group)))
            shown.discard(smallest)
            below.remove(smallest)
            covered -= totals[smallest]
            below.extend(highest[smallest])
            covered += sum(totals[group] for group in highest[smallest])
    return Disclosure(k=k, parent=parent, children=children, totals=totals, shown=frozenset(shown))


def _order_key(node: Hashable) -> str:
    return repr(node)


def shuffled(items: Iterable[T], *, secret: bytes, key: Callable[[T], str]) -> list[T]:
    """Comments in an order that says nothing about who wrote them or when (rule 5).

    The order is a keyed hash of each item's `key` (say, its id and round): the same on
    every page view, and without the installation's `secret` nobody can work back from it to
    the order the comments were written in."""
    return sorted(
        items, key=lambda item: hmac.new(secret, key(item).encode(), hashlib.sha256).digest()
    )
