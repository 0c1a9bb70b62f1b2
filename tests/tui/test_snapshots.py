"""Snapshots of the main screens with fixed data and a fixed clock."""

from __future__ import annotations

from sp_tui.services.registry import import_services
from tests.conftest import service_fields

from tests.tui.conftest import keys_then_settle


class TestServicesScreen:
    def test_services_register(self, snap_compare, db, make_app):
        import_services(db, [
            (2, service_fields(service_ref="SP001", service_name="Harbour House")),
            (3, service_fields(service_ref="SP002", service_name="Dover Floating Support",
                               service_type="Floating support", term="long", district="Dover",
                               provider="Channel Care")),
            (4, service_fields(service_ref="SP003", service_name="Old Mill Court",
                               end_date="2008-09-30", service_type="Sheltered housing",
                               client_group="Older people with support needs", term="long")),
        ])
        assert snap_compare(make_app(quarter=24), terminal_size=(120, 30),
                            run_before=keys_then_settle("2"))


class TestWorkbooksScreen:
    def test_workbooks_quarter(self, snap_compare, db, make_app):
        from datetime import date

        from sp_tui.domain.quarters import Quarter
        from sp_tui.services.workbook_imports import import_reminders
        from sp_tui.services.workbooks import excuse_workbook, receive_workbook

        import_services(db, [
            (n + 2, service_fields(service_ref=f"SP{n:03d}", service_name=name,
                                   provider=provider, district=district))
            for n, (name, provider, district) in enumerate([
                ("Harbour House", "Harbour Trust", "Thanet"),
                ("Dover Floating Support", "Channel Care", "Dover"),
                ("Old Mill Court", "Harbour Trust", "Thanet"),
                ("Beacon Foyer", "Beacon Homes", "Ashford"),
                ("Riverside Refuge", "Channel Care", "Swale")])])
        q24, today = Quarter(24), date(2009, 11, 20)
        receive_workbook(db, "SP000", q24, "2009-04-28", today=today)
        receive_workbook(db, "SP001", q24, "2009-05-06", today=today)
        excuse_workbook(db, "SP002", q24, "upload system fault", "2009-04-29", today=today)
        import_reminders(db, [(2, {"service_ref": "SP003", "quarter": 24,
                                   "sent_date": "2009-05-01"})], today=today)
        assert snap_compare(make_app(quarter=24), terminal_size=(120, 40),
                            run_before=keys_then_settle("4"))


class TestDashboard:
    def test_dashboard_on_the_demo_data(self, snap_compare, db, make_app):
        from sp_tui.areas import build_demo
        from tests.tui.conftest import TODAY

        build_demo(db, 1, today=TODAY)
        assert snap_compare(make_app(quarter=26), terminal_size=(120, 40),
                            run_before=keys_then_settle())
