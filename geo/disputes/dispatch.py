"""Dispatch (分流转办): who should take a dispute, ranked, with reasons and workloads.

The recommendation is built from three tables, printed in docs/intake.md:

- **lead by severity** (:data:`LEAD_BY_SEVERITY`): a minor case is led by the grid leader
  (the village centre backs them), a serious one by the village centre, a major one by the
  township centre, an especially major one by the county centre;
- **partners by category** (:data:`PARTNERS_BY_CATEGORY`): the units the category calls
  for, in order (``court`` means a court station 审务工作站 or a judge contact point
  法官联系点, whichever is nearer in jurisdiction: debts and land cases may end in a lawsuit);
- **police when violence is in the air**: traffic cases always; any case whose description
  mentions violence, threats or a crowd (:data:`VIOLENCE_WORDS`), and major family or
  neighbour cases.

Each unit of a kind is picked by jurisdiction first (its ``admin_code`` is the dispute's
village, then township, then county), then distance, then the lighter open workload. The
ten-household group leader comes from the dispute's standard address (its group), else the
group covering its point. Every entry carries its current open workload: open disputes
assigned to that person (``dispute.assignee`` = staff code) or unit.

A case intake could not put on one grid (位置待核实) has no grid leader; the village or
township it was routed to stands in as its jurisdiction, so its centre leads, and
:func:`recommend` lists that unit's centre and grid leaders under ``location_candidates``
(:func:`geo.disputes.routed.routed_candidates`).

:func:`recommend` ranks one case (three queries); :func:`top_suggestions` gives the head of
the same ranking for many cases in one query (``disputes_dispatch_open.sql``, fed the role
order built here, so the rules stay in this module).
"""

from __future__ import annotations

from functools import cache

from sqlalchemy.orm import Session

from core import vocab
from core.errors import NotFound
from geo.database.sqlfiles import sql
from geo.disputes.routed import routed_candidates
from geo.staff.forces import forces_for_dispute

LEAD_BY_SEVERITY = {
    "minor": "grid_leader",
    "serious": "village_centre",
    "major": "township_centre",
    "critical": "county_centre",
}
PERSON_ROLES = ("grid_leader", "household_leader")
STRUCTURE = (
    "grid_leader", "household_leader", "village_centre", "township_centre", "county_centre",
)  # fmt: skip
PARTNERS_BY_CATEGORY: dict[str, tuple[str, ...]] = {
    "marriage_family": ("mediation_committee", "judicial_office", "legal_adviser"),
    "neighbour": ("mediation_committee", "judicial_office"),
    "land_forest": ("judicial_office", "court", "mediation_committee", "legal_adviser"),
    "debt": ("court", "legal_adviser", "mediation_committee"),
    "labour_wages": ("judicial_office", "legal_adviser", "mediation_committee"),
    "property_management": ("mediation_committee", "legal_adviser"),
    "medical": ("judicial_office", "legal_adviser", "court"),
    "traffic": ("police_station", "mediation_committee", "court"),
    "other": ("mediation_committee", "judicial_office"),
}
COURT_KINDS = ("court_station", "judge_contact_point")
VIOLENCE_WORDS = (
    "打", "殴", "伤", "暴力", "家暴", "刀", "持械", "威胁", "报警", "闹事", "聚集", "围堵", "砸",
)  # fmt: skip
REASONS = {
    "grid_leader": "grid leader of the grid the case lies in (网格长)",
    "household_leader": "leader of the ten-household group at the address (十户长)",
    "village_centre": "village/community centre (村级综治中心)",
    "township_centre": "township centre (乡镇综治中心)",
    "county_centre": "county centre (县综治中心)",
    "police_station": "police station: violence or public security involved (派出所)",
    "court": "court station or judge contact point: the case may end in a lawsuit",
    "judicial_office": "judicial office: people's mediation and legal aid (司法所)",
    "mediation_committee": "people's mediation committee (调委会)",
    "legal_adviser": "legal adviser (法律顾问)",
}
_JURISDICTION_ORDER = {"village": 0, "township": 1, "county": 2, None: 3}


def mentions_violence(description: str | None) -> bool:
    """Whether the description speaks of violence, threats or a crowd (:data:`VIOLENCE_WORDS`)."""
    text = description or ""
    return any(word in text for word in VIOLENCE_WORDS)


def partners_for(*, category: str, severity: str, description: str | None) -> list[str]:
    """Partner kinds the case calls for, in order (police added when violence is involved)."""
    partners = list(PARTNERS_BY_CATEGORY[category])
    violent = mentions_violence(description) or (
        category in ("marriage_family", "neighbour") and severity in ("major", "critical")
    )
    if violent and "police_station" not in partners:
        partners.insert(0, "police_station")
    return partners


def role_order(*, severity: str, partners: list[str]) -> list[str]:
    """Roles in the order they are recommended, each once: the lead, then (for minor and
    serious cases) the next three of the structure, the partners, the rest of the structure."""
    lead = LEAD_BY_SEVERITY[severity]
    structure_after = [r for r in STRUCTURE if r != lead]
    if severity in ("minor", "serious"):
        order = [lead, *structure_after[:3], *partners]
    else:
        order = [lead, *partners]
    order += [r for r in STRUCTURE if r not in order]
    return list(dict.fromkeys(order))


def unit_kinds(role: str) -> tuple[str, ...]:
    """Facility kinds that can fill ``role`` (``court``: a court station or a contact point)."""
    return COURT_KINDS if role == "court" else (role,)


def _best(facilities: list[dict], kinds: tuple[str, ...]) -> dict | None:
    pool = [f for f in facilities if f["kind"] in kinds]
    if not pool:
        return None
    return min(
        pool,
        key=lambda f: (
            _JURISDICTION_ORDER[f["jurisdiction"]],
            f["metres"] if f["metres"] is not None else float("inf"),
            f["open_workload"],
            f["code"],
        ),
    )


def recommend(
    *,
    session: Session,
    dispute_id: int,
    with_forces: bool = True,
    caller_role: str | None = None,
    caller_scope: str | None = None,
) -> dict:
    """The ranked dispatch recommendation for one dispute (rules in the module docstring).

    With ``with_forces`` it also names who is on duty and the nearest forces
    (:func:`geo.staff.forces.forces_for_dispute`); map layers that show only the ranking
    leave it out. ``caller_role``/``caller_scope`` decide whether the routed
    unit's grid leaders come with phones.
    """
    ctx = session.execute(sql("disputes_dispatch_context"), {"id": dispute_id}).mappings().first()
    if ctx is None:
        raise NotFound(f"no dispute with id {dispute_id}")
    partners = partners_for(
        category=ctx["category"], severity=ctx["severity"], description=ctx["description"]
    )
    kinds = {"village_centre", "township_centre", "county_centre"}
    for partner in partners:
        kinds.update(unit_kinds(partner))
    facilities = [
        dict(row)
        for row in session.execute(
            sql("disputes_dispatch_facilities"),
            {
                "kinds": sorted(kinds),
                "village": ctx["village_code"],
                "township": ctx["township_code"],
                "county": ctx["county_code"],
                "lon": ctx["lon"],
                "lat": ctx["lat"],
            },
        ).mappings()
    ]
    staff_codes = [c for c in (ctx["grid_leader_code"], ctx["group_leader_code"]) if c]
    workload = dict(session.execute(sql("disputes_staff_workload"), {"codes": staff_codes}).all())

    def person(role: str, code: str | None, name: str | None, unit: str | None) -> dict | None:
        if not code:
            return None
        return {
            "role": role, "kind": "staff", "code": code, "name": name,
            "unit": unit, "jurisdiction": "grid", "distance_m": None,
            "open_workload": int(workload.get(code, 0)),
        }  # fmt: skip

    def unit(role: str, kinds_of_role: tuple[str, ...]) -> dict | None:
        found = _best(facilities, kinds_of_role)
        if found is None:
            return None
        return {
            "role": role, "kind": found["kind"], "code": found["code"], "name": found["name"],
            "unit": found["admin_code"], "jurisdiction": found["jurisdiction"] or "nearest",
            "distance_m": None if found["metres"] is None else round(found["metres"]),
            "open_workload": int(found["open_workload"]),
        }  # fmt: skip

    candidates = {
        "grid_leader": person(
            "grid_leader", ctx["grid_leader_code"], ctx["grid_leader_name"], ctx["grid_code"]
        ),
        "household_leader": person(
            "household_leader",
            ctx["group_leader_code"],
            ctx["group_leader_name"],
            ctx["group_code"],
        ),
        "village_centre": unit("village_centre", ("village_centre",)),
        "township_centre": unit("township_centre", ("township_centre",)),
        "county_centre": unit("county_centre", ("county_centre",)),
    }
    for partner in partners:
        candidates[partner] = unit(partner, unit_kinds(partner))
    lead = LEAD_BY_SEVERITY[ctx["severity"]]
    ranked = []
    for role in role_order(severity=ctx["severity"], partners=partners):
        entry = candidates.get(role)
        if entry is None:
            continue
        reason = REASONS[role]
        if role == lead:
            reason += f"; leads {vocab.DISPUTE_SEVERITIES[ctx['severity']]} cases"
        if entry["jurisdiction"] in ("village", "township", "county"):
            reason += f"; jurisdiction: the case's {entry['jurisdiction']}"
            if ctx["location_unit"] and entry["unit"] == ctx["location_unit"]:
                reason += " (位置待核实: routed here for lack of a certain grid)"
        elif entry["jurisdiction"] == "nearest":
            reason += "; nearest of its kind (no unit in the case's jurisdiction)"
        ranked.append({"rank": len(ranked) + 1, **entry, "reason": reason})
    result = {
        "dispute_id": ctx["id"],
        "category": ctx["category"],
        "severity": ctx["severity"],
        "grid": ctx["grid_code"],
        "village": ctx["village_code"],
        "township": ctx["township_code"],
        "lead": lead,
        "partners": partners,
        "recommendations": ranked,
    }
    if ctx["location_unit"]:
        result["location_candidates"] = routed_candidates(
            session=session,
            unit_code=ctx["location_unit"],
            role=caller_role,
            scope=caller_scope,
        )
    if with_forces:
        # on duty now at the case's centres, and the nearest forces of the kinds it needs
        result["forces"] = forces_for_dispute(session=session, dispute=ctx, partners=partners)
    return result


@cache
def _ranking_tables() -> dict[str, list]:
    """The rule tables above as bind parameters of ``disputes_dispatch_open``: the role order
    of every (category, severity, violence mentioned), and the kinds each unit role takes."""
    plan: dict[str, list] = {"category": [], "severity": [], "violent": [], "position": [],
                             "role": []}  # fmt: skip
    unit_roles: set[str] = set()
    for category in PARTNERS_BY_CATEGORY:
        for severity in LEAD_BY_SEVERITY:
            for violent in (False, True):
                partners = partners_for(
                    category=category,
                    severity=severity,
                    description=VIOLENCE_WORDS[0] if violent else None,
                )
                for position, role in enumerate(role_order(severity=severity, partners=partners)):
                    row = (category, severity, violent, position, role)
                    for values, value in zip(plan.values(), row, strict=True):
                        values.append(value)
                    if role not in PERSON_ROLES:
                        unit_roles.add(role)
    units = [(role, kind) for role in sorted(unit_roles) for kind in unit_kinds(role)]
    return {
        **{f"plan_{key}": values for key, values in plan.items()},
        "unit_role": [role for role, _ in units],
        "unit_kind": [kind for _, kind in units],
        "violence_words": list(VIOLENCE_WORDS),
    }


def top_suggestions(
    *, session: Session, dispute_ids: list[int], top: int = 3
) -> dict[int, list[dict]]:
    """The first ``top`` entries of :func:`recommend`'s ranking for many disputes in one query.

    Same rules, same order: ``{dispute id: [{rank, role, kind, code, name, distance_m}]}``;
    a dispute with nothing to recommend (or not found) is absent. For map layers that show
    the head of the ranking of every open case.
    """
    if not dispute_ids:
        return {}
    params = {**_ranking_tables(), "ids": [int(i) for i in dispute_ids], "top": top}
    found: dict[int, list[dict]] = {}
    for row in session.execute(sql("disputes_dispatch_open"), params).mappings():
        found.setdefault(int(row["dispute_id"]), []).append(
            {
                "rank": int(row["rank"]), "role": row["role"], "kind": row["kind"],
                "code": row["code"], "name": row["name"],
                "distance_m": None if row["metres"] is None else round(row["metres"]),
            }
        )  # fmt: skip
    return found
