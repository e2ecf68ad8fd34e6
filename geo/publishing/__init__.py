"""Publishing: GeoJSON built in PostGIS, OGC API – Features, vector tiles, and the frames the map
pages draw."""
