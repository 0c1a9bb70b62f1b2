"""Form helpers: a labelled field with an inline error line, and a modal form base."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Generic, Optional, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, Static


class Field(Vertical):
    """A label, an input widget and the line where its validation message appears."""

    DEFAULT_CSS = """
    Field { height: auto; margin-bottom: 0; }
    Field > Label { color: $text-muted; padding-left: 1; }
    """

    def __init__(self, label: str, control: Widget, *, name: str) -> None:
        super().__init__(id=f"field-{name}")
        self.label = label
        self.control = control
        self.field_name = name

    def compose(self) -> ComposeResult:
        yield Label(Text(self.label))
        yield self.control
        yield Static("", classes="field-error -empty", id=f"error-{self.field_name}")

    def show_error(self, message: str | None) -> None:
        error = self.query_one(".field-error", Static)
        error.update(Text(message or ""))  # messages quote user input: never markup
        error.set_class(not message, "-empty")
        self.control.set_class(bool(message), "-invalid")


ResultT = TypeVar("ResultT")


class FormModal(ModalScreen[Optional[ResultT]], Generic[ResultT]):  # noqa: UP007 (runtime)
    """A modal form: Ctrl+S saves, Escape cancels; invalid input keeps it open with the
    messages shown under the fields. Subclasses build ``fields()`` and implement ``save()``,
    which calls a service function and returns the dismiss value, a ``ResultT`` (raising
    ValidationError); a cancelled form dismisses with None."""

    DEFAULT_CSS = """
    FormModal { align: center middle; }
    FormModal > Vertical {
        width: 84; max-width: 95%; height: auto; max-height: 95%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    FormModal .form-title { text-style: bold; padding: 1 1 0 1; }
    FormModal VerticalScroll { height: auto; max-height: 100%; }
    FormModal .form-error { color: $error; padding: 0 1; }
    FormModal .form-buttons { height: auto; align-horizontal: right; padding: 1 0; }
    FormModal .form-buttons Button { margin-left: 2; }
    FormModal .row { height: auto; }
    FormModal .row > Field { width: 1fr; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]
    FORM_TITLE = "Form"

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.FORM_TITLE), classes="form-title")  # may hold names
            with VerticalScroll():
                yield from self.fields()
            yield Static("", classes="form-error", id="form-error")
            with Horizontal(classes="form-buttons"):
                yield Button("Cancel (Esc)", id="cancel")
                yield Button("Save (Ctrl+S)", id="save", variant="primary")

    def fields(self) -> ComposeResult:
        yield from ()

    def values(self) -> dict[str, object]:
        """Every Field's current value, by field name (Select blank -> None)."""
        result: dict[str, object] = {}
        for field in self.query(Field):
            control = field.control
            if isinstance(control, Select):
                value = control.value
                result[field.field_name] = None if value is Select.NULL else value
            elif isinstance(control, Checkbox):
                result[field.field_name] = control.value
            elif isinstance(control, Input):
                result[field.field_name] = control.value
        return result

    def show_errors(self, errors: Mapping[str, str]) -> None:
        names = set()
        for field in self.query(Field):
            names.add(field.field_name)
            field.show_error(errors.get(field.field_name))
        general = [msg for name, msg in errors.items() if name not in names]
        self.query_one("#form-error", Static).update(Text("\n".join(general)))
        for field in self.query(Field):
            if field.field_name in errors:
                field.control.focus()
                if isinstance(field.control, Input):
                    # already focused (Ctrl+S typed in it): select so typing replaces it
                    field.control.select_all()
                break

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        elif event.button.id == "cancel":
            self.action_cancel()

    def action_save(self) -> None:
        from sp_tui.domain.errors import ValidationError

        try:
            result = self.save(self.values())
        except ValidationError as exc:
            self.show_errors(exc.errors)
            self.app.bell()
            return
        except sqlite3.Error as exc:
            # e.g. another officer saved the same reference a moment ago, or the disk is
            # full: the transaction was rolled back, so say so and keep the form open.
            from sp_tui.store.connection import BUSY_MESSAGE, is_busy

            self.show_errors({"": f"Nothing was saved: {BUSY_MESSAGE}." if is_busy(exc) else
                              f"Nothing was saved: the database refused the change"
                              f" ({exc}). Check the values and try again."})
            self.app.bell()
            return
        self.dismiss(result)

    def save(self, values: dict[str, object]) -> ResultT:
        raise NotImplementedError

    def on_mount(self) -> None:
        # What the form held when it opened: Esc asks before discarding anything typed since.
        self.call_after_refresh(self._remember_initial)

    def _remember_initial(self) -> None:
        self._initial_values = self.values()

    def changed(self) -> bool:
        initial = getattr(self, "_initial_values", None)
        return initial is not None and self.values() != initial

    def action_cancel(self) -> None:
        if not self.changed():
            self.dismiss(None)
            return
        from sp_tui.tui.widgets.confirm import ConfirmModal

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        # Enter keeps editing: losing typed input must be chosen ("d" or the button).
        self.app.push_screen(ConfirmModal(
            "Discard what you typed?", "The form has changes that are not saved.",
            yes_label="Discard (d)", no_label="Keep editing", default="no"), answered)
