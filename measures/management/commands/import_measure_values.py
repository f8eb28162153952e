import tempfile
from functools import partial
from pathlib import Path

from django.core.management.base import CommandError

from measures.ees import DownloadError, data_set_download
from measures.importer import ValuesImportError, values_import
from measures.models import Measure
from priorities.models import Strategy
from sendplan.commands import FileImportCommand


class Command(FileImportCommand):
    help = (
        "Import measure values (xlsx or csv; long, wide or the DfE's tidy layout) into a "
        "plan's measures. Re-importing the same file changes nothing."
    )
    file_help = "The values file (or give --ees)."
    path_optional = True

    def add_more_arguments(self, parser):
        parser.add_argument(
            "--ees",
            metavar="DATA_SET_ID",
            help="Download the data set's CSV from explore education statistics instead of "
            "reading a file.",
        )
        parser.add_argument("--measure", help="For a wide or tidy file: the measure's name.")
        parser.add_argument(
            "--column",
            default="",
            help="For a tidy file: the indicator column to read (default: the measure's).",
        )
        parser.add_argument(
            "--filter",
            dest="filter_texts",
            action="append",
            default=[],
            metavar="COLUMN=VALUE",
            help="For a tidy file: read the rows where COLUMN is VALUE (breakdown=Under 5); "
            "other filter columns are read at their totals. Repeat for several.",
        )

    def handle(self, *args, path, ees, **options):
        if bool(path) == bool(ees):
            raise CommandError("Give either the values file or --ees DATA_SET_ID.")
        if path:
            return self.import_file(path=path, **options)
        try:
            data = data_set_download(ees)
        except DownloadError as error:
            raise CommandError(f"Nothing was imported: {error}") from error
        with tempfile.TemporaryDirectory() as folder:
            downloaded = Path(folder) / f"{ees}.csv"
            downloaded.write_bytes(data)
            self.import_file(path=str(downloaded), **options)

    def import_file(
        self, *, path, area, strategy, measure, column, filter_texts, user, dry_run, **_
    ):
        plan = Strategy.objects.filter(area__name=area, title=strategy).first()
        if plan is None:
            raise CommandError(f"No strategy “{strategy}” of {area}.")
        chosen = None
        if measure:
            chosen = Measure.objects.filter(strategy=plan, name=measure).first()
            if chosen is None:
                raise CommandError(f"No measure “{measure}” in {strategy}.")
        filters = {}
        for text in filter_texts:
            name, equals, value = text.partition("=")
            if not (equals and name.strip()):
                raise CommandError(f"--filter {text}: write it as COLUMN=VALUE.")
            filters[name.strip()] = value.strip()
        report = self.run_import(
            path=path,
            username=user,
            refused=ValuesImportError,
            what="values",
            do_import=partial(
                values_import,
                strategy=plan,
                measure=chosen,
                column=column,
                filters=filters,
                dry_run=dry_run,
            ),
        )
        self.write_lines(
            [
                *report.summary_lines(),
                *(f"  not matched: {line}" for line in report.unmatched),
                *(f"  no value: {line}" for line in report.suppressed),
            ],
            dry_run=dry_run,
        )
