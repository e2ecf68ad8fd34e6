"""``GET /api/v1/health``: public liveness and readiness; database details for the county
centre only."""

from fastapi import APIRouter
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from api.deps import OptionalUser, SessionDep
from api.errors import database_unavailable
from api.schemas.places import HealthOut
from geo.publishing import features

router = APIRouter(tags=["health"])


@router.get(
    "/health",
    response_model=HealthOut,
    response_model_exclude_unset=True,
    responses={503: {"description": "the database cannot be reached (with Retry-After)"}},
)
def health(session: SessionDep, user: OptionalUser):
    """``{"status": "ok"}`` when the service and its database answer, 503 with
    ``Retry-After`` when the database does not. Versions and row counts only for a logged-in
    county centre: they tell an attacker what to aim at."""
    try:
        if user is not None and user.role == "county_centre":
            return {"status": "ok", "database": features.health(session=session)}
        session.connection()  # checked out with a ping (pool_pre_ping): the database answers
    except (OperationalError, InterfaceError, PoolTimeout):
        return database_unavailable()
    return {"status": "ok"}
