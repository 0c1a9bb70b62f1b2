"""Copies and merging: open merge conflicts need someone to settle them."""

from sp_tui.areas.base import Area
from sp_tui.reports.conflicts import conflict_attention

AREA = Area(area_id="conflicts", title="Conflicts", attention=(conflict_attention,))
