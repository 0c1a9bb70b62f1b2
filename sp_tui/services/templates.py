"""Letter wording lives in template files (``string.Template``, ``${name}`` placeholders)
shipped with sp-tui in ``sp_tui/templates``. A team can word its own letters: a file of the
same name in a ``templates`` folder beside the database (or in $SP_TUI_TEMPLATES) wins."""

from __future__ import annotations

import os
from pathlib import Path
from string import Template

from sp_tui.domain.errors import ValidationError

PACKAGED = Path(__file__).resolve().parent.parent / "templates"
FOLDER = "templates"


def template_folders(beside: Path | None) -> list[Path]:
    """Where templates are looked for, first match wins."""
    folders = []
    if os.environ.get("SP_TUI_TEMPLATES"):
        folders.append(Path(os.environ["SP_TUI_TEMPLATES"]).expanduser())
    if beside is not None:
        folders.append(beside / FOLDER)
    folders.append(PACKAGED)
    return folders


def render(name: str, values: dict[str, object], *, beside: Path | None = None) -> str:
    """The template ``name`` (e.g. "reminder.md") filled in. A team's template that names a
    placeholder sp-tui does not know is refused with the placeholder named."""
    for folder in template_folders(beside):
        path = folder / name
        if path.is_file():
            template = Template(path.read_text("utf-8"))
            try:
                return template.substitute({k: str(v) for k, v in values.items()})
            except (KeyError, ValueError) as exc:
                known = ", ".join(f"${{{k}}}" for k in sorted(values))
                raise ValidationError({"template": f"{path}: unknown or malformed placeholder"
                                                   f" {exc}; known: {known}"}) from None
    raise ValidationError({"template": f"no template {name} in "
                                       + ", ".join(map(str, template_folders(beside)))})
