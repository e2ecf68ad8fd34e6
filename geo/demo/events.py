"""Disputes and signals (placeholder while the event process is written)."""

import pandas as pd


def build_events(**kwargs):
    """Return empty dispute and signal frames."""
    return pd.DataFrame(), pd.DataFrame()
