"""Adding and editing providers, services and reference values; importing a services file."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

import sqlite_utils

from sp_tui.domain.errors import ImportFailed, NotFound, ValidationError
from sp_tui.domain.reference import KINDS
from sp_tui.domain.registry import CONTACT_FIELDS, validate_service
from sp_tui.domain.values import clean_text
from sp_tui.reports.reference import reference_lists
from sp_tui.services.contracts import sync_register_units  # issue 17: units -> versions
from sp_tui.services.import_lists import match_rows, save_matches
from sp_tui.store.connection import write
from sp_tui.store.records import audit, audit_many, new_id, now_iso

_COLUMNS = ("service_ref", "name", "provider_id", "service_type", "client_group", "district",
            "term", "household_units", "leaseholder_units", "workbook_required", "start_date",
            "end_date")


def add_reference_value(db: sqlite_utils.Database, kind: str, value: str,
                        *, source: str | None = None) -> str:
    if kind not in KINDS:
        raise ValidationError({"kind": f"kind must be one of {', '.join(KINDS)}"})
    try:
        text = clean_text(value, field=KINDS[kind], limit=200)
    except ValueError as exc:
        raise ValidationError({"value": str(exc)}) from None
    existing = {v.casefold() for v in reference_lists(db)[kind]}
    if text.casefold() in existing:
        raise ValidationError({"value": f"{KINDS[kind]} {text!r} is already in the list"})
    with write(db):
        db.execute("INSERT INTO reference_values (kind, value, updated_at) VALUES (?, ?, ?)",
                   (kind, text, now_iso()))
        audit(db, action="reference.add", entity="reference_value", entity_id=f"{kind}:{text}",
              summary=f"added {KINDS[kind]} {text!r}", new={"kind": kind, "value": text},
              source=source)
    return text


def unknown_provider_message(db: sqlite_utils.Database, name: str) -> str:
    """Why a provider name that matches no provider is refused, naming the closest ones."""
    names = [r[0] for r in db.execute("SELECT name FROM providers")]
    folded = name.casefold()
    close = [n for n in names if n.casefold().startswith(folded)]
    close += [n for n in difflib.get_close_matches(name, names, n=3, cutoff=0.6)
              if n not in close]
    hint = f" (closest: {', '.join(repr(n) for n in sorted(close)[:3])})" if close else ""
    return (f"no provider is named {name!r}{hint}: pick one from the list, or confirm that"
            " it is a new provider")


def _provider_id(db: sqlite_utils.Database, name: str, *, source: str | None,
                 contact: Mapping[str, str] | None = None, create: bool = True) -> str:
    """The provider with this name (case-insensitive), created if new (``create``; else
    refused), its contact details set from ``contact`` (the CONTACT_FIELDS given). Call
    inside ``write``."""
    contact = dict(contact or {})
    row = db.execute("SELECT id FROM providers WHERE name = ? COLLATE NOCASE", (name,)).fetchone()
    if row:
        set_provider_contact(db, row[0], contact, source=source)
        return row[0]
    if not create:
        raise ValidationError({"provider": unknown_provider_message(db, name)})
    provider_id, stamp = new_id(), now_iso()
    values = {f: contact.get(f, "") for f in CONTACT_FIELDS}
    db.execute("INSERT INTO providers (id, name, contact_name, address, email, created_at,"
               " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
               (provider_id, name, *values.values(), stamp, stamp))
    audit(db, action="provider.add", entity="provider", entity_id=provider_id,
          summary=f"added provider {name!r}", new={"name": name} | contact, source=source)
    return provider_id


def set_provider_contact(db: sqlite_utils.Database, provider_id: str,
                         contact: Mapping[str, str], *, source: str | None) -> bool:
    """Change the given contact details of a provider (call inside ``write``). Returns
    whether anything changed."""
    fields = [f for f in CONTACT_FIELDS if f in contact]
    if not fields:
        return False
    row = db.execute(f"SELECT name, {', '.join(fields)} FROM providers WHERE id = ?",
                     (provider_id,)).fetchone()
    old = dict(zip(fields, row[1:]))
    new = {f: contact[f] for f in fields}
    if old == new:
        return False
    db.execute(f"UPDATE providers SET {', '.join(f'{f} = ?' for f in fields)}, updated_at = ?"
               " WHERE id = ?", (*new.values(), now_iso(), provider_id))
    audit(db, action="provider.edit", entity="provider", entity_id=provider_id,
          summary=f"provider {row[0]!r}: contact details changed", old=old, new=new,
          source=source)
    return True


def _service_row(db: sqlite_utils.Database, service_id: str) -> dict | None:
    rows = list(db.query(
        "SELECT s.*, p.name AS provider FROM services s JOIN providers p ON p.id = s.provider_id"
        " WHERE s.id = ?", [service_id]))
    return rows[0] if rows else None


def service_by_ref(db: sqlite_utils.Database, service_ref: str) -> dict:
    rows = list(db.query(
        "SELECT s.*, p.name AS provider FROM services s JOIN providers p ON p.id = s.provider_id"
        " WHERE s.service_ref = ? COLLATE NOCASE", [str(service_ref).strip()]))
    if not rows:
        raise NotFound({"service_ref": f"no service with reference {service_ref!r}"})
    return rows[0]


def _stored(clean: Mapping, provider_id: str) -> dict:
    return {
        "service_ref": clean["service_ref"], "name": clean["service_name"],
        "provider_id": provider_id, "service_type": clean["service_type"],
        "client_group": clean["client_group"], "district": clean["district"],
        "term": clean["term"], "household_units": clean["household_units"],
        "leaseholder_units": clean["leaseholder_units"],
        "workbook_required": int(clean["workbook_required"]),
        "start_date": clean["start_date"].isoformat(),
        "end_date": clean["end_date"].isoformat() if clean["end_date"] else None,
    }


def save_service(db: sqlite_utils.Database, fields: Mapping[str, object],
                 *, service_id: str | None = None, source: str | None = None,
                 new_provider: bool = True) -> str:
    """Add a service (``service_id`` None) or edit one. Returns the service's id.

    ``fields`` uses the import names (provider, service_ref, service_name, ...). A provider
    name that matches no provider (any case) adds that provider only with ``new_provider``;
    without it the name is refused, naming the closest providers (the app's form asks first:
    a partly typed name must never become a provider).
    """
    clean = validate_service(fields, reference_lists(db))
    if not new_provider and db.execute("SELECT 1 FROM providers WHERE name = ? COLLATE NOCASE",
                                       (clean["provider"],)).fetchone() is None:
        raise ValidationError({"provider": unknown_provider_message(db, clean["provider"])})
    clash = db.execute("SELECT id FROM services WHERE service_ref = ? COLLATE NOCASE",
                       (clean["service_ref"],)).fetchone()
    if clash and clash[0] != service_id:
        raise ValidationError({"service_ref": f"reference {clean['service_ref']!r} is already"
                                              " used by another service"})
    old = _service_row(db, service_id) if service_id else None
    if service_id and old is None:
        raise NotFound({"": "that service no longer exists"})
    with write(db):
        # Checked again under the write lock: another process may have just added it.
        clash = db.execute("SELECT id FROM services WHERE service_ref = ? COLLATE NOCASE",
                           (clean["service_ref"],)).fetchone()
        if clash and clash[0] != service_id:
            raise ValidationError({"service_ref": f"reference {clean['service_ref']!r} is"
                                                  " already used by another service"})
        provider_id = _provider_id(db, clean["provider"], source=source,
                                   contact={f: clean[f] for f in CONTACT_FIELDS if f in clean},
                                   create=new_provider)
        values = _stored(clean, provider_id)
        stamp = now_iso()
        if old is None:
            service_id = new_id()
            db.execute(
                f"INSERT INTO services (id, {', '.join(_COLUMNS)}, created_at, updated_at)"
                f" VALUES (?, {', '.join('?' * len(_COLUMNS))}, ?, ?)",
                (service_id, *values.values(), stamp, stamp))
            audit(db, action="service.add", entity="service", entity_id=service_id,
                  summary=f"added service {values['service_ref']} {values['name']!r}",
                  new=values | {"provider": clean["provider"]}, source=source)
            _sync_contract_units(db, [(service_id, values)], source=source)
        else:
            assert service_id is not None  # old was read by it
            old_values = {k: old[k] for k in _COLUMNS} | {"provider": old["provider"]}
            new_values = values | {"provider": clean["provider"]}
            if old_values == new_values:
                return service_id
            db.execute(
                f"UPDATE services SET {', '.join(f'{c} = ?' for c in _COLUMNS)}, updated_at = ?"
                " WHERE id = ?", (*values.values(), stamp, service_id))
            audit(db, action="service.edit", entity="service", entity_id=service_id,
                  summary=f"edited service {values['service_ref']}", old=old_values,
                  new=new_values, source=source)
            _sync_contract_units(db, [(service_id, values)], source=source)
    return service_id


def import_services(db: sqlite_utils.Database, rows: Iterable[tuple[int, Mapping[str, object]]],
                    *, source: str | None = None,
                    mapping: Mapping[str, Mapping[str, str]] | None = None,
                    add_new: Iterable[str] = ()) -> dict[str, int]:
    """All-or-nothing import. ``rows`` are (row number, fields). Re-importing a reference
    updates that service. Raises ImportFailed listing every bad row; writes nothing then
    (UnknownValues when values are not in their lists: see imports/matching.py).

    ``mapping`` ({column: {value: listed value}}) and ``add_new`` (columns whose unknown
    values join their list) are the user's answers to UnknownValues; mappings are
    remembered as aliases for later imports."""
    matched = match_rows(db, "services", rows, mapping, add_new)
    refs = reference_lists(db)
    for kind, added in matched.new_values.items():
        refs[kind] = [*refs.get(kind, []), *added]
    errors: list[tuple[int, str]] = []
    cleaned: list[tuple[int, dict]] = []
    seen: dict[str, int] = {}
    contacts: dict[str, dict[str, tuple[str, int]]] = {}   # provider -> field -> (value, row)
    for number, fields in matched.rows:
        # A blank contact cell leaves the provider's detail as it is.
        fields = {k: v for k, v in fields.items()
                  if k not in CONTACT_FIELDS or str(v or "").strip()}
        try:
            clean = validate_service(fields, refs)
        except ValidationError as exc:
            errors.extend(matched.row_errors(number, exc))
            continue
        key = clean["service_ref"].casefold()
        if key in seen:
            errors.append((number, f"service_ref {clean['service_ref']!r} repeats row {seen[key]}"))
            continue
        seen[key] = number
        cleaned.append((number, clean))
        given = contacts.setdefault(clean["provider"].casefold(), {})
        for field in CONTACT_FIELDS:
            if field not in clean:
                continue
            if field in given and given[field][0] != clean[field]:
                errors.append((number, f"{field} of {clean['provider']!r} differs from row"
                                       f" {given[field][1]}"))
            given.setdefault(field, (clean[field], number))
    matched.check(errors)
    if not cleaned:
        raise ImportFailed([(0, "the file holds no service rows")])

    # Validated above, outside the lock; which providers and references already exist is
    # read under the write lock, so two imports adding the same new provider (or service) at
    # once both succeed: the second finds the first's rows instead of failing on UNIQUE.
    with write(db):
        save_matches(db, matched, source=source)
        providers = {name.casefold(): pid
                     for pid, name in db.execute("SELECT id, name FROM providers")}
        known = set(providers)
        existing = {ref.casefold(): (sid, pid) for sid, ref, pid in
                    db.execute("SELECT id, service_ref, provider_id FROM services")}
        stamp = now_iso()
        new_providers, inserts, updates, audits = [], [], [], []
        for _, clean in cleaned:
            pkey = clean["provider"].casefold()
            if pkey not in providers:
                providers[pkey] = new_id()
                contact = {f: v for f, (v, _) in contacts.get(pkey, {}).items()}
                new_providers.append((providers[pkey], clean["provider"],
                                      *(contact.get(f, "") for f in CONTACT_FIELDS), stamp,
                                      stamp))
                audits.append(("provider.add", "provider", providers[pkey],
                               f"added provider {clean['provider']!r}",
                               {"name": clean["provider"]} | contact, source))
            values = _stored(clean, providers[pkey])
            found = existing.get(clean["service_ref"].casefold())
            if found:
                updates.append((*values.values(), stamp, found[0]))
                audits.append(("service.import", "service", found[0],
                               f"updated service {values['service_ref']} by import", values,
                               source))
            else:
                sid = new_id()
                inserts.append((sid, *values.values(), stamp, stamp))
                audits.append(("service.import", "service", sid,
                               f"added service {values['service_ref']} by import", values,
                               source))
        db.conn.executemany("INSERT INTO providers (id, name, contact_name, address, email,"
                            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                            new_providers)
        for pkey in known & set(contacts):
            set_provider_contact(db, providers[pkey],
                                 {f: v for f, (v, _) in contacts[pkey].items()}, source=source)
        db.conn.executemany(
            f"INSERT INTO services (id, {', '.join(_COLUMNS)}, created_at, updated_at)"
            f" VALUES (?, {', '.join('?' * len(_COLUMNS))}, ?, ?)", inserts)
        db.conn.executemany(
            f"UPDATE services SET {', '.join(f'{c} = ?' for c in _COLUMNS)}, updated_at = ?"
            " WHERE id = ?", updates)
        audit_many(db, audits)
        _sync_contract_units(db, [(row[0], dict(zip(_COLUMNS, row[1:]))) for row in inserts]
                             + [(row[-1], dict(zip(_COLUMNS, row))) for row in updates],
                             source=source)
    return {"added": len(inserts), "updated": len(updates), "providers_added": len(new_providers)}


# -- contracts (issue 17) --------------------------------------------------------------------
def _sync_contract_units(db: sqlite_utils.Database, saved: list[tuple[str, Mapping]],
                         *, source: str | None) -> None:
    """The register's units create or update each service's contract version in force."""
    sync_register_units(db, saved, source=source)
