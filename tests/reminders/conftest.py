"""A plan whose actions are overdue, due soon and stale, owners with e-mail addresses,
and a coming meeting to run an update round for."""

import datetime

import pytest
from django.utils import timezone

from actions.models import Action, Owner, OwnerHolder
from governance.choices import BoardKind
from governance.models import Board, Meeting
from sendplan import roles
from sendplan.audit import history_stamped
from tests.conftest import make_user


def day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


def at(offset: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day(offset), datetime.time(10)))


def add_action(priority, reference, owners, *, due=None, created=-1, status="in_progress"):
    """An action due in ``due`` days, first recorded ``created`` days ago."""
    with history_stamped(date=at(created)):
        action = Action.objects.create(
            priority=priority,
            reference=reference,
            text=f"Action {reference} & co.",
            status=status,
            due_date=None if due is None else day(due),
        )
    action.owners.add(*owners)
    return action


@pytest.fixture
def officer(owner):
    user = make_user("olivia", roles.OFFICER, owner.area)
    user.email = "olivia@example.org"
    user.save()
    OwnerHolder.objects.create(owner=owner, user=user)
    return user


@pytest.fixture
def plan_admin(area):
    user = make_user("pat", roles.PLAN_ADMIN, area)
    user.is_staff = True
    user.email = "pat@example.org"
    user.save()
    return user


@pytest.fixture
def plan(priority, owner):
    """1.1 overdue (for 30 days), 1.2 due soon, 1.3 stale, 1.4 fine, 1.5 overdue but completed."""
    return {
        "overdue": add_action(priority, "1.1", [owner], due=-30),
        "due_soon": add_action(priority, "1.2", [owner], due=20),
        "stale": add_action(priority, "1.3", [owner], created=-100),
        "fine": add_action(priority, "1.4", [owner], due=200),
        "completed": add_action(priority, "1.5", [owner], due=-3, status="completed"),
    }


@pytest.fixture
def nobody_role(area):
    return Owner.objects.create(area=area, name="Designated Clinical Officer 2", aliases="DCO2")


@pytest.fixture
def board(area):
    return Board.objects.create(
        area=area, name="SEND Partnership Board", kind=BoardKind.PARTNERSHIP
    )


@pytest.fixture
def meeting(board, strategy):
    return Meeting.objects.create(board=board, strategy=strategy, date=day(30), title="Next board")
