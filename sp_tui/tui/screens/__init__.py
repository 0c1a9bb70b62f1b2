"""The app's areas, in the order of their number keys. Each area registers one line here."""

from sp_tui.tui.screens.alerts import AlertsScreen
from sp_tui.tui.screens.audit import AuditScreen
from sp_tui.tui.screens.complaints import ComplaintsScreen
from sp_tui.tui.screens.conflicts import ConflictsScreen
from sp_tui.tui.screens.dashboard import DashboardScreen
from sp_tui.tui.screens.kpis import KpisScreen
from sp_tui.tui.screens.outcomes import OutcomesScreen
from sp_tui.tui.screens.reconnection import ReconnectionScreen
from sp_tui.tui.screens.services import ServicesScreen
from sp_tui.tui.screens.visits import VisitsScreen
from sp_tui.tui.screens.workbooks import WorkbooksScreen

AREAS = [
    DashboardScreen,
    ServicesScreen,
    VisitsScreen,
    WorkbooksScreen,
    ComplaintsScreen,
    AlertsScreen,
    KpisScreen,
    OutcomesScreen,
    ReconnectionScreen,
    ConflictsScreen,
    AuditScreen,
]
