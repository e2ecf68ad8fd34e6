"""Import of a county's own data: admin units, grids, addresses, facilities.

``import_file`` reads GeoPackage, Shapefile, GeoJSON, CSV and Excel files, checks every row
(codes, parents, duplicates, geometry, CRS, swapped lon/lat, GCJ-02, grid tiling, points in
the county and on grids) and upserts by code in one transaction, or writes nothing and lists
every problem. See docs/loading.md for the accepted columns.
"""

from geo.places.importing import KINDS, ImportReport, import_file

__all__ = ["KINDS", "ImportReport", "import_file"]
