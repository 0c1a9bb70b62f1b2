"""Snapshots of the main screens with fixed data and a fixed clock."""

from __future__ import annotations

from sp_tui.services.registry import import_services
from tests.conftest import service_fields


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
        assert snap_compare(make_app(quarter=24), terminal_size=(120, 30), press=["2"])
