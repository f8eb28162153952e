from django.core.management.base import BaseCommand, CommandError

from backups.restore import RestoreRefused, area_restore


class Command(BaseCommand):
    help = (
        "Load a local area's backup (from export_area) into this instance, which must not "
        "hold that area (docs/operations.md: Backup and restore)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The zip file export_area wrote.")

    def handle(self, *args, path, **options):
        try:
            with open(path, "rb") as file:
                manifest = area_restore(path=file)
        except (OSError, RestoreRefused) as error:
            raise CommandError(f"Nothing restored: {error}") from None
        rows = sum(manifest["rows"].values())
        self.stdout.write(
            f"Restored {manifest['area']} from {path}: {rows} rows, "
            f"backed up {manifest['created_at']}."
        )
