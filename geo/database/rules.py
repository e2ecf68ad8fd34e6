"""The case rules of :mod:`core.cases` and :mod:`core.principal` as SQL functions.

The ``.sql`` files call these instead of spelling the rules out, so each rule is written once
in Python and once here, generated from it (the open set is the same tuple). They are
``LANGUAGE sql IMMUTABLE PARALLEL SAFE`` one-expression functions, which the planner inlines
into the calling query, and they never return NULL (false instead), as the Python does.

- ``wangge_is_open(status)``: :func:`core.cases.is_open`;
- ``wangge_is_open_past_deadline(status, deadline, at)``, ``wangge_is_resolved_late(deadline,
  resolved_at, at)``, ``wangge_is_overdue(status, deadline, resolved_at, at)``: the functions
  of the same names in :mod:`core.cases`;
- ``wangge_is_suspended(status, suspended_at, at)``: :func:`core.cases.is_suspended`;
- ``wangge_covers_area(code, scope_area)``: :meth:`core.principal.Principal.covers_area`,
  with ``scope_area`` from :meth:`~core.principal.Principal.scope_params`;
- ``wangge_in_scope(grid_code, county_code, facility_code, scope_area, scope_facility)``:
  :meth:`core.principal.Principal.may_see_case` for a caller who sees cases.

Migration ``0009_rules`` installs them, and every upgrade to the head replaces them as core
states them then (:func:`geo.database.migrate.upgrade`: ``wangge db migrate``, the set-up,
``wangge demo``), so a changed rule reaches databases migrated before the change;
``tests/geo/database/test_rules.py`` checks SQL against Python.
"""

from __future__ import annotations

from dataclasses import dataclass

from core import cases


def _quoted(values: tuple[str, ...]) -> str:
    return ", ".join("'" + value.replace("'", "''") + "'" for value in values)


@dataclass(frozen=True)
class SqlFunction:
    """One rule as a SQL function: name, arguments, result type and the expression."""

    name: str
    arguments: tuple[tuple[str, str], ...]
    returns: str
    expression: str

    @property
    def signature(self) -> str:
        """``name(type, ...)``, as DROP FUNCTION wants it."""
        return f"{self.name}({', '.join(kind for _, kind in self.arguments)})"

    def create(self) -> str:
        """The ``CREATE OR REPLACE FUNCTION`` statement."""
        arguments = ", ".join(f"{name} {kind}" for name, kind in self.arguments)
        return (
            f"CREATE OR REPLACE FUNCTION {self.name}({arguments}) RETURNS {self.returns}\n"
            f"LANGUAGE sql IMMUTABLE PARALLEL SAFE\n"
            f"AS $rule$\nSELECT {self.expression}\n$rule$"
        )

    def drop(self) -> str:
        """The ``DROP FUNCTION`` statement."""
        return f"DROP FUNCTION IF EXISTS {self.signature}"


OPEN = f"coalesce(status IN ({_quoted(cases.OPEN_STATUSES)}), false)"
OPEN_PAST_DEADLINE = f"{OPEN} AND coalesce(deadline < at, false)"
RESOLVED_LATE = "coalesce(resolved_at < at AND resolved_at > deadline, false)"
SUSPENDED = f"{OPEN} AND coalesce(suspended_at <= at, false)"
# The unit keys (core.permissions.unit_key: "role:scope") of the accounts that hold a case: its
# assigned unit is a facility (a partner, a township or county centre) or an area code (a grid,
# a township, a county).
HOLDERS = (
    "array_remove(ARRAY["
    "CASE WHEN facility_code IS NOT NULL THEN 'partner:' || facility_code END, "
    "CASE WHEN facility_kind = 'township_centre' THEN 'township:' || facility_admin_code END, "
    "CASE WHEN facility_kind = 'county_centre' THEN 'county_centre:' || facility_county_code END, "
    "CASE WHEN facility_code IS NULL AND length(assignee_unit) > 12"
    " THEN 'grid_leader:' || assignee_unit END, "
    "CASE WHEN facility_code IS NULL AND length(assignee_unit) = 9"
    " THEN 'township:' || assignee_unit END, "
    "CASE WHEN facility_code IS NULL AND length(assignee_unit) = 6"
    " THEN 'county_centre:' || assignee_unit END"
    "], NULL)"
)

FUNCTIONS: tuple[SqlFunction, ...] = (
    SqlFunction("wangge_is_open", (("status", "text"),), "boolean", OPEN),
    SqlFunction(
        "wangge_is_open_past_deadline",
        (("status", "text"), ("deadline", "timestamptz"), ("at", "timestamptz")),
        "boolean",
        OPEN_PAST_DEADLINE,
    ),
    SqlFunction(
        "wangge_is_resolved_late",
        (("deadline", "timestamptz"), ("resolved_at", "timestamptz"), ("at", "timestamptz")),
        "boolean",
        RESOLVED_LATE,
    ),
    SqlFunction(
        "wangge_is_overdue",
        (
            ("status", "text"),
            ("deadline", "timestamptz"),
            ("resolved_at", "timestamptz"),
            ("at", "timestamptz"),
        ),
        "boolean",
        f"({OPEN_PAST_DEADLINE}) OR {RESOLVED_LATE}",
    ),
    SqlFunction(
        "wangge_is_suspended",
        (("status", "text"), ("suspended_at", "timestamptz"), ("at", "timestamptz")),
        "boolean",
        SUSPENDED,
    ),
    SqlFunction(
        "wangge_case_holders",
        (
            ("assignee_unit", "text"),
            ("facility_code", "text"),
            ("facility_kind", "text"),
            ("facility_admin_code", "text"),
            ("facility_county_code", "text"),
        ),
        "text[]",
        HOLDERS,
    ),
    SqlFunction(
        "wangge_covers_area",
        (("code", "text"), ("scope_area", "text")),
        "boolean",
        "scope_area IS NULL OR coalesce(starts_with(code, scope_area), false)",
    ),
    SqlFunction(
        "wangge_in_scope",
        (
            ("grid_code", "text"),
            ("county_code", "text"),
            ("facility_code", "text"),
            ("scope_area", "text"),
            ("scope_facility", "text"),
        ),
        "boolean",
        # A case without a grid is seen through its county by a county scope (6 digits) only.
        "(scope_area IS NULL OR CASE WHEN grid_code IS NULL"
        " THEN length(scope_area) = 6 AND coalesce(county_code = scope_area, false)"
        " ELSE starts_with(grid_code, scope_area) END)"
        " AND (scope_facility IS NULL OR coalesce(facility_code = scope_facility, false))",
    ),
)


def create_statements() -> list[str]:
    """``CREATE OR REPLACE FUNCTION`` for every rule."""
    return [function.create() for function in FUNCTIONS]


def drop_statements() -> list[str]:
    """``DROP FUNCTION`` for every rule."""
    return [function.drop() for function in reversed(FUNCTIONS)]


def install(execute) -> None:
    """Create or replace every rule function through ``execute(statement)`` (e.g.
    ``op.execute`` in a migration)."""
    for statement in create_statements():
        execute(statement)


def uninstall(execute) -> None:
    """Drop every rule function through ``execute(statement)``."""
    for statement in drop_statements():
        execute(statement)
