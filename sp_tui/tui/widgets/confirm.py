"""ConfirmModal: a yes/no question before a bulk or irreversible action.

Which button Enter presses is chosen per question (``default``): the action itself where the
key the officer pressed already asked for it and the dialog only shows whom it concerns
(send reminders, merge after the dry run, keep editing a form), "No" where the action cannot
be undone here and carries consequences (default notices, deleting a visit, replacing a
file). A "No" is never silent: ``cancelled`` is said in a toast.
"""

from __future__ import annotations

from typing import Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static


class ConfirmModal(ModalScreen[bool]):
    """Dismisses with True only on an explicit yes; Escape and "n" mean no."""

    DEFAULT_CSS = """
    ConfirmModal { align: center middle; }
    ConfirmModal > Vertical {
        width: 90; max-width: 95%; height: auto; max-height: 90%;
        border: thick $warning; background: $surface; padding: 1 2;
    }
    ConfirmModal .title { text-style: bold; margin-bottom: 1; width: 100%; }
    ConfirmModal VerticalScroll { height: auto; max-height: 20; }
    ConfirmModal Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    ConfirmModal Button { margin-left: 2; }
    """
    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("d", "discard", "Discard", show=False),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, title: str, body: str = "", *, yes_label: str = "Yes",
                 no_label: str = "No", default: Literal["yes", "no"] = "no",
                 cancelled: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        """The question, e.g. "Send 12 reminders?". Plain text, wrapped, never clipped."""
        self.body = body
        """Details: to whom, how many. Shown as plain text, never markup."""
        self.yes_label = yes_label
        self.no_label = no_label
        self.default = default
        """The button that has focus, so that Enter presses it."""
        self.cancelled = cancelled
        """Said in a toast when the answer is no (None: the caller says what happened)."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.title_text), classes="title")
            if self.body:
                with VerticalScroll():
                    yield Static(Text(self.body))
            with Horizontal():
                yield Button(Text(self.no_label), id="no")
                yield Button(Text(self.yes_label), id="yes", variant="warning")

    def on_mount(self) -> None:
        self.query_one(f"#{self.default}", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_answer(event.button.id == "yes")

    def action_discard(self) -> None:
        """"d" answers yes only where the yes button says Discard."""
        if self.yes_label.lower().startswith("discard"):
            self.action_answer(True)

    def action_answer(self, answer: bool) -> None:
        if not answer and self.cancelled:
            self.app.notify(self.cancelled)
        self.dismiss(answer)
