"""Requests and responses of ``/api/v1/disputes``: intake, the case as GeoJSON, transitions,
supervision, duplicate review and the dispatch recommendation."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, PrivateAttr, model_validator

from api.geojson import Feature, FeatureCollection
from api.schemas.common import (
    MAX_CODE,
    MAX_DESCRIPTION,
    MAX_HEADER,
    MAX_LABEL,
    MAX_NOTE,
    Out,
    RowProblemOut,
    Stamp,
)
from api.schemas.roster import CentreOnDuty
from core import vocab
from core.errors import InvalidRequest

MAX_BATCH = 5_000

# A cell of the intake template as JSON: text or a number (a time, a code or a label, a
# coordinate), as a spreadsheet cell would hold it.
Cell = str | int | float | bool | None


MAX_CELL_CHARS = MAX_DESCRIPTION  # the longest text a cell may hold (a description, an address)
MAX_KEY_CHARS = MAX_HEADER


def _check_lengths(value, where: str) -> None:
    """Refuse (422, naming the field) a text cell longer than :data:`MAX_CELL_CHARS` or a
    column name longer than :data:`MAX_KEY_CHARS`, anywhere in an intake body."""
    if isinstance(value, str):
        if len(value) > MAX_CELL_CHARS:
            raise ValueError(
                f"{where} 超过 {MAX_CELL_CHARS} 字 / field '{where}' is longer than "
                f"{MAX_CELL_CHARS} characters"
            )
    elif isinstance(value, dict):
        for key, inner in value.items():
            if isinstance(key, str) and len(key) > MAX_KEY_CHARS:
                raise ValueError(
                    f"列名超过 {MAX_KEY_CHARS} 字 / a column name is longer than "
                    f"{MAX_KEY_CHARS} characters"
                )
            _check_lengths(inner, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            _check_lengths(inner, f"{where}[{index + 1}]")


class IntakeBody(BaseModel):
    """A JSON intake body, kept as sent: the records go to the intake exactly as the client
    wrote them (key order, Chinese headers and all), as a file's rows would."""

    _sent: dict = PrivateAttr(default_factory=dict)

    @model_validator(mode="wrap")
    @classmethod
    def _keep_as_sent(cls, data, handler):
        _check_lengths(data, "")
        model = handler(data)
        if isinstance(data, dict):
            model._sent = data
        return model

    def records_sent(self) -> tuple[list[dict], bool]:
        """The records as sent and whether they came as a batch (``{"records": [...]}``)."""
        records = self._sent.get("records")
        if not isinstance(records, list):
            return [self._sent], False
        if not records or len(records) > MAX_BATCH:
            raise InvalidRequest(f"每批 1 至 {MAX_BATCH} 条记录 / send 1 to {MAX_BATCH} records")
        if not all(isinstance(record, dict) for record in records):
            raise InvalidRequest("每条记录须为 JSON 对象 / each record must be a JSON object")
        return records, True


class IntakeRecord(IntakeBody):
    """One row of the intake file template. Column names may be English, Chinese (编号, 受理时间,
    类别, 地址, 经度, 纬度, …) or any alias the file template takes; columns other than those
    declared here are passed on unchanged, as the cells of an extra file column would be."""

    model_config = ConfigDict(extra="allow")
    __pydantic_extra__: dict[str, JsonValue] = Field(init=False)

    external_id: Cell = Field(None, description="编号: the case's id in the sender's system")
    address: Cell = Field(None, description="地址: address text (or give lon/lat)")
    lon: Cell = Field(None, description="经度 (with lat, instead of or beside the address)")
    lat: Cell = Field(None, description="纬度")
    crs: Cell = Field(None, description="坐标系 of lon/lat: EPSG:4326 (default) or gcj02")
    description: Cell = Field(None, description="简要情况")
    source: Cell = Field(None, description="来源 (default: api:<user>)")


class Party(Out):
    """A party to a dispute (当事人)."""

    id: int | None = None
    role: Cell = Field(None, description="applicant, respondent, …")
    name: Cell = None
    id_number: Cell = None
    phone: Cell = None
    address_text: Cell = None


class DisputeIn(IntakeRecord):
    """One dispute: a row of the disputes template."""

    reported_at: Cell = Field(None, description="受理时间 (Beijing time unless zoned)")
    category: Cell = Field(None, description=", ".join(vocab.DISPUTE_CATEGORIES) + " or 类别")
    severity: Cell = Field(None, description=", ".join(vocab.DISPUTE_SEVERITIES) + " (minor)")
    parties: str | list[Party | Cell] | None = Field(
        None, description="当事人: names separated by ; or a list of {name, role, phone, …}"
    )


class DisputeBatchIn(IntakeBody):
    """Up to 5,000 disputes at once: good records are written, bad ones listed."""

    records: list[DisputeIn] = Field(min_length=1, max_length=MAX_BATCH)


DisputeIntake = Annotated[DisputeBatchIn | DisputeIn, Field(union_mode="left_to_right")]


class IntakeId(Out):
    """An accepted record: its external id and the id it was stored under."""

    external_id: str
    id: int


class IntakeReport(Out):
    """What an intake did with each record it was given (counts exact, lists in full)."""

    kind: Literal["disputes", "signals"]
    received: int
    accepted: int
    already_present: int = Field(description="stored before: never written twice")
    rejected: int
    needs_location: int = Field(description="stored, but on no grid yet")
    flagged_duplicates: int
    ids: list[IntakeId]
    already_present_ids: list[str]
    problems: list[RowProblemOut] = Field(description="row = position in the batch + 1")
    needs_location_ids: list[str]
    location_unverified: int = Field(0, description="位置待核实: no certain grid, or a conflict")
    location_checks: list[dict] = Field(
        default_factory=list, description="external_id, row, reason, conflicts, candidates"
    )


class DisputeProperties(Out):
    """A dispute as listed: no personal details."""

    id: int
    external_id: str
    category: str
    severity: str
    status: str
    reported_at: Stamp
    deadline: Stamp | None
    resolved_at: Stamp | None = None
    overdue: bool
    grid: str | None
    village: str | None = None
    township: str | None = None
    geocode_level: str | None = None
    geocode_score: float | None = None
    location_text: str | None = None
    location_status: str | None = Field(
        None, description="位置待核实 when no grid is certain or the evidence conflicts"
    )
    location_unit: str | None = Field(None, description="village/township the case is routed to")
    location_check: dict | None = Field(
        None, description="reason, conflicts (text vs unit, text vs GPS) and candidates"
    )
    assignee: str | None = None
    duplicate_of: int | None = None
    satisfaction: int | None = None
    version: int
    synthetic: bool


class DisputeFeature(Feature):
    """A dispute as a GeoJSON feature (point, or none when it is not located)."""

    id: int
    properties: DisputeProperties


class DisputeCollection(FeatureCollection):
    """A page of disputes in the caller's scope."""

    features: list[DisputeFeature]


class CaseEvent(Out):
    """One step of the case's history."""

    id: int
    at: Stamp
    actor: str | None
    action: str
    from_: str | None = Field(None, alias="from")
    to: str | None = None
    note: str | None = None


class RoutedCentre(Out):
    """The 综治中心 of the unit a case was routed to, with its point."""

    code: str
    name: str | None = None
    kind: str
    lon: float | None = None
    lat: float | None = None


class RoutedGridLeader(Out):
    """A grid leader of the unit a case was routed to; the phone only for callers who may
    see it (else ``contact: "restricted"``)."""

    code: str
    name: str | None = None
    grid_code: str
    grid_name: str | None = None
    open_workload: int
    phone: str | None = None
    contact: Literal["restricted"] | None = None


class LocationCandidates(Out):
    """Who may take a case without a certain grid (位置待核实): the village or township it
    was routed to, its centre and its grid leaders."""

    unit: str
    unit_name: str | None = None
    level: str
    level_words: str
    status: str
    centre: RoutedCentre | None = None
    grid_leaders: list[RoutedGridLeader]


class CaseProperties(DisputeProperties):
    """One case in full: history, supervision and (for roles that may) the parties."""

    events: list[CaseEvent]
    parties: list[Party] = Field(description="empty for roles that may not see them")
    supervision: dict[str, JsonValue] | None = None
    location_candidates: LocationCandidates | None = Field(
        None, description="位置待核实 cases routed to a village or township: its centre and leaders"
    )


class CaseFeature(Feature):
    """One dispute with its history as a GeoJSON feature."""

    id: int
    properties: CaseProperties


class TransitionIn(BaseModel):
    """A move along the loop, on the version the caller read."""

    to: str = Field(
        ...,
        max_length=MAX_LABEL,
        examples=["routed"],
        description=", ".join(vocab.DISPUTE_STATUSES),
    )
    version: int = Field(..., ge=1, description="the version you read (optimistic lock)")
    note: str | None = Field(None, max_length=MAX_NOTE)
    assignee: str | None = Field(None, max_length=MAX_CODE, description="staff code (routing)")
    facility: str | None = Field(None, max_length=MAX_CODE, description="facility code (routing)")
    unit: str | None = Field(
        None, max_length=20, description="grid, township or county code (routing to an area)"
    )
    satisfaction: int | None = Field(None, ge=1, le=5, description="rating (to rated)")
    rating_source: str | None = Field(
        None,
        max_length=MAX_LABEL,
        description="how the rating came (to rated): " + ", ".join(vocab.RATING_SOURCES),
    )


class DispatchAcceptIn(BaseModel):
    """Route the case to a dispatch recommendation in one step."""

    version: int = Field(..., ge=1, description="the version you read (optimistic lock)")
    rank: int = Field(1, ge=1, le=50, description="which recommendation (default: the first)")
    note: str | None = Field(None, max_length=MAX_NOTE)


class TransitionOut(Out):
    """The step taken, the new version and where the case may go next."""

    id: int
    from_: str = Field(alias="from")
    to: str
    version: int
    event_id: int
    allowed_next: list[str]


class SupervisionIn(BaseModel):
    """A supervision act (跟踪督办): flag, remind, or escalate to township / county."""

    act: str = Field(
        ..., max_length=MAX_LABEL, examples=["remind"], description="flag, remind or escalate"
    )
    version: int = Field(..., ge=1)
    note: str | None = Field(None, max_length=MAX_NOTE)
    escalate_to: str | None = Field(
        None, max_length=MAX_LABEL, description="township or county (escalate)"
    )


class DuplicateReviewIn(BaseModel):
    """A person's decision on a duplicate flag."""

    confirm: bool
    version: int = Field(..., ge=1)
    note: str | None = Field(None, max_length=MAX_NOTE)


class VersionOut(Out):
    """The case and its new version."""

    id: int
    version: int


class Recommendation(Out):
    """One candidate to take the case, ranked, with the reason."""

    rank: int
    role: str
    kind: str = Field(description="staff, or the facility kind")
    code: str | None
    name: str | None
    unit: str | None
    jurisdiction: str | None
    distance_m: int | float | None
    open_workload: int
    reason: str


class NearbyForce(Out):
    """A person of a needed kind near the case."""

    role: str
    role_label: str | None = None
    code: str
    name: str | None = None
    unit: str | None = None
    serves_grid: bool | None = None
    distance_m: int | float | None = None


class DispatchForces(Out):
    """Who is on duty now at the case's centres, and the nearest forces it needs."""

    at: Stamp
    on_duty: list[CentreOnDuty]
    roles: list[str]
    nearest: list[NearbyForce]


class DispatchOut(Out):
    """Who should take the case: ranked, with reasons, jurisdiction, distance and workload."""

    dispute_id: int
    category: str
    severity: str
    grid: str | None
    village: str | None
    township: str | None
    lead: str
    partners: list[str]
    recommendations: list[Recommendation]
    location_candidates: LocationCandidates | None = None
    forces: DispatchForces | None = None
