"""Provider contact details (issue 13, friction 6): import, form service, letters, mail merge."""

from __future__ import annotations

import csv
from datetime import timedelta

import pytest

from sp_tui.domain.errors import ImportFailed, ValidationError
from sp_tui.reports.reference import provider_contact
from sp_tui.services.registry import import_services, save_service
from sp_tui.services.workbook_runs import send_reminders
from tests.conftest import service_fields
from tests.workbooks_support import DEADLINE, Q24, TODAY

CONTACT = {"contact_name": "Jo Bloggs", "address": "1 Quay Street\nMargate; CT9 1AA",
           "email": "jo@harbour.example"}


def test_import_sets_the_contact_details(db):
    import_services(db, [(2, service_fields(**CONTACT)),
                         (3, service_fields(service_ref="SP002", contact_name="",
                                            address="", email=""))])
    assert provider_contact(db, "Harbour Trust") == {
        "contact_name": "Jo Bloggs", "address": "1 Quay Street\nMargate\nCT9 1AA",
        "email": "jo@harbour.example"}
    # blank cells leave the details as they are on a re-import
    import_services(db, [(2, service_fields(contact_name="", email=""))])
    assert provider_contact(db, "Harbour Trust")["email"] == "jo@harbour.example"


def test_two_rows_disagreeing_on_a_provider_detail_is_an_error(db):
    with pytest.raises(ImportFailed) as caught:
        import_services(db, [(2, service_fields(email="a@x.example")),
                             (3, service_fields(service_ref="SP002", email="b@x.example"))])
    assert caught.value.errors == [(3, "email of 'Harbour Trust' differs from row 2")]


def test_a_bad_email_is_refused(db):
    with pytest.raises(ValidationError, match="not an email address"):
        save_service(db, service_fields(email="jo at harbour"))


def test_the_form_changes_and_clears_details_with_an_audit_row(db):
    sid = save_service(db, service_fields(**CONTACT))
    save_service(db, service_fields(contact_name="Sam Smith", address="", email=""),
                 service_id=sid)
    assert provider_contact(db, "Harbour Trust") == {"contact_name": "Sam Smith",
                                                     "address": "", "email": ""}
    assert db.execute("SELECT count(*) FROM audit_log WHERE action = 'provider.edit'"
                      ).fetchone()[0] == 1


def test_letters_and_mail_merge_carry_the_address(db, tmp_path):
    save_service(db, service_fields(**CONTACT))
    run = send_reminders(db, Q24, sent=DEADLINE + timedelta(days=1), today=TODAY,
                         outbox=tmp_path)
    letter = (run.folder / "Harbour-Trust.md").read_text()
    assert "**To:** Jo Bloggs  \nHarbour Trust  \n1 Quay Street  \nMargate  \nCT9 1AA  \n" \
           "jo@harbour.example  " in letter
    with open(run.folder / "mail-merge.csv", newline="", encoding="utf-8") as handle:
        row = next(csv.DictReader(handle))
    assert (row["contact_name"], row["address"], row["email"]) == (
        "Jo Bloggs", "1 Quay Street, Margate, CT9 1AA", "jo@harbour.example")
