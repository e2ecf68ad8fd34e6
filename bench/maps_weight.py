"""Page weight and time to first full render of the command-room map, county and province.

Data: the demo county (seed 623021) and a 10-county "province" made by calling the demo
generator ten times with other county codes and seeds on copies of the Lintan outline laid
side by side. Generated frames are cached in bench/out/ (gitignored).

Compared, on the same frames:
  ours       the command-room page (coverage-simplified, rounded, assets linked from /static)
  ours-raw   the same page without simplification (tolerance 0, coordinates still rounded)
  explore    geopandas ``explore()`` of the same layers (folium defaults), its CDN assets
             answered from our vendored Leaflet so that it renders offline

Render time = navigation start → every grid polygon drawn (SVG paths in the overlay pane),
in headless Chromium (Debian's /usr/bin/chromium), median of 3 loads, 1600x900 viewport.

    uv run python bench/maps_weight.py [--counties 10] [--runs 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import http.server
import pickle
import statistics
import threading
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.affinity import translate

from maps.assets import BUNDLES, STATIC_DIR
from maps.command_room import command_room_page, render_page
from maps.payloads import (
    admin_payload,
    disputes_payload,
    facilities_payload,
    grids_payload,
    hotspots_payload,
)

OUT = Path(__file__).resolve().parent / "out" / "maps"
NOW = dt.datetime(2026, 11, 15, tzinfo=dt.UTC)
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _county(k: int):
    """Demo county k (0 = Lintan itself; others: new code, seed and shifted outline)."""
    from demo import generate
    from demo.inputs import load_default_boundary, load_default_divisions

    path = OUT / f"county_{k}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    if k == 0:
        county = generate()
    else:
        boundary = load_default_boundary()
        minx, miny, maxx, maxy = boundary.bounds
        dx, dy = (k % 5) * (maxx - minx) * 1.02, (k // 5) * (maxy - miny) * 1.02
        code = f"6231{k:02d}"
        divisions = load_default_divisions().astype({"code": str, "parent_code": str})
        for column in ("code", "parent_code"):
            divisions[column] = divisions[column].str.replace("623021", code, n=1, regex=False)
        if "code12" in divisions.columns:
            divisions["code12"] = divisions["code12"].astype(str).str.replace("623021", code, n=1)
        county = generate(
            seed=1000 + k,
            county_code=code,
            boundary=translate(boundary, dx, dy),
            divisions=divisions,
        )
    frames = {
        "admin_units": county.admin_units,
        "grids": county.grids,
        "facilities": county.facilities,
        "disputes": county.disputes,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(frames))
    return frames


def _map_frames(counties: list[dict]) -> dict:
    """The map layers from generator frames (risk = disputes per grid in the last 8 weeks)."""
    admin = pd.concat([c["admin_units"] for c in counties], ignore_index=True)
    grids = pd.concat([c["grids"] for c in counties], ignore_index=True)
    facilities = pd.concat([c["facilities"] for c in counties], ignore_index=True)
    raw = pd.concat([c["disputes"] for c in counties], ignore_index=True)
    disputes = gpd.GeoDataFrame(raw, geometry=gpd.points_from_xy(raw["lon"], raw["lat"]), crs=4326)
    reported = pd.to_datetime(disputes["reported_at"], utc=True)
    disputes["status"] = np.where(disputes["closed_at"].isna(), "in_progress", "archived")
    disputes["deadline"] = reported + pd.Timedelta(days=30)
    recent = disputes[reported > pd.Timestamp(NOW) - pd.Timedelta(weeks=8)]
    counts = recent.groupby("true_grid_code").size()
    grids = gpd.GeoDataFrame(grids, crs=4326)
    grids["risk"] = grids["code"].map(counts).fillna(0).astype(float)
    top = grids.nlargest(max(len(grids) // 20, 1), "risk").copy()
    top["hotspot_class"] = "persistent"
    return {
        "admin_units": gpd.GeoDataFrame(admin, crs=4326),
        "grids": grids,
        "facilities": gpd.GeoDataFrame(facilities, crs=4326),
        "disputes": disputes,
        "hotspots": top,
    }


def _ours(frames: dict, *, tolerance: float | None) -> str:
    kw = {} if tolerance is None else {"tolerance": tolerance}
    built = {
        "admin": admin_payload(frames["admin_units"], **kw),
        "grids": grids_payload(frames["grids"], **kw),
        "hotspots": hotspots_payload(frames["hotspots"], **kw),
        "disputes": disputes_payload(frames["disputes"], now=NOW),
        "facilities": facilities_payload(frames["facilities"]),
    }
    return render_page(command_room_page(built, title="bench"))


def _explore(frames: dict) -> str:
    m = frames["grids"][["code", "name", "households", "risk", "geometry"]].explore(
        column="risk", scheme="Quantiles", k=5, tiles=None, name="grids"
    )
    admin = frames["admin_units"][["code", "name", "level", "geometry"]]
    admin.explore(m=m, style_kwds={"fill": False}, name="admin")
    frames["hotspots"][["code", "hotspot_class", "geometry"]].explore(m=m, color="red")
    open_cases = frames["disputes"][frames["disputes"]["status"] == "in_progress"]
    open_cases[["external_id", "category", "geometry"]].explore(m=m, name="disputes")
    frames["facilities"][["code", "kind", "name", "geometry"]].explore(m=m, name="facilities")
    return m.get_root().render()


def _assets_bytes() -> int:
    names = ["leaflet", "markercluster", "fullscreen", "wangge"]
    files = [f for n in names for group in BUNDLES[n] for f in group]
    return sum((STATIC_DIR / f).stat().st_size for f in files)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        return


def _serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    link = root / "static"
    if not link.exists():
        link.symlink_to(STATIC_DIR, target_is_directory=True)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def _offline_cdn(route):
    """Answer explore()'s CDN requests from our vendored Leaflet; anything else empty."""
    url = route.request.url
    if url.startswith("http://127.0.0.1"):
        return route.continue_()
    name = url.rsplit("/", 1)[-1]
    local = {"leaflet.js": "vendor/leaflet/leaflet.js", "leaflet.css": "vendor/leaflet/leaflet.css"}
    if name in local:
        body = (STATIC_DIR / local[name]).read_bytes()
        kind = "text/css" if name.endswith(".css") else "application/javascript"
        return route.fulfill(status=200, body=body, content_type=kind)
    kind = "text/css" if ".css" in name else "application/javascript"
    return route.fulfill(status=200, body=b"", content_type=kind)


def _render_ms(browser, url: str, n_paths: int) -> float:
    """Milliseconds from navigation start until n_paths SVG paths are drawn."""
    page = browser.new_page(viewport={"width": 1600, "height": 900})
    page.route("**/*", _offline_cdn)
    page.goto(url, wait_until="commit", timeout=300_000)
    page.wait_for_function(
        f"() => document.querySelectorAll('.leaflet-overlay-pane path').length >= {n_paths}",
        polling="raf",
        timeout=300_000,
    )
    elapsed = page.evaluate("performance.now()")
    page.close()
    return elapsed


def main() -> None:
    """Build the pages, measure them, print a table and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counties", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    server, base = _serve(OUT)
    results = []
    scenarios = [("county", 1), (f"province ({args.counties} counties)", args.counties)]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for label, n in scenarios:
            started = time.perf_counter()
            frames = _map_frames([_county(k) for k in range(n)])
            n_grids = len(frames["grids"])
            print(f"{label}: {n_grids} grids, data ready in {time.perf_counter() - started:.1f} s")
            for variant in ("ours", "ours-raw", "explore"):
                t0 = time.perf_counter()
                if variant == "explore":
                    html = _explore(frames)
                else:
                    html = _ours(frames, tolerance=0.0 if variant == "ours-raw" else None)
                build_s = time.perf_counter() - t0
                name = f"{label.split()[0]}-{variant}.html"
                (OUT / name).write_text(html, encoding="utf-8")
                runs = [_render_ms(browser, f"{base}/{name}", n_grids) for _ in range(args.runs)]
                results.append(
                    {
                        "scenario": label,
                        "variant": variant,
                        "grids": n_grids,
                        "html_MB": len(html.encode("utf-8")) / 1e6,
                        "build_s": build_s,
                        "render_ms": statistics.median(runs),
                    }
                )
                r = results[-1]
                print(
                    f"  {variant:9s} html {r['html_MB']:6.2f} MB  build {build_s:5.1f} s  "
                    f"first full render {r['render_ms']:7.0f} ms"
                )
        browser.close()
    server.shutdown()
    print(f"\nplus our assets from /static (once, cacheable): {_assets_bytes() / 1e3:.0f} kB;")
    print("explore's own CDN assets (Leaflet, jQuery, Bootstrap, Font-Awesome …) not counted")
    table = pd.DataFrame(results)
    for label, part in table.groupby("scenario", sort=False):
        by = part.set_index("variant")

        def ratio(column: str, a: str, b: str, by=by) -> float:
            return by.at[a, column] / by.at[b, column]

        print(
            f"{label}: ours/explore html {ratio('html_MB', 'ours', 'explore'):.2f}x, "
            f"render {ratio('render_ms', 'ours', 'explore'):.2f}x; "
            f"ours/ours-raw html {ratio('html_MB', 'ours', 'ours-raw'):.2f}x, "
            f"render {ratio('render_ms', 'ours', 'ours-raw'):.2f}x"
        )


if __name__ == "__main__":
    main()
