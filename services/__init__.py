"""Use cases composed from the data layer (geo), the analysis (models) and the rendering (maps).

Both ways in, the HTTP routers and the command line, call these; neither imports the other.
"""
