"""Benchmark: import, re-import (no changes) and export a 20,000-action plan.

Run on demand, not in the test suite:

    .venv/bin/python bench/plan_import.py                    # SQLite in a temporary file
    DATABASE_URL=postgres://u:pw@localhost/scratch .venv/bin/python bench/plan_import.py

With DATABASE_URL set, the database is migrated and the benchmark's area is replaced:
point it at a scratch database. Each phase runs in a fresh process so its peak memory
(maximum resident set size) is its own. Prints, per phase, rows per second, the seconds of
CPU the phase's own process used (steadier than the wall clock on a busy machine; it leaves
out the PostgreSQL server's), the history rows it wrote, and peak memory beside the memory
at its start (Django loaded).
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AREA = "Benchmark area"
STRATEGY = "Benchmark strategy"
USERNAME = "bench-plan-admin"
PHASES = ("parse", "import", "re-import", "export")
OWNERS = ["Head of 0-25 Integrated Service", "DCO", "SEN Manager", "PEP", "Local Offer Officer"]
DEADLINES = ["February 2020", "ongoing", "Bi monthly /ongoing", "September 2020 an ongoing"]


def make_workbook(path: Path, rows: int) -> None:
    """A plan of 20 priorities, each action with two owners, as an appendix would have it."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Benchmark SEND action plan"])
    sheet.append(["", "Priority", "Actions", "By whom", "By When"])
    per_priority = max(rows // 20, 1)
    for number in range(rows):
        priority, position = divmod(number, per_priority)
        first = position == 0
        sheet.append(
            [
                priority + 1 if first else None,
                f"Priority {priority + 1} of the benchmark plan" if first else None,
                f"Action {number + 1}: review and improve the local offer for families.",
                f"{OWNERS[number % 5]}/{OWNERS[(number + 2) % 5]}",
                DEADLINES[number % 4],
            ]
        )
    workbook.save(path)


def _mib() -> float:
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup() -> None:
    """Remove an earlier run's plan, quietly, and make sure the importing user exists."""
    from django.contrib.auth.models import Group, User
    from django.test import override_settings

    from actions.models import Owner
    from priorities.models import LocalArea, Strategy
    from sendplan import roles

    # The benchmark's own leftovers need no audit trail; their history is not written.
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        Strategy.objects.filter(area__name=AREA).delete()
        Owner.objects.filter(area__name=AREA).delete()
        LocalArea.objects.filter(name=AREA).delete()
    user, _ = User.objects.get_or_create(username=USERNAME)
    user.groups.add(Group.objects.get(name=roles.PLAN_ADMIN))


def history_rows(reason: str) -> int:
    from django.apps import apps

    # Many-to-many history tables have no reason column; the import writes none of them.
    return sum(
        model.objects.filter(history_change_reason=reason).count()
        for model in apps.get_models()
        if any(field.name == "history_change_reason" for field in model._meta.fields)
    )


def phase(name: str, path: Path) -> None:
    """Run one phase in this process; print name, rows, seconds, CPU, history rows, MiB."""
    from django.contrib.auth.models import User

    from actions.models import Action
    from planfile.exporter import export_plan
    from planfile.importer import plan_import
    from planfile.layout import read_plan

    data = path.read_bytes()
    reason = f"Imported from {path.name}"
    user = User.objects.get(username=USERNAME)
    history_before = history_rows(reason)
    start_mib = _mib()
    started, cpu_started = time.perf_counter(), time.process_time()
    if name == "parse":
        rows = len(read_plan(path.name, data))
    elif name in ("import", "re-import"):
        report = plan_import(
            area_name=AREA, strategy_title=STRATEGY, file_name=path.name, data=data, user=user
        )
        rows = sum(
            map(len, (report.actions_created, report.actions_updated, report.actions_unchanged))
        )
    else:
        queryset = Action.objects.filter(priority__strategy__title=STRATEGY)
        rows = queryset.count()
        export_plan(queryset, "xlsx")
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    peak_mib = _mib()
    written = history_rows(reason) - history_before
    print(
        f"{name}\t{rows}\t{seconds:.2f}\t{cpu_seconds:.2f}\t{written}\t"
        f"{start_mib:.0f}\t{peak_mib:.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        import django

        sys.path.insert(0, str(ROOT))
        django.setup()
        if args.phase == "setup":
            setup()
        else:
            phase(args.phase, Path(args.file))
        return

    with tempfile.TemporaryDirectory() as scratch:
        env = dict(os.environ)
        env.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
        env["DJANGO_SETTINGS_MODULE"] = "sendplan.settings.dev"
        # As in production: with DEBUG on, Django keeps every query it runs in memory.
        env["DEBUG"] = "false"
        path = Path(scratch) / "benchmark-plan.xlsx"
        make_workbook(path, args.rows)
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], env=env, check=True
        )
        subprocess.run([sys.executable, __file__, "--phase", "setup"], env=env, check=True)
        vendor = env["DATABASE_URL"].split(":", 1)[0]
        size = path.stat().st_size / 2**20
        print(f"{args.rows} actions, {size:.1f} MiB xlsx, database: {vendor}")
        print(
            f"{'phase':<10} {'rows':>7} {'seconds':>8} {'rows/s':>8} {'cpu s':>7} {'history':>8} "
            f"{'start MiB':>9} {'peak MiB':>9}",
            flush=True,
        )
        for name in PHASES:
            result = subprocess.run(
                [sys.executable, __file__, "--phase", name, "--file", str(path)],
                env=env,
                check=True,
                stdout=subprocess.PIPE,
                text=True,
            )
            _, rows, seconds, cpu, written, start, peak = (
                result.stdout.strip().splitlines()[-1].split("\t")
            )
            rate = int(rows) / float(seconds)
            print(
                f"{name:<10} {rows:>7} {seconds:>8} {rate:>8.0f} {cpu:>7} {written:>8} "
                f"{start:>9} {peak:>9}",
                flush=True,
            )


if __name__ == "__main__":
    main()
