"""Who may take each step of the closed loop (闭环), written once.

Every move of a case is a *step*; each edge of :data:`core.cases.TRANSITIONS` is one step,
and the acts beside the loop (supervision, suspension, extension, assignment) are steps too.
A step names the *relations* a caller may hold to the case for it to be allowed, and the
relations that bar it. The relations are facts about the caller and the case:

- ``centre``: a county centre, or a township centre over the case's area (``township``
  account whose scope covers the case's grid);
- ``grid_leader``: the grid leader of the case's grid;
- ``assignee``: the caller's unit is the unit the case is assigned to (``assignee_unit``: a
  partner agency, a township or county centre, a grid leader's grid);
- ``router``: the caller's unit is the centre that routed the case (``routed_by``); when the
  case was never routed (handled on the spot), any centre over its area.

A viewer holds none of them and so may take no step. The table (:data:`STEPS`) is printed in
docs/intake.md by :func:`markdown_table`. Refusals are :class:`core.errors.Forbidden` with
the reason in Chinese and in English.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import Forbidden, NotFound
from core.principal import Principal

CENTRE_ROLES = ("county_centre", "township")

RELATIONS = {
    "centre": "本辖区综治中心（县中心或所属乡镇中心） the centre over the case's area",
    "grid_leader": "本网格网格长 the grid leader of the case's grid",
    "assignee": "承办单位 the assigned unit",
    "router": "分流转办的中心 the centre that routed the case",
}


@dataclass(frozen=True)
class Step:
    """One kind of move: who may take it (any of ``allowed``), who never (any of ``barred``)."""

    name: str
    label: str
    allowed: tuple[str, ...]
    barred: tuple[str, ...] = ()


STEPS: dict[str, Step] = {
    step.name: step
    for step in (
        Step("route", "分流转办 route", ("centre",)),
        Step("take_on", "就地受理办理 handle on the spot", ("centre", "grid_leader")),
        Step("accept", "签收办理 accept", ("assignee",)),
        Step("return", "退回 return to the centre", ("assignee",)),
        Step("resolve", "办结（已化解） resolve", ("assignee",)),
        Step("leave_unresolved", "办结（未化解） close unresolved", ("assignee",)),
        Step("rate", "录入群众评价 record the rating", ("centre",), ("assignee",)),
        Step("archive", "办结归档 archive", ("router",)),
        Step("follow_up", "回访 follow-up visit", ("centre", "grid_leader")),
        Step("supervise", "督办（标记、催办、升级） supervise", ("centre",)),
        Step("suspend", "挂起 suspend", ("assignee", "centre")),
        Step("resume", "恢复办理 resume", ("assignee", "centre")),
        Step("request_extension", "申请延期 ask for an extension", ("assignee",)),
        Step("extend", "批准延期 approve an extension", ("centre",), ("assignee",)),
    )
}

STEP_OF_TRANSITION: dict[tuple[str, str], str] = {
    ("received", "routed"): "route",
    ("received", "in_progress"): "take_on",
    ("routed", "in_progress"): "accept",
    ("routed", "received"): "return",
    ("in_progress", "resolved"): "resolve",
    ("in_progress", "unresolved"): "leave_unresolved",
    ("in_progress", "routed"): "route",
    ("resolved", "rated"): "rate",
    ("resolved", "archived"): "archive",
    ("unresolved", "routed"): "route",
    ("unresolved", "rated"): "rate",
    ("unresolved", "archived"): "archive",
    ("rated", "archived"): "archive",
    ("archived", "followed_up"): "follow_up",
}


@dataclass(frozen=True)
class CaseFacts:
    """What the rules need to know of a case: where it is and who holds it.

    ``assignee_holders`` and ``routed_by`` are unit keys (:func:`unit_key`): the accounts
    that count as the assigned unit, and the centre that routed the case."""

    grid_code: str | None
    county_code: str | None
    facility_code: str | None = None
    assignee_holders: frozenset[str] = frozenset()
    routed_by: str | None = None


def unit_key(principal: Principal, county_code: str | None) -> str:
    """The caller's unit as stored on a case: ``role:scope`` (a county centre without a
    scope stands for the case's county)."""
    scope = principal.scope_code
    if principal.role == "county_centre" and not scope:
        scope = county_code
    return f"{principal.role}:{scope}"


def relations(principal: Principal, case: CaseFacts) -> frozenset[str]:
    """The relations (module docstring) ``principal`` holds to ``case``."""
    if not principal.may_see_case(
        grid_code=case.grid_code, county_code=case.county_code, facility_code=case.facility_code
    ):
        return frozenset()
    held: set[str] = set()
    if principal.role in CENTRE_ROLES:
        held.add("centre")
    if principal.role == "grid_leader" and case.grid_code == principal.scope_code:
        held.add("grid_leader")
    key = unit_key(principal, case.county_code)
    if key in case.assignee_holders:
        held.add("assignee")
    if key == case.routed_by or (case.routed_by is None and "centre" in held):
        held.add("router")
    return frozenset(held)


def may(principal: Principal, step: str, case: CaseFacts) -> bool:
    """True when ``principal`` may take ``step`` on ``case``."""
    rule = STEPS[step]
    held = relations(principal, case)
    return bool(held & set(rule.allowed)) and not held & set(rule.barred)


def step_of(from_status: str, to_status: str) -> str:
    """The step a legal transition is (see :data:`STEP_OF_TRANSITION`)."""
    return STEP_OF_TRANSITION[(from_status, to_status)]


def require(principal: Principal, step: str, case: CaseFacts) -> None:
    """Raise :class:`Forbidden` (HTTP 403), in Chinese and English, unless allowed."""
    if may(principal, step, case):
        return
    rule = STEPS[step]
    zh_step, en_step = rule.label.split(" ", 1)
    if set(rule.barred) & relations(principal, case):
        zh = f"承办单位不能{zh_step}，须由他人办理"
        en = f"the assigned unit may not {en_step} its own case"
    else:
        who = "或".join(RELATIONS[r].split(" ", 1)[0] for r in rule.allowed)
        who_en = " or ".join(RELATIONS[r].split(" ", 1)[1] for r in rule.allowed)
        zh = f"{principal.role} 无权{zh_step}：须为{who}"
        en = f"role {principal.role} may not {en_step} this case: needs {who_en}"
    raise Forbidden(f"{zh} / {en}")


def require_in_scope(principal: Principal, case: CaseFacts, *, case_id: int | str) -> None:
    """Raise :class:`Forbidden` unless ``principal``'s role acts on cases at all, and
    :class:`NotFound` — the very answer a missing case gets — unless this case is in its scope,
    so that ids outside one's scope cannot be probed."""
    if not principal.sees_cases:
        raise Forbidden(
            f"{principal.role} 角色不能办理案件 / role {principal.role} may not act on cases"
        )
    if not principal.may_see_case(
        grid_code=case.grid_code, county_code=case.county_code, facility_code=case.facility_code
    ):
        raise case_not_found(case_id)


def case_not_found(case_id: int | str) -> NotFound:
    """The one answer for a case that does not exist or lies outside the caller's scope."""
    return NotFound(f"没有编号为 {case_id} 的案件 / no dispute with id {case_id}")


def markdown_table() -> str:
    """The step table as Markdown, for docs/intake.md."""
    transitions: dict[str, list[str]] = {}
    for (a, b), step in STEP_OF_TRANSITION.items():
        transitions.setdefault(step, []).append(f"{a} → {b}")
    lines = ["| step | transitions | who may | never |", "|---|---|---|---|"]
    for step in STEPS.values():
        moves = ", ".join(transitions.get(step.name, [])) or "(beside the loop)"
        allowed = "; ".join(RELATIONS[r] for r in step.allowed)
        barred = "; ".join(RELATIONS[r] for r in step.barred) or "—"
        lines.append(f"| {step.label} | {moves} | {allowed} | {barred} |")
    return "\n".join(lines)
