"""GerryChain's ReCom chain on the units of one village, for bench/redraw_compare.py.

The chain starts from the current grids (units without a grid join a neighbour's), keeps the
number of grids, balances each recombined pair within the same tolerance around the village's
mean households per grid, and runs a fixed number of steps from a fixed seed. Every state is
accepted (ReCom itself only makes contiguous, balanced pairs); the last state is the answer.
"""

from __future__ import annotations

import functools
import random

import networkx as nx
import numpy as np
from gerrychain import Graph, MarkovChain, Partition
from gerrychain.accept import always_accept
from gerrychain.proposals import recom
from gerrychain.tree import bipartition_tree

from geo.redraw.cells import VillageCells


def _fill_unassigned(initial: np.ndarray, cells: VillageCells) -> np.ndarray:
    labels = initial.copy()
    while (labels < 0).any():
        for u in np.flatnonzero(labels < 0):
            known = [labels[n] for n in cells.neighbours[u] if labels[n] >= 0]
            if known:
                labels[u] = known[0]
        if (labels < 0).all():
            labels[:] = 0
    return labels


def recom_labels(
    cells: VillageCells, initial: np.ndarray, *, tolerance: float, steps: int, seed: int = 0
) -> tuple[np.ndarray, int]:
    """Unit labels after ``steps`` ReCom steps from ``initial``, and the steps that failed."""
    labels = _fill_unassigned(np.asarray(initial, dtype=np.int64), cells)
    if len(np.unique(labels)) < 2:
        return labels, 0
    graph = nx.Graph()
    for u in range(cells.n_units):
        graph.add_node(u, households=float(cells.weight[u]))
        for n in cells.neighbours[u]:
            graph.add_edge(u, int(n))
    rng = random.Random(seed)
    state = Partition(
        Graph.from_networkx(graph),
        assignment={u: int(labels[u]) for u in range(cells.n_units)},
        updaters={"households": _households},
    )
    ideal = float(cells.weight.sum()) / len(state.parts)
    propose = functools.partial(
        recom,
        pop_col="households",
        pop_target=ideal,
        epsilon=tolerance,
        node_repeats=0,
        bipartition_tree_fn=functools.partial(
            bipartition_tree, max_attempts=200, allow_pair_reselection=True
        ),
        rng=rng,
    )
    failed = 0
    chain = MarkovChain(
        proposal_fn=propose, constraints=[], acceptance_fn=always_accept, initial_partition=state,
        total_steps=steps,
    )  # fmt: skip
    try:
        for state in chain:  # noqa: B007
            pass
    except Exception:
        # a pair ReCom cannot balance ends the chain at the last state it reached
        failed = 1
    out = np.array([state.assignment[u] for u in range(cells.n_units)], dtype=np.int64)
    return out, failed


def _households(partition) -> dict:
    totals: dict = {}
    for node, part in partition.assignment.items():
        totals[part] = totals.get(part, 0.0) + partition.graph.nodes[node]["households"]
    return totals
