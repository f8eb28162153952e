from functools import partial

from django.core.management.base import CommandError

from measures.importer import ValuesImportError, values_import
from measures.models import Measure
from priorities.models import Strategy
from sendplan.commands import FileImportCommand


class Command(FileImportCommand):
    help = (
        "Import measure values (xlsx or csv, long or wide layout) into a plan's measures. "
        "Re-importing the same file changes nothing."
    )
    file_help = "The values file."

    def add_more_arguments(self, parser):
        parser.add_argument("--measure", help="For a wide file: the measure's name.")

    def handle(self, *args, path, area, strategy, measure, user, dry_run, **options):
        plan = Strategy.objects.filter(area__name=area, title=strategy).first()
        if plan is None:
            raise CommandError(f"No strategy “{strategy}” of {area}.")
        chosen = None
        if measure:
            chosen = Measure.objects.filter(strategy=plan, name=measure).first()
            if chosen is None:
                raise CommandError(f"No measure “{measure}” in {strategy}.")
        report = self.run_import(
            path=path,
            username=user,
            refused=ValuesImportError,
            what="values",
            do_import=partial(values_import, strategy=plan, measure=chosen, dry_run=dry_run),
        )
        unmatched = [f"  not matched: {line}" for line in report.unmatched]
        self.write_lines([*report.summary_lines(), *unmatched], dry_run=dry_run)
