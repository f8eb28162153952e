import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions import services
from actions.choices import Rag, Status
from actions.models import Action, ActionOwner, Owner, ProgressUpdate
from actions.owners import OwnerDirectory
from actions.selectors import action_status_timeline


def test_officer_status_change_is_recorded_with_who_and_note(action, officer):
    services.action_update_progress(
        action=action,
        user=officer,
        status=Status.IN_PROGRESS,
        rag=Rag.AMBER,
        percent_complete=20,
        note="Pilot schools chosen.",
    )
    latest = action.history.latest()
    assert (latest.status, latest.rag, latest.percent_complete) == ("in_progress", "amber", 20)
    assert latest.history_user == officer
    assert latest.history_change_reason == "Pilot schools chosen."
    assert ProgressUpdate.objects.get(action=action).author == officer


def test_status_change_without_note_is_refused_and_changes_nothing(action, officer):
    with pytest.raises(ValidationError) as error:
        services.action_update_progress(
            action=action, user=officer, status=Status.BLOCKED, rag="", percent_complete=0, note=" "
        )
    assert "note" in error.value.message_dict
    action.refresh_from_db()
    assert action.status == Status.NOT_STARTED
    assert action.history.count() == 1


def test_officer_cannot_update_others_action(action, board_member, officer, priority):
    others = Action.objects.create(priority=priority, reference="1.2", text="Someone else's.")
    with pytest.raises(PermissionDenied):
        services.action_update_progress(
            action=others,
            user=officer,
            status=Status.COMPLETED,
            rag="",
            percent_complete=100,
            note="Done",
        )
    with pytest.raises(PermissionDenied):
        services.action_update_progress(
            action=action,
            user=board_member,
            status=Status.COMPLETED,
            rag="",
            percent_complete=100,
            note="Done",
        )


@pytest.mark.parametrize(
    ("status", "rag", "percent", "field"),
    [
        ("finished", "", 0, "status"),
        ("in_progress", "purple", 0, "rag"),
        ("in_progress", "", 101, "percent_complete"),
        ("in_progress", "", -1, "percent_complete"),
    ],
)
def test_bad_progress_values_are_refused_by_name(action, officer, status, rag, percent, field):
    with pytest.raises(ValidationError) as error:
        services.action_update_progress(
            action=action, user=officer, status=status, rag=rag, percent_complete=percent, note="x"
        )
    assert field in error.value.message_dict
    action.refresh_from_db()
    assert action.status == Status.NOT_STARTED


def test_second_save_on_an_old_version_reports_what_changed(action, officer):
    seen = action.version
    services.action_update_progress(
        action=action,
        user=officer,
        status=Status.AT_RISK,
        rag=Rag.RED,
        percent_complete=10,
        note="Staff shortage",
        seen_version=seen,
    )
    with pytest.raises(services.ActionChangedMeanwhile) as conflict:
        services.action_update_progress(
            action=action,
            user=officer,
            status=Status.COMPLETED,
            rag=Rag.GREEN,
            percent_complete=100,
            note="Done",
            seen_version=seen,
        )
    assert conflict.value.changes["status"] == ("not_started", "at_risk")
    action.refresh_from_db()
    assert action.status == Status.AT_RISK


def test_moving_the_due_date_needs_a_reason_and_keeps_the_original(action, plan_admin):
    assert action.due_date is None  # created directly, not through the service
    services.action_save(action=action, user=plan_admin, reason="first dated")
    action.due_date = datetime.date(2020, 3, 31)
    with pytest.raises(ValidationError) as error:
        services.action_save(action=action, user=plan_admin)
    assert "due_date" in error.value.message_dict
    services.action_save(action=action, user=plan_admin, reason="Pilot delayed by COVID")
    action.refresh_from_db()
    assert action.original_due_date == datetime.date(2020, 3, 31)


def test_new_action_due_date_comes_from_deadline_as_written(priority, plan_admin):
    action = Action(
        priority=priority, reference="1.9", text="x", deadline_text="September 2020 an ongoing"
    )
    services.action_save(action=action, user=plan_admin)
    assert action.due_date == datetime.date(2020, 9, 30)
    assert action.original_due_date == datetime.date(2020, 9, 30)
    assert action.is_ongoing
    assert action.slip_days == 0
    action.due_date = datetime.date(2020, 12, 31)
    services.action_save(action=action, user=plan_admin, reason="Employer network late")
    assert action.slip_days == 92
    assert action.deadline_text == "September 2020 an ongoing"


def test_saving_an_unchanged_action_writes_no_history(action, plan_admin):
    services.action_save(action=action, user=plan_admin, reason="dated")
    before = action.history.count()
    assert services.action_save(action=Action.objects.get(pk=action.pk), user=plan_admin) is False
    assert action.history.count() == before


def test_officer_cannot_edit_the_plan(action, officer):
    action.text = "Rewritten"
    with pytest.raises(PermissionDenied):
        services.action_save(action=action, user=officer)


def test_bulk_update_writes_one_history_row_per_action_with_the_user(priority, plan_admin):
    actions = [
        Action.objects.create(priority=priority, reference=f"1.{n}", text=f"Action {n}")
        for n in range(1, 4)
    ]
    count = services.action_bulk_update(
        actions=Action.objects.filter(priority=priority),
        user=plan_admin,
        reason="Board agreed",
        status=Status.COMPLETED,
    )
    assert count == 3
    for action in actions:
        latest = action.history.latest()
        assert latest.status == Status.COMPLETED
        assert latest.history_user == plan_admin
        assert latest.history_change_reason == "Board agreed"


def test_deleted_action_keeps_its_history(action, plan_admin):
    pk = action.pk
    services.action_delete(action=action, user=plan_admin, reason="Duplicate")
    history = Action.history.filter(id=pk).order_by("history_date")
    assert [row.history_type for row in history] == ["+", "-"]
    assert history.last().history_user == plan_admin
    assert ActionOwner.history.filter(action_id=pk, history_type="-").exists()


def test_spellings_and_aliases_resolve_to_one_owner(area, plan_admin):
    directory = OwnerDirectory(area)
    first, created = services.owner_find_or_create(
        directory=directory, name="Head of 0-25 integrated service", user=plan_admin, reason="r"
    )
    assert created and first.name == "Head of 0-25 Integrated Service"
    for spelling in [
        "Head OF 0-25 Integrated Service",
        "Head of 0-25  Service",
        "head of 0-25 integrated service",
    ]:
        assert services.owner_find_or_create(
            directory=directory, name=spelling, user=plan_admin, reason="r"
        ) == (first, False)
    dco, _ = services.owner_find_or_create(
        directory=directory, name="DCO", user=plan_admin, reason="r"
    )
    assert dco.name == "Designated Clinical Officer"
    assert Owner.objects.filter(area=area).count() == 2


def test_alias_already_used_by_another_owner_is_refused(owner, plan_admin, area):
    clash = Owner(area=area, name="Designated Clinical Officer for SEND", aliases="DCO")
    with pytest.raises(ValidationError) as error:
        services.owner_save(owner=clash, user=plan_admin)
    assert "DCO" in error.value.message_dict["aliases"][0]


def test_timeline_lists_each_status_change_with_who_and_note(action, officer):
    for status, note in [(Status.IN_PROGRESS, "Started"), (Status.COMPLETED, "Finished")]:
        services.action_update_progress(
            action=action, user=officer, status=status, rag="", percent_complete=50, note=note
        )
    services.action_update_progress(
        action=action, user=officer, status=Status.COMPLETED, rag="", percent_complete=100, note=""
    )
    timeline = action_status_timeline(action)
    assert [(c.old_status, c.new_status, c.note) for c in timeline] == [
        ("", "not_started", ""),
        ("not_started", "in_progress", "Started"),
        ("in_progress", "completed", "Finished"),
    ]
    assert timeline[-1].who == "Olivia"


def test_changed_deadline_rederives_ongoing_unless_it_was_set_in_the_same_change(
    priority, plan_admin
):
    action = Action(priority=priority, reference="1.9", text="x", deadline_text="ongoing")
    services.action_save(action=action, user=plan_admin)
    assert (action.due_date, action.is_ongoing) == (None, True)

    action.deadline_text = "March 2020"
    services.action_save(action=action, user=plan_admin, reason="Dated at last")
    assert (action.due_date, action.is_ongoing) == (datetime.date(2020, 3, 31), False)

    action.deadline_text, action.is_ongoing = "June 2020", True
    services.action_save(action=action, user=plan_admin, reason="Termly after June")
    assert (action.due_date, action.is_ongoing) == (datetime.date(2020, 6, 30), True)


def test_action_save_reads_and_locks_the_action_alone(action, plan_admin):
    action.text = "Reworded."
    with CaptureQueriesContext(connection) as captured:
        services.action_save(action=action, user=plan_admin)
    # The first read of the action is the locked one (full_clean's checks follow). The
    # default ordering would join, and on PostgreSQL lock, the priority, strategy and area.
    read = next(
        query["sql"]
        for query in captured
        if query["sql"].startswith("SELECT") and 'FROM "actions_action"' in query["sql"]
    )
    assert "JOIN" not in read
    if connection.features.has_select_for_update_of:
        assert read.endswith('FOR UPDATE OF "actions_action"')


def test_batch_applies_the_rules_of_a_single_save(priority, action, plan_admin):
    batch = services.ActionBatch(user=plan_admin, reason="")
    new = Action(priority=priority, reference="1.2", text="New.", deadline_text="May 2020")
    assert batch.add(old=None, action=new) == {}
    moved = Action.objects.get(pk=action.pk)
    moved.status = Status.BLOCKED
    with pytest.raises(ValidationError) as error:
        batch.add(old=Action.objects.get(pk=action.pk), action=moved)
    assert set(error.value.message_dict) == {"status"}
    too_long = Action(priority=priority, reference="1.3", text="x", deadline_text="x" * 201)
    with pytest.raises(ValidationError) as error:
        batch.add(old=None, action=too_long)
    assert set(error.value.message_dict) == {"deadline_text"}
    assert batch.add(old=Action.objects.get(pk=action.pk), action=action) is None

    batch.save()

    saved = Action.objects.get(reference="1.2")
    assert (saved.due_date, saved.original_due_date, saved.version) == (
        datetime.date(2020, 5, 31),
        datetime.date(2020, 5, 31),
        1,
    )
    action.refresh_from_db()
    assert action.status == Status.NOT_STARTED
    assert action.history.count() == 1


def test_batch_writes_changes_and_owners_with_history(priority, action, owner, plan_admin):
    other = Owner.objects.create(area=owner.area, name="SEN manager")
    batch = services.ActionBatch(user=plan_admin, reason="Board agreed")
    old = Action.objects.prefetch_related("ownerships").get(pk=action.pk)
    changed = Action.objects.get(pk=action.pk)
    changed.rag = Rag.RED
    new = Action(priority=priority, reference="1.2", text="New.")
    batch.add(old=old, action=changed)
    batch.add(old=None, action=new)
    assert batch.set_owners(action=changed, owners=[other], existing=old.ownerships.all())
    assert batch.set_owners(action=new, owners=[owner, other, owner], existing=[])

    batch.save()

    changed.refresh_from_db()
    assert (changed.rag, changed.version) == (Rag.RED, old.version + 1)
    assert changed.updated_at > old.updated_at
    assert list(changed.owners.all()) == [other]
    assert [o.owner for o in new.ownerships.all()] == [owner, other]
    latest = changed.history.latest()
    assert (latest.rag, latest.history_type, latest.history_user) == ("red", "~", plan_admin)
    assert latest.history_change_reason == "Board agreed"
    rows = ActionOwner.history.values_list("history_type", "history_user", "history_change_reason")
    assert sorted(rows) == [
        ("+", plan_admin.pk, "Board agreed"),
        ("+", plan_admin.pk, "Board agreed"),
        ("+", plan_admin.pk, "Board agreed"),
        ("-", plan_admin.pk, "Board agreed"),
    ]


def test_batch_is_for_plan_admins_only(officer):
    with pytest.raises(PermissionDenied):
        services.ActionBatch(user=officer, reason="")


def test_owner_full_clean_compares_the_normalised_name(owner, area):
    clash = Owner(area=area, name="designated  clinical\u00a0OFFICER")
    with pytest.raises(ValidationError):
        clash.full_clean()
    assert clash.normalised_name == "designated clinical officer"


def test_owner_save_checks_spellings_against_a_loaded_directory_without_reloading_it(
    owner, area, plan_admin, django_assert_num_queries
):
    directory = OwnerDirectory(area)
    clash = Owner(area=area, name="DCO for SEND", aliases="DCO")
    with django_assert_num_queries(0):
        assert services.owner_spelling_errors(clash, directory=directory) == {
            "aliases": '"DCO" already names the owner "Designated Clinical Officer".'
        }


def test_board_member_adds_a_follow_up_in_their_name_but_an_officer_cannot(
    priority, board_member, officer
):
    follow_up = dict(
        priority=priority,
        reference="1.7",
        order=7,
        text="Report back on waiting times.",
        owner_name="DCO",
        due_date=datetime.date(2027, 3, 31),
        reason="Board review",
    )
    with pytest.raises(PermissionDenied):
        services.action_create_follow_up(**follow_up, user=officer)
    action = services.action_create_follow_up(**follow_up, user=board_member)
    assert action.deadline_text == "31 March 2027" and action.due_date == follow_up["due_date"]
    assert [owner.name for owner in action.owners.all()] == ["Designated Clinical Officer"]
    assert action.history.get().history_user == board_member
    assert action.ownerships.get().history.get().history_user == board_member
