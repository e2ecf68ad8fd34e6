"""Geocoding: address text and GPS fixes onto standard addresses and grids.

Pure parts (no database): :mod:`normalize` (canonical text), :mod:`parse` (levels by
suffix), :mod:`divisions` (China's provinces, prefectures and counties), :mod:`gazetteer`
(the indexed units and addresses), :mod:`match` (the :class:`~geo.geocode.match.Geocoder`),
:mod:`fuzzy` and :mod:`result`. Database parts: :mod:`store` (load the gazetteer, its
version, a cache) and :mod:`gps` (point → grid, nearest address, reverse geocoding).
"""
