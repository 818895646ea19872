"""Links to one of many objects by their ids, reversed once a process for each URL name, where
Django's `reverse` works the same pattern out again for each object: the leader's week links
thirty check-ins, and reversing took longer than the rest of their links' work.

`link("checkins:detail", checkin_id=7)` is `reverse("checkins:detail", kwargs={"checkin_id":
7})`, for URLs whose parts are ids (`<int:...>`); `link("feedback:detail", 7)` the same with
`args`. The pattern is reversed with marks where the ids go and kept per URL name, the names of
its ids and the script prefix the server is mounted under (`reverse` puts it in front)."""

from __future__ import annotations

from functools import lru_cache

from django.urls import get_script_prefix, reverse

# Numbers no other part of a URL of Sparring's is made of; one for each id in a URL.
_MARK = 9_173_620_480


@lru_cache(maxsize=512)
def _pattern(name: str, names: tuple[str, ...], count: int, prefix: str) -> str:
    """The URL with `{0}`, `{1}`, ... where its ids go, in the order given."""
    marks = [str(_MARK + i) for i in range(len(names) or count)]
    if names:
        url = reverse(name, kwargs=dict(zip(names, marks, strict=True)))
    else:
        url = reverse(name, args=marks)
    pattern = url.replace("{", "{{").replace("}", "}}")
    for i, mark in enumerate(marks):
        if pattern.count(mark) != 1:
            raise ValueError(f"{name}: its ids are not parts of their own")
        pattern = pattern.replace(mark, f"{{{i}}}")
    return pattern


def link(name: str, *args: int, **kwargs: int) -> str:
    """The URL of `name` for these ids, as `reverse` writes it."""
    if args and kwargs:
        raise TypeError("ids by position or by name, not both (as reverse)")
    pattern = _pattern(name, tuple(kwargs), len(args), get_script_prefix())
    return pattern.format(*(int(value) for value in (*args, *kwargs.values())))
