"""Demo data: Medway and Kent, their boards and strategies, the seed appendix, and a user per role.

Safe to run again: it creates what is missing, re-imports the appendix (a no-op when
unchanged) and resets the demo users' passwords to the ones it prints.
"""

import os
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand
from django.db import transaction

from actions.choices import Rag, Status
from actions.models import Action, Owner
from actions.services import actions as action_services
from actions.services import ownership as owner_services
from governance.choices import BoardKind
from governance.demo import STRATEGY, load_governance_demo
from governance.models import Board
from measures.demo import load_measures_demo
from planfile.importer import plan_import
from priorities.choices import StrategyStage
from priorities.models import AreaMembership, LocalArea, Strategy
from priorities.services import area_get_or_create, area_membership_save, strategy_save
from public_pages.demo import load_public_demo
from reminders.demo import load_reminders_demo
from sendplan import roles
from sendplan.audit import save_with_history
from sendplan.demo_guard import ensure_demo_allowed

APPENDIX = Path(settings.BASE_DIR) / "fixtures" / "medway-send-action-plan-appendix-2.txt"
APPENDIX_STRATEGY = "SEND Strategy 2019-2022"

STRATEGIES = [
    ("Medway", APPENDIX_STRATEGY, 2019, 2022, StrategyStage.ARCHIVED),
    ("Medway", "Joint SEND Strategy 2022-25", 2022, 2025, StrategyStage.PUBLISHED),
    ("Kent", "SEND Strategy 2021-2024", 2021, 2024, StrategyStage.APPROVED),
]

# username, full name, role, password, local area, owner roles held there
DEMO_USERS = [
    (
        "officer",
        "Olive Officer",
        roles.OFFICER,
        "officer-demo-pass",
        "Medway",
        ["Head of 0-25 Integrated Service", "Designated Clinical Officer"],
    ),
    ("board", "Bina Board", roles.BOARD_MEMBER, "board-demo-pass", "Medway", []),
    ("planadmin", "Paul Planadmin", roles.PLAN_ADMIN, "planadmin-demo-pass", "Medway", []),
    ("kentadmin", "Kim Kentadmin", roles.PLAN_ADMIN, "kentadmin-demo-pass", "Kent", []),
]

# Progress the officer reported, so the pages show a plan in motion.
DEMO_PROGRESS = [
    ("1.1", Status.COMPLETED, Rag.GREEN, 100, "Pilot ran in 12 schools; evaluation shared."),
    (
        "1.3",
        Status.IN_PROGRESS,
        Rag.AMBER,
        60,
        "Team Around the Child pilot live in two localities.",
    ),
    ("2.7", Status.IN_PROGRESS, Rag.GREEN, 40, "Audit programme running every two months."),
    ("3.1", Status.AT_RISK, Rag.RED, 30, "Capital funding for resourced provision not yet agreed."),
    ("6.5", Status.BLOCKED, Rag.RED, 10, "Waiting on the providers' new appointments system."),
]


class Command(BaseCommand):
    help = "Load the demo: local areas, boards, strategies, the seed action plan and demo users."

    @transaction.atomic
    def handle(self, *args, **options):
        ensure_demo_allowed()
        roles.ensure_role_groups()
        # The areas are the service administrator's to add: this command, run on the server.
        areas = {
            name: area_get_or_create(name=name, user=None, reason="Demo data")[0]
            for name in dict.fromkeys(area_name for area_name, *_ in STRATEGIES)
        }
        users = self._users(areas)
        plan_admin = users["planadmin"]
        admin_of = {"Medway": plan_admin, "Kent": users["kentadmin"]}
        for area_name, title, start, end, stage in STRATEGIES:
            area = self._boards(areas[area_name], admin_of[area_name])
            if not Strategy.objects.filter(area=area, title=title).exists():
                # An archived plan's actions cannot change: it is archived once filled in.
                strategy = Strategy(
                    area=area,
                    title=title,
                    start_year=start,
                    end_year=end,
                    stage=StrategyStage.PUBLISHED if stage == StrategyStage.ARCHIVED else stage,
                )
                strategy_save(strategy=strategy, user=admin_of[area_name], reason="Demo data")
        report = plan_import(
            area_name="Medway",
            strategy_title=APPENDIX_STRATEGY,
            file_name=APPENDIX.name,
            data=APPENDIX.read_bytes(),
            user=plan_admin,
        )
        for line in report.summary_lines():
            self.stdout.write(f"  {line}")
        self._officer_roles(users["officer"], plan_admin)
        self._progress(users["officer"])
        self._archive_ended_plans(admin_of)
        load_governance_demo(
            plan_admin=plan_admin,
            board_member=users["board"],
            officer=users["officer"],
            import_plan=plan_import,
            before_papers=lambda: load_measures_demo(
                strategy_title=STRATEGY, plan_admin=plan_admin, officer=users["officer"]
            ),
        )
        load_public_demo(plan_admin=plan_admin, officer=users["officer"])
        load_reminders_demo(plan_admin=plan_admin)
        # `make run` serves on $PORT and passes it here, so the address printed is the one served.
        port = os.environ.get("PORT", "").strip() or "8000"
        self.stdout.write(
            self.style.SUCCESS(f"Demo loaded. Sign in at http://127.0.0.1:{port}/ as:")
        )
        for username, full_name, role, password, area_name, _ in DEMO_USERS:
            self.stdout.write(
                f"  {role:<13} {username:<10} password: {password:<20} ({full_name}, {area_name})"
            )

    def _users(self, areas: dict[str, LocalArea]) -> dict[str, User]:
        users = {}
        for username, full_name, role, password, area_name, _ in DEMO_USERS:
            first, last = full_name.split()
            user, _ = User.objects.get_or_create(
                username=username, defaults={"first_name": first, "last_name": last}
            )
            user.set_password(password)
            user.is_staff = role == roles.PLAN_ADMIN
            user.save()
            area, group = areas[area_name], Group.objects.get(name=role)
            if not AreaMembership.objects.filter(area=area, user=user, role=group).exists():
                membership = AreaMembership(area=area, user=user, role=group)
                area_membership_save(membership=membership, user=None, reason="Demo data")
            users[username] = user
        return users

    def _boards(self, area: LocalArea, user) -> LocalArea:
        for kind in BoardKind:
            if not Board.objects.filter(area=area, kind=kind).exists():
                board = Board(area=area, name=kind.label, kind=kind)
                save_with_history(board, user=user, reason="Demo data")
        return area

    def _officer_roles(self, officer, plan_admin) -> None:
        for name in DEMO_USERS[0][5]:
            owner = Owner.objects.get(area__name="Medway", name=name)
            owner_services.owner_holder_add(
                owner=owner, holder=officer, user=plan_admin, reason="Demo data"
            )

    def _archive_ended_plans(self, admin_of: dict[str, User]) -> None:
        for area_name, title, _, _, stage in STRATEGIES:
            strategy = Strategy.objects.get(area__name=area_name, title=title)
            if stage == StrategyStage.ARCHIVED and strategy.stage != stage:
                strategy.stage = stage
                strategy_save(
                    strategy=strategy, user=admin_of[area_name], reason="Demo data: the plan ended"
                )

    def _progress(self, officer) -> None:
        actions = Action.objects.filter(priority__strategy__title=APPENDIX_STRATEGY)
        for reference, status, rag, percent, note in DEMO_PROGRESS:
            action = actions.get(reference=reference)
            if action.updates.exists():
                continue
            action_services.action_update_progress(
                action=action,
                user=officer,
                status=status,
                rag=rag,
                percent_complete=percent,
                note=note,
            )
