"""The two passes of the shape repair (:mod:`geo.redraw.repair`) and the reasons they give up.

Each pass works on the repair's village state: grids' units, loads, thin pieces and settlements.
A candidate move is first tried for its shape alone (applied, measured, undone), so that a rule
left broken is blamed on what actually stopped the fix: the band, contiguity, a settlement, or
nothing at all (no move of whole units removes the strip).
"""

from __future__ import annotations

# Reasons a shape rule is left broken; the plan's summary names them.
REASON_VILLAGE = "village"  # the village itself is narrower than the minimum there
REASON_BALANCE = "balance"  # every move that would fix it leaves a grid outside the band
REASON_CONNECTED = "connected"  # every move that would fix it cuts a grid in two
REASON_SETTLEMENT = "settlement"  # every move that would fix it splits a settlement
REASON_CELL = "cell"  # no move of whole units removes it: the units' own cells are narrow there
REASON_STRIP = "strip"  # rejoining would leave a grid with a strip thinner than the minimum

# Thin area (m²) a strip move must remove, net over both grids, to count as helping.
MIN_GAIN_M2 = 1.0
# Distance (m) within which a thin piece continues one of the village's own narrow parts.
VILLAGE_TOUCH_M = 2.0
# Strip moves tried per grid and round.
MAX_STRIP_MOVES = 6


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
    """Move every split settlement that fits a grid whole into one grid where the band,
    contiguity and the strip rule allow; ``(changed, {settlement: (grids, reason)})`` for those
    left split."""
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
        options = []
        for r in receivers:
            moves = {u: r for u in units if int(state.labels[u]) != r}
            options.append((_moved_delta(village, moves), receivers.index(r), r, moves))
        options.sort(key=lambda o: o[:2])
        reasons = []
        for _, _, r, moves in options:
            reason = _try_rejoin(village, moves, r, parts)
            if reason is None:
                changed = True
                break
            reasons.append(reason)
        else:
            left[s] = (sorted(parts), _first_reason(reasons))
    return changed, left


def _try_rejoin(village, moves: dict[int, int], r: int, parts: dict[int, float]) -> str | None:
    if not village.connected_after(moves):
        return REASON_CONNECTED
    if not village.loads_ok(village._delta(moves)):
        plan = village.rebalance(moves)
        if plan is None:
            return REASON_BALANCE
        moves = plan
    touched = {r, *parts, *moves.values(), *(int(village.state.labels[u]) for u in moves)}
    before = _thin_count(village, touched)
    back = village.apply(moves)
    if _thin_count(village, touched) > before:
        village.apply(back)
        return REASON_STRIP
    return None


def _first_reason(reasons: list[str]) -> str:
    for reason in (REASON_BALANCE, REASON_STRIP, REASON_CONNECTED):
        if reason in reasons:
            return reason
    return REASON_CONNECTED


def remove_strips(village) -> bool:
    """Move the units of every grid's thin pieces to a neighbouring grid where that lessens the
    thin area; say whether anything moved. Notes per grid why the last attempt failed."""
    changed = False
    for r in sorted(village.state.members):
        for _ in range(MAX_STRIP_MOVES):
            if r not in village.state.members or not village.pieces(r):
                break
            village.notes[r] = set()
            if not any(
                _try_piece(village, r, piece)
                for piece in sorted(village.pieces(r), key=lambda p: -p.area)
            ):
                break
            changed = True
    return changed


def _try_piece(village, r: int, piece) -> bool:
    """Make the first allowed move that lessens ``piece``: the units lying in it to each
    neighbouring grid (longest shared boundary first), else the neighbours' units beside it
    into ``r`` (widening the strip)."""
    state = village.state
    for units in village.units_in(r, piece):
        if len(units) >= len(state.members[r]):
            continue
        targets = sorted(
            village.neighbours_of(units), key=lambda g: (-village.shared_with(units, g), g)
        )
        for g in targets:
            if _attempt(village, r, {u: g for u in units}, g):
                return True
    beside = village.tree.query(piece.buffer(village.widths[-1] / 2), predicate="intersects")
    by_grid: dict[int, set[int]] = {}
    for u in beside.tolist():
        g = int(state.labels[u])
        if g != r:
            by_grid.setdefault(g, set()).add(u)
    for g in sorted(by_grid, key=lambda g: (-len(by_grid[g]), g)):
        if len(by_grid[g]) < len(state.members[g]) and _attempt(
            village, r, {u: r for u in by_grid[g]}, g
        ):
            return True
    return False


def _attempt(village, r: int, moves: dict[int, int], g: int) -> bool:
    """Make ``moves`` between grids ``r`` and ``g`` if they are allowed and lessen the thin area
    of both; note on ``r`` what blocked a move that would have helped."""
    blocked = None
    if not village.connected_after(moves):
        blocked = REASON_CONNECTED
    elif not village.loads_ok(village._delta(moves)):
        plan = village.rebalance(moves, prefer=r if g in moves.values() else g)
        if plan is None:
            blocked = REASON_BALANCE
        else:
            moves = plan
    splits = village.unforced_splits(moves)
    touched = {r, g, *moves.values(), *(int(village.state.labels[u]) for u in moves)}
    before = sum(village.thin_area(x) for x in touched)
    back = village.apply(moves)
    helps = sum(village.thin_area(x) for x in touched) < before - MIN_GAIN_M2
    if helps and blocked is None and village.unforced_splits(moves) > splits:
        blocked = REASON_SETTLEMENT
    if helps and blocked is None:
        return True
    village.apply(back)
    if helps:
        village.notes[r].add(blocked)
    return False


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
