from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from measures.importer import ValuesImportError, values_import
from measures.models import Measure
from priorities.models import Strategy


class Command(BaseCommand):
    help = (
        "Import measure values (xlsx or csv, long or wide layout) into a plan's measures. "
        "Re-importing the same file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The values file.")
        parser.add_argument("--area", required=True, help='Local area, e.g. "Medway".')
        parser.add_argument("--strategy", required=True, help="Strategy title.")
        parser.add_argument("--measure", help="For a wide file: the measure's name.")
        parser.add_argument("--user", help="Username recorded on the history rows.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; write nothing."
        )

    def handle(self, *args, path, area, strategy, measure, user, dry_run, **options):
        file = Path(path)
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        plan = Strategy.objects.filter(area__name=area, title=strategy).first()
        if plan is None:
            raise CommandError(f"No strategy “{strategy}” of {area}.")
        chosen = None
        if measure:
            chosen = Measure.objects.filter(strategy=plan, name=measure).first()
            if chosen is None:
                raise CommandError(f"No measure “{measure}” in {strategy}.")
        try:
            report = values_import(
                strategy=plan,
                measure=chosen,
                file_name=file.name,
                data=data,
                user=self._user(user),
                dry_run=dry_run,
            )
        except ValuesImportError as error:
            raise CommandError(
                f"{file.name} was not imported; nothing was written.\n" + "\n".join(error.errors)
            ) from error
        except PermissionDenied as error:
            raise CommandError(f"User {user} cannot import values: {error}") from error
        for line in report.summary_lines():
            self.stdout.write(line)
        for line in report.unmatched:
            self.stdout.write(f"  not matched: {line}")
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")

    def _user(self, username: str | None):
        if username is None:
            return None
        User = get_user_model()
        try:
            return User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist as error:
            raise CommandError(f"No user {username}.") from error
