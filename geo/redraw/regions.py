"""Regions of units on an adjacency graph: membership, loads, connectivity checks and moves.

The bookkeeping under the repair search of :mod:`geo.redraw.partition`: which units each
region holds, how many households it carries, which regions touch, and whether a region stays
connected when a unit leaves it.
"""

from __future__ import annotations

from collections import deque

import numpy as np

UNASSIGNED = -1


class RegionState:
    """Units grouped into regions, with loads and the adjacency as edge arrays."""

    def __init__(self, labels, weights, neighbours, xy, original):
        self.labels = labels
        self.w = weights
        self.nb = neighbours
        self.xy = xy
        self.orig = original
        self.members: dict[int, set[int]] = {}
        for u, r in enumerate(labels):
            self.members.setdefault(int(r), set()).add(u)
        self.load = {r: float(weights[list(m)].sum()) for r, m in self.members.items()}
        self.next_id = max(self.members, default=-1) + 1
        self.parent: dict[int, int] = {}
        self.merged: dict[int, int] = {}
        sizes = [len(n) for n in neighbours]
        self.src = np.repeat(np.arange(len(neighbours)), sizes)
        self.dst = (np.concatenate(neighbours) if sizes and sum(sizes) else np.zeros(0)).astype(
            np.int64
        )

    def copy(self) -> RegionState:
        """An independent copy (labels, members, loads, parents), sharing the graph."""
        other = object.__new__(RegionState)
        other.__dict__.update(self.__dict__)
        other.labels = self.labels.copy()
        other.members = {r: set(m) for r, m in self.members.items()}
        other.load = dict(self.load)
        other.parent = dict(self.parent)
        other.merged = dict(self.merged)
        return other

    def move(self, u: int, to: int) -> None:
        src = int(self.labels[u])
        self.members[src].discard(u)
        self.load[src] -= self.w[u]
        if not self.members[src]:
            del self.members[src]
            del self.load[src]
        self.members.setdefault(to, set()).add(u)
        self.load[to] = self.load.get(to, 0.0) + self.w[u]
        self.labels[u] = to

    def move_within_band(self, u: int, to: int, lo: float, hi: float) -> bool:
        """Move unit ``u`` to region ``to`` if both regions' loads stay inside [lo, hi] and
        its own region stays connected without it; say whether it moved."""
        w = self.w[u]
        here = int(self.labels[u])
        if self.load[to] + w > hi or self.load[here] - w < lo:
            return False
        if not self.stays_connected_without(u):
            return False
        self.move(u, to)
        return True

    def centre(self, r: int) -> np.ndarray:
        idx = np.fromiter(self.members[r], dtype=np.int64)
        wts = self.w[idx] + 1e-3
        return (self.xy[idx] * wts[:, None]).sum(0) / wts.sum()

    def region_neighbours(self) -> dict[int, set[int]]:
        adj: dict[int, set[int]] = {r: set() for r in self.members}
        a, b = self.labels[self.src], self.labels[self.dst]
        cross = a != b
        if cross.any():
            span = int(max(a.max(), b.max())) + 1
            for key in np.unique(a[cross] * span + b[cross]).tolist():
                adj[key // span].add(key % span)
        return adj

    def stays_connected_without(self, u: int) -> bool:
        r = int(self.labels[u])
        inside = [int(v) for v in self.nb[u] if self.labels[v] == r]
        if len(self.members[r]) <= 1:
            return False
        if len(inside) <= 1:
            return True
        goal = set(inside)
        seen = {inside[0], u}
        queue = deque([inside[0]])
        found = 1
        while queue:
            x = queue.popleft()
            for y in self.nb[x]:
                y = int(y)
                if y not in seen and self.labels[y] == r:
                    seen.add(y)
                    if y in goal:
                        found += 1
                        if found == len(goal):
                            return True
                    queue.append(y)
        return False

    def components(self, r: int) -> list[set[int]]:
        left = set(self.members[r])
        parts = []
        while left:
            start = left.pop()
            part = {start}
            queue = deque([start])
            while queue:
                x = queue.popleft()
                for y in self.nb[x]:
                    y = int(y)
                    if y in left:
                        left.discard(y)
                        part.add(y)
                        queue.append(y)
            parts.append(part)
        return parts


def fill_unassigned(labels: np.ndarray, neighbours: list[np.ndarray]) -> np.ndarray:
    """Give each unassigned unit the label of its nearest assigned unit (breadth-first)."""
    labels = labels.copy()
    queue = deque(int(u) for u in np.flatnonzero(labels != UNASSIGNED))
    while queue:
        u = queue.popleft()
        for v in neighbours[u]:
            if labels[v] == UNASSIGNED:
                labels[v] = labels[u]
                queue.append(int(v))
    return labels


def make_contiguous(state: RegionState) -> None:
    changed = True
    while changed:
        changed = False
        for r in list(state.members):
            if r not in state.members:
                continue
            parts = state.components(r)
            if len(parts) <= 1:
                continue
            parts.sort(key=lambda p: (state.w[list(p)].sum(), len(p)), reverse=True)
            for part in parts[1:]:
                touching: dict[int, int] = {}
                for u in part:
                    for v in state.nb[u]:
                        rv = int(state.labels[v])
                        if rv != r:
                            touching[rv] = touching.get(rv, 0) + 1
                if not touching:
                    continue
                into = max(touching, key=lambda k: (touching[k], -k))
                for u in part:
                    state.move(u, into)
                changed = True
