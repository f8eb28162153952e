"""The deleted actions, measures and plans a user may bring back (the admin's Deleted records)."""

import dataclasses

from django.db import models

from actions.models import Action
from actions.services.actions import action_restore
from measures.models import Measure
from measures.services import measure_restore
from priorities.models import LocalArea, Priority, Strategy
from priorities.services import strategy_restore
from sendplan.deleted import deleted_records
from sendplan.roles import PLAN_EDITING, within_areas

# Of each kind, the newest deletions listed.
LISTED = 100


@dataclasses.dataclass(frozen=True)
class Kind:
    name: str
    model: type[models.Model]
    # What a deleted record must still point to, in the user's areas, to come back alone.
    parent: str
    parent_model: type[models.Model]
    restore: object
    id_argument: str


KINDS = {
    kind.name: kind
    for kind in [
        Kind("plan", Strategy, "area", LocalArea, strategy_restore, "strategy_id"),
        Kind("action", Action, "priority", Priority, action_restore, "action_id"),
        Kind("measure", Measure, "strategy", Strategy, measure_restore, "measure_id"),
    ]
}


def deleted_for(user) -> dict[str, list]:
    """Per kind, the deletion rows of records whose parent lies in the user's areas.

    Actions and measures deleted with their plan come back with the plan, so are not listed.
    """
    found = {}
    for kind in KINDS.values():
        parents = within_areas(user, kind.parent_model._default_manager.all(), PLAN_EDITING).values(
            "pk"
        )
        rows = deleted_records(kind.model).filter(**{f"{kind.parent}_id__in": parents})
        found[kind.name] = list(rows.select_related("history_user")[:LISTED])
    return found
