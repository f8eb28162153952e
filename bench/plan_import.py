"""Benchmark: import, re-import (no changes) and export a 20,000-action plan, each beside
the floor openpyxl or the csv module sets for the same file in the same run.

Run on demand, not in the test suite:

    .venv/bin/python bench/plan_import.py                    # SQLite in a temporary file
    DATABASE_URL=postgres://u:pw@localhost/scratch .venv/bin/python bench/plan_import.py
    .venv/bin/python bench/plan_import.py --big              # the largest workbook allowed

With DATABASE_URL set, the database is migrated and the benchmark's area is replaced:
point it at a scratch database. Each phase runs in a fresh process so its peak memory
(maximum resident set size) is its own. Prints, per phase, rows per second, wall and CPU
seconds (the phase's own process: steadier than the wall clock on a busy machine, but it
leaves out the PostgreSQL server's work), the history rows it wrote, peak memory beside the
memory at its start (Django loaded), and its time as a multiple of its floor, by wall and
by CPU: import and re-import against openpyxl.load_workbook of the same file, the xlsx
export against openpyxl's write-only mode writing the same rows, the csv export against
csv.writer. --repeat runs the floors and phases again, alternating, to show the noise.

--big builds workbooks of long-texted actions up to the upload limits (about 11 MiB,
188 MB unpacked) at two sizes and reports the streamed parse's peak memory and time per row.
"""

import argparse
import itertools
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AREA = "Benchmark area"
STRATEGY = "Benchmark strategy"
USERNAME = "bench-plan-admin"
PHASES = (
    "floor-load",
    "parse",
    "import",
    "re-import",
    "floor-xlsx",
    "export-xlsx",
    "floor-csv",
    "export-csv",
)
FLOORS = {
    "import": "floor-load",
    "re-import": "floor-load",
    "export-xlsx": "floor-xlsx",
    "export-csv": "floor-csv",
}
OWNERS = ["Head of 0-25 Integrated Service", "DCO", "SEN Manager", "PEP", "Local Offer Officer"]
DEADLINES = ["February 2020", "ongoing", "Bi monthly /ongoing", "September 2020 an ongoing"]


WORDS = (
    "review local offer parents carers schools health partners publish changes report "
    "progress send partnership board term families young people support plan needs assessment"
).split()


def long_texts(sentences: int):
    """Action texts of ``sentences`` sentences each, drawn from a few hundred, so that the
    workbook compresses about as well as a real plan's prose (16 times)."""
    import random

    draw = random.Random(1)
    variants = [
        " ".join(draw.choice(WORDS) for _ in range(25)).capitalize() + ". " for _ in range(120)
    ]
    while True:
        yield "".join(draw.choice(variants) for _ in range(sentences))


def make_workbook(path: Path, rows: int, *, text_repeats: int = 0) -> None:
    """A plan of 20 priorities, each action with two owners, as an appendix would have it:
    each priority's number and title merged down over its actions. ``text_repeats`` pads
    each action's text with that many sentences, for a workbook near the size limits."""
    import openpyxl

    # Not write-only, which leaves out the <dimension> that Excel writes at the top of a
    # sheet; without it openpyxl's read-only mode reads the whole sheet once to size it.
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Benchmark SEND action plan"])
    sheet.append(["", "Priority", "Actions", "By whom", "By When"])
    per_priority = max(rows // 20, 1)
    padding = long_texts(text_repeats) if text_repeats else itertools.repeat("")
    for number in range(rows):
        priority, position = divmod(number, per_priority)
        first = position == 0
        sheet.append(
            [
                priority + 1 if first else None,
                f"Priority {priority + 1} of the benchmark plan" if first else None,
                f"Action {number + 1}: review and improve the local offer for families. "
                + next(padding),
                f"{OWNERS[number % 5]}/{OWNERS[(number + 2) % 5]}",
                DEADLINES[number % 4],
            ]
        )
    for start in range(0, rows, per_priority):
        end = min(start + per_priority, rows) + 2
        for column in "AB":
            sheet.merge_cells(f"{column}{start + 3}:{column}{end}")
    workbook.save(path)


def export_rows(rows: int) -> list[list]:
    """What the export writes for the benchmark plan, for the floors to write."""
    per_priority = max(rows // 20, 1)
    return [
        [
            number // per_priority + 1,
            f"Priority {number // per_priority + 1} of the benchmark plan",
            f"{number // per_priority + 1}.{number % per_priority + 1}",
            f"Action {number + 1}: review and improve the local offer for families.",
            f"{OWNERS[number % 5]}/{OWNERS[(number + 2) % 5]}",
            DEADLINES[number % 4],
            "Not started",
            "Not rated",
            0,
            "",
        ]
        for number in range(rows)
    ]


def floor(name: str, path: Path, rows: int) -> None:
    import csv
    import io

    import openpyxl

    if name == "floor-load":
        openpyxl.load_workbook(path)
        return
    data = export_rows(rows)
    if name == "floor-xlsx":
        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet("Action plan")
        for row in data:
            sheet.append(row)
        workbook.save(io.BytesIO())
    else:
        csv.writer(io.StringIO()).writerows(data)


def _mib() -> float:
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup() -> None:
    """Remove an earlier run's plan, quietly, and make sure the importing user exists."""
    from django.contrib.auth.models import Group, User
    from django.test import override_settings

    from actions.models import Owner
    from priorities.models import AreaMembership, LocalArea, Strategy
    from sendplan import roles

    # The benchmark's own leftovers need no audit trail; their history is not written.
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        Strategy.objects.filter(area__name=AREA).delete()
        Owner.objects.filter(area__name=AREA).delete()
        LocalArea.objects.filter(name=AREA).delete()
    user, _ = User.objects.get_or_create(username=USERNAME)
    # A plan admin imports only into their own area, which the service administrator adds.
    area = LocalArea.objects.create(name=AREA)
    AreaMembership.objects.create(
        area=area, user=user, role=Group.objects.get(name=roles.PLAN_ADMIN)
    )


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
    rows = Action.objects.filter(priority__strategy__title=STRATEGY).count()
    start_mib = _mib()
    started, cpu_started = time.perf_counter(), time.process_time()
    if name.startswith("floor"):
        floor(name, path, rows)
    elif name == "parse":
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
        export_plan(queryset, name.removeprefix("export-"))
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    peak_mib = _mib()
    written = history_rows(reason) - history_before
    print(
        f"{name}\t{rows}\t{seconds:.2f}\t{cpu_seconds:.2f}\t{written}\t"
        f"{start_mib:.0f}\t{peak_mib:.0f}"
    )


def run_phase(name: str, path: Path, env: dict) -> list[str]:
    result = subprocess.run(
        [sys.executable, __file__, "--phase", name, "--file", str(path)],
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return result.stdout.strip().splitlines()[-1].split("\t")


def big(env: dict, scratch: str) -> None:
    """The streamed parse of long-texted workbooks at half and the full size allowed."""
    print(f"{'workbook':<28} {'rows':>7} {'seconds':>8} {'us/row':>7} {'cpu s':>7} {'peak MiB':>9}")
    for rows in (12_000, 24_000):
        path = Path(scratch) / f"big-{rows}.xlsx"
        make_workbook(path, rows, text_repeats=40)
        unpacked = sum(info.file_size for info in zipfile.ZipFile(path).infolist()) / 1e6
        size = f"{path.stat().st_size / 2**20:.1f} MiB, {unpacked:.0f} MB unpacked"
        _, parsed, seconds, cpu, _, _, peak = run_phase("parse", path, env)
        per_row = float(cpu) / int(parsed) * 1e6
        print(f"{size:<28} {parsed:>7} {seconds:>8} {per_row:>7.0f} {cpu:>7} {peak:>9}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=1, help="Runs of every phase, alternated.")
    parser.add_argument("--big", action="store_true", help="Parse workbooks at the size limits.")
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
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], env=env, check=True
        )
        subprocess.run([sys.executable, __file__, "--phase", "setup"], env=env, check=True)
        if args.big:
            big(env, scratch)
            return
        path = Path(scratch) / "benchmark-plan.xlsx"
        make_workbook(path, args.rows)
        vendor = env["DATABASE_URL"].split(":", 1)[0]
        size = path.stat().st_size / 2**20
        print(f"{args.rows} actions, {size:.1f} MiB xlsx, database: {vendor}")
        print(
            f"{'phase':<11} {'rows':>6} {'seconds':>8} {'rows/s':>7} {'cpu s':>6} "
            f"{'history':>7} {'start MiB':>9} {'peak MiB':>8} {'x floor':>7} {'x floor cpu':>11}",
            flush=True,
        )
        for run in range(args.repeat):
            if run:
                subprocess.run([sys.executable, __file__, "--phase", "setup"], env=env, check=True)
            measured: dict[str, tuple[float, float]] = {}
            for name in PHASES:
                _, rows, seconds, cpu, written, start, peak = run_phase(name, path, env)
                measured[name] = (float(seconds), float(cpu))
                rate = int(rows) / float(seconds)
                ratio = ratio_cpu = ""
                if name in FLOORS:
                    floor_wall, floor_cpu = measured[FLOORS[name]]
                    ratio = f"{float(seconds) / floor_wall:.1f}"
                    ratio_cpu = f"{float(cpu) / floor_cpu:.1f}"
                print(
                    f"{name:<11} {rows:>6} {seconds:>8} {rate:>7.0f} {cpu:>6} {written:>7} "
                    f"{start:>9} {peak:>8} {ratio:>7} {ratio_cpu:>11}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
