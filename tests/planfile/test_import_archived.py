"""An archived plan's actions are not changed by an import either."""

import pytest

from actions.models import Action
from planfile.importer import PlanImportError
from priorities.choices import StrategyStage
from priorities.models import Strategy

from .conftest import STRATEGY, history_counts


def test_an_import_that_would_change_an_archived_plan_is_refused_whole(import_plan, seed_data):
    import_plan(seed_data)
    strategy = Strategy.objects.get(title=STRATEGY)
    strategy.stage = StrategyStage.ARCHIVED
    strategy.save()
    before = history_counts()

    unchanged = import_plan(seed_data)
    assert not unchanged.actions_updated and history_counts() == before

    with pytest.raises(PlanImportError) as refused:
        import_plan(seed_data.replace(b"December 2019", b"March 2021", 1))
    assert refused.value.errors == [
        f"Row 5, action: The plan “{STRATEGY}” is archived: its actions cannot be changed."
    ]
    assert history_counts() == before
    assert Action.objects.filter(deadline_text="March 2021").count() == 0
