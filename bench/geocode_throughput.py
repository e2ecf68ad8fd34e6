"""Geocoding throughput: wangge's indexed gazetteer vs plain rapidfuzz, 30,000 and 1,000,000
addresses, and the cost of asking PostgreSQL instead of memory (all data synthetic).

The county is the demo county (30,000 standard addresses). The "province" repeats it under
other county codes and names until it holds about 1,000,000 addresses; townships and
villages get a tag character per copy, except 10 % of the villages, which keep their names
in every county (homonyms, as 东山村 or 中寨村 across a real province): queries naming no
county then are ambiguous between those copies, the expensive case for the matcher.

Queries are the noisy texts of ``bench/geocode_accuracy.py``. The peer is what a user would
write first: ``rapidfuzz.process.extractOne(query, all_full_texts, scorer=fuzz.ratio)``.
The PostgreSQL figures come from a TEMP table of the county's full texts (rolled back): one
indexed equality look-up per query, and one pg_trgm similarity search per query.

    uv run python bench/geocode_throughput.py [--counties 34] [--queries 3000]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz, process

sys.path.insert(0, str(Path(__file__).parent))

from geocode_accuracy import KINDS, NoisyWriter
from geocode_common import gazetteer_frames

from demo import generate
from geo.geocode.gazetteer import Gazetteer
from geo.geocode.match import Geocoder


def rss_mb() -> float:
    """Peak resident memory of this process in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


TAGS = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥金木水火土东西南北中上下左右前后"


def _tagged(name: str, tag: str) -> str:
    """城关镇 → 城关甲镇, 范家咀村民委员会 → 范家咀甲村民委员会 (keeps the suffix)."""
    for suffix in ("社区居民委员会", "村村民委员会", "村民委员会", "社区", "村", "镇", "乡"):
        if name.endswith(suffix):
            return name[: -len(suffix)] + tag + suffix
    return name + tag


def province(
    frames: dict[str, pd.DataFrame], copies: int, *, homonyms: float = 0.1, seed: int = 5
) -> dict[str, pd.DataFrame]:
    """The county repeated ``copies`` times under county codes 9xx021 and names 临潭N县.

    Township and village names get a tag character per copy, except a share ``homonyms``
    of the villages, which keep their names: real provinces repeat village names (东山村,
    中寨村) across counties, but not every name in every county.
    """
    rng = random.Random(seed)
    admin, addresses, centres = frames["admin_units"], frames["addresses"], frames["centres"]
    county_code = admin.loc[admin["level"] == "county", "code"].iloc[0]
    county_name = admin.loc[admin["level"] == "county", "name"].iloc[0]
    out_admin, out_addr, out_centres = [admin], [addresses], [centres]
    for i in range(1, copies):
        new = f"9{i:02d}{county_code[3:]}"
        tag = TAGS[i % len(TAGS)] + (TAGS[i // len(TAGS)] if i >= len(TAGS) else "")

        def recode(series: pd.Series, new: str = new) -> pd.Series:
            return series.astype("string").str.replace(county_code, new, n=1, regex=False)

        a = admin.copy()
        keep = {c for c in a.loc[a["level"] == "village", "code"] if rng.random() < homonyms}
        renamed = {}
        for row in a.itertuples():
            if row.level == "county":
                renamed[row.code] = (f"临潭{i}县", f"临潭{i}县")
            elif row.code in keep:
                renamed[row.code] = (row.name, row.short_name)
            else:
                renamed[row.code] = (_tagged(row.name, tag), _tagged(row.short_name, tag))
        a["name"] = [renamed[c][0] for c in a["code"]]
        a["short_name"] = [renamed[c][1] for c in a["code"]]
        a["aliases"] = None
        a["code"], a["parent_code"], a["county_code"] = (
            recode(a["code"]), recode(a["parent_code"]), new
        )  # fmt: skip
        a.loc[a["level"] == "county", "parent_code"] = None
        out_admin.append(a)
        b = addresses.copy()
        prefix_len = [
            len(county_name) + len(t) + len(v)
            for t, v in zip(b["township"], b["village"], strict=True)
        ]
        tails = [text[n:] for text, n in zip(b["full_text"], prefix_len, strict=True)]
        b["full_text"] = [
            f"临潭{i}县{renamed[t][1]}{renamed[v][1]}{tail}"
            for t, v, tail in zip(b["township_code"], b["village_code"], tails, strict=True)
        ]
        for col in ("code", "township_code", "village_code", "grid_code"):
            b[col] = recode(b[col])
        b["county_code"] = new
        out_addr.append(b)
        c = centres.copy()
        c["admin_code"] = recode(c["admin_code"])
        out_centres.append(c)
    return {
        "admin_units": pd.concat(out_admin, ignore_index=True),
        "addresses": pd.concat(out_addr, ignore_index=True),
        "centres": pd.concat(out_centres, ignore_index=True),
    }


def time_wangge(frames, queries: list[str]) -> tuple[float, float, float, Geocoder]:
    """(build CPU seconds, queries per CPU second, peak RSS MB) for wangge on these frames."""
    started = time.process_time()
    geocoder = Geocoder(Gazetteer.from_frames(**frames))
    build = time.process_time() - started
    geocoder.geocode(queries[0])
    started = time.process_time()
    for text in queries:
        geocoder.geocode(text)
    rate = len(queries) / (time.process_time() - started)
    return build, rate, rss_mb(), geocoder


def time_rapidfuzz(texts: list[str], queries: list[str]) -> float:
    """Queries per CPU second of plain extractOne over every full text."""
    started = time.process_time()
    for text in queries:
        process.extractOne(text, texts, scorer=fuzz.ratio)
    return len(queries) / (time.process_time() - started)


def time_postgres(texts: list[str], codes: list[str], queries: list[str]) -> dict[str, float]:
    """Per-query rates of PostgreSQL look-ups on a TEMP table of the full texts."""
    from sqlalchemy import text

    from geo.database.engine import database_url, make_engine

    engine = make_engine(database_url(), pool_size=1)
    rates: dict[str, float] = {}
    with engine.connect() as conn:
        trans = conn.begin()
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        conn.execute(text("CREATE TEMP TABLE bench_address (code text, full_text text)"))
        conn.execute(
            text("INSERT INTO bench_address VALUES (:code, :full_text)"),
            [{"code": c, "full_text": t} for c, t in zip(codes, texts, strict=True)],
        )
        conn.execute(text("CREATE INDEX ON bench_address (full_text)"))
        conn.execute(text("CREATE INDEX ON bench_address USING gin (full_text gin_trgm_ops)"))
        conn.execute(text("ANALYZE bench_address"))
        equal = text("SELECT code FROM bench_address WHERE full_text = :q")
        started = time.perf_counter()
        for q in queries:
            conn.execute(equal, {"q": q}).first()
        rates["indexed equality, one round trip per query"] = len(queries) / (
            time.perf_counter() - started
        )
        similar = text(
            "SELECT code FROM bench_address WHERE full_text % :q "
            "ORDER BY similarity(full_text, :q) DESC LIMIT 1"
        )
        sub = queries[:100]
        started = time.perf_counter()
        hits = sum(conn.execute(similar, {"q": q}).first() is not None for q in sub)
        rates["pg_trgm similarity (GIN), one per query"] = len(sub) / (
            time.perf_counter() - started
        )
        rates["pg_trgm queries with any match (of 100)"] = hits
        trans.rollback()
    engine.dispose()
    return rates


def main() -> None:
    """Print the figures of one run."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--counties", type=int, default=34)
    parser.add_argument("--queries", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    county = gazetteer_frames(generate(seed=623021))
    writer = NoisyWriter(county, rng)
    addresses = county["addresses"].reset_index(drop=True)
    queries = [
        writer.write(addresses.iloc[rng.randrange(len(addresses))], KINDS[i % len(KINDS)])[0]
        for i in range(args.queries)
    ]
    texts = addresses["full_text"].tolist()
    print(f"queries: {len(queries)} noisy texts ({len(set(KINDS))} noise kinds); rates in "
          f"addresses per CPU second of one core (load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores; PostgreSQL rates are wall-clock)\n")  # fmt: skip

    build, rate, rss, _ = time_wangge(county, queries)
    peer = time_rapidfuzz(texts, queries[:200])
    print(f"county, {len(texts):,} addresses (synthetic)")
    print(f"  wangge: {rate:,.0f} addresses/s; gazetteer built in {build:.1f} s; "
          f"peak RSS {rss:,.0f} MB")  # fmt: skip
    print(f"  rapidfuzz.extractOne over all full texts: {peer:,.1f} addresses/s")
    print(f"  ratio wangge / rapidfuzz: {rate / peer:,.0f}×")

    if not args.no_postgres:
        rates = time_postgres(texts, addresses["code"].tolist(), queries[:2000])
        print("  PostgreSQL on the same machine (TEMP table of the full texts):")
        for name, value in rates.items():
            print(f"    {name}: {value:,.0f}" + ("" if "of 100" in name else " queries/s"))

    big = province(county, args.counties)
    n_big = len(big["addresses"])
    build_big, rate_big, rss_big, geocoder = time_wangge(big, queries)
    peer_big = time_rapidfuzz(big["addresses"]["full_text"].tolist(), queries[:10])
    print(f"\nprovince, {n_big:,} addresses in {args.counties} counties (synthetic, repeated)")
    print(f"  wangge: {rate_big:,.0f} addresses/s; built in {build_big:.1f} s "
          f"({1e6 * build_big / n_big:.0f} µs/address vs {1e6 * build / len(texts):.0f} "
          f"for the county); peak RSS {rss_big:,.0f} MB")  # fmt: skip
    print(f"  rapidfuzz.extractOne over all full texts: {peer_big:,.2f} addresses/s")
    print(f"  ratio wangge / rapidfuzz: {rate_big / peer_big:,.0f}×")
    print(f"  per-query time, province / county: {rate / rate_big:.2f}× "
          f"for {n_big / len(texts):.0f}× the addresses")  # fmt: skip
    del geocoder


if __name__ == "__main__":
    main()
