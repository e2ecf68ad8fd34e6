"""The two passes of the shape repair (:mod:`geo.redraw.repair`) and the reasons they give up.

Each pass works on the repair's village state: grids' units, loads, thin pieces and settlements.
A candidate move is first tried for its shape alone (applied, measured, undone), so that a rule
left broken is blamed on what actually stopped the fix: contiguity, a settlement, or nothing at
all (no move of whole units removes the strip). The band never stops a fix: when only the band
stands in the way, the move with the smallest worst excess over it is made instead.
"""

from __future__ import annotations

# Reasons a shape rule is left broken; the plan's summary names them.
REASON_VILLAGE = "village"  # the village itself is narrower than the minimum there
REASON_BALANCE = "balance"  # a band-keeping move was refused (noted, then tried out of band)
REASON_CONNECTED = "connected"  # every move that would fix it cuts a grid in two
REASON_SETTLEMENT = "settlement"  # every move that would fix it splits a settlement
REASON_CELL = "cell"  # no move of whole units removes it: the units' own cells are narrow there

# Thin area (m²) a strip move must remove, net over both grids, to count as helping.
MIN_GAIN_M2 = 1.0
# Distance (m) within which a thin piece continues one of the village's own narrow parts.
VILLAGE_TOUCH_M = 2.0
# Strip moves tried per grid and round.
MAX_STRIP_MOVES = 6
# Units touching a thin piece tried one by one.
MAX_SINGLE = 12

# The rules that may take a grid out of the band (the summary names them).
RULE_SETTLEMENT = "settlement"
RULE_MIN_WIDTH = "min_width"


def _moved_delta(village, moves: dict[int, int]) -> float:
    """Change in households away from their current grid if ``moves`` were made."""
    state = village.state
    delta = 0.0
    for u, g in moves.items():
        orig = int(state.orig[u])
        delta += state.w[u] * ((orig != g) - (orig != int(state.labels[u])))
    return delta


def _thin_count(village, grids) -> int:
    return sum(bool(village.pieces(g)) for g in grids if g in village.state.members)


def rejoin_settlements(village) -> tuple[bool, dict[int, tuple[list[int], str]]]:
    """Move every split settlement that fits a grid whole into one grid; ``(changed,
    {settlement: (grids, reason)})`` for those left split (only when every way cuts a grid in
    two). The band gives way: among the ways (into each grid holding part of it or touching it,
    with exchanges), the one leaving no new thin strip, then the smallest worst excess over the
    band in the village, then fewest households moved."""
    state = village.state
    changed = False
    left: dict[int, tuple[list[int], str]] = {}
    for s in sorted(village.members_of, key=lambda s: (village.set_load[s], s)):
        if village.set_load[s] > village.limit:
            continue
        units = village.members_of[s]
        parts: dict[int, float] = {}
        for u in units:
            r = int(state.labels[u])
            parts[r] = parts.get(r, 0.0) + state.w[u]
        if len(parts) <= 1:
            continue
        receivers = sorted(parts, key=lambda r: (-parts[r], r))
        receivers += sorted(village.neighbours_of(units) - set(parts))
        best = None
        for i, r in enumerate(receivers):
            key_plan = _rejoin_option(village, {u: r for u in units if int(state.labels[u]) != r})
            if key_plan is not None and (best is None or (*key_plan[0], i) < best[0]):
                best = ((*key_plan[0], i), key_plan[1])
        if best is None:
            left[s] = (sorted(parts), REASON_CONNECTED)
            continue
        village.note_pushed(village.delta_of(best[1]), RULE_SETTLEMENT)
        village.apply(best[1])
        changed = True
    return changed, left


def _rejoin_option(village, moves: dict[int, int]):
    """``((new strip, worst excess, households moved), plan)`` for rejoining by ``moves``
    (with the exchanges the band asks for, or the least bad ones), ``None`` when it cuts a grid
    in two."""
    if not village.connected_after(moves):
        return None
    plan = moves
    if not village.loads_ok(village.delta_of(moves)):
        plan = village.rebalance(moves) or village.rebalance(moves, relaxed=True)
    touched = {*plan.values(), *(int(village.state.labels[u]) for u in plan)}
    before = _thin_count(village, touched)
    back = village.apply(plan)
    strip = _thin_count(village, touched) > before
    village.apply(back)
    excess = round(village.excess(village.delta_of(plan)), 6)
    return (strip, excess, _moved_delta(village, plan)), plan


def remove_strips(village) -> bool:
    """Move the units of every grid's thin pieces to a neighbouring grid where that lessens the
    thin area; say whether anything moved. Notes per grid why the last attempt failed."""
    changed = False
    for r in sorted(village.state.members):
        for _ in range(MAX_STRIP_MOVES):
            if r not in village.state.members or not village.pieces(r):
                break
            village.notes[r] = set()
            pieces = sorted(village.pieces(r), key=lambda p: -p.area)
            if not any(_try_piece(village, r, piece) for piece in pieces) and not any(
                _try_relaxed(village, r, piece) for piece in pieces
            ):
                break
            changed = True
    return changed


def _candidates(village, r: int, piece) -> list[tuple[dict[int, int], int]]:
    """Moves that may lessen ``piece`` of grid ``r``, as ``(unit → grid, other grid)``: the
    units lying in it to each neighbouring grid (longest shared boundary first), else the
    neighbours' units beside it into ``r`` (widening the strip), then single units either way
    (a strip one cell's spike wide)."""
    state = village.state
    out = []
    for units in village.units_in(r, piece):
        if len(units) >= len(state.members[r]):
            continue
        targets = sorted(
            village.neighbours_of(units), key=lambda g: (-village.shared_with(units, g), g)
        )
        out.extend(({u: g for u in units}, g) for g in targets)
    beside = village.tree.query(piece.buffer(village.widths[-1] / 2), predicate="intersects")
    by_grid: dict[int, set[int]] = {}
    for u in beside.tolist():
        g = int(state.labels[u])
        if g != r:
            by_grid.setdefault(g, set()).add(u)
    for g in sorted(by_grid, key=lambda g: (-len(by_grid[g]), g)):
        if len(by_grid[g]) < len(state.members[g]):
            out.append(({u: r for u in by_grid[g]}, g))
    touching = village.tree.query(piece, predicate="intersects").tolist()
    for u in sorted(touching)[:MAX_SINGLE]:
        here = int(state.labels[u])
        if here == r and len(state.members[r]) > 1:
            out.extend(({u: g}, g) for g in sorted(village.neighbours_of({u})))
        elif here != r and len(state.members[here]) > 1:
            out.append(({u: r}, here))
    return out


def _try_piece(village, r: int, piece) -> bool:
    """Make the first move of :func:`_candidates` that keeps the band and lessens ``piece``."""
    return any(_attempt(village, r, moves, g) for moves, g in _candidates(village, r, piece))


def _attempt(village, r: int, moves: dict[int, int], g: int) -> bool:
    """Make ``moves`` between grids ``r`` and ``g`` if they are allowed and lessen the thin area
    of both; note on ``r`` what blocked a move that would have helped."""
    blocked = None
    if not village.connected_after(moves):
        blocked = REASON_CONNECTED
    elif not village.loads_ok(village.delta_of(moves)):
        plan = village.rebalance(moves, prefer=r if g in moves.values() else g)
        if plan is None:
            blocked = REASON_BALANCE
        else:
            moves = plan
    helps, splits = _measure(village, r, g, moves)
    if helps and blocked is None and splits:
        blocked = REASON_SETTLEMENT
    if helps and blocked is None:
        village.apply(moves)
        return True
    if helps:
        village.notes[r].add(blocked)
    return False


def _measure(village, r: int, g: int, moves: dict[int, int]) -> tuple[bool, bool]:
    """Whether ``moves`` would lessen the thin area of the grids they touch, and whether they
    would split a settlement that fits a grid (the state is left as it was)."""
    splits = village.unforced_splits(moves)
    touched = {r, g, *moves.values(), *(int(village.state.labels[u]) for u in moves)}
    before = sum(village.thin_area(x) for x in touched)
    back = village.apply(moves)
    helps = sum(village.thin_area(x) for x in touched) < before - MIN_GAIN_M2
    more_split = village.unforced_splits(moves) > splits
    village.apply(back)
    return helps, more_split


def _try_relaxed(village, r: int, piece) -> bool:
    """When only the band stopped every move, make the one that lessens ``piece`` with the
    smallest worst excess over the band in the village, then fewest households moved."""
    if REASON_BALANCE not in village.notes.get(r, set()):
        return False
    best = None
    notes = village.notes[r]
    for moves, g in _candidates(village, r, piece):
        if not village.connected_after(moves):
            continue
        prefer = r if g in moves.values() else g
        for plan in (village.rebalance(moves, prefer=prefer, relaxed=True), moves):
            helps, splits = _measure(village, r, g, plan)
            if helps and splits:
                notes.add(REASON_SETTLEMENT)
            if not helps or splits:
                continue
            key = (round(village.excess(village.delta_of(plan)), 6), _moved_delta(village, plan))
            if best is None or key < best[0]:
                best = (key, plan)
    notes.discard(REASON_BALANCE)
    if best is None:
        return False
    village.note_pushed(village.delta_of(best[1]), RULE_MIN_WIDTH)
    village.apply(best[1])
    return True


def thin_exceptions(village) -> dict[int, str]:
    """Grids left with a thin strip and why: what blocked a move that would have helped, else
    the village's own narrow part it continues, else the units' own cells."""
    out = {}
    for r in sorted(village.state.members):
        pieces = village.pieces(r)
        if not pieces:
            continue
        notes = village.notes.get(r, set())
        for reason in (REASON_BALANCE, REASON_CONNECTED, REASON_SETTLEMENT):
            if reason in notes:
                out[r] = reason
                break
        else:
            loss = village.village_loss[max(village.widths)]
            near = any(p.distance(loss) <= VILLAGE_TOUCH_M for p in pieces) and not loss.is_empty
            out[r] = REASON_VILLAGE if near else REASON_CELL
    return out
