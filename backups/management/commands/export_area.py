from django.core.management.base import BaseCommand, CommandError

from backups.export import area_export
from priorities.models import LocalArea


class Command(BaseCommand):
    help = (
        "Write everything a local area holds, its history included, to a zip of JSON and CSV "
        "files with a manifest (docs/operations.md: Backup and restore)."
    )

    def add_arguments(self, parser):
        parser.add_argument("area", help='The local area, e.g. "Medway".')
        parser.add_argument("-o", "--output", required=True, help="The zip file to write.")

    def handle(self, *args, area, output, **options):
        found = LocalArea.objects.filter(name__iexact=area).first()
        if found is None:
            known = ", ".join(LocalArea.objects.values_list("name", flat=True)) or "none"
            raise CommandError(f'There is no local area called "{area}". Areas: {known}.')
        manifest = area_export(area=found, to=output)
        rows = sum(manifest["rows"].values())
        self.stdout.write(
            f"Wrote {output}: {found.name}, {rows} rows in {len(manifest['rows'])} tables, "
            f"{manifest['users']} users."
        )
