import datetime

import openpyxl
import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from simple_history.models import HistoricalChanges
from simple_history.signals import pre_create_historical_record

from actions.choices import Rag, Status
from actions.models import Action, ActionOwner, Owner
from actions.services import actions as action_services
from planfile.importer import PlanImportError, plan_import
from priorities.models import LocalArea, Priority, Strategy
from sendplan.audit import history_stamped
from tests.conftest import give_area
from tests.seed import SEED_TITLES

from .conftest import AREA, SEED, STRATEGY, history_counts, plan_counts
from .plans import xlsx_bytes

SEED_REASON = f"Imported from {SEED.name}"


HEAD_0_25 = "Head of 0-25 Integrated Service"
DCO = "Designated Clinical Officer"
PEP = "Principal Educational Psychologist"
MPCF = "Medway Parents and Carers Forum"
PCM = "Partnership Commissioning manager"

# Every action in the seed, read off the file: reference, start of its text, "By When" as
# written, and its owners in the order written (each spelling resolved to one owner).
SEED_ACTIONS = [
    ("1.1", "Develop a pilot program", "February 2020",
     [HEAD_0_25, DCO, "CCG Manager and Provider leads", "Partnership commissioning"]),
    ("1.2", "Review the support that is available", "December 2019",
     [DCO, "Provider leads", "Social Care"]),
    ("1.3", "Ensure there are systems in place", "ongoing",
     [HEAD_0_25, "Head of Early Help", "Service managers and provider leads"]),
    ("1.4", "Working with schools, review the criteria", "February 2020",
     [HEAD_0_25, "Headteachers"]),
    ("1.5", "Review and improve the Local Offer", "September 2019", ["Local Offer Officer"]),
    ("2.1", 'Evaluate the "Effective Leadership', "September 2019",
     ["School Improvement manager"]),
    ("2.2", "In collaboration with Medway Education Leaders", "December 2019",
     ["School Improvement manager", HEAD_0_25, "service managers", "Headteachers"]),
    ("2.3", "Establish arrangements to ensure that alternative", "September 2019",
     ["Head of Education"]),
    ("2.4", "Provide support for school and early years SENCOs", "ongoing", ["SEN manager", PEP]),
    ("2.5", "Establish a programme of school to school", "August 2020",
     ["School Improvement manager", PEP]),
    ("2.6", "Develop a programme of moderation", "September 2019",
     [PEP, "Special Educational Needs Coordinators"]),
    ("2.7", "Implement a multi-agency audit programme", "Bi monthly /ongoing",
     [HEAD_0_25, DCO, "SEN manager"]),
    ("2.8", "Review the format of the EHCP", "April 2019", [HEAD_0_25, "SEN manager"]),
    ("3.1", "Work with schools, settings and partners", "September 2022", [HEAD_0_25]),
    ("3.2", "Publish a school place planning strategy", "January 2020", [HEAD_0_25]),
    ("3.3", "Work with partners to ensure that plans", "ongoing", [HEAD_0_25, PCM, DCO]),
    ("3.4", "Review the sufficiency of respite provision", "January 2020",
     ["Head of Children's Social Care", HEAD_0_25]),
    ("4.1", "Gather and analyse outcomes data", "September 2020", ["Head of School Improvement"]),
    ("4.2", "Ensure all young people with SEND", "September 2020",
     ["Head of Early Help", HEAD_0_25]),
    ("4.3", "The post 16 working group", "December 2019", ["PEP with working group"]),
    ("4.4", "Undertake a mapping exercise", "January 2020", ["PEP with working group"]),
    ("4.5", "Create more post 16 opportunities", "September 2020 an ongoing",
     [PEP, "colleges", "Partnership commissioning"]),
    ("5.1", "Continue to develop and strengthen relationships", "ongoing", [HEAD_0_25, MPCF]),
    ("5.2", "Ensure that parents/carers and children", "April 2019", ["SEN manager", MPCF]),
    ("5.3", "Establish a process for regular feedback", "June 2019",
     ["Local Offer Officer", MPCF, "participation officer"]),
    ("5.4", "Improve communication with, and information for", "ongoing", ["SEN manager"]),
    ("6.1", "Continue to build on the single point of referral", "January 2020",
     [PCM, "DCO and providers"]),
    ("6.2", "Work with partners on a tripartite basis", "September 2019", [PCM]),
    ("6.3", "Gather information through the Local Offer", "ongoing",
     ["Local Offer Officer", PCM]),
    ("6.4", "Further develop the pooled funding", "January 2020", [HEAD_0_25, DCO, PCM]),
    ("6.5", "Ensure providers commissioned to undertake", "December 2019", [DCO]),
    ("7.1", "Continue to improve access for children", "January 2020",
     ["DCO and providers", PCM]),
    ("7.2", "Evaluate the arrangements for the transition", "April 2020", [DCO, PCM]),
    ("7.3", "Promote clear pathways for specialist health", "April 2020",
     [DCO, "CCG", "Providers"]),
    ("7.4", "Review the impact of special school nursing", "September 2020",
     [DCO, "CCG", "Headteachers"]),
    ("7.5", "Work with schools and provider networks", "September 2020",
     [HEAD_0_25, "Head of Early Help", "Partnership commissioning", "NELFT", "Headteachers"]),
]  # fmt: skip

PROGRESS_HEADER = "No,Priority,Ref,Actions,By whom,By When,Status,RAG,% complete"


def csv_plan(*rows: str, header: str = PROGRESS_HEADER) -> bytes:
    return "\n".join([header, *rows, ""]).encode()


def seed_edited(seed_data: bytes, old: bytes, new: bytes) -> bytes:
    assert seed_data.count(old) == 1, "the edit must name exactly one place in the seed"
    return seed_data.replace(old, new)


def action(reference: str) -> Action:
    return Action.objects.get(priority__strategy__title=STRATEGY, reference=reference)


def owner_names(reference: str) -> list[str]:
    return [ownership.owner.name for ownership in action(reference).ownerships.all()]


def test_seed_creates_the_area_strategy_and_all_seven_priorities_with_full_titles(
    import_plan, seed_data
):
    import_plan(seed_data)

    strategy = Strategy.objects.get(area__name=AREA, title=STRATEGY)
    titles = {priority.number: priority.title for priority in strategy.priorities.all()}
    assert titles == SEED_TITLES
    assert [p.order for p in strategy.priorities.order_by("number")] == [1, 2, 3, 4, 5, 6, 7]


def test_seed_creates_every_action_in_file_order_per_priority(import_plan, seed_data):
    import_plan(seed_data)

    per_priority = {
        priority.number: list(priority.actions.values_list("reference", "order"))
        for priority in Priority.objects.all()
    }
    counts = {number: len(actions) for number, actions in per_priority.items()}
    assert counts == {1: 5, 2: 8, 3: 4, 4: 5, 5: 4, 6: 5, 7: 5}
    assert per_priority[2] == [(f"2.{n}", n) for n in range(1, 9)]


def test_seed_actions_have_their_text_owners_and_deadline_as_written(import_plan, seed_data):
    import_plan(seed_data)

    # Each text is compared over the length of its expected start.
    start_length = {reference: len(start) for reference, start, *_ in SEED_ACTIONS}
    actions = Action.objects.order_by("priority__number", "order").prefetch_related(
        "ownerships__owner"
    )
    imported = [
        (
            action.reference,
            action.text[: start_length.get(action.reference)],
            action.deadline_text,
            [ownership.owner.name for ownership in action.ownerships.all()],
        )
        for action in actions
    ]
    assert imported == SEED_ACTIONS


def test_seed_action_text_is_kept_exactly_as_written_typos_included(import_plan, seed_data):
    import_plan(seed_data)

    assert action("1.1").text.endswith(
        "who can provide advice, consultation and training to staff I universal settings "
        "such as schools and Early Years settings."
    )


def test_dco_resolves_to_the_designated_clinical_officer(import_plan, seed_data):
    import_plan(seed_data)

    dco = Owner.objects.get(name=DCO)
    assert dco.alias_list == ["DCO"]
    assert not Owner.objects.filter(name__iexact="DCO").exists()
    assert list(action("6.5").owners.all()) == [dco]


def test_spellings_of_head_of_0_25_service_are_one_owner(import_plan, seed_data):
    import_plan(seed_data)

    # As written: 2.8 "Head OF 0-25 Integrated Service", 1.1 "Head of 0-25 integrated
    # service", 6.4 "Head of 0-25 Service".
    head = Owner.objects.get(name=HEAD_0_25)
    assert all(head in action(ref).owners.all() for ref in ("2.8", "1.1", "6.4"))
    assert Owner.objects.filter(name__icontains="0-25").count() == 1


def test_medway_parent_carer_forum_is_one_owner_not_two(import_plan, seed_data):
    import_plan(seed_data)

    forum = Owner.objects.get(name=MPCF)
    assert owner_names("5.1") == [HEAD_0_25, MPCF]
    assert forum in action("5.2").owners.all()  # written "MPCF"
    assert not Owner.objects.filter(name__icontains="Carer Forum").exists()
    assert not Owner.objects.filter(name__iexact="Medway Parent").exists()


@pytest.mark.parametrize(
    ("reference", "due_date", "is_ongoing"),
    [
        ("1.1", datetime.date(2020, 2, 29), False),
        ("1.5", datetime.date(2019, 9, 30), False),
        ("1.3", None, True),
        ("2.7", None, True),
        ("4.5", datetime.date(2020, 9, 30), True),
    ],
)
def test_seed_due_dates_are_derived_from_the_deadline_as_written(
    import_plan, seed_data, reference, due_date, is_ongoing
):
    import_plan(seed_data)

    imported = action(reference)
    assert (imported.due_date, imported.is_ongoing) == (due_date, is_ongoing)
    assert imported.original_due_date == due_date


def test_seed_report_counts_what_was_created(import_plan, seed_data):
    report = import_plan(seed_data)

    assert report.summary_lines() == [
        f"Strategy created: {STRATEGY}",
        "Priorities: 7 created, 0 updated, 0 unchanged",
        "Actions: 36 created, 0 updated, 0 unchanged",
        f"Owners: {Owner.objects.count()} created ({', '.join(report.owners_created)})",
    ]
    assert sorted(report.owners_created) == sorted(Owner.objects.values_list("name", flat=True))
    assert [item.reference for item in report.actions_created] == [
        reference for reference, *_ in SEED_ACTIONS
    ]
    assert report.errors == []


def test_importing_user_and_file_name_are_on_every_history_row(import_plan, seed_data, plan_admin):
    start = timezone.now()
    import_plan(seed_data)

    written = 0
    for model in apps.get_models():
        # Many-to-many history tables have no user column; the import writes none of them.
        if not (issubclass(model, HistoricalChanges) and hasattr(model, "history_user")):
            continue
        imported = model.objects.filter(history_date__gte=start)
        if imported.exists():
            rows = list(imported.values_list("history_user_id", "history_change_reason"))
            assert set(rows) <= {(plan_admin.pk, SEED_REASON)}, model._meta.label
            written += len(rows)
    # The strategy, priorities, owners, actions and ownerships (the area was there).
    assert written == 1 + 7 + Owner.objects.count() + 36 + ActionOwner.objects.count()


def test_reimporting_the_same_file_writes_nothing_and_reports_unchanged(import_plan, seed_data):
    import_plan(seed_data)
    before = history_counts()

    report = import_plan(seed_data)

    assert history_counts() == before
    assert report.summary_lines() == [
        "Priorities: 0 created, 0 updated, 7 unchanged",
        "Actions: 0 created, 0 updated, 36 unchanged",
        "Owners: 0 created",
    ]


def test_changed_deadline_writes_one_action_history_row_and_moves_the_due_date(
    import_plan, seed_data, plan_admin
):
    import_plan(seed_data)
    before = history_counts()
    edited = seed_edited(
        seed_data, b"Local Offer Officer\tSeptember 2019", b"Local Offer Officer\tMarch 2020"
    )

    report = import_plan(edited, file_name="appendix-2-revised.txt")

    after = history_counts()
    assert {
        label: after[label] - before[label] for label in after if after[label] != before[label]
    } == {"actions.HistoricalAction": 1}
    moved = action("1.5")
    latest = moved.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (
        plan_admin,
        "Imported from appendix-2-revised.txt",
    )
    assert (moved.deadline_text, moved.due_date) == ("March 2020", datetime.date(2020, 3, 31))
    assert moved.original_due_date == datetime.date(2019, 9, 30)
    assert moved.slip_days == 183
    [updated] = report.actions_updated
    assert (updated.reference, updated.changes) == (
        "1.5",
        {
            "deadline_text": ("September 2019", "March 2020"),
            "due_date": (datetime.date(2019, 9, 30), datetime.date(2020, 3, 31)),
        },
    )
    assert report.summary_lines()[1] == "Actions: 0 created, 1 updated, 35 unchanged"


def test_deadline_changed_to_ongoing_clears_the_due_date(import_plan, seed_data):
    import_plan(seed_data)
    edited = seed_edited(
        seed_data, b"Local Offer Officer\tSeptember 2019", b"Local Offer Officer\tTermly"
    )

    import_plan(edited)

    moved = action("1.5")
    assert (moved.due_date, moved.is_ongoing) == (None, True)
    assert moved.original_due_date == datetime.date(2019, 9, 30)


def test_due_date_moved_by_hand_survives_reimporting_the_same_file(
    import_plan, seed_data, plan_admin
):
    import_plan(seed_data)
    slipped = action("1.1")
    slipped.due_date = datetime.date(2020, 6, 30)
    action_services.action_save(action=slipped, user=plan_admin, reason="Funding came late.")

    report = import_plan(seed_data)

    assert action("1.1").due_date == datetime.date(2020, 6, 30)
    assert report.actions_updated == []


def test_changed_priority_title_updates_only_that_priority(import_plan, seed_data):
    import_plan(seed_data)
    before = history_counts()
    edited = seed_edited(seed_data, b"health and wellbeing.", b"health and well-being.")

    report = import_plan(edited)

    [updated] = report.priorities_updated
    assert (updated.reference, updated.changes) == (
        "7",
        {"title": (SEED_TITLES[7], SEED_TITLES[7].replace("wellbeing", "well-being"))},
    )
    assert history_counts()["priorities.HistoricalPriority"] == (
        before["priorities.HistoricalPriority"] + 1
    )
    assert report.summary_lines()[0] == "Priorities: 0 created, 1 updated, 6 unchanged"


def test_changed_owners_are_set_and_reported_old_and_new(import_plan, seed_data):
    import_plan(seed_data)
    before = history_counts()
    edited = seed_edited(seed_data, b"\tDCO\tDecember 2019", b"\tDCO/SEN Manager\tDecember 2019")

    report = import_plan(edited)

    assert owner_names("6.5") == [DCO, "SEN manager"]
    [updated] = report.actions_updated
    assert updated.changes == {"owners": ((DCO,), (DCO, "SEN manager"))}
    after = history_counts()
    assert after["actions.HistoricalActionOwner"] == before["actions.HistoricalActionOwner"] + 1
    assert after["actions.HistoricalAction"] == before["actions.HistoricalAction"]


def test_actions_no_longer_in_the_file_are_kept_and_reported(import_plan, seed_data):
    import_plan(seed_data)
    before = history_counts()
    without_1_5 = b"\n".join(
        line for line in seed_data.split(b"\n") if b"Review and improve the Local Offer" not in line
    )

    report = import_plan(without_1_5)

    assert [item.reference for item in report.not_in_file] == ["1.5"]
    assert action("1.5").text.startswith("Review and improve the Local Offer")
    assert history_counts() == before
    assert report.summary_lines()[-1] == "Not in file (kept): 1 actions (1.5)"


def test_dry_run_reports_what_a_real_run_does_and_writes_nothing(import_plan, seed_data):
    empty = plan_counts()

    dry = import_plan(seed_data, dry_run=True)

    assert plan_counts() == empty
    assert dry.dry_run
    real = import_plan(seed_data)
    assert dry.summary_lines() == real.summary_lines()
    assert dry.owners_created == real.owners_created


def test_dry_run_of_a_changed_file_shows_the_change_but_keeps_the_old_value(import_plan, seed_data):
    import_plan(seed_data)
    before = plan_counts()
    edited = seed_edited(
        seed_data, b"Local Offer Officer\tSeptember 2019", b"Local Offer Officer\tMarch 2020"
    )

    report = import_plan(edited, dry_run=True)

    assert [item.reference for item in report.actions_updated] == ["1.5"]
    assert plan_counts() == before
    assert action("1.5").deadline_text == "September 2019"


@pytest.mark.parametrize(
    ("file_name", "data", "message"),
    [
        pytest.param(
            "plan.pdf",
            SEED.read_bytes(),
            '".pdf" files cannot be read',
            id="unknown format",
        ),
        pytest.param("plan.txt", b"", "The file is empty.", id="empty"),
        pytest.param(
            "plan.txt",
            b"\tPriority\tBy whom\tBy When\n1\tEarly help\tDCO\tMay 2020\n",
            '"Actions"',
            id="missing column",
        ),
        pytest.param(
            "plan.txt",
            b"\tPriority\tActions\tBy whom\tBy When\n\t\tDo it\tDCO\tMay 2020\n",
            "Row 2: an action comes before any priority",
            id="action before priority",
        ),
    ],
)
def test_bad_file_is_refused_with_its_message_and_nothing_is_written(
    import_plan, file_name, data, message
):
    empty = plan_counts()

    with pytest.raises(PlanImportError) as refused:
        import_plan(data, file_name=file_name)

    assert len(refused.value.errors) == 1
    assert message in refused.value.errors[0]
    assert plan_counts() == empty
    assert not Strategy.objects.exists()


def test_file_over_the_size_limit_is_refused_naming_size_and_limit(
    import_plan, seed_data, settings
):
    settings.SENDPLAN_MAX_IMPORT_BYTES = len(seed_data) - 1

    with pytest.raises(PlanImportError) as refused:
        import_plan(seed_data)

    assert refused.value.errors == [
        f"{SEED.name} is {len(seed_data):,} bytes, over the import limit of "
        f"{len(seed_data) - 1:,} bytes."
    ]
    assert refused.value.report is None
    assert not Strategy.objects.exists()


def test_file_exactly_at_the_size_limit_is_imported(import_plan, seed_data, settings):
    settings.SENDPLAN_MAX_IMPORT_BYTES = len(seed_data)

    import_plan(seed_data)

    assert Action.objects.count() == 36


def test_progress_columns_map_labels_and_values(import_plan):
    import_plan(
        csv_plan(
            "1,Early help,A1,Do the first thing,DCO,May 2020,In progress,Red,45%",
            "1,Early help,A2,Do the second thing,DCO,ongoing,completed,green,100",
            "1,Early help,A3,Do the third thing,DCO,June 2020,Not_Started,Not rated,0",
        ),
        file_name="export.csv",
    )

    progress = list(
        Action.objects.order_by("order").values_list(
            "reference", "status", "rag", "percent_complete"
        )
    )
    assert progress == [
        ("A1", Status.IN_PROGRESS, Rag.RED, 45),
        ("A2", Status.COMPLETED, Rag.GREEN, 100),
        ("A3", Status.NOT_STARTED, Rag.NOT_RATED, 0),
    ]


def test_plan_without_progress_columns_leaves_progress_as_it_is(import_plan):
    import_plan(
        csv_plan("1,Early help,A1,Do the first thing,DCO,May 2020,At risk,Amber,30"),
        file_name="export.csv",
    )
    before = history_counts()

    report = import_plan(
        csv_plan(
            "1,Early help,A1,Do the first thing,DCO,May 2020",
            header="No,Priority,Ref,Actions,By whom,By When",
        ),
        file_name="plain.csv",
    )

    assert Action.objects.values_list("status", "rag", "percent_complete").get() == (
        Status.AT_RISK,
        Rag.AMBER,
        30,
    )
    assert history_counts() == before
    assert len(report.actions_unchanged) == 1


def test_changed_status_is_saved_with_the_file_name_as_reason(import_plan, plan_admin):
    import_plan(
        csv_plan("1,Early help,A1,Do it,DCO,May 2020,In progress,Amber,10"), file_name="a.csv"
    )

    report = import_plan(
        csv_plan("1,Early help,A1,Do it,DCO,May 2020,Blocked,Red,10"), file_name="b.csv"
    )

    latest = Action.objects.get().history.latest()
    assert (latest.status, latest.rag, latest.history_change_reason, latest.history_user) == (
        Status.BLOCKED,
        Rag.RED,
        "Imported from b.csv",
        plan_admin,
    )
    assert report.actions_updated[0].changes == {
        "status": (Status.IN_PROGRESS, Status.BLOCKED),
        "rag": (Rag.AMBER, Rag.RED),
    }


def test_every_bad_progress_value_is_reported_by_row_and_nothing_is_written(import_plan):
    empty = plan_counts()

    with pytest.raises(PlanImportError) as refused:
        import_plan(
            csv_plan(
                "1,Early help,A1,Do the first thing,DCO,May 2020,Finished,Red,45%",
                "1,Early help,A2,Do the second thing,DCO,May 2020,In progress,Purple,150%",
            ),
            file_name="export.csv",
        )

    assert refused.value.errors == [
        'Row 2, status: "Finished" is not a status (Not started, In progress, At risk, '
        "Blocked or Completed).",
        'Row 3, RAG: "Purple" is not a RAG rating (Red, Amber, Green or Not rated).',
        'Row 3, percent complete: "150%" is not a percentage from 0 to 100.',
    ]
    assert plan_counts() == empty


def test_validation_error_from_the_services_names_the_row_and_field(import_plan):
    empty = plan_counts()
    long_deadline = "May 2020 " + "x" * 200

    with pytest.raises(PlanImportError) as refused:
        import_plan(
            csv_plan(
                "1,Early help,A1,Fine,DCO,May 2020",
                f"1,Early help,A2,Too long a deadline,DCO,{long_deadline}",
                header="No,Priority,Ref,Actions,By whom,By When",
            ),
            file_name="plan.csv",
        )

    assert refused.value.errors == [
        "Row 3, by when (as written): Ensure this value has at most 200 characters "
        f"(it has {len(long_deadline)})."
    ]
    assert plan_counts() == empty
    # The preview can still show what the rest of the file would have done.
    assert [item.reference for item in refused.value.report.actions_created] == ["A1"]


def test_repeated_reference_in_a_priority_is_refused_naming_both_rows(import_plan):
    with pytest.raises(PlanImportError) as refused:
        import_plan(
            csv_plan(
                "1,Early help,A1,First,DCO,May 2020",
                "1,Early help,A1,Second,DCO,May 2020",
                header="No,Priority,Ref,Actions,By whom,By When",
            ),
            file_name="plan.csv",
        )

    assert refused.value.errors == ["Row 3, reference: A1 is also on row 2."]
    assert not Action.objects.exists()


def test_existing_area_and_strategy_are_reused(import_plan, seed_data, area):
    Strategy.objects.create(area=area, title=STRATEGY)

    report = import_plan(seed_data)

    assert (report.area_created, report.strategy_created) == (False, False)
    assert LocalArea.objects.count() == 1
    assert Strategy.objects.get(title=STRATEGY).priorities.count() == 7


def test_only_plan_admins_may_import(import_plan, seed_data, officer):
    before = plan_counts()

    with pytest.raises(PermissionDenied):
        import_plan(seed_data, user=officer)

    assert plan_counts() == before


def test_reimport_of_an_unchanged_plan_runs_a_fixed_number_of_queries(
    import_plan, seed_data, django_assert_max_num_queries
):
    import_plan(seed_data)

    # The area, strategy, priorities, the actions (locked) with their owners, and the
    # area's owners are each read once; nothing is written.
    with django_assert_max_num_queries(12):
        import_plan(seed_data)


def generated_plan(rows: int) -> bytes:
    """One priority of numbered actions, each with two of four owners."""
    owners = ["DCO", "SEN manager", "PEP", "Local Offer Officer"]
    return csv_plan(
        *(
            f"1,Early help,,Action {n},{owners[n % 4]}/{owners[(n + 1) % 4]},May 2020"
            for n in range(rows)
        ),
        header="No,Priority,Ref,Actions,By whom,By When",
    )


def test_import_queries_grow_with_batches_not_rows(plan_admin):
    def queries(rows: int) -> int:
        area = LocalArea.objects.create(name=f"Area of {rows}")
        user = give_area(plan_admin, area)
        with CaptureQueriesContext(connection) as captured:
            report = plan_import(
                area_name=f"Area of {rows}",
                strategy_title=STRATEGY,
                file_name="generated.csv",
                data=generated_plan(rows),
                user=user,
            )
        assert len(report.actions_created) == rows
        return len(captured)

    small, large = queries(50), queries(200)

    # 150 more actions and 300 more owners, each with a history row: a few more batches
    # where a statement's parameters are limited (SQLite: 999), none on PostgreSQL.
    assert large - small <= 10
    assert ActionOwner.objects.count() == 2 * (50 + 200)


def test_bulk_written_history_rows_carry_the_user_reason_and_time_of_the_import(
    import_plan, seed_data, plan_admin
):
    started = timezone.now()
    import_plan(seed_data)
    finished = timezone.now()

    for model in (Action, ActionOwner):
        rows = list(model.history.all())
        assert len(rows) == model.objects.count()
        stamps = {(row.history_type, row.history_user, row.history_change_reason) for row in rows}
        assert stamps == {("+", plan_admin, SEED_REASON)}
        assert all(started <= row.history_date <= finished for row in rows)
    recorded = action("4.5").history.get()
    assert (recorded.due_date, recorded.original_due_date, recorded.is_ongoing) == (
        datetime.date(2020, 9, 30),
        datetime.date(2020, 9, 30),
        True,
    )
    assert recorded.version == 1


def test_history_receivers_see_imported_rows_as_they_see_single_saves(import_plan, seed_data):
    # The governance app dates the demo's history and credits reviewers this way.
    long_ago = datetime.datetime(2019, 3, 1, 9, tzinfo=datetime.UTC)

    def backdate(sender, history_instance, **kwargs):
        history_instance.history_date = long_ago

    pre_create_historical_record.connect(backdate)
    try:
        import_plan(seed_data)
    finally:
        pre_create_historical_record.disconnect(backdate)

    for model in (Action, ActionOwner, Owner, Priority):
        assert set(model.history.values_list("history_date", flat=True)) == {long_ago}


def test_month_shown_by_a_date_cell_is_due_as_the_same_words_typed(import_plan):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["No", "Priority", "Ref", "Actions", "By whom", "By when"])
    sheet.append([1, "Early help", "1.1", "Typed", "DCO", "February 2020"])
    sheet.append([1, "Early help", "1.2", "A date cell", "DCO", datetime.datetime(2020, 2, 1)])
    sheet["F3"].number_format = "mmmm yyyy"

    import_plan(xlsx_bytes(workbook), file_name="plan.xlsx")

    typed, dated = action("1.1"), action("1.2")
    assert (dated.deadline_text, dated.due_date) == ("February 2020", datetime.date(2020, 2, 29))
    assert (typed.deadline_text, typed.due_date) == (dated.deadline_text, dated.due_date)


def test_deadline_changed_from_ongoing_to_a_month_is_no_longer_ongoing(import_plan, seed_data):
    import_plan(seed_data)
    edited = seed_edited(seed_data, b"provider leads.\tongoing", b"provider leads.\tMay 2020")

    import_plan(edited)

    dated = action("1.3")
    assert (dated.due_date, dated.is_ongoing) == (datetime.date(2020, 5, 31), False)
    assert dated.original_due_date == datetime.date(2020, 5, 31)


def test_removed_owner_is_deleted_with_the_user_and_reason_on_its_history(
    import_plan, seed_data, plan_admin
):
    import_plan(seed_data)
    dco = Owner.objects.get(name=DCO)
    edited = seed_edited(seed_data, b"\tDCO\tDecember 2019", b"\tSEN Manager\tDecember 2019")

    report = import_plan(edited, file_name="appendix-2-revised.txt")

    assert owner_names("6.5") == ["SEN manager"]
    [updated] = report.actions_updated
    assert updated.changes == {"owners": ((DCO,), ("SEN manager",))}
    removed = ActionOwner.history.get(action_id=action("6.5").pk, owner_id=dco.pk, history_type="-")
    assert (removed.history_user, removed.history_change_reason) == (
        plan_admin,
        "Imported from appendix-2-revised.txt",
    )


def imported_history(area_name: str) -> dict[str, list[tuple]]:
    """The history rows an import wrote, with ids replaced by what they name."""
    actions = Action.history.filter(priority__strategy__area__name=area_name)
    ownerships = ActionOwner.history.filter(owner__area__name=area_name)
    references = dict(Action.objects.values_list("pk", "reference"))
    owners = dict(Owner.objects.values_list("pk", "name"))
    credit = ("history_type", "history_user", "history_change_reason", "history_date")
    fields = [
        field.attname
        for field in Action.history.model.tracked_fields
        if field.attname not in ("id", "priority_id")
    ]
    return {
        "actions": sorted(actions.values_list(*credit, *fields)),
        "ownerships": sorted(
            (*row[:4], references[row[4]], owners[row[5]], row[6])
            for row in ownerships.values_list(*credit, "action_id", "owner_id", "order")
        ),
    }


def test_history_written_in_bulk_matches_the_rows_receivers_are_sent(plan_admin, seed_data):
    # With a receiver of simple-history's signals connected, each row is built as an
    # instance and sent to it; without, rows are written as plain values. Same rows.
    when = datetime.datetime(2024, 1, 5, 9, tzinfo=datetime.UTC)
    seen = []

    def receiver(sender, history_instance, **kwargs):
        seen.append(history_instance)

    for area_name, listening in (("Sent", True), ("Plain", False)):
        area = LocalArea.objects.create(name=area_name)
        user = give_area(plan_admin, area)
        if listening:
            pre_create_historical_record.connect(receiver)
        try:
            with history_stamped(date=when):
                plan_import(
                    area_name=area_name,
                    strategy_title=STRATEGY,
                    file_name=SEED.name,
                    data=seed_data,
                    user=user,
                )
        finally:
            pre_create_historical_record.disconnect(receiver)

    assert len(seen) > 36 * 3
    sent, plain = imported_history("Sent"), imported_history("Plain")
    assert sent == plain
    assert {row[:4] for row in plain["actions"]} == {("+", plan_admin.pk, SEED_REASON, when)}
    assert len(plain["ownerships"]) == ActionOwner.objects.count() // 2
