"""A tree of units shown folded, for pages that would otherwise list every unit of a
municipality: the top levels open, and each unit with units below a link to the same page with
it opened or closed. Which units are open is the page's address (`?open=1,2,3`), so a link
works without JavaScript, the back button folds again, and htmx need only swap the table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Fold:
    """A shown unit's place in the folded tree: how many units are directly below it, whether
    they are shown, and the value of `?open=` that opens or closes it ("" without units below)."""

    children: int
    open: bool
    toggle: str


def open_ids(query: Mapping[str, str]) -> set[int] | None:
    """The ids in `?open=1,2,3`, or None without it (the tree as it opens). What is not an id is
    left out, and an id of no unit opens nothing."""
    if "open" not in query:
        return None
    return {int(part) for part in query["open"].split(",") if part.isdigit()}


def folded(
    tree: Sequence[tuple[int, int | None, int]],
    opened: set[int] | None,
    *,
    open_depth: int,
    every_unit: bool = False,
) -> dict[int, Fold]:
    """The units of `tree` to show, in its order, each with its fold. `tree` lists
    (id, parent id, depth) with every unit after its parent; a unit whose parent is not in it is
    a top of the tree and always shown. `opened` are the open units; None opens the units less
    than `open_depth` deep. A unit is shown when its parent is shown and open. `every_unit`
    shows the whole tree open, without links (a CSV)."""
    children: dict[int, int] = {}
    parents: dict[int, int | None] = {}
    for pk, parent_id, _depth in tree:
        parents[pk] = parent_id
        if parent_id is not None:
            children[parent_id] = children.get(parent_id, 0) + 1
    if every_unit:
        return {pk: Fold(children.get(pk, 0), pk in children, "") for pk, _parent, _depth in tree}
    if opened is None:
        opened = {pk for pk, _parent, depth in tree if depth < open_depth}
    opened = {pk for pk in opened if pk in children}

    # The open units below each open unit: closing a unit closes them too.
    open_below: dict[int, set[int]] = {pk: set() for pk in opened}
    for pk in opened:
        parent = parents.get(pk)
        while parent is not None:
            if parent in open_below:
                open_below[parent].add(pk)
            parent = parents.get(parent)

    def toggle(pk: int) -> str:
        ids = opened - {pk} - open_below[pk] if pk in opened else opened | {pk}
        return ",".join(str(other) for other in sorted(ids))

    shown: dict[int, Fold] = {}
    for pk, parent_id, _depth in tree:
        if parent_id not in parents or (parent_id in shown and parent_id in opened):
            shown[pk] = Fold(
                children=children.get(pk, 0),
                open=pk in opened,
                toggle=toggle(pk) if pk in children else "",
            )
    return shown
