"""The caller of a request: role and scope, and what they may see.

Scopes follow the official codes, which nest by prefix: county ``623021``, township
``623021100``, village ``623021100201``, grid ``623021100201`` + sequence. An area scope
is therefore a code prefix: a township user sees the cases on grids whose code starts
with the township code, a grid leader those on one grid. A partner agency's scope is a
facility code: it sees the cases routed to that facility.

Role            sees cases                 personal details   writes cases   aggregates/maps
county_centre   all (or its county)        yes                yes            yes
township        on its township's grids    yes                yes            yes
grid_leader     on its grid                yes                yes            yes
partner         routed to its facility     yes                yes            yes
viewer          none (counts only)         no                 no             yes

The same rule governs writes: a new case or signal must land where its writer may see it
(its point's grid or the geocoded one; no grid: the county), so a partner, whose scope is
the cases routed to its facility, files none. Area-bound personal data (a duty centre's
handover notes) goes to the case roles whose area covers the centre.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import Forbidden

ROLES = ("county_centre", "township", "grid_leader", "partner", "viewer")
CASE_ROLES = ("county_centre", "township", "grid_leader", "partner")
MANAGER_ROLES = ("county_centre", "township")
ALL_ROLES = ROLES


@dataclass(frozen=True)
class Principal:
    """An authenticated caller (decoded from a signed token; no database read needed)."""

    username: str
    role: str
    scope_code: str | None = None

    @property
    def area_prefix(self) -> str | None:
        """Code prefix of the area whose cases this caller sees; None = every area."""
        if self.role == "partner":
            return None
        return self.scope_code or None

    @property
    def facility_code(self) -> str | None:
        """The facility whose routed cases a partner sees; None for other roles."""
        return self.scope_code if self.role == "partner" else None

    @property
    def sees_cases(self) -> bool:
        """Whether this caller may list and read individual cases at all."""
        return self.role in CASE_ROLES

    @property
    def sees_personal_data(self) -> bool:
        """Whether parties' names, ID numbers, phones may be shown (within scope)."""
        return self.role in CASE_ROLES

    def scope_params(self) -> dict[str, str | None]:
        """Bind parameters for SQL filters on cases: ``:scope_area`` and ``:scope_facility``.

        Use them in ``geo/<room>/sql/*.sql`` through the SQL function that states
        :meth:`may_see_case` (installed by migration ``0009_rules``)::

            AND wangge_in_scope(g.code, d.county_code, f.code, CAST(:scope_area AS text),
                                CAST(:scope_facility AS text))

        where ``g`` is the case's grid and ``f`` the facility it is routed to; for an area
        (a grid, a unit) ``wangge_covers_area(g.code, CAST(:scope_area AS text))`` states
        :meth:`covers_area`.
        """
        return {"scope_area": self.area_prefix, "scope_facility": self.facility_code}

    def covers_area(self, code: str | None) -> bool:
        """True when an area (county/township/village/grid code) lies inside this scope."""
        prefix = self.area_prefix
        if prefix is None:
            return True
        return code is not None and code.startswith(prefix)

    def may_see_case(
        self,
        *,
        grid_code: str | None,
        county_code: str | None = None,
        facility_code: str | None = None,
    ) -> bool:
        """True when a case on ``grid_code`` routed to ``facility_code`` is in scope."""
        if not self.sees_cases:
            return False
        if self.role == "partner":
            return facility_code is not None and facility_code == self.facility_code
        prefix = self.area_prefix
        if prefix is None:
            return True
        if grid_code is None:
            return len(prefix) == 6 and county_code == prefix
        return grid_code.startswith(prefix)

    @property
    def limits_writes(self) -> bool:
        """Whether an intake must be checked against this caller's scope (anyone but an
        unscoped county centre)."""
        return self.area_prefix is not None or self.facility_code is not None

    def may_write_case(self, *, grid_code: str | None, county_code: str | None = None) -> bool:
        """True when a new case or signal on ``grid_code`` (no grid: in ``county_code``) lies
        inside this scope: the reading rule for a record not yet routed to any facility."""
        return self.may_see_case(grid_code=grid_code, county_code=county_code)

    def may_see_area_personal(self, code: str | None) -> bool:
        """True when personal data bound to an area (a centre's handover notes) may be shown:
        a case role other than a partner, whose area covers ``code``."""
        return self.sees_personal_data and self.role != "partner" and self.covers_area(code)

    def check_case(
        self,
        *,
        grid_code: str | None,
        county_code: str | None = None,
        facility_code: str | None = None,
    ) -> None:
        """Raise :class:`Forbidden` (HTTP 403) unless the case is in scope."""
        if not self.may_see_case(
            grid_code=grid_code, county_code=county_code, facility_code=facility_code
        ):
            scope = f"{self.role} {self.scope_code or ''}".strip()
            raise Forbidden(f"case outside the scope of {scope}")

    def check_area(self, code: str | None) -> None:
        """Raise :class:`Forbidden` unless the area ``code`` lies inside this scope."""
        if self.role == "partner" or not self.covers_area(code):
            raise Forbidden(f"area {code!r} is outside the scope of {self.role} {self.scope_code}")
