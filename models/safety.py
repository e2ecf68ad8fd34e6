"""Safety-creation status (平安创建) of townships and villages for one year, from evidence.

The titles and the rule that gives them (also in docs/staff.md):

- **无诉讼乡镇** (township without lawsuits): no dispute received in the township that year
  is *lawsuit-bound* — routed to a court station or judge contact point (审务工作站 /
  法官联系点), declared unresolved (未化解) and not resolved afterwards (litigation is what
  is left), or whose record or history speaks of a lawsuit (诉讼, 起诉, 立案, 判决);
- **零命案乡镇** (township without homicide): no dispute or risk signal of that year in the
  township speaks of a killing or a death (命案, 杀人, 凶杀, 致死, 致人死亡, 死亡);
- **平安村/社区** (safe village or community): no homicide-related case or signal in the
  village that year, and no *serious unresolved case*: a dispute of severity 较大 or worse
  received that year that was declared unresolved, or is still open past its deadline, at
  the year's end (or now, for the year under way, which makes the status provisional).

A case or signal belongs to the township and village of its grid; one not on a grid cannot
be placed and breaks nothing below the county (it is listed under ``unplaced``). Every
title comes with the evidence that breaks it, so a clerk can check each one.

Input: ``units`` (code, level township|village, parent_code, name) and ``evidence`` (rule
``lawsuit`` | ``homicide`` | ``unresolved_serious``, kind, id, external_id, at,
township_code, village_code, reason). Output: one dict per unit.
"""

from __future__ import annotations

import pandas as pd

LAWSUIT_WORDS = ("诉讼", "起诉", "立案", "判决")
HOMICIDE_WORDS = ("命案", "杀人", "凶杀", "致死", "致人死亡", "死亡")
TITLES = {
    "township": {"no_lawsuit": "无诉讼乡镇", "zero_homicide": "零命案乡镇"},
    "village": {"safe": "平安村/社区"},
}
RULES_OF = {
    "no_lawsuit": ("lawsuit",),
    "zero_homicide": ("homicide",),
    "safe": ("homicide", "unresolved_serious"),
}


def words_pattern(words: tuple[str, ...]) -> str:
    """A POSIX regular expression matching any of ``words``."""
    return "(" + "|".join(words) + ")"


def _evidence_items(rows: pd.DataFrame) -> list[dict]:
    items = []
    for row in rows.itertuples(index=False):
        at = row.at
        items.append(
            {
                "rule": row.rule,
                "kind": row.kind,
                "id": int(row.id),
                "external_id": row.external_id,
                "at": None if at is None or pd.isna(at) else pd.Timestamp(at).isoformat(),
                "grid": None if pd.isna(row.grid_code) else row.grid_code,
                "reason": row.reason,
            }
        )
    return items


def safety_status(
    units: pd.DataFrame, evidence: pd.DataFrame, *, year: int, provisional: bool
) -> dict:
    """Titles per township and village with the evidence against each (rule above)."""
    columns = ["rule", "kind", "id", "external_id", "at", "grid_code", "township_code",
               "village_code", "reason"]  # fmt: skip
    evidence = (
        evidence.reindex(columns=columns) if not evidence.empty else pd.DataFrame(columns=columns)
    )
    items = _evidence_items(evidence)
    by_unit: dict[str, list[dict]] = {}
    for item, township, village in zip(
        items, evidence["township_code"], evidence["village_code"], strict=True
    ):
        for code in {township, village}:
            if isinstance(code, str):
                by_unit.setdefault(code, []).append(item)
    out = []
    for unit in units.itertuples(index=False):
        mine = by_unit.get(unit.code, [])
        titles = {}
        for title, label in TITLES[unit.level].items():
            against = [e for e in mine if e["rule"] in RULES_OF[title]]
            titles[title] = {"label": label, "awarded": not against, "evidence": against}
        out.append(
            {
                "code": unit.code,
                "level": unit.level,
                "parent_code": unit.parent_code,
                "name": unit.name,
                "titles": titles,
                "qualifies": all(t["awarded"] for t in titles.values()),
            }
        )
    unplaced = evidence[evidence["township_code"].isna()]
    return {
        "year": year,
        "provisional": provisional,
        "units": out,
        "unplaced": _evidence_items(unplaced),
    }
