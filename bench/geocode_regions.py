"""Province / prefecture / county parsing of real Chinese addresses: wangge vs cpca vs jionlp.

Labelled: ``shared/data/cn_address_eval/labeled_fixtures.jsonl`` (43 real addresses with the
expected province, city and county, taken from the test suites of jionlp and cpca). The
labels follow each tool's conventions; one convention is reconciled for every tool alike:
cpca writes 市辖区 as the city of a municipality where jionlp writes the municipality, so a
label 市辖区 also accepts the municipality's name. Unlabelled:
``cpca_tests_addr.csv`` (18,367 real addresses): share with a county found, agreement of the
counties found, and speed.

Note: wangge's region rules were written while looking at these 43 fixtures, so its figure
on them is not a held-out score; the 18,367 unlabelled addresses are the fairer check.

    uv run --group bench python bench/geocode_regions.py
"""

from __future__ import annotations

import json
import time
import warnings
from pathlib import Path

import pandas as pd

from geo.geocode.divisions import load_divisions

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "cn_address_eval"
MUNICIPALITIES = {"北京市", "天津市", "上海市", "重庆市"}
FIELDS = ("province", "city", "county")


def _clean(value):
    return None if value is None or (isinstance(value, float) and value != value) else value


def agrees(field: str, got, want, province) -> bool:
    """Field equality, with 市辖区 (cpca's city of a municipality) = the municipality."""
    got, want = _clean(got), _clean(want)
    if field == "city" and want == "市辖区" and province in MUNICIPALITIES:
        return got in ("市辖区", province)
    return got == want


def run_wangge(texts: list[str]) -> list[tuple]:
    """(province, city, county) per text from wangge's division index."""
    index = load_divisions()
    out = []
    for text in texts:
        match = index.recognise(text)
        out.append((match.province, match.prefecture, match.county) if match else (None,) * 3)
    return out


def run_cpca(texts: list[str]) -> list[tuple]:
    """(province, city, county) per text from cpca.transform."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import cpca
    frame = cpca.transform(texts)
    return [tuple(_clean(v) for v in row) for row in frame[["省", "市", "区"]].itertuples(False)]


def run_jionlp(texts: list[str]) -> list[tuple]:
    """(province, city, county) per text from jionlp.parse_location."""
    import jionlp

    out = []
    for text in texts:
        parsed = jionlp.parse_location(text, town_village=False, change2new=True)
        out.append((parsed["province"], parsed["city"], parsed["county"]))
    return out


def main() -> None:
    """Print the figures of one run."""
    rows = [json.loads(line) for line in (DATA / "labeled_fixtures.jsonl").open(encoding="utf-8")]
    texts = [r["text"] for r in rows]
    tools = {"wangge": run_wangge, "cpca": run_cpca, "jionlp": run_jionlp}
    print(f"labelled real addresses: {len(rows)} (jionlp and cpca test fixtures)")
    print(f"{'tool':<8}" + "".join(f"{f:>12}" for f in FIELDS))
    for name, run in tools.items():
        got = run(texts)
        scores = [
            sum(agrees(f, g[i], r[f], r["province"]) for g, r in zip(got, rows, strict=True))
            for i, f in enumerate(FIELDS)
        ]
        print(f"{name:<8}" + "".join(f"{s:>8}/{len(rows)}" for s in scores))

    addresses = pd.read_csv(DATA / "cpca_tests_addr.csv")
    texts = [str(t) for t in addresses.iloc[:, 0].dropna() if str(t).strip()]
    print(f"\nunlabelled real addresses: {len(texts):,}")
    found = {}
    for name, run in tools.items():
        started = time.process_time()
        got = run(texts)
        elapsed = time.process_time() - started
        found[name] = [g[2] for g in got]
        share = sum(g[2] is not None for g in got) / len(texts)
        rate = len(texts) / elapsed
        print(f"  {name:<8} county found {100 * share:5.1f} %, {rate:,.0f} addresses/s")
    for other in ("cpca", "jionlp"):
        both = [(a, b) for a, b in zip(found["wangge"], found[other], strict=True) if a and b]
        same = sum(a == b for a, b in both)
        print(f"  wangge vs {other}: both found a county in {len(both):,}, same county in "
              f"{same:,} ({100 * same / max(len(both), 1):.1f} %)")  # fmt: skip
    both = [(a, b) for a, b in zip(found["cpca"], found["jionlp"], strict=True) if a and b]
    same = sum(a == b for a, b in both)
    print(f"  cpca vs jionlp: both found a county in {len(both):,}, same county in {same:,} "
          f"({100 * same / max(len(both), 1):.1f} %)")  # fmt: skip


if __name__ == "__main__":
    main()
