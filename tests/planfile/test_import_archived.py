"""An archived plan's actions are not changed by an import either."""

import pytest

from actions.models import Action
from planfile.importer import PlanImportError
from priorities.choices import StrategyStage
from priorities.models import Priority, Strategy

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


def test_a_re_import_that_would_retitle_an_archived_plans_priority_is_refused_whole(
    import_plan, seed_data
):
    import_plan(seed_data)
    strategy = Strategy.objects.get(title=STRATEGY)
    strategy.stage = StrategyStage.ARCHIVED
    strategy.save()
    before = history_counts()

    retitled = seed_data.replace(b"Provide early identification", b"Give early identification")
    with pytest.raises(PlanImportError) as refused:
        import_plan(retitled)

    assert refused.value.errors == [
        f"Row 4, priority: The plan “{STRATEGY}” is archived: its details and priorities "
        "cannot be changed. To change it, un-archive it first (give it another stage), "
        "with a reason."
    ]
    assert history_counts() == before
    assert not Priority.objects.filter(title__startswith="Give early").exists()


def test_imported_priorities_name_the_importer_and_the_file(import_plan, seed_data, plan_admin):
    import_plan(seed_data)

    stamps = set(Priority.history.values_list("history_user", "history_change_reason"))
    assert stamps == {(plan_admin.pk, "Imported from medway-send-action-plan-appendix-2.txt")}
