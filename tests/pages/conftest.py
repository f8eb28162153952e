"""Plans of any size, with history, progress and owners, for the page tests."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from actions.choices import Rag, Status
from actions.models import Action, ActionOwner, Milestone, Owner, ProgressUpdate
from priorities.models import Priority

STATUSES = itertools.cycle(Status.values)
RAGS = itertools.cycle(Rag.values)


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def add_action(priority, reference, status=Status.NOT_STARTED, rag="", due_in=None) -> Action:
    """An action due in ``due_in`` days (None: no due date), created without the services."""
    today = timezone.localdate()
    return Action.objects.create(
        priority=priority,
        reference=reference,
        text=f"Action {reference}",
        status=status,
        rag=rag,
        due_date=None if due_in is None else today + datetime.timedelta(days=due_in),
    )


@pytest.fixture
def other_owner(area):
    return Owner.objects.create(area=area, name="Head of 0-25 Integrated Service")


@pytest.fixture
def grow_plan(strategy, priority, owner, other_owner, officer):
    """grow_plan(n) brings the strategy's plan to n actions over three priorities.

    The actions were created 200 days ago, a third were moved on 10 days ago (a status or
    RAG change in the history), every other one has a progress update, due dates spread
    from overdue to next year, and every action is owned by the officer's role.
    """
    priorities = [
        priority,
        Priority.objects.create(strategy=strategy, number=2, title="Sufficiency of places"),
        Priority.objects.create(strategy=strategy, number=3, title="Preparing for adulthood"),
    ]

    def grow(count: int) -> list[Action]:
        existing = Action.objects.filter(priority__strategy=strategy).count()
        today = timezone.localdate()
        new = [
            Action(
                priority=priorities[number % 3],
                reference=f"{number % 3 + 1}.{number + 10}",
                order=number,
                text=f"Action number {number}, with a long enough text to wrap on a phone.",
                deadline_text="Ongoing" if number % 7 == 0 else "By the end of the month",
                due_date=None
                if number % 7 == 0
                else today + datetime.timedelta(days=(number % 11) * 40 - 150),
                is_ongoing=number % 7 == 0,
                status=next(STATUSES),
                rag=next(RAGS),
                percent_complete=number % 101,
            )
            for number in range(existing, count)
        ]
        created = bulk_create_with_history(
            new, Action, default_user=officer, default_date=days_ago(200)
        )
        ActionOwner.objects.bulk_create(
            ActionOwner(action=action, owner=owner if action.order % 2 else other_owner)
            for action in created
        )
        ActionOwner.objects.bulk_create(
            ActionOwner(action=action, owner=owner, order=1)
            for action in created
            if not action.order % 2
        )
        ProgressUpdate.objects.bulk_create(
            ProgressUpdate(action=action, author=officer, note="On track.", created_at=days_ago(5))
            for action in created[::2]
        )
        moved = created[::3]
        for action in moved:
            action.status = (
                Status.AT_RISK if action.status == Status.IN_PROGRESS else Status.IN_PROGRESS
            )
            action.version += 1
        bulk_update_with_history(
            moved,
            Action,
            ["status", "version"],
            default_user=officer,
            default_change_reason="Moved on after the pilot.",
            default_date=days_ago(10),
        )
        Milestone.objects.bulk_create(
            Milestone(action=action, text="Report to the board") for action in created[::4]
        )
        return created

    return grow


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def board_client(client, board_member):
    client.force_login(board_member)
    return client


@pytest.fixture
def admin_client_(client, plan_admin):
    client.force_login(plan_admin)
    return client


def count_queries(client, url: str) -> int:
    """How many queries the page at url runs; it must render."""
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.content[:2000]
    return len(context.captured_queries)


@pytest.fixture
def queries_at_10_and_500(grow_plan):
    """measure(client, url) -> (queries with 10 actions in the plan, with 500)."""

    def measure(client, url: str) -> tuple[int, int]:
        grow_plan(10)
        small = count_queries(client, url)
        grow_plan(500)
        return small, count_queries(client, url)

    return measure
