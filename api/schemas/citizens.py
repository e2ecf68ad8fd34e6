"""Requests and responses of the citizens' channel (``/api/v1/citizen``) and of Open311."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import MAX_COMMENT, MAX_LABEL, MAX_PUBLIC_TEXT, Out

PHONE = r"^\+?[0-9][0-9 \-]{5,18}[0-9]$"
TOKEN = r"^[A-Za-z0-9_\-]{16,64}$"


class ChallengeOut(Out):
    """A small sum to answer with the report, and its ticket (one try, ten minutes)."""

    question: str
    ticket: str


class ReportIn(BaseModel):
    """A citizen's report from the public page."""

    model_config = ConfigDict(extra="forbid")

    lon: float = Field(..., ge=-180, le=180)
    lat: float = Field(..., ge=-90, le=90)
    category: str = Field(..., max_length=MAX_LABEL, description="a code of core.vocab categories")
    description: str = Field(..., min_length=5, max_length=MAX_PUBLIC_TEXT)
    phone: str | None = Field(None, pattern=PHONE, description="seen only by case roles")
    ticket: str = Field(..., max_length=200)
    answer: str = Field(..., max_length=8)
    website: str | None = Field(None, max_length=200, description="left empty by people")


class ReportOut(Out):
    """The case number and the private follow-up token (shown once, stored hashed)."""

    case_number: str
    token: str
    status: str


class NearbyItem(Out):
    """An open problem of the same kind nearby: no description, no person."""

    case_number: str
    category_label: str
    status_label: str
    reported_on: str
    metres: int


class NearbyOut(Out):
    """附近已有类似问题."""

    items: list[NearbyItem]


class FollowIn(BaseModel):
    """The follow-up token (sent in the body, never in a URL)."""

    model_config = ConfigDict(extra="forbid")

    token: str = Field(..., pattern=TOKEN)


class RatingIn(FollowIn):
    """The citizen's rating of a closed case."""

    satisfaction: int = Field(..., ge=1, le=5)
    comment: str | None = Field(None, max_length=MAX_COMMENT)


class HistoryStep(Out):
    """One status change: when and to what."""

    at: str | None
    status: str
    label: str


class RatingOut(Out):
    """The rating the citizen gave."""

    satisfaction: int
    comment: str | None
    at: str | None


class FollowOut(Out):
    """What the follow-up link shows."""

    case_number: str
    category: str
    category_label: str
    status: str
    status_label: str
    place: str | None
    reported_at: str | None
    deadline: str | None
    history: list[HistoryStep]
    may_rate: bool
    rating: RatingOut | None


class PublicCollection(Out):
    """A GeoJSON FeatureCollection of public shapes (outline, resolved-case dots)."""

    type: str
    features: list[dict]
