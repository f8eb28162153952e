"""The seed plan saved as a workbook by each producer imports exactly as the seed's text does:
by ``plan_import``, through the admin's preview and confirm, and by ``import_plan``."""

from io import StringIO

from django.core.management import call_command

from actions.models import Action, Owner
from planfile.importer import plan_import
from priorities.models import LocalArea, Priority
from tests.conftest import give_area

from .conftest import AREA, SEED, STRATEGY
from .test_admin import confirm, upload

# The seed's text is imported into this area, the workbook into Medway, to compare.
TEXT_AREA = "Kent"


def plan_as_imported(area_name: str) -> dict[str, list[tuple]]:
    """Every priority, action and owner of the area's strategy, field by field."""
    actions = (
        Action.objects.filter(priority__strategy__area__name=area_name)
        .select_related("priority")
        .prefetch_related("ownerships__owner")
        .order_by("priority__number", "order")
    )
    return {
        "priorities": list(
            Priority.objects.filter(strategy__area__name=area_name)
            .order_by("number")
            .values_list("strategy__title", "number", "title")
        ),
        "actions": [
            (
                action.priority.number,
                action.reference,
                action.order,
                action.text,
                [ownership.owner.name for ownership in action.ownerships.all()],
                action.deadline_text,
                action.due_date,
                action.is_ongoing,
                action.status,
            )
            for action in actions
        ],
        "owners": sorted(Owner.objects.filter(area__name=area_name).values_list("name", "aliases")),
    }


def import_seed_text(user) -> dict[str, list[tuple]]:
    area = LocalArea.objects.create(name=TEXT_AREA)
    plan_import(
        area_name=TEXT_AREA,
        strategy_title=STRATEGY,
        file_name=SEED.name,
        data=SEED.read_bytes(),
        user=give_area(user, area) if user else None,
    )
    return plan_as_imported(TEXT_AREA)


def test_workbook_imports_exactly_as_the_seed_text(seed_workbook, import_plan, plan_admin):
    report = import_plan(seed_workbook, file_name="Action plan.xlsx")
    assert (len(report.priorities_created), len(report.actions_created)) == (7, 36)
    imported = plan_as_imported(AREA)
    assert imported == import_seed_text(plan_admin)
    assert len(imported["owners"]) > 20


def test_workbook_previewed_and_confirmed_in_the_admin_imports_as_the_seed_text(
    seed_workbook, client, plan_admin
):
    client.force_login(plan_admin)
    preview = upload(client, seed_workbook, "Action plan.xlsx")
    page = preview.content.decode()
    assert preview.context["errors"] == []
    assert "Every action as read (36)" in page
    assert "“February 2020” &rarr; 29 February 2020" in page
    assert "Priorities: 7 created, 0 updated, 0 unchanged" in page

    assert confirm(client, preview).status_code == 302

    assert plan_as_imported(AREA) == import_seed_text(plan_admin)


def test_workbook_imported_by_the_command_imports_as_the_seed_text(seed_workbook, tmp_path, db):
    path = tmp_path / "Action plan.xlsx"
    path.write_bytes(seed_workbook)
    out = StringIO()

    call_command("import_plan", str(path), "--area", AREA, "--strategy", STRATEGY, stdout=out)

    assert "Actions: 36 created, 0 updated, 0 unchanged" in out.getvalue()
    assert plan_as_imported(AREA) == import_seed_text(None)
