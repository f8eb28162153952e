"""A Medway partnership board with the board member on it, and a way to date history."""

import datetime

import pytest
from django.utils import timezone

from governance.choices import BoardKind
from governance.models import Board, BoardMembership, Meeting
from sendplan.audit import history_stamped


def london(day: datetime.date, hour: int = 12, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def on(day: datetime.date, hour: int = 12, minute: int = 0):
    """Write the block's history as if it happened at this London time."""
    return history_stamped(date=london(day, hour, minute))


@pytest.fixture
def board(area, board_member):
    board = Board.objects.create(
        area=area, name="SEND Partnership Board", kind=BoardKind.PARTNERSHIP
    )
    BoardMembership.objects.create(board=board, user=board_member, role="Member")
    return board


@pytest.fixture
def make_meeting(board, strategy):
    def make(day: datetime.date, title: str = "Partnership Board") -> Meeting:
        return Meeting.objects.create(board=board, strategy=strategy, date=day, title=title)

    return make
