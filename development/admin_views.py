"""Administration of the competence framework: its focus areas and the four levels of each, in
Danish and English. For administrators only; to anyone else the page does not exist (404). An
administrator never reads a self-assessment here: only how many use the framework."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.access import administrator_required
from core.forms import rows_edited
from core.http import AuthenticatedRequest
from development import selectors
from development.models import AREAS_ADVISED, LEVELS
from development.services import AreaText, DevelopmentError, framework_new_version

# The row "Add a focus area" adds.
_EMPTY_AREA = AreaText("", "", "", "", "", [""] * len(LEVELS), [""] * len(LEVELS))

# The texts of an area as the form posts them, each a list with one entry per area.
_NAMES = ("name", "description", *(f"level_{level}" for level in LEVELS))


@administrator_required
@require_http_methods(["GET", "POST"])
def framework_edit(request: AuthenticatedRequest) -> HttpResponse:
    """The framework's areas as rows. Adding, removing and moving an area show the form again
    without saving (it works without JavaScript); saving makes a new version."""
    editor = selectors.for_framework_editor()
    rows, action = editor.rows, request.POST.get("action", "")
    incomplete: list[int] = []
    if request.method == "POST":
        rows = rows_edited(_posted_rows(request), action, new=_EMPTY_AREA)
        if action == "save":
            try:
                framework = framework_new_version(areas=rows, by=request.user)
            except DevelopmentError as error:
                messages.error(request, str(error))
                # Where to look: the areas begun but not filled in.
                incomplete = [
                    n
                    for n, row in enumerate(rows)
                    if any(text.strip() for text in _texts(row))
                    and not all(text.strip() for text in _texts(row))
                ]
            else:
                messages.success(
                    request,
                    _(
                        "Saved as version %(version)d. Self-assessments from now on use it; "
                        "those made before keep the version they were made with."
                    )
                    % {"version": framework.version},
                )
                if framework.areas.count() > AREAS_ADVISED:
                    messages.warning(request, _too_many())
                return redirect("development_admin:framework")
    return render(
        request,
        "development/admin/framework.html",
        {
            "editor": editor,
            "rows": [_EditorRow(n, row, n in incomplete) for n, row in enumerate(rows)],
            "unsaved": request.method == "POST",
            "too_many": len([row for row in rows if any(t.strip() for t in _texts(row))])
            > AREAS_ADVISED,
            "advised": AREAS_ADVISED,
        },
        status=400 if action == "save" else 200,
    )


def _too_many() -> str:
    return _(
        "The framework has more than %(count)d focus areas. It is saved, but with so many "
        "a self-assessment takes long and says less: consider joining some."
    ) % {"count": AREAS_ADVISED}


def _texts(row: AreaText) -> list[str]:
    return [
        row.name_da,
        row.name_en,
        row.description_da,
        row.description_en,
        *row.levels_da,
        *row.levels_en,
    ]


def _posted_rows(request: AuthenticatedRequest) -> list[AreaText]:
    names = ["key", *(f"{name}_{lang}" for name in _NAMES for lang in ("da", "en"))]
    fields = {name: request.POST.getlist(name) for name in names}
    count = max(len(values) for values in fields.values())
    padded = {name: values + [""] * (count - len(values)) for name, values in fields.items()}
    return [
        AreaText(
            key=padded["key"][n],
            name_da=padded["name_da"][n],
            name_en=padded["name_en"][n],
            description_da=padded["description_da"][n],
            description_en=padded["description_en"][n],
            levels_da=[padded[f"level_{level}_da"][n] for level in LEVELS],
            levels_en=[padded[f"level_{level}_en"][n] for level in LEVELS],
        )
        for n in range(count)
    ]


@dataclass(frozen=True)
class _Field:
    """One text of an area in the editor: its posted name, its label, its value, and whether
    it is to be filled in (an area begun with this text empty)."""

    id: str
    name: str
    label: str
    value: str
    multiline: bool
    lang: str
    missing: bool


@dataclass(frozen=True)
class _EditorRow:
    """An area in the editor: its fields in pairs, Danish beside English."""

    index: int
    area: AreaText
    incomplete: bool

    @property
    def number(self) -> int:
        return self.index + 1

    @property
    def pairs(self) -> list[tuple[_Field, _Field]]:
        texts = [
            ("name", _("Name"), self.area.name_da, self.area.name_en, False),
            (
                "description",
                _("Description"),
                self.area.description_da,
                self.area.description_en,
                True,
            ),
            *(
                (
                    f"level_{level}",
                    _("Level %(level)d") % {"level": level},
                    self.area.levels_da[level - 1],
                    self.area.levels_en[level - 1],
                    True,
                )
                for level in LEVELS
            ),
        ]
        return [
            (
                self._field(name, _("%(text)s (Danish)") % {"text": label}, da, multiline, "da"),
                self._field(name, _("%(text)s (English)") % {"text": label}, en, multiline, "en"),
            )
            for name, label, da, en, multiline in texts
        ]

    def _field(self, name: str, label: str, value: str, multiline: bool, lang: str) -> _Field:
        return _Field(
            id=f"{name.replace('_', '-')}-{lang}-{self.number}",
            name=f"{name}_{lang}",
            label=label,
            value=value,
            multiline=multiline,
            lang=lang,
            missing=self.incomplete and not value.strip(),
        )
