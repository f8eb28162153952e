from functools import partial

from planfile.importer import PlanImportError, plan_import
from sendplan.commands import FileImportCommand


class Command(FileImportCommand):
    help = (
        "Import a strategy's action plan (xlsx, csv, tsv or txt), creating the area and "
        "strategy if needed. Re-importing updates what changed and writes nothing else."
    )
    file_help = "The plan file."

    def handle(self, *args, path, area, strategy, user, dry_run, **options):
        report = self.run_import(
            path=path,
            username=user,
            refused=PlanImportError,
            what="a plan",
            do_import=partial(
                plan_import, area_name=area, strategy_title=strategy, dry_run=dry_run
            ),
        )
        self.write_lines(report.summary_lines(), dry_run=dry_run)
