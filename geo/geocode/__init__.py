"""Geocoding: address text and GPS fixes onto standard addresses and grids.

Pure parts (no database): :mod:`normalize`, :mod:`parse`, :mod:`divisions`,
:mod:`gazetteer`, :mod:`match`. Database parts: :mod:`store` (load the gazetteer, its
version) and :mod:`gps` (point → grid, nearest address, reverse geocoding).
"""
