"""Demo for update rounds and reminders: e-mail addresses for the demo users, and a coming
Partnership Board meeting to start a round for. Idempotent: adds only what is missing."""

import datetime

from django.contrib.auth import get_user_model

from actions import rules
from governance import services
from governance.choices import BoardKind
from governance.demo import STRATEGY
from governance.models import Board, Meeting
from priorities.models import Strategy

DEMO_EMAILS = {
    "officer": "olive.officer@example.org",
    "board": "bina.board@example.org",
    "planadmin": "paul.planadmin@example.org",
}
# A coming meeting when the demo's own next one has passed (the demo was loaded long ago).
NEXT_MEETING_IN_DAYS = 56


def load_reminders_demo(*, plan_admin) -> None:
    for user in get_user_model().objects.filter(username__in=DEMO_EMAILS, email=""):
        user.email = DEMO_EMAILS[user.username]
        user.save(update_fields=["email"])
    strategy = Strategy.objects.get(area__name="Medway", title=STRATEGY)
    board = Board.objects.get(area=strategy.area, kind=BoardKind.PARTNERSHIP)
    today = rules.today()
    if not Meeting.objects.filter(board=board, strategy=strategy, date__gt=today).exists():
        services.meeting_save(
            meeting=Meeting(
                board=board,
                strategy=strategy,
                date=today + datetime.timedelta(days=NEXT_MEETING_IN_DAYS),
                title="Quarterly review of the action plan",
            ),
            user=plan_admin,
            reason="Demo data",
        )
