"""What the import commands share: the file, the user credited, and a refused file's message."""

from collections.abc import Callable
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError


class FileImportCommand(BaseCommand):
    """Imports one file into a local area's strategy, as a named user or as the operator.

    Subclasses name the file in ``file_help``, add their own arguments in
    ``add_more_arguments`` and call ``run_import`` from ``handle``.
    """

    file_help = "The file."
    # True when the command can take its file from elsewhere, as an option says.
    path_optional = False

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?" if self.path_optional else None, help=self.file_help)
        parser.add_argument("--area", required=True, help='Local area, e.g. "Medway".')
        parser.add_argument("--strategy", required=True, help="Strategy title.")
        self.add_more_arguments(parser)
        parser.add_argument(
            "--user",
            help="Username recorded on the history rows (default: the operator, as no user).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; write nothing."
        )

    def add_more_arguments(self, parser):
        pass

    def run_import(
        self,
        *,
        path: str,
        username: str | None,
        refused: type[Exception],
        what: str,
        do_import: Callable,
    ):
        """Read the file and call ``do_import(file_name=, data=, user=)``; a refusal (an
        exception with ``errors``) or a missing permission becomes the command's error."""
        file = Path(path)
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        try:
            return do_import(file_name=file.name, data=data, user=self._user(username))
        except refused as error:
            raise CommandError(
                f"{file.name} was not imported; nothing was written.\n" + "\n".join(error.errors)
            ) from error
        except PermissionDenied as error:
            raise CommandError(f"User {username} cannot import {what}: {error}") from error

    def write_lines(self, lines, *, dry_run: bool) -> None:
        for line in lines:
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
