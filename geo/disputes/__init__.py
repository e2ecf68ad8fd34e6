"""Disputes (矛盾纠纷) and risk signals: intake onto grids, the closed loop, dispatch,
duplicates, statistics and the restricted party details.

Modules: :mod:`columns` (the file template), :mod:`locate` (point, grid, geocode),
:mod:`intake`, :mod:`limits` (限时办结), :mod:`workflow` (the state machine),
:mod:`supervision` (跟踪督办), :mod:`dispatch` (分流转办), :mod:`duplicates`,
:mod:`stats`, :mod:`parties`, :mod:`listing` (GeoJSON reads), :mod:`history` (a replayed
past, written in bulk).
"""
