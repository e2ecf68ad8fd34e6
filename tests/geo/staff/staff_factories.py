"""Rows for the staff, roster and safety tests, on top of the small county of
tests/geo/disputes_factories.py (two townships, two villages, one grid each, centres)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session


def add_person(
    session: Session,
    code: str,
    role: str,
    unit: str,
    *,
    grids: tuple[str, ...] = (),
    phone: str | None = None,
    id_number: str | None = None,
) -> int:
    """Insert a staff member (with contacts and grids); return the id."""
    staff_id = session.execute(
        text(
            "INSERT INTO staff (code, county_code, name, role, unit_code) "
            "VALUES (:code, left(:unit, 6), :name, :role, :unit) RETURNING id"
        ),
        {"code": code, "unit": unit, "name": f"{code}（模拟）", "role": role},
    ).scalar_one()
    if phone or id_number:
        session.execute(
            text(
                "INSERT INTO staff_contact (staff_id, phone, id_number) VALUES (:id, :p, :n) "
                "ON CONFLICT (staff_id) DO UPDATE SET phone = :p, id_number = :n"
            ),
            {"id": staff_id, "p": phone, "n": id_number},
        )
    for grid in grids:
        session.execute(
            text(
                "INSERT INTO staff_grid (staff_id, grid_id) "
                "SELECT :id, id FROM grid WHERE code = :grid AND valid_to IS NULL"
            ),
            {"id": staff_id, "grid": grid},
        )
    return staff_id


def set_contact(session: Session, code: str, phone: str, id_number: str | None = None) -> None:
    """Give an existing staff member contact details."""
    session.execute(
        text(
            "INSERT INTO staff_contact (staff_id, phone, id_number) "
            "SELECT id, :p, :n FROM staff WHERE code = :code"
        ),
        {"code": code, "p": phone, "n": id_number},
    )
