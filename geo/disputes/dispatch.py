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
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from core import vocab
from core.errors import NotFound
from geo.database.sqlfiles import sql
from geo.staff.forces import forces_for_dispute

LEAD_BY_SEVERITY = {
    "minor": "grid_leader",
    "serious": "village_centre",
    "major": "township_centre",
    "critical": "county_centre",
}
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


def partners_for(*, category: str, severity: str, description: str | None) -> list[str]:
    """Partner kinds the case calls for, in order (police added when violence is involved)."""
    partners = list(PARTNERS_BY_CATEGORY[category])
    text = description or ""
    violent = any(word in text for word in VIOLENCE_WORDS) or (
        category in ("marriage_family", "neighbour") and severity in ("major", "critical")
    )
    if violent and "police_station" not in partners:
        partners.insert(0, "police_station")
    return partners


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


def recommend(*, session: Session, dispute_id: int, with_forces: bool = True) -> dict:
    """The ranked dispatch recommendation for one dispute (rules in the module docstring).

    With ``with_forces`` it also names who is on duty and the nearest forces
    (:func:`geo.staff.forces.forces_for_dispute`); map layers that show only the ranking
    leave it out.
    """
    ctx = session.execute(sql("disputes_dispatch_context"), {"id": dispute_id}).mappings().first()
    if ctx is None:
        raise NotFound(f"no dispute with id {dispute_id}")
    partners = partners_for(
        category=ctx["category"], severity=ctx["severity"], description=ctx["description"]
    )
    kinds = {"village_centre", "township_centre", "county_centre"}
    for partner in partners:
        kinds.update(COURT_KINDS if partner == "court" else (partner,))
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
        candidates[partner] = unit(partner, COURT_KINDS if partner == "court" else (partner,))
    lead = LEAD_BY_SEVERITY[ctx["severity"]]
    structure_after = [r for r in STRUCTURE if r != lead]
    if ctx["severity"] in ("minor", "serious"):
        order = [lead, *[r for r in structure_after[:3] if r != lead], *partners]
    else:
        order = [lead, *partners]
    order += [r for r in STRUCTURE if r not in order]
    ranked, seen = [], set()
    for role in order:
        entry = candidates.get(role)
        if entry is None or role in seen:
            continue
        seen.add(role)
        reason = REASONS[role]
        if role == lead:
            reason += f"; leads {vocab.DISPUTE_SEVERITIES[ctx['severity']]} cases"
        if entry["jurisdiction"] in ("village", "township", "county"):
            reason += f"; jurisdiction: the case's {entry['jurisdiction']}"
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
    if with_forces:
        # on duty now at the case's centres, and the nearest forces of the kinds it needs
        result["forces"] = forces_for_dispute(session=session, dispute=ctx, partners=partners)
    return result
