"""Command palette entries named "area: action": "go to: <area>" for every area, and every
screen's own actions (its PALETTE)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from sp_tui.tui.areas import UI_AREAS


class AreaCommands(Provider):
    def _commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        app: Any = self.app
        commands: list[tuple[str, str, Callable[[], Any]]] = []
        for area in UI_AREAS:
            keys = f"key {area.key}, or g {area.letter}" if area.key else f"g {area.letter}"
            commands.append((f"go to: {area.title.lower()}", f"{area.title} ({keys})",
                             partial(app.action_switch_area, area.area_id)))
        commands += [
            ("quarter: next", "Select the next quarter (])", partial(app.action_step_quarter, 1)),
            ("quarter: previous", "Select the previous quarter ([)",
             partial(app.action_step_quarter, -1)),
            ("import: a spreadsheet (CSV or xlsx)",
             "Pick the file, map values not in the lists, import all or nothing (i)",
             app.action_import_file),
            ("theme: toggle light/dark", "Ctrl+T", app.action_toggle_dark),
            ("help: keys", "Every key binding (?)", app.action_help),
        ]
        for area in UI_AREAS:
            for title, help_text, action in getattr(area.screen_class(), "PALETTE", []):
                commands.append((title, help_text, partial(self._run_in_area, area.area_id,
                                                           action)))
        return commands

    async def _run_in_area(self, area_id: str, action: str) -> None:
        app = self.app
        if app.current_mode != area_id:
            await app.switch_mode(area_id)
        await app.screen.run_action(action)

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
