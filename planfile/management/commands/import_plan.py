from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from planfile.importer import PlanImportError, plan_import


class Command(BaseCommand):
    help = (
        "Import a strategy's action plan (xlsx, csv, tsv or txt), creating the area and "
        "strategy if needed. Re-importing updates what changed and writes nothing else."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The plan file.")
        parser.add_argument("--area", required=True, help='Local area, e.g. "Medway".')
        parser.add_argument("--strategy", required=True, help="Strategy title.")
        parser.add_argument(
            "--user",
            help="Username recorded on the history rows (default: the operator, as no user).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; write nothing."
        )

    def handle(self, *args, path, area, strategy, user, dry_run, **options):
        file = Path(path)
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        try:
            report = plan_import(
                area_name=area,
                strategy_title=strategy,
                file_name=file.name,
                data=data,
                user=self._user(user),
                dry_run=dry_run,
            )
        except PlanImportError as error:
            raise CommandError(
                f"{file.name} was not imported; nothing was written.\n" + "\n".join(error.errors)
            ) from error
        except PermissionDenied as error:
            raise CommandError(f"User {user} cannot import a plan: {error}") from error
        for line in report.summary_lines():
            self.stdout.write(line)
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")

    def _user(self, username: str | None):
        if username is None:
            return None
        User = get_user_model()
        try:
            return User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f'No user "{username}".') from None
