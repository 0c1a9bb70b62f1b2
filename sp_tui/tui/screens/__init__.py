"""The app's areas, in the order of their number keys. Each area registers one line here."""

from sp_tui.tui.screens.audit import AuditScreen
from sp_tui.tui.screens.services import ServicesScreen

AREAS = [
    ServicesScreen,
    AuditScreen,
]
