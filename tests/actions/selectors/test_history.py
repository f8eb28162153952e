from actions.choices import Status
from actions.selectors.history import action_status_timeline
from actions.services.actions import (
    action_update_progress,
)


def test_timeline_lists_each_status_change_with_who_and_note(action, officer):
    for status, note in [(Status.IN_PROGRESS, "Started"), (Status.COMPLETED, "Finished")]:
        action_update_progress(
            action=action, user=officer, status=status, rag="", percent_complete=50, note=note
        )
    action_update_progress(
        action=action, user=officer, status=Status.COMPLETED, rag="", percent_complete=100, note=""
    )
    timeline = action_status_timeline(action)
    assert [(c.old_status, c.new_status, c.note) for c in timeline] == [
        ("", "not_started", ""),
        ("not_started", "in_progress", "Started"),
        ("in_progress", "completed", "Finished"),
    ]
    assert timeline[-1].who == "Olivia"
