"""Time limits (限时办结): days from intake to resolution, by category and severity.

The base follows the tiered practice of county centres: a minor (一般) dispute is settled at
village level within 7 days, a serious one (较大) at township level within 15, a major or
especially major one (重大 / 特别重大) with the county within 30. Categories that need a
survey, evidence or a third party's findings (land and forest boundaries, debts, medical
cases) get more time; those that must be settled fast to keep the peace (family, neighbours,
wages owed before a holiday) keep the base. The table is printed in docs/intake.md; change
it here and the deadline of every new case follows (existing deadlines are kept).
"""

from __future__ import annotations

import datetime as dt

from core import vocab

BASE_DAYS = {"minor": 7, "serious": 15, "major": 30, "critical": 30}
EXTRA_DAYS = {
    "land_forest": 15,
    "debt": 8,
    "medical": 15,
    "property_management": 3,
    "traffic": 8,
}

TIME_LIMIT_DAYS: dict[tuple[str, str], int] = {
    (category, severity): BASE_DAYS[severity] + EXTRA_DAYS.get(category, 0)
    for category in vocab.DISPUTE_CATEGORIES
    for severity in vocab.DISPUTE_SEVERITIES
}


def time_limit_days(category: str, severity: str) -> int:
    """Days allowed for a dispute of this category and severity."""
    return TIME_LIMIT_DAYS[(category, severity)]


def deadline_for(*, category: str, severity: str, reported_at: dt.datetime) -> dt.datetime:
    """When a dispute reported at ``reported_at`` must be resolved."""
    return reported_at + dt.timedelta(days=time_limit_days(category, severity))


def markdown_table() -> str:
    """The table as Markdown, for the docs (days; rows are categories)."""
    severities = list(vocab.DISPUTE_SEVERITIES)
    head = "| category | " + " | ".join(f"{s} {vocab.DISPUTE_SEVERITIES[s]}" for s in severities)
    lines = [head + " |", "|---" * (len(severities) + 1) + "|"]
    for category, label in vocab.DISPUTE_CATEGORIES.items():
        days = " | ".join(str(TIME_LIMIT_DAYS[(category, s)]) for s in severities)
        lines.append(f"| {category} {label} | {days} |")
    return "\n".join(lines)
