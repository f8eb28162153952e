"""Benchmark: a plan's pages alone, and beside 149 other areas' plans and history.

Run on demand against a scratch PostgreSQL database, never the suite's:

    DATABASE_URL=postgres://u:pw@localhost/scratch .venv/bin/python bench/national.py

It empties that database and a second one beside it (the same name with "_alone"), then
builds the same plan in both (Medway: 7 priorities, 200 actions, about 34 history rows an
action over two years, progress updates, a board that met four times) and, in the first
only, 149 more areas built the same way (30,000 actions, about a million history rows in
all). Each page of Medway's plan is then requested from the two databases in turn, so
that the machine's noise falls on both alike. A page that costs O(plan) takes the same
time at national scale as alone: the last line is the worst ratio. Times are medians of
requests through Django's test client, so they leave out the web server but not the
database; query counts come from the same requests.
"""

import argparse
import contextlib
import contextvars
import datetime
import os
import random
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ACTIONS_PER_AREA = 200
PRIORITIES_PER_AREA = 7
CHANGES_PER_ACTION = 34
DAYS_OF_HISTORY = 700
BATCH = 5_000
ALIASES = ("default", "alone")
DATABASE = contextvars.ContextVar("database", default="default")


class Router:
    """Sends every query to the database the benchmark is using at the moment."""

    def db_for_read(self, model, **hints):
        return DATABASE.get()

    db_for_write = db_for_read

    def allow_relation(self, obj1, obj2, **hints):
        return True


def setup_django() -> None:
    import django

    sys.path.insert(0, str(ROOT))
    # The test settings serve static files without collectstatic; DEBUG off as in
    # production, where Django does not keep every query it runs in memory.
    os.environ["DJANGO_SETTINGS_MODULE"] = "sendplan.settings.test"
    os.environ["DEBUG"] = "false"
    warnings.filterwarnings("ignore", message="No directory at")  # no collectstatic here
    django.setup()
    from django.conf import settings
    from django.test.utils import setup_test_environment

    default = settings.DATABASES["default"]
    settings.DATABASES["alone"] = {**default, "NAME": default["NAME"] + "_alone"}
    settings.DATABASE_ROUTERS = [Router()]
    setup_test_environment()  # lets the test client's host in


@contextlib.contextmanager
def using(alias: str):
    """Run the block against one of the two databases."""
    token = DATABASE.set(alias)
    try:
        yield
    finally:
        DATABASE.reset(token)


def build_area(index: int, *, now: datetime.datetime, users: dict) -> dict:
    """One area's plan with two years of history, written in bulk (no services: volume)."""
    from actions.choices import Rag, Status
    from actions.models import Action, ActionOwner, Owner, OwnerHolder, ProgressUpdate
    from governance.choices import PapersRoute
    from governance.models import Board, BoardMembership, Meeting
    from governance.services import papers_publish
    from priorities.models import AreaMembership, LocalArea, Priority, Strategy

    rng = random.Random(index)
    area = LocalArea.objects.create(name="Medway" if index == 0 else f"Area {index:03d}")
    if index == 0:
        # The measured users hold their roles in Medway: every page is scoped to their
        # areas. Their one group names the role.
        AreaMembership.objects.bulk_create(
            AreaMembership(area=area, user=user, role=user.groups.get()) for user in users.values()
        )
    strategy = Strategy.objects.create(
        area=area, title="Joint SEND Strategy 2022-25", start_year=2022, end_year=2025
    )
    priorities = Priority.objects.bulk_create(
        Priority(strategy=strategy, number=n, title=f"Priority {n}", order=n)
        for n in range(1, PRIORITIES_PER_AREA + 1)
    )
    owners = Owner.objects.bulk_create(
        Owner(area=area, name=f"Owner {n}", normalised_name=f"owner {n}") for n in range(12)
    )
    start = now - datetime.timedelta(days=DAYS_OF_HISTORY)
    statuses = [s for s in Status.values if s != Status.COMPLETED]
    actions, histories, updates = [], [], []
    for number in range(ACTIONS_PER_AREA):
        priority = priorities[number % PRIORITIES_PER_AREA]
        action = Action(
            priority=priority,
            reference=f"{priority.number}.{number // PRIORITIES_PER_AREA + 1}",
            order=number,
            text=f"Action {number}: review and improve the local offer for families.",
            deadline_text="March 2027",
            due_date=(now + datetime.timedelta(days=rng.randint(-300, 400))).date(),
            status=Status.NOT_STARTED,
            rag="",
            percent_complete=0,
        )
        action.original_due_date = action.due_date
        moments = sorted(
            start + datetime.timedelta(minutes=rng.randint(0, DAYS_OF_HISTORY * 1440))
            for _ in range(CHANGES_PER_ACTION)
        )
        states = []
        for step, moment in enumerate(moments):
            if step:
                action.status = rng.choice(statuses)
                action.rag = rng.choice(Rag.values)
                action.percent_complete = min(100, action.percent_complete + rng.randint(0, 6))
                action.version = step + 1
            if step == CHANGES_PER_ACTION - 1 and rng.random() < 0.2:
                action.status, action.percent_complete = Status.COMPLETED, 100
            states.append((moment, action.status, action.rag, action.percent_complete, step + 1))
        actions.append(action)
        histories.append(states)
    Action.objects.bulk_create(actions, batch_size=BATCH)
    ActionOwner.objects.bulk_create(
        ActionOwner(action=action, owner=owners[n % len(owners)])
        for n, action in enumerate(actions)
    )
    history_model = Action.history.model
    rows = []
    for action, states in zip(actions, histories, strict=True):
        for step, (moment, status, rag, percent, version) in enumerate(states):
            rows.append(
                history_model(
                    id=action.pk,
                    priority_id=action.priority_id,
                    reference=action.reference,
                    order=action.order,
                    text=action.text,
                    deadline_text=action.deadline_text,
                    due_date=action.due_date,
                    original_due_date=action.original_due_date,
                    is_ongoing=False,
                    status=status,
                    rag=rag,
                    percent_complete=percent,
                    version=version,
                    history_date=moment,
                    history_type="+" if step == 0 else "~",
                    history_user_id=users["officer"].pk,
                    history_change_reason=None if step == 0 else "Progress reported.",
                )
            )
            if step and step % 3 == 0:
                updates.append(
                    ProgressUpdate(
                        action=action,
                        author=users["officer"],
                        note="Progress reported.",
                        created_at=moment,
                    )
                )
    history_model.objects.bulk_create(rows, batch_size=BATCH)
    ProgressUpdate.objects.bulk_create(updates, batch_size=BATCH)
    ProgressUpdate.history.model.objects.bulk_create(
        (
            ProgressUpdate.history.model(
                id=update.pk,
                action_id=update.action_id,
                author_id=update.author_id,
                note=update.note,
                created_at=update.created_at,
                history_date=update.created_at,
                history_type="+",
                history_user_id=update.author_id,
            )
            for update in updates
        ),
        batch_size=BATCH,
    )
    board = Board.objects.create(area=area, name="SEND Partnership Board", kind="partnership")
    meetings = Meeting.objects.bulk_create(
        Meeting(
            board=board,
            strategy=strategy,
            date=(now - datetime.timedelta(days=days)).date(),
            title="Partnership Board",
        )
        for days in (330, 240, 150, 60)
    )
    if index == 0:
        OwnerHolder.objects.bulk_create(OwnerHolder(owner=o, user=users["officer"]) for o in owners)
        BoardMembership.objects.create(board=board, user=users["board"], role="Member")
        # The last meeting's papers, published as the migration publishes a past meeting's.
        papers_publish(meeting=meetings[-1], user=None, route=PapersRoute.COMMAND)
    return {"strategy": strategy, "action": actions[0], "meeting": meetings[-1]}


def pages(plan: dict) -> dict[str, tuple[str, str]]:
    """Page name -> (URL, persona)."""
    from django.urls import reverse

    strategy = plan["strategy"].pk
    return {
        "dashboard": (reverse("actions:dashboard", args=[strategy]), "board"),
        "changes": (reverse("actions:changes", args=[strategy]), "board"),
        "action list": (reverse("actions:list", args=[strategy]), "board"),
        "action page": (reverse("actions:detail", args=[plan["action"].pk]), "board"),
        "my actions": (reverse("home"), "officer"),
        "published papers": (
            reverse("governance:meeting_pack", args=[plan["meeting"].pk]),
            "board",
        ),
    }


def measure(plans: dict, users: dict, repeats: int) -> dict:
    """{(alias, page name): (median seconds, queries)}, the two databases taking turns."""
    from django.db import connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    clients = {}
    for alias in ALIASES:
        with using(alias):
            for persona, user in users[alias].items():
                clients[alias, persona] = Client()
                clients[alias, persona].force_login(user)
    timings = {}
    queries = {}
    pages_of = {alias: pages(plans[alias]) for alias in ALIASES}
    for name in pages_of["default"]:
        for turn in range(repeats + 2):  # two warm-up turns, for the caches
            for alias in ALIASES:
                url, persona = pages_of[alias][name]
                with using(alias), CaptureQueriesContext(connections[alias]) as captured:
                    started = time.perf_counter()
                    response = clients[alias, persona].get(url)
                    elapsed = time.perf_counter() - started
                assert response.status_code == 200, url
                if turn >= 2:
                    timings.setdefault((alias, name), []).append(elapsed)
                    queries[alias, name] = len(captured.captured_queries)
    return {key: (statistics.median(times), queries[key]) for key, times in timings.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--areas", type=int, default=150)
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a scratch PostgreSQL database: this benchmark empties it.")
    setup_django()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    from sendplan import roles

    with connections["default"].cursor() as cursor:
        name = connections["alone"].settings_dict["NAME"]
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    now = timezone.now()
    users, plans = {}, {}
    for alias in ALIASES:
        with using(alias):
            call_command("migrate", database=alias, verbosity=0)
            call_command("flush", database=alias, interactive=False, verbosity=0)
            roles.ensure_role_groups()
            users[alias] = {}
            for persona, group in (("officer", roles.OFFICER), ("board", roles.BOARD_MEMBER)):
                user = User.objects.create_user(f"bench-{persona}")
                user.groups.add(Group.objects.get(name=group))
                users[alias][persona] = user
            plans[alias] = build_area(0, now=now, users=users[alias])
    started = time.perf_counter()
    with using("default"):
        for index in range(1, args.areas):
            build_area(index, now=now, users=users["default"])
        history = plans["default"]["action"].history.model.objects.count()
    for alias in ALIASES:
        with connections[alias].cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"{args.areas} areas, {history:,} action history rows, built in "
        f"{time.perf_counter() - started:.0f} s",
        flush=True,
    )
    results = measure(plans, users, args.repeats)

    header = ("page", "alone ms", "queries", "national ms", "queries", "ratio")
    print("{:<12} {:>9} {:>8} {:>12} {:>8} {:>6}".format(*header))
    worst = ("", 0.0)
    for name in pages(plans["alone"]):
        alone_s, alone_q = results["alone", name]
        national_s, national_q = results["default", name]
        ratio = national_s / alone_s
        worst = max(worst, (name, ratio), key=lambda item: item[1])
        print(
            f"{name:<12} {alone_s * 1000:>9.1f} {alone_q:>8} {national_s * 1000:>12.1f} "
            f"{national_q:>8} {ratio:>6.2f}"
        )
    print(f"worst ratio: {worst[1]:.2f} ({worst[0]})")


if __name__ == "__main__":
    main()
