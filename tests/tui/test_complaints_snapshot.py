"""A snapshot of the Complaints screen with fixed data and a fixed clock."""

from __future__ import annotations

from sp_tui.services.complaints import import_complaints
from tests.tui.conftest import TODAY, keys_then_settle


class TestComplaintsScreen:
    def test_complaints_open_first(self, snap_compare, db, make_service, make_app):
        make_service(service_ref="SP001")
        rows = [("CMP/24/1", "2009-01-21", "concluded", "2009-03-12", "letter"),
                ("CMP/24/2", "2009-02-09", "concluded", "2009-03-30", "email"),
                ("CMP/24/3", "2009-03-04", "contractual negotiation", None, "telephone"),
                ("CMP/24/4", "2009-03-20", "open", None, "in person")]
        import_complaints(db, [(n, {"ref": ref, "service_ref": "SP001", "received_date": rec,
                                    "summary": "Support plan not reviewed", "status": status,
                                    "closed_date": closed, "channel": channel,
                                    "officer": "K. Brennan"})
                               for n, (ref, rec, status, closed, channel) in enumerate(rows, 2)],
                          today=TODAY)
        assert snap_compare(make_app(quarter=24), run_before=keys_then_settle("5"),
                            terminal_size=(120, 24))
