"""Grid outlines drawn through empty land, not along the units' cell edges.

A grid is a set of households; its polygon only draws where they live. The units' cells
(:mod:`geo.redraw.cells`) tessellate the village around the addresses, so a thin spike of a cell
usually holds no house. Once the units are assigned, each grid's parts that the width rule's
opening removes (what a disc of ``MIN_STRIP_WIDTH_M`` inside the grid cannot reach, the
village's own narrow parts aside: :mod:`geo.redraw.shapes`) and that hold none of the grid's
address points are given to the neighbouring grid sharing the longest boundary with them. A
piece is given only when the grid stays in one piece, the neighbour stays in one piece and
grows no thin part, and either the thin area of both together shrinks (a strip of a grid that
breaks the width rule) or their Polsby–Popper rises (a notch of one that keeps it); rounds
repeat until nothing changes, ``MAX_ROUNDS`` at most. Households never move, so balance and
households moved are untouched; only the outlines change.

A thin part holding an address stays: that grid is a true exception (``REASON_ADDRESS``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo.redraw.cells import MIN_SHARED_EDGE_DEG, geoms_to_lonlat, geoms_to_metric
from geo.redraw.metrics import polsby_popper
from geo.redraw.shapes import MIN_STRIP_WIDTH_M, opening_loss, rule_pieces, village_losses

# Rounds over all grids before giving up (each accepted move shrinks the total thin area).
MAX_ROUNDS = 12
# A piece is grown by this much (degrees, about 1 cm) before it is cut out, so that no sliver
# of the grid lingers along the edges it shares with its neighbours.
CUT_DEG = 1e-7
# Boundaries within this distance (metres) count as shared.
EDGE_M = 0.05
# Thin area (m²) a strip's move must remove, net over both grids, to count as helping (and
# the most it may add to the receiving grid).
MIN_GAIN_M2 = 1.0
# Notches (what the opening removes from a grid that keeps the width rule) smaller than this
# (m²) stay: the gain is a rounding of corners, not worth the overlays.
NOTCH_MIN_M2 = 50.0
# Sum of both grids' Polsby–Popper a notch's move must add.
PP_GAIN = 0.002

# Why a grid keeps a thin part after drawing; the plan's summary names them.
REASON_ADDRESS = "address"  # households live in the thin part
REASON_CONNECTED = "connected"  # giving it away cuts the grid in two
REASON_NEIGHBOUR = "neighbour"  # no neighbouring grid can take it without a thin part


@dataclass(frozen=True)
class Transfer:
    """Land given by grid ``src`` to grid ``dst`` (indices): ``src``'s outline ``before`` and
    ``after`` (EPSG:4326); ``dst`` took ``before`` minus ``after``."""

    src: int
    dst: int
    before: BaseGeometry
    after: BaseGeometry


@dataclass
class DrawnGrids:
    """Grid outlines after drawing (EPSG:4326, same order as given).

    ``transfers``: the land given, in order. ``thin``: per grid index still holding a thin
    part, the reason."""

    geoms: np.ndarray
    transfers: list[Transfer] = field(default_factory=list)
    thin: dict[int, str] = field(default_factory=dict)


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    geom = shapely.make_valid(geom) if not geom.is_valid else geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and not p.is_empty]
    if not parts:
        return shapely.Polygon()
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


class _Drawing:
    """The grids being drawn, in EPSG:4326 (as stored) and in metres (as measured)."""

    def __init__(self, geoms, village, epsg, unit_xy, unit_grid):
        self.geoms = np.array([_polygonal(g) for g in geoms], dtype=object)
        self.epsg = epsg
        self.geoms_m = geoms_to_metric(self.geoms, epsg)
        village_m = geoms_to_metric(np.array([village]), epsg)[0]
        self.loss = village_losses(village_m)
        self.wide_loss = self.loss[MIN_STRIP_WIDTH_M].buffer(1.0)
        unit_grid = np.asarray(unit_grid)
        self.homes = [
            shapely.multipoints(unit_xy[unit_grid == i]) if (unit_grid == i).any() else None
            for i in range(len(self.geoms))
        ]
        self.blocked: dict[int, str] = {}
        # The same outline is measured again and again (each neighbour tried for each piece):
        # its thin pieces are kept by its exact coordinates.
        self._thin: dict[bytes, list[BaseGeometry]] = {}

    def thin(self, geom_m: BaseGeometry) -> list[BaseGeometry]:
        """Thin pieces of a grid at every width up to the minimum (metres)."""
        key = shapely.to_wkb(geom_m)
        if key not in self._thin:
            self._thin[key] = rule_pieces(geom_m, self.loss)
        return self._thin[key]

    def thin_area(self, geom_m: BaseGeometry) -> float:
        """Area (m²) of a grid's thin pieces, overlaps counted once."""
        found = self.thin(geom_m)
        return float(shapely.union_all(found).area) if found else 0.0

    def pieces(self, i: int) -> tuple[list[BaseGeometry], bool]:
        """What the opening at the minimum width removes from grid ``i`` and it may give away
        (metres), and whether those are thin strips: where the grid breaks the width rule, the
        parts holding its thin pieces; else its notches larger than ``NOTCH_MIN_M2``."""
        geom_m = self.geoms_m[i]
        found = self.thin(geom_m)
        loss = shapely.get_parts(opening_loss(geom_m, MIN_STRIP_WIDTH_M).difference(self.wide_loss))
        if not found:
            return [p for p in loss if p.area > NOTCH_MIN_M2], False
        thin = shapely.union_all(found)
        return [p for p in loss if p.intersects(thin) and p.area > 0], True

    def holds_address(self, i: int, piece_m: BaseGeometry) -> bool:
        """Whether ``piece_m`` holds one of grid ``i``'s address points."""
        return self.homes[i] is not None and piece_m.intersects(self.homes[i])

    def give(
        self, i: int, piece_m: BaseGeometry, strip: bool
    ) -> tuple[BaseGeometry, BaseGeometry, int] | None:
        """Give ``piece_m`` of grid ``i`` to the neighbour sharing most boundary with it that
        keeps both grids in one piece and grows no thin part; a thin ``strip`` must shrink the
        thin area of both together, a notch raise their Polsby–Popper by ``PP_GAIN``. Returns
        grid ``i`` before and after and the neighbour; ``None`` when no neighbour can (for a
        strip, the reason noted in ``blocked``).

        Both new outlines derive from one cut (grid ``i`` minus the piece grown by
        ``CUT_DEG``, so nothing of it lingers along the grid's edges; the neighbour takes the
        union of both minus what grid ``i`` keeps), so they share the cut exactly."""
        before = self.geoms[i]
        piece = geoms_to_lonlat(np.array([piece_m]), self.epsg)[0].buffer(CUT_DEG, quad_segs=2)
        parts = shapely.get_parts(_polygonal(shapely.difference(before, piece)))
        if len(parts) == 0:
            return None
        # What the cut leaves holding none of the grid's addresses is empty land too: it goes
        # with the piece. More parts with addresses than before means the cut splits the grid.
        parts_m = geoms_to_metric(parts, self.epsg)
        kept = np.array([self.holds_address(i, p) for p in parts_m])
        if kept.sum() > shapely.get_num_geometries(before) or not kept.any():
            if strip:
                self.blocked[i] = REASON_CONNECTED
            return None
        rest = parts[kept][0] if kept.sum() == 1 else _polygonal(shapely.union_all(parts[kept]))
        rest_m = geoms_to_metric(np.array([rest]), self.epsg)[0]
        given_m = _polygonal(shapely.difference(self.geoms_m[i], rest_m))
        edge = given_m.boundary
        shared = {
            j: float(shapely.intersection(edge, self.geoms_m[j].boundary.buffer(EDGE_M)).length)
            for j in range(len(self.geoms))
            if j != i and shapely.dwithin(self.geoms_m[j], given_m, EDGE_M)
        }
        old_src = self.thin_area(self.geoms_m[i]) if strip else 0.0
        new_src = None
        for j in sorted((j for j in shared if shared[j] > 2 * EDGE_M), key=lambda j: -shared[j]):
            grown = _polygonal(shapely.difference(shapely.union(self.geoms[j], before), rest))
            if shapely.get_num_geometries(grown) > shapely.get_num_geometries(self.geoms[j]):
                continue
            grown_m = geoms_to_metric(np.array([grown]), self.epsg)[0]
            if not strip:
                pp = polsby_popper(np.array([self.geoms_m[i], self.geoms_m[j], rest_m, grown_m]))
                if pp[2] + pp[3] < pp[0] + pp[1] + PP_GAIN:
                    continue
            if new_src is None:
                new_src = self.thin_area(rest_m)
                if not strip and new_src > 0:
                    return None
            old_dst = self.thin_area(self.geoms_m[j])
            new_dst = self.thin_area(grown_m)
            if new_dst > old_dst + MIN_GAIN_M2:
                continue
            if strip and old_src + old_dst - new_src - new_dst < MIN_GAIN_M2:
                continue
            self.geoms[i], self.geoms_m[i] = rest, rest_m
            self.geoms[j], self.geoms_m[j] = grown, grown_m
            return before, rest, j
        if strip:
            self.blocked.setdefault(i, REASON_NEIGHBOUR)
        return None


def draw_grids(
    geoms: np.ndarray,
    *,
    village: BaseGeometry,
    epsg: int,
    unit_xy: np.ndarray,
    unit_grid: np.ndarray,
    max_rounds: int = MAX_ROUNDS,
) -> DrawnGrids:
    """Draw grid outlines ``geoms`` (EPSG:4326, the dissolved cells of grid ``i`` whose units
    ``unit_grid == i`` sit at ``unit_xy``, metres in ``epsg``) through empty land: thin parts
    holding no address go to a neighbour (see the module docstring)."""
    d = _Drawing(geoms, village, epsg, np.asarray(unit_xy, float), unit_grid)
    transfers: list[Transfer] = []
    for _ in range(max_rounds):
        changed = False
        for i in range(len(d.geoms)):
            pieces, strip = d.pieces(i)
            for piece in pieces:
                if d.holds_address(i, piece):
                    continue
                try:
                    given = d.give(i, piece, strip)
                except shapely.errors.GEOSException:
                    # An outline the overlay cannot node is not drawn: the cells' union stays.
                    given = None
                if given is not None:
                    transfers.append(Transfer(i, given[2], given[0], given[1]))
                    changed = True
                    break
        if not changed:
            break
    thin = {}
    for i in range(len(d.geoms)):
        pieces, strip = d.pieces(i)
        if not strip:
            continue
        if any(d.holds_address(i, p) for p in pieces):
            thin[i] = REASON_ADDRESS
        else:
            thin[i] = d.blocked.get(i, REASON_NEIGHBOUR)
    return DrawnGrids(geoms=d.geoms, transfers=transfers, thin=thin)


def redraw_groups(groups: list[dict], grid_codes: list[str], drawn: DrawnGrids) -> None:
    """Follow the drawn grids in their groups' outlines: land given away leaves the groups of
    its grid and joins the receiving grid's group sharing most boundary with it."""
    by_grid: dict[str, list[dict]] = {}
    for g in groups:
        by_grid.setdefault(g["grid_code"], []).append(g)
    for t in drawn.transfers:
        given = shapely.difference(t.before, t.after)
        for g in by_grid.get(grid_codes[t.src], []):
            if g["geometry"].intersects(given):
                g["geometry"] = _polygonal(shapely.intersection(g["geometry"], t.after))
        takers = by_grid.get(grid_codes[t.dst], [])
        if not takers:
            continue
        edge = given.boundary.buffer(MIN_SHARED_EDGE_DEG)
        shared = [shapely.intersection(x["geometry"].boundary, edge).length for x in takers]
        best = takers[int(np.argmax(shared))]
        best["geometry"] = _polygonal(
            shapely.difference(shapely.union(best["geometry"], t.before), t.after)
        )
