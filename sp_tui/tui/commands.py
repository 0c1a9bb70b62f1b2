"""Command palette entries named "area: action" for every screen and screen action."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class AreaCommands(Provider):
    def _commands(self) -> list[tuple[str, str, object]]:
        from sp_tui.tui.screens import AREAS

        app = self.app
        commands: list[tuple[str, str, object]] = []
        for area in AREAS:
            key = f" (key {area.AREA_KEY})" if area.AREA_KEY else ""
            commands.append((f"screen: {area.AREA_TITLE.lower()}", f"Go to {area.AREA_TITLE}{key}",
                             partial(app.action_switch_area, area.AREA_ID)))
        commands += [
            ("quarter: next", "Select the next quarter (])", partial(app.action_step_quarter, 1)),
            ("quarter: previous", "Select the previous quarter ([)",
             partial(app.action_step_quarter, -1)),
            ("theme: toggle light/dark", "Ctrl+T", app.action_toggle_dark),
            ("help: keys", "Every key binding (?)", app.action_help),
        ]
        for area in AREAS:
            for title, help_text, action in area.PALETTE:
                commands.append((title, help_text, partial(self._run_in_area, area.AREA_ID,
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
