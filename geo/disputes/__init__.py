"""Disputes (矛盾纠纷) and risk signals in the database: intake onto grids, the closed loop's
writes, dispatch, duplicates, statistics, the ledger and the restricted party details.

Modules: :mod:`columns` (the file template), :mod:`locate` (point, grid, geocode),
:mod:`intake`, :mod:`workflow` (versioned transitions; the rules are in core.cases),
:mod:`supervision` (跟踪督办), :mod:`dispatch` (分流转办), :mod:`duplicates`,
:mod:`stats`, :mod:`ledger` and :mod:`ledger_book` (the 台账 and its workbook),
:mod:`parties`, :mod:`listing` (GeoJSON reads), :mod:`history` (a replayed past, written in
bulk). Time limits (限时办结) are in core.limits.
"""
