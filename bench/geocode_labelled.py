"""Geocoding accuracy on the hand-written labelled set (held out from tuning).

``bench/data/geocode_labelled.csv``: texts written by hand in the styles intake clerks use
(missing levels, Chinese numerals, 社 for 组, full-width digits, traditional characters,
variant characters, typos in three-character names, old names, buildings without 单元,
landmarks, duplicated village names, wrong townships, other counties), each with the
standard address or unit of the demo county it means (``truth``: 19-digit address code,
12-digit village, 9-digit township, 6-digit county, empty for no place) and the finest
level the text supports (``expected``; ``county`` for a duplicated name without its
township: the right answer is "ambiguous, with the truth among the candidates"). The
matcher's score caps were tuned on the synthetic texts of ``geocode_accuracy.py``, never on
these.

Printed: right level or finer; the wrong-grid rate among rows that got a grid (goal 0 %);
and the reliability table (share right by score band; goal ≥ 99 % at score ≥ 0.9).

    uv run python bench/geocode_labelled.py
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))

from geocode_common import gazetteer_frames

from geo.geocode.gazetteer import Gazetteer
from geo.geocode.match import Geocoder

LABELLED = Path(__file__).parent / "data" / "geocode_labelled.csv"
RANK = {"address": 6, "address_near": 5, "group": 4, "village": 3, "township": 2, "county": 1}
BANDS = [(0.0, 0.5), (0.5, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 0.95), (0.95, 1.01)]


def read_labelled(addresses: pd.DataFrame) -> pd.DataFrame:
    """The labelled rows with the truth spelled out (township, village, group, grid)."""
    rows = pd.read_csv(LABELLED, dtype=str).fillna("")
    by_code = addresses.set_index("code")
    out = []
    for row in rows.itertuples(index=False):
        truth = {"address": None, "village": None, "township": None, "group": None, "grid": None}
        code = row.truth
        if len(code) == 19:
            a = by_code.loc[code]
            truth |= {"address": code, "village": a.village_code, "township": a.township_code,
                      "group": None if pd.isna(a.group_no) else int(a.group_no),
                      "grid": a.grid_code}  # fmt: skip
        elif len(code) == 12:
            truth |= {"village": code, "township": code[:9]}
        elif len(code) == 9:
            truth["township"] = code
        out.append({"text": row.text, "expected": row.expected, "style": row.style, **truth,
                    "county": code[:6] if code else None})  # fmt: skip
    return pd.DataFrame(out)


def claims_agree(result, truth: dict) -> bool:
    """Every code the result claims agrees with the truth (whatever its level)."""
    if truth["county"] is None:
        return result.level == "none" and result.grid_code is None
    if result.ambiguous:
        return any(truth["village"] == c.code for c in result.candidates) and (
            result.grid_code is None
        )
    if result.level == "none":
        return True
    pairs = [
        (result.township_code, truth["township"]),
        (result.village_code, truth["village"]),
        (result.address_code, truth["address"]),
        (result.grid_code, truth["grid"]),
    ]
    if result.level == "group":
        pairs.append((result.group, truth["group"]))
    return all(got is None or got == want for got, want in pairs)


def right_level(result, truth: dict, expected: str) -> bool:
    """Right level or finer, and every claimed code agrees with the truth."""
    if expected == "none":
        return result.level == "none" and result.grid_code is None
    if expected == "county" and result.ambiguous:
        return claims_agree(result, truth)
    if result.level == "none" or RANK[result.level] < RANK[expected]:
        return False
    return claims_agree(result, truth)


def evaluate(geocoder: Geocoder, labelled: pd.DataFrame) -> dict:
    """Figures of one geocoder on the labelled set."""
    right = agree = gridded = wrong_grid = 0
    bands: Counter = Counter()
    bands_right: Counter = Counter()
    misses = []
    for row in labelled.to_dict("records"):
        result = geocoder.geocode(row["text"])
        ok = right_level(result, row, row["expected"])
        right += ok
        good = claims_agree(result, row)
        agree += good
        if result.grid_code is not None:
            gridded += 1
            wrong_grid += result.grid_code != row["grid"]
        band = next(b for b in BANDS if b[0] <= result.score < b[1])
        bands[band] += 1
        bands_right[band] += good
        if not ok:
            misses.append((row["text"], row["expected"], result.level, result.score))
    return {"n": len(labelled), "right": right, "agree": agree, "gridded": gridded,
            "wrong_grid": wrong_grid, "bands": bands, "bands_right": bands_right,
            "misses": misses}  # fmt: skip


def report(figures: dict, *, title: str) -> None:
    """Print the figures of :func:`evaluate`."""
    n = figures["n"]
    print(f"\n{title}: {n} hand-written texts (bench/data/geocode_labelled.csv)")
    print(f"  right level or finer: {figures['right']} ({100 * figures['right'] / n:.1f} %)")
    print(f"  claims agreeing with the truth: {figures['agree']} "
          f"({100 * figures['agree'] / n:.1f} %)")  # fmt: skip
    g = figures["gridded"]
    print(f"  rows given a grid: {g}; wrong grid among them: {figures['wrong_grid']} "
          f"({100 * figures['wrong_grid'] / max(g, 1):.2f} %)")  # fmt: skip
    print(f"  {'score band':<14}{'n':>6}{'right':>8}")
    high_n = high_right = 0
    for band in BANDS:
        count, ok = figures["bands"][band], figures["bands_right"][band]
        label = f"[{band[0]:.2f}, {min(band[1], 1.0):.2f}{']' if band[1] > 1 else ')'}"
        share = f"{100 * ok / count:.1f} %" if count else "-"
        print(f"  {label:<14}{count:>6}{share:>8}")
        if band[0] >= 0.9:
            high_n, high_right = high_n + count, high_right + ok
    print(f"  score ≥ 0.9: {high_n} rows, {high_right} right "
          f"({100 * high_right / max(high_n, 1):.1f} %; goal ≥ 99 %)")  # fmt: skip
    if figures["misses"]:
        print("  below the expected level (text, expected, got, score):")
        for miss in figures["misses"]:
            print(f"    {miss[0]} | {miss[1]} | {miss[2]} | {miss[3]}")


def main(county=None) -> None:
    """Build the demo county's gazetteer (with its facilities as landmarks) and report."""
    if county is None:
        from demo import generate

        county = generate(seed=623021)
    frames = gazetteer_frames(county)
    facilities = county.facilities.to_crs(4326)
    landmarks = pd.DataFrame(
        {"name": facilities["name"], "admin_code": facilities["admin_code"],
         "lon": facilities.geometry.x, "lat": facilities.geometry.y}
    )  # fmt: skip
    geocoder = Geocoder(Gazetteer.from_frames(**frames, landmarks=landmarks))
    report(evaluate(geocoder, read_labelled(frames["addresses"])), title="labelled set")


if __name__ == "__main__":
    main()
