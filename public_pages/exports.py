"""The published plan as open data: CSV (one row per action) and JSON (the whole page)."""

import csv
import io
import json

from sendplan.spreadsheets import escape_formula

from .selectors import PublicPlan

CSV_COLUMNS = [
    "Priority",
    "Priority title",
    "Action",
    "Action title",
    "Status",
    "Action last updated",
    "Priority easy-read summary",
    "Priority progress summary",
    "Priority summary last updated",
]


def _date(value) -> str:
    return value.date().isoformat() if value else ""


def plan_csv(plan: PublicPlan) -> bytes:
    """One row per published action (and one per priority with none), UTF-8 with a byte
    order mark so that spreadsheets read it as such; formula-like text is escaped."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for priority in plan.priorities:
        about = [priority.easy_read, priority.summary, _date(priority.summary_updated)]
        head = [priority.number, priority.title]
        for action in priority.actions or [None]:
            row = head + (
                [action.reference, action.title, action.status_label, _date(action.updated)]
                if action
                else ["", "", "", ""]
            )
            writer.writerow([escape_formula(cell) for cell in row + about])
    return out.getvalue().encode("utf-8-sig")


def plan_json(plan: PublicPlan) -> bytes:
    """The public page as data: the strategy, its priorities and actions, its measures, and
    "You said, we did"."""
    strategy = plan.strategy
    data = {
        "area": strategy.area,
        "strategy": strategy.title,
        "period": strategy.period,
        "introduction": strategy.introduction,
        "last_updated": plan.updated.isoformat() if plan.updated else None,
        "priorities": [
            {
                "number": priority.number,
                "title": priority.title,
                "easy_read": priority.easy_read,
                "progress_summary": priority.summary,
                "last_updated": _iso(priority.updated),
                "actions": [
                    {
                        "reference": action.reference,
                        "title": action.title,
                        "status": action.status,
                        "status_label": action.status_label,
                        "last_updated": _iso(action.updated),
                    }
                    for action in priority.actions
                ],
            }
            for priority in plan.priorities
        ],
        "measures": [
            {
                "name": measure.name,
                "latest": measure.latest,
                "direction": measure.direction,
                "direction_words": measure.direction_words,
                "against_target": measure.track,
                "illustrative": measure.is_illustrative,
                "last_updated": _iso(measure.updated),
            }
            for measure in plan.measures
        ],
        "you_said_we_did": [
            {
                "title": engagement.title,
                "date": engagement.date.isoformat(),
                "who_took_part": engagement.groups,
                "participants": engagement.participants,
                "how": engagement.method,
                "level_of_involvement": engagement.level,
                "you_said": engagement.you_said,
                "we_did": engagement.we_did,
                "priorities": engagement.priority_numbers,
                "actions": engagement.action_references,
                "last_updated": _iso(engagement.updated),
            }
            for engagement in plan.engagements
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def _iso(value) -> str | None:
    return value.isoformat() if value else None
