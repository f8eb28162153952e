from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from actions.models import Action
from planfile.exporter import PLAN_FORMATS, export_plan
from priorities.models import Strategy


class Command(BaseCommand):
    help = "Export a strategy's action plan as xlsx or csv (which import_plan reads back) or json."

    def add_arguments(self, parser):
        parser.add_argument("--area", required=True, help='Local area, e.g. "Medway".')
        parser.add_argument("--strategy", required=True, help="Strategy title.")
        parser.add_argument("--format", choices=sorted(PLAN_FORMATS), default="xlsx")
        parser.add_argument("-o", "--output", help="File to write (default: standard output).")

    def handle(self, *args, area, strategy, format, output, **options):
        found = Strategy.objects.filter(area__name__iexact=area, title__iexact=strategy).first()
        if found is None:
            known = ", ".join(
                f'"{s.title}"' for s in Strategy.objects.filter(area__name__iexact=area)
            )
            raise CommandError(
                f'No strategy "{strategy}" in {area}.'
                + (f" Its strategies are: {known}." if known else f' No local area "{area}".')
            )
        data = export_plan(Action.objects.filter(priority__strategy=found), format)
        if output:
            Path(output).write_bytes(data)
            self.stderr.write(f"Wrote {output}.")
        elif format == "xlsx":
            raise CommandError("An xlsx export needs -o PATH: it is not text.")
        else:
            self.stdout.write(data.decode("utf-8-sig"), ending="")
