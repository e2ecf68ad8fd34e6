"""``GET /api/v1/health``."""

from fastapi import APIRouter

from api.deps import SessionDep
from api.schemas.places import HealthOut
from geo.publishing import features

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthOut, response_model_exclude_unset=True)
def health(session: SessionDep) -> dict:
    """Liveness and readiness: the database answers, with versions and row counts."""
    return {"status": "ok", "database": features.health(session=session)}
