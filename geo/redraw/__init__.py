"""Grid boundary redrawing and ten-household groups (issue 7).

Pure geometry in :mod:`~geo.redraw.cells`, :mod:`~geo.redraw.partition`,
:mod:`~geo.redraw.groups`, :mod:`~geo.redraw.metrics`, :mod:`~geo.redraw.village` and
:mod:`~geo.redraw.compare`; storage and application in :mod:`~geo.redraw.store`.
"""

from geo.redraw.store import (
    StalePlan,
    apply_plan,
    default_targets,
    get_plan,
    grids_as_of,
    plan_geojson,
    propose,
)

__all__ = [
    "StalePlan",
    "apply_plan",
    "default_targets",
    "get_plan",
    "grids_as_of",
    "plan_geojson",
    "propose",
]
