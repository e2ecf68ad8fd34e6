"""Geocoding accuracy on noisy address text generated from the demo county (synthetic data).

Each sample takes a random standard address of the demo county and writes it the way a
clerk or a villager might: numerals changed, levels omitted or reordered, suffixes varied,
province and prefecture added, full-width characters, a typo, a landmark instead of a
house number, the wrong township, an old name, or another county altogether. Every sample
carries the truth (address, grid, group, village, township) and the finest level the text
still supports (``expected``): a typo in a two-character village name leaves only the
township; a duplicated village name without its township leaves only the county.

A result is *right* when its level is the expected one or finer and every code it claims
agrees with the truth (an ambiguous result is right when the truth is among its
candidates and the expected level is county). Printed: share right, by noise kind; share of
wrong grids among results given a grid; the score calibration on these synthetic texts (the
tuning set of ``geo.geocode.finish.SCORE_CAPS``); outside-county samples put on a grid; then
the held-out hand-written labelled set (``geocode_labelled.py``).
Side by side: plain ``rapidfuzz.process.extractOne`` over all full texts (the tool a user
would pick instead) on the same samples.

    uv run python bench/geocode_accuracy.py [--samples 6000] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz, process

sys.path.insert(0, str(Path(__file__).parent))

import geocode_labelled
from geocode_common import gazetteer_frames
from geocode_labelled import BANDS

from demo import generate
from geo.geocode.gazetteer import Gazetteer
from geo.geocode.match import LEVELS, Geocoder
from geo.geocode.parse import village_core

RANK = {level: len(LEVELS) - i for i, level in enumerate(LEVELS)}  # address highest
CN = "零一二三四五六七八九"
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
TRADITIONAL = str.maketrans(
    {"县": "縣", "镇": "鎮", "乡": "鄉", "组": "組", "号": "號", "关": "關"}
)
PREFIXES = ["甘肃省甘南藏族自治州", "甘肃甘南州", "甘南州", "甘肃省", "甘南藏族自治州"]
LANDMARKS = ["旁边", "对面", "附近", "小卖部旁边", "隔壁"]
TYPO_CHARS = "的了是在有我他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持"  # noqa: E501
TYPO_CHARS = "".join(
    ch
    for ch in TYPO_CHARS
    if ch not in "社队区号路镇乡县村组楼室院门街旗州市省" + CN + "十百千万两"
)
OUTSIDE = [
    "甘肃省卓尼县柳林镇{v}{g}组{n}号",
    "岷县梅川镇{v}{g}组{n}号",
    "甘南州合作市当周街道{n}号",
    "兰州市城关区张掖路{n}号",
    "康乐县附城镇{v}{g}组{n}号",
    "和政县城关镇{v}{g}组{n}号",
]


def cn_number(value: int) -> str:
    """12 → 十二, 21 → 二十一, 105 → 一百零五."""
    if value < 10:
        return CN[value]
    if value < 20:
        return "十" + (CN[value % 10] if value % 10 else "")
    if value < 100:
        return CN[value // 10] + "十" + (CN[value % 10] if value % 10 else "")
    rest = value % 100
    tail = "" if rest == 0 else ("零" + CN[rest] if rest < 10 else cn_number(rest))
    return CN[value // 100] + "百" + tail


class NoisyWriter:
    """Writes a standard address with one kind of noise and says which level survives."""

    def __init__(self, frames: dict[str, pd.DataFrame], rng: random.Random) -> None:
        self.rng = rng
        admin = frames["admin_units"]
        self.names = dict(zip(admin["code"], admin["name"], strict=True))
        self.aliases = {
            c: [a for a in (al if isinstance(al, list | tuple) else []) if len(a) > 2]
            for c, al in zip(admin["code"], admin["aliases"], strict=True)
        }
        villages = admin[admin["level"] == "village"]
        cores = Counter(village_core(n) for n in villages["name"])
        self.duplicated = {c for c, n in zip(villages["code"], villages["name"], strict=True)
                           if cores[village_core(n)] > 1}  # fmt: skip
        self.townships = admin.loc[admin["level"] == "township", "short_name"].tolist()
        self.cores_of: dict[str, list[str]] = defaultdict(list)
        for parent, name in zip(villages["parent_code"], villages["name"], strict=True):
            self.cores_of[parent].append(village_core(name))
        short_of = dict(zip(admin["code"], admin["short_name"], strict=True))
        pairs = zip(villages["parent_code"], villages["name"], strict=True)
        self.cores_in = {(short_of[p], village_core(n)) for p, n in pairs}
        addresses = frames["addresses"]
        units_per_number = addresses.groupby(["village_code", "road", "number"]).size()
        self.multi_unit = set(units_per_number[units_per_number > 1].index)

    def write(self, row, kind: str) -> tuple[str, str]:
        """(noisy text, expected level) for one address row and one noise kind."""
        rng = self.rng
        town, village = row.township, row.village
        rural = pd.notna(row.group_no)
        dup = row.village_code in self.duplicated
        g = int(row.group_no) if rural else None
        tail = f"{g}组{row.number}号" if rural else f"{row.road}{row.number}号{row.building or ''}"
        if not rural and str(row.building) == "nan":
            tail = f"{row.road}{row.number}号"
        core = village_core(village)
        if kind == "clean":
            return row.full_text, "address"
        if kind == "arabic_numerals":
            return f"临潭县{town}{village}{tail}", "address"
        if kind == "chinese_numerals":
            if rural:
                return f"{town}{village}{cn_number(g)}组{cn_number(int(row.number))}号", "address"
            return (
                f"{town}{village}{row.road}{cn_number(int(row.number))}号{row.building or ''}",
                "address",
            )
        if kind == "no_county":
            return f"{town}{village}{tail}", "address"
        if kind == "no_township":
            return f"{village}{tail}", "county" if dup else "address"
        if kind == "prefix":
            return f"{rng.choice(PREFIXES)}临潭县{town}{village}{tail}", "address"
        if kind == "suffix_variant":
            suffix = (
                rng.choice(["村委会", "村民委员会", ""]) if rural else rng.choice(["居委会", ""])
            )
            if rural:
                tail = f"{g}{rng.choice(['组', '社', '队'])}{row.number}号"
            return f"{town}{core}{suffix}{tail}", "address"
        if kind == "full_width_spaces":
            return f"临潭县 {town} {village} {tail}".translate(FULL_WIDTH), "address"
        if kind == "traditional":
            return f"临潭县{town}{village}{tail}".translate(TRADITIONAL), "address"
        if kind == "reordered":
            return f"{tail}，{village}，{town}", "address"
        if kind == "typo":
            if len(core) < 2:
                return row.full_text, "address"
            i = rng.randrange(len(core))
            typo = core[:i] + rng.choice(TYPO_CHARS) + core[i + 1 :]
            # recoverable only when the true name is the single closest in its township
            closest = sorted(
                (fuzz.ratio(typo, other), other) for other in self.cores_of[row.township_code]
            )[::-1]
            unique = closest[0][1] == core and (len(closest) == 1 or closest[1][0] < closest[0][0])
            expected = "address" if len(core) >= 3 and unique else "township"
            return f"{town}{typo}{village[len(core) :]}{tail}", expected
        if kind == "landmark":
            if rural and rng.random() < 0.5:
                return f"{town}{village}{g}组{rng.choice(LANDMARKS)}", "group"
            committee = "村委会" if rural else "居委会"
            return f"{town}{village}{committee}{rng.choice(LANDMARKS)}", "village"
        if kind == "group_only":
            if not rural:
                return f"{town}{village}{row.road}", "village"
            return f"临潭县{town}{village}{cn_number(g)}组", "group"
        if kind == "wrong_township":
            # never a township that has a village of the same name: that text would name
            # another real place, not a slip
            others = [t for t in self.townships if t != town and (t, core) not in self.cores_in]
            return f"{rng.choice(others)}{village}{tail}", "county" if dup else "address"
        if kind == "old_name":
            alias = next(iter(self.aliases.get(row.village_code, [])), None)
            if alias is None or alias == village:
                return f"{town}{village}{tail}", "address"
            return f"{town}{alias}{tail}", "address"
        if kind == "mixed":
            # a structural slip plus surface noise: spaces, full-width digits, traditional
            text, expected = self.write(row, rng.choice(STRUCTURAL))
            if rng.random() < 0.5:
                text = text.translate(FULL_WIDTH)
            if rng.random() < 0.3:
                text = text.translate(TRADITIONAL)
            for _ in range(rng.randrange(3)):
                i = rng.randrange(len(text) + 1)
                text = text[:i] + " " + text[i:]
            return text, expected
        if kind == "township_only":
            return f"临潭县{town}{rng.choice(['街上', '集市', '政府附近', ''])}", "township"
        raise ValueError(kind)


STRUCTURAL = [
    "chinese_numerals", "no_county", "no_township", "prefix", "suffix_variant", "reordered",
    "typo", "landmark", "group_only", "wrong_township", "old_name",
]  # fmt: skip
KINDS = [
    "clean", "arabic_numerals", "chinese_numerals", "no_county", "no_township", "prefix",
    "suffix_variant", "full_width_spaces", "traditional", "reordered", "typo", "landmark",
    "group_only", "wrong_township", "old_name", "township_only", "mixed", "mixed", "mixed",
    "mixed",
]  # fmt: skip


def is_right(result, truth, expected: str) -> bool:
    """Right level or finer, and every claimed code agrees with the truth."""
    if result.ambiguous:
        return expected == "county" and any(c.code == truth.village_code for c in result.candidates)
    if RANK[result.level] < RANK[expected]:
        return False
    if result.level == "address" and result.address_code is None:  # a building
        return result.village_code == truth.village_code and result.grid_code == truth.grid_code
    if result.level == "address":
        return result.address_code == truth.code
    if result.level == "group":
        return result.village_code == truth.village_code and result.group == truth.group_no
    if result.level == "village":
        return result.village_code == truth.village_code
    if result.level == "township":
        return result.township_code == truth.township_code
    return result.level == "county"


def claims_agree(result, truth) -> bool:
    """Every code the result claims agrees with the truth (the calibration's "right")."""
    if result.ambiguous:
        return any(c.code == truth.village_code for c in result.candidates)
    pairs = [
        (result.township_code, truth.township_code),
        (result.village_code, truth.village_code),
        (result.address_code, truth.code),
        (result.grid_code, truth.grid_code),
    ]
    if result.level == "group":
        pairs.append((result.group, truth.group_no))
    return all(got is None or got == want for got, want in pairs)


def report_disputes(geocoder: Geocoder, disputes: pd.DataFrame, addresses: pd.DataFrame) -> None:
    """The demo generator's own noisy intake text (written independently of the geocoder)."""
    if disputes is None or "true_address_code" not in disputes.columns:
        print("\n(no labelled disputes in this demo county)")
        return
    truth = addresses.set_index("code")
    rows = disputes[disputes["address"].notna()]
    levels: Counter = Counter()
    consistent = claims = wrong_address = wrong_grid = 0
    for text, code, grid in zip(
        rows["address"], rows["true_address_code"], rows["true_grid_code"], strict=True
    ):
        result = geocoder.geocode(text)
        levels[result.level] += 1
        row = truth.loc[code].copy()
        row["code"] = code
        consistent += is_right(result, row, "county")
        if result.level == "address":
            claims += 1
            wrong_address += result.address_code != code
            wrong_grid += result.grid_code != grid
    n = len(rows)
    print(f"\ndemo disputes' intake text (synthetic, noise written by the demo generator): {n}")
    print(
        "  levels: " + ", ".join(f"{k} {v} ({100 * v / n:.1f} %)" for k, v in levels.most_common())
    )
    print(f"  results whose claimed unit holds the true address: {consistent} "
          f"({100 * consistent / n:.1f} %)")  # fmt: skip
    print(f"  address-level claims: {claims}, wrong address {wrong_address}, wrong grid "
          f"{wrong_grid} ({100 * wrong_grid / max(claims, 1):.2f} %)")  # fmt: skip


def main() -> None:
    """Generate the noisy set, geocode it with wangge and with plain rapidfuzz, print figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=6000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--county-seed", type=int, default=623021)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    started = time.perf_counter()
    county = generate(seed=args.county_seed)
    frames = gazetteer_frames(county)
    print(f"demo county (synthetic) generated in {time.perf_counter() - started:.1f} s")
    geocoder = Geocoder(Gazetteer.from_frames(**frames))
    writer = NoisyWriter(frames, rng)
    addresses = frames["addresses"].reset_index(drop=True)
    picks = [addresses.iloc[rng.randrange(len(addresses))] for _ in range(args.samples)]
    samples = [(row, *writer.write(row, KINDS[i % len(KINDS)]), KINDS[i % len(KINDS)])
               for i, row in enumerate(picks)]  # fmt: skip

    started = time.process_time()
    results = [geocoder.geocode(text) for _, text, _, _ in samples]
    elapsed = time.process_time() - started
    by_kind: dict[str, list[bool]] = defaultdict(list)
    claims = wrong_grid = 0
    bands: Counter = Counter()
    bands_right: Counter = Counter()
    for (truth, _, expected, kind), result in zip(samples, results, strict=True):
        by_kind[kind].append(is_right(result, truth, expected))
        if result.grid_code is not None:
            claims += 1
            wrong_grid += result.grid_code != truth.grid_code
        band = next(b for b in BANDS if b[0] <= result.score < b[1])
        bands[band] += 1
        bands_right[band] += claims_agree(result, truth)
    right = sum(sum(v) for v in by_kind.values())
    print(
        f"\nnoisy demo addresses (synthetic): {len(samples)} samples, {len(set(KINDS))} noise kinds"
    )
    print(f"{'noise kind':<20}{'n':>6}{'right level or finer':>24}")
    for kind in dict.fromkeys(KINDS):
        values = by_kind[kind]
        print(f"{kind:<20}{len(values):>6}{100 * sum(values) / len(values):>23.1f}%")
    print(f"{'ALL':<20}{len(samples):>6}{100 * right / len(samples):>23.1f}%")
    print(f"rows given a grid: {claims}, wrong grid among them: {wrong_grid} "
          f"({100 * wrong_grid / max(claims, 1):.2f} %)")  # fmt: skip
    print("score calibration on these synthetic texts (the tuning set of finish.SCORE_CAPS):")
    for band in BANDS:
        count, ok = bands[band], bands_right[band]
        share = f"{100 * ok / count:.1f} % right" if count else "-"
        print(f"  score [{band[0]:.2f}, {min(band[1], 1.0):.2f}]: {count:>6}  {share}")
    print(f"wangge: {len(samples) / elapsed:,.0f} addresses per CPU second (one core, all kinds)")

    outside = []
    for i in range(300):
        row = picks[i]
        template = OUTSIDE[i % len(OUTSIDE)]
        g = int(row.group_no) if pd.notna(row.group_no) else 1
        outside.append(template.format(v=row.village, g=g, n=row.number))
    out_results = [geocoder.geocode(t) for t in outside]
    refused = sum(r.level == "none" and r.named_region is not None for r in out_results)
    on_grid = sum(r.grid_code is not None for r in out_results)
    share = 100 * refused / len(outside)
    print(f"outside-county texts: {len(outside)}, level none with the county named: "
          f"{refused} ({share:.1f} %), put on a grid: {on_grid}")  # fmt: skip

    report_disputes(geocoder, county.disputes, frames["addresses"])
    geocode_labelled.main(county)

    # The peer: plain extractOne over every full text, on a subsample (it is slow).
    texts = addresses["full_text"].tolist()
    sub = samples[:: max(1, len(samples) // 400)]
    started = time.process_time()
    peer = [process.extractOne(text, texts, scorer=fuzz.ratio) for _, text, _, _ in sub]
    peer_elapsed = time.process_time() - started
    peer_right = sum(
        expected == "address" and addresses["code"].iat[hit[2]] == truth.code
        for (truth, _, expected, _), hit in zip(sub, peer, strict=True)
    )
    ours_right = sum(
        expected == "address" and geocoder.geocode(text).address_code == truth.code
        for truth, text, expected, _ in sub
    )
    n_address = sum(expected == "address" for _, _, expected, _ in sub)
    peer_wrong = sum(
        addresses["grid_code"].iat[hit[2]] != truth.grid_code
        for (truth, _, _, _), hit in zip(sub, peer, strict=True)
    )
    print(f"\nside by side on {len(sub)} of the samples ({n_address} whose text supports an "
          f"address):")  # fmt: skip
    print(f"  right address: wangge {ours_right}/{n_address}, "
          f"rapidfuzz.extractOne(ratio) {peer_right}/{n_address}")  # fmt: skip
    print(f"  rapidfuzz always claims an address: wrong grid on {peer_wrong}/{len(sub)} "
          f"({100 * peer_wrong / len(sub):.1f} %)")  # fmt: skip
    print(f"  speed: rapidfuzz {len(sub) / peer_elapsed:,.0f} addresses/s; wangge "
          f"{len(samples) / elapsed:,.0f} addresses/s "
          f"({len(samples) / elapsed / (len(sub) / peer_elapsed):,.0f}×)")  # fmt: skip


if __name__ == "__main__":
    main()
