"""SearchInput: an Input that reports its text once typing pauses (or on Enter), so a
screen runs one SQL query per search rather than one per key."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input

SEARCH_DELAY = 0.15  # seconds of quiet typing before the search runs


class SearchInput(Input):
    @dataclass
    class Settled(Message):
        """The search text to apply; ``submitted`` when the user pressed Enter."""

        search: SearchInput
        value: str
        submitted: bool

        @property
        def control(self) -> SearchInput:
            return self.search

    _timer: Timer | None = None

    def _on_input_changed(self, event: Input.Changed) -> None:
        # Our own Changed events only: restart the quiet-typing timer.
        if event.input is not self:
            return
        if self._timer:
            self._timer.stop()
        self._timer = self.set_timer(SEARCH_DELAY, self._settle)

    def _on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input is not self:
            return
        if self._timer:
            self._timer.stop()
        self.post_message(self.Settled(self, self.value, submitted=True))

    def _settle(self) -> None:
        self.post_message(self.Settled(self, self.value, submitted=False))
