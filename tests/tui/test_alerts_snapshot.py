"""A snapshot of the Safeguarding screen: an alert waiting past its referral day in red."""

from __future__ import annotations

from sp_tui.services.alerts import import_alerts
from tests.tui.conftest import TODAY, keys_then_settle


class TestAlertsScreen:
    def test_alerts_with_an_overdue_referral(self, snap_compare, db, make_service, make_app):
        make_service(service_ref="SP001", service_type="Sheltered housing")
        make_service(service_ref="SP002", service_type="Floating support")
        rows = [("SGA/27/1", "SP001", "2009-10-05", "financial", "2009-10-05", "2009-11-02"),
                ("SGA/27/2", "SP002", "2009-10-14", "physical", "2009-10-16", None),
                ("SGA/27/3", "SP001", "2009-11-12", "sexual", None, None),
                ("SGA/27/4", "SP002", "2009-11-19", "neglect", None, None)]
        import_alerts(db, [(n, {"ref": ref, "service_ref": svc, "received_date": rec,
                                "nature": nature, "referred_date": referred,
                                "status": "closed" if closed else "open", "closed_date": closed,
                                "officer": "P. Evans"})
                           for n, (ref, svc, rec, nature, referred, closed) in enumerate(rows, 2)],
                      today=TODAY)
        assert snap_compare(make_app(quarter=27), run_before=keys_then_settle("6"),
                            terminal_size=(120, 24))
